/*
 * libvmm_drivers.c: which drivers the library carries, in the order
 * vmmConnectOpen tries them. It sits above every driver, so the API layer
 * never names a driver.
 */
#include <config.h>

#include "driver.h"
#include "test_driver.h"
#ifdef VMM_WITH_REMOTE_DRIVER
# include "remote_driver.h"
#endif
#ifdef VMM_WITH_KVM_DRIVER
# include "kvm_driver.h"
#endif

void libvmmRegisterDrivers(void)
{
    testDriverRegister();
#ifdef VMM_WITH_KVM_DRIVER
    /* Only vmmd carries the QEMU driver (qemu:///system runs there). */
    kvmDriverRegister();
#endif
#ifdef VMM_WITH_REMOTE_DRIVER
    /* After the in-process drivers: it takes every URI with a transport
     * and the daemon-only drivers (see remote_driver.h). Only libvmm.so
     * is built with it; vmmd must not send its own URIs to itself. */
    remoteDriverRegister();
#endif
}
