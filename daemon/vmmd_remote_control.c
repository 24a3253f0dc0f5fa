/*
 * vmmd_remote_control.c: the memory statistics handler (see
 * vmmd_remote_control.h). The client's count is bounded by the protocol's
 * limit before anything is allocated.
 */
#include <config.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_control.h"

int vmmdRemoteDomainMemoryStats(vmmdClient *client, vmmConnectPtr conn,
                                void *argsp, void *retp)
{
    remote_domain_memory_stats_args *args = argsp;
    remote_domain_memory_stats_ret *ret = retp;
    g_autofree vmmDomainMemoryStat *stats = NULL;
    vmmDomainPtr dom;
    int n;

    if (args->maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many memory statistics asked for: %u, the limit is "
                    "%d",
                    args->maxStats, REMOTE_DOMAIN_MEMORY_STATS_MAX);
        return -1;
    }
    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    /* libvirt answers no statistics to a client asking for none. */
    if (args->maxStats == 0) {
        rpcDispatchDomainRelease(dom);
        return 0;
    }
    stats = g_new0(vmmDomainMemoryStat, MAX(args->maxStats, 1));
    n = vmmDomainMemoryStats(dom, stats, args->maxStats, args->flags);
    rpcDispatchDomainRelease(dom);
    if (n < 0)
        return -1;
    ret->stats.stats_val = g_new0(remote_domain_memory_stat, MAX(n, 1));
    ret->stats.stats_len = n;
    for (int i = 0; i < n; i++) {
        ret->stats.stats_val[i].tag = stats[i].tag;
        ret->stats.stats_val[i].val = stats[i].val;
    }
    return 0;
}
