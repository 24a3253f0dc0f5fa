/*
 * vsh_job.c: the progress bar of long domain jobs and the worker thread
 * that lets it move (see vsh_job.h).
 */
#include <config.h>

#include <signal.h>

#include "vsh_job.h"

int vshJobPercent(guint64 remaining, guint64 total, gboolean done)
{
    double left;

    if (done)
        return 100;
    if (total == 0)
        return -1;
    if (remaining >= total)
        return 0;
    /* in double: remaining * 100 may not fit in 64 bits */
    left = (double)remaining * 100.0 / (double)total;
    /* the call has not returned: 100 % would promise too much */
    return MIN((int)(100.0 - left), 99);
}

/* @processed of @total as what remains, never below zero. */
static guint64 vshJobLeft(guint64 processed, guint64 total)
{
    return processed >= total ? 0 : total - processed;
}

gboolean vshJobInfoProgress(const vmmDomainJobInfo *info,
                            guint64 *ret_remaining, guint64 *ret_total)
{
    guint64 remaining, total;

    if (info->type != VMM_DOMAIN_JOB_BOUNDED)
        return FALSE;
    if (info->dataTotal) {
        total = info->dataTotal;
        remaining = info->dataRemaining;
    } else if (info->fileTotal) {
        total = info->fileTotal;
        remaining = vshJobLeft(info->fileProcessed, total);
    } else if (info->memTotal) {
        total = info->memTotal;
        remaining = info->memRemaining;
    } else {
        return FALSE;
    }
    *ret_remaining = remaining;
    *ret_total = total;
    return TRUE;
}

double vshJobScaleBytes(guint64 bytes, const char **ret_unit)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = (double)bytes;
    gsize i = 0;

    while (value >= 1024.0 && i + 1 < G_N_ELEMENTS(units)) {
        value /= 1024.0;
        i++;
    }
    *ret_unit = units[i];
    return value;
}

const char *vshJobTypeName(int type, gboolean lower)
{
    static const char *const names[][2] = {
        [VMM_DOMAIN_JOB_NONE] = {"None", "none"},
        [VMM_DOMAIN_JOB_BOUNDED] = {"Bounded", "bounded"},
        [VMM_DOMAIN_JOB_UNBOUNDED] = {"Unbounded", "unbounded"},
        [VMM_DOMAIN_JOB_COMPLETED] = {"Completed", "completed"},
        [VMM_DOMAIN_JOB_FAILED] = {"Failed", "failed"},
        [VMM_DOMAIN_JOB_CANCELLED] = {"Cancelled", "cancelled"},
    };

    /* a type from a newer daemon reads as none, as virsh shows it */
    if (type < 0 || type >= (int)G_N_ELEMENTS(names))
        type = VMM_DOMAIN_JOB_NONE;
    return names[type][lower ? 1 : 0];
}

char *vshJobFormat(const char *label, int percent)
{
    return g_strdup_printf("\r%s: [%3d %%]", label, percent);
}

void vshJobBarInit(vshJobBar *bar, const char *label, FILE *out)
{
    bar->label = label;
    bar->out = out;
    bar->shown = -1;
}

gboolean vshJobBarDraw(vshJobBar *bar, int percent)
{
    g_autofree char *text = NULL;

    if (percent < 0 || percent == bar->shown)
        return FALSE;
    text = vshJobFormat(bar->label, percent);
    /* stdout first, so text printed before the bar stays above it */
    fflush(stdout);
    fputs(text, bar->out);
    fflush(bar->out);
    bar->shown = percent;
    return TRUE;
}

void vshJobBarFinish(vshJobBar *bar, gboolean ok)
{
    if (ok)
        vshJobBarDraw(bar, 100);
    if (bar->shown >= 0) {
        fputc('\n', bar->out);
        fflush(bar->out);
    }
}

/* What the worker thread and the calling thread share. */
typedef struct {
    const vshJob *job;
    GMutex lock;
    GCond cond;
    gboolean done; /* under lock */
    int ret;       /* under lock: what job->run returned */
} vshJobWorker;

static gpointer vshJobThread(gpointer opaque)
{
    vshJobWorker *worker = opaque;
    int ret = worker->job->run(worker->job->runData);

    g_mutex_lock(&worker->lock);
    worker->ret = ret;
    worker->done = TRUE;
    g_cond_signal(&worker->cond);
    g_mutex_unlock(&worker->lock);
    return NULL;
}

/* Set by SIGINT while a job runs; the calling thread acts on it. */
static volatile sig_atomic_t vshJobInterrupted;

static void vshJobSigint(int sig)
{
    vshJobInterrupted = 1;
}

/* Waits up to @ms for the worker; TRUE once it is done. */
static gboolean vshJobWait(vshJobWorker *worker, guint ms)
{
    gint64 deadline = g_get_monotonic_time() + ms * G_TIME_SPAN_MILLISECOND;
    gboolean done;

    g_mutex_lock(&worker->lock);
    while (!worker->done &&
           g_cond_wait_until(&worker->cond, &worker->lock, deadline))
        ;
    done = worker->done;
    g_mutex_unlock(&worker->lock);
    return done;
}

/* One round of the calling thread: pass on a Ctrl-C, redraw the bar. */
static void vshJobPoll(const vshJob *job, vshJobBar *bar)
{
    guint64 remaining = 0, total = 0;

    if (vshJobInterrupted) {
        vshJobInterrupted = 0;
        if (job->abort)
            job->abort(job->opaque);
    }
    if (job->probe && job->probe(job->opaque, &remaining, &total))
        vshJobBarDraw(bar, vshJobPercent(remaining, total, FALSE));
}

/* The worker thread runs the call; this thread polls until it returns. */
static int vshJobWatch(const vshJob *job, vshJobWorker *worker, vshJobBar *bar)
{
    guint ms = job->pollMs ? job->pollMs : VSH_JOB_POLL_MS;
    g_autoptr(GError) err = NULL;
    GThread *thread;

    thread = g_thread_try_new("vsh-job", vshJobThread, worker, &err);
    if (!thread) {
        /* no bar then, but the job itself can still run */
        return job->run(job->runData);
    }
    vshJobBarDraw(bar, 0);
    while (!vshJobWait(worker, ms))
        vshJobPoll(job, bar);
    g_thread_join(thread);
    return worker->ret;
}

int vshJobRun(const vshJob *job)
{
    vshJobWorker worker = {.job = job};
    struct sigaction sa = {.sa_handler = vshJobSigint};
    struct sigaction old;
    vshJobBar bar;
    int ret;

    vshJobBarInit(&bar, job->label, job->out);
    g_mutex_init(&worker.lock);
    g_cond_init(&worker.cond);
    vshJobInterrupted = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);

    ret = vshJobWatch(job, &worker, &bar);

    sigaction(SIGINT, &old, NULL);
    vshJobBarFinish(&bar, ret >= 0);
    g_cond_clear(&worker.cond);
    g_mutex_clear(&worker.lock);
    return ret;
}
