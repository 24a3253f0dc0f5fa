/*
 * kvm_driver_console.h: the QEMU driver's domainOpenConsole slot
 * (kvm_driver_console.c), for the table in kvm_driver.c.
 */
#pragma once

#include <vmm/vmm.h>

int kvmDomainOpenConsole(vmmDomainPtr dom, const char *dev_name,
                         vmmStreamPtr st, unsigned int flags);
