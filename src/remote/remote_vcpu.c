/*
 * remote_vcpu.c: the vCPU calls of the remote driver (see remote_vcpu.h).
 * The daemon answers with at most the buffers asked for; a longer answer
 * is a broken or hostile daemon, refused before anything is copied.
 */
#include <config.h>

#include <string.h>

#include "remote_conn.h"
#include "remote_vcpu.h"
#include "util_error.h"

#define REMOTE_XDR(type) ((xdrproc_t)xdr_##type)

/* Limits of the wire, checked before the call so the daemon never sees a
 * request it must refuse for size. */
static int remoteCheckMaps(int n, int maplen)
{
    if (n > REMOTE_VCPUINFO_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many vCPUs asked for: %d, the limit is %d", n,
                    REMOTE_VCPUINFO_MAX);
        return -1;
    }
    if (maplen > 0 && n > REMOTE_CPUMAPS_MAX / maplen) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "CPU maps too large: %d x %d bytes, the limit is %d", n,
                    maplen, REMOTE_CPUMAPS_MAX);
        return -1;
    }
    return 0;
}

static int remoteReplyTooLong(const char *what)
{
    errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                "the daemon answered more %s than asked for", what);
    return -1;
}

static int remoteCopyVcpus(const remote_domain_get_vcpus_ret *ret,
                           vmmVcpuInfoPtr info, int maxinfo,
                           unsigned char *cpumaps, int maplen)
{
    if (ret->info.info_len > (u_int)maxinfo)
        return remoteReplyTooLong("vCPUs");
    if (ret->cpumaps.cpumaps_len > (u_int)maxinfo * (u_int)maplen)
        return remoteReplyTooLong("CPU map bytes");
    for (u_int i = 0; i < ret->info.info_len; i++) {
        info[i].number = ret->info.info_val[i].number;
        info[i].state = ret->info.info_val[i].state;
        info[i].cpuTime = ret->info.info_val[i].cpu_time;
        info[i].cpu = ret->info.info_val[i].cpu;
    }
    if (cpumaps && ret->cpumaps.cpumaps_len)
        memcpy(cpumaps, ret->cpumaps.cpumaps_val, ret->cpumaps.cpumaps_len);
    return ret->info.info_len;
}

int remoteDomainGetVcpus(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                         unsigned char *cpumaps, int maplen)
{
    remote_domain_get_vcpus_args args = {.maxinfo = maxinfo,
                                         .maplen = cpumaps ? maplen : 0};
    remote_domain_get_vcpus_ret ret = {0};
    int n;

    if (remoteCheckMaps(maxinfo, args.maplen) < 0)
        return -1;
    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_GET_VCPUS,
                         REMOTE_XDR(remote_domain_get_vcpus_args), &args,
                         REMOTE_XDR(remote_domain_get_vcpus_ret), &ret) < 0)
        return -1;
    n = remoteCopyVcpus(&ret, info, maxinfo, cpumaps, args.maplen);
    xdr_free(REMOTE_XDR(remote_domain_get_vcpus_ret), (char *)&ret);
    return n;
}

int remoteDomainPinVcpuFlags(vmmDomainPtr dom, unsigned int vcpu,
                             unsigned char *cpumap, int maplen,
                             unsigned int flags)
{
    remote_domain_pin_vcpu_flags_args args = {.vcpu = vcpu, .flags = flags};

    if (maplen > REMOTE_CPUMAP_MAX) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "CPU map too large: %d bytes, the limit is %d", maplen,
                    REMOTE_CPUMAP_MAX);
        return -1;
    }
    remoteDomainToWire(dom, &args.dom);
    args.cpumap.cpumap_len = maplen;
    args.cpumap.cpumap_val = (char *)cpumap;
    return remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_PIN_VCPU_FLAGS,
                            REMOTE_XDR(remote_domain_pin_vcpu_flags_args),
                            &args, RPC_XDR_VOID, NULL);
}

int remoteDomainGetVcpuPinInfo(vmmDomainPtr dom, int ncpumaps,
                               unsigned char *cpumaps, int maplen,
                               unsigned int flags)
{
    remote_domain_get_vcpu_pin_info_args args = {
        .ncpumaps = ncpumaps, .maplen = maplen, .flags = flags};
    remote_domain_get_vcpu_pin_info_ret ret = {0};
    int n = -1;

    if (remoteCheckMaps(ncpumaps, maplen) < 0)
        return -1;
    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_GET_VCPU_PIN_INFO,
                         REMOTE_XDR(remote_domain_get_vcpu_pin_info_args),
                         &args, REMOTE_XDR(remote_domain_get_vcpu_pin_info_ret),
                         &ret) < 0)
        return -1;
    if (ret.num > ncpumaps ||
        ret.cpumaps.cpumaps_len > (u_int)ncpumaps * (u_int)maplen) {
        remoteReplyTooLong("CPU maps");
    } else {
        memcpy(cpumaps, ret.cpumaps.cpumaps_val, ret.cpumaps.cpumaps_len);
        n = ret.num;
    }
    xdr_free(REMOTE_XDR(remote_domain_get_vcpu_pin_info_ret), (char *)&ret);
    return n;
}

int remoteNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                        unsigned int *online, unsigned int flags)
{
    remote_node_get_cpu_map_args args = {.need_map = cpumap != NULL,
                                         .need_online = online != NULL,
                                         .flags = flags};
    remote_node_get_cpu_map_ret ret = {0};
    int n;

    if (remoteClientCall(conn, REMOTE_PROC_NODE_GET_CPU_MAP,
                         REMOTE_XDR(remote_node_get_cpu_map_args), &args,
                         REMOTE_XDR(remote_node_get_cpu_map_ret), &ret) < 0)
        return -1;
    n = ret.ret;
    if (n < 0 || (cpumap && ret.cpumap.cpumap_len < (u_int)VMM_CPU_MAPLEN(n))) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "the daemon answered a CPU map that does not fit %d "
                    "CPUs",
                    n);
        n = -1;
    } else {
        if (cpumap) {
            /* The caller frees it with free(), like libvirt's; glib's
             * allocator is malloc's. */
            *cpumap = g_malloc(MAX(ret.cpumap.cpumap_len, 1));
            memcpy(*cpumap, ret.cpumap.cpumap_val, ret.cpumap.cpumap_len);
        }
        if (online)
            *online = ret.online;
    }
    xdr_free(REMOTE_XDR(remote_node_get_cpu_map_ret), (char *)&ret);
    return n;
}
