/*
 * libvmm_vcpu.c: the public API of a guest's vCPUs one by one
 * (vmm-domain.h): what each runs on and may run on, and the host's CPU
 * map those answers are sized by (vmmNodeGetCPUMap, vmm-host.h).
 * Counting and resizing the vCPUs (vmmDomainSetVcpusFlags...) is
 * libvmm_domain.c's.
 */
#include <config.h>

#include <limits.h>

#include "api_entry.h"

#define PIN_FLAGS (VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG)

/* A CPU map buffer of @n maps of @maplen bytes: both positive, and their
 * product fits an int (the wire counts bytes in one). */
static bool vcpuCheckMaps(vmmConnectPtr conn, int n, int maplen,
                          const char *func)
{
    if (!apiCheckArg(conn, n > 0, "ncpumaps", "must be positive", func) ||
        !apiCheckArg(conn, maplen > 0, "maplen", "must be positive", func))
        return false;
    return apiCheckArg(conn, n <= INT_MAX / maplen, "maplen",
                       "is too large for that many maps", func);
}

/* LIVE and CONFIG together name two definitions; one answer holds one. */
static bool vcpuCheckOneDef(vmmConnectPtr conn, unsigned int flags,
                            const char *func)
{
    return apiCheckArg(conn, (flags & PIN_FLAGS) != PIN_FLAGS, "flags",
                       "must not hold both 'live' and 'config'", func);
}

int vmmNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                     unsigned int *online, unsigned int flags)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_FLAGS(conn, flags, 0, -1);
    API_RETURN_INT(conn, nodeGetCPUMap, conn, cpumap, online, flags);
}

int vmmDomainGetVcpus(vmmDomainPtr domain, vmmVcpuInfoPtr info, int maxinfo,
                      unsigned char *cpumaps, int maplen)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, info, -1);
    API_CHECK_ARG(domain->conn, maxinfo > 0, maxinfo, "must be positive", -1);
    if (cpumaps) {
        if (!vcpuCheckMaps(domain->conn, maxinfo, maplen, __func__))
            return -1;
    } else {
        API_CHECK_ARG(domain->conn, maplen == 0, maplen,
                      "must be zero without cpumaps", -1);
    }
    API_RETURN_INT(domain->conn, domainGetVcpus, domain, info, maxinfo, cpumaps,
                   maplen);
}

int vmmDomainPinVcpuFlags(vmmDomainPtr domain, unsigned int vcpu,
                          unsigned char *cpumap, int maplen, unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_RW(domain->conn, -1);
    API_CHECK_FLAGS(domain->conn, flags, PIN_FLAGS, -1);
    API_CHECK_NONNULL(domain->conn, cpumap, -1);
    API_CHECK_ARG(domain->conn, maplen > 0, maplen, "must be positive", -1);
    API_CHECK_ARG(domain->conn, vcpu <= INT_MAX, vcpu, "is too large", -1);
    API_RETURN_INT(domain->conn, domainPinVcpuFlags, domain, vcpu, cpumap,
                   maplen, flags);
}

int vmmDomainPinVcpu(vmmDomainPtr domain, unsigned int vcpu,
                     unsigned char *cpumap, int maplen)
{
    return vmmDomainPinVcpuFlags(domain, vcpu, cpumap, maplen,
                                 VMM_DOMAIN_AFFECT_LIVE);
}

int vmmDomainGetVcpuPinInfo(vmmDomainPtr domain, int ncpumaps,
                            unsigned char *cpumaps, int maplen,
                            unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_FLAGS(domain->conn, flags, PIN_FLAGS, -1);
    API_CHECK_NONNULL(domain->conn, cpumaps, -1);
    if (!vcpuCheckMaps(domain->conn, ncpumaps, maplen, __func__) ||
        !vcpuCheckOneDef(domain->conn, flags, __func__))
        return -1;
    API_RETURN_INT(domain->conn, domainGetVcpuPinInfo, domain, ncpumaps,
                   cpumaps, maplen, flags);
}
