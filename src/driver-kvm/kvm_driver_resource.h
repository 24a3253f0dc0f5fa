/*
 * kvm_driver_resource.h: changing a running QEMU guest's resources
 * (memory through the balloon); the stored definition's side stays in
 * kvm_driver_domain.c.
 */
#pragma once

#include <vmm/vmm.h>

int kvmResourceSetMemoryFlags(vmmDomainPtr dom, unsigned long memory,
                              unsigned int flags);
