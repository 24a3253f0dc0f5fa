/*
 * libvmm_drivers.c: which drivers the library carries, in the order
 * vmmConnectOpen tries them. It sits above every driver, so the API layer
 * never names a driver.
 */
#include <config.h>

#include "driver.h"
#include "test_driver.h"

void libvmmRegisterDrivers(void)
{
    testDriverRegister();
}
