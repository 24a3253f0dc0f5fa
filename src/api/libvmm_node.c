/*
 * libvmm_node.c: the public API of the host's running figures
 * (vmm-host.h): CPU time counters, free memory per NUMA cell and in all,
 * and the security model guests are confined under, with the label of
 * one guest under it (vmm-domain.h). Static facts (vmmNodeGetInfo) are
 * libvmm_connect.c's.
 */
#include <config.h>

#include <string.h>

#include "api_entry.h"

int vmmNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                       vmmNodeCPUStatsPtr params, int *nparams,
                       unsigned int flags)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, nparams, -1);
    API_CHECK_ARG(conn, *nparams >= 0, nparams, "must not be negative", -1);
    API_CHECK_ARG(conn, (params == NULL) == (*nparams == 0), params,
                  "must be NULL exactly when *nparams is 0", -1);
    API_CHECK_ARG(conn, cpuNum >= VMM_NODE_CPU_STATS_ALL_CPUS, cpuNum,
                  "must be a CPU number or VMM_NODE_CPU_STATS_ALL_CPUS", -1);
    API_CHECK_FLAGS(conn, flags, 0, -1);
    API_RETURN_INT(conn, nodeGetCPUStats, conn, cpuNum, params, nparams, flags);
}

int vmmNodeGetCellsFreeMemory(vmmConnectPtr conn, unsigned long long *freeMems,
                              int startCell, int maxCells)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, freeMems, -1);
    API_CHECK_ARG(conn, startCell >= 0, startCell, "must not be negative", -1);
    API_CHECK_ARG(conn, maxCells > 0, maxCells, "must be positive", -1);
    API_RETURN_INT(conn, nodeGetCellsFreeMemory, conn, freeMems, startCell,
                   maxCells);
}

#define API_FAILED_ULL(r) ((r) == 0)

unsigned long long vmmNodeGetFreeMemory(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, 0);
    API_RETURN_CALL(conn, nodeGetFreeMemory, 0, API_FAILED_ULL, conn);
}

int vmmNodeGetSecurityModel(vmmConnectPtr conn, vmmSecurityModelPtr secmodel)
{
    vmmSecurityModel got;

    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, secmodel, -1);
    if (!conn->driver->nodeGetSecurityModel) {
        apiReportNoSupport(conn, __func__);
        return -1;
    }
    memset(&got, 0, sizeof(got));
    if (conn->driver->nodeGetSecurityModel(conn, &got) < 0) {
        apiDispatchError(conn);
        return -1;
    }
    *secmodel = got;
    return 0;
}

int vmmDomainGetSecurityLabel(vmmDomainPtr domain, vmmSecurityLabelPtr seclabel)
{
    g_autofree vmmSecurityLabel *got = g_new0(vmmSecurityLabel, 1);
    vmmConnectPtr conn;

    API_ENTER_DOMAIN(domain, -1);
    conn = domain->conn;
    API_CHECK_NONNULL(conn, seclabel, -1);
    if (!conn->driver->domainGetSecurityLabel) {
        apiReportNoSupport(conn, __func__);
        return -1;
    }
    if (conn->driver->domainGetSecurityLabel(domain, got) < 0) {
        apiDispatchError(conn);
        return -1;
    }
    *seclabel = *got;
    return 0;
}
