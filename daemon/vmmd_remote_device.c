/*
 * vmmd_remote_device.c: the device statistics handlers (see
 * vmmd_remote_device.h): look the domain up, call the public API, copy
 * the counters into the reply in libvirt's field order.
 */
#include <config.h>

#include "rpc_dispatch.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_device.h"

int vmmdRemoteDomainBlockStats(vmmdClient *client, vmmConnectPtr conn,
                               void *argsp, void *retp)
{
    remote_domain_block_stats_args *args = argsp;
    remote_domain_block_stats_ret *ret = retp;
    vmmDomainBlockStatsStruct st;
    vmmDomainPtr dom;
    int rc;

    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    rc = vmmDomainBlockStats(dom, args->path, &st, sizeof(st));
    rpcDispatchDomainRelease(dom);
    if (rc < 0)
        return -1;
    ret->rd_req = st.rd_req;
    ret->rd_bytes = st.rd_bytes;
    ret->wr_req = st.wr_req;
    ret->wr_bytes = st.wr_bytes;
    ret->errs = st.errs;
    return 0;
}

int vmmdRemoteDomainInterfaceStats(vmmdClient *client, vmmConnectPtr conn,
                                   void *argsp, void *retp)
{
    remote_domain_interface_stats_args *args = argsp;
    remote_domain_interface_stats_ret *ret = retp;
    vmmDomainInterfaceStatsStruct st;
    vmmDomainPtr dom;
    int rc;

    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    rc = vmmDomainInterfaceStats(dom, args->device, &st, sizeof(st));
    rpcDispatchDomainRelease(dom);
    if (rc < 0)
        return -1;
    ret->rx_bytes = st.rx_bytes;
    ret->rx_packets = st.rx_packets;
    ret->rx_errs = st.rx_errs;
    ret->rx_drop = st.rx_drop;
    ret->tx_bytes = st.tx_bytes;
    ret->tx_packets = st.tx_packets;
    ret->tx_errs = st.tx_errs;
    ret->tx_drop = st.tx_drop;
    return 0;
}
