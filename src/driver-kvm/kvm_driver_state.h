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

/* Per-guest data (domainObj.privateData). */
typedef struct {
    kvmProcess *proc; /* while QEMU runs */
    bool job;         /* a state change is under way (guarded by obj lock) */
    GCond jobCond;
    gint shutdownSeen; /* atomic: QEMU reported a guest shutdown */
    gint fakeReboot;   /* atomic: the next guest shutdown is a reboot
                          (vmmDomainReboot): reset and continue */
    gint panicSeen;    /* atomic: QEMU reported GUEST_PANICKED */
    gint stopping;     /* atomic: the driver is stopping QEMU itself */
    gint generation;   /* atomic: bumped at every start and stop, so an
                          event about an older QEMU is recognised */
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
