/*
 * vmmd_remote_vcpu.c: the vCPU handlers (see vmmd_remote_vcpu.h). The
 * client says how many vCPUs and how many bytes a CPU map it wants; both
 * are bounded by the protocol's limits before anything is allocated, and
 * the reply carries the whole buffer it asked for, as libvirt's does.
 */
#include <config.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_vcpu.h"

/* @n maps of @maplen bytes fit in one reply. */
static int remoteCheckMaps(const char *what, int n, int maplen, int maxn)
{
    if (n < 0 || maplen < 0) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_INVALID_ARG, "negative size in %s",
                    what);
        return -1;
    }
    if (n > maxn) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many vCPUs in %s: %d, the limit is %d", what, n, maxn);
        return -1;
    }
    if (maplen && n > REMOTE_CPUMAPS_MAX / maplen) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "CPU maps in %s too large: %d x %d bytes, the limit is "
                    "%d",
                    what, n, maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    return 0;
}

int vmmdRemoteDomainGetVcpus(vmmdClient *client, vmmConnectPtr conn,
                             void *argsp, void *retp)
{
    remote_domain_get_vcpus_args *args = argsp;
    remote_domain_get_vcpus_ret *ret = retp;
    g_autofree vmmVcpuInfo *info = NULL;
    g_autofree unsigned char *maps = NULL;
    vmmDomainPtr dom;
    int n;

    if (remoteCheckMaps("vCPU information", args->maxinfo, args->maplen,
                        REMOTE_VCPUINFO_MAX) < 0)
        return -1;
    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    info = g_new0(vmmVcpuInfo, MAX(args->maxinfo, 1));
    if (args->maplen > 0)
        maps = g_new0(unsigned char, (gsize)args->maxinfo * args->maplen);
    n = vmmDomainGetVcpus(dom, info, args->maxinfo, maps, args->maplen);
    rpcDispatchDomainRelease(dom);
    if (n < 0)
        return -1;
    ret->info.info_val = g_new0(remote_vcpu_info, MAX(n, 1));
    ret->info.info_len = n;
    for (int i = 0; i < n; i++) {
        ret->info.info_val[i].number = info[i].number;
        ret->info.info_val[i].state = info[i].state;
        ret->info.info_val[i].cpu_time = info[i].cpuTime;
        ret->info.info_val[i].cpu = info[i].cpu;
    }
    ret->cpumaps.cpumaps_len = maps ? args->maxinfo * args->maplen : 0;
    ret->cpumaps.cpumaps_val = (char *)g_steal_pointer(&maps);
    return 0;
}

int vmmdRemoteDomainPinVcpu(vmmdClient *client, vmmConnectPtr conn, void *argsp,
                            void *retp)
{
    remote_domain_pin_vcpu_args *args = argsp;
    vmmDomainPtr dom;
    int rc;

    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    rc = vmmDomainPinVcpu(dom, args->vcpu,
                          (unsigned char *)args->cpumap.cpumap_val,
                          args->cpumap.cpumap_len);
    rpcDispatchDomainRelease(dom);
    return rc < 0 ? -1 : 0;
}

int vmmdRemoteDomainPinVcpuFlags(vmmdClient *client, vmmConnectPtr conn,
                                 void *argsp, void *retp)
{
    remote_domain_pin_vcpu_flags_args *args = argsp;
    vmmDomainPtr dom;
    int rc;

    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    rc = vmmDomainPinVcpuFlags(dom, args->vcpu,
                               (unsigned char *)args->cpumap.cpumap_val,
                               args->cpumap.cpumap_len, args->flags);
    rpcDispatchDomainRelease(dom);
    return rc < 0 ? -1 : 0;
}

int vmmdRemoteDomainGetVcpuPinInfo(vmmdClient *client, vmmConnectPtr conn,
                                   void *argsp, void *retp)
{
    remote_domain_get_vcpu_pin_info_args *args = argsp;
    remote_domain_get_vcpu_pin_info_ret *ret = retp;
    g_autofree unsigned char *maps = NULL;
    vmmDomainPtr dom;
    int n;

    if (remoteCheckMaps("vCPU pinning", args->ncpumaps, args->maplen,
                        REMOTE_VCPUINFO_MAX) < 0)
        return -1;
    if (!(dom = rpcDispatchDomainGet(conn, &args->dom)))
        return -1;
    maps = g_new0(unsigned char, MAX((gsize)args->ncpumaps * args->maplen, 1));
    n = vmmDomainGetVcpuPinInfo(dom, args->ncpumaps, maps, args->maplen,
                                args->flags);
    rpcDispatchDomainRelease(dom);
    if (n < 0)
        return -1;
    ret->num = n;
    ret->cpumaps.cpumaps_len = args->ncpumaps * args->maplen;
    ret->cpumaps.cpumaps_val = (char *)g_steal_pointer(&maps);
    return 0;
}

int vmmdRemoteNodeGetCPUMap(vmmdClient *client, vmmConnectPtr conn, void *argsp,
                            void *retp)
{
    remote_node_get_cpu_map_args *args = argsp;
    remote_node_get_cpu_map_ret *ret = retp;
    unsigned char *map = NULL;
    unsigned int online = 0;
    int n;

    n = vmmNodeGetCPUMap(conn, args->need_map ? &map : NULL,
                         args->need_online ? &online : NULL, args->flags);
    if (n < 0)
        return -1;
    if (map && VMM_CPU_MAPLEN(n) > REMOTE_CPUMAP_MAX) {
        g_free(map);
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "the host CPU map of %d CPUs is over the limit of %d "
                    "bytes",
                    n, REMOTE_CPUMAP_MAX);
        return -1;
    }
    ret->ret = n;
    ret->online = online;
    if (map) {
        ret->cpumap.cpumap_len = VMM_CPU_MAPLEN(n);
        ret->cpumap.cpumap_val = (char *)map;
    }
    return 0;
}
