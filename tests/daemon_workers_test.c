/*
 * daemon_workers_test.c: the daemon's worker pool: every job runs once,
 * priority jobs overtake ordinary ones stuck in slow calls, and priority
 * workers never take ordinary jobs.
 */
#include <config.h>

#include "util_error.h"
#include "vmmd_workers.h"

/* A job that can be held until the test lets it go. */
typedef struct {
    GMutex lock;
    GCond cond;
    bool hold; /* wait until released */
    bool started;
    bool done;
} testJob;

static gint jobsRun;
/* A job that just counts. */
static int countOnly;

static void testJobInit(testJob *job, bool hold)
{
    g_mutex_init(&job->lock);
    g_cond_init(&job->cond);
    job->hold = hold;
    job->started = false;
    job->done = false;
}

static void testJobClear(testJob *job)
{
    g_mutex_clear(&job->lock);
    g_cond_clear(&job->cond);
}

static void testWorker(void *data, void *opaque)
{
    testJob *job = data;

    g_atomic_int_inc(&jobsRun);
    if (data == &countOnly)
        return;
    g_mutex_lock(&job->lock);
    job->started = true;
    g_cond_broadcast(&job->cond);
    while (job->hold)
        g_cond_wait(&job->cond, &job->lock);
    job->done = true;
    g_cond_broadcast(&job->cond);
    g_mutex_unlock(&job->lock);
}

static void testJobRelease(testJob *job)
{
    g_mutex_lock(&job->lock);
    job->hold = false;
    g_cond_broadcast(&job->cond);
    g_mutex_unlock(&job->lock);
}

/* Waits up to @ms for the job to finish; whether it did. */
static bool testJobWaitDone(testJob *job, int ms)
{
    gint64 end = g_get_monotonic_time() + ms * G_TIME_SPAN_MILLISECOND;
    bool done;

    g_mutex_lock(&job->lock);
    while (!job->done && g_cond_wait_until(&job->cond, &job->lock, end))
        ;
    done = job->done;
    g_mutex_unlock(&job->lock);
    return done;
}

static void testJobWaitStarted(testJob *job)
{
    g_mutex_lock(&job->lock);
    while (!job->started)
        g_cond_wait(&job->cond, &job->lock);
    g_mutex_unlock(&job->lock);
}

static void test_every_job_runs_once(void)
{
    g_autoptr(vmmdWorkerPool) pool = NULL;

    g_atomic_int_set(&jobsRun, 0);
    g_assert_cmpint(vmmdWorkerPoolNew(2, 4, 1, testWorker, NULL, &pool), ==, 0);
    for (int i = 0; i < 500; i++)
        g_assert_cmpint(vmmdWorkerPoolSubmit(pool, &countOnly, i % 3 == 0), ==, 0);
    /* Freeing lets queued jobs finish. */
    vmmdWorkerPoolFree(g_steal_pointer(&pool));
    g_assert_cmpint(g_atomic_int_get(&jobsRun), ==, 500);
}

static void test_priority_overtakes_busy_workers(void)
{
    g_autoptr(vmmdWorkerPool) pool = NULL;
    testJob slow[2], urgent, ordinary;

    testJobInit(&slow[0], true);
    testJobInit(&slow[1], true);
    testJobInit(&urgent, false);
    testJobInit(&ordinary, false);
    g_assert_cmpint(vmmdWorkerPoolNew(1, 2, 1, testWorker, NULL, &pool), ==, 0);
    /* Both ordinary workers get stuck. */
    vmmdWorkerPoolSubmit(pool, &slow[0], false);
    vmmdWorkerPoolSubmit(pool, &slow[1], false);
    testJobWaitStarted(&slow[0]);
    testJobWaitStarted(&slow[1]);

    vmmdWorkerPoolSubmit(pool, &ordinary, false);
    vmmdWorkerPoolSubmit(pool, &urgent, true);
    g_assert_true(testJobWaitDone(&urgent, 5000));
    /* The priority worker leaves the ordinary job alone. */
    g_assert_false(testJobWaitDone(&ordinary, 100));
    g_assert_cmpuint(vmmdWorkerPoolPending(pool), ==, 3);

    testJobRelease(&slow[0]);
    testJobRelease(&slow[1]);
    g_assert_true(testJobWaitDone(&ordinary, 5000));
    vmmdWorkerPoolFree(g_steal_pointer(&pool));
    testJobClear(&slow[0]);
    testJobClear(&slow[1]);
    testJobClear(&urgent);
    testJobClear(&ordinary);
}

static void test_bad_sizes(void)
{
    vmmdWorkerPool *pool = NULL;

    g_assert_cmpint(vmmdWorkerPoolNew(3, 2, 0, testWorker, NULL, &pool), ==,
                    -1);
    g_assert_null(pool);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();
    g_assert_cmpint(vmmdWorkerPoolNew(0, 0, 0, testWorker, NULL, &pool), ==,
                    -1);
    errorReset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemon/workers/every-job-runs-once",
                    test_every_job_runs_once);
    g_test_add_func("/daemon/workers/priority-overtakes-busy-workers",
                    test_priority_overtakes_busy_workers);
    g_test_add_func("/daemon/workers/bad-sizes", test_bad_sizes);
    return g_test_run();
}
