/*
 * drvtest_host_test.c: test:///default and test:///PATH.xml through the
 * public API: host facts, the default guest, sharing of the default host
 * between connections, and host description files good and bad.
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vmm/vmm.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static vmmConnectPtr openOrDie(const char *uri)
{
    vmmConnectPtr conn = vmmConnectOpen(uri);

    if (!conn)
        g_error("cannot open %s: %s", uri, vmmGetLastErrorMessage());
    return conn;
}

static char *dataPath(const char *name)
{
    const char *dir = g_getenv("VMM_TEST_SRCDIR");

    return g_build_filename(dir ? dir : ".", "drvtestdata", name, NULL);
}

static void testHostFacts(void)
{
    vmmConnectPtr conn = openOrDie("test:///default");
    unsigned long ver = 0;
    vmmNodeInfo info;
    g_autofree char *host = NULL;
    g_autofree char *uri = NULL;
    g_autofree char *caps = NULL;
    g_autofree char *sysinfo = NULL;

    g_assert_cmpstr(vmmConnectGetType(conn), ==, "TEST");
    g_assert_cmpint(vmmConnectGetVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 2);
    host = vmmConnectGetHostname(conn);
    g_assert_cmpstr(host, ==, g_get_host_name());
    uri = vmmConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "test:///default");

    g_assert_cmpint(vmmNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "i686");
    g_assert_cmpuint(info.memory, ==, 3 * 1024 * 1024);
    g_assert_cmpuint(info.cpus, ==, 16);
    g_assert_cmpuint(info.mhz, ==, 1400);
    g_assert_cmpuint(info.nodes, ==, 2);
    g_assert_cmpuint(info.sockets, ==, 2);
    g_assert_cmpuint(info.cores, ==, 2);
    g_assert_cmpuint(info.threads, ==, 2);

    caps = vmmConnectGetCapabilities(conn);
    g_assert_nonnull(caps);
    g_assert_nonnull(strstr(caps, "<capabilities>"));
    g_assert_nonnull(strstr(caps, "<arch>i686</arch>"));
    g_assert_nonnull(strstr(caps, "<cells num='2'>"));
    g_assert_nonnull(strstr(caps, "<cpu id='15' socket_id='1' die_id='0' "
                                  "core_id='1' siblings='14,15'/>"));
    g_assert_nonnull(strstr(caps, "<os_type>hvm</os_type>"));
    g_assert_nonnull(strstr(caps, "<os_type>xen</os_type>"));
    g_assert_nonnull(strstr(caps, "<domain type='test'/>"));

    sysinfo = vmmConnectGetSysinfo(conn, 0);
    g_assert_nonnull(sysinfo);
    g_assert_true(g_str_has_prefix(sysinfo, "<sysinfo type='smbios'>"));
    g_assert_null(vmmConnectGetSysinfo(conn, 1));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);

    g_assert_cmpint(vmmConnectGetMaxVcpus(conn, NULL), ==, 32);
    g_assert_cmpint(vmmConnectIsEncrypted(conn), ==, 0);
    g_assert_cmpint(vmmConnectIsSecure(conn), ==, 1);
    g_assert_cmpint(vmmConnectIsAlive(conn), ==, 1);
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
}

static void testDefaultGuest(void)
{
    vmmConnectPtr conn = openOrDie("test:///default");
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    char uuid[VMM_UUID_STRING_BUFLEN];
    vmmDomainInfo info;
    g_autofree char *os = NULL;
    int state = -1, reason = -1;

    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainGetID(dom), ==, 1);
    g_assert_cmpint(vmmDomainGetUUIDString(dom, uuid), ==, 0);
    g_assert_cmpstr(uuid, ==, TEST_UUID);
    g_assert_cmpint(vmmDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 8388608);
    g_assert_cmpuint(info.memory, ==, 2097152);
    g_assert_cmpuint(info.nrVirtCpu, ==, 2);
    g_assert_cmpint(vmmDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VMM_DOMAIN_RUNNING_BOOTED);
    os = vmmDomainGetOSType(dom);
    g_assert_cmpstr(os, ==, "hvm");
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 1);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(vmmDomainIsUpdated(dom), ==, 0);
    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 1);
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static const char *xmlX =
    "<domain type='test'><name>x</name>"
    "<uuid>aaaaaaaa-1111-4000-8000-000000000001</uuid>"
    "<memory>65536</memory><os><type>hvm</type></os></domain>";

static bool hasDomain(vmmConnectPtr conn, const char *name)
{
    vmmDomainPtr dom = vmmDomainLookupByName(conn, name);

    if (!dom)
        return false;
    vmmDomainFree(dom);
    return true;
}

/* Every test:///default connection sees the same host while one is open;
 * after the last closes, the next one starts from scratch. */
static void testSharedDefault(void)
{
    vmmConnectPtr c1 = openOrDie("test:///default");
    vmmConnectPtr c2;
    vmmDomainPtr dom;

    dom = vmmDomainDefineXML(c1, xmlX);
    g_assert_nonnull(dom);
    vmmDomainFree(dom);
    c2 = openOrDie("test:///default");
    g_assert_true(hasDomain(c2, "x"));
    vmmConnectClose(c1);
    g_assert_true(hasDomain(c2, "x"));
    vmmConnectClose(c2);

    c1 = openOrDie("test:///default");
    g_assert_false(hasDomain(c1, "x"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_DOMAIN);
    g_assert_true(hasDomain(c1, "test"));
    vmmConnectClose(c1);
}

static void testBadURIs(void)
{
    g_assert_null(vmmConnectOpen("test:///"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "test:///default"));

    g_assert_null(vmmConnectOpen("test:///no/such/host.xml"));
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "/no/such/host.xml"));
}

static void testHostFile(void)
{
    g_autofree char *path = dataPath("host-basic.xml");
    g_autofree char *uri = g_strdup_printf("test://%s", path);
    vmmConnectPtr conn = openOrDie(uri);
    vmmConnectPtr other = openOrDie(uri);
    vmmNodeInfo info;
    vmmDomainPtr dom;
    g_autofree char *title = NULL;
    g_autofree char *caps = NULL;

    g_assert_cmpint(vmmNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "x86_64");
    g_assert_cmpuint(info.memory, ==, 4194304);
    g_assert_cmpuint(info.mhz, ==, 2500);
    g_assert_cmpuint(info.nodes, ==, 1);
    g_assert_cmpuint(info.sockets, ==, 1);
    g_assert_cmpuint(info.cores, ==, 4);
    g_assert_cmpuint(info.threads, ==, 2);
    g_assert_cmpuint(info.cpus, ==, 6);
    caps = vmmConnectGetCapabilities(conn);
    g_assert_nonnull(strstr(caps, "<cells num='1'>"));

    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 2);
    dom = vmmDomainLookupByName(conn, "inline");
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainGetID(dom), ==, 1);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 1);
    g_assert_cmpuint(vmmDomainGetMaxMemory(dom), ==, 131072);
    vmmDomainFree(dom);
    dom = vmmDomainLookupByName(conn, "fromfile");
    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainGetID(dom), ==, 2);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 1);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_MAXIMUM), ==,
                    4);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, 0), ==, 2);
    title = vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0);
    g_assert_cmpstr(title, ==, "A guest read from its own file");
    vmmDomainFree(dom);
    g_assert_false(hasDomain(conn, "test"));

    /* Each connection to a file has a host of its own. */
    dom = vmmDomainDefineXML(conn, xmlX);
    g_assert_nonnull(dom);
    vmmDomainFree(dom);
    g_assert_false(hasDomain(other, "x"));
    g_assert_true(hasDomain(conn, "x"));
    vmmConnectClose(other);
    vmmConnectClose(conn);
}

/* A bad host file fails the open with an error naming the file. */
static void checkBadHost(const char *name, const char *expect)
{
    g_autofree char *path = dataPath(name);
    g_autofree char *uri = g_strdup_printf("test://%s", path);

    g_assert_null(vmmConnectOpen(uri));
    if (!strstr(vmmGetLastErrorMessage(), expect))
        g_error("%s: error '%s' does not name '%s'", name,
                vmmGetLastErrorMessage(), expect);
}

static void testBadHostFiles(void)
{
    g_autofree char *missing = dataPath("no-such-guest.xml");

    checkBadHost("host-bad-xml.xml", "host-bad-xml.xml");
    checkBadHost("host-bad-domain.xml", "host-bad-domain.xml");
    checkBadHost("host-missing-file.xml", missing);
    checkBadHost("host-bad-cpu.xml", "host-bad-cpu.xml");
    checkBadHost("host-duplicate-uuid.xml", "host-duplicate-uuid.xml");
    checkBadHost("host-duplicate-uuid.xml", "already defined with uuid");
    checkBadHost("host-wrong-root.xml", "host-wrong-root.xml");
    checkBadHost("host-too-many-cpus.xml", "too many CPUs");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmmEventRegisterDefaultImpl();
    g_test_add_func("/drvtest/host/facts", testHostFacts);
    g_test_add_func("/drvtest/host/default-guest", testDefaultGuest);
    g_test_add_func("/drvtest/host/shared-default", testSharedDefault);
    g_test_add_func("/drvtest/host/bad-uris", testBadURIs);
    g_test_add_func("/drvtest/host/file", testHostFile);
    g_test_add_func("/drvtest/host/bad-files", testBadHostFiles);
    return g_test_run();
}
