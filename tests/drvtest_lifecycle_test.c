/*
 * drvtest_lifecycle_test.c: starting, stopping, pausing and saving test
 * guests through the public API, the lifecycle events they emit (in order,
 * delivered by the default event loop), save images on disk, managed save,
 * and many threads sharing one connection.
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <vmm/vmm.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"
#define UUID_A "aaaaaaaa-3333-4000-8000-000000000001"

static vmmConnectPtr openDefault(void)
{
    vmmConnectPtr conn = vmmConnectOpen("test:///default");

    if (!conn)
        g_error("cannot open test:///default: %s", vmmGetLastErrorMessage());
    return conn;
}

static char *guestXML(const char *name, const char *uuid)
{
    return g_strdup_printf("<domain type='test'><name>%s</name>"
                           "<uuid>%s</uuid><memory>131072</memory>"
                           "<vcpu>1</vcpu><os><type>hvm</type></os>"
                           "</domain>",
                           name, uuid);
}

static vmmDomainPtr defineGuest(vmmConnectPtr conn, const char *name,
                                const char *uuid)
{
    g_autofree char *xml = guestXML(name, uuid);
    vmmDomainPtr dom = vmmDomainDefineXML(conn, xml);

    if (!dom)
        g_error("define %s: %s", name, vmmGetLastErrorMessage());
    return dom;
}

static void assertError(int code, const char *message)
{
    g_assert_cmpint(vmmGetLastErrorCode(), ==, code);
    if (message)
        g_assert_cmpstr(vmmGetLastErrorMessage(), ==, message);
}

static void assertState(vmmDomainPtr dom, int state, int reason)
{
    int s = -1, r = -1;

    g_assert_cmpint(vmmDomainGetState(dom, &s, &r, 0), ==, 0);
    g_assert_cmpint(s, ==, state);
    g_assert_cmpint(r, ==, reason);
}

/* Events --------------------------------------------------------------- */

typedef struct {
    GString *log;
    int count;
} eventLog;

static const char *const eventNames[] = {
    "defined", "undefined", "started",     "suspended", "resumed",
    "stopped", "shutdown",  "pmsuspended", "crashed",
};

static void onLifecycle(vmmConnectPtr conn, vmmDomainPtr dom, int event,
                        int detail, void *opaque)
{
    eventLog *log = opaque;

    g_assert_cmpint(event, >=, 0);
    g_assert_cmpint(event, <, (int)G_N_ELEMENTS(eventNames));
    g_string_append_printf(log->log, "%s %s/%d\n", vmmDomainGetName(dom),
                           eventNames[event], detail);
    log->count++;
}

static void onTimeout(int timer, void *opaque)
{
    *(bool *)opaque = true;
}

/* Runs the loop for @ms milliseconds, or until @log has @count events. */
static void runLoop(eventLog *log, int count, int ms)
{
    bool expired = false;
    int timer = vmmEventAddTimeout(ms, onTimeout, &expired, NULL);

    g_assert_cmpint(timer, >=, 1);
    while (!expired && (count < 0 || log->count < count))
        vmmEventRunDefaultImpl();
    vmmEventRemoveTimeout(timer);
}

/* Waits for the events @expect describes, then checks that no more come. */
static void expectEvents(eventLog *log, const char *expect)
{
    int lines = 0;

    for (const char *p = expect; *p; p++)
        lines += *p == '\n';
    runLoop(log, lines, 5000);
    runLoop(log, -1, 50);
    g_assert_cmpstr(log->log->str, ==, expect);
    g_string_truncate(log->log, 0);
    log->count = 0;
}

static void testEvents(void)
{
    vmmConnectPtr conn = openDefault();
    eventLog log = {g_string_new(NULL), 0};
    eventLog mine = {g_string_new(NULL), 0};
    g_autofree char *xml = guestXML("a", UUID_A);
    g_autofree char *xmlT =
        guestXML("t", "aaaaaaaa-3333-4000-8000-00000000000f");
    vmmDomainPtr dom;
    g_autofree char *xmlTest = guestXML("test", TEST_UUID);
    vmmDomainPtr transient;
    vmmDomainPtr stored;
    int id, idMine;

    id = vmmConnectDomainEventRegisterAny(
        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &log, NULL);
    g_assert_cmpint(id, >=, 0);

    dom = vmmDomainDefineXML(conn, xml);
    g_assert_nonnull(dom);
    /* Delivered before the callback for @dom exists: it must not see it. */
    expectEvents(&log, "a defined/0\n");
    idMine = vmmConnectDomainEventRegisterAny(
        conn, dom, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &mine, NULL);
    g_assert_cmpint(idMine, >=, 0);
    vmmDomainFree(vmmDomainDefineXML(conn, xml));
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_cmpint(vmmDomainResume(dom), ==, 0);
    g_assert_cmpint(vmmDomainShutdown(dom), ==, 0);
    g_assert_cmpint(vmmDomainCreateWithFlags(dom, VMM_DOMAIN_START_PAUSED), ==,
                    0);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    expectEvents(&log, "a defined/1\n"
                       "a started/0\n"
                       "a suspended/0\n"
                       "a resumed/0\n"
                       "a stopped/0\n"
                       "a started/0\n"
                       "a suspended/0\n"
                       "a stopped/1\n"
                       "a undefined/0\n");
    expectEvents(&mine, "a defined/1\n"
                        "a started/0\n"
                        "a suspended/0\n"
                        "a resumed/0\n"
                        "a stopped/0\n"
                        "a started/0\n"
                        "a suspended/0\n"
                        "a stopped/1\n"
                        "a undefined/0\n");

    transient = vmmDomainCreateXML(conn, xmlT, 0);
    g_assert_nonnull(transient);
    g_assert_cmpint(vmmDomainIsPersistent(transient), ==, 0);
    g_assert_cmpint(vmmDomainDestroy(transient), ==, 0);
    g_assert_null(vmmDomainLookupByName(conn, "t"));
    vmmDomainFree(transient);
    expectEvents(&log, "t started/0\nt stopped/1\n");
    expectEvents(&mine, "");

    /* Defining a running guest updates it; a transient one gets added. */
    stored = vmmDomainDefineXML(conn, xmlTest);
    g_assert_nonnull(stored);
    g_assert_cmpint(vmmDomainUndefine(stored), ==, 0);
    vmmDomainFree(stored);
    stored = vmmDomainDefineXML(conn, xmlTest);
    g_assert_nonnull(stored);
    vmmDomainFree(stored);
    expectEvents(&log, "test defined/1\ntest undefined/0\ntest defined/0\n");

    /* After deregistering, nothing more arrives. */
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, id), ==, 0);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, id), ==, -1);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, idMine), ==, 0);
    vmmDomainFree(vmmDomainDefineXML(conn, xml));
    expectEvents(&log, "");
    g_assert_cmpint(
        vmmConnectDomainEventRegisterAny(
            conn, NULL, 99, VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &log, NULL),
        ==, -1);

    vmmDomainFree(dom);
    vmmConnectClose(conn);
    g_string_free(log.log, TRUE);
    g_string_free(mine.log, TRUE);
}

/* A callback left registered is dropped when its connection closes. */
static void testEventsOnClose(void)
{
    vmmConnectPtr conn = openDefault();
    vmmConnectPtr other = openDefault();
    eventLog log = {g_string_new(NULL), 0};
    vmmDomainPtr dom;

    g_assert_cmpint(vmmConnectDomainEventRegisterAny(
                        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
                        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &log, NULL),
                    >=, 0);
    vmmConnectClose(conn);
    dom = vmmDomainLookupByName(other, "test");
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    expectEvents(&log, "");
    vmmDomainFree(dom);
    vmmConnectClose(other);
    g_string_free(log.log, TRUE);
}

/* States and refusals ---------------------------------------------------- */

#define NOT_VALID "Requested operation is not valid: "

static void testStateErrors(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainPtr off = defineGuest(conn, "a", UUID_A);

    assertState(off, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_UNKNOWN);
    g_assert_cmpint(vmmDomainCreate(dom), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID,
                NOT_VALID "domain is already running");
    g_assert_cmpint(vmmDomainDestroy(off), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not running");
    g_assert_cmpint(vmmDomainShutdown(off), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not running");
    g_assert_cmpint(vmmDomainReboot(off, 0), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not running");
    g_assert_cmpint(vmmDomainSuspend(off), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not running");
    g_assert_cmpint(vmmDomainResume(off), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not running");
    g_assert_cmpint(vmmDomainResume(dom), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not paused");
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID,
                NOT_VALID "domain is already paused");
    g_assert_cmpint(vmmDomainResume(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
    g_assert_cmpint(vmmDomainReboot(dom, 0), ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(vmmDomainCreateWithFlags(off, 1u << 20), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainDestroyFlags(dom, 1u << 20), ==, -1);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 1);

    g_assert_cmpint(vmmDomainShutdown(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_cmpint((int)vmmDomainGetID(dom), ==, -1);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(vmmDomainGetID(dom), ==, 2);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_DESTROYED);
    vmmDomainFree(off);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testCPUTime(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainInfo a, b, c;

    g_assert_cmpint(vmmDomainGetInfo(dom, &a), ==, 0);
    g_usleep(2000);
    g_assert_cmpint(vmmDomainGetInfo(dom, &b), ==, 0);
    g_assert_cmpuint(b.cpuTime, >, a.cpuTime);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_cmpint(vmmDomainGetInfo(dom, &b), ==, 0);
    g_usleep(2000);
    g_assert_cmpint(vmmDomainGetInfo(dom, &c), ==, 0);
    g_assert_cmpuint(c.cpuTime, ==, b.cpuTime);
    g_assert_cmpint(c.state, ==, VMM_DOMAIN_PAUSED);
    g_assert_cmpint(vmmDomainResume(dom), ==, 0);
    g_usleep(2000);
    g_assert_cmpint(vmmDomainGetInfo(dom, &c), ==, 0);
    g_assert_cmpuint(c.cpuTime, >, b.cpuTime);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testCreateXML(void)
{
    vmmConnectPtr conn = openDefault();
    g_autofree char *xml = guestXML("a", UUID_A);
    vmmDomainPtr dom = vmmDomainCreateXML(conn, xml, VMM_DOMAIN_START_PAUSED);
    vmmDomainPtr stored;

    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainGetID(dom), ==, 2);
    assertState(dom, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 0);
    g_assert_null(vmmDomainCreateXML(conn, xml, 0));
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain 'a' is already "
                                                     "active");
    g_assert_cmpint(vmmDomainShutdown(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, -1);
    assertError(VMM_ERR_NO_DOMAIN, NULL);
    vmmDomainFree(dom);

    /* Started from XML, a defined guest stays defined afterwards. */
    stored = defineGuest(conn, "a", UUID_A);
    dom = vmmDomainCreateXML(conn, xml, 0);
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(stored), ==, 0);
    vmmDomainFree(dom);
    vmmDomainFree(stored);
    vmmConnectClose(conn);
}

/* Save and restore ------------------------------------------------------- */

static void removeDir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        g_unlink(path);
    }
    g_rmdir(dir);
}

static void testSaveRestore(void)
{
    vmmConnectPtr conn = openDefault();
    eventLog log = {g_string_new(NULL), 0};
    g_autofree char *dir = g_dir_make_tmp("drvtest-XXXXXX", NULL);
    g_autofree char *image = g_build_filename(dir, "test.save", NULL);
    g_autofree char *junk = g_build_filename(dir, "junk", NULL);
    g_autofree char *content = NULL;
    g_autofree char *other = guestXML("other", TEST_UUID);
    g_autofree char *plain = guestXML("test", TEST_UUID);
    g_autofree char *titled = g_strdup_printf(
        "<domain type='test'><name>test</name><uuid>%s</uuid>"
        "<title>saved</title><memory>131072</memory><vcpu>1</vcpu>"
        "<os><type>hvm</type></os></domain>",
        TEST_UUID);
    char *title;
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    int cb;

    g_assert_nonnull(dir);
    cb = vmmConnectDomainEventRegisterAny(
        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &log, NULL);

    g_assert_cmpint(
        vmmDomainSaveFlags(dom, image, NULL,
                           VMM_DOMAIN_SAVE_RUNNING | VMM_DOMAIN_SAVE_PAUSED),
        ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainSaveFlags(dom, image, other, 0), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_false(g_file_test(image, G_FILE_TEST_EXISTS));

    g_assert_cmpint(vmmDomainSave(dom, image), ==, 0);
    assertState(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SAVED);
    g_assert_true(g_file_get_contents(image, &content, NULL, NULL));
    g_assert_true(g_str_has_prefix(content, "vmm test driver save image"));
    g_assert_nonnull(strstr(content, "<name>test</name>"));
    g_assert_cmpint(vmmDomainSave(dom, image), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain is not running");

    g_assert_cmpint(vmmDomainRestore(conn, image), ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(vmmDomainRestore(conn, image), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NOT_VALID "domain 'test' is "
                                                     "already active");
    expectEvents(&log, "test stopped/4\ntest started/2\n");

    /* A paused guest comes back paused, unless asked otherwise. */
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_cmpint(vmmDomainSave(dom, image), ==, 0);
    g_assert_cmpint(vmmDomainRestore(conn, image), ==, 0);
    assertState(dom, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_SAVE);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(
        vmmDomainRestoreFlags(conn, image, NULL, VMM_DOMAIN_SAVE_RUNNING), ==,
        0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
    expectEvents(&log, "test suspended/0\ntest stopped/4\ntest started/2\n"
                       "test suspended/4\ntest stopped/1\ntest started/2\n");

    /* Replacement XML for the image, at save or at restore time. */
    g_assert_cmpint(vmmDomainSaveFlags(dom, image, titled, 0), ==, 0);
    g_assert_cmpint(vmmDomainRestoreFlags(conn, image, other, 0), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 0);
    g_assert_cmpint(vmmDomainRestore(conn, image), ==, 0);
    title = vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0);
    g_assert_cmpstr(title, ==, "saved");
    g_clear_pointer(&title, free);
    g_assert_cmpint(vmmDomainSave(dom, image), ==, 0);
    g_assert_cmpint(vmmDomainRestoreFlags(conn, image, plain, 0), ==, 0);
    g_assert_null(
        vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0));
    expectEvents(&log, "test stopped/4\ntest started/2\n"
                       "test stopped/4\ntest started/2\n");

    /* A transient guest leaves with its save and comes back with it. */
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    g_assert_cmpint(vmmDomainSave(dom, image), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, -1);
    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 0);
    g_assert_cmpint(vmmDomainRestore(conn, image), ==, 0);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 1);

    g_assert_true(g_file_set_contents(junk, "<domain/>", -1, NULL));
    g_assert_cmpint(vmmDomainRestore(conn, junk), ==, -1);
    assertError(VMM_ERR_OPERATION_FAILED, NULL);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), junk));
    g_assert_cmpint(vmmDomainRestore(conn, "/no/such/image"), ==, -1);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "/no/such/image"));

    vmmConnectDomainEventDeregisterAny(conn, cb);
    g_string_free(log.log, TRUE);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
    removeDir(dir);
}

static void testManagedSave(void)
{
    vmmConnectPtr conn = openDefault();
    eventLog log = {g_string_new(NULL), 0};
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainPtr *doms = NULL;
    g_autofree char *xmlT = guestXML("t", UUID_A);
    vmmDomainPtr transient;
    int cb;

    cb = vmmConnectDomainEventRegisterAny(
        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(onLifecycle), &log, NULL);
    g_assert_cmpint(vmmDomainManagedSave(dom, 0), ==, 0);
    assertState(dom, VMM_DOMAIN_SHUTOFF, VMM_DOMAIN_SHUTOFF_SAVED);
    g_assert_cmpint(vmmDomainHasManagedSaveImage(dom, 0), ==, 1);
    g_assert_cmpint(vmmConnectListAllDomains(
                        conn, &doms, VMM_CONNECT_LIST_DOMAINS_MANAGEDSAVE),
                    ==, 1);
    vmmDomainFree(doms[0]);
    free(doms);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
    g_assert_cmpint(vmmDomainHasManagedSaveImage(dom, 0), ==, 0);
    expectEvents(&log, "test stopped/4\ntest started/2\n");

    /* Removed or bypassed, the image is not used. */
    g_assert_cmpint(vmmDomainManagedSave(dom, VMM_DOMAIN_SAVE_PAUSED), ==, 0);
    g_assert_cmpint(vmmDomainManagedSaveRemove(dom, 0), ==, 0);
    g_assert_cmpint(vmmDomainHasManagedSaveImage(dom, 0), ==, 0);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(vmmDomainManagedSave(dom, VMM_DOMAIN_SAVE_PAUSED), ==, 0);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    assertState(dom, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_SAVE);
    g_assert_cmpint(vmmDomainManagedSave(dom, 0), ==, 0);
    g_assert_cmpint(vmmDomainCreateWithFlags(dom, VMM_DOMAIN_START_FORCE_BOOT),
                    ==, 0);
    assertState(dom, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(vmmDomainHasManagedSaveImage(dom, 0), ==, 0);

    /* Undefine keeps an image unless told to drop it. */
    g_assert_cmpint(vmmDomainManagedSave(dom, 0), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(
        vmmDomainUndefineFlags(dom, VMM_DOMAIN_UNDEFINE_MANAGED_SAVE), ==, 0);
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);

    transient = vmmDomainCreateXML(conn, xmlT, 0);
    g_assert_cmpint(vmmDomainManagedSave(transient, 0), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainIsActive(transient), ==, 1);
    vmmDomainFree(transient);

    vmmConnectDomainEventDeregisterAny(conn, cb);
    g_string_free(log.log, TRUE);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

/* Threads ---------------------------------------------------------------- */

#define THREADS 8
#define ROUNDS 50

static gint workerCount;

static gpointer threadWork(gpointer data)
{
    vmmConnectPtr conn = data;
    int me = g_atomic_int_add(&workerCount, 1);
    g_autofree char *name = g_strdup_printf("worker%d", me);
    g_autofree char *uuid =
        g_strdup_printf("bbbbbbbb-0000-4000-8000-%012d", me);
    g_autofree char *xml = guestXML(name, uuid);
    vmmDomainPtr dom;

    dom = vmmDomainDefineXML(conn, xml);
    g_assert_nonnull(dom);
    for (int i = 0; i < ROUNDS; i++) {
        vmmDomainPtr test = vmmDomainLookupByName(conn, "test");
        vmmDomainPtr *all = NULL;
        vmmDomainInfo info;
        int n;

        g_assert_nonnull(test);
        g_assert_cmpint(vmmDomainGetInfo(test, &info), ==, 0);
        vmmDomainFree(test);
        g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
        g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
        g_assert_cmpint(vmmDomainResume(dom), ==, 0);
        n = vmmConnectListAllDomains(conn, &all, 0);
        g_assert_cmpint(n, >=, 2);
        for (int j = 0; j < n; j++)
            vmmDomainFree(all[j]);
        free(all);
        g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    }
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    vmmDomainFree(dom);
    return NULL;
}

static void testThreads(void)
{
    vmmConnectPtr conn = openDefault();
    GThread *threads[THREADS];

    for (int i = 0; i < THREADS; i++)
        threads[i] = g_thread_new("worker", threadWork, conn);
    for (int i = 0; i < THREADS; i++)
        g_thread_join(threads[i]);
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 1);
    vmmConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmmEventRegisterDefaultImpl();
    g_test_add_func("/drvtest/lifecycle/events", testEvents);
    g_test_add_func("/drvtest/lifecycle/events-on-close", testEventsOnClose);
    g_test_add_func("/drvtest/lifecycle/state-errors", testStateErrors);
    g_test_add_func("/drvtest/lifecycle/cpu-time", testCPUTime);
    g_test_add_func("/drvtest/lifecycle/create-xml", testCreateXML);
    g_test_add_func("/drvtest/lifecycle/save-restore", testSaveRestore);
    g_test_add_func("/drvtest/lifecycle/managed-save", testManagedSave);
    g_test_add_func("/drvtest/lifecycle/threads", testThreads);
    return g_test_run();
}
