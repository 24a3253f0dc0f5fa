/*
 * remote_control.h: hand-written client stub of DOMAIN_MEMORY_STATS,
 * whose caller-sized array of statistics the generator does not map.
 * Signature of the driver table's slot (driver.h).
 */
#pragma once

#include <vmm/vmm.h>

int remoteDomainMemoryStats(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                            unsigned int nr, unsigned int flags);
