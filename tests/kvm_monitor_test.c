/*
 * kvm_monitor_test.c: the QMP client against a real qemu-system-x86_64
 * (-machine none, so nothing boots): greeting and version, query-status,
 * stop / cont with their STOP / RESUME events, a QMP error, commands from
 * several threads at once, and quit ending in EOF. Skips when QEMU is
 * absent. QEMU is killed in teardown whatever happened.
 */
#include <config.h>

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util_error.h"
#include "kvm_monitor.h"
#include "kvm_testlib.h"

typedef struct {
    char *qemu;
    char *dir;
    char *sock;
    pid_t pid;
    kvmMonitor *mon;

    GMutex lock;
    GCond cond;
    GPtrArray *events; /* names, in order */
    bool eof;
    bool eofError;
} Fixture;

static void onEvent(kvmMonitor *mon G_GNUC_UNUSED, const char *name,
                    const jsonValue *data G_GNUC_UNUSED, long long seconds,
                    unsigned int micros G_GNUC_UNUSED, void *opaque)
{
    Fixture *f = opaque;

    g_assert_cmpint(seconds, >, 0);
    g_mutex_lock(&f->lock);
    g_ptr_array_add(f->events, g_strdup(name));
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
}

static void onEOF(kvmMonitor *mon G_GNUC_UNUSED, bool error, void *opaque)
{
    Fixture *f = opaque;

    g_mutex_lock(&f->lock);
    f->eof = true;
    f->eofError = error;
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
}

static const kvmMonitorCallbacks callbacks = {
    .event = onEvent,
    .eof = onEOF,
};

static void setup(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_mutex_init(&f->lock);
    g_cond_init(&f->cond);
    f->events = g_ptr_array_new_with_free_func(g_free);
    if (!(f->qemu = kvmTestFindQemu()))
        return;
    f->dir = g_dir_make_tmp("vmm-kvm-monitor-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->sock = g_build_filename(f->dir, "qmp.sock", NULL);
    f->pid = kvmTestStartBareQemu(f->qemu, f->sock);
    if (kvmMonitorOpen(f->sock, 10000, &callbacks, f, &f->mon) < 0)
        g_error("kvmMonitorOpen: %s", errorGetLast()->message);
}

static void teardown(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    kvmMonitorClose(f->mon);
    kvmTestKill(f->pid);
    if (f->sock)
        g_unlink(f->sock);
    if (f->dir)
        g_rmdir(f->dir);
    g_free(f->sock);
    g_free(f->dir);
    g_free(f->qemu);
    g_ptr_array_unref(f->events);
    g_cond_clear(&f->cond);
    g_mutex_clear(&f->lock);
}

/* Waits up to 10 s for event @name to have been seen. */
static void waitEvent(Fixture *f, const char *name)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    bool seen = false;

    g_mutex_lock(&f->lock);
    while (!seen) {
        for (guint i = 0; i < f->events->len && !seen; i++)
            seen = g_str_equal(g_ptr_array_index(f->events, i), name);
        if (!seen && !g_cond_wait_until(&f->cond, &f->lock, deadline))
            break;
    }
    g_mutex_unlock(&f->lock);
    if (!seen)
        g_error("event %s never came", name);
}

#define SKIP_WITHOUT_QEMU(f)                                                   \
    do {                                                                       \
        if (!(f)->qemu) {                                                      \
            g_test_skip("qemu-system-x86_64 not found");                       \
            return;                                                            \
        }                                                                      \
    } while (0)

static void testStatus(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autofree char *status = NULL;
    unsigned int major, minor, micro;
    bool running = false;

    SKIP_WITHOUT_QEMU(f);
    kvmMonitorGetVersion(f->mon, &major, &minor, &micro);
    g_assert_cmpuint(major, >=, 2);
    g_assert_true(kvmMonitorIsOpen(f->mon));
    g_assert_cmpint(kvmMonitorQueryStatus(f->mon, &status, &running), ==, 0);
    g_assert_cmpstr(status, ==, "running");
    g_assert_true(running);
}

static void testStopCont(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autofree char *status = NULL;
    bool running = true;

    SKIP_WITHOUT_QEMU(f);
    g_assert_cmpint(kvmMonitorCommand(f->mon, "stop", NULL, NULL), ==, 0);
    waitEvent(f, "STOP");
    g_assert_cmpint(kvmMonitorQueryStatus(f->mon, &status, &running), ==, 0);
    g_assert_cmpstr(status, ==, "paused");
    g_assert_false(running);
    g_assert_cmpint(kvmMonitorCommand(f->mon, "cont", NULL, NULL), ==, 0);
    waitEvent(f, "RESUME");
}

static void testError(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(jsonValue) reply = NULL;
    const vmmError *err;

    SKIP_WITHOUT_QEMU(f);
    errorReset();
    g_assert_cmpint(kvmMonitorCommand(f->mon, "no-such-command", NULL, NULL),
                    ==, -1);
    err = errorGetLast();
    g_assert_cmpint(err->code, ==, VMM_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(err->message, "no-such-command"));

    /* Arguments are passed through, and the reply is handed back. */
    g_assert_cmpint(jsonObjectAppendString(args, "path", "/machine"), ==, 0);
    g_assert_cmpint(kvmMonitorCommand(f->mon, "qom-list", args, &reply), ==, 0);
    g_assert_cmpint(jsonValueGetType(reply), ==, JSON_TYPE_ARRAY);
    g_assert_cmpuint(jsonArraySize(reply), >, 0);
}

static gpointer queryLoop(gpointer data)
{
    kvmMonitor *mon = data;

    for (int i = 0; i < 50; i++) {
        g_autofree char *status = NULL;

        if (kvmMonitorQueryStatus(mon, &status, NULL) < 0)
            return GINT_TO_POINTER(1);
    }
    return NULL;
}

static void testThreads(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    GThread *threads[4];

    SKIP_WITHOUT_QEMU(f);
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        threads[i] = g_thread_new("query", queryLoop, f->mon);
    for (size_t i = 0; i < G_N_ELEMENTS(threads); i++)
        g_assert_null(g_thread_join(threads[i]));
}

static void testQuit(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;

    SKIP_WITHOUT_QEMU(f);
    g_assert_cmpint(kvmMonitorCommand(f->mon, "quit", NULL, NULL), ==, 0);
    g_mutex_lock(&f->lock);
    while (!f->eof && g_cond_wait_until(&f->cond, &f->lock, deadline))
        ;
    g_mutex_unlock(&f->lock);
    g_assert_true(f->eof);
    g_assert_false(f->eofError);
    g_assert_false(kvmMonitorIsOpen(f->mon));
    g_assert_true(kvmTestWaitExit(f->pid, 10000));
    f->pid = 0;

    errorReset();
    g_assert_cmpint(kvmMonitorCommand(f->mon, "query-status", NULL, NULL), ==,
                    -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_OPERATION_FAILED);
}

static void testNoSocket(void)
{
    kvmMonitor *mon = NULL;

    errorReset();
    g_assert_cmpint(
        kvmMonitorOpen("/nonexistent/qmp.sock", 50, NULL, NULL, &mon), ==, -1);
    g_assert_null(mon);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_SYSTEM_ERROR);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    ADD("/kvm/monitor/status", testStatus);
    ADD("/kvm/monitor/stop-cont", testStopCont);
    ADD("/kvm/monitor/error", testError);
    ADD("/kvm/monitor/threads", testThreads);
    ADD("/kvm/monitor/quit", testQuit);
#undef ADD
    g_test_add_func("/kvm/monitor/no-socket", testNoSocket);
    return g_test_run();
}
