/*
 * api_skeleton_test.c: the checks every public entry point makes before it
 * reaches a driver (NULL objects, arguments, read-only connections, flag
 * masks, empty driver slots) and opening connections by URI, through the
 * "apitest" driver of api_fixture.c.
 */
#include <config.h>

#include <string.h>

#include "api_fixture.h"

/* @fn @args must fail with @fail, raising @code with a message that names
 * @fn. */
#define CHECK_FAIL(fn, args, fail, code)                                       \
    do {                                                                       \
        g_assert_true(fn args == (fail));                                      \
        g_assert_cmpint(vmmGetLastErrorCode(), ==, (code));                    \
        if (!strstr(vmmGetLastErrorMessage(), #fn))                            \
            g_error("'%s' does not name %s", vmmGetLastErrorMessage(), #fn);   \
    } while (0)

#define BAD_FLAG (1u << 31)

static vmmConnectPtr openFixture(unsigned int flags)
{
    vmmConnectPtr conn = vmmConnectOpenFlags("apitest:///default", flags);

    g_assert_nonnull(conn);
    return conn;
}

static void testOpenNoURI(void)
{
    g_unsetenv("VMM_DEFAULT_URI");
    g_assert_null(vmmConnectOpen(NULL));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(),
                            "no connection URI given; set VMM_DEFAULT_URI "
                            "or use e.g. test:///default"));
}

static void testOpenDefaultURI(void)
{
    vmmConnectPtr conn;
    g_autofree char *uri = NULL;

    g_setenv("VMM_DEFAULT_URI", "apitest:///default", TRUE);
    conn = vmmConnectOpen(NULL);
    g_unsetenv("VMM_DEFAULT_URI");
    g_assert_nonnull(conn);
    g_assert_cmpstr(vmmConnectGetType(conn), ==, "APITest");
    uri = vmmConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "apitest:///default");
    g_assert_cmpint(vmmConnectIsReadOnly(conn), ==, 0);
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
}

static void testOpenFailures(void)
{
    g_assert_null(vmmConnectOpen("nosuch:///system"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_CONNECT);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "nosuch:///system"));

    g_assert_null(vmmConnectOpen("not a uri"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmGetLastErrorDomain(), ==, VMM_FROM_URI);

    /* The driver's own words reach the caller. */
    g_assert_null(vmmConnectOpen("apitest:///elsewhere"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(), "/elsewhere"));

    CHECK_FAIL(vmmConnectOpenFlags, ("apitest:///default", BAD_FLAG), NULL,
               VMM_ERR_INVALID_ARG);
}

static void testRefcount(void)
{
    vmmConnectPtr conn = openFixture(0);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);

    g_assert_nonnull(dom);
    g_assert_cmpint(vmmConnectRef(conn), ==, 0);
    g_assert_cmpint(vmmConnectClose(conn), ==, 2); /* ours, dom's */
    g_assert_cmpint(vmmDomainRef(dom), ==, 0);
    g_assert_cmpint(vmmDomainFree(dom), ==, 0);
    g_assert_true(vmmDomainGetConnect(dom) == conn);
    g_assert_cmpint(vmmConnectClose(conn), ==, 1);
    g_assert_cmpint(vmmDomainFree(dom), ==, 0); /* closes conn */
}

static void testVersion(void)
{
    unsigned long lib = 0, type = 0;
    vmmConnectPtr conn = openFixture(0);

    g_assert_cmpint(vmmGetVersion(&lib, NULL, NULL), ==, 0);
    g_assert_cmpuint(lib, ==, VMM_VERSION_NUMBER);
    g_assert_cmpint(vmmGetVersion(&lib, "apitest", &type), ==, 0);
    g_assert_cmpuint(type, ==, VMM_VERSION_NUMBER);
    g_assert_cmpint(vmmGetVersion(&lib, "nosuch", &type), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmGetVersion, (NULL, NULL, NULL), -1, VMM_ERR_INVALID_ARG);

    g_assert_cmpint(vmmConnectGetVersion(conn, &type), ==, 0);
    g_assert_cmpuint(type, ==, 42);
    g_assert_cmpint(vmmConnectGetLibVersion(conn, &lib), ==, 0);
    g_assert_cmpuint(lib, ==, VMM_VERSION_NUMBER);
    vmmConnectClose(conn);
}

static void testNullConnection(void)
{
    const int E = VMM_ERR_INVALID_CONN;
    unsigned long ver;
    vmmNodeInfo info;
    vmmSecurityModel secmodel;
    unsigned long long freeMem;
    int nparams = 0;
    vmmDomainPtr *doms;
    int ids[1];
    char *names[1];

    CHECK_FAIL(vmmConnectClose, (NULL), -1, E);
    CHECK_FAIL(vmmConnectRef, (NULL), -1, E);
    CHECK_FAIL(vmmConnectGetType, (NULL), NULL, E);
    CHECK_FAIL(vmmConnectGetVersion, (NULL, &ver), -1, E);
    CHECK_FAIL(vmmConnectGetLibVersion, (NULL, &ver), -1, E);
    CHECK_FAIL(vmmConnectGetHostname, (NULL), NULL, E);
    CHECK_FAIL(vmmConnectGetURI, (NULL), NULL, E);
    CHECK_FAIL(vmmConnectGetCapabilities, (NULL), NULL, E);
    CHECK_FAIL(vmmConnectGetSysinfo, (NULL, 0), NULL, E);
    CHECK_FAIL(vmmConnectGetMaxVcpus, (NULL, NULL), -1, E);
    CHECK_FAIL(vmmNodeGetInfo, (NULL, &info), -1, E);
    CHECK_FAIL(vmmNodeGetCPUStats, (NULL, -1, NULL, &nparams, 0), -1, E);
    CHECK_FAIL(vmmNodeGetCellsFreeMemory, (NULL, &freeMem, 0, 1), -1, E);
    CHECK_FAIL(vmmNodeGetFreeMemory, (NULL), 0, E);
    CHECK_FAIL(vmmNodeGetSecurityModel, (NULL, &secmodel), -1, E);
    CHECK_FAIL(vmmConnectIsEncrypted, (NULL), -1, E);
    CHECK_FAIL(vmmConnectIsSecure, (NULL), -1, E);
    CHECK_FAIL(vmmConnectIsAlive, (NULL), -1, E);
    CHECK_FAIL(vmmConnectIsReadOnly, (NULL), -1, E);
    CHECK_FAIL(vmmConnectRegisterCloseCallback, (NULL, NULL, NULL, NULL), -1,
               E);
    CHECK_FAIL(vmmConnectUnregisterCloseCallback, (NULL, NULL), -1, E);
    CHECK_FAIL(vmmConnectListAllDomains, (NULL, &doms, 0), -1, E);
    CHECK_FAIL(vmmConnectNumOfDomains, (NULL), -1, E);
    CHECK_FAIL(vmmConnectListDomains, (NULL, ids, 1), -1, E);
    CHECK_FAIL(vmmConnectNumOfDefinedDomains, (NULL), -1, E);
    CHECK_FAIL(vmmConnectListDefinedDomains, (NULL, names, 1), -1, E);
    CHECK_FAIL(vmmDomainLookupByName, (NULL, "x"), NULL, E);
    CHECK_FAIL(vmmDomainLookupByUUID, (NULL, (const unsigned char *)"x"), NULL,
               E);
    CHECK_FAIL(vmmDomainLookupByUUIDString, (NULL, FIXTURE_UUID), NULL, E);
    CHECK_FAIL(vmmDomainLookupByID, (NULL, 1), NULL, E);
    CHECK_FAIL(vmmDomainDefineXMLFlags, (NULL, "<domain/>", 0), NULL, E);
    CHECK_FAIL(vmmDomainCreateXML, (NULL, "<domain/>", 0), NULL, E);
    CHECK_FAIL(vmmDomainRestoreFlags, (NULL, "/f", NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainSaveImageGetXMLDesc, (NULL, "/f", 0), NULL, E);
    CHECK_FAIL(vmmConnectDomainEventRegisterAny,
               (NULL, NULL, 0, NULL, NULL, NULL), -1, E);
    CHECK_FAIL(vmmConnectDomainEventDeregisterAny, (NULL, 0), -1, E);
    /* The convenience forms report through the function they wrap. */
    g_assert_null(vmmDomainDefineXML(NULL, "<domain/>"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, E);
    g_assert_cmpint(vmmDomainRestore(NULL, "/f"), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, E);
}

static void testNullDomain(void)
{
    const int E = VMM_ERR_INVALID_DOMAIN;
    unsigned char uuid[VMM_UUID_BUFLEN];
    char uuidstr[VMM_UUID_STRING_BUFLEN];
    vmmDomainInfo info;
    vmmDomainJobInfo jobInfo;
    vmmDomainControlInfo control;
    vmmDomainMemoryStat mstats[1];
    vmmSecurityLabel seclabel;
    vmmTypedParameterPtr params = NULL;
    int state, reason, autostart;

    CHECK_FAIL(vmmDomainRef, (NULL), -1, E);
    CHECK_FAIL(vmmDomainFree, (NULL), -1, E);
    CHECK_FAIL(vmmDomainGetName, (NULL), NULL, E);
    CHECK_FAIL(vmmDomainGetUUID, (NULL, uuid), -1, E);
    CHECK_FAIL(vmmDomainGetUUIDString, (NULL, uuidstr), -1, E);
    CHECK_FAIL(vmmDomainGetID, (NULL), (unsigned int)-1, E);
    CHECK_FAIL(vmmDomainGetConnect, (NULL), NULL, E);
    CHECK_FAIL(vmmDomainUndefineFlags, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainGetXMLDesc, (NULL, 0), NULL, E);
    CHECK_FAIL(vmmDomainGetOSType, (NULL), NULL, E);
    CHECK_FAIL(vmmDomainSetMetadata, (NULL, 0, "x", NULL, NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainGetMetadata, (NULL, 0, NULL, 0), NULL, E);
    CHECK_FAIL(vmmDomainCreateWithFlags, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainDestroyFlags, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainShutdownFlags, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainReboot, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainReset, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainGetControlInfo, (NULL, &control, 0), -1, E);
    CHECK_FAIL(vmmDomainMemoryStats, (NULL, mstats, 1, 0), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryStatsPeriod, (NULL, 1, 0), -1, E);
    CHECK_FAIL(vmmDomainGetSecurityLabel, (NULL, &seclabel), -1, E);
    CHECK_FAIL(vmmDomainSuspend, (NULL), -1, E);
    CHECK_FAIL(vmmDomainResume, (NULL), -1, E);
    CHECK_FAIL(vmmDomainSaveFlags, (NULL, "/f", NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainManagedSave, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainHasManagedSaveImage, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainManagedSaveRemove, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainGetInfo, (NULL, &info), -1, E);
    CHECK_FAIL(vmmDomainGetState, (NULL, &state, &reason, 0), -1, E);
    CHECK_FAIL(vmmDomainGetMaxMemory, (NULL), 0, E);
    CHECK_FAIL(vmmDomainSetMaxMemory, (NULL, 1024), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryFlags, (NULL, 1024, 0), -1, E);
    CHECK_FAIL(vmmDomainSetVcpusFlags, (NULL, 1, 0), -1, E);
    CHECK_FAIL(vmmDomainGetVcpusFlags, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainGetMaxVcpus, (NULL), -1, E);
    CHECK_FAIL(vmmDomainGetAutostart, (NULL, &autostart), -1, E);
    CHECK_FAIL(vmmDomainSetAutostart, (NULL, 1), -1, E);
    CHECK_FAIL(vmmDomainIsActive, (NULL), -1, E);
    CHECK_FAIL(vmmDomainIsPersistent, (NULL), -1, E);
    CHECK_FAIL(vmmDomainIsUpdated, (NULL), -1, E);
    CHECK_FAIL(vmmDomainSnapshotNum, (NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainGetJobInfo, (NULL, &jobInfo), -1, E);
    CHECK_FAIL(vmmDomainGetJobStats, (NULL, &state, &params, &reason, 0), -1,
               E);
    CHECK_FAIL(vmmDomainAbortJob, (NULL), -1, E);
    /* Convenience forms. */
    g_assert_cmpint(vmmDomainUndefine(NULL), ==, -1);
    g_assert_cmpint(vmmDomainCreate(NULL), ==, -1);
    g_assert_cmpint(vmmDomainDestroy(NULL), ==, -1);
    g_assert_cmpint(vmmDomainShutdown(NULL), ==, -1);
    g_assert_cmpint(vmmDomainSave(NULL, "/f"), ==, -1);
    g_assert_cmpint(vmmDomainSetMemory(NULL, 1), ==, -1);
    g_assert_cmpint(vmmDomainSetVcpus(NULL, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, E);
}

static void testReadOnly(void)
{
    const int E = VMM_ERR_OPERATION_DENIED;
    vmmConnectPtr conn = openFixture(VMM_CONNECT_RO);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);

    g_assert_nonnull(dom);
    g_assert_cmpint(vmmConnectIsReadOnly(conn), ==, 1);
    CHECK_FAIL(vmmDomainDefineXMLFlags, (conn, "<domain/>", 0), NULL, E);
    CHECK_FAIL(vmmDomainCreateXML, (conn, "<domain/>", 0), NULL, E);
    CHECK_FAIL(vmmDomainRestoreFlags, (conn, "/f", NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainUndefineFlags, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainSetMetadata, (dom, 0, "x", NULL, NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainCreateWithFlags, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainDestroyFlags, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainShutdownFlags, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainReboot, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainReset, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryStatsPeriod, (dom, 1, 0), -1, E);
    CHECK_FAIL(vmmDomainSuspend, (dom), -1, E);
    CHECK_FAIL(vmmDomainResume, (dom), -1, E);
    CHECK_FAIL(vmmDomainSaveFlags, (dom, "/f", NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainManagedSave, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainManagedSaveRemove, (dom, 0), -1, E);
    CHECK_FAIL(vmmDomainSetMaxMemory, (dom, 1024), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryFlags, (dom, 1024, 0), -1, E);
    CHECK_FAIL(vmmDomainSetVcpusFlags, (dom, 1, 0), -1, E);
    CHECK_FAIL(vmmDomainSetAutostart, (dom, 1), -1, E);
    CHECK_FAIL(vmmDomainAbortJob, (dom), -1, E);
    CHECK_FAIL(vmmDomainSaveImageGetXMLDesc,
               (conn, "/f", VMM_DOMAIN_SAVE_IMAGE_XML_SECURE), NULL, E);
    CHECK_FAIL(vmmDomainGetXMLDesc, (dom, VMM_DOMAIN_XML_SECURE), NULL, E);
    g_assert_cmpstr(vmmGetLastErrorMessage(), ==,
                    "operation forbidden: read only access prevents "
                    "vmmDomainGetXMLDesc");
    /* Reads go through: this one to the driver's empty slot. */
    CHECK_FAIL(vmmDomainGetXMLDesc, (dom, 0), NULL, VMM_ERR_NO_SUPPORT);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testBadFlags(void)
{
    const int E = VMM_ERR_INVALID_ARG;
    vmmConnectPtr conn = openFixture(0);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainPtr *doms;
    vmmTypedParameterPtr params = NULL;
    vmmDomainControlInfo control;
    vmmDomainMemoryStat mstats[1];
    unsigned long long cells[1];
    int state, n = 0;

    CHECK_FAIL(vmmConnectGetSysinfo, (conn, BAD_FLAG), NULL, E);
    g_assert_nonnull(strstr(vmmGetLastErrorMessage(),
                            "unsupported flags (0x80000000) in function "
                            "vmmConnectGetSysinfo"));
    CHECK_FAIL(vmmConnectListAllDomains, (conn, &doms, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainDefineXMLFlags, (conn, "<domain/>", BAD_FLAG), NULL, E);
    CHECK_FAIL(vmmDomainCreateXML, (conn, "<domain/>", BAD_FLAG), NULL, E);
    CHECK_FAIL(vmmDomainRestoreFlags, (conn, "/f", NULL, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainUndefineFlags, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainGetXMLDesc, (dom, BAD_FLAG), NULL, E);
    CHECK_FAIL(vmmDomainSetMetadata, (dom, 0, "x", NULL, NULL, BAD_FLAG), -1,
               E);
    CHECK_FAIL(vmmDomainGetMetadata, (dom, 0, NULL, BAD_FLAG), NULL, E);
    CHECK_FAIL(vmmDomainCreateWithFlags, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainDestroyFlags, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainShutdownFlags, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainReboot, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainReset, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainGetControlInfo, (dom, &control, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainMemoryStats, (dom, mstats, 1, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryStatsPeriod, (dom, 1, BAD_FLAG), -1, E);
    /* Arguments, checked before the driver too. */
    CHECK_FAIL(vmmDomainGetControlInfo, (dom, NULL, 0), -1, E);
    CHECK_FAIL(vmmDomainMemoryStats, (dom, NULL, 1, 0), -1, E);
    CHECK_FAIL(vmmDomainMemoryStats, (dom, mstats, 0, 0), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryStatsPeriod, (dom, -1, 0), -1, E);
    CHECK_FAIL(vmmDomainGetSecurityLabel, (dom, NULL), -1, E);
    CHECK_FAIL(vmmNodeGetSecurityModel, (conn, NULL), -1, E);
    CHECK_FAIL(vmmNodeGetCPUStats, (conn, -1, NULL, NULL, 0), -1, E);
    CHECK_FAIL(vmmNodeGetCPUStats, (conn, -1, NULL, &n, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmNodeGetCPUStats, (conn, -2, NULL, &n, 0), -1, E);
    CHECK_FAIL(vmmNodeGetCellsFreeMemory, (conn, NULL, 0, 1), -1, E);
    CHECK_FAIL(vmmNodeGetCellsFreeMemory, (conn, cells, -1, 1), -1, E);
    CHECK_FAIL(vmmNodeGetCellsFreeMemory, (conn, cells, 0, 0), -1, E);
    CHECK_FAIL(vmmDomainSaveFlags, (dom, "/f", NULL, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainManagedSave, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainHasManagedSaveImage, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainManagedSaveRemove, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainGetState, (dom, &state, NULL, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainSetMemoryFlags, (dom, 1024, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainSetVcpusFlags, (dom, 1, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainGetVcpusFlags, (dom, BAD_FLAG), -1, E);
    CHECK_FAIL(vmmDomainGetJobStats, (dom, &state, &params, &n, BAD_FLAG), -1,
               E);
    CHECK_FAIL(vmmDomainSaveImageGetXMLDesc, (conn, "/f", BAD_FLAG), NULL, E);
    /* Flags that contradict each other. */
    CHECK_FAIL(
        vmmDomainSaveFlags,
        (dom, "/f", NULL, VMM_DOMAIN_SAVE_RUNNING | VMM_DOMAIN_SAVE_PAUSED), -1,
        E);
    CHECK_FAIL(vmmDomainSetVcpusFlags,
               (dom, 1, VMM_DOMAIN_VCPU_GUEST | VMM_DOMAIN_VCPU_CONFIG), -1, E);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testBadArguments(void)
{
    const int E = VMM_ERR_INVALID_ARG;
    vmmConnectPtr conn = openFixture(0);
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);

    CHECK_FAIL(vmmDomainLookupByName, (conn, NULL), NULL, E);
    g_assert_nonnull(
        strstr(vmmGetLastErrorMessage(), "name in vmmDomainLookupByName"));
    CHECK_FAIL(vmmDomainLookupByUUIDString, (conn, "nope"), NULL, E);
    CHECK_FAIL(vmmDomainLookupByID, (conn, -1), NULL, E);
    CHECK_FAIL(vmmConnectListDomains, (conn, NULL, 3), -1, E);
    CHECK_FAIL(vmmConnectListDefinedDomains, (conn, NULL, -1), -1, E);
    CHECK_FAIL(vmmDomainDefineXMLFlags, (conn, NULL, 0), NULL, E);
    CHECK_FAIL(vmmDomainSetMemoryFlags, (dom, 0, 0), -1, E);
    CHECK_FAIL(vmmDomainSetVcpusFlags, (dom, 0, 0), -1, E);
    CHECK_FAIL(vmmDomainGetMetadata, (dom, 7, NULL, 0), NULL, E);
    CHECK_FAIL(vmmDomainGetMetadata,
               (dom, VMM_DOMAIN_METADATA_ELEMENT, NULL, 0), NULL, E);
    CHECK_FAIL(vmmConnectDomainEventRegisterAny,
               (conn, NULL, VMM_DOMAIN_EVENT_ID_LAST,
                VMM_DOMAIN_EVENT_CALLBACK(g_free), NULL, NULL),
               -1, E);
    CHECK_FAIL(vmmConnectDomainEventDeregisterAny, (conn, -1), -1, E);
    CHECK_FAIL(vmmNodeGetInfo, (conn, NULL), -1, E);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testDriverCalls(void)
{
    vmmConnectPtr conn = openFixture(0);
    vmmDomainPtr dom = vmmDomainLookupByUUIDString(conn, FIXTURE_UUID);
    char uuidstr[VMM_UUID_STRING_BUFLEN];
    vmmDomainJobInfo jobInfo;
    vmmTypedParameterPtr params = NULL;
    int type, nparams;

    g_assert_nonnull(dom);
    g_assert_cmpstr(vmmDomainGetName(dom), ==, FIXTURE_DOM);
    g_assert_cmpuint(vmmDomainGetID(dom), ==, 1);
    g_assert_cmpint(vmmDomainGetUUIDString(dom, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, FIXTURE_UUID);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_null(vmmGetLastError());

    CHECK_FAIL(vmmDomainResume, (dom), -1, VMM_ERR_NO_SUPPORT);
    g_assert_cmpstr(vmmGetLastErrorMessage(), ==,
                    "this function is not supported by the connection "
                    "driver: vmmDomainResume");
    /* A wrapper ends in the flags form's slot. */
    CHECK_FAIL(vmmDomainCreateWithFlags, (dom, 0), -1, VMM_ERR_NO_SUPPORT);
    g_assert_cmpint(vmmDomainCreate(dom), ==, -1);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmConnectGetHostname, (conn), NULL, VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmDomainGetMaxMemory, (dom), 0, VMM_ERR_NO_SUPPORT);
    /* No job slot at all: job statistics cannot be built either. */
    CHECK_FAIL(vmmDomainGetJobInfo, (dom, &jobInfo), -1, VMM_ERR_NO_SUPPORT);
    CHECK_FAIL(vmmDomainGetJobStats, (dom, &type, &params, &nparams, 0), -1,
               VMM_ERR_NO_SUPPORT);
    g_assert_null(vmmDomainLookupByName(conn, "other"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_DOMAIN);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/open/no-uri", testOpenNoURI);
    g_test_add_func("/api/open/default-uri", testOpenDefaultURI);
    g_test_add_func("/api/open/failures", testOpenFailures);
    g_test_add_func("/api/refcount", testRefcount);
    g_test_add_func("/api/version", testVersion);
    g_test_add_func("/api/null-connection", testNullConnection);
    g_test_add_func("/api/null-domain", testNullDomain);
    g_test_add_func("/api/read-only", testReadOnly);
    g_test_add_func("/api/bad-flags", testBadFlags);
    g_test_add_func("/api/bad-arguments", testBadArguments);
    g_test_add_func("/api/driver-calls", testDriverCalls);
    ret = g_test_run();
    vmmResetLastError();
    fixtureCleanup();
    return ret;
}
