/*
 * vmmd_remote_stats.c: domain statistics over the wire (see
 * vmmd_remote_stats.h): the domains named by the call (or all of them),
 * their records turned into remote_typed_param lists. Both directions
 * are bounded by the protocol's limits. A job's statistics travel the
 * same way.
 */
#include <config.h>

#include <string.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_stats.h"

static void statsDomainsFree(vmmDomainPtr *doms)
{
    if (!doms)
        return;
    for (vmmDomainPtr *d = doms; *d; d++)
        rpcDispatchDomainRelease(*d);
    g_free(doms);
}

static int statsParamToWire(const vmmTypedParameter *p, remote_typed_param *w)
{
    w->field = g_strdup(p->field);
    w->value.type = p->type;
    switch (p->type) {
    case VMM_TYPED_PARAM_INT:
        w->value.remote_typed_param_value_u.i = p->value.i;
        return 0;
    case VMM_TYPED_PARAM_UINT:
        w->value.remote_typed_param_value_u.ui = p->value.ui;
        return 0;
    case VMM_TYPED_PARAM_LLONG:
        w->value.remote_typed_param_value_u.l = p->value.l;
        return 0;
    case VMM_TYPED_PARAM_ULLONG:
        w->value.remote_typed_param_value_u.ul = p->value.ul;
        return 0;
    case VMM_TYPED_PARAM_DOUBLE:
        w->value.remote_typed_param_value_u.d = p->value.d;
        return 0;
    case VMM_TYPED_PARAM_BOOLEAN:
        w->value.remote_typed_param_value_u.b = p->value.b;
        return 0;
    case VMM_TYPED_PARAM_STRING:
        w->value.remote_typed_param_value_u.s = g_strdup(p->value.s);
        return 0;
    default:
        errorReport(VMM_FROM_REMOTE, VMM_ERR_INTERNAL_ERROR,
                    "parameter '%s' has unknown type %d", p->field, p->type);
        return -1;
    }
}

static int statsRecordToWire(const vmmDomainStatsRecord *rec,
                             remote_domain_stats_record *w)
{
    if (rec->nparams > REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many statistics for one domain: %d", rec->nparams);
        return -1;
    }
    rpcDispatchDomainToWire(rec->dom, &w->dom);
    w->params.params_val = g_new0(remote_typed_param, MAX(rec->nparams, 1));
    for (int i = 0; i < rec->nparams; i++) {
        w->params.params_len = i + 1;
        if (statsParamToWire(&rec->params[i], &w->params.params_val[i]) < 0)
            return -1;
    }
    return 0;
}

int vmmdRemoteConnectGetAllDomainStats(vmmdClient *client, vmmConnectPtr conn,
                                       void *argsp, void *retp)
{
    remote_connect_get_all_domain_stats_args *args = argsp;
    remote_connect_get_all_domain_stats_ret *ret = retp;
    vmmDomainStatsRecordPtr *records = NULL;
    vmmDomainPtr *doms = NULL;
    u_int ndoms = args->doms.doms_len;
    int n;

    if (ndoms > REMOTE_DOMAIN_LIST_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC, "too many domains: %u",
                    ndoms);
        return -1;
    }
    if (ndoms) {
        doms = g_new0(vmmDomainPtr, ndoms + 1);
        for (u_int i = 0; i < ndoms; i++) {
            if (!(doms[i] = rpcDispatchDomainGet(conn,
                                                 &args->doms.doms_val[i]))) {
                statsDomainsFree(doms);
                return -1;
            }
        }
        n = vmmDomainListGetStats(doms, args->stats, &records, args->flags);
    } else {
        n = vmmConnectGetAllDomainStats(conn, args->stats, &records,
                                        args->flags);
    }
    statsDomainsFree(doms);
    if (n < 0)
        return -1;
    ret->retStats.retStats_val = g_new0(remote_domain_stats_record, MAX(n, 1));
    for (int i = 0; i < n; i++) {
        ret->retStats.retStats_len = i + 1;
        if (statsRecordToWire(records[i], &ret->retStats.retStats_val[i]) <
            0) {
            vmmDomainStatsRecordListFree(records);
            return -1;
        }
    }
    vmmDomainStatsRecordListFree(records);
    return 0;
}

int vmmdRemoteDomainGetJobStats(vmmdClient *client, vmmConnectPtr conn,
                                void *argsp, void *retp)
{
    remote_domain_get_job_stats_args *args = argsp;
    remote_domain_get_job_stats_ret *ret = retp;
    vmmTypedParameterPtr params = NULL;
    vmmDomainPtr dom;
    int type = 0, nparams = 0, rc;

    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    rc = vmmDomainGetJobStats(dom, &type, &params, &nparams, args->flags);
    rpcDispatchDomainRelease(dom);
    if (rc < 0)
        return -1;
    if (nparams > REMOTE_DOMAIN_JOB_STATS_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC, "too many job statistics: %d",
                    nparams);
        vmmTypedParamsFree(params, nparams);
        return -1;
    }
    ret->type = type;
    ret->params.params_val = g_new0(remote_typed_param, MAX(nparams, 1));
    for (int i = 0; i < nparams; i++) {
        ret->params.params_len = i + 1;
        if (statsParamToWire(&params[i], &ret->params.params_val[i]) < 0) {
            vmmTypedParamsFree(params, nparams);
            return -1;
        }
    }
    vmmTypedParamsFree(params, nparams);
    return 0;
}
