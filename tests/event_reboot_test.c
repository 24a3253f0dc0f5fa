/*
 * event_reboot_test.c: REBOOT domain events (VMM_DOMAIN_EVENT_ID_REBOOT)
 * from the test driver's reboot, through the public API of libvmm.so:
 * in process on test:///default, and over a private vmmd (--root, spawned
 * here, test:///default behind it) from a second connection. Each callback
 * gets only the events of its own id and domain, exactly once. Without a
 * built daemon/vmmd the daemon case is skipped.
 */
#include <config.h>

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <vmm/vmm.h>

#define WAIT_SECONDS 10

/* The guest test:///default starts with, running. */
#define DEFAULT_GUEST "test"

/* What the callbacks saw, one "KIND NAME" line each. */
typedef struct {
    GString *log;
    int count;
} eventLog;

static void onReboot(vmmConnectPtr conn, vmmDomainPtr dom, void *opaque)
{
    eventLog *log = opaque;

    g_assert_true(vmmDomainGetConnect(dom) == conn);
    g_string_append_printf(log->log, "reboot %s id=%s\n", vmmDomainGetName(dom),
                           vmmDomainGetID(dom) == (unsigned int)-1 ? "none"
                                                                   : "set");
    log->count++;
}

static void onLifecycle(vmmConnectPtr conn, vmmDomainPtr dom, int event,
                        int detail, void *opaque)
{
    eventLog *log = opaque;

    g_string_append_printf(log->log, "lifecycle %s %d/%d\n",
                           vmmDomainGetName(dom), event, detail);
    log->count++;
}

static void onTimeout(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

/* Runs the default loop until @log has @count events (or for @ms when
 * @count < 0, to see that nothing more comes). */
static void runLoop(eventLog *log, int count, int ms)
{
    bool expired = false;
    int timer = vmmEventAddTimeout(ms, onTimeout, &expired, NULL);

    g_assert_cmpint(timer, >=, 1);
    while (!expired && (count < 0 || log->count < count))
        vmmEventRunDefaultImpl();
    vmmEventRemoveTimeout(timer);
}

/* Waits for the lines of @expect, checks nothing else follows, and
 * empties @log. */
static void expectEvents(eventLog *log, const char *expect)
{
    int lines = 0;

    for (const char *p = expect; *p; p++)
        lines += *p == '\n';
    runLoop(log, lines, WAIT_SECONDS * 1000);
    runLoop(log, -1, 200);
    g_assert_cmpstr(log->log->str, ==, expect);
    g_string_truncate(log->log, 0);
    log->count = 0;
}

static int registerReboot(vmmConnectPtr conn, vmmDomainPtr dom, eventLog *log)
{
    return vmmConnectDomainEventRegisterAny(
        conn, dom, VMM_DOMAIN_EVENT_ID_REBOOT,
        VMM_DOMAIN_EVENT_CALLBACK(onReboot), log, NULL);
}

static int registerLifecycle(vmmConnectPtr conn, eventLog *log)
{
    return vmmConnectDomainEventRegisterAny(
        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), log, NULL);
}

static vmmDomainPtr defineAndStart(vmmConnectPtr conn, const char *name)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='test'><name>%s</name><memory>65536</memory>"
        "<vcpu>1</vcpu><os><type>hvm</type></os></domain>",
        name);
    vmmDomainPtr dom = vmmDomainDefineXML(conn, xml);

    if (!dom || vmmDomainCreate(dom) < 0)
        g_error("define and start %s: %s", name, vmmGetLastErrorMessage());
    return dom;
}

static void removeDomain(vmmDomainPtr dom)
{
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    vmmDomainFree(dom);
}

/* @listener watches, @actor reboots (the same connection in process, two
 * clients of one daemon over vmmd). */
static void checkRebootEvents(vmmConnectPtr listener, vmmConnectPtr actor)
{
    eventLog all = {g_string_new(NULL), 0};
    eventLog mine = {g_string_new(NULL), 0};
    eventLog life = {g_string_new(NULL), 0};
    vmmDomainPtr test = vmmDomainLookupByName(actor, DEFAULT_GUEST);
    vmmDomainPtr other = defineAndStart(actor, "r2");
    vmmDomainPtr otherHere = vmmDomainLookupByName(listener, "r2");
    int idAll, idMine, idLife;

    g_assert_nonnull(test);
    g_assert_nonnull(otherHere);
    idAll = registerReboot(listener, NULL, &all);
    idMine = registerReboot(listener, otherHere, &mine);
    idLife = registerLifecycle(listener, &life);
    g_assert_cmpint(idAll, >=, 0);
    g_assert_cmpint(idMine, >=, 0);
    g_assert_cmpint(idLife, >=, 0);

    /* A reboot is a REBOOT event only: the guest stays running. */
    g_assert_cmpint(vmmDomainReboot(test, 0), ==, 0);
    g_assert_cmpint(vmmDomainReboot(other, 0), ==, 0);
    expectEvents(&all, "reboot " DEFAULT_GUEST " id=set\nreboot r2 id=set\n");
    expectEvents(&mine, "reboot r2 id=set\n");
    expectEvents(&life, "");

    /* A lifecycle change is none of the REBOOT callbacks' business. */
    g_assert_cmpint(vmmDomainSuspend(other), ==, 0);
    g_assert_cmpint(vmmDomainReboot(other, 0), ==, 0);
    expectEvents(&life, "lifecycle r2 3/0\n");
    expectEvents(&all, "reboot r2 id=set\n");
    expectEvents(&mine, "reboot r2 id=set\n");

    /* Gone once deregistered; the other callbacks stay. */
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(listener, idAll), ==, 0);
    g_assert_cmpint(vmmDomainReboot(other, 0), ==, 0);
    expectEvents(&mine, "reboot r2 id=set\n");
    expectEvents(&all, "");
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(listener, idMine), ==,
                    0);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(listener, idMine), ==,
                    -1);
    g_assert_cmpint(vmmDomainReboot(other, 0), ==, 0);
    expectEvents(&mine, "");

    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(listener, idLife), ==,
                    0);
    removeDomain(other);
    vmmDomainFree(otherHere);
    vmmDomainFree(test);
    g_string_free(all.log, TRUE);
    g_string_free(mine.log, TRUE);
    g_string_free(life.log, TRUE);
}

static void testInProcess(void)
{
    vmmConnectPtr conn = vmmConnectOpen("test:///default");

    g_assert_nonnull(conn);
    checkRebootEvents(conn, conn);
    /* An id beyond the known ones is still refused. */
    g_assert_cmpint(vmmConnectDomainEventRegisterAny(
                        conn, NULL, VMM_DOMAIN_EVENT_ID_LAST,
                        VMM_DOMAIN_EVENT_CALLBACK(onReboot), NULL, NULL),
                    ==, -1);
    vmmConnectClose(conn);
}

/* ---- over vmmd ---- */

typedef struct {
    char *root;
    char *uri;
    GPid pid; /* 0 once reaped */
} daemonFixture;

static char *vmmdPath(void)
{
    const char *builddir = g_getenv("VMM_TEST_BUILDDIR");

    return g_build_filename(builddir ? builddir : "tests", "..", "daemon",
                            "vmmd", NULL);
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

/* In the child before exec: a test that aborts takes its daemon along. */
static void dieWithParent(gpointer unused)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static bool daemonStart(daemonFixture *fx)
{
    g_autofree char *vmmd = vmmdPath();
    g_autofree char *sock = NULL;
    g_autoptr(GError) err = NULL;
    char *argv[] = {
        vmmd, (char *)"--root", NULL, (char *)"--timeout", (char *)"60", NULL};

    if (!g_file_test(vmmd, G_FILE_TEST_IS_EXECUTABLE))
        return false;
    fx->root = g_dir_make_tmp("reboot-test-XXXXXX", &err);
    g_assert_no_error(err);
    argv[2] = fx->root;
    g_assert_true(
        g_spawn_async(NULL, argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                      dieWithParent, NULL, &fx->pid, &err));
    g_assert_no_error(err);
    sock = g_build_filename(fx->root, "run", "vmm", "vmm-sock", NULL);
    for (int i = 0; i < WAIT_SECONDS * 100; i++) {
        /* The read-only socket comes last: then both listen. */
        g_autofree char *ro = g_strconcat(sock, "-ro", NULL);

        if (g_file_test(ro, G_FILE_TEST_EXISTS))
            break;
        g_usleep(10 * 1000);
    }
    fx->uri = g_strdup_printf("test+unix:///default?socket=%s", sock);
    return true;
}

static void daemonStop(daemonFixture *fx)
{
    int status;

    if (fx->pid) {
        kill(fx->pid, SIGTERM);
        waitpid(fx->pid, &status, 0);
        fx->pid = 0;
    }
    if (fx->root)
        removeTree(fx->root);
    g_free(fx->root);
    g_free(fx->uri);
}

static vmmConnectPtr openRemote(const daemonFixture *fx)
{
    vmmConnectPtr conn = vmmConnectOpen(fx->uri);

    if (!conn)
        g_error("cannot open %s: %s", fx->uri, vmmGetLastErrorMessage());
    return conn;
}

static void testOverDaemon(void)
{
    daemonFixture fx = {0};
    vmmConnectPtr listener, actor;

    if (!daemonStart(&fx)) {
        g_test_skip("daemon/vmmd is not built");
        return;
    }
    listener = openRemote(&fx);
    actor = openRemote(&fx);
    checkRebootEvents(listener, actor);
    vmmConnectClose(actor);
    vmmConnectClose(listener);
    daemonStop(&fx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_assert_cmpint(vmmEventRegisterDefaultImpl(), ==, 0);
    g_test_add_func("/event/reboot/in-process", testInProcess);
    g_test_add_func("/event/reboot/over-vmmd", testOverDaemon);
    return g_test_run();
}
