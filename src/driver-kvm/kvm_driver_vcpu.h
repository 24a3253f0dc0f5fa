/*
 * kvm_driver_vcpu.h: the QEMU driver's vCPU slots (kvm_driver_vcpu.c):
 * hot-plug / unplug, the vCPU threads, live pinning. Signatures of
 * driver.h, for the table in kvm_driver.c.
 */
#pragma once

#include <vmm/vmm.h>

int kvmVcpuSetVcpusFlags(vmmDomainPtr dom, unsigned int nvcpus,
                         unsigned int flags);
int kvmVcpuGetVcpus(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                    unsigned char *cpumaps, int maplen);
int kvmVcpuPinVcpuFlags(vmmDomainPtr dom, unsigned int vcpu,
                        unsigned char *cpumap, int maplen, unsigned int flags);
int kvmVcpuGetVcpuPinInfo(vmmDomainPtr dom, int ncpumaps,
                          unsigned char *cpumaps, int maplen,
                          unsigned int flags);
/* The host's CPUs from /sys/devices/system/cpu (present, online). */
int kvmVcpuNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                         unsigned int *online, unsigned int flags);
