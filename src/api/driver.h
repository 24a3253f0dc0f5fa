/*
 * driver.h: the table a hypervisor driver fills in, and the registry the
 * public API dispatches through.
 *
 * A driver fills a vmmHypervisorDriver with designated initializers; a NULL
 * slot means "not supported" and the API layer reports VMM_ERR_NO_SUPPORT.
 * The API layer has already checked pointers, read-only and flag masks that
 * it knows; the driver checks what only it can know (e.g. flags it does not
 * implement, with VMM_ERR_INVALID_ARG "unsupported flags"). Every slot
 * follows the error contract of util_error.h.
 */
#pragma once

#include <vmm/vmm.h>

#include "util_uri.h"

typedef enum {
    VMM_DRV_OPEN_SUCCESS = 0,
    VMM_DRV_OPEN_DECLINED = -2, /* not my URI: try the next driver */
    VMM_DRV_OPEN_ERROR = -1,    /* my URI, but it failed; error is set */
} vmmDrvOpenStatus;

typedef struct _vmmHypervisorDriver vmmHypervisorDriver;
typedef struct _vmmStreamDriver vmmStreamDriver;

/* What moves a stream's bytes, set on the stream by the call that binds it
 * (a driver's domainOpenConsole, the remote driver). st->privateData is
 * the stream driver's. Send and Recv return bytes, 0 (Recv: end of file),
 * -2 (non-blocking and nothing can move now) or -1 with the error set.
 * streamRelease frees privateData; it runs once, with the last reference,
 * after streamAbort when the stream was neither finished nor aborted. */
struct _vmmStreamDriver {
    int (*streamSend)(vmmStreamPtr st, const char *data, size_t nbytes);
    int (*streamRecv)(vmmStreamPtr st, char *data, size_t nbytes);
    int (*streamEventAddCallback)(vmmStreamPtr st, int events,
                                  vmmStreamEventCallback cb, void *opaque,
                                  vmmFreeCallback ff);
    int (*streamEventUpdateCallback)(vmmStreamPtr st, int events);
    int (*streamEventRemoveCallback)(vmmStreamPtr st);
    int (*streamFinish)(vmmStreamPtr st);
    int (*streamAbort)(vmmStreamPtr st);
    void (*streamRelease)(vmmStreamPtr st);
};

struct _vmmHypervisorDriver {
    const char *name; /* what vmmConnectGetType returns, e.g. "TEST" */

    /* @uri is parsed; conn->privateData is the driver's to set. */
    vmmDrvOpenStatus (*connectOpen)(vmmConnectPtr conn, const vmmURI *uri,
                                    unsigned int flags);
    int (*connectClose)(vmmConnectPtr conn);
    /* The hypervisor's name when it is not the driver's own (the remote
     * driver asks the server); it lives as long as the connection. NULL
     * slot: @name. */
    const char *(*connectGetType)(vmmConnectPtr conn);
    int (*connectGetVersion)(vmmConnectPtr conn, unsigned long *hvVer);
    char *(*connectGetHostname)(vmmConnectPtr conn);
    char *(*connectGetURI)(vmmConnectPtr conn);
    char *(*connectGetCapabilities)(vmmConnectPtr conn);
    char *(*connectGetSysinfo)(vmmConnectPtr conn, unsigned int flags);
    char *(*connectGetDomainCapabilities)(vmmConnectPtr conn,
                                          const char *emulatorbin,
                                          const char *arch,
                                          const char *machine,
                                          const char *virttype,
                                          unsigned int flags);
    int (*connectGetMaxVcpus)(vmmConnectPtr conn, const char *type);
    int (*nodeGetInfo)(vmmConnectPtr conn, vmmNodeInfoPtr info);
    int (*nodeGetCPUMap)(vmmConnectPtr conn, unsigned char **cpumap,
                         unsigned int *online, unsigned int flags);
    /* The API layer checked @nparams against @params as documented. */
    int (*nodeGetCPUStats)(vmmConnectPtr conn, int cpuNum,
                           vmmNodeCPUStatsPtr params, int *nparams,
                           unsigned int flags);
    int (*nodeGetCellsFreeMemory)(vmmConnectPtr conn,
                                  unsigned long long *freeMems,
                                  int startCell, int maxCells);
    /* 0 on error. */
    unsigned long long (*nodeGetFreeMemory)(vmmConnectPtr conn);
    int (*nodeGetSecurityModel)(vmmConnectPtr conn,
                                vmmSecurityModelPtr secmodel);
    int (*domainGetSecurityLabel)(vmmDomainPtr dom,
                                  vmmSecurityLabelPtr seclabel);
    int (*connectIsEncrypted)(vmmConnectPtr conn);
    int (*connectIsSecure)(vmmConnectPtr conn);
    int (*connectIsAlive)(vmmConnectPtr conn);
    /* Close callbacks are kept by the API layer; a driver whose connection
     * can drop (remote) calls connectNotifyClosed() from datatypes.h. */

    int (*connectListAllDomains)(vmmConnectPtr conn, vmmDomainPtr **domains,
                                 unsigned int flags);
    int (*connectNumOfDomains)(vmmConnectPtr conn);
    int (*connectListDomains)(vmmConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(vmmConnectPtr conn);
    int (*connectListDefinedDomains)(vmmConnectPtr conn, char **const names,
                                     int maxnames);

    vmmDomainPtr (*domainLookupByName)(vmmConnectPtr conn, const char *name);
    vmmDomainPtr (*domainLookupByUUID)(vmmConnectPtr conn,
                                       const unsigned char *uuid);
    vmmDomainPtr (*domainLookupByID)(vmmConnectPtr conn, int id);

    vmmDomainPtr (*domainDefineXMLFlags)(vmmConnectPtr conn, const char *xml,
                                         unsigned int flags);
    int (*domainUndefineFlags)(vmmDomainPtr dom, unsigned int flags);
    char *(*domainGetXMLDesc)(vmmDomainPtr dom, unsigned int flags);
    char *(*domainGetOSType)(vmmDomainPtr dom);
    int (*domainSetMetadata)(vmmDomainPtr dom, int type, const char *metadata,
                             const char *key, const char *uri,
                             unsigned int flags);
    char *(*domainGetMetadata)(vmmDomainPtr dom, int type, const char *uri,
                               unsigned int flags);

    int (*domainCreateWithFlags)(vmmDomainPtr dom, unsigned int flags);
    vmmDomainPtr (*domainCreateXML)(vmmConnectPtr conn, const char *xml,
                                    unsigned int flags);
    int (*domainDestroyFlags)(vmmDomainPtr dom, unsigned int flags);
    int (*domainShutdownFlags)(vmmDomainPtr dom, unsigned int flags);
    int (*domainReboot)(vmmDomainPtr dom, unsigned int flags);
    int (*domainReset)(vmmDomainPtr dom, unsigned int flags);
    /* Must answer while a job runs, without waiting for it. */
    int (*domainGetControlInfo)(vmmDomainPtr dom,
                                vmmDomainControlInfoPtr info,
                                unsigned int flags);
    /* Fills at most @nr entries of @stats; returns how many. */
    int (*domainMemoryStats)(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                             unsigned int nr, unsigned int flags);
    int (*domainSetMemoryStatsPeriod)(vmmDomainPtr dom, int period,
                                      unsigned int flags);
    int (*domainSuspend)(vmmDomainPtr dom);
    int (*domainResume)(vmmDomainPtr dom);
    int (*domainSaveFlags)(vmmDomainPtr dom, const char *to, const char *dxml,
                           unsigned int flags);
    int (*domainRestoreFlags)(vmmConnectPtr conn, const char *from,
                              const char *dxml, unsigned int flags);
    int (*domainManagedSave)(vmmDomainPtr dom, unsigned int flags);
    int (*domainHasManagedSaveImage)(vmmDomainPtr dom, unsigned int flags);
    int (*domainManagedSaveRemove)(vmmDomainPtr dom, unsigned int flags);
    char *(*domainSaveImageGetXMLDesc)(vmmConnectPtr conn, const char *file,
                                       unsigned int flags);

    /* Jobs. domainGetJobInfo must answer while a job runs, without waiting
     * for it. A driver without domainGetJobStats gets it built by the API
     * layer from domainGetJobInfo (current job only). */
    int (*domainGetJobInfo)(vmmDomainPtr dom, vmmDomainJobInfoPtr info);
    int (*domainGetJobStats)(vmmDomainPtr dom, int *type,
                             vmmTypedParameterPtr *params, int *nparams,
                             unsigned int flags);
    int (*domainAbortJob)(vmmDomainPtr dom);

    int (*domainGetInfo)(vmmDomainPtr dom, vmmDomainInfoPtr info);
    int (*domainGetState)(vmmDomainPtr dom, int *state, int *reason,
                          unsigned int flags);
    unsigned long (*domainGetMaxMemory)(vmmDomainPtr dom);
    int (*domainSetMaxMemory)(vmmDomainPtr dom, unsigned long memory);
    int (*domainSetMemoryFlags)(vmmDomainPtr dom, unsigned long memory,
                                unsigned int flags);
    int (*domainSetVcpusFlags)(vmmDomainPtr dom, unsigned int nvcpus,
                               unsigned int flags);
    int (*domainGetVcpusFlags)(vmmDomainPtr dom, unsigned int flags);
    int (*domainGetMaxVcpus)(vmmDomainPtr dom);
    int (*domainGetVcpus)(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                          unsigned char *cpumaps, int maplen);
    int (*domainPinVcpuFlags)(vmmDomainPtr dom, unsigned int vcpu,
                              unsigned char *cpumap, int maplen,
                              unsigned int flags);
    int (*domainGetVcpuPinInfo)(vmmDomainPtr dom, int ncpumaps,
                                unsigned char *cpumaps, int maplen,
                                unsigned int flags);
    int (*domainGetAutostart)(vmmDomainPtr dom, int *autostart);
    int (*domainSetAutostart)(vmmDomainPtr dom, int autostart);
    int (*domainIsActive)(vmmDomainPtr dom);
    int (*domainIsPersistent)(vmmDomainPtr dom);
    int (*domainIsUpdated)(vmmDomainPtr dom);
    int (*domainSnapshotNum)(vmmDomainPtr dom, unsigned int flags);
    vmmDomainSnapshotPtr (*domainSnapshotCreateXML)(vmmDomainPtr dom,
                                                    const char *xml,
                                                    unsigned int flags);
    char *(*domainSnapshotGetXMLDesc)(vmmDomainSnapshotPtr snap,
                                      unsigned int flags);
    int (*domainListAllSnapshots)(vmmDomainPtr dom,
                                  vmmDomainSnapshotPtr **snaps,
                                  unsigned int flags);
    vmmDomainSnapshotPtr (*domainSnapshotLookupByName)(vmmDomainPtr dom,
                                                       const char *name,
                                                       unsigned int flags);
    int (*domainHasCurrentSnapshot)(vmmDomainPtr dom, unsigned int flags);
    vmmDomainSnapshotPtr (*domainSnapshotCurrent)(vmmDomainPtr dom,
                                                  unsigned int flags);
    int (*domainRevertToSnapshot)(vmmDomainSnapshotPtr snap,
                                  unsigned int flags);
    int (*domainSnapshotDelete)(vmmDomainSnapshotPtr snap,
                                unsigned int flags);

    /* Binds @st (of the same connection, unbound) to the console. */
    int (*domainOpenConsole)(vmmDomainPtr dom, const char *dev_name,
                             vmmStreamPtr st, unsigned int flags);

    /* Statistics of @doms (@ndoms of them), or of every domain matching
     * @flags when @doms is NULL; *@retStats as vmmConnectGetAllDomainStats
     * gives it. */
    int (*connectGetAllDomainStats)(vmmConnectPtr conn, vmmDomainPtr *doms,
                                    unsigned int ndoms, unsigned int stats,
                                    vmmDomainStatsRecordPtr **retStats,
                                    unsigned int flags);

    /* Devices (kvm_driver_device.c for QEMU). */
    int (*domainAttachDeviceFlags)(vmmDomainPtr dom, const char *xml,
                                   unsigned int flags);
    int (*domainDetachDeviceFlags)(vmmDomainPtr dom, const char *xml,
                                   unsigned int flags);
    /* @stats come preset to -1 (unknown), sized as this library knows. */
    int (*domainBlockStats)(vmmDomainPtr dom, const char *path,
                            vmmDomainBlockStatsPtr stats);
    int (*domainInterfaceStats)(vmmDomainPtr dom, const char *device,
                                vmmDomainInterfaceStatsPtr stats);

    int (*connectDomainEventRegisterAny)(
        vmmConnectPtr conn, vmmDomainPtr dom, int eventID,
        vmmConnectDomainEventGenericCallback cb, void *opaque,
        vmmFreeCallback freecb);
    int (*connectDomainEventDeregisterAny)(vmmConnectPtr conn,
                                           int callbackID);
};

/* Drivers are tried in registration order by vmmConnectOpen. Registering
 * happens once, at library initialisation (driver_registry.c). */
int driverRegisterHypervisor(const vmmHypervisorDriver *driver);

/* Registers every driver the library carries (src/libvmm_drivers.c, linked
 * only into libvmm.so and vmmd). Called once by the API layer. */
void libvmmRegisterDrivers(void);
