/*
 * libvmm_device.c: public entry points about a domain's devices: adding
 * and removing disks and interfaces (live, in the stored definition, or
 * both) and reading their I/O counters.
 *
 * The variants without flags are the flag variants with
 * VMM_DOMAIN_DEVICE_MODIFY_LIVE, as in libvirt, so a driver has one slot
 * per operation. What a device XML may hold is the driver's business.
 */
#include <config.h>

#include <string.h>

#include "api_entry.h"
#include "driver.h"

#define API_DEVICE_MODIFY_FLAGS                                                \
    (VMM_DOMAIN_DEVICE_MODIFY_LIVE | VMM_DOMAIN_DEVICE_MODIFY_CONFIG |         \
     VMM_DOMAIN_DEVICE_MODIFY_FORCE)

int vmmDomainAttachDeviceFlags(vmmDomainPtr domain, const char *xml,
                               unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, xml, -1);
    API_CHECK_RW(domain->conn, -1);
    API_CHECK_FLAGS(domain->conn, flags, API_DEVICE_MODIFY_FLAGS, -1);
    API_RETURN_INT(domain->conn, domainAttachDeviceFlags, domain, xml, flags);
}

int vmmDomainAttachDevice(vmmDomainPtr domain, const char *xml)
{
    return vmmDomainAttachDeviceFlags(domain, xml,
                                      VMM_DOMAIN_DEVICE_MODIFY_LIVE);
}

int vmmDomainDetachDeviceFlags(vmmDomainPtr domain, const char *xml,
                               unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, xml, -1);
    API_CHECK_RW(domain->conn, -1);
    API_CHECK_FLAGS(domain->conn, flags, API_DEVICE_MODIFY_FLAGS, -1);
    API_RETURN_INT(domain->conn, domainDetachDeviceFlags, domain, xml, flags);
}

int vmmDomainDetachDevice(vmmDomainPtr domain, const char *xml)
{
    return vmmDomainDetachDeviceFlags(domain, xml,
                                      VMM_DOMAIN_DEVICE_MODIFY_LIVE);
}

/* A caller built against an older, shorter structure passes its @size:
 * the driver fills a full one and only @size bytes are copied back. */
int vmmDomainBlockStats(vmmDomainPtr domain, const char *path,
                        vmmDomainBlockStatsPtr stats, size_t size)
{
    vmmDomainBlockStatsStruct full;

    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, path, -1);
    API_CHECK_NONNULL(domain->conn, stats, -1);
    API_CHECK_ARG(domain->conn, size <= sizeof(full), size,
                  "must not exceed the library's structure", -1);
    if (!domain->conn->driver->domainBlockStats) {
        apiReportNoSupport(domain->conn, __func__);
        return -1;
    }
    memset(&full, 0xff, sizeof(full));
    if (domain->conn->driver->domainBlockStats(domain, path, &full) < 0) {
        apiDispatchError(domain->conn);
        return -1;
    }
    memcpy(stats, &full, size);
    return 0;
}

int vmmDomainInterfaceStats(vmmDomainPtr domain, const char *device,
                            vmmDomainInterfaceStatsPtr stats, size_t size)
{
    vmmDomainInterfaceStatsStruct full;

    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, device, -1);
    API_CHECK_NONNULL(domain->conn, stats, -1);
    API_CHECK_ARG(domain->conn, size <= sizeof(full), size,
                  "must not exceed the library's structure", -1);
    if (!domain->conn->driver->domainInterfaceStats) {
        apiReportNoSupport(domain->conn, __func__);
        return -1;
    }
    memset(&full, 0xff, sizeof(full));
    if (domain->conn->driver->domainInterfaceStats(domain, device, &full) <
        0) {
        apiDispatchError(domain->conn);
        return -1;
    }
    memcpy(stats, &full, size);
    return 0;
}
