/*
 * kvm_driver_lifecycle.h: the QEMU driver's slots that start, pause and
 * stop QEMU (kvm_driver_lifecycle.c), and what the driver state needs of
 * them: taking running guests back after a daemon restart.
 */
#pragma once

#include <vmm/vmm.h>

#include "domain_obj.h"

/* For every status file in the run dir: reconnect to the QEMU that still
 * runs (the guest is then active again) or clean up after one that is
 * gone. Called once by kvmDriverStateInitialize. */
void kvmLifecycleReconnectAll(void);

/* Waits (up to 10 s) for the threads handling QEMU events to finish;
 * called by kvmDriverStateCleanup before the state goes. */
void kvmLifecycleDrain(void);

/* CPU time of @obj's QEMU (locked) in ns, 0 when not running. */
unsigned long long kvmLifecycleCPUTime(domainObj *obj);

int kvmDomainCreateWithFlags(vmmDomainPtr dom, unsigned int flags);
vmmDomainPtr kvmDomainCreateXML(vmmConnectPtr conn, const char *xml,
                                unsigned int flags);
int kvmDomainDestroyFlags(vmmDomainPtr dom, unsigned int flags);
int kvmDomainShutdownFlags(vmmDomainPtr dom, unsigned int flags);
int kvmDomainSuspend(vmmDomainPtr dom);
int kvmDomainResume(vmmDomainPtr dom);
