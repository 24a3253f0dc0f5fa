/*
 * test_node.h: the test driver's host figures and security model, fixed
 * numbers as libvirt's test driver gives them, so that clients' layouts
 * can be compared with libvirtd's. Each function is one slot of
 * vmmHypervisorDriver.
 */
#pragma once

#include <vmm/vmm.h>

int testNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                        vmmNodeCPUStatsPtr params, int *nparams,
                        unsigned int flags);
int testNodeGetCellsFreeMemory(vmmConnectPtr conn, unsigned long long *freeMems,
                               int startCell, int maxCells);
unsigned long long testNodeGetFreeMemory(vmmConnectPtr conn);
int testNodeGetSecurityModel(vmmConnectPtr conn, vmmSecurityModelPtr secmodel);
int testDomainGetSecurityLabel(vmmDomainPtr dom, vmmSecurityLabelPtr seclabel);
