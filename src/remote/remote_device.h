/*
 * remote_device.h: hand-written client stubs of the statistics
 * procedures: DOMAIN_BLOCK_STATS and DOMAIN_INTERFACE_STATS, whose
 * driver slots lack the public API's size argument (their server side is
 * generated), and the typed parameter records of
 * CONNECT_GET_ALL_DOMAIN_STATS and DOMAIN_GET_JOB_STATS, which the
 * generator does not map. Signatures of the driver table's slots
 * (driver.h).
 */
#pragma once

#include <vmm/vmm.h>

int remoteDomainBlockStats(vmmDomainPtr dom, const char *path,
                           vmmDomainBlockStatsPtr stats);
int remoteDomainInterfaceStats(vmmDomainPtr dom, const char *device,
                               vmmDomainInterfaceStatsPtr stats);
int remoteConnectGetAllDomainStats(vmmConnectPtr conn, vmmDomainPtr *doms,
                                   unsigned int ndoms, unsigned int stats,
                                   vmmDomainStatsRecordPtr **retStats,
                                   unsigned int flags);
int remoteDomainGetJobStats(vmmDomainPtr dom, int *type,
                            vmmTypedParameterPtr *params, int *nparams,
                            unsigned int flags);
