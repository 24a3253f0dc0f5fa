/*
 * driver_registry.c: the list of hypervisor drivers vmmConnectOpen tries,
 * and the one-time initialisation of the library that fills it.
 *
 * The registry never names a driver: libvmmRegisterDrivers() is defined
 * above every driver (src/libvmm_drivers.c, or a test program).
 */
#include <config.h>

#include "driver_registry.h"
#include "util_error.h"
#include "util_log.h"

/* Drivers are few and registered once; a fixed array is all it takes. */
#define DRIVER_REGISTRY_MAX 16

static GMutex registryLock;
static const vmmHypervisorDriver *registryDrivers[DRIVER_REGISTRY_MAX];
static size_t registryCount;

int driverRegisterHypervisor(const vmmHypervisorDriver *driver)
{
    int ret = -1;

    g_mutex_lock(&registryLock);
    if (registryCount >= DRIVER_REGISTRY_MAX)
        errorReportInternal(VMM_FROM_NONE,
                            "too many drivers registered, cannot add '%s'",
                            driver->name);
    else {
        registryDrivers[registryCount++] = driver;
        ret = 0;
    }
    g_mutex_unlock(&registryLock);
    return ret;
}

const vmmHypervisorDriver *driverRegistryGet(size_t i)
{
    const vmmHypervisorDriver *driver = NULL;

    g_mutex_lock(&registryLock);
    if (i < registryCount)
        driver = registryDrivers[i];
    g_mutex_unlock(&registryLock);
    return driver;
}

const vmmHypervisorDriver *driverRegistryFind(const char *name)
{
    const vmmHypervisorDriver *driver;

    for (size_t i = 0; (driver = driverRegistryGet(i)); i++) {
        if (g_ascii_strcasecmp(driver->name, name) == 0)
            return driver;
    }
    return NULL;
}

static gpointer driverRegistryInitializeOnce(gpointer unused)
{
    /* A bad logging variable is no reason to refuse a connection; the
     * error it raised is dropped below. */
    logSetupFromEnv();
    libvmmRegisterDrivers();
    /* Registration must not leave an error behind for the caller. */
    errorReset();
    return NULL;
}

void driverRegistryInitialize(void)
{
    static GOnce once = G_ONCE_INIT;

    g_once(&once, driverRegistryInitializeOnce, NULL);
}
