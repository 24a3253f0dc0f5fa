/*
 * vmmd_remote_node.c: handlers of the host figures and the security model
 * (see vmmd_remote_node.h). Counts the client gives are bounded by the
 * protocol's limits before anything is allocated. Strings of the security
 * calls travel as libvirt sends them: char arrays holding the text and
 * its terminating NUL.
 */
#include <config.h>

#include <string.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_node.h"

int vmmdRemoteNodeGetCellsFreeMemory(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp)
{
    remote_node_get_cells_free_memory_args *args = argsp;
    remote_node_get_cells_free_memory_ret *ret = retp;
    g_autofree unsigned long long *cells = NULL;
    int n;

    if (args->maxcells < 0 || args->maxcells > REMOTE_NODE_MAX_CELLS) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "maxCells > REMOTE_NODE_MAX_CELLS");
        return -1;
    }
    cells = g_new0(unsigned long long, MAX(args->maxcells, 1));
    n = vmmNodeGetCellsFreeMemory(conn, cells, args->startCell, args->maxcells);
    if (n < 0)
        return -1;
    ret->cells.cells_len = n;
    ret->cells.cells_val = (u_quad_t *)g_steal_pointer(&cells);
    return 0;
}

int vmmdRemoteNodeGetFreeMemory(vmmdClient *client, vmmConnectPtr conn,
                                void *argsp, void *retp)
{
    remote_node_get_free_memory_ret *ret = retp;
    unsigned long long free = vmmNodeGetFreeMemory(conn);

    if (free == 0)
        return -1;
    ret->freeMem = free;
    return 0;
}

/* @text with its NUL as a wire char array. */
static void remoteCharArray(const char *text, u_int *ret_len, char **ret_val)
{
    *ret_len = strlen(text) + 1;
    *ret_val = g_strdup(text);
}

int vmmdRemoteDomainGetSecurityLabel(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp)
{
    remote_domain_get_security_label_args *args = argsp;
    remote_domain_get_security_label_ret *ret = retp;
    g_autofree vmmSecurityLabel *label = g_new0(vmmSecurityLabel, 1);
    vmmDomainPtr dom;
    int rc;

    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    rc = vmmDomainGetSecurityLabel(dom, label);
    rpcDispatchDomainRelease(dom);
    if (rc < 0)
        return -1;
    remoteCharArray(label->label, &ret->label.label_len, &ret->label.label_val);
    ret->enforcing = label->enforcing;
    return 0;
}

int vmmdRemoteNodeGetSecurityModel(vmmdClient *client, vmmConnectPtr conn,
                                   void *argsp, void *retp)
{
    remote_node_get_security_model_ret *ret = retp;
    vmmSecurityModel model;

    if (vmmNodeGetSecurityModel(conn, &model) < 0)
        return -1;
    remoteCharArray(model.model, &ret->model.model_len, &ret->model.model_val);
    remoteCharArray(model.doi, &ret->doi.doi_len, &ret->doi.doi_val);
    return 0;
}

int vmmdRemoteNodeGetCPUStats(vmmdClient *client, vmmConnectPtr conn,
                              void *argsp, void *retp)
{
    remote_node_get_cpu_stats_args *args = argsp;
    remote_node_get_cpu_stats_ret *ret = retp;
    g_autofree vmmNodeCPUStats *params = NULL;
    int nparams = args->nparams;

    if (nparams < 0 || nparams > REMOTE_NODE_CPU_STATS_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "nparams too large: %d, the limit is %d", nparams,
                    REMOTE_NODE_CPU_STATS_MAX);
        return -1;
    }
    if (nparams > 0)
        params = g_new0(vmmNodeCPUStats, nparams);
    if (vmmNodeGetCPUStats(conn, args->cpuNum, params, &nparams, args->flags) <
        0)
        return -1;
    /* Asked for the count only. */
    if (args->nparams == 0) {
        ret->nparams = nparams;
        return 0;
    }
    ret->params.params_val = g_new0(remote_node_get_cpu_stats, nparams);
    ret->params.params_len = nparams;
    for (int i = 0; i < nparams; i++) {
        ret->params.params_val[i].field = g_strdup(params[i].field);
        ret->params.params_val[i].value = params[i].value;
    }
    ret->nparams = nparams;
    return 0;
}
