/*
 * kvm_driver.h: the QEMU/KVM hypervisor driver, qemu:///system inside
 * vmmd. Only the daemon registers it (src/libvmm_drivers.c with
 * VMM_WITH_KVM_DRIVER); libvmm.so sends qemu:/// URIs to the daemon.
 *
 * vmmd brings its state up with kvmDriverStateInitialize() (see
 * kvm_driver_state.h) when it runs as root or with --root; without that
 * state qemu:/// connections are refused with a clear error.
 */
#pragma once

#include "kvm_driver_state.h"

/* Adds the QEMU driver to the registry. */
int kvmDriverRegister(void);
