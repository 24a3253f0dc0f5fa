/*
 * kvm_driver_state.h: the one state of the QEMU driver inside vmmd: its
 * directories, the guests (loaded from the config dir at start), the
 * capabilities, the event callbacks, and the per-guest private data with
 * its job lock. Every qemu:/// connection of the daemon shares it.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include <vmm/vmm.h>

#include "capabilities.h"
#include "domain_event.h"
#include "domain_obj.h"
#include "kvm_capabilities.h"
#include "kvm_process.h"

#define KVM_ERR VMM_FROM_QEMU

typedef struct {
    char *configDir; /* persistent definitions (domain_store.h) */
    char *runDir;    /* status files and monitor sockets */
    char *stateDir;  /* the capabilities cache */
    char *logDir;    /* one log per guest */
    char *emulator;  /* qemu-system-x86_64, NULL when not installed */

    domainObjList *domains;
    domainEventState *events;
    kvmCapsCache *capsCache;
    kvmCaps *qemuCaps; /* NULL when QEMU could not be probed */
    caps *hostCaps;    /* what connectGetCapabilities formats */
    kvmProcessConfig procCfg;
} kvmDriverState;

/* What a long job (save, restore) tells about itself while it runs, and
 * what the last one left behind. */
typedef struct {
    int type;              /* vmmDomainJobType; NONE: nothing to tell */
    int operation;         /* vmmDomainJobOperation */
    gint64 started;        /* monotonic, microseconds */
    vmmDomainJobInfo info; /* timeElapsed is set when read */
    char *errmsg;          /* why a FAILED job failed */
} kvmJobProgress;

/* Per-guest data (domainObj.privateData). */
typedef struct {
    kvmProcess *proc; /* while QEMU runs */
    bool job;         /* a state change is under way (guarded by obj lock) */
    GCond jobCond;

    /* Progress has a lock of its own, held only to copy it, so readers
     * (vmmDomainGetJobInfo) never wait behind the job that writes it. */
    GMutex progressLock;
    kvmJobProgress progress;  /* the running job's */
    kvmJobProgress completed; /* the last finished job's */
    gint abortRequested;      /* atomic: vmmDomainAbortJob asked */

    gint shutdownSeen; /* atomic: QEMU reported a guest shutdown */
    gint fakeReboot;   /* atomic: the next guest shutdown is a reboot
                          (vmmDomainReboot): reset and continue */
    gint panicSeen;    /* atomic: QEMU reported GUEST_PANICKED */
    gint stopping;     /* atomic: the driver is stopping QEMU itself */
    gint generation;   /* atomic: bumped at every start and stop, so an
                          event about an older QEMU is recognised */
    gint64 lastReset;  /* monitor thread only: QEMU's time (µs) of its last
                          RESET event, 0 before any */
} kvmDomainPriv;

/* Directories given by the daemon (vmmdPathsDriver*Dir for "qemu"). */
typedef struct {
    const char *configDir;
    const char *runDir;
    const char *stateDir;
    const char *logDir;
} kvmDriverConfig;

/* The state, or NULL when vmmd did not initialise the driver. */
kvmDriverState *kvmDriverStateGet(void);

/* Guests running now (0 without a state): vmmd's --timeout waits for
 * them to stop. */
int kvmDriverActiveCount(void);

/* Called by vmmd once at start (after its event loop is registered) and
 * once at exit. */
int kvmDriverStateInitialize(const kvmDriverConfig *cfg);
void kvmDriverStateCleanup(void);

/* The driver's data of @obj (locked), created on first use. */
kvmDomainPriv *kvmDomainPrivGet(domainObj *obj);

/* Waits (up to 30 s) until no other job runs on @obj (locked), then marks
 * one as running; the object lock is dropped while waiting. */
int kvmDomainJobBegin(domainObj *obj);
void kvmDomainJobEnd(domainObj *obj);

/* Waits at most @waitUs for the job (kvmDomainJobBegin waits 30 s). */
int kvmDomainJobBeginWait(domainObj *obj, gint64 waitUs);

/* Progress of the long job of @obj (locked, job held): starts telling
 * (type BOUNDED, @operation), updates the amounts in @info (type and
 * times are kept), and ends with @type COMPLETED, FAILED (@errmsg, may be
 * NULL) or CANCELLED, which the job's statistics keep as the last ones. */
void kvmJobProgressBegin(domainObj *obj, int operation);
void kvmJobProgressUpdate(domainObj *obj, const vmmDomainJobInfo *info);
void kvmJobProgressEnd(domainObj *obj, int type, const char *errmsg);
/* Whether vmmDomainAbortJob asked the running job of @obj to stop. */
bool kvmJobAbortRequested(domainObj *obj);

int kvmDomainGetJobInfo(vmmDomainPtr dom, vmmDomainJobInfoPtr info);
int kvmDomainGetJobStats(vmmDomainPtr dom, int *type,
                         vmmTypedParameterPtr *params, int *nparams,
                         unsigned int flags);
int kvmDomainAbortJob(vmmDomainPtr dom);

/* Queues a lifecycle event about @obj (locked). */
void kvmDriverEmit(domainObj *obj, int event, int detail);

/* VMM_ERR_INVALID_ARG "unsupported flags" when @flags has others. */
int kvmCheckFlags(unsigned int flags, unsigned int allowed);

/* Refuses definitions the driver cannot run: type other than qemu / kvm,
 * os type other than hvm. */
int kvmDriverCheckDef(const domainDef *def, void *opaque);

/* Writes the persistent definition of @obj (locked). */
int kvmDriverSaveDef(domainObj *obj);

/* The object behind @dom (referenced, locked) or NULL with
 * VMM_ERR_NO_DOMAIN. */
domainObj *kvmDomainObjFromHandle(vmmDomainPtr dom);
vmmDomainPtr kvmDomainHandle(vmmConnectPtr conn, domainObj *obj);
