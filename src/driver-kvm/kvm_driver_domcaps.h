/*
 * kvm_driver_domcaps.h: the QEMU driver's connectGetDomainCapabilities
 * slot (driver.h): libvirt's <domainCapabilities> for one emulator,
 * machine type and virtualization type.
 */
#pragma once

#include <vmm/vmm.h>

char *kvmConnectGetDomainCapabilities(vmmConnectPtr conn,
                                      const char *emulatorbin,
                                      const char *arch, const char *machine,
                                      const char *virttype, unsigned int flags);
