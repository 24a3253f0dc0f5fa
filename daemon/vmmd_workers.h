/*
 * vmmd_workers.h: the daemon's pool of worker threads, which run the
 * calls the main loop decoded.
 *
 * Two kinds of threads share two queues. Ordinary workers (between
 * min_workers and max_workers of them, started on demand) take any job,
 * high priority first. Priority workers (prio_workers, all started at
 * once) take only high-priority jobs, so a call that never waits on a
 * hypervisor (list, lookup, destroy) still runs when every ordinary
 * worker is stuck in a slow one. Jobs of one queue run in the order they
 * were submitted. The pool knows nothing of clients or messages.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct _vmmdWorkerPool vmmdWorkerPool;

/* Runs one job in a worker thread; @job is what was submitted. */
typedef void (*vmmdWorkerFunc)(void *job, void *opaque);

/* Starts min_workers ordinary and prio_workers priority threads.
 * @maxWorkers must be at least 1 and at least @minWorkers. */
int vmmdWorkerPoolNew(unsigned int minWorkers, unsigned int maxWorkers,
                      unsigned int prioWorkers, vmmdWorkerFunc func,
                      void *opaque, vmmdWorkerPool **ret_pool);

/* Queues @job (not NULL). A pool that is shutting down refuses it and
 * returns -1 (the caller still owns @job). */
int vmmdWorkerPoolSubmit(vmmdWorkerPool *pool, void *job, bool highPriority);

/* Jobs queued or running right now. */
unsigned int vmmdWorkerPoolPending(vmmdWorkerPool *pool);

/* Lets the queued jobs finish, then stops and joins every thread, and
 * frees the pool. Accepts NULL. */
void vmmdWorkerPoolFree(vmmdWorkerPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdWorkerPool, vmmdWorkerPoolFree)
