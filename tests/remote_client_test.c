/*
 * remote_client_test.c: libvmm.so's remote driver against a real vmmd.
 * Each test starts its own vmmd on a private --root (test:///default
 * behind it), talks to it through the public API only, and kills it in
 * teardown whatever happened. Without a built daemon/vmmd every test is
 * skipped.
 *
 * Covered: calls and the daemon's errors; eight threads pipelining calls
 * on one connection; lifecycle events caused by another connection; the
 * close callback when the daemon goes away; which URIs go remote.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <vmm/vmm.h>

#define THREADS 8
#define ITERATIONS 150
#define WAIT_SECONDS 10

typedef struct {
    char *root;
    char *uri;
    GPid pid; /* 0 once reaped */
} daemonFixture;

static char *vmmdPath(void)
{
    const char *builddir = g_getenv("VMM_TEST_BUILDDIR");

    if (!builddir)
        builddir = "tests";
    return g_build_filename(builddir, "..", "daemon", "vmmd", NULL);
}

static void removeTree(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (!dir) {
        g_unlink(path);
        return;
    }
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
            !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            removeTree(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}

static bool waitForFile(const char *path)
{
    for (int i = 0; i < WAIT_SECONDS * 100; i++) {
        if (g_file_test(path, G_FILE_TEST_EXISTS))
            return true;
        g_usleep(10 * 1000);
    }
    return false;
}

static void daemonStop(daemonFixture *fx, int sig)
{
    int status;

    if (!fx->pid)
        return;
    kill(fx->pid, sig);
    for (int i = 0; i < WAIT_SECONDS * 100; i++) {
        if (waitpid(fx->pid, &status, WNOHANG) == fx->pid) {
            fx->pid = 0;
            return;
        }
        g_usleep(10 * 1000);
    }
    kill(fx->pid, SIGKILL);
    waitpid(fx->pid, &status, 0);
    fx->pid = 0;
}

/* Runs in the child before exec: a test that dies (an assertion aborts
 * it before teardown) takes its daemon along. */
static void dieWithParent(gpointer unused)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static void daemonSetUp(daemonFixture *fx, gconstpointer data)
{
    g_autofree char *vmmd = vmmdPath();
    g_autofree char *sock = NULL;
    g_autoptr(GError) err = NULL;
    char *argv[] = {vmmd, (char *)"--root", NULL, NULL};

    if (!g_file_test(vmmd, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("daemon/vmmd is not built");
        return;
    }
    fx->root = g_dir_make_tmp("remote-test-XXXXXX", &err);
    g_assert_no_error(err);
    argv[2] = fx->root;
    g_assert_true(
        g_spawn_async(NULL, argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      dieWithParent, NULL, &fx->pid, &err));
    g_assert_no_error(err);
    sock = g_build_filename(fx->root, "run", "vmm", "vmm-sock", NULL);
    g_assert_true(waitForFile(sock));
    fx->uri = g_strdup_printf("test+unix:///default?socket=%s", sock);
}

static void daemonTearDown(daemonFixture *fx, gconstpointer data)
{
    daemonStop(fx, SIGTERM);
    if (fx->root)
        removeTree(fx->root);
    g_free(fx->root);
    g_free(fx->uri);
}

static vmmConnectPtr openRemote(daemonFixture *fx)
{
    vmmConnectPtr conn = vmmConnectOpen(fx->uri);

    if (!conn)
        g_error("cannot open %s: %s", fx->uri, vmmGetLastErrorMessage());
    return conn;
}

#define DOMAIN_XML                                                             \
    "<domain type='test'><name>%s</name><memory>65536</memory>"                \
    "<vcpu>1</vcpu><os><type>hvm</type></os></domain>"

/* ---- plain calls ---- */

static void testCalls(daemonFixture *fx, gconstpointer data)
{
    vmmConnectPtr conn;
    vmmDomainPtr dom;
    vmmDomainPtr *list = NULL;
    vmmDomainInfo info;
    g_autofree char *xml = NULL;
    unsigned long version = 0;
    int n;

    if (g_test_failed() || !fx->uri)
        return;
    conn = openRemote(fx);
    g_assert_cmpint(vmmConnectIsAlive(conn), ==, 1);
    g_assert_cmpint(vmmConnectIsSecure(conn), ==, 1);
    g_assert_cmpint(vmmConnectIsEncrypted(conn), ==, 0);
    g_assert_cmpint(vmmConnectGetVersion(conn, &version), ==, 0);
    g_assert_cmpuint(version, >, 0);

    dom = vmmDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VMM_DOMAIN_RUNNING);
    xml = vmmDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(xml, "<name>test</name>"));
    vmmDomainFree(dom);

    n = vmmConnectListAllDomains(conn, &list, 0);
    g_assert_cmpint(n, >=, 1);
    g_assert_null(list[n]);
    for (int i = 0; i < n; i++)
        vmmDomainFree(list[i]);
    g_free(list);
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
}

/* The daemon's error, code and words, reaches the caller. */
static void testErrors(daemonFixture *fx, gconstpointer data)
{
    vmmConnectPtr conn;
    vmmErrorPtr err;

    if (g_test_failed() || !fx->uri)
        return;
    conn = openRemote(fx);
    g_assert_null(vmmDomainLookupByName(conn, "nosuch"));
    err = vmmGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VMM_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(err->message, "'nosuch'"));

    g_assert_null(vmmDomainDefineXML(conn, "<domain"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_XML_ERROR);
    vmmConnectClose(conn);
}

/* ---- eight threads on one connection ---- */

typedef struct {
    vmmConnectPtr conn;
    int index;
    int failures;
} worker;

static void workerFail(worker *w, const char *what)
{
    g_printerr("thread %d: %s failed: %s\n", w->index, what,
               vmmGetLastErrorMessage());
    w->failures++;
}

static void workerIteration(worker *w, const char *name, const char *xml)
{
    vmmDomainPtr dom = vmmDomainLookupByName(w->conn, "test");
    vmmDomainPtr own;
    vmmDomainInfo info;

    if (!dom || vmmDomainGetInfo(dom, &info) < 0 ||
        info.state != VMM_DOMAIN_RUNNING)
        workerFail(w, "lookup and info of 'test'");
    if (dom)
        vmmDomainFree(dom);

    if (!(own = vmmDomainDefineXML(w->conn, xml))) {
        workerFail(w, "define");
        return;
    }
    if (strcmp(vmmDomainGetName(own), name) != 0)
        workerFail(w, "name of the defined domain");
    if (vmmDomainUndefine(own) < 0)
        workerFail(w, "undefine");
    vmmDomainFree(own);
}

static gpointer workerRun(gpointer opaque)
{
    worker *w = opaque;
    g_autofree char *name = g_strdup_printf("thread%d", w->index);
    g_autofree char *xml = g_strdup_printf(DOMAIN_XML, name);

    for (int i = 0; i < ITERATIONS; i++)
        workerIteration(w, name, xml);
    return NULL;
}

static void testThreads(daemonFixture *fx, gconstpointer data)
{
    worker workers[THREADS] = {0};
    GThread *threads[THREADS];
    vmmConnectPtr conn;

    if (g_test_failed() || !fx->uri)
        return;
    conn = openRemote(fx);
    for (int i = 0; i < THREADS; i++) {
        workers[i].conn = conn;
        workers[i].index = i;
        threads[i] = g_thread_new("worker", workerRun, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(workers[i].failures, ==, 0);
    }
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    vmmConnectClose(conn);
}

/* ---- events caused by another connection ---- */

typedef struct {
    GArray *events; /* int: event * 100 + detail, for "d1" only */
    bool closed;
    int closeReason;
} loopState;

static void onLifecycle(vmmConnectPtr conn, vmmDomainPtr dom, int event,
                        int detail, void *opaque)
{
    loopState *st = opaque;
    int code = event * 100 + detail;

    if (strcmp(vmmDomainGetName(dom), "d1") == 0)
        g_array_append_val(st->events, code);
}

static void onTimeout(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

/* Iterates the default loop until @done says so or time runs out. */
static void runLoopUntil(bool (*done)(loopState *), loopState *st)
{
    bool expired = false;
    int timer =
        vmmEventAddTimeout(WAIT_SECONDS * 1000, onTimeout, &expired, NULL);

    while (!expired && !done(st))
        vmmEventRunDefaultImpl();
    vmmEventRemoveTimeout(timer);
}

static bool fourEvents(loopState *st)
{
    return st->events->len >= 4;
}

static void testEvents(daemonFixture *fx, gconstpointer data)
{
    loopState st = {.events = g_array_new(FALSE, FALSE, sizeof(int))};
    g_autofree char *xml = g_strdup_printf(DOMAIN_XML, "d1");
    vmmConnectPtr listener, actor;
    vmmDomainPtr dom;
    int id;

    if (g_test_failed() || !fx->uri) {
        g_array_unref(st.events);
        return;
    }
    vmmEventRegisterDefaultImpl();
    listener = openRemote(fx);
    actor = openRemote(fx);
    id = vmmConnectDomainEventRegisterAny(
        listener, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &st, NULL);
    g_assert_cmpint(id, >=, 0);

    dom = vmmDomainDefineXML(actor, xml);
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    vmmDomainFree(dom);

    runLoopUntil(fourEvents, &st);
    g_assert_cmpuint(st.events->len, ==, 4);
    g_assert_cmpint(g_array_index(st.events, int, 0) / 100, ==,
                    VMM_DOMAIN_EVENT_DEFINED);
    g_assert_cmpint(g_array_index(st.events, int, 1) / 100, ==,
                    VMM_DOMAIN_EVENT_STARTED);
    g_assert_cmpint(g_array_index(st.events, int, 2) / 100, ==,
                    VMM_DOMAIN_EVENT_STOPPED);
    g_assert_cmpint(g_array_index(st.events, int, 3) / 100, ==,
                    VMM_DOMAIN_EVENT_UNDEFINED);

    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(listener, id), ==, 0);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(listener, id), ==, -1);
    vmmConnectClose(actor);
    vmmConnectClose(listener);
    g_array_unref(st.events);
}

/* ---- the daemon goes away ---- */

static void onClose(vmmConnectPtr conn, int reason, void *opaque)
{
    loopState *st = opaque;

    st->closed = true;
    st->closeReason = reason;
}

static bool isClosed(loopState *st)
{
    return st->closed;
}

static void testCloseCallback(daemonFixture *fx, gconstpointer data)
{
    loopState st = {0};
    vmmConnectPtr conn;

    if (g_test_failed() || !fx->uri)
        return;
    vmmEventRegisterDefaultImpl();
    conn = openRemote(fx);
    g_assert_cmpint(vmmConnectRegisterCloseCallback(conn, onClose, &st, NULL),
                    ==, 0);
    daemonStop(fx, SIGKILL);

    runLoopUntil(isClosed, &st);
    g_assert_true(st.closed);
    g_assert_cmpint(st.closeReason, ==, VMM_CONNECT_CLOSE_REASON_EOF);
    g_assert_cmpint(vmmConnectIsAlive(conn), ==, 0);
    g_assert_null(vmmDomainLookupByName(conn, "test"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_SYSTEM_ERROR);
    vmmConnectClose(conn);
}

/* ---- which URIs go remote (no daemon needed) ---- */

static const char *const daemonURIs[] = {"qemu:///system", "xen:///system",
                                         "openvz:///system"};

static void testURIs(void)
{
    vmmConnectPtr conn = vmmConnectOpen("test:///default");

    g_assert_nonnull(conn);
    g_assert_cmpstr(vmmConnectGetType(conn), ==, "TEST");
    vmmConnectClose(conn);

    /* TLS, also for a host without a transport: the files are read
     * before connecting, and a missing one is named. */
    g_assert_null(
        vmmConnectOpen("test+tls://localhost/default?pkipath=/nonexistent"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_SYSTEM_ERROR);
    g_assert_nonnull(
        strstr(vmmGetLastErrorMessage(), "/nonexistent/cacert.pem"));
    g_assert_null(
        vmmConnectOpen("test://localhost/default?pkipath=/nonexistent"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_SYSTEM_ERROR);
    g_assert_null(vmmConnectOpen("test+bogus:///default"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_null(
        vmmConnectOpen("test+unix:///default?socket=/nonexistent/sock"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "/nonexistent/sock"));

    /* Daemon-only drivers go to the local vmmd's sockets; checked only
     * where no system vmmd listens. */
    if (g_file_test("/run/vmm/vmm-sock", G_FILE_TEST_EXISTS) ||
        g_file_test("/run/vmm/vmm-sock-ro", G_FILE_TEST_EXISTS))
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(daemonURIs); i++) {
        g_assert_null(vmmConnectOpen(daemonURIs[i]));
        g_assert_nonnull(
            strstr(vmmGetLastErrorMessage(), "'/run/vmm/vmm-sock'"));
        g_assert_null(vmmConnectOpenReadOnly(daemonURIs[i]));
        g_assert_nonnull(
            strstr(vmmGetLastErrorMessage(), "'/run/vmm/vmm-sock-ro'"));
    }
}

#define ADD_DAEMON_TEST(name, func)                                            \
    g_test_add(name, daemonFixture, NULL, daemonSetUp, func, daemonTearDown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/remote/uris", testURIs);
    ADD_DAEMON_TEST("/remote/calls", testCalls);
    ADD_DAEMON_TEST("/remote/errors", testErrors);
    ADD_DAEMON_TEST("/remote/threads", testThreads);
    ADD_DAEMON_TEST("/remote/events", testEvents);
    ADD_DAEMON_TEST("/remote/close-callback", testCloseCallback);
    return g_test_run();
}
