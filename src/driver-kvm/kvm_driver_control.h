/*
 * kvm_driver_control.h: the QEMU driver's calls on a running guest outside
 * its lifecycle: hard reset (QMP system_reset), control state (from the
 * job and its progress, never waiting for the job), memory statistics
 * (balloon, guest statistics, QEMU's RSS) and their polling period.
 */
#pragma once

#include <vmm/vmm.h>

#include "domain_obj.h"

int kvmDomainReset(vmmDomainPtr dom, unsigned int flags);
int kvmDomainGetControlInfo(vmmDomainPtr dom, vmmDomainControlInfoPtr info,
                            unsigned int flags);
int kvmDomainMemoryStats(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                         unsigned int nr, unsigned int flags);
int kvmDomainSetMemoryStatsPeriod(vmmDomainPtr dom, int period,
                                  unsigned int flags);

/* After QEMU of @obj (locked, job held) started: asks the balloon for the
 * guest's statistics every <stats period=> seconds, when that is set. A
 * failure is logged, the guest runs on. */
void kvmControlStartStatsPolling(domainObj *obj);
