/*
 * vsh_job.h: the progress bar of long domain jobs (save, restore,
 * managed save). The blocking call runs in a worker thread while the
 * calling thread asks every few hundred milliseconds how far the job is
 * and redraws "Save: [ 42 %]" in place, as virsh --verbose does; Ctrl-C
 * meanwhile asks for the job to be cancelled.
 *
 * This file calls nothing in libvmm (it reads only its job structure):
 * the command gives the call, the progress probe and the abort as
 * functions, so the bar and the thread are tested on their own
 * (tests/vsh_job_test.c). The commands are in vsh_cmd_job.c.
 */
#ifndef VSH_JOB_H
#define VSH_JOB_H

#include <stdio.h>

#include <glib.h>
#include <vmm/vmm.h>

/* How often the calling thread asks for progress. */
#define VSH_JOB_POLL_MS 150

/* The percentage to show: 100 only once the call returned (@done); while
 * it runs 0..99, even when nothing remains (the job still has to end);
 * -1 when @total is not known yet. */
int vshJobPercent(guint64 remaining, guint64 total, gboolean done);

/* The text that redraws the bar: "\rLABEL: [ 42 %]". */
char *vshJobFormat(const char *label, int percent);

/* The part of @info that measures the job: the data of a save, the file
 * of a restore, else the memory. FALSE when @info has no bounded
 * measure (no job, or one whose end is not known). */
gboolean vshJobInfoProgress(const vmmDomainJobInfo *info,
                            guint64 *ret_remaining, guint64 *ret_total);

/* @bytes in the largest binary unit that leaves at least 1 ("B", "KiB",
 * "MiB", "GiB", "TiB"), as virsh's domjobinfo prints sizes. */
double vshJobScaleBytes(guint64 bytes, const char **ret_unit);

/* "None", "Bounded"... as virsh's domjobinfo prints a vmmDomainJobType
 * (@lower: "none", "bounded"... for JSON). */
const char *vshJobTypeName(int type, gboolean lower);

/* A bar on one line of @out. */
typedef struct {
    const char *label;
    FILE *out;
    int shown; /* the percentage on the screen, -1 before the first draw */
} vshJobBar;

void vshJobBarInit(vshJobBar *bar, const char *label, FILE *out);
/* Draws @percent unless it is already shown (or -1); TRUE when it drew. */
gboolean vshJobBarDraw(vshJobBar *bar, int percent);
/* Ends the line: at 100 % when the job succeeded, where it stopped when
 * it failed (so the error that follows starts on a line of its own). */
void vshJobBarFinish(vshJobBar *bar, gboolean ok);

/* How far the job is; FALSE when that cannot be told now (the job has
 * not started, or the domain is not there yet). Called from the calling
 * thread while the worker runs. */
typedef gboolean (*vshJobProbeFunc)(void *opaque, guint64 *ret_remaining,
                                    guint64 *ret_total);

typedef struct {
    const char *label;         /* "Save", "Restore", "Managed save" */
    FILE *out;                 /* where the bar goes (stderr) */
    guint pollMs;              /* 0: VSH_JOB_POLL_MS */
    int (*run)(void *runData); /* the blocking call, in the worker thread */
    void *runData;
    /* in the calling thread */
    vshJobProbeFunc probe;
    void (*abort)(void *opaque); /* on Ctrl-C; NULL: Ctrl-C is ignored */
    void *opaque;                /* of probe and abort */
} vshJob;

/* Runs @job with its bar and returns what job->run returned (negative:
 * failed). Should no thread start, the call runs here, without a bar. */
int vshJobRun(const vshJob *job);

#endif /* VSH_JOB_H */
