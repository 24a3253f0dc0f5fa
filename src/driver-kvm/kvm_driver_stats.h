/*
 * kvm_driver_stats.h: the QEMU driver's connectGetAllDomainStats slot
 * (driver.h), behind virsh domstats.
 */
#pragma once

#include <vmm/vmm.h>

int kvmConnectGetAllDomainStats(vmmConnectPtr conn, vmmDomainPtr *doms,
                                unsigned int ndoms, unsigned int stats,
                                vmmDomainStatsRecordPtr **retStats,
                                unsigned int flags);
