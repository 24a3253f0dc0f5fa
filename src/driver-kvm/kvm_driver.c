/*
 * kvm_driver.c: the QEMU driver's table and its connection-level calls
 * (open, host facts, capabilities, events). The guests' calls live in
 * kvm_driver_domain.c (definitions) and kvm_driver_lifecycle.c (running
 * QEMU); the shared state in kvm_driver_state.c.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "kvm_driver.h"
#include "kvm_driver_console.h"
#include "kvm_driver_control.h"
#include "kvm_driver_device.h"
#include "kvm_driver_domcaps.h"
#include "kvm_driver_stats.h"
#include "kvm_driver_domain.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_node.h"
#include "kvm_driver_resource.h"
#include "kvm_driver_save.h"
#include "kvm_driver_snapshot.h"
#include "kvm_driver_vcpu.h"
#include "node_info.h"
#include "util_error.h"

static vmmDrvOpenStatus kvmConnectOpen(vmmConnectPtr conn, const vmmURI *uri,
                                       unsigned int flags)
{
    if (!uri->driver || strcmp(uri->driver, "qemu") != 0 || uri->transport ||
        (uri->server && *uri->server))
        return VMM_DRV_OPEN_DECLINED;
    if (kvmCheckFlags(flags, VMM_CONNECT_RO | VMM_CONNECT_NO_ALIASES) < 0)
        return VMM_DRV_OPEN_ERROR;
    /* qemu:///session has no per-user daemon yet: it is the system one. */
    if (strcmp(uri->path, "/system") != 0 &&
        strcmp(uri->path, "/session") != 0) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "unexpected QEMU URI path '%s', try qemu:///system",
                    uri->path);
        return VMM_DRV_OPEN_ERROR;
    }
    if (!kvmDriverStateGet()) {
        errorReport(KVM_ERR, VMM_ERR_NO_CONNECT,
                    "the QEMU driver is not running: qemu:///system needs "
                    "vmmd running as root or with --root");
        return VMM_DRV_OPEN_ERROR;
    }
    conn->privateData = kvmDriverStateGet();
    return VMM_DRV_OPEN_SUCCESS;
}

static int kvmConnectClose(vmmConnectPtr conn)
{
    kvmDriverState *st = conn->privateData;

    if (st)
        domainEventStateDeregisterConn(st->events, conn);
    conn->privateData = NULL;
    return 0;
}

static const char *kvmConnectGetType(vmmConnectPtr conn)
{
    return "QEMU";
}

static int kvmConnectGetVersion(vmmConnectPtr conn, unsigned long *hvVer)
{
    kvmDriverState *st = kvmDriverStateGet();

    *hvVer = st->qemuCaps ? kvmCapsGetVersion(st->qemuCaps) : 0;
    return 0;
}

static char *kvmConnectGetHostname(vmmConnectPtr conn)
{
    return g_strdup(g_get_host_name());
}

static char *kvmConnectGetURI(vmmConnectPtr conn)
{
    return g_strdup("qemu:///system");
}

static char *kvmConnectGetCapabilities(vmmConnectPtr conn)
{
    return capsFormat(kvmDriverStateGet()->hostCaps);
}

static int kvmNodeGetInfo(vmmConnectPtr conn, vmmNodeInfoPtr info)
{
    return nodeGetInfo(info);
}

/* Local UNIX connections through vmmd: nothing crosses a network. */
static int kvmConnectIsEncrypted(vmmConnectPtr conn)
{
    return 0;
}

static int kvmConnectIsSecure(vmmConnectPtr conn)
{
    return 1;
}

static int kvmConnectIsAlive(vmmConnectPtr conn)
{
    return 1;
}

static int
kvmConnectDomainEventRegisterAny(vmmConnectPtr conn, vmmDomainPtr dom,
                                 int eventID,
                                 vmmConnectDomainEventGenericCallback cb,
                                 void *opaque, vmmFreeCallback freecb)
{
    return domainEventStateRegister(kvmDriverStateGet()->events, conn, dom,
                                    eventID, cb, opaque, freecb);
}

static int kvmConnectDomainEventDeregisterAny(vmmConnectPtr conn,
                                              int callbackID)
{
    return domainEventStateDeregister(kvmDriverStateGet()->events, conn,
                                      callbackID);
}

/* Slots left NULL (VMM_ERR_NO_SUPPORT): sysinfo. */
static const vmmHypervisorDriver kvmHypervisorDriver = {
    .name = "QEMU",
    .connectOpen = kvmConnectOpen,
    .connectClose = kvmConnectClose,
    .connectGetType = kvmConnectGetType,
    .connectGetVersion = kvmConnectGetVersion,
    .connectGetHostname = kvmConnectGetHostname,
    .connectGetURI = kvmConnectGetURI,
    .connectGetCapabilities = kvmConnectGetCapabilities,
    .connectGetDomainCapabilities = kvmConnectGetDomainCapabilities,
    .connectGetMaxVcpus = kvmConnectGetMaxVcpus,
    .nodeGetInfo = kvmNodeGetInfo,
    .nodeGetCPUMap = kvmVcpuNodeGetCPUMap,
    .nodeGetCPUStats = kvmNodeGetCPUStats,
    .nodeGetCellsFreeMemory = kvmNodeGetCellsFreeMemory,
    .nodeGetFreeMemory = kvmNodeGetFreeMemory,
    .nodeGetSecurityModel = kvmNodeGetSecurityModel,
    .domainGetSecurityLabel = kvmDomainGetSecurityLabel,
    .connectIsEncrypted = kvmConnectIsEncrypted,
    .connectIsSecure = kvmConnectIsSecure,
    .connectIsAlive = kvmConnectIsAlive,

    .connectListAllDomains = kvmConnectListAllDomains,
    .connectNumOfDomains = kvmConnectNumOfDomains,
    .connectListDomains = kvmConnectListDomains,
    .connectNumOfDefinedDomains = kvmConnectNumOfDefinedDomains,
    .connectListDefinedDomains = kvmConnectListDefinedDomains,

    .domainLookupByName = kvmDomainLookupByName,
    .domainLookupByUUID = kvmDomainLookupByUUID,
    .domainLookupByID = kvmDomainLookupByID,

    .domainDefineXMLFlags = kvmDomainDefineXMLFlags,
    .domainUndefineFlags = kvmDomainUndefineFlags,
    .domainGetXMLDesc = kvmDomainGetXMLDesc,
    .domainGetOSType = kvmDomainGetOSType,
    .domainSetMetadata = kvmDomainSetMetadata,
    .domainGetMetadata = kvmDomainGetMetadata,

    .domainCreateWithFlags = kvmDomainCreateWithFlags,
    .domainCreateXML = kvmDomainCreateXML,
    .domainDestroyFlags = kvmDomainDestroyFlags,
    .domainShutdownFlags = kvmDomainShutdownFlags,
    .domainReboot = kvmDomainReboot,
    .domainReset = kvmDomainReset,
    .domainGetControlInfo = kvmDomainGetControlInfo,
    .domainMemoryStats = kvmDomainMemoryStats,
    .domainSetMemoryStatsPeriod = kvmDomainSetMemoryStatsPeriod,
    .domainSuspend = kvmDomainSuspend,
    .domainResume = kvmDomainResume,
    .domainOpenConsole = kvmDomainOpenConsole,
    .domainAttachDeviceFlags = kvmDomainAttachDeviceFlags,
    .domainDetachDeviceFlags = kvmDomainDetachDeviceFlags,
    .domainBlockStats = kvmDomainBlockStats,
    .connectGetAllDomainStats = kvmConnectGetAllDomainStats,
    .domainInterfaceStats = kvmDomainInterfaceStats,
    .domainSaveFlags = kvmDomainSaveFlags,
    .domainRestoreFlags = kvmDomainRestoreFlags,
    .domainManagedSave = kvmDomainManagedSave,
    .domainHasManagedSaveImage = kvmDomainHasManagedSaveImage,
    .domainManagedSaveRemove = kvmDomainManagedSaveRemove,
    .domainSaveImageGetXMLDesc = kvmDomainSaveImageGetXMLDesc,
    .domainGetJobInfo = kvmDomainGetJobInfo,
    .domainGetJobStats = kvmDomainGetJobStats,
    .domainAbortJob = kvmDomainAbortJob,

    .domainGetInfo = kvmDomainGetInfo,
    .domainGetState = kvmDomainGetState,
    .domainGetMaxMemory = kvmDomainGetMaxMemory,
    .domainSetMaxMemory = kvmDomainSetMaxMemory,
    .domainSetMemoryFlags = kvmResourceSetMemoryFlags,
    .domainSetVcpusFlags = kvmVcpuSetVcpusFlags,
    .domainGetVcpusFlags = kvmDomainGetVcpusFlags,
    .domainGetMaxVcpus = kvmDomainGetMaxVcpus,
    .domainGetVcpus = kvmVcpuGetVcpus,
    .domainPinVcpuFlags = kvmVcpuPinVcpuFlags,
    .domainGetVcpuPinInfo = kvmVcpuGetVcpuPinInfo,
    .domainGetAutostart = kvmDomainGetAutostart,
    .domainSetAutostart = kvmDomainSetAutostart,
    .domainIsActive = kvmDomainIsActive,
    .domainIsPersistent = kvmDomainIsPersistent,
    .domainIsUpdated = kvmDomainIsUpdated,

    .domainSnapshotNum = kvmDomainSnapshotNum,
    .domainSnapshotCreateXML = kvmDomainSnapshotCreateXML,
    .domainSnapshotGetXMLDesc = kvmDomainSnapshotGetXMLDesc,
    .domainListAllSnapshots = kvmDomainListAllSnapshots,
    .domainSnapshotLookupByName = kvmDomainSnapshotLookupByName,
    .domainHasCurrentSnapshot = kvmDomainHasCurrentSnapshot,
    .domainSnapshotCurrent = kvmDomainSnapshotCurrent,
    .domainRevertToSnapshot = kvmDomainRevertToSnapshot,
    .domainSnapshotDelete = kvmDomainSnapshotDelete,

    .connectDomainEventRegisterAny = kvmConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = kvmConnectDomainEventDeregisterAny,
};

int kvmDriverRegister(void)
{
    return driverRegisterHypervisor(&kvmHypervisorDriver);
}
