/*
 * remote_device.c: the statistics calls of the remote driver (see
 * remote_device.h). The wire carries the counters as hypers in the order
 * of libvirt's structures, which is also ours, and typed parameters with
 * libvirt's type numbers, which are also ours.
 */
#include <config.h>

#include "remote_conn.h"
#include "remote_device.h"

#define REMOTE_XDR(type) ((xdrproc_t)xdr_##type)

int remoteDomainBlockStats(vmmDomainPtr dom, const char *path,
                           vmmDomainBlockStatsPtr stats)
{
    remote_domain_block_stats_args args = {.path = (char *)path};
    remote_domain_block_stats_ret ret = {0};

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_BLOCK_STATS,
                         REMOTE_XDR(remote_domain_block_stats_args), &args,
                         REMOTE_XDR(remote_domain_block_stats_ret), &ret) < 0)
        return -1;
    stats->rd_req = ret.rd_req;
    stats->rd_bytes = ret.rd_bytes;
    stats->wr_req = ret.wr_req;
    stats->wr_bytes = ret.wr_bytes;
    stats->errs = ret.errs;
    return 0;
}

int remoteDomainInterfaceStats(vmmDomainPtr dom, const char *device,
                               vmmDomainInterfaceStatsPtr stats)
{
    remote_domain_interface_stats_args args = {.device = (char *)device};
    remote_domain_interface_stats_ret ret = {0};

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_INTERFACE_STATS,
                         REMOTE_XDR(remote_domain_interface_stats_args), &args,
                         REMOTE_XDR(remote_domain_interface_stats_ret),
                         &ret) < 0)
        return -1;
    stats->rx_bytes = ret.rx_bytes;
    stats->rx_packets = ret.rx_packets;
    stats->rx_errs = ret.rx_errs;
    stats->rx_drop = ret.rx_drop;
    stats->tx_bytes = ret.tx_bytes;
    stats->tx_packets = ret.tx_packets;
    stats->tx_errs = ret.tx_errs;
    stats->tx_drop = ret.tx_drop;
    return 0;
}

static void remoteParamFromWire(const remote_typed_param *w,
                                vmmTypedParameter *p)
{
    g_strlcpy(p->field, w->field, sizeof(p->field));
    p->type = w->value.type;
    switch (p->type) {
    case VMM_TYPED_PARAM_INT:
        p->value.i = w->value.remote_typed_param_value_u.i;
        break;
    case VMM_TYPED_PARAM_UINT:
        p->value.ui = w->value.remote_typed_param_value_u.ui;
        break;
    case VMM_TYPED_PARAM_LLONG:
        p->value.l = w->value.remote_typed_param_value_u.l;
        break;
    case VMM_TYPED_PARAM_ULLONG:
        p->value.ul = w->value.remote_typed_param_value_u.ul;
        break;
    case VMM_TYPED_PARAM_DOUBLE:
        p->value.d = w->value.remote_typed_param_value_u.d;
        break;
    case VMM_TYPED_PARAM_BOOLEAN:
        p->value.b = w->value.remote_typed_param_value_u.b != 0;
        break;
    default: /* XDR accepted only the types of the union */
        p->value.s = g_strdup(w->value.remote_typed_param_value_u.s);
        break;
    }
}

int remoteConnectGetAllDomainStats(vmmConnectPtr conn, vmmDomainPtr *doms,
                                   unsigned int ndoms, unsigned int stats,
                                   vmmDomainStatsRecordPtr **retStats,
                                   unsigned int flags)
{
    remote_connect_get_all_domain_stats_args args = {.stats = stats,
                                                     .flags = flags};
    remote_connect_get_all_domain_stats_ret ret = {0};
    g_autofree remote_nonnull_domain *wire = g_new0(remote_nonnull_domain,
                                                    MAX(ndoms, 1));
    vmmDomainStatsRecordPtr *list;
    u_int n;

    for (unsigned int i = 0; i < ndoms; i++)
        remoteDomainToWire(doms[i], &wire[i]);
    args.doms.doms_len = ndoms;
    args.doms.doms_val = wire;
    if (remoteClientCall(conn, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
                         REMOTE_XDR(remote_connect_get_all_domain_stats_args),
                         &args,
                         REMOTE_XDR(remote_connect_get_all_domain_stats_ret),
                         &ret) < 0)
        return -1;
    n = ret.retStats.retStats_len;
    list = g_new0(vmmDomainStatsRecordPtr, n + 1);
    for (u_int i = 0; i < n; i++) {
        remote_domain_stats_record *w = &ret.retStats.retStats_val[i];
        vmmDomainStatsRecordPtr rec = g_new0(vmmDomainStatsRecord, 1);

        rec->dom = remoteDomainFromWire(conn, &w->dom);
        rec->nparams = w->params.params_len;
        rec->params = g_new0(vmmTypedParameter, MAX(rec->nparams, 1));
        for (int j = 0; j < rec->nparams; j++)
            remoteParamFromWire(&w->params.params_val[j], &rec->params[j]);
        list[i] = rec;
    }
    xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret,
             (char *)&ret);
    *retStats = list;
    return n;
}

int remoteDomainGetJobStats(vmmDomainPtr dom, int *type,
                            vmmTypedParameterPtr *params, int *nparams,
                            unsigned int flags)
{
    remote_domain_get_job_stats_args args = {.flags = flags};
    remote_domain_get_job_stats_ret ret = {0};
    vmmTypedParameter *list;
    int n;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_GET_JOB_STATS,
                         REMOTE_XDR(remote_domain_get_job_stats_args), &args,
                         REMOTE_XDR(remote_domain_get_job_stats_ret),
                         &ret) < 0)
        return -1;
    n = ret.params.params_len;
    list = g_new0(vmmTypedParameter, MAX(n, 1));
    for (int i = 0; i < n; i++)
        remoteParamFromWire(&ret.params.params_val[i], &list[i]);
    *type = ret.type;
    xdr_free((xdrproc_t)xdr_remote_domain_get_job_stats_ret, (char *)&ret);
    *params = list;
    *nparams = n;
    return 0;
}
