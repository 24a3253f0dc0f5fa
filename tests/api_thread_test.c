/*
 * api_thread_test.c: eight threads share one test:///default connection
 * and hammer it (lookups, info, listing, define / undefine of their own
 * domains, suspend / resume of the shared "test" domain) while a ninth
 * runs the event loop delivering lifecycle events. Nothing may crash,
 * leak or fail in a way the calls do not allow. The work is bounded by an
 * iteration count, not by time, so slow runs (valgrind) do the same work.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <vmm/vmm.h>

#define THREADS 8
#define ITERATIONS 2000

typedef struct {
    vmmConnectPtr conn;
    int index;
    int failures; /* unexpected ones */
} worker;

static gint loopStop;
static gint eventsSeen;

static void noteFailure(worker *w, const char *what)
{
    g_printerr("thread %d: %s failed: %s\n", w->index, what,
               vmmGetLastErrorMessage());
    w->failures++;
}

static void workShared(worker *w)
{
    vmmDomainPtr dom = vmmDomainLookupByName(w->conn, "test");
    vmmDomainInfo info;
    vmmDomainPtr *list = NULL;
    int n;

    if (!dom) {
        noteFailure(w, "lookup of 'test'");
        return;
    }
    if (vmmDomainGetInfo(dom, &info) < 0)
        noteFailure(w, "get-info");
    /* Another thread may have paused or resumed it a moment ago. */
    if (vmmDomainSuspend(dom) < 0 &&
        vmmGetLastErrorCode() != VMM_ERR_OPERATION_INVALID)
        noteFailure(w, "suspend");
    if (vmmDomainResume(dom) < 0 &&
        vmmGetLastErrorCode() != VMM_ERR_OPERATION_INVALID)
        noteFailure(w, "resume");
    n = vmmConnectListAllDomains(w->conn, &list, 0);
    if (n < 1)
        noteFailure(w, "list-all");
    for (int i = 0; i < n; i++)
        vmmDomainFree(list[i]);
    g_free(list);
    vmmDomainFree(dom);
}

static void workOwn(worker *w, int iteration)
{
    g_autofree char *name = g_strdup_printf("thread%d-%d", w->index, iteration);
    g_autofree char *xml = g_strdup_printf(
        "<domain type='test'><name>%s</name><memory>8192</memory>"
        "<vcpu>1</vcpu><os><type>hvm</type></os></domain>",
        name);
    vmmDomainPtr dom = vmmDomainDefineXML(w->conn, xml);
    vmmDomainPtr again;

    if (!dom) {
        noteFailure(w, "define");
        return;
    }
    again = vmmDomainLookupByName(w->conn, name);
    if (!again || strcmp(vmmDomainGetName(again), name) != 0)
        noteFailure(w, "lookup of own domain");
    if (again)
        vmmDomainFree(again);
    if (vmmDomainUndefine(dom) < 0)
        noteFailure(w, "undefine");
    vmmDomainFree(dom);
}

static gpointer workerRun(gpointer data)
{
    worker *w = data;

    for (int i = 0; i < ITERATIONS; i++) {
        workShared(w);
        workOwn(w, i);
    }
    return NULL;
}

static gpointer loopRun(gpointer data)
{
    while (!g_atomic_int_get(&loopStop))
        vmmEventRunDefaultImpl();
    return NULL;
}

static void countEvent(vmmConnectPtr conn, vmmDomainPtr dom, int event,
                       int detail, void *opaque)
{
    g_atomic_int_inc(&eventsSeen);
}

/* Fires once, only to wake the loop thread so it sees loopStop. */
static void wakeLoop(int timer, void *opaque)
{
    vmmEventRemoveTimeout(timer);
}

static void testHammer(void)
{
    vmmConnectPtr conn;
    worker workers[THREADS];
    GThread *threads[THREADS];
    GThread *loop;
    int callback;

    g_assert_cmpint(vmmEventRegisterDefaultImpl(), ==, 0);
    conn = vmmConnectOpen("test:///default");
    g_assert_nonnull(conn);
    callback = vmmConnectDomainEventRegisterAny(
        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(countEvent), NULL, NULL);
    g_assert_cmpint(callback, >=, 0);
    loop = g_thread_new("loop", loopRun, NULL);

    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.conn = conn, .index = i};
        threads[i] = g_thread_new("worker", workerRun, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(workers[i].failures, ==, 0);
    }

    g_atomic_int_set(&loopStop, 1);
    vmmEventAddTimeout(0, wakeLoop, NULL, NULL);
    g_thread_join(loop);
    /* Every define and undefine at least produced an event. */
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_assert_cmpint(g_atomic_int_get(&eventsSeen), >=,
                    2 * THREADS * ITERATIONS);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, callback), ==, 0);
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/threads/hammer", testHammer);
    return g_test_run();
}
