/*
 * remote_control.c: the memory statistics call of the remote driver (see
 * remote_control.h). An answer longer than what was asked for comes from
 * a broken or hostile daemon and is refused before anything is copied.
 */
#include <config.h>

#include "remote_conn.h"
#include "remote_control.h"
#include "util_error.h"

#define REMOTE_XDR(type) ((xdrproc_t)xdr_##type)

int remoteDomainMemoryStats(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                            unsigned int nr, unsigned int flags)
{
    remote_domain_memory_stats_args args = {.maxStats = nr, .flags = flags};
    remote_domain_memory_stats_ret ret = {0};
    int n = -1;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_MEMORY_STATS,
                         REMOTE_XDR(remote_domain_memory_stats_args), &args,
                         REMOTE_XDR(remote_domain_memory_stats_ret), &ret) < 0)
        return -1;
    if (ret.stats.stats_len > nr) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "daemon sent %u memory statistics, %u were asked for",
                    ret.stats.stats_len, nr);
    } else {
        for (unsigned int i = 0; i < ret.stats.stats_len; i++) {
            stats[i].tag = ret.stats.stats_val[i].tag;
            stats[i].val = ret.stats.stats_val[i].val;
        }
        n = ret.stats.stats_len;
    }
    xdr_free(REMOTE_XDR(remote_domain_memory_stats_ret), (char *)&ret);
    return n;
}
