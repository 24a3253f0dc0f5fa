/*
 * test_resource.h: the test driver's calls about a guest's state, memory
 * and virtual CPUs. Each function is one slot of vmmHypervisorDriver.
 */
#pragma once

#include <vmm/vmm.h>

/* The most vCPUs a test guest may have (libvirt's test driver says 32). */
#define TEST_MAX_VCPUS 32

int testDomainGetInfo(vmmDomainPtr dom, vmmDomainInfoPtr info);
int testDomainGetState(vmmDomainPtr dom, int *state, int *reason,
                       unsigned int flags);
unsigned long testDomainGetMaxMemory(vmmDomainPtr dom);
int testDomainSetMaxMemory(vmmDomainPtr dom, unsigned long memory);
int testDomainSetMemoryFlags(vmmDomainPtr dom, unsigned long memory,
                             unsigned int flags);
int testDomainSetVcpusFlags(vmmDomainPtr dom, unsigned int nvcpus,
                            unsigned int flags);
int testDomainGetVcpusFlags(vmmDomainPtr dom, unsigned int flags);
int testDomainGetMaxVcpus(vmmDomainPtr dom);
