/*
 * remote_node.c: the host figures and security calls of the remote
 * driver (see remote_node.h). What the daemon answers is checked against
 * what was asked for and against the caller's buffers before anything is
 * copied: a longer answer comes from a broken or hostile daemon.
 */
#include <config.h>

#include <string.h>

#include "remote_conn.h"
#include "remote_node.h"
#include "util_error.h"

#define REMOTE_XDR(type) ((xdrproc_t)xdr_##type)
#define REMOTE_ERR VMM_FROM_REMOTE

static int remoteTooLong(const char *what)
{
    errorReport(REMOTE_ERR, VMM_ERR_RPC, "the daemon's %s is too long", what);
    return -1;
}

static int remoteCopyStats(const remote_node_get_cpu_stats_ret *ret,
                           vmmNodeCPUStatsPtr params, int *nparams)
{
    if (ret->params.params_len > (u_int)*nparams)
        return remoteTooLong("list of CPU counters");
    for (u_int i = 0; i < ret->params.params_len; i++) {
        if (strlen(ret->params.params_val[i].field) >=
            VMM_NODE_CPU_STATS_FIELD_LENGTH)
            return remoteTooLong("CPU counter name");
    }
    for (u_int i = 0; i < ret->params.params_len; i++) {
        memset(&params[i], 0, sizeof(params[i]));
        strcpy(params[i].field, ret->params.params_val[i].field);
        params[i].value = ret->params.params_val[i].value;
    }
    *nparams = ret->params.params_len;
    return 0;
}

int remoteNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                          vmmNodeCPUStatsPtr params, int *nparams,
                          unsigned int flags)
{
    remote_node_get_cpu_stats_args args = {
        .cpuNum = cpuNum, .nparams = *nparams, .flags = flags};
    remote_node_get_cpu_stats_ret ret = {0};
    int rc = 0;

    if (*nparams > REMOTE_NODE_CPU_STATS_MAX) {
        errorReport(REMOTE_ERR, VMM_ERR_RPC,
                    "nparams too large: %d, the limit is %d", *nparams,
                    REMOTE_NODE_CPU_STATS_MAX);
        return -1;
    }
    if (remoteClientCall(conn, REMOTE_PROC_NODE_GET_CPU_STATS,
                         REMOTE_XDR(remote_node_get_cpu_stats_args), &args,
                         REMOTE_XDR(remote_node_get_cpu_stats_ret), &ret) < 0)
        return -1;
    if (*nparams == 0)
        *nparams = ret.nparams;
    else
        rc = remoteCopyStats(&ret, params, nparams);
    xdr_free(REMOTE_XDR(remote_node_get_cpu_stats_ret), (char *)&ret);
    return rc;
}

int remoteNodeGetCellsFreeMemory(vmmConnectPtr conn,
                                 unsigned long long *freeMems, int startCell,
                                 int maxCells)
{
    remote_node_get_cells_free_memory_args args = {.startCell = startCell,
                                                   .maxcells = maxCells};
    remote_node_get_cells_free_memory_ret ret = {0};
    int n = -1;

    if (maxCells > REMOTE_NODE_MAX_CELLS) {
        errorReport(REMOTE_ERR, VMM_ERR_RPC,
                    "too many NUMA cells requested: %d, the limit is %d",
                    maxCells, REMOTE_NODE_MAX_CELLS);
        return -1;
    }
    if (remoteClientCall(
            conn, REMOTE_PROC_NODE_GET_CELLS_FREE_MEMORY,
            REMOTE_XDR(remote_node_get_cells_free_memory_args), &args,
            REMOTE_XDR(remote_node_get_cells_free_memory_ret), &ret) < 0)
        return -1;
    if (ret.cells.cells_len > (u_int)maxCells) {
        remoteTooLong("list of NUMA cells");
    } else {
        for (u_int i = 0; i < ret.cells.cells_len; i++)
            freeMems[i] = ret.cells.cells_val[i];
        n = ret.cells.cells_len;
    }
    xdr_free(REMOTE_XDR(remote_node_get_cells_free_memory_ret), (char *)&ret);
    return n;
}

unsigned long long remoteNodeGetFreeMemory(vmmConnectPtr conn)
{
    remote_node_get_free_memory_ret ret = {0};

    if (remoteClientCall(conn, REMOTE_PROC_NODE_GET_FREE_MEMORY, RPC_XDR_VOID,
                         NULL, REMOTE_XDR(remote_node_get_free_memory_ret),
                         &ret) < 0)
        return 0;
    return ret.freeMem;
}

/* A wire char array into @buf of @size bytes; it must hold its NUL. */
static int remoteCharArrayCopy(const char *val, u_int len, char *buf,
                               size_t size, const char *what)
{
    if (len >= size || (len > 0 && memchr(val, '\0', len) == NULL))
        return remoteTooLong(what);
    memset(buf, 0, size);
    if (len > 0)
        memcpy(buf, val, len);
    return 0;
}

int remoteNodeGetSecurityModel(vmmConnectPtr conn, vmmSecurityModelPtr secmodel)
{
    remote_node_get_security_model_ret ret = {0};
    vmmSecurityModel got;
    int rc = -1;

    if (remoteClientCall(
            conn, REMOTE_PROC_NODE_GET_SECURITY_MODEL, RPC_XDR_VOID, NULL,
            REMOTE_XDR(remote_node_get_security_model_ret), &ret) < 0)
        return -1;
    if (remoteCharArrayCopy(ret.model.model_val, ret.model.model_len, got.model,
                            sizeof(got.model), "security model") == 0 &&
        remoteCharArrayCopy(ret.doi.doi_val, ret.doi.doi_len, got.doi,
                            sizeof(got.doi), "security DOI") == 0) {
        *secmodel = got;
        rc = 0;
    }
    xdr_free(REMOTE_XDR(remote_node_get_security_model_ret), (char *)&ret);
    return rc;
}

int remoteDomainGetSecurityLabel(vmmDomainPtr dom, vmmSecurityLabelPtr seclabel)
{
    remote_domain_get_security_label_args args;
    remote_domain_get_security_label_ret ret = {0};
    int rc = -1;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(
            dom->conn, REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL,
            REMOTE_XDR(remote_domain_get_security_label_args), &args,
            REMOTE_XDR(remote_domain_get_security_label_ret), &ret) < 0)
        return -1;
    if (remoteCharArrayCopy(ret.label.label_val, ret.label.label_len,
                            seclabel->label, sizeof(seclabel->label),
                            "security label") == 0) {
        seclabel->enforcing = ret.enforcing;
        rc = 0;
    }
    xdr_free(REMOTE_XDR(remote_domain_get_security_label_ret), (char *)&ret);
    return rc;
}
