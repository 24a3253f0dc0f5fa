/*
 * remote_device.h: hand-written client stubs of the statistics
 * procedures whose results are C structures the generator does not map
 * (DOMAIN_BLOCK_STATS, DOMAIN_INTERFACE_STATS, and the typed parameter
 * records of CONNECT_GET_ALL_DOMAIN_STATS and DOMAIN_GET_JOB_STATS).
 * Signatures of the driver table's slots (driver.h).
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
