/*
 * kvm_driver_stats.c: domain statistics of the QEMU driver (virsh
 * domstats), as libvirt names them: groups state, cpu-total, balloon,
 * vcpu, net and block, as typed parameters "group.field".
 *
 * CPU times come from /proc (the QEMU process, and its vCPU threads named
 * by query-cpus-fast); block counters from query-blockstats; interface
 * counters exist only for tap devices (/proc/net/dev), QEMU keeps none
 * for user-mode networking. A group that cannot be read for one guest is
 * left out of its record rather than failing the whole call, as libvirt
 * does; the monitor is only asked while the guest's job can be taken.
 * As libvirt, the job is waited for (up to the job timeout) unless
 * VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT asks for what can be had at
 * once: then a guest whose job is busy gets no figures from QEMU. The
 * monitor cannot be asked without the job, as a job may stop QEMU and
 * free its monitor while the object lock is dropped for the answer.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "typed_params.h"
#include "util_error.h"
#include "util_json.h"
#include "kvm_driver_device.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_state.h"
#include "kvm_driver_stats.h"

#define KVM_STATS_KNOWN                                                        \
    (VMM_DOMAIN_STATS_STATE | VMM_DOMAIN_STATS_CPU_TOTAL |                     \
     VMM_DOMAIN_STATS_BALLOON | VMM_DOMAIN_STATS_VCPU |                        \
     VMM_DOMAIN_STATS_INTERFACE | VMM_DOMAIN_STATS_BLOCK)

/* utime and stime (ns) of /proc/@pid[/task/@tid]/stat. */
static bool kvmStatsProcTimes(pid_t pid, long long tid,
                              unsigned long long *ret_user,
                              unsigned long long *ret_system)
{
    g_autofree char *path = tid > 0 ? g_strdup_printf("/proc/%d/task/%lld/stat",
                                                      (int)pid, tid)
                                    : g_strdup_printf("/proc/%d/stat",
                                                      (int)pid);
    g_autofree char *text = NULL;
    unsigned long long utime, stime;
    unsigned long long tick = 1000000000ULL / sysconf(_SC_CLK_TCK);
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strrchr(text, ')')))
        return false;
    /* After "(comm)": state is field 3; utime and stime are 14 and 15. */
    if (sscanf(p + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
               &utime, &stime) != 2)
        return false;
    *ret_user = utime * tick;
    *ret_system = stime * tick;
    return true;
}

static void kvmStatsState(domainObj *obj, typedParamList *list)
{
    typedParamListAddInt(list, obj->state, "state.state");
    typedParamListAddInt(list, obj->reason, "state.reason");
}

static void kvmStatsCPU(domainObj *obj, pid_t pid, typedParamList *list)
{
    unsigned long long user, sys;

    if (pid <= 0)
        return;
    typedParamListAddULLong(list, kvmLifecycleCPUTime(obj), "cpu.time");
    if (kvmStatsProcTimes(pid, 0, &user, &sys)) {
        typedParamListAddULLong(list, user, "cpu.user");
        typedParamListAddULLong(list, sys, "cpu.system");
    }
}

static void kvmStatsBalloon(domainObj *obj, typedParamList *list)
{
    unsigned long long cur = obj->def->currentMemory ? obj->def->currentMemory
                                                     : obj->def->memory;

    typedParamListAddULLong(list, cur, "balloon.current");
    typedParamListAddULLong(list, obj->def->memory, "balloon.maximum");
}

/* query-cpus-fast: the thread of each vCPU; NULL when QEMU cannot say. */
static jsonValue *kvmStatsQueryCPUs(domainObj *obj)
{
    jsonValue *reply = NULL;

    if (kvmLifecycleMonitorRun(obj, "query-cpus-fast", NULL, &reply) < 0) {
        errorReset();
        return NULL;
    }
    return reply;
}

static void kvmStatsVcpu(domainObj *obj, pid_t pid, bool monitor,
                         typedParamList *list)
{
    g_autoptr(jsonValue) cpus = NULL;
    unsigned int current =
        obj->def->vcpusCurrent ? obj->def->vcpusCurrent : obj->def->vcpus;

    typedParamListAddUInt(list, current, "vcpu.current");
    typedParamListAddUInt(list, obj->def->vcpus, "vcpu.maximum");
    if (pid <= 0 || !monitor || !(cpus = kvmStatsQueryCPUs(obj)))
        return;
    for (size_t i = 0; i < jsonArraySize(cpus); i++) {
        jsonValue *cpu = jsonArrayGet(cpus, i);
        gint64 index, tid;
        unsigned long long user, sys;

        if (jsonObjectGetNumberInt64(cpu, "cpu-index", &index) < 0 ||
            jsonObjectGetNumberInt64(cpu, "thread-id", &tid) < 0) {
            errorReset();
            continue;
        }
        /* 1: VIR_VCPU_RUNNING */
        typedParamListAddInt(list, 1, "vcpu.%lld.state", (long long)index);
        if (kvmStatsProcTimes(pid, tid, &user, &sys)) {
            typedParamListAddULLong(list, user + sys, "vcpu.%lld.time",
                                    (long long)index);
            typedParamListAddULLong(list, user, "vcpu.%lld.user",
                                    (long long)index);
            typedParamListAddULLong(list, sys, "vcpu.%lld.system",
                                    (long long)index);
        }
    }
}

/* /proc/net/dev counters of @ifname seen from the guest (host rx is
 * guest tx), or false. */
static bool kvmStatsTap(const char *ifname, long long v[16])
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents("/proc/net/dev", &text, NULL, NULL))
        return false;
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *colon = strchr(*l, ':');
        g_autofree char *name = NULL;

        if (!colon)
            continue;
        name = g_strstrip(g_strndup(*l, colon - *l));
        if (g_str_equal(name, ifname))
            return sscanf(colon + 1,
                          "%lld %lld %lld %lld %lld %lld %lld %lld %lld "
                          "%lld %lld %lld %lld %lld %lld %lld",
                          &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                          &v[7], &v[8], &v[9], &v[10], &v[11], &v[12],
                          &v[13], &v[14], &v[15]) == 16;
    }
    return false;
}

static void kvmStatsNet(domainObj *obj, bool active, typedParamList *list)
{
    GPtrArray *nets = obj->def->devices.nets;

    if (!active)
        return;
    typedParamListAddUInt(list, nets->len, "net.count");
    for (guint i = 0; i < nets->len; i++) {
        domainNetDef *net = g_ptr_array_index(nets, i);
        long long v[16];

        if (net->ifname)
            typedParamListAddString(list, net->ifname, "net.%u.name", i);
        if (net->type != DOMAIN_NET_TYPE_ETHERNET || !net->ifname ||
            !kvmStatsTap(net->ifname, v))
            continue;
        typedParamListAddULLong(list, v[8], "net.%u.rx.bytes", i);
        typedParamListAddULLong(list, v[9], "net.%u.rx.pkts", i);
        typedParamListAddULLong(list, v[10], "net.%u.rx.errs", i);
        typedParamListAddULLong(list, v[11], "net.%u.rx.drop", i);
        typedParamListAddULLong(list, v[0], "net.%u.tx.bytes", i);
        typedParamListAddULLong(list, v[1], "net.%u.tx.pkts", i);
        typedParamListAddULLong(list, v[2], "net.%u.tx.errs", i);
        typedParamListAddULLong(list, v[3], "net.%u.tx.drop", i);
    }
}

/* The "stats" object query-blockstats has for device @id, or NULL. */
static jsonValue *kvmStatsBlockFind(jsonValue *all, const char *id)
{
    for (size_t i = 0; all && i < jsonArraySize(all); i++) {
        jsonValue *entry = jsonArrayGet(all, i);

        if (jsonObjectHasKey(entry, "qdev") &&
            kvmDeviceQdevIs(jsonObjectGetString(entry, "qdev"), id))
            return jsonObjectGetObject(entry, "stats");
    }
    return NULL;
}

static void kvmStatsBlockCounter(typedParamList *list, const jsonValue *st,
                                 const char *key, guint i, const char *name)
{
    gint64 v;

    if (jsonObjectHasKey(st, key) && jsonObjectGetNumberInt64(st, key, &v) == 0)
        typedParamListAddULLong(list, v, "block.%u.%s", i, name);
    errorReset();
}

static void kvmStatsBlock(domainObj *obj, bool monitor, typedParamList *list)
{
    GPtrArray *disks = obj->def->devices.disks;
    g_autoptr(jsonValue) all = NULL;

    if (monitor &&
        kvmLifecycleMonitorRun(obj, "query-blockstats", NULL, &all) < 0)
        errorReset();
    typedParamListAddUInt(list, disks->len, "block.count");
    for (guint i = 0; i < disks->len; i++) {
        domainDiskDef *disk = g_ptr_array_index(disks, i);
        g_autofree char *id = NULL;
        jsonValue *st;

        typedParamListAddString(list, disk->dst, "block.%u.name", i);
        if (disk->src)
            typedParamListAddString(list, disk->src, "block.%u.path", i);
        if (!all)
            continue;
        if (!(id = kvmDeviceDiskId(obj->def, disk)) ||
            !(st = kvmStatsBlockFind(all, id))) {
            errorReset();
            continue;
        }
        kvmStatsBlockCounter(list, st, "rd_operations", i, "rd.reqs");
        kvmStatsBlockCounter(list, st, "rd_bytes", i, "rd.bytes");
        kvmStatsBlockCounter(list, st, "rd_total_time_ns", i, "rd.times");
        kvmStatsBlockCounter(list, st, "wr_operations", i, "wr.reqs");
        kvmStatsBlockCounter(list, st, "wr_bytes", i, "wr.bytes");
        kvmStatsBlockCounter(list, st, "wr_total_time_ns", i, "wr.times");
        kvmStatsBlockCounter(list, st, "flush_operations", i, "fl.reqs");
        kvmStatsBlockCounter(list, st, "flush_total_time_ns", i, "fl.times");
    }
}

/* The record of @obj (referenced, unlocked); with @nowait, a busy job is
 * not waited for. */
static vmmDomainStatsRecordPtr kvmStatsRecord(vmmConnectPtr conn,
                                              domainObj *obj,
                                              unsigned int stats, bool nowait)
{
    typedParamList list = {0};
    vmmDomainStatsRecordPtr rec = g_new0(vmmDomainStatsRecord, 1);
    kvmDomainPriv *priv;
    bool active, monitor = false;
    pid_t pid = 0;

    domainObjLock(obj);
    active = domainObjIsActive(obj);
    /* The monitor is shared with whatever job runs: wait for our turn.
     * A guest whose job cannot be had still gets its other groups. */
    if (active && (stats & (VMM_DOMAIN_STATS_VCPU | VMM_DOMAIN_STATS_BLOCK))) {
        int rc = nowait ? kvmDomainJobBeginWait(obj, 0)
                        : kvmDomainJobBegin(obj);

        if (rc == 0)
            monitor = true;
        else
            errorReset();
    }
    active = domainObjIsActive(obj);
    priv = kvmDomainPrivGet(obj);
    if (active && priv->proc)
        pid = kvmProcessGetPid(priv->proc);
    if (stats & VMM_DOMAIN_STATS_STATE)
        kvmStatsState(obj, &list);
    if (stats & VMM_DOMAIN_STATS_CPU_TOTAL)
        kvmStatsCPU(obj, pid, &list);
    if (stats & VMM_DOMAIN_STATS_BALLOON)
        kvmStatsBalloon(obj, &list);
    if (stats & VMM_DOMAIN_STATS_VCPU)
        kvmStatsVcpu(obj, pid, monitor && active, &list);
    if (stats & VMM_DOMAIN_STATS_INTERFACE)
        kvmStatsNet(obj, active, &list);
    if (stats & VMM_DOMAIN_STATS_BLOCK)
        kvmStatsBlock(obj, monitor && active, &list);
    if (monitor)
        kvmDomainJobEnd(obj);
    rec->dom = kvmDomainHandle(conn, obj);
    domainObjUnlock(obj);
    rec->params = typedParamListSteal(&list, &rec->nparams);
    return rec;
}

int kvmConnectGetAllDomainStats(vmmConnectPtr conn, vmmDomainPtr *doms,
                                unsigned int ndoms, unsigned int stats,
                                vmmDomainStatsRecordPtr **retStats,
                                unsigned int flags)
{
    g_autoptr(GPtrArray) objs = NULL;
    vmmDomainStatsRecordPtr *list;
    bool nowait = flags & VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT;

    if (stats == 0) {
        stats = KVM_STATS_KNOWN;
    } else if ((flags & VMM_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) &&
               (stats & ~KVM_STATS_KNOWN)) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_UNSUPPORTED,
                    "Stats types bits 0x%x are not supported by this daemon",
                    stats & ~KVM_STATS_KNOWN);
        return -1;
    }
    flags &= ~(VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
               VMM_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
               VMM_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS);
    if (doms) {
        objs = g_ptr_array_new_with_free_func((GDestroyNotify)domainObjUnref);
        for (unsigned int i = 0; i < ndoms; i++) {
            domainObj *obj = kvmDomainObjFromHandle(doms[i]);

            if (!obj)
                return -1;
            domainObjUnlock(obj);
            g_ptr_array_add(objs, obj);
        }
    } else if (domainObjListCollect(kvmDriverStateGet()->domains, flags,
                                    &objs) < 0) {
        return -1;
    }
    list = g_new0(vmmDomainStatsRecordPtr, objs->len + 1);
    for (guint i = 0; i < objs->len; i++)
        list[i] = kvmStatsRecord(conn, g_ptr_array_index(objs, i), stats,
                                 nowait);
    *retStats = list;
    return objs->len;
}
