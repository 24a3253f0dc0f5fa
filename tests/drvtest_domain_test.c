/*
 * drvtest_domain_test.c: the test driver's domain calls that do not start
 * or stop guests, through the public API: lookup, listing, define /
 * undefine, XML, metadata, memory, vCPUs, autostart, and the refusals
 * (duplicates, oversized names, wrong flags).
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vmm/vmm.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"
#define UUID_A "aaaaaaaa-2222-4000-8000-000000000001"
#define UUID_B "aaaaaaaa-2222-4000-8000-000000000002"

static vmmConnectPtr openDefault(void)
{
    vmmConnectPtr conn = vmmConnectOpen("test:///default");

    if (!conn)
        g_error("cannot open test:///default: %s", vmmGetLastErrorMessage());
    return conn;
}

static char *guestXML(const char *name, const char *uuid, unsigned int mem)
{
    return g_strdup_printf("<domain type='test'><name>%s</name>"
                           "<uuid>%s</uuid><memory>%u</memory>"
                           "<vcpu current='1'>4</vcpu>"
                           "<os><type>hvm</type></os></domain>",
                           name, uuid, mem);
}

static vmmDomainPtr defineGuest(vmmConnectPtr conn, const char *name,
                                const char *uuid, unsigned int mem)
{
    g_autofree char *xml = guestXML(name, uuid, mem);
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

static void testLookupErrors(void)
{
    vmmConnectPtr conn = openDefault();
    unsigned char uuid[VMM_UUID_BUFLEN] = {1, 2, 3};

    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    assertError(VMM_ERR_NO_DOMAIN,
                "Domain not found: no domain with matching name 'nope'");
    g_assert_null(vmmDomainLookupByUUIDString(conn, UUID_A));
    assertError(VMM_ERR_NO_DOMAIN,
                "Domain not found: no domain with matching uuid '" UUID_A "'");
    g_assert_null(vmmDomainLookupByUUID(conn, uuid));
    assertError(VMM_ERR_NO_DOMAIN, NULL);
    g_assert_null(vmmDomainLookupByID(conn, 99));
    assertError(VMM_ERR_NO_DOMAIN,
                "Domain not found: no domain with matching id 99");
    vmmConnectClose(conn);
}

static void testLookups(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr byId = vmmDomainLookupByID(conn, 1);
    vmmDomainPtr byUUID = vmmDomainLookupByUUIDString(conn, TEST_UUID);

    g_assert_nonnull(byId);
    g_assert_nonnull(byUUID);
    g_assert_cmpstr(vmmDomainGetName(byId), ==, "test");
    g_assert_cmpstr(vmmDomainGetName(byUUID), ==, "test");
    vmmDomainFree(byId);
    vmmDomainFree(byUUID);
    vmmConnectClose(conn);
}

static void testDefineUndefine(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = defineGuest(conn, "a", UUID_A, 131072);
    vmmDomainPtr again;
    char *names[4] = {NULL};
    int ids[4];

    g_assert_cmpint((int)vmmDomainGetID(dom), ==, -1);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 1);
    g_assert_cmpint(vmmConnectListDefinedDomains(conn, names, 4), ==, 1);
    g_assert_cmpstr(names[0], ==, "a");
    free(names[0]);
    g_assert_cmpint(vmmConnectListDomains(conn, ids, 4), ==, 1);
    g_assert_cmpint(ids[0], ==, 1);

    /* Defining again updates the stored definition. */
    again = defineGuest(conn, "a", UUID_A, 262144);
    g_assert_cmpuint(vmmDomainGetMaxMemory(again), ==, 262144);
    g_assert_cmpint(vmmDomainIsUpdated(again), ==, 0);
    vmmDomainFree(again);

    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, -1);
    assertError(VMM_ERR_NO_DOMAIN, NULL);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, -1);
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testUpdateRunning(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    g_autofree char *xml = guestXML("test", TEST_UUID, 4194304);
    g_autofree char *live = NULL;
    g_autofree char *stored = NULL;
    vmmDomainPtr updated = vmmDomainDefineXML(conn, xml);

    g_assert_nonnull(updated);
    vmmDomainFree(updated);
    g_assert_cmpint(vmmDomainIsUpdated(dom), ==, 1);
    g_assert_cmpuint(vmmDomainGetMaxMemory(dom), ==, 8388608);
    live = vmmDomainGetXMLDesc(dom, 0);
    stored = vmmDomainGetXMLDesc(dom, VMM_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(live, "id='1'"));
    g_assert_nonnull(strstr(live, "8388608"));
    g_assert_null(strstr(stored, "id='1'"));
    g_assert_nonnull(strstr(stored, "4194304"));

    /* Once stopped, the stored definition is the only one. */
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsUpdated(dom), ==, 0);
    g_assert_cmpuint(vmmDomainGetMaxMemory(dom), ==, 4194304);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testUndefineRunning(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");

    g_assert_cmpint(vmmDomainUndefine(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 1);
    g_assert_cmpint(vmmDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(vmmDomainUndefine(dom), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID,
                "Requested operation is not "
                "valid: cannot undefine transient domain");
    g_assert_cmpint(vmmDomainSetAutostart(dom, 1), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, -1);
    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testUndefineFlags(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = defineGuest(conn, "a", UUID_A, 131072);

    g_assert_cmpint(vmmDomainUndefineFlags(dom, 1u << 30), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(
        vmmDomainUndefineFlags(dom, VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                        VMM_DOMAIN_UNDEFINE_NVRAM),
        ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testDuplicates(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = defineGuest(conn, "a", UUID_A, 131072);
    g_autofree char *before = vmmDomainGetXMLDesc(dom, 0);
    g_autofree char *after = NULL;
    g_autofree char *sameUUID = guestXML("b", UUID_A, 65536);
    g_autofree char *sameName = guestXML("a", UUID_B, 65536);
    g_autofree char *testUUID = guestXML("c", TEST_UUID, 65536);

    g_assert_null(vmmDomainDefineXML(conn, sameUUID));
    assertError(VMM_ERR_OPERATION_FAILED, "operation failed: domain 'a' is "
                                          "already defined with uuid " UUID_A);
    g_assert_null(vmmDomainCreateXML(conn, sameUUID, 0));
    assertError(VMM_ERR_OPERATION_FAILED, NULL);
    g_assert_null(vmmDomainDefineXML(conn, sameName));
    assertError(VMM_ERR_OPERATION_FAILED, "operation failed: domain 'a' "
                                          "already exists with uuid " UUID_A);
    g_assert_null(vmmDomainDefineXML(conn, testUUID));
    assertError(VMM_ERR_OPERATION_FAILED, NULL);

    /* Nothing changed. */
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 1);
    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 1);
    g_assert_null(vmmDomainLookupByName(conn, "b"));
    g_assert_null(vmmDomainLookupByName(conn, "c"));
    after = vmmDomainGetXMLDesc(dom, 0);
    g_assert_cmpstr(before, ==, after);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testHugeName(void)
{
    vmmConnectPtr conn = openDefault();
    g_autofree char *name = g_strnfill(10 * 1024 * 1024, 'n');
    g_autofree char *xml = guestXML(name, UUID_A, 65536);

    g_assert_null(vmmDomainDefineXML(conn, xml));
    g_assert_cmpint(vmmGetLastErrorCode(), !=, VMM_ERR_OK);
    g_assert_null(vmmDomainCreateXML(conn, xml, 0));
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    g_assert_cmpint(vmmConnectNumOfDomains(conn), ==, 1);
    vmmConnectClose(conn);
}

static void testBadXML(void)
{
    vmmConnectPtr conn = openDefault();

    g_assert_null(vmmDomainDefineXML(conn, "<domain"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_XML_ERROR);
    g_assert_null(vmmDomainDefineXMLFlags(conn, "<domain/>", 1u << 20));
    g_assert_cmpint(vmmConnectNumOfDefinedDomains(conn), ==, 0);
    vmmConnectClose(conn);
}

static int compareStrPtr(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the guests @flags lists, sorted, comma-separated. */
static char *listNamesSorted(vmmConnectPtr conn, unsigned int flags)
{
    vmmDomainPtr *doms = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    int n = vmmConnectListAllDomains(conn, &doms, flags);

    g_assert_cmpint(n, >=, 0);
    g_assert_null(doms[n]);
    for (int i = 0; i < n; i++) {
        g_ptr_array_add(names, g_strdup(vmmDomainGetName(doms[i])));
        vmmDomainFree(doms[i]);
    }
    free(doms);
    g_ptr_array_sort(names, compareStrPtr);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(",", (char **)names->pdata);
}

#define CHECK_LIST(flags, expect)                                              \
    do {                                                                       \
        g_autofree char *got = listNamesSorted(conn, flags);                   \
        g_assert_cmpstr(got, ==, expect);                                      \
    } while (0)

static void testListAll(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr a = defineGuest(conn, "a", UUID_A, 131072);
    vmmDomainPtr b = defineGuest(conn, "b", UUID_B, 131072);

    g_assert_cmpint(vmmDomainSetAutostart(a, 1), ==, 0);
    g_assert_cmpint(vmmDomainCreate(b), ==, 0);
    g_assert_cmpint(vmmDomainSuspend(b), ==, 0);

    CHECK_LIST(0, "a,b,test");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_ACTIVE, "b,test");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_INACTIVE, "a");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_RUNNING, "test");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_PAUSED, "b");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_SHUTOFF, "a");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_OTHER, "");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_PERSISTENT, "a,b,test");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_TRANSIENT, "");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_AUTOSTART, "a");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "b,test");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, "a,b,test");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "");
    CHECK_LIST(VMM_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "");
    g_assert_cmpint(vmmConnectListAllDomains(conn, NULL, 0), ==, 3);

    g_assert_cmpint(vmmDomainDestroy(b), ==, 0);
    vmmDomainFree(a);
    vmmDomainFree(b);
    vmmConnectClose(conn);
}

static void testXMLDesc(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    g_autofree char *xml = vmmDomainGetXMLDesc(dom, 0);
    g_autofree char *inactive =
        vmmDomainGetXMLDesc(dom, VMM_DOMAIN_XML_INACTIVE);
    vmmDomainPtr again;

    g_assert_nonnull(strstr(xml, "<domain type='test' id='1'>"));
    g_assert_nonnull(strstr(xml, "<name>test</name>"));
    g_assert_nonnull(strstr(xml, TEST_UUID));
    g_assert_nonnull(strstr(inactive, "<domain type='test'>"));
    g_assert_null(vmmDomainGetXMLDesc(dom, 1u << 20));
    assertError(VMM_ERR_INVALID_ARG, NULL);

    /* The output defines the same guest again. */
    again = vmmDomainDefineXML(conn, inactive);
    g_assert_nonnull(again);
    vmmDomainFree(again);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testMetadata(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainPtr off = defineGuest(conn, "a", UUID_A, 131072);
    char *value;

    value = vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0);
    g_assert_null(value);
    assertError(VMM_ERR_NO_DOMAIN_METADATA, NULL);

    g_assert_cmpint(vmmDomainSetMetadata(dom, VMM_DOMAIN_METADATA_TITLE,
                                         "Live title", NULL, NULL,
                                         VMM_DOMAIN_AFFECT_LIVE),
                    ==, 0);
    g_assert_cmpint(vmmDomainSetMetadata(dom, VMM_DOMAIN_METADATA_DESCRIPTION,
                                         "Stored\ndescription", NULL, NULL,
                                         VMM_DOMAIN_AFFECT_CONFIG),
                    ==, 0);
    value = vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0);
    g_assert_cmpstr(value, ==, "Live title");
    free(value);
    g_assert_null(vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL,
                                       VMM_DOMAIN_AFFECT_CONFIG));
    g_assert_null(vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_DESCRIPTION,
                                       NULL, VMM_DOMAIN_AFFECT_LIVE));
    value = vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_DESCRIPTION, NULL,
                                 VMM_DOMAIN_AFFECT_CONFIG);
    g_assert_cmpstr(value, ==, "Stored\ndescription");
    free(value);
    g_assert_cmpint(vmmDomainIsUpdated(dom), ==, 1);

    /* Removing: an empty string or NULL. */
    g_assert_cmpint(
        vmmDomainSetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, "", NULL, NULL, 0),
        ==, 0);
    g_assert_null(
        vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0));

    g_assert_cmpint(vmmDomainSetMetadata(dom, VMM_DOMAIN_METADATA_TITLE,
                                         "two\nlines", NULL, NULL, 0),
                    ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainSetMetadata(dom, VMM_DOMAIN_METADATA_ELEMENT,
                                         "<x/>", "x", "http://example.org/", 0),
                    ==, -1);
    g_assert_cmpint(vmmDomainSetMetadata(off, VMM_DOMAIN_METADATA_TITLE, "t",
                                         NULL, NULL, VMM_DOMAIN_AFFECT_LIVE),
                    ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, "Requested operation is not "
                                           "valid: domain is not running");
    g_assert_cmpint(vmmDomainSetMetadata(off, VMM_DOMAIN_METADATA_TITLE, "t",
                                         NULL, NULL, 0),
                    ==, 0);
    value = vmmDomainGetMetadata(off, VMM_DOMAIN_METADATA_TITLE, NULL,
                                 VMM_DOMAIN_AFFECT_CONFIG);
    g_assert_cmpstr(value, ==, "t");
    free(value);
    g_assert_null(vmmDomainGetMetadata(off, VMM_DOMAIN_METADATA_TITLE, NULL,
                                       VMM_DOMAIN_AFFECT_LIVE |
                                           VMM_DOMAIN_AFFECT_CONFIG));
    vmmDomainFree(off);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testMemory(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainPtr off = defineGuest(conn, "a", UUID_A, 131072);
    vmmDomainInfo info;

    g_assert_cmpint(vmmDomainSetMemory(dom, 1048576), ==, 0);
    g_assert_cmpint(vmmDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpuint(info.memory, ==, 1048576);
    g_assert_cmpint(vmmDomainIsUpdated(dom), ==, 0);
    g_assert_cmpint(vmmDomainSetMemory(dom, 8388608 + 1), ==, -1);
    assertError(VMM_ERR_INVALID_ARG,
                "invalid argument: cannot set memory higher than max memory");
    g_assert_cmpint(vmmDomainSetMaxMemory(dom, 4194304), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(
        vmmDomainSetMemoryFlags(dom, 4194304,
                                VMM_DOMAIN_MEM_CONFIG | VMM_DOMAIN_MEM_MAXIMUM),
        ==, 0);
    g_assert_cmpint(vmmDomainIsUpdated(dom), ==, 1);
    g_assert_cmpuint(vmmDomainGetMaxMemory(dom), ==, 8388608);

    g_assert_cmpint(vmmDomainSetMemoryFlags(off, 65536, VMM_DOMAIN_MEM_LIVE),
                    ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainSetMaxMemory(off, 98304), ==, 0);
    g_assert_cmpuint(vmmDomainGetMaxMemory(off), ==, 98304);
    g_assert_cmpint(vmmDomainGetInfo(off, &info), ==, 0);
    g_assert_cmpuint(info.memory, ==, 98304);
    g_assert_cmpint(vmmDomainSetMemoryFlags(off, 65536, 0), ==, 0);
    g_assert_cmpint(vmmDomainGetInfo(off, &info), ==, 0);
    g_assert_cmpuint(info.memory, ==, 65536);
    g_assert_cmpint(info.state, ==, VMM_DOMAIN_SHUTOFF);
    /* The host's clock, as libvirt's test driver says for any guest. */
    g_assert_cmpuint(info.cpuTime, >, 0);
    vmmDomainFree(off);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testVcpus(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    vmmDomainPtr off = defineGuest(conn, "a", UUID_A, 131072);

    g_assert_cmpint(vmmDomainGetMaxVcpus(dom), ==, 2);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, 0), ==, 2);
    g_assert_cmpint(vmmDomainSetVcpus(dom, 1), ==, 0);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_LIVE), ==, 1);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_CONFIG), ==, 2);
    g_assert_cmpint(vmmDomainSetVcpus(dom, 3), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainSetVcpusFlags(dom, 33, 0), ==, -1);
    assertError(VMM_ERR_INVALID_ARG, NULL);
    g_assert_cmpint(vmmDomainSetVcpusFlags(
                        dom, 4, VMM_DOMAIN_VCPU_MAXIMUM | VMM_DOMAIN_VCPU_LIVE),
                    ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainSetVcpusFlags(dom, 4,
                                           VMM_DOMAIN_VCPU_MAXIMUM |
                                               VMM_DOMAIN_VCPU_CONFIG),
                    ==, 0);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_CONFIG |
                                                    VMM_DOMAIN_VCPU_MAXIMUM),
                    ==, 4);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_MAXIMUM), ==,
                    2);
    g_assert_cmpint(vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_GUEST), ==, -1);

    g_assert_cmpint(vmmDomainGetMaxVcpus(off), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainGetVcpusFlags(off, VMM_DOMAIN_VCPU_LIVE), ==, -1);
    g_assert_cmpint(vmmDomainSetVcpus(off, 3), ==, -1);
    assertError(VMM_ERR_OPERATION_INVALID, NULL);
    g_assert_cmpint(vmmDomainSetVcpusFlags(off, 3, 0), ==, 0);
    g_assert_cmpint(vmmDomainGetVcpusFlags(off, 0), ==, 3);
    g_assert_cmpint(vmmDomainSetVcpusFlags(off, 2, VMM_DOMAIN_VCPU_MAXIMUM), ==,
                    0);
    g_assert_cmpint(vmmDomainGetVcpusFlags(off, VMM_DOMAIN_VCPU_MAXIMUM), ==,
                    2);
    g_assert_cmpint(vmmDomainGetVcpusFlags(off, 0), ==, 2);
    vmmDomainFree(off);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testAutostartAndMisc(void)
{
    vmmConnectPtr conn = openDefault();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    int autostart = -1;

    g_assert_cmpint(vmmDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_cmpint(vmmDomainSetAutostart(dom, 1), ==, 0);
    g_assert_cmpint(vmmDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    g_assert_cmpint(vmmDomainSnapshotNum(dom, 0), ==, 0);
    g_assert_cmpint(vmmDomainHasManagedSaveImage(dom, 0), ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testReadOnly(void)
{
    vmmConnectPtr conn = vmmConnectOpenReadOnly("test:///default");
    vmmDomainPtr dom = vmmDomainLookupByName(conn, "test");
    g_autofree char *xml = guestXML("a", UUID_A, 65536);

    g_assert_nonnull(dom);
    g_assert_null(vmmDomainDefineXML(conn, xml));
    g_assert_cmpint(vmmDomainDestroy(dom), ==, -1);
    g_assert_cmpint(vmmDomainIsActive(dom), ==, 1);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmmEventRegisterDefaultImpl();
    g_test_add_func("/drvtest/domain/lookup-errors", testLookupErrors);
    g_test_add_func("/drvtest/domain/lookups", testLookups);
    g_test_add_func("/drvtest/domain/define-undefine", testDefineUndefine);
    g_test_add_func("/drvtest/domain/update-running", testUpdateRunning);
    g_test_add_func("/drvtest/domain/undefine-running", testUndefineRunning);
    g_test_add_func("/drvtest/domain/undefine-flags", testUndefineFlags);
    g_test_add_func("/drvtest/domain/duplicates", testDuplicates);
    g_test_add_func("/drvtest/domain/huge-name", testHugeName);
    g_test_add_func("/drvtest/domain/bad-xml", testBadXML);
    g_test_add_func("/drvtest/domain/list-all", testListAll);
    g_test_add_func("/drvtest/domain/xml-desc", testXMLDesc);
    g_test_add_func("/drvtest/domain/metadata", testMetadata);
    g_test_add_func("/drvtest/domain/memory", testMemory);
    g_test_add_func("/drvtest/domain/vcpus", testVcpus);
    g_test_add_func("/drvtest/domain/autostart-misc", testAutostartAndMisc);
    g_test_add_func("/drvtest/domain/read-only", testReadOnly);
    return g_test_run();
}
