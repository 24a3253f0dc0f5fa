/*
 * test_driver.c: the test:/// driver's table, connections and host facts.
 *
 * test:///default is an in-process fake host with one running guest,
 * "test", shared by every connection of the process; test:///PATH.xml is a
 * private host read from a description file (test_state.c). Programs use
 * it to exercise the API without a hypervisor. The domain calls live in
 * test_domain.c, test_lifecycle.c and test_resource.c.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "test_control.h"
#include "test_domain.h"
#include "test_driver.h"
#include "test_lifecycle.h"
#include "test_node.h"
#include "test_resource.h"
#include "test_vcpu.h"
#include "test_state.h"
#include "util_error.h"
#include "util_xml.h"

#define TEST_ERR VMM_FROM_TEST

/* What vmmConnectGetVersion says, as libvirt's test driver. */
#define TEST_HV_VERSION 2
#define TEST_EMULATOR "/usr/bin/test-hv"

static testState *testStateOf(vmmConnectPtr conn)
{
    return conn->privateData;
}

static vmmDrvOpenStatus testConnectOpen(vmmConnectPtr conn, const vmmURI *uri,
                                        unsigned int flags)
{
    testState *state;

    if (!uri->driver || strcmp(uri->driver, "test") != 0 || uri->transport ||
        (uri->server && *uri->server))
        return VMM_DRV_OPEN_DECLINED;
    if (testCheckFlags(flags, VMM_CONNECT_RO | VMM_CONNECT_NO_ALIASES) < 0)
        return VMM_DRV_OPEN_ERROR;
    if (!uri->path || !g_path_is_absolute(uri->path) ||
        strcmp(uri->path, "/") == 0) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "the test driver needs a path: use test:///default or "
                    "test:///ABSOLUTE/PATH.xml");
        return VMM_DRV_OPEN_ERROR;
    }
    if (strcmp(uri->path, "/default") == 0)
        state = testStateGetDefault();
    else
        state = testStateNewFromFile(uri->path);
    if (!state)
        return VMM_DRV_OPEN_ERROR;
    conn->privateData = state;
    return VMM_DRV_OPEN_SUCCESS;
}

static int testConnectClose(vmmConnectPtr conn)
{
    testState *state = testStateOf(conn);

    if (!state)
        return 0;
    domainEventStateDeregisterConn(state->events, conn);
    testStateUnref(state);
    conn->privateData = NULL;
    return 0;
}

static int testConnectGetVersion(vmmConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = TEST_HV_VERSION;
    return 0;
}

static char *testConnectGetHostname(vmmConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

static char *testConnectGetURI(vmmConnectPtr conn)
{
    return uriFormat(conn->uri);
}

/* "a-b" or "a,b" or "a": the logical CPUs from @first, @n of them. */
static char *testSiblings(unsigned int first, unsigned int n)
{
    if (n == 1)
        return g_strdup_printf("%u", first);
    if (n == 2)
        return g_strdup_printf("%u,%u", first, first + 1);
    return g_strdup_printf("%u-%u", first, first + n - 1);
}

static void testFormatCell(vxmlBuf *buf, const vmmNodeInfo *info,
                           unsigned int cell)
{
    unsigned int perCell = info->sockets * info->cores * info->threads;

    vxmlBufAdd(buf, "<cell id='%u'>\n", cell);
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<memory unit='KiB'>%lu</memory>\n",
               info->memory / info->nodes);
    vxmlBufAdd(buf, "<cpus num='%u'>\n", perCell);
    vxmlBufIndent(buf, 2);
    for (unsigned int j = 0; j < perCell; j++) {
        unsigned int id = cell * perCell + j;
        g_autofree char *siblings =
            testSiblings(id - j % info->threads, info->threads);

        vxmlBufAdd(buf,
                   "<cpu id='%u' socket_id='%u' die_id='0' core_id='%u' "
                   "siblings='%s'/>\n",
                   id, j / (info->cores * info->threads),
                   (j / info->threads) % info->cores, siblings);
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cpus>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cell>\n");
}

static void testFormatHost(vxmlBuf *buf, const vmmNodeInfo *info)
{
    vxmlBufAdd(buf, "<host>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<cpu>\n  <arch>i686</arch>\n");
    vxmlBufAdd(buf, "  <features>\n    <pae/>\n    <nonpae/>\n"
                    "  </features>\n</cpu>\n");
    vxmlBufAdd(buf, "<power_management/>\n<iommu support='no'/>\n");
    vxmlBufAdd(buf, "<topology>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<cells num='%u'>\n", info->nodes);
    vxmlBufIndent(buf, 2);
    for (unsigned int cell = 0; cell < info->nodes; cell++)
        testFormatCell(buf, info, cell);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cells>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</topology>\n");
    vxmlBufAdd(buf, "<secmodel>\n  <model>testSecurity</model>\n"
                    "  <doi></doi>\n</secmodel>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</host>\n");
}

static void testFormatGuest(vxmlBuf *buf, const char *osType)
{
    vxmlBufAdd(buf, "<guest>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<os_type>%s</os_type>\n", osType);
    vxmlBufAdd(buf, "<arch name='i686'>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<wordsize>32</wordsize>\n");
    vxmlBufAdd(buf, "<emulator>%s</emulator>\n", TEST_EMULATOR);
    vxmlBufAdd(buf, "<domain type='test'/>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</arch>\n");
    vxmlBufAdd(buf, "<features>\n  <pae/>\n  <nonpae/>\n</features>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</guest>\n");
}

static char *testConnectGetCapabilities(vmmConnectPtr conn)
{
    g_auto(vxmlBuf) buf = {0};

    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<capabilities>\n");
    vxmlBufIndent(&buf, 2);
    testFormatHost(&buf, &testStateOf(conn)->nodeInfo);
    testFormatGuest(&buf, "hvm");
    testFormatGuest(&buf, "xen");
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "</capabilities>\n");
    return vxmlBufFinish(&buf);
}

static char *testConnectGetSysinfo(vmmConnectPtr conn, unsigned int flags)
{
    if (testCheckFlags(flags, 0) < 0)
        return NULL;
    return g_strdup("<sysinfo type='smbios'>\n"
                    "  <bios>\n"
                    "    <entry name='vendor'>vmm</entry>\n"
                    "    <entry name='version'>test driver</entry>\n"
                    "    <entry name='date'>01/01/2026</entry>\n"
                    "    <entry name='release'>1.0</entry>\n"
                    "  </bios>\n"
                    "  <system>\n"
                    "    <entry name='manufacturer'>vmm</entry>\n"
                    "    <entry name='product'>test host</entry>\n"
                    "  </system>\n"
                    "</sysinfo>\n");
}

static int testConnectGetMaxVcpus(vmmConnectPtr conn, const char *type)
{
    return TEST_MAX_VCPUS;
}

static int testNodeGetInfo(vmmConnectPtr conn, vmmNodeInfoPtr info)
{
    *info = testStateOf(conn)->nodeInfo;
    return 0;
}

static int testConnectIsEncrypted(vmmConnectPtr conn)
{
    return 0;
}

/* In-process: nothing travels over a wire. */
static int testConnectIsSecure(vmmConnectPtr conn)
{
    return 1;
}

static int testConnectIsAlive(vmmConnectPtr conn)
{
    return 1;
}

static int
testConnectDomainEventRegisterAny(vmmConnectPtr conn, vmmDomainPtr dom,
                                  int eventID,
                                  vmmConnectDomainEventGenericCallback cb,
                                  void *opaque, vmmFreeCallback freecb)
{
    return domainEventStateRegister(testStateOf(conn)->events, conn, dom,
                                    eventID, cb, opaque, freecb);
}

static int testConnectDomainEventDeregisterAny(vmmConnectPtr conn,
                                               int callbackID)
{
    return domainEventStateDeregister(testStateOf(conn)->events, conn,
                                      callbackID);
}

static const vmmHypervisorDriver testHypervisorDriver = {
    .name = "TEST", /* libvirtd answers CONNECT_GET_TYPE so */
    .connectOpen = testConnectOpen,
    .connectClose = testConnectClose,
    .connectGetVersion = testConnectGetVersion,
    .connectGetHostname = testConnectGetHostname,
    .connectGetURI = testConnectGetURI,
    .connectGetCapabilities = testConnectGetCapabilities,
    .connectGetSysinfo = testConnectGetSysinfo,
    .connectGetMaxVcpus = testConnectGetMaxVcpus,
    .nodeGetInfo = testNodeGetInfo,
    .nodeGetCPUMap = testNodeGetCPUMap,
    .nodeGetCPUStats = testNodeGetCPUStats,
    .nodeGetCellsFreeMemory = testNodeGetCellsFreeMemory,
    .nodeGetFreeMemory = testNodeGetFreeMemory,
    .nodeGetSecurityModel = testNodeGetSecurityModel,
    .domainGetSecurityLabel = testDomainGetSecurityLabel,
    .connectIsEncrypted = testConnectIsEncrypted,
    .connectIsSecure = testConnectIsSecure,
    .connectIsAlive = testConnectIsAlive,

    .connectListAllDomains = testConnectListAllDomains,
    .connectNumOfDomains = testConnectNumOfDomains,
    .connectListDomains = testConnectListDomains,
    .connectNumOfDefinedDomains = testConnectNumOfDefinedDomains,
    .connectListDefinedDomains = testConnectListDefinedDomains,

    .domainLookupByName = testDomainLookupByName,
    .domainLookupByUUID = testDomainLookupByUUID,
    .domainLookupByID = testDomainLookupByID,

    .domainDefineXMLFlags = testDomainDefineXMLFlags,
    .domainUndefineFlags = testDomainUndefineFlags,
    .domainGetXMLDesc = testDomainGetXMLDesc,
    .domainGetOSType = testDomainGetOSType,
    .domainSetMetadata = testDomainSetMetadata,
    .domainGetMetadata = testDomainGetMetadata,

    .domainCreateWithFlags = testDomainCreateWithFlags,
    .domainCreateXML = testDomainCreateXML,
    .domainDestroyFlags = testDomainDestroyFlags,
    .domainShutdownFlags = testDomainShutdownFlags,
    .domainReboot = testDomainReboot,
    .domainReset = testDomainReset,
    .domainGetControlInfo = testDomainGetControlInfo,
    .domainMemoryStats = testDomainMemoryStats,
    .domainSetMemoryStatsPeriod = testDomainSetMemoryStatsPeriod,
    .domainSuspend = testDomainSuspend,
    .domainResume = testDomainResume,
    .domainSaveFlags = testDomainSaveFlags,
    .domainRestoreFlags = testDomainRestoreFlags,
    .domainManagedSave = testDomainManagedSave,
    .domainHasManagedSaveImage = testDomainHasManagedSaveImage,
    .domainManagedSaveRemove = testDomainManagedSaveRemove,
    .domainSaveImageGetXMLDesc = testDomainSaveImageGetXMLDesc,
    .domainGetJobInfo = testDomainGetJobInfo,
    .domainGetJobStats = testDomainGetJobStats,
    .domainAbortJob = testDomainAbortJob,

    .domainGetInfo = testDomainGetInfo,
    .domainGetState = testDomainGetState,
    .domainGetMaxMemory = testDomainGetMaxMemory,
    .domainSetMaxMemory = testDomainSetMaxMemory,
    .domainSetMemoryFlags = testDomainSetMemoryFlags,
    .domainSetVcpusFlags = testDomainSetVcpusFlags,
    .domainGetVcpusFlags = testDomainGetVcpusFlags,
    .domainGetMaxVcpus = testDomainGetMaxVcpus,
    .domainGetVcpus = testDomainGetVcpus,
    .domainPinVcpuFlags = testDomainPinVcpuFlags,
    .domainGetVcpuPinInfo = testDomainGetVcpuPinInfo,
    .domainGetAutostart = testDomainGetAutostart,
    .domainSetAutostart = testDomainSetAutostart,
    .domainIsActive = testDomainIsActive,
    .domainIsPersistent = testDomainIsPersistent,
    .domainIsUpdated = testDomainIsUpdated,
    .domainSnapshotNum = testDomainSnapshotNum,

    .connectDomainEventRegisterAny = testConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = testConnectDomainEventDeregisterAny,
};

int testDriverRegister(void)
{
    return driverRegisterHypervisor(&testHypervisorDriver);
}
