/*
 * test_vcpu.h: the test driver's vCPU slots (test_vcpu.c): the vCPUs of
 * a running test domain, their live pinning, and the fixed host's CPU
 * map. Signatures of driver.h.
 */
#pragma once

#include <vmm/vmm.h>

int testNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                      unsigned int *online, unsigned int flags);
int testDomainGetVcpus(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                       unsigned char *cpumaps, int maplen);
int testDomainPinVcpuFlags(vmmDomainPtr dom, unsigned int vcpu,
                           unsigned char *cpumap, int maplen,
                           unsigned int flags);
int testDomainGetVcpuPinInfo(vmmDomainPtr dom, int ncpumaps,
                             unsigned char *cpumaps, int maplen,
                             unsigned int flags);
