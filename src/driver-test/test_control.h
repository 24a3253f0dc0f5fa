/*
 * test_control.h: the test driver's calls on a running guest outside its
 * lifecycle: hard reset, control state, memory statistics. Each function
 * is one slot of vmmHypervisorDriver.
 */
#pragma once

#include <vmm/vmm.h>

int testDomainReset(vmmDomainPtr dom, unsigned int flags);
int testDomainGetControlInfo(vmmDomainPtr dom, vmmDomainControlInfoPtr info,
                             unsigned int flags);
int testDomainMemoryStats(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                          unsigned int nr, unsigned int flags);
int testDomainSetMemoryStatsPeriod(vmmDomainPtr dom, int period,
                                   unsigned int flags);
