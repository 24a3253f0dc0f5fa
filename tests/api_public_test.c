/*
 * api_public_test.c: the public API as a program sees it (only
 * <vmm/vmm.h>, linked with libvmm.so) on test:///default: opening by
 * $VMM_DEFAULT_URI, read-only refusal, the convenience wrappers reaching
 * the driver, per-connection errors and lifecycle events in libvirt's
 * order.
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include <vmm/vmm.h>

#define DOMAIN_XML                                                             \
    "<domain type='test'><name>pub1</name><memory>65536</memory>"              \
    "<vcpu>2</vcpu><os><type>hvm</type></os></domain>"

static vmmConnectPtr openDefault(unsigned int flags)
{
    vmmConnectPtr conn = vmmConnectOpenFlags("test:///default", flags);

    g_assert_nonnull(conn);
    return conn;
}

static void testOpenByEnvironment(void)
{
    vmmConnectPtr conn;
    g_autofree char *uri = NULL;
    unsigned long ver = 0;

    g_setenv("VMM_DEFAULT_URI", "test:///default", TRUE);
    conn = vmmConnectOpenReadOnly(NULL);
    g_unsetenv("VMM_DEFAULT_URI");
    g_assert_nonnull(conn);
    g_assert_cmpstr(vmmConnectGetType(conn), ==, "TEST");
    uri = vmmConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "test:///default");
    g_assert_cmpint(vmmConnectIsReadOnly(conn), ==, 1);
    g_assert_cmpint(vmmGetVersion(&ver, "TEST", &ver), ==, 0);
    g_assert_cmpuint(ver, ==, VMM_VERSION_NUMBER);
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
}

static void testReadOnly(void)
{
    vmmConnectPtr conn = openDefault(VMM_CONNECT_RO);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainInfo info;

    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_DENIED);
    g_assert_cmpstr(vmmGetLastErrorMessage(), ==,
                    "operation forbidden: read only access prevents "
                    "vmmDomainSuspend");
    g_assert_cmpint(vmmConnGetLastError(conn)->code, ==,
                    VMM_ERR_OPERATION_DENIED);
    g_assert_null(vmmDomainDefineXML(conn, DOMAIN_XML));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_DENIED);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testWrappers(void)
{
    vmmConnectPtr conn = openDefault(0);
    vmmDomainPtr dom = vmmDomainDefineXML(conn, DOMAIN_XML);
    vmmDomainPtr running;
    vmmDomainInfo info;

    g_assert_nonnull(dom);
    g_assert_cmpuint(vmmDomainGetID(dom), ==, (unsigned int)-1);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 0);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    running = vmmDomainLookupByName(conn, "pub1");
    g_assert_cmpuint(vmmDomainGetID(running), !=, (unsigned int)-1);
    g_assert_cmpint(vmmDomainSetMemory(running, 32768), ==, 0);
    g_assert_cmpint(vmmDomainGetInfo(running, &info), ==, 0);
    g_assert_cmpuint(info.memory, ==, 32768);
    g_assert_cmpint(vmmDomainSetVcpus(running, 1), ==, 0);
    g_assert_cmpint(vmmDomainGetInfo(running, &info), ==, 0);
    g_assert_cmpuint(info.nrVirtCpu, ==, 1);
    g_assert_cmpint(vmmDomainDestroy(running), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    g_assert_null(vmmDomainLookupByName(conn, "pub1"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_DOMAIN);
    g_assert_cmpint(vmmConnGetLastError(conn)->code, ==, VMM_ERR_NO_DOMAIN);
    vmmDomainFree(running);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

typedef struct {
    int events[16];
    int n;
} eventTrail;

static void recordEvent(vmmConnectPtr conn, vmmDomainPtr dom, int event,
                        int detail, void *opaque)
{
    eventTrail *trail = opaque;

    if (trail->n < (int)G_N_ELEMENTS(trail->events))
        trail->events[trail->n++] = event;
}

static void testLifecycleEvents(void)
{
    vmmConnectPtr conn = openDefault(0);
    eventTrail trail = {{0}};
    const int expect[] = {
        VMM_DOMAIN_EVENT_DEFINED,   VMM_DOMAIN_EVENT_STARTED,
        VMM_DOMAIN_EVENT_SUSPENDED, VMM_DOMAIN_EVENT_RESUMED,
        VMM_DOMAIN_EVENT_STOPPED,   VMM_DOMAIN_EVENT_UNDEFINED,
    };
    vmmDomainPtr dom;
    int id;

    g_assert_cmpint(vmmEventRegisterDefaultImpl(), ==, 0);
    id = vmmConnectDomainEventRegisterAny(
        conn, NULL, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(recordEvent), &trail, NULL);
    g_assert_cmpint(id, >=, 0);

    dom = vmmDomainDefineXML(conn, DOMAIN_XML);
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainCreate(dom), ==, 0);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_cmpint(vmmDomainResume(dom), ==, 0);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    g_assert_cmpint(trail.n, ==, 0);
    while (trail.n < (int)G_N_ELEMENTS(expect))
        vmmEventRunDefaultImpl();
    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++)
        g_assert_cmpint(trail.events[i], ==, expect[i]);

    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, id), ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void closeCallback(vmmConnectPtr conn, int reason, void *opaque)
{
}

static void testCloseCallbackOnce(void)
{
    vmmConnectPtr conn = openDefault(0);

    g_assert_cmpint(
        vmmConnectRegisterCloseCallback(conn, closeCallback, NULL, NULL), ==,
        0);
    g_assert_cmpint(
        vmmConnectRegisterCloseCallback(conn, closeCallback, NULL, NULL), ==,
        -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmConnectUnregisterCloseCallback(conn, closeCallback), ==,
                    0);
    vmmConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/public/open-by-environment", testOpenByEnvironment);
    g_test_add_func("/api/public/read-only", testReadOnly);
    g_test_add_func("/api/public/wrappers", testWrappers);
    g_test_add_func("/api/public/lifecycle-events", testLifecycleEvents);
    g_test_add_func("/api/public/close-callback", testCloseCallbackOnce);
    return g_test_run();
}
