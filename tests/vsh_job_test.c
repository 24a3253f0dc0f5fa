/*
 * vsh_job_test.c: the progress bar of vsh's save, restore and
 * managedsave (tools/vsh/vsh_job.c): the percentage and its text as
 * virsh prints them, redrawing only on change, the sizes and job types
 * of domjobinfo, and the worker thread with its polls and Ctrl-C. The
 * jobs here are plain functions that step through a few stages in
 * lock-step with the polls; the real jobs are in tests/vsh_progress_test.py.
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "vsh_job.h"

static void testPercent(void)
{
    g_assert_cmpint(vshJobPercent(0, 0, TRUE), ==, 100);
    g_assert_cmpint(vshJobPercent(50, 100, TRUE), ==, 100);
    g_assert_cmpint(vshJobPercent(100, 100, FALSE), ==, 0);
    g_assert_cmpint(vshJobPercent(58, 100, FALSE), ==, 42);
    g_assert_cmpint(vshJobPercent(1, 3, FALSE), ==, 66);
    /* nothing left but the call has not returned */
    g_assert_cmpint(vshJobPercent(0, 100, FALSE), ==, 99);
    g_assert_cmpint(vshJobPercent(1, G_MAXUINT64, FALSE), ==, 99);
    /* no total yet: nothing to draw */
    g_assert_cmpint(vshJobPercent(0, 0, FALSE), ==, -1);
    g_assert_cmpint(vshJobPercent(5, 0, FALSE), ==, -1);
    /* more left than the total (a total that grew): not below 0 */
    g_assert_cmpint(vshJobPercent(300, 100, FALSE), ==, 0);
    /* sizes whose product by 100 does not fit in 64 bits */
    g_assert_cmpint(vshJobPercent(G_MAXUINT64 / 4, G_MAXUINT64, FALSE), ==, 75);
}

static void testFormat(void)
{
    g_autofree char *zero = vshJobFormat("Save", 0);
    g_autofree char *some = vshJobFormat("Restore", 42);
    g_autofree char *all = vshJobFormat("Managed save", 100);

    g_assert_cmpstr(zero, ==, "\rSave: [  0 %]");
    g_assert_cmpstr(some, ==, "\rRestore: [ 42 %]");
    g_assert_cmpstr(all, ==, "\rManaged save: [100 %]");
}

static void testInfoProgress(void)
{
    vmmDomainJobInfo save = {.type = VMM_DOMAIN_JOB_BOUNDED,
                             .dataTotal = 1000,
                             .dataProcessed = 250,
                             .dataRemaining = 750,
                             .memTotal = 10};
    vmmDomainJobInfo restore = {
        .type = VMM_DOMAIN_JOB_BOUNDED, .fileTotal = 400, .fileProcessed = 100};
    vmmDomainJobInfo mem = {
        .type = VMM_DOMAIN_JOB_BOUNDED, .memTotal = 8, .memRemaining = 2};
    vmmDomainJobInfo unbounded = {.type = VMM_DOMAIN_JOB_UNBOUNDED,
                                  .dataTotal = 1000};
    vmmDomainJobInfo empty = {.type = VMM_DOMAIN_JOB_BOUNDED};
    vmmDomainJobInfo none = {.type = VMM_DOMAIN_JOB_NONE};
    guint64 remaining = 1, total = 1;

    g_assert_true(vshJobInfoProgress(&save, &remaining, &total));
    g_assert_cmpuint(remaining, ==, 750);
    g_assert_cmpuint(total, ==, 1000);
    g_assert_true(vshJobInfoProgress(&restore, &remaining, &total));
    g_assert_cmpuint(remaining, ==, 300);
    g_assert_cmpuint(total, ==, 400);
    g_assert_cmpint(vshJobPercent(remaining, total, FALSE), ==, 25);
    g_assert_true(vshJobInfoProgress(&mem, &remaining, &total));
    g_assert_cmpuint(remaining, ==, 2);
    g_assert_cmpuint(total, ==, 8);

    /* no measure: the outputs stay as they were */
    remaining = total = 7;
    g_assert_false(vshJobInfoProgress(&unbounded, &remaining, &total));
    g_assert_false(vshJobInfoProgress(&empty, &remaining, &total));
    g_assert_false(vshJobInfoProgress(&none, &remaining, &total));
    g_assert_cmpuint(remaining, ==, 7);
    g_assert_cmpuint(total, ==, 7);
}

static void testScaleBytes(void)
{
    const char *unit = NULL;

    g_assert_cmpfloat(vshJobScaleBytes(0, &unit), ==, 0);
    g_assert_cmpstr(unit, ==, "B");
    g_assert_cmpfloat(vshJobScaleBytes(1023, &unit), ==, 1023);
    g_assert_cmpstr(unit, ==, "B");
    g_assert_cmpfloat(vshJobScaleBytes(1024, &unit), ==, 1);
    g_assert_cmpstr(unit, ==, "KiB");
    g_assert_cmpfloat(vshJobScaleBytes(1536ULL * 1024, &unit), ==, 1.5);
    g_assert_cmpstr(unit, ==, "MiB");
    g_assert_cmpfloat(vshJobScaleBytes(128ULL << 30, &unit), ==, 128);
    g_assert_cmpstr(unit, ==, "GiB");
    /* TiB is the largest unit */
    g_assert_cmpfloat(vshJobScaleBytes(2048ULL << 40, &unit), ==, 2048);
    g_assert_cmpstr(unit, ==, "TiB");
}

static void testTypeName(void)
{
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_NONE, FALSE), ==, "None");
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_BOUNDED, FALSE), ==,
                    "Bounded");
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_UNBOUNDED, FALSE), ==,
                    "Unbounded");
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_COMPLETED, FALSE), ==,
                    "Completed");
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_FAILED, FALSE), ==, "Failed");
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_CANCELLED, TRUE), ==,
                    "cancelled");
    g_assert_cmpstr(vshJobTypeName(VMM_DOMAIN_JOB_LAST, FALSE), ==, "None");
    g_assert_cmpstr(vshJobTypeName(-1, TRUE), ==, "none");
}

/* A FILE in memory and what was written to it. */
typedef struct {
    char *text;
    size_t len;
    FILE *out;
} testOutput;

static void testOutputOpen(testOutput *o)
{
    o->text = NULL;
    o->len = 0;
    o->out = open_memstream(&o->text, &o->len);
    g_assert_nonnull(o->out);
}

/* Closes the stream; the caller frees the text. */
static char *testOutputClose(testOutput *o)
{
    fclose(o->out);
    return o->text;
}

static void testBarRedraw(void)
{
    testOutput o;
    g_autofree char *text = NULL;
    vshJobBar bar;

    testOutputOpen(&o);
    vshJobBarInit(&bar, "Save", o.out);
    g_assert_true(vshJobBarDraw(&bar, 0));
    g_assert_false(vshJobBarDraw(&bar, 0));
    g_assert_false(vshJobBarDraw(&bar, -1));
    g_assert_true(vshJobBarDraw(&bar, 42));
    g_assert_false(vshJobBarDraw(&bar, 42));
    vshJobBarFinish(&bar, TRUE);
    text = testOutputClose(&o);
    g_assert_cmpstr(text, ==,
                    "\rSave: [  0 %]\rSave: [ 42 %]\rSave: [100 %]\n");
}

static void testBarFailed(void)
{
    testOutput o;
    g_autofree char *drawn = NULL;
    g_autofree char *silent = NULL;
    vshJobBar bar;

    /* the line ends where the job stopped */
    testOutputOpen(&o);
    vshJobBarInit(&bar, "Restore", o.out);
    vshJobBarDraw(&bar, 17);
    vshJobBarFinish(&bar, FALSE);
    drawn = testOutputClose(&o);
    g_assert_cmpstr(drawn, ==, "\rRestore: [ 17 %]\n");

    /* nothing drawn, nothing to end */
    testOutputOpen(&o);
    vshJobBarInit(&bar, "Restore", o.out);
    vshJobBarFinish(&bar, FALSE);
    silent = testOutputClose(&o);
    g_assert_cmpstr(silent, ==, "");
}

/* A job of TEST_STEPS stages: the worker moves to the next stage only
 * once a poll has seen the current one, so every stage is drawn. */
#define TEST_STEPS 5

typedef struct {
    GMutex lock;
    GCond cond;
    int step; /* the stage the worker is in */
    int seen; /* the last stage a poll saw */
    int probes;
    int aborts;
    gboolean interrupt; /* the worker sends SIGINT and waits for abort */
    GThread *caller;
    gboolean probedElsewhere; /* a probe ran outside the calling thread */
} testJob;

static int testJobRun(void *opaque)
{
    testJob *t = opaque;
    int s;

    g_mutex_lock(&t->lock);
    if (t->interrupt) {
        g_mutex_unlock(&t->lock);
        kill(getpid(), SIGINT);
        g_mutex_lock(&t->lock);
        while (t->aborts == 0)
            g_cond_wait(&t->cond, &t->lock);
        g_mutex_unlock(&t->lock);
        return -1;
    }
    for (s = 1; s < TEST_STEPS; s++) {
        while (t->seen < t->step)
            g_cond_wait(&t->cond, &t->lock);
        t->step = s;
    }
    while (t->seen < t->step)
        g_cond_wait(&t->cond, &t->lock);
    g_mutex_unlock(&t->lock);
    return 7;
}

static gboolean testJobProbe(void *opaque, guint64 *ret_remaining,
                             guint64 *ret_total)
{
    testJob *t = opaque;

    g_mutex_lock(&t->lock);
    if (g_thread_self() != t->caller)
        t->probedElsewhere = TRUE;
    t->probes++;
    t->seen = t->step;
    *ret_remaining = TEST_STEPS - t->step;
    *ret_total = TEST_STEPS;
    g_cond_broadcast(&t->cond);
    g_mutex_unlock(&t->lock);
    return TRUE;
}

static void testJobAbort(void *opaque)
{
    testJob *t = opaque;

    g_mutex_lock(&t->lock);
    t->aborts++;
    g_cond_broadcast(&t->cond);
    g_mutex_unlock(&t->lock);
}

static void testJobInit(testJob *t)
{
    *t = (testJob){.caller = g_thread_self(), .seen = -1};
    g_mutex_init(&t->lock);
    g_cond_init(&t->cond);
}

static void testJobClear(testJob *t)
{
    g_cond_clear(&t->cond);
    g_mutex_clear(&t->lock);
}

static void testRunProgress(void)
{
    testJob t;
    testOutput o;
    g_autofree char *text = NULL;
    vshJob job = {.label = "Save",
                  .pollMs = 5,
                  .run = testJobRun,
                  .probe = testJobProbe,
                  .abort = testJobAbort};

    testJobInit(&t);
    testOutputOpen(&o);
    job.out = o.out;
    job.runData = job.opaque = &t;
    g_assert_cmpint(vshJobRun(&job), ==, 7);
    text = testOutputClose(&o);
    /* each stage once, in order, then the end */
    g_assert_cmpstr(text, ==,
                    "\rSave: [  0 %]\rSave: [ 20 %]\rSave: [ 40 %]"
                    "\rSave: [ 60 %]\rSave: [ 80 %]\rSave: [100 %]\n");
    g_assert_cmpint(t.probes, >=, TEST_STEPS);
    g_assert_false(t.probedElsewhere);
    g_assert_cmpint(t.aborts, ==, 0);
    testJobClear(&t);
}

static void testRunInterrupted(void)
{
    testJob t;
    testOutput o;
    g_autofree char *text = NULL;
    struct sigaction now;
    vshJob job = {.label = "Managed save",
                  .pollMs = 5,
                  .run = testJobRun,
                  .probe = testJobProbe,
                  .abort = testJobAbort};

    testJobInit(&t);
    t.interrupt = TRUE;
    testOutputOpen(&o);
    job.out = o.out;
    job.runData = job.opaque = &t;
    /* Ctrl-C aborts the job, and the failed call ends the bar */
    g_assert_cmpint(vshJobRun(&job), ==, -1);
    text = testOutputClose(&o);
    g_assert_cmpint(t.aborts, ==, 1);
    g_assert_true(g_str_has_prefix(text, "\rManaged save: [  0 %]"));
    g_assert_true(g_str_has_suffix(text, "\n"));
    g_assert_null(strstr(text, "[100 %]"));
    /* the shell's own SIGINT handling is back */
    g_assert_cmpint(sigaction(SIGINT, NULL, &now), ==, 0);
    g_assert_true(now.sa_handler == SIG_DFL);
    testJobClear(&t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vsh/job/percent", testPercent);
    g_test_add_func("/vsh/job/format", testFormat);
    g_test_add_func("/vsh/job/info-progress", testInfoProgress);
    g_test_add_func("/vsh/job/scale-bytes", testScaleBytes);
    g_test_add_func("/vsh/job/type-name", testTypeName);
    g_test_add_func("/vsh/job/bar-redraw", testBarRedraw);
    g_test_add_func("/vsh/job/bar-failed", testBarFailed);
    g_test_add_func("/vsh/job/run-progress", testRunProgress);
    g_test_add_func("/vsh/job/run-interrupted", testRunInterrupted);
    return g_test_run();
}
