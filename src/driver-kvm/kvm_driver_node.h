/*
 * kvm_driver_node.h: the QEMU driver's host figures (CPU counters, free
 * memory per NUMA cell, from node_stats.h) and its security model: none,
 * as libvirtd's with security_driver = "none", so guests carry no label.
 */
#pragma once

#include <vmm/vmm.h>

int kvmNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                       vmmNodeCPUStatsPtr params, int *nparams,
                       unsigned int flags);
int kvmNodeGetCellsFreeMemory(vmmConnectPtr conn, unsigned long long *freeMems,
                              int startCell, int maxCells);
unsigned long long kvmNodeGetFreeMemory(vmmConnectPtr conn);
int kvmNodeGetSecurityModel(vmmConnectPtr conn, vmmSecurityModelPtr secmodel);
int kvmDomainGetSecurityLabel(vmmDomainPtr dom, vmmSecurityLabelPtr seclabel);
