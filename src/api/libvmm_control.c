/*
 * libvmm_control.c: the public API for handling a running guest outside
 * its lifecycle (vmm-domain.h): the hard reset, what the management side
 * is busy with (control info), and the guest's memory statistics with
 * their refresh period. Starting and stopping are libvmm_domain.c's.
 */
#include <config.h>

#include <string.h>

#include "api_entry.h"

#define STATS_PERIOD_FLAGS (VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG)

int vmmDomainReset(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_RW(domain->conn, -1);
    API_CHECK_FLAGS(domain->conn, flags, 0, -1);
    API_RETURN_INT(domain->conn, domainReset, domain, flags);
}

int vmmDomainGetControlInfo(vmmDomainPtr domain, vmmDomainControlInfoPtr info,
                            unsigned int flags)
{
    vmmDomainControlInfo got = {0};
    vmmConnectPtr conn;

    API_ENTER_DOMAIN(domain, -1);
    conn = domain->conn;
    API_CHECK_NONNULL(conn, info, -1);
    API_CHECK_FLAGS(conn, flags, 0, -1);
    if (!conn->driver->domainGetControlInfo) {
        apiReportNoSupport(conn, __func__);
        return -1;
    }
    if (conn->driver->domainGetControlInfo(domain, &got, flags) < 0) {
        apiDispatchError(conn);
        return -1;
    }
    *info = got;
    return 0;
}

int vmmDomainMemoryStats(vmmDomainPtr domain, vmmDomainMemoryStatPtr stats,
                         unsigned int nr_stats, unsigned int flags)
{
    vmmDomainMemoryStat got[VMM_DOMAIN_MEMORY_STAT_NR];
    vmmConnectPtr conn;
    int n;

    API_ENTER_DOMAIN(domain, -1);
    conn = domain->conn;
    API_CHECK_NONNULL(conn, stats, -1);
    API_CHECK_ARG(conn, nr_stats > 0, nr_stats, "must be positive", -1);
    API_CHECK_FLAGS(conn, flags, 0, -1);
    if (!conn->driver->domainMemoryStats) {
        apiReportNoSupport(conn, __func__);
        return -1;
    }
    /* There are only so many tags; a larger buffer gets that many. */
    if (nr_stats > VMM_DOMAIN_MEMORY_STAT_NR)
        nr_stats = VMM_DOMAIN_MEMORY_STAT_NR;
    n = conn->driver->domainMemoryStats(domain, got, nr_stats, flags);
    if (n < 0) {
        apiDispatchError(conn);
        return -1;
    }
    memcpy(stats, got, sizeof(got[0]) * n);
    return n;
}

int vmmDomainSetMemoryStatsPeriod(vmmDomainPtr domain, int period,
                                  unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_RW(domain->conn, -1);
    API_CHECK_ARG(domain->conn, period >= 0, period, "must not be negative",
                  -1);
    API_CHECK_FLAGS(domain->conn, flags, STATS_PERIOD_FLAGS, -1);
    API_RETURN_INT(domain->conn, domainSetMemoryStatsPeriod, domain, period,
                   flags);
}
