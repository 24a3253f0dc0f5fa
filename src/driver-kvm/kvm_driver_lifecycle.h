/*
 * kvm_driver_lifecycle.h: the QEMU driver's slots that start, pause and
 * stop QEMU (kvm_driver_lifecycle.c), and what the driver state needs of
 * them: taking running guests back after a daemon restart.
 */
#pragma once

#include <vmm/vmm.h>

#include "domain_obj.h"
#include "util_json.h"

/* For every status file in the run dir: reconnect to the QEMU that still
 * runs (the guest is then active again) or clean up after one that is
 * gone. Called once by kvmDriverStateInitialize. */
void kvmLifecycleReconnectAll(void);

/* Waits (up to 10 s) for the threads handling QEMU events to finish;
 * called by kvmDriverStateCleanup before the state goes. */
void kvmLifecycleDrain(void);

/* CPU time of @obj's QEMU (locked) in ns, 0 when not running. */
unsigned long long kvmLifecycleCPUTime(domainObj *obj);

/* For save / restore and resources (kvm_driver_save.c, _resource.c). */
/* Starts QEMU for @obj (locked, job held, inactive) with -incoming, loads
 * the guest's state from @incoming (a QMP migrate-incoming URI) and
 * reports the domain RESTORED. */
int kvmLifecycleRestoreLocked(domainObj *obj, bool paused,
                              const char *incoming);
/* Runs a QMP command on @obj (locked, job held), unlocked meanwhile. */
int kvmLifecycleMonitorRun(domainObj *obj, const char *command,
                           const jsonValue *args, jsonValue **ret_reply);
/* The active guest behind @dom, referenced, locked, with its job. */
domainObj *kvmLifecycleBeginActive(vmmDomainPtr dom);
/* Ends the call on @obj (job released when @jobHeld; a transient guest
 * that stopped leaves the list). */
void kvmLifecycleEndAPI(domainObj **obj, bool jobHeld);

/* With @obj locked and its job held: start QEMU (events as a start
 * gives), stop it with @reason / event @detail, or record the current
 * state in the status file. */
int kvmLifecycleStartLocked(domainObj *obj, bool paused);
void kvmLifecycleStopLocked(domainObj *obj, int reason, int detail);
void kvmLifecycleSaveStatus(domainObj *obj);

int kvmDomainCreateWithFlags(vmmDomainPtr dom, unsigned int flags);
vmmDomainPtr kvmDomainCreateXML(vmmConnectPtr conn, const char *xml,
                                unsigned int flags);
int kvmDomainDestroyFlags(vmmDomainPtr dom, unsigned int flags);
int kvmDomainShutdownFlags(vmmDomainPtr dom, unsigned int flags);
int kvmDomainReboot(vmmDomainPtr dom, unsigned int flags);
int kvmDomainSuspend(vmmDomainPtr dom);
int kvmDomainResume(vmmDomainPtr dom);
