/*
 * vmm-host.h: connections, the host they reach, and the event loop that
 * delivers asynchronous callbacks.
 */
#ifndef VMM_HOST_H
#define VMM_HOST_H

#ifndef VMM_H_INCLUDED
# error "include <vmm/vmm.h> instead of this file"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of vmmConnectOpenFlags. */
typedef enum {
    VMM_CONNECT_RO = 1 << 0,
    VMM_CONNECT_NO_ALIASES = 1 << 1,
} vmmConnectFlags;

/* Why a connection closed, for close callbacks. */
typedef enum {
    VMM_CONNECT_CLOSE_REASON_ERROR = 0,
    VMM_CONNECT_CLOSE_REASON_EOF = 1,
    VMM_CONNECT_CLOSE_REASON_KEEPALIVE = 2,
    VMM_CONNECT_CLOSE_REASON_CLIENT = 3,
} vmmConnectCloseReason;

typedef void (*vmmConnectCloseFunc)(vmmConnectPtr conn, int reason,
                                    void *opaque);

typedef struct _vmmNodeInfo {
    char model[32];        /* CPU model, NUL-terminated */
    unsigned long memory;  /* KiB */
    unsigned int cpus;     /* active CPUs */
    unsigned int mhz;
    unsigned int nodes;    /* NUMA cells */
    unsigned int sockets;  /* per node */
    unsigned int cores;    /* per socket */
    unsigned int threads;  /* per core */
} vmmNodeInfo;
typedef vmmNodeInfo *vmmNodeInfoPtr;

/* Version of the library in use (major * 1,000,000 + minor * 1,000 +
 * micro), into @libVer. @type, when given, must name a known driver and
 * *typeVer receives the same number. */
VMM_EXPORT int vmmGetVersion(unsigned long *libVer, const char *type,
                             unsigned long *typeVer);

/* @name is a URI such as "test:///default"; NULL means $VMM_DEFAULT_URI.
 * Returns NULL with the last error set on failure. */
VMM_EXPORT vmmConnectPtr vmmConnectOpen(const char *name);
VMM_EXPORT vmmConnectPtr vmmConnectOpenReadOnly(const char *name);
/* @flags: vmmConnectFlags. */
VMM_EXPORT vmmConnectPtr vmmConnectOpenFlags(const char *name,
                                             unsigned int flags);
/* Drops one reference; returns the references left, or -1. */
VMM_EXPORT int vmmConnectClose(vmmConnectPtr conn);
VMM_EXPORT int vmmConnectRef(vmmConnectPtr conn);

/* Driver name, e.g. "Test" or "QEMU"; static, not to be freed. */
VMM_EXPORT const char *vmmConnectGetType(vmmConnectPtr conn);
VMM_EXPORT int vmmConnectGetVersion(vmmConnectPtr conn,
                                    unsigned long *hvVer);
VMM_EXPORT int vmmConnectGetLibVersion(vmmConnectPtr conn,
                                       unsigned long *libVer);
/* The following return strings the caller frees. */
VMM_EXPORT char *vmmConnectGetHostname(vmmConnectPtr conn);
VMM_EXPORT char *vmmConnectGetURI(vmmConnectPtr conn);
VMM_EXPORT char *vmmConnectGetCapabilities(vmmConnectPtr conn);
/* What one emulator offers guests (libvirt's domainCapabilities XML).
 * Each of @emulatorbin, @arch, @machine, @virttype may be NULL for the
 * driver's default. */
VMM_EXPORT char *vmmConnectGetDomainCapabilities(vmmConnectPtr conn,
                                                 const char *emulatorbin,
                                                 const char *arch,
                                                 const char *machine,
                                                 const char *virttype,
                                                 unsigned int flags);
VMM_EXPORT char *vmmConnectGetSysinfo(vmmConnectPtr conn,
                                      unsigned int flags);
VMM_EXPORT int vmmConnectGetMaxVcpus(vmmConnectPtr conn, const char *type);
VMM_EXPORT int vmmNodeGetInfo(vmmConnectPtr conn, vmmNodeInfoPtr info);
/* How many CPUs the host has (the size of a CPU map); when not NULL,
 * *@cpumap gets the map of the online ones (free() it) and *@online
 * their number. */
VMM_EXPORT int vmmNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                                unsigned int *online, unsigned int flags);

/* CPU time counters of the host, in nanoseconds, named by these fields. */
#define VMM_NODE_CPU_STATS_FIELD_LENGTH 80
#define VMM_NODE_CPU_STATS_ALL_CPUS (-1)
#define VMM_NODE_CPU_STATS_KERNEL "kernel"
#define VMM_NODE_CPU_STATS_USER "user"
#define VMM_NODE_CPU_STATS_IDLE "idle"
#define VMM_NODE_CPU_STATS_IOWAIT "iowait"
#define VMM_NODE_CPU_STATS_INTR "intr"
#define VMM_NODE_CPU_STATS_UTILIZATION "utilization"

typedef struct _vmmNodeCPUStats vmmNodeCPUStats;
typedef vmmNodeCPUStats *vmmNodeCPUStatsPtr;
struct _vmmNodeCPUStats {
    char field[VMM_NODE_CPU_STATS_FIELD_LENGTH];
    unsigned long long value;
};

/* The counters of CPU @cpuNum, or of all with VMM_NODE_CPU_STATS_ALL_CPUS.
 * With @params NULL and *@nparams 0, only sets *@nparams to how many
 * there are; else fills at most *@nparams and sets it to that count. */
VMM_EXPORT int vmmNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                                  vmmNodeCPUStatsPtr params, int *nparams,
                                  unsigned int flags);
/* Free memory in bytes of NUMA cells @startCell on, at most @maxCells of
 * them; returns how many were filled. */
VMM_EXPORT int vmmNodeGetCellsFreeMemory(vmmConnectPtr conn,
                                         unsigned long long *freeMems,
                                         int startCell, int maxCells);
/* Free memory of the whole host in bytes; 0 on error. */
VMM_EXPORT unsigned long long vmmNodeGetFreeMemory(vmmConnectPtr conn);

/* The security driver confining guests: its model ("none" without one)
 * and its domain of interpretation. */
#define VMM_SECURITY_MODEL_BUFLEN (256 + 1)
#define VMM_SECURITY_DOI_BUFLEN (256 + 1)
#define VMM_SECURITY_LABEL_BUFLEN (4096 + 1)

typedef struct _vmmSecurityModel vmmSecurityModel;
typedef vmmSecurityModel *vmmSecurityModelPtr;
struct _vmmSecurityModel {
    char model[VMM_SECURITY_MODEL_BUFLEN];
    char doi[VMM_SECURITY_DOI_BUFLEN];
};

VMM_EXPORT int vmmNodeGetSecurityModel(vmmConnectPtr conn,
                                       vmmSecurityModelPtr secmodel);
/* 1 when the connection is encrypted / secure / alive, 0 if not, -1 on
 * error. */
VMM_EXPORT int vmmConnectIsEncrypted(vmmConnectPtr conn);
VMM_EXPORT int vmmConnectIsSecure(vmmConnectPtr conn);
VMM_EXPORT int vmmConnectIsAlive(vmmConnectPtr conn);
/* 1 when the connection was opened read-only. */
VMM_EXPORT int vmmConnectIsReadOnly(vmmConnectPtr conn);

/* One close callback per connection; called once when the connection
 * closes for any reason other than vmmConnectClose dropping the last
 * reference. */
VMM_EXPORT int vmmConnectRegisterCloseCallback(vmmConnectPtr conn,
                                               vmmConnectCloseFunc cb,
                                               void *opaque,
                                               vmmFreeCallback freecb);
VMM_EXPORT int vmmConnectUnregisterCloseCallback(vmmConnectPtr conn,
                                                 vmmConnectCloseFunc cb);

/* The event loop. Asynchronous callbacks (events, close callbacks, timers)
 * run only inside vmmEventRunDefaultImpl, in the thread that calls it.
 * Register the default implementation before opening connections. */
typedef void (*vmmEventTimeoutCallback)(int timer, void *opaque);

VMM_EXPORT int vmmEventRegisterDefaultImpl(void);
/* Runs one iteration: waits for something to happen, dispatches it. */
VMM_EXPORT int vmmEventRunDefaultImpl(void);
/* @frequency in milliseconds; -1 disables the timer, 0 fires it on every
 * iteration. Returns a timer id >= 1 or -1. */
VMM_EXPORT int vmmEventAddTimeout(int frequency, vmmEventTimeoutCallback cb,
                                  void *opaque, vmmFreeCallback ff);
VMM_EXPORT void vmmEventUpdateTimeout(int timer, int frequency);
VMM_EXPORT int vmmEventRemoveTimeout(int timer);

#ifdef __cplusplus
}
#endif

#endif /* VMM_HOST_H */
