/*
 * remote_vcpu.h: hand-written client stubs of the vCPU procedures whose
 * caller-sized buffers of CPU maps the generator does not map
 * (DOMAIN_GET_VCPUS, DOMAIN_PIN_VCPU_FLAGS, DOMAIN_GET_VCPU_PIN_INFO),
 * and of the host's CPU map they are sized by (NODE_GET_CPU_MAP).
 * Signatures of the driver table's slots (driver.h).
 */
#pragma once

#include <vmm/vmm.h>

int remoteNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                        unsigned int *online, unsigned int flags);
int remoteDomainGetVcpus(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                         unsigned char *cpumaps, int maplen);
int remoteDomainPinVcpuFlags(vmmDomainPtr dom, unsigned int vcpu,
                             unsigned char *cpumap, int maplen,
                             unsigned int flags);
int remoteDomainGetVcpuPinInfo(vmmDomainPtr dom, int ncpumaps,
                               unsigned char *cpumaps, int maplen,
                               unsigned int flags);
