/*
 * vmmd_workers.c: the worker pool (see vmmd_workers.h): one lock, one
 * condition, two queues of jobs, and the threads that drain them.
 */
#include <config.h>

#include "util_error.h"
#include "util_log.h"
#include "vmmd_workers.h"

VMM_LOG_INIT("daemon.workers");

struct _vmmdWorkerPool {
    GMutex lock;
    GCond cond;      /* a job was queued, or the pool is stopping */
    GQueue jobs;     /* ordinary jobs */
    GQueue prioJobs; /* high-priority jobs */
    GPtrArray *threads;
    unsigned int maxWorkers;
    unsigned int nworkers; /* ordinary threads started */
    unsigned int idle;     /* ordinary threads waiting for a job */
    unsigned int running;  /* jobs being run */
    bool quit;
    vmmdWorkerFunc func;
    void *opaque;
};

typedef struct {
    vmmdWorkerPool *pool;
    bool priority;
} vmmdWorker;

/* The next job @worker may take, or NULL; called with the lock held. */
static void *workerTakeJob(vmmdWorkerPool *pool, bool priority)
{
    void *job = g_queue_pop_head(&pool->prioJobs);

    if (!job && !priority)
        job = g_queue_pop_head(&pool->jobs);
    return job;
}

static gpointer workerMain(gpointer data)
{
    g_autofree vmmdWorker *worker = data;
    vmmdWorkerPool *pool = worker->pool;

    g_mutex_lock(&pool->lock);
    for (;;) {
        void *job = workerTakeJob(pool, worker->priority);

        if (!job) {
            /* Queued jobs still run when the pool stops. */
            if (pool->quit)
                break;
            if (!worker->priority)
                pool->idle++;
            g_cond_wait(&pool->cond, &pool->lock);
            if (!worker->priority)
                pool->idle--;
            continue;
        }
        pool->running++;
        g_mutex_unlock(&pool->lock);
        pool->func(job, pool->opaque);
        g_mutex_lock(&pool->lock);
        pool->running--;
    }
    g_mutex_unlock(&pool->lock);
    return NULL;
}

/* Called with the lock held (or before any thread runs). */
static int workerSpawn(vmmdWorkerPool *pool, bool priority)
{
    g_autoptr(GError) gerr = NULL;
    vmmdWorker *worker = g_new0(vmmdWorker, 1);
    GThread *thread;

    worker->pool = pool;
    worker->priority = priority;
    thread = g_thread_try_new(priority ? "vmmd-prio" : "vmmd-worker",
                              workerMain, worker, &gerr);
    if (!thread) {
        g_free(worker);
        errorReport(VMM_FROM_THREAD, VMM_ERR_SYSTEM_ERROR,
                    "cannot start a worker thread: %s", gerr->message);
        return -1;
    }
    g_ptr_array_add(pool->threads, thread);
    if (!priority)
        pool->nworkers++;
    return 0;
}

int vmmdWorkerPoolNew(unsigned int minWorkers, unsigned int maxWorkers,
                      unsigned int prioWorkers, vmmdWorkerFunc func,
                      void *opaque, vmmdWorkerPool **ret_pool)
{
    g_autoptr(vmmdWorkerPool) pool = g_new0(vmmdWorkerPool, 1);

    if (maxWorkers == 0 || minWorkers > maxWorkers) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG,
                    "worker pool needs 1 <= min_workers (%u) <= max_workers "
                    "(%u)",
                    minWorkers, maxWorkers);
        return -1;
    }
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->cond);
    g_queue_init(&pool->jobs);
    g_queue_init(&pool->prioJobs);
    pool->threads = g_ptr_array_new();
    pool->maxWorkers = maxWorkers;
    pool->func = func;
    pool->opaque = opaque;

    g_mutex_lock(&pool->lock);
    for (unsigned int i = 0; i < minWorkers + prioWorkers; i++) {
        if (workerSpawn(pool, i >= minWorkers) < 0) {
            g_mutex_unlock(&pool->lock);
            return -1;
        }
    }
    g_mutex_unlock(&pool->lock);
    VMM_DEBUG("worker pool: %u to %u workers, %u priority workers", minWorkers,
              maxWorkers, prioWorkers);
    *ret_pool = g_steal_pointer(&pool);
    return 0;
}

int vmmdWorkerPoolSubmit(vmmdWorkerPool *pool, void *job, bool highPriority)
{
    /* NULL is what an empty queue answers. */
    g_return_val_if_fail(job != NULL, -1);
    g_mutex_lock(&pool->lock);
    if (pool->quit) {
        g_mutex_unlock(&pool->lock);
        return -1;
    }
    g_queue_push_tail(highPriority ? &pool->prioJobs : &pool->jobs, job);
    /* A thread more when no ordinary one is free; failing to start one is
     * not fatal, the job waits for a busy thread. */
    if (pool->idle == 0 && pool->nworkers < pool->maxWorkers &&
        workerSpawn(pool, false) < 0) {
        VMM_WARN("%s", errorGetLast()->message);
        errorReset();
    }
    g_cond_broadcast(&pool->cond);
    g_mutex_unlock(&pool->lock);
    return 0;
}

unsigned int vmmdWorkerPoolPending(vmmdWorkerPool *pool)
{
    unsigned int n;

    g_mutex_lock(&pool->lock);
    n = pool->running + pool->jobs.length + pool->prioJobs.length;
    g_mutex_unlock(&pool->lock);
    return n;
}

void vmmdWorkerPoolFree(vmmdWorkerPool *pool)
{
    if (!pool)
        return;
    if (pool->threads) {
        g_mutex_lock(&pool->lock);
        pool->quit = true;
        g_cond_broadcast(&pool->cond);
        g_mutex_unlock(&pool->lock);
        for (guint i = 0; i < pool->threads->len; i++)
            g_thread_join(g_ptr_array_index(pool->threads, i));
        g_ptr_array_free(pool->threads, TRUE);
    }
    g_queue_clear(&pool->jobs);
    g_queue_clear(&pool->prioJobs);
    g_cond_clear(&pool->cond);
    g_mutex_clear(&pool->lock);
    g_free(pool);
}
