/*
 * vmm-domain.h: guests ("domains"): listing, lookup, definition, lifecycle,
 * resources and lifecycle events.
 *
 * Semantics follow libvirt's virDomain* API function for function; the
 * numbers of every enum are libvirt's.
 */
#ifndef VMM_DOMAIN_H
#define VMM_DOMAIN_H

#ifndef VMM_H_INCLUDED
# error "include <vmm/vmm.h> instead of this file"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VMM_DOMAIN_NOSTATE = 0,
    VMM_DOMAIN_RUNNING = 1,
    VMM_DOMAIN_BLOCKED = 2,
    VMM_DOMAIN_PAUSED = 3,
    VMM_DOMAIN_SHUTDOWN = 4,
    VMM_DOMAIN_SHUTOFF = 5,
    VMM_DOMAIN_CRASHED = 6,
    VMM_DOMAIN_PMSUSPENDED = 7,
    VMM_DOMAIN_LAST
} vmmDomainState;

/* Reasons, per state, as returned by vmmDomainGetState. */
typedef enum {
    VMM_DOMAIN_RUNNING_UNKNOWN = 0,
    VMM_DOMAIN_RUNNING_BOOTED = 1,
    VMM_DOMAIN_RUNNING_MIGRATED = 2,
    VMM_DOMAIN_RUNNING_RESTORED = 3,
    VMM_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VMM_DOMAIN_RUNNING_UNPAUSED = 5,
    VMM_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
    VMM_DOMAIN_RUNNING_SAVE_CANCELED = 7,
    VMM_DOMAIN_RUNNING_WAKEUP = 8,
    VMM_DOMAIN_RUNNING_CRASHED = 9,
    VMM_DOMAIN_RUNNING_POSTCOPY = 10,
    VMM_DOMAIN_RUNNING_LAST
} vmmDomainRunningReason;

typedef enum {
    VMM_DOMAIN_PAUSED_UNKNOWN = 0,
    VMM_DOMAIN_PAUSED_USER = 1,
    VMM_DOMAIN_PAUSED_MIGRATION = 2,
    VMM_DOMAIN_PAUSED_SAVE = 3,
    VMM_DOMAIN_PAUSED_DUMP = 4,
    VMM_DOMAIN_PAUSED_IOERROR = 5,
    VMM_DOMAIN_PAUSED_WATCHDOG = 6,
    VMM_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
    VMM_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    VMM_DOMAIN_PAUSED_SNAPSHOT = 9,
    VMM_DOMAIN_PAUSED_CRASHED = 10,
    VMM_DOMAIN_PAUSED_STARTING_UP = 11,
    VMM_DOMAIN_PAUSED_LAST
} vmmDomainPausedReason;

typedef enum {
    VMM_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VMM_DOMAIN_SHUTDOWN_USER = 1,
    VMM_DOMAIN_SHUTDOWN_LAST
} vmmDomainShutdownReason;

typedef enum {
    VMM_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VMM_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VMM_DOMAIN_SHUTOFF_DESTROYED = 2,
    VMM_DOMAIN_SHUTOFF_CRASHED = 3,
    VMM_DOMAIN_SHUTOFF_MIGRATED = 4,
    VMM_DOMAIN_SHUTOFF_SAVED = 5,
    VMM_DOMAIN_SHUTOFF_FAILED = 6,
    VMM_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    VMM_DOMAIN_SHUTOFF_DAEMON = 8,
    VMM_DOMAIN_SHUTOFF_LAST
} vmmDomainShutoffReason;

typedef enum {
    VMM_DOMAIN_CRASHED_UNKNOWN = 0,
    VMM_DOMAIN_CRASHED_PANICKED = 1,
    VMM_DOMAIN_CRASHED_LAST
} vmmDomainCrashedReason;

typedef struct _vmmDomainInfo {
    unsigned char state;        /* vmmDomainState */
    unsigned long maxMem;       /* KiB */
    unsigned long memory;       /* KiB */
    unsigned short nrVirtCpu;
    unsigned long long cpuTime; /* nanoseconds */
} vmmDomainInfo;
typedef vmmDomainInfo *vmmDomainInfoPtr;

/* vmmConnectListAllDomains flags; groups of opposite flags filter only when
 * one of the pair is given. */
typedef enum {
    VMM_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VMM_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VMM_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VMM_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VMM_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VMM_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VMM_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VMM_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VMM_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VMM_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VMM_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VMM_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VMM_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VMM_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
} vmmConnectListAllDomainsFlags;

typedef enum {
    VMM_DOMAIN_NONE = 0,
    VMM_DOMAIN_START_PAUSED = 1 << 0,
    VMM_DOMAIN_START_AUTODESTROY = 1 << 1,
    VMM_DOMAIN_START_BYPASS_CACHE = 1 << 2,
    VMM_DOMAIN_START_FORCE_BOOT = 1 << 3,
    VMM_DOMAIN_START_VALIDATE = 1 << 4,
} vmmDomainCreateFlags;

typedef enum {
    /* Validate the XML against the RelaxNG schema before defining. */
    VMM_DOMAIN_DEFINE_VALIDATE = 1 << 0,
} vmmDomainDefineFlags;

typedef enum {
    VMM_DOMAIN_UNDEFINE_MANAGED_SAVE = 1 << 0,
    VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
    VMM_DOMAIN_UNDEFINE_NVRAM = 1 << 2,
    VMM_DOMAIN_UNDEFINE_KEEP_NVRAM = 1 << 3,
    VMM_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 1 << 4,
} vmmDomainUndefineFlagsValues;

typedef enum {
    VMM_DOMAIN_XML_SECURE = 1 << 0,
    VMM_DOMAIN_XML_INACTIVE = 1 << 1,
    VMM_DOMAIN_XML_UPDATE_CPU = 1 << 2,
    VMM_DOMAIN_XML_MIGRATABLE = 1 << 3,
} vmmDomainXMLFlags;

/* Which definition a change applies to: the running guest, the stored
 * one, or (CURRENT) the live one when running, else the stored one. */
typedef enum {
    VMM_DOMAIN_AFFECT_CURRENT = 0,
    VMM_DOMAIN_AFFECT_LIVE = 1 << 0,
    VMM_DOMAIN_AFFECT_CONFIG = 1 << 1,
} vmmDomainModificationImpact;

typedef enum {
    VMM_DOMAIN_MEM_CURRENT = VMM_DOMAIN_AFFECT_CURRENT,
    VMM_DOMAIN_MEM_LIVE = VMM_DOMAIN_AFFECT_LIVE,
    VMM_DOMAIN_MEM_CONFIG = VMM_DOMAIN_AFFECT_CONFIG,
    VMM_DOMAIN_MEM_MAXIMUM = 1 << 2,
} vmmDomainMemoryModFlags;

typedef enum {
    VMM_DOMAIN_VCPU_CURRENT = VMM_DOMAIN_AFFECT_CURRENT,
    VMM_DOMAIN_VCPU_LIVE = VMM_DOMAIN_AFFECT_LIVE,
    VMM_DOMAIN_VCPU_CONFIG = VMM_DOMAIN_AFFECT_CONFIG,
    VMM_DOMAIN_VCPU_MAXIMUM = 1 << 2,
    VMM_DOMAIN_VCPU_GUEST = 1 << 3,
    VMM_DOMAIN_VCPU_HOTPLUGGABLE = 1 << 4,
} vmmDomainVcpuFlags;

/* What a vCPU is doing, in vmmVcpuInfo (libvirt's numbers). */
typedef enum {
    VMM_VCPU_OFFLINE = 0,
    VMM_VCPU_RUNNING = 1,
    VMM_VCPU_BLOCKED = 2,
} vmmVcpuState;

/* One vCPU of a running guest, from vmmDomainGetVcpus. */
typedef struct _vmmVcpuInfo {
    unsigned int number;     /* the vCPU's index */
    int state;               /* vmmVcpuState */
    unsigned long long cpuTime; /* ns it has run */
    int cpu;                 /* host CPU it last ran on */
} vmmVcpuInfo;
typedef vmmVcpuInfo *vmmVcpuInfoPtr;

/* CPU maps: one bit per host CPU, CPU 0 in the lowest bit of byte 0.
 * A map for @cpus CPUs takes VMM_CPU_MAPLEN(cpus) bytes; the maps of
 * several vCPUs follow one another, @maplen bytes each. */
#define VMM_CPU_MAPLEN(cpus) (((cpus) + 7) / 8)
#define VMM_USE_CPU(map, cpu) ((map)[(cpu) / 8] |= (1 << ((cpu) % 8)))
#define VMM_UNUSE_CPU(map, cpu) ((map)[(cpu) / 8] &= ~(1 << ((cpu) % 8)))
#define VMM_CPU_USED(map, cpu) ((map)[(cpu) / 8] & (1 << ((cpu) % 8)))
#define VMM_GET_CPUMAP(maps, maplen, vcpu) (&((maps)[(vcpu) * (maplen)]))
#define VMM_CPU_USABLE(maps, maplen, vcpu, cpu)                               \
    VMM_CPU_USED(VMM_GET_CPUMAP(maps, maplen, vcpu), cpu)

typedef enum {
    VMM_DOMAIN_SAVE_BYPASS_CACHE = 1 << 0,
    VMM_DOMAIN_SAVE_RUNNING = 1 << 1,
    VMM_DOMAIN_SAVE_PAUSED = 1 << 2,
} vmmDomainSaveRestoreFlags;

typedef enum {
    VMM_DOMAIN_DESTROY_DEFAULT = 0,
    VMM_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
} vmmDomainDestroyFlagsValues;

typedef enum {
    VMM_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1 << 0,
    VMM_DOMAIN_SHUTDOWN_GUEST_AGENT = 1 << 1,
    VMM_DOMAIN_SHUTDOWN_INITCTL = 1 << 2,
    VMM_DOMAIN_SHUTDOWN_SIGNAL = 1 << 3,
    VMM_DOMAIN_SHUTDOWN_PARAVIRT = 1 << 4,
} vmmDomainShutdownFlagValues;

typedef enum {
    VMM_DOMAIN_REBOOT_DEFAULT = 0,
    VMM_DOMAIN_REBOOT_ACPI_POWER_BTN = 1 << 0,
    VMM_DOMAIN_REBOOT_GUEST_AGENT = 1 << 1,
    VMM_DOMAIN_REBOOT_INITCTL = 1 << 2,
    VMM_DOMAIN_REBOOT_SIGNAL = 1 << 3,
    VMM_DOMAIN_REBOOT_PARAVIRT = 1 << 4,
} vmmDomainRebootFlagValues;

typedef enum {
    VMM_DOMAIN_METADATA_DESCRIPTION = 0,
    VMM_DOMAIN_METADATA_TITLE = 1,
    VMM_DOMAIN_METADATA_ELEMENT = 2,
} vmmDomainMetadataType;

/* Lifecycle events: what happened (event) and how (detail). */
typedef enum {
    VMM_DOMAIN_EVENT_DEFINED = 0,
    VMM_DOMAIN_EVENT_UNDEFINED = 1,
    VMM_DOMAIN_EVENT_STARTED = 2,
    VMM_DOMAIN_EVENT_SUSPENDED = 3,
    VMM_DOMAIN_EVENT_RESUMED = 4,
    VMM_DOMAIN_EVENT_STOPPED = 5,
    VMM_DOMAIN_EVENT_SHUTDOWN = 6,
    VMM_DOMAIN_EVENT_PMSUSPENDED = 7,
    VMM_DOMAIN_EVENT_CRASHED = 8,
    VMM_DOMAIN_EVENT_LAST
} vmmDomainEventType;

typedef enum {
    VMM_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VMM_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VMM_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VMM_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
} vmmDomainEventDefinedDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
    VMM_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
} vmmDomainEventUndefinedDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VMM_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VMM_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VMM_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VMM_DOMAIN_EVENT_STARTED_WAKEUP = 4,
} vmmDomainEventStartedDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VMM_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VMM_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VMM_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VMM_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VMM_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VMM_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
} vmmDomainEventSuspendedDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VMM_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VMM_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
} vmmDomainEventResumedDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VMM_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VMM_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VMM_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VMM_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VMM_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VMM_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
} vmmDomainEventStoppedDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
    VMM_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,
    VMM_DOMAIN_EVENT_SHUTDOWN_HOST = 2,
} vmmDomainEventShutdownDetailType;

typedef enum {
    VMM_DOMAIN_EVENT_CRASHED_PANICKED = 0,
} vmmDomainEventCrashedDetailType;

/* Event ids for vmmConnectDomainEventRegisterAny; each id has its own
 * callback signature, passed cast to vmmConnectDomainEventGenericCallback
 * (use VMM_DOMAIN_EVENT_CALLBACK). */
typedef enum {
    VMM_DOMAIN_EVENT_ID_LIFECYCLE = 0, /* vmmConnectDomainEventCallback */
    /* The guest was reset (its own reboot, vmmDomainReboot, or a restart
     * <on_poweroff> / <on_crash> asked for); the domain stays running. */
    VMM_DOMAIN_EVENT_ID_REBOOT = 1, /* vmmConnectDomainEventGenericCallback */
    VMM_DOMAIN_EVENT_ID_LAST
} vmmDomainEventID;

typedef void (*vmmConnectDomainEventGenericCallback)(vmmConnectPtr conn,
                                                     vmmDomainPtr dom,
                                                     void *opaque);
typedef void (*vmmConnectDomainEventCallback)(vmmConnectPtr conn,
                                              vmmDomainPtr dom, int event,
                                              int detail, void *opaque);
#define VMM_DOMAIN_EVENT_CALLBACK(cb) \
    ((vmmConnectDomainEventGenericCallback)(void (*)(void))(cb))

/* Listing. The list is NULL-terminated; free each domain, then the array. */
VMM_EXPORT int vmmConnectListAllDomains(vmmConnectPtr conn,
                                        vmmDomainPtr **domains,
                                        unsigned int flags);
VMM_EXPORT int vmmConnectNumOfDomains(vmmConnectPtr conn);
VMM_EXPORT int vmmConnectListDomains(vmmConnectPtr conn, int *ids,
                                     int maxids);
VMM_EXPORT int vmmConnectNumOfDefinedDomains(vmmConnectPtr conn);
VMM_EXPORT int vmmConnectListDefinedDomains(vmmConnectPtr conn,
                                            char **const names,
                                            int maxnames);

/* Lookup; each returns a new reference or NULL (VMM_ERR_NO_DOMAIN). */
VMM_EXPORT vmmDomainPtr vmmDomainLookupByName(vmmConnectPtr conn,
                                              const char *name);
VMM_EXPORT vmmDomainPtr vmmDomainLookupByUUID(vmmConnectPtr conn,
                                              const unsigned char *uuid);
VMM_EXPORT vmmDomainPtr vmmDomainLookupByUUIDString(vmmConnectPtr conn,
                                                    const char *uuidstr);
VMM_EXPORT vmmDomainPtr vmmDomainLookupByID(vmmConnectPtr conn, int id);

/* The handle itself. */
VMM_EXPORT int vmmDomainRef(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainFree(vmmDomainPtr domain);
VMM_EXPORT const char *vmmDomainGetName(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainGetUUID(vmmDomainPtr domain, unsigned char *uuid);
VMM_EXPORT int vmmDomainGetUUIDString(vmmDomainPtr domain, char *buf);
/* -1 (as unsigned) when the domain is not running. */
VMM_EXPORT unsigned int vmmDomainGetID(vmmDomainPtr domain);
VMM_EXPORT vmmConnectPtr vmmDomainGetConnect(vmmDomainPtr domain);

/* Definition. */
VMM_EXPORT vmmDomainPtr vmmDomainDefineXML(vmmConnectPtr conn,
                                           const char *xml);
VMM_EXPORT vmmDomainPtr vmmDomainDefineXMLFlags(vmmConnectPtr conn,
                                                const char *xml,
                                                unsigned int flags);
VMM_EXPORT int vmmDomainUndefine(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainUndefineFlags(vmmDomainPtr domain,
                                      unsigned int flags);
VMM_EXPORT char *vmmDomainGetXMLDesc(vmmDomainPtr domain,
                                     unsigned int flags);
VMM_EXPORT char *vmmDomainGetOSType(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainSetMetadata(vmmDomainPtr domain, int type,
                                    const char *metadata, const char *key,
                                    const char *uri, unsigned int flags);
VMM_EXPORT char *vmmDomainGetMetadata(vmmDomainPtr domain, int type,
                                      const char *uri, unsigned int flags);

/* Lifecycle. */
VMM_EXPORT int vmmDomainCreate(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainCreateWithFlags(vmmDomainPtr domain,
                                        unsigned int flags);
VMM_EXPORT vmmDomainPtr vmmDomainCreateXML(vmmConnectPtr conn,
                                           const char *xml,
                                           unsigned int flags);
VMM_EXPORT int vmmDomainDestroy(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainDestroyFlags(vmmDomainPtr domain,
                                     unsigned int flags);
VMM_EXPORT int vmmDomainShutdown(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainShutdownFlags(vmmDomainPtr domain,
                                      unsigned int flags);
VMM_EXPORT int vmmDomainReboot(vmmDomainPtr domain, unsigned int flags);
VMM_EXPORT int vmmDomainSuspend(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainResume(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainSave(vmmDomainPtr domain, const char *to);
VMM_EXPORT int vmmDomainSaveFlags(vmmDomainPtr domain, const char *to,
                                  const char *dxml, unsigned int flags);
VMM_EXPORT int vmmDomainRestore(vmmConnectPtr conn, const char *from);
VMM_EXPORT int vmmDomainRestoreFlags(vmmConnectPtr conn, const char *from,
                                     const char *dxml, unsigned int flags);
VMM_EXPORT int vmmDomainManagedSave(vmmDomainPtr domain,
                                    unsigned int flags);
VMM_EXPORT int vmmDomainHasManagedSaveImage(vmmDomainPtr domain,
                                            unsigned int flags);
VMM_EXPORT int vmmDomainManagedSaveRemove(vmmDomainPtr domain,
                                          unsigned int flags);

/* State and resources. */
VMM_EXPORT int vmmDomainGetInfo(vmmDomainPtr domain, vmmDomainInfoPtr info);
VMM_EXPORT int vmmDomainGetState(vmmDomainPtr domain, int *state,
                                 int *reason, unsigned int flags);
VMM_EXPORT unsigned long vmmDomainGetMaxMemory(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainSetMaxMemory(vmmDomainPtr domain,
                                     unsigned long memory);
VMM_EXPORT int vmmDomainSetMemory(vmmDomainPtr domain, unsigned long memory);
VMM_EXPORT int vmmDomainSetMemoryFlags(vmmDomainPtr domain,
                                       unsigned long memory,
                                       unsigned int flags);
VMM_EXPORT int vmmDomainSetVcpus(vmmDomainPtr domain, unsigned int nvcpus);
VMM_EXPORT int vmmDomainSetVcpusFlags(vmmDomainPtr domain,
                                      unsigned int nvcpus,
                                      unsigned int flags);
VMM_EXPORT int vmmDomainGetVcpusFlags(vmmDomainPtr domain,
                                      unsigned int flags);
VMM_EXPORT int vmmDomainGetMaxVcpus(vmmDomainPtr domain);
/* Up to @maxinfo vCPUs of a running guest into @info, and (when @cpumaps
 * is not NULL) the host CPUs each may run on, @maplen bytes a vCPU.
 * Returns how many vCPUs were filled in. */
VMM_EXPORT int vmmDomainGetVcpus(vmmDomainPtr domain, vmmVcpuInfoPtr info,
                                 int maxinfo, unsigned char *cpumaps,
                                 int maplen);
/* Lets vCPU @vcpu run only on the host CPUs of @cpumap (@maplen bytes);
 * flags: vmmDomainModificationImpact. */
VMM_EXPORT int vmmDomainPinVcpu(vmmDomainPtr domain, unsigned int vcpu,
                                unsigned char *cpumap, int maplen);
VMM_EXPORT int vmmDomainPinVcpuFlags(vmmDomainPtr domain, unsigned int vcpu,
                                     unsigned char *cpumap, int maplen,
                                     unsigned int flags);
/* The CPU maps of the first @ncpumaps vCPUs into @cpumaps, @maplen bytes
 * each; returns how many vCPUs were filled in. */
VMM_EXPORT int vmmDomainGetVcpuPinInfo(vmmDomainPtr domain, int ncpumaps,
                                       unsigned char *cpumaps, int maplen,
                                       unsigned int flags);
VMM_EXPORT int vmmDomainGetAutostart(vmmDomainPtr domain, int *autostart);
VMM_EXPORT int vmmDomainSetAutostart(vmmDomainPtr domain, int autostart);
VMM_EXPORT int vmmDomainIsActive(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainIsPersistent(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainIsUpdated(vmmDomainPtr domain);
VMM_EXPORT int vmmDomainSnapshotNum(vmmDomainPtr domain, unsigned int flags);

/* Events. @dom NULL means every domain. Returns a callback id >= 0. */
VMM_EXPORT int vmmConnectDomainEventRegisterAny(
    vmmConnectPtr conn, vmmDomainPtr dom, int eventID,
    vmmConnectDomainEventGenericCallback cb, void *opaque,
    vmmFreeCallback freecb);
VMM_EXPORT int vmmConnectDomainEventDeregisterAny(vmmConnectPtr conn,
                                                  int callbackID);

/* Devices: hotplug and persistent changes (src/api/libvmm_device.c). */
typedef enum {
    VMM_DOMAIN_DEVICE_MODIFY_CURRENT = VMM_DOMAIN_AFFECT_CURRENT,
    VMM_DOMAIN_DEVICE_MODIFY_LIVE = VMM_DOMAIN_AFFECT_LIVE,
    VMM_DOMAIN_DEVICE_MODIFY_CONFIG = VMM_DOMAIN_AFFECT_CONFIG,
    VMM_DOMAIN_DEVICE_MODIFY_FORCE = 1 << 2,
} vmmDomainDeviceModifyFlags;

/* I/O counters of one disk; -1 where the hypervisor has no counter. */
typedef struct _vmmDomainBlockStats {
    long long rd_req;
    long long rd_bytes;
    long long wr_req;
    long long wr_bytes;
    long long errs;
} vmmDomainBlockStatsStruct;
typedef vmmDomainBlockStatsStruct *vmmDomainBlockStatsPtr;

/* Traffic counters of one interface; -1 where unknown. */
typedef struct _vmmDomainInterfaceStats {
    long long rx_bytes;
    long long rx_packets;
    long long rx_errs;
    long long rx_drop;
    long long tx_bytes;
    long long tx_packets;
    long long tx_errs;
    long long tx_drop;
} vmmDomainInterfaceStatsStruct;
typedef vmmDomainInterfaceStatsStruct *vmmDomainInterfaceStatsPtr;

VMM_EXPORT int vmmDomainAttachDevice(vmmDomainPtr domain, const char *xml);
VMM_EXPORT int vmmDomainAttachDeviceFlags(vmmDomainPtr domain,
                                          const char *xml,
                                          unsigned int flags);
VMM_EXPORT int vmmDomainDetachDevice(vmmDomainPtr domain, const char *xml);
VMM_EXPORT int vmmDomainDetachDeviceFlags(vmmDomainPtr domain,
                                          const char *xml,
                                          unsigned int flags);
/* @path: a disk's target (vda) or source path; @size: sizeof(*stats). */
VMM_EXPORT int vmmDomainBlockStats(vmmDomainPtr domain, const char *path,
                                   vmmDomainBlockStatsPtr stats, size_t size);
/* @device: an interface's target device (vnet0) or MAC address. */
VMM_EXPORT int vmmDomainInterfaceStats(vmmDomainPtr domain,
                                       const char *device,
                                       vmmDomainInterfaceStatsPtr stats,
                                       size_t size);

/* Typed parameters, as libvirt's virTypedParameter (same type numbers,
 * same field length), and domain statistics built from them
 * (src/api/typed_params.c). */
typedef enum {
    VMM_TYPED_PARAM_INT = 1,
    VMM_TYPED_PARAM_UINT = 2,
    VMM_TYPED_PARAM_LLONG = 3,
    VMM_TYPED_PARAM_ULLONG = 4,
    VMM_TYPED_PARAM_DOUBLE = 5,
    VMM_TYPED_PARAM_BOOLEAN = 6,
    VMM_TYPED_PARAM_STRING = 7,
    VMM_TYPED_PARAM_LAST
} vmmTypedParameterType;

#define VMM_TYPED_PARAM_FIELD_LENGTH 80

typedef struct _vmmTypedParameter {
    char field[VMM_TYPED_PARAM_FIELD_LENGTH]; /* NUL-terminated */
    int type;                                 /* vmmTypedParameterType */
    union {
        int i;
        unsigned int ui;
        long long l;
        unsigned long long ul;
        double d;
        char b;
        char *s; /* owned by the parameter */
    } value;
} vmmTypedParameter;
typedef vmmTypedParameter *vmmTypedParameterPtr;

/* Frees the strings of @params and the array itself. Accepts NULL. */
VMM_EXPORT void vmmTypedParamsFree(vmmTypedParameterPtr params, int nparams);

typedef enum {
    VMM_DOMAIN_STATS_STATE = 1 << 0,
    VMM_DOMAIN_STATS_CPU_TOTAL = 1 << 1,
    VMM_DOMAIN_STATS_BALLOON = 1 << 2,
    VMM_DOMAIN_STATS_VCPU = 1 << 3,
    VMM_DOMAIN_STATS_INTERFACE = 1 << 4,
    VMM_DOMAIN_STATS_BLOCK = 1 << 5,
    VMM_DOMAIN_STATS_PERF = 1 << 6,
    VMM_DOMAIN_STATS_IOTHREAD = 1 << 7,
    VMM_DOMAIN_STATS_MEMORY = 1 << 8,
    VMM_DOMAIN_STATS_DIRTYRATE = 1 << 9,
    VMM_DOMAIN_STATS_VM = 1 << 10,
} vmmDomainStatsTypes;

typedef enum {
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = 1 << 0,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = 1 << 1,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT = 1 << 2,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT = 1 << 3,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = 1 << 4,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = 1 << 5,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = 1 << 6,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = 1 << 7,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 1 << 29,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_BACKING = 1 << 30,
    VMM_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 1U << 31,
} vmmConnectGetAllDomainStatsFlags;

typedef struct _vmmDomainStatsRecord {
    vmmDomainPtr dom;
    vmmTypedParameterPtr params;
    int nparams;
} vmmDomainStatsRecord;
typedef vmmDomainStatsRecord *vmmDomainStatsRecordPtr;

/* *@retStats gets a NULL-terminated list (free it with
 * vmmDomainStatsRecordListFree); returns the number of records. @stats 0
 * means every group the driver knows. */
VMM_EXPORT int vmmConnectGetAllDomainStats(vmmConnectPtr conn,
                                           unsigned int stats,
                                           vmmDomainStatsRecordPtr **retStats,
                                           unsigned int flags);
/* The same for the domains of @doms (NULL-terminated, one connection). */
VMM_EXPORT int vmmDomainListGetStats(vmmDomainPtr *doms, unsigned int stats,
                                     vmmDomainStatsRecordPtr **retStats,
                                     unsigned int flags);
VMM_EXPORT void vmmDomainStatsRecordListFree(vmmDomainStatsRecordPtr *stats);

/* Jobs: the long operation a domain runs (save, restore...), its progress
 * and how to stop it. Numbers and field names are libvirt's. */
typedef enum {
    VMM_DOMAIN_JOB_NONE = 0,      /* no job */
    VMM_DOMAIN_JOB_BOUNDED = 1,   /* known end: "remaining" fields hold */
    VMM_DOMAIN_JOB_UNBOUNDED = 2, /* end unknown */
    VMM_DOMAIN_JOB_COMPLETED = 3, /* the last job, finished */
    VMM_DOMAIN_JOB_FAILED = 4,
    VMM_DOMAIN_JOB_CANCELLED = 5,
    VMM_DOMAIN_JOB_LAST
} vmmDomainJobType;

/* Times in milliseconds, sizes in bytes. data* is the whole job; mem*
 * guest memory; file* the image a restore reads (libvirt's disk_*). */
typedef struct _vmmDomainJobInfo vmmDomainJobInfo;
typedef vmmDomainJobInfo *vmmDomainJobInfoPtr;
struct _vmmDomainJobInfo {
    int type; /* vmmDomainJobType */
    unsigned long long timeElapsed;
    unsigned long long timeRemaining;
    unsigned long long dataTotal;
    unsigned long long dataProcessed;
    unsigned long long dataRemaining;
    unsigned long long memTotal;
    unsigned long long memProcessed;
    unsigned long long memRemaining;
    unsigned long long fileTotal;
    unsigned long long fileProcessed;
    unsigned long long fileRemaining;
};

typedef enum {
    /* The statistics of the last finished job instead of the current. */
    VMM_DOMAIN_JOB_STATS_COMPLETED = 1 << 0,
    /* With COMPLETED: keep them for the next caller (else they go). */
    VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED = 1 << 1,
} vmmDomainGetJobStatsFlags;

/* What a job does (the "operation" field of vmmDomainGetJobStats). */
typedef enum {
    VMM_DOMAIN_JOB_OPERATION_UNKNOWN = 0,
    VMM_DOMAIN_JOB_OPERATION_START = 1,
    VMM_DOMAIN_JOB_OPERATION_SAVE = 2,
    VMM_DOMAIN_JOB_OPERATION_RESTORE = 3,
    VMM_DOMAIN_JOB_OPERATION_MIGRATION_IN = 4,
    VMM_DOMAIN_JOB_OPERATION_MIGRATION_OUT = 5,
    VMM_DOMAIN_JOB_OPERATION_SNAPSHOT = 6,
    VMM_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT = 7,
    VMM_DOMAIN_JOB_OPERATION_DUMP = 8,
    VMM_DOMAIN_JOB_OPERATION_LAST
} vmmDomainJobOperation;

/* Field names of vmmDomainGetJobStats (all VMM_TYPED_PARAM_ULLONG but
 * OPERATION, an int, SUCCESS, a boolean, and ERRMSG, a string). */
#define VMM_DOMAIN_JOB_OPERATION "operation"
#define VMM_DOMAIN_JOB_TIME_ELAPSED "time_elapsed"
#define VMM_DOMAIN_JOB_TIME_REMAINING "time_remaining"
#define VMM_DOMAIN_JOB_DATA_TOTAL "data_total"
#define VMM_DOMAIN_JOB_DATA_PROCESSED "data_processed"
#define VMM_DOMAIN_JOB_DATA_REMAINING "data_remaining"
#define VMM_DOMAIN_JOB_MEMORY_TOTAL "memory_total"
#define VMM_DOMAIN_JOB_MEMORY_PROCESSED "memory_processed"
#define VMM_DOMAIN_JOB_MEMORY_REMAINING "memory_remaining"
#define VMM_DOMAIN_JOB_DISK_TOTAL "disk_total"
#define VMM_DOMAIN_JOB_DISK_PROCESSED "disk_processed"
#define VMM_DOMAIN_JOB_DISK_REMAINING "disk_remaining"
#define VMM_DOMAIN_JOB_SUCCESS "success"
#define VMM_DOMAIN_JOB_ERRMSG "errmsg"

typedef enum {
    /* Passwords in the definition too (read-write connections only). */
    VMM_DOMAIN_SAVE_IMAGE_XML_SECURE = VMM_DOMAIN_XML_SECURE,
} vmmDomainSaveImageXMLFlags;

/* Progress of the running job; type VMM_DOMAIN_JOB_NONE when none runs.
 * Never waits for the job itself. */
VMM_EXPORT int vmmDomainGetJobInfo(vmmDomainPtr domain,
                                   vmmDomainJobInfoPtr info);
/* The same as typed parameters (free with vmmTypedParamsFree), or with
 * VMM_DOMAIN_JOB_STATS_COMPLETED those of the last finished job. */
VMM_EXPORT int vmmDomainGetJobStats(vmmDomainPtr domain, int *type,
                                    vmmTypedParameterPtr *params,
                                    int *nparams, unsigned int flags);
/* Cancels the running job; the job's own call then fails
 * (VMM_ERR_OPERATION_ABORTED). */
VMM_EXPORT int vmmDomainAbortJob(vmmDomainPtr domain);
/* The domain definition stored in a save image. */
VMM_EXPORT char *vmmDomainSaveImageGetXMLDesc(vmmConnectPtr conn,
                                              const char *file,
                                              unsigned int flags);

/* A hard reset, as the reset button: the guest gets no say. */
VMM_EXPORT int vmmDomainReset(vmmDomainPtr domain, unsigned int flags);

/* What the management side is doing with a domain, not the guest. */
typedef enum {
    VMM_DOMAIN_CONTROL_OK = 0,       /* free for any call */
    VMM_DOMAIN_CONTROL_JOB = 1,      /* a job runs; stateTime says how long */
    VMM_DOMAIN_CONTROL_OCCUPIED = 2, /* the monitor is busy with a call */
    VMM_DOMAIN_CONTROL_ERROR = 3,    /* the domain cannot be controlled */
} vmmDomainControlState;

/* details of VMM_DOMAIN_CONTROL_ERROR. */
typedef enum {
    VMM_DOMAIN_CONTROL_ERROR_REASON_NONE = 0,
    VMM_DOMAIN_CONTROL_ERROR_REASON_UNKNOWN = 1,
    VMM_DOMAIN_CONTROL_ERROR_REASON_MONITOR = 2,
    VMM_DOMAIN_CONTROL_ERROR_REASON_INTERNAL = 3,
} vmmDomainControlErrorReason;

typedef struct _vmmDomainControlInfo vmmDomainControlInfo;
typedef vmmDomainControlInfo *vmmDomainControlInfoPtr;
struct _vmmDomainControlInfo {
    unsigned int state;   /* vmmDomainControlState */
    unsigned int details; /* vmmDomainControlErrorReason for ERROR */
    unsigned long long stateTime; /* ms in that state (JOB, OCCUPIED) */
};

/* Never waits for a running job. */
VMM_EXPORT int vmmDomainGetControlInfo(vmmDomainPtr domain,
                                       vmmDomainControlInfoPtr info,
                                       unsigned int flags);

/* Tags of vmmDomainMemoryStats, with libvirt's numbers; sizes in KiB. */
typedef enum {
    VMM_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    VMM_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    VMM_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    VMM_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    VMM_DOMAIN_MEMORY_STAT_UNUSED = 4,
    VMM_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    VMM_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    VMM_DOMAIN_MEMORY_STAT_RSS = 7,
    VMM_DOMAIN_MEMORY_STAT_USABLE = 8,
    VMM_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9, /* seconds since the epoch */
    VMM_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    VMM_DOMAIN_MEMORY_STAT_NR = 13,
} vmmDomainMemoryStatTags;

typedef struct _vmmDomainMemoryStat vmmDomainMemoryStat;
typedef vmmDomainMemoryStat *vmmDomainMemoryStatPtr;
struct _vmmDomainMemoryStat {
    int tag; /* vmmDomainMemoryStatTags */
    unsigned long long val;
};

/* Fills at most @nr_stats entries of @stats with what the hypervisor
 * knows of a running domain's memory; returns how many. */
VMM_EXPORT int vmmDomainMemoryStats(vmmDomainPtr domain,
                                    vmmDomainMemoryStatPtr stats,
                                    unsigned int nr_stats, unsigned int flags);
/* How often (seconds, 0 stops) the balloon driver refreshes the guest's
 * own statistics; flags are vmmDomainModificationImpact. */
VMM_EXPORT int vmmDomainSetMemoryStatsPeriod(vmmDomainPtr domain, int period,
                                             unsigned int flags);

/* The security label of a running guest under the host's security model
 * (vmmNodeGetSecurityModel); an empty label when it has none. */
typedef struct _vmmSecurityLabel vmmSecurityLabel;
typedef vmmSecurityLabel *vmmSecurityLabelPtr;
struct _vmmSecurityLabel {
    char label[VMM_SECURITY_LABEL_BUFLEN];
    int enforcing; /* 1 enforcing, 0 permissive */
};

VMM_EXPORT int vmmDomainGetSecurityLabel(vmmDomainPtr domain,
                                         vmmSecurityLabelPtr seclabel);

#ifdef __cplusplus
}
#endif

#endif /* VMM_DOMAIN_H */
