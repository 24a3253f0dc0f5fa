/*
 * remote_node.h: hand-written client stubs of the host figures and the
 * security model, whose caller-sized arrays and fixed char buffers the
 * generator does not map (NODE_GET_CPU_STATS, NODE_GET_CELLS_FREE_MEMORY,
 * NODE_GET_FREE_MEMORY, NODE_GET_SECURITY_MODEL,
 * DOMAIN_GET_SECURITY_LABEL). Signatures of the driver table's slots
 * (driver.h).
 */
#pragma once

#include <vmm/vmm.h>

int remoteNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                          vmmNodeCPUStatsPtr params, int *nparams,
                          unsigned int flags);
int remoteNodeGetCellsFreeMemory(vmmConnectPtr conn,
                                 unsigned long long *freeMems, int startCell,
                                 int maxCells);
unsigned long long remoteNodeGetFreeMemory(vmmConnectPtr conn);
int remoteNodeGetSecurityModel(vmmConnectPtr conn,
                               vmmSecurityModelPtr secmodel);
int remoteDomainGetSecurityLabel(vmmDomainPtr dom,
                                 vmmSecurityLabelPtr seclabel);
