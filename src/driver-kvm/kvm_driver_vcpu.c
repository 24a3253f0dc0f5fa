/*
 * kvm_driver_vcpu.c: the vCPUs of a running QEMU guest. Hot-plug and
 * unplug up to the maximum of <vcpu current='C'>MAX</vcpu> (QEMU started
 * with -smp C,maxcpus=MAX), the vCPU threads' times and host CPUs, and
 * their pinning through sched_setaffinity; and the host CPU map those
 * answers are sized by.
 *
 * Which CPU slots are filled is asked of QEMU (query-hotpluggable-cpus)
 * every time rather than remembered: a slot we filled carries the id
 * "vcpuN" we gave it, so a daemon restart loses nothing. The live
 * definition's current count follows each plug and unplug and is written
 * to the status file at once. The CPUs QEMU started with have no id and
 * stay. Pinning is live only: our definitions have no <cputune>.
 * Changes of the stored definition alone are kvm_driver_domain.c's.
 */
#include <config.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datatypes.h"
#include "kvm_driver_device.h"
#include "kvm_driver_domain.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_state.h"
#include "kvm_driver_vcpu.h"
#include "node_info.h"
#include "util_error.h"

/* How long the guest has to eject a vCPU after device_del (ACPI). */
#define KVM_VCPU_UNPLUG_TIMEOUT_MS 20000

/* The QOM folder of devices added with an id. */
#define KVM_VCPU_PERIPHERAL "/machine/peripheral/"

#define KVM_VCPU_AFFECT (VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG)

/* Whether @flags (LIVE / CONFIG / CURRENT) affect the running QEMU of
 * @obj (locked). */
static bool kvmVcpuAffectsLive(domainObj *obj, unsigned int flags)
{
    if (flags & VMM_DOMAIN_AFFECT_LIVE)
        return true;
    return !(flags & VMM_DOMAIN_AFFECT_CONFIG) && domainObjIsActive(obj);
}

static bool kvmVcpuIsLive(vmmDomainPtr dom, unsigned int flags, bool *ret_live)
{
    domainObj *obj;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return false;
    *ret_live = kvmVcpuAffectsLive(obj, flags);
    domainObjEndAPI(&obj);
    return true;
}

/* ---- CPU slots (query-hotpluggable-cpus) ------------------------------ */

static gint64 kvmVcpuProp(const jsonValue *slot, const char *name)
{
    jsonValue *props = jsonObjectGetObject(slot, "props");
    gint64 value = -1;

    if (props && jsonObjectHasKey(props, name) &&
        jsonObjectGetNumberInt64(props, name, &value) < 0) {
        errorReset();
        return -1;
    }
    return value;
}

/* Topology order: socket, die, core, thread. */
static gint kvmVcpuSlotCompare(gconstpointer a, gconstpointer b)
{
    static const char *const order[] = {"node-id", "socket-id", "die-id",
                                        "core-id", "thread-id"};
    const jsonValue *x = *(const jsonValue *const *)a;
    const jsonValue *y = *(const jsonValue *const *)b;

    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        gint64 vx = kvmVcpuProp(x, order[i]);
        gint64 vy = kvmVcpuProp(y, order[i]);

        if (vx != vy)
            return vx < vy ? -1 : 1;
    }
    return 0;
}

/* The slots of @obj's QEMU (locked, job held) in topology order, in
 * *@ret_slots (borrowed from *@ret_reply, which the caller frees). */
static int kvmVcpuQuerySlots(domainObj *obj, jsonValue **ret_reply,
                             GPtrArray **ret_slots)
{
    g_autoptr(jsonValue) reply = NULL;
    GPtrArray *slots;

    if (kvmLifecycleMonitorRun(obj, "query-hotpluggable-cpus", NULL, &reply) <
        0)
        return -1;
    slots = g_ptr_array_new();
    for (size_t i = 0; i < jsonArraySize(reply); i++)
        g_ptr_array_add(slots, jsonArrayGet(reply, i));
    g_ptr_array_sort(slots, kvmVcpuSlotCompare);
    *ret_reply = g_steal_pointer(&reply);
    *ret_slots = slots;
    return 0;
}

/* The id we gave the device in @slot, or NULL: a CPU QEMU started with,
 * or a free slot. */
static const char *kvmVcpuSlotId(const jsonValue *slot)
{
    const char *path = jsonObjectGetString(slot, "qom-path");

    if (!path || !g_str_has_prefix(path, KVM_VCPU_PERIPHERAL))
        return NULL;
    return path + strlen(KVM_VCPU_PERIPHERAL);
}

static bool kvmVcpuSlotFree(const jsonValue *slot)
{
    return !jsonObjectHasKey(slot, "qom-path");
}

/* device_add for free slot @index of @slots. */
static int kvmVcpuPlugSlot(domainObj *obj, GPtrArray *slots, guint index)
{
    const jsonValue *slot = g_ptr_array_index(slots, index);
    jsonValue *props = jsonObjectGetObject(slot, "props");
    const char *type = jsonObjectGetString(slot, "type");
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autofree char *id = g_strdup_printf("vcpu%u", index);

    if (!type || !props) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "QEMU described CPU slot %u without its type or "
                    "properties",
                    index);
        return -1;
    }
    jsonObjectAppendString(args, "driver", type);
    jsonObjectAppendString(args, "id", id);
    for (size_t i = 0; i < jsonObjectSize(props); i++) {
        g_autoptr(jsonValue) value = jsonValueCopy(jsonObjectValueAt(props, i));

        if (jsonObjectAppend(args, jsonObjectKeyAt(props, i), &value) < 0)
            return -1;
    }
    return kvmLifecycleMonitorRun(obj, "device_add", args, NULL);
}

/* Fills the first free slot; @obj's current count goes up by one. */
static int kvmVcpuPlugOne(domainObj *obj)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autoptr(GPtrArray) slots = NULL;

    if (kvmVcpuQuerySlots(obj, &reply, &slots) < 0)
        return -1;
    for (guint i = 0; i < slots->len; i++) {
        if (!kvmVcpuSlotFree(g_ptr_array_index(slots, i)))
            continue;
        if (kvmVcpuPlugSlot(obj, slots, i) < 0)
            return -1;
        obj->def->vcpusCurrent++;
        return 0;
    }
    errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                "QEMU has no free CPU slot left");
    return -1;
}

/* Asks the guest to eject the last vCPU we added and waits for it; @obj's
 * current count goes down by one once it is gone. */
static int kvmVcpuUnplugOne(domainObj *obj)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autoptr(GPtrArray) slots = NULL;
    g_autofree char *id = NULL;
    int rc;

    if (kvmVcpuQuerySlots(obj, &reply, &slots) < 0)
        return -1;
    for (guint i = slots->len; i-- > 0 && !id;) {
        const char *slotId = kvmVcpuSlotId(g_ptr_array_index(slots, i));

        if (slotId)
            id = g_strdup(slotId);
    }
    if (!id) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "only vCPUs added while the guest runs can be unplugged; "
                    "the %u left were there at start",
                    obj->def->vcpusCurrent);
        return -1;
    }
    if ((rc = kvmDeviceDeleteWait(obj, id, KVM_VCPU_UNPLUG_TIMEOUT_MS)) < 0)
        return -1;
    if (rc == 0) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                    "vcpu unplug request timed out. Unplug result must be "
                    "manually inspected in the domain");
        return -1;
    }
    obj->def->vcpusCurrent--;
    return 0;
}

/* Sets the live count of @obj (locked, job held) to the CPUs QEMU has: a
 * vCPU whose unplug timed out may have gone since. */
static int kvmVcpuSyncCount(domainObj *obj)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autoptr(GPtrArray) slots = NULL;
    unsigned int plugged = 0;

    if (kvmVcpuQuerySlots(obj, &reply, &slots) < 0)
        return -1;
    for (guint i = 0; i < slots->len; i++)
        plugged += !kvmVcpuSlotFree(g_ptr_array_index(slots, i));
    if (plugged && plugged != obj->def->vcpusCurrent) {
        obj->def->vcpusCurrent = plugged;
        kvmLifecycleSaveStatus(obj);
    }
    return 0;
}

/* Plugs or unplugs one vCPU at a time until @obj (locked, job held,
 * active) has @nvcpus; the status file follows each step, so a failure
 * half way leaves the truth behind. */
static int kvmVcpuSetLiveLocked(domainObj *obj, unsigned int nvcpus)
{
    domainDef *live;
    domainDef *config;

    /* Split the stored definition off before the live one changes. */
    if (domainObjGetDefs(obj, VMM_DOMAIN_AFFECT_LIVE, true, &live, &config) < 0)
        return -1;
    if (nvcpus > live->vcpus) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "requested vcpus is greater than max allowable vcpus "
                    "for the live domain: %u > %u",
                    nvcpus, obj->def->vcpus);
        return -1;
    }
    if (kvmVcpuSyncCount(obj) < 0)
        return -1;
    while (obj->def->vcpusCurrent != nvcpus) {
        int rc = obj->def->vcpusCurrent < nvcpus ? kvmVcpuPlugOne(obj)
                                                 : kvmVcpuUnplugOne(obj);

        if (rc < 0)
            return -1;
        kvmLifecycleSaveStatus(obj);
    }
    return 0;
}

static int kvmVcpuSetLive(vmmDomainPtr dom, unsigned int nvcpus,
                          unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (flags & VMM_DOMAIN_VCPU_MAXIMUM) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "cannot change the maximum vcpu count of a live domain");
        return -1;
    }
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    ret = kvmVcpuSetLiveLocked(obj, nvcpus);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

int kvmVcpuSetVcpusFlags(vmmDomainPtr dom, unsigned int nvcpus,
                         unsigned int flags)
{
    bool live;

    if (kvmCheckFlags(flags, KVM_VCPU_AFFECT | VMM_DOMAIN_VCPU_MAXIMUM) < 0)
        return -1;
    if (!kvmVcpuIsLive(dom, flags, &live))
        return -1;
    if (!live)
        return kvmDomainSetVcpusFlags(dom, nvcpus, flags);
    /* The running guest first: when it refuses, the config stays. */
    if (kvmVcpuSetLive(dom, nvcpus, flags) < 0)
        return -1;
    if (flags & VMM_DOMAIN_AFFECT_CONFIG)
        return kvmDomainSetVcpusFlags(dom, nvcpus,
                                      flags & ~VMM_DOMAIN_AFFECT_LIVE);
    return 0;
}

/* ---- vCPU threads ------------------------------------------------------ */

typedef struct {
    unsigned int index; /* QEMU's cpu-index */
    pid_t tid;
} kvmVcpuThread;

static gint kvmVcpuThreadCompare(gconstpointer a, gconstpointer b)
{
    const kvmVcpuThread *x = a;
    const kvmVcpuThread *y = b;

    return x->index < y->index ? -1 : x->index > y->index;
}

/* The threads of @obj's vCPUs (locked, job held) by cpu-index, from
 * query-cpus-fast. */
static GArray *kvmVcpuThreads(domainObj *obj)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autoptr(GArray) threads = g_array_new(FALSE, TRUE, sizeof(kvmVcpuThread));

    if (kvmLifecycleMonitorRun(obj, "query-cpus-fast", NULL, &reply) < 0)
        return NULL;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        jsonValue *cpu = jsonArrayGet(reply, i);
        gint64 index, tid;
        kvmVcpuThread t;

        if (jsonObjectGetNumberInt64(cpu, "cpu-index", &index) < 0 ||
            jsonObjectGetNumberInt64(cpu, "thread-id", &tid) < 0)
            return NULL;
        t.index = index;
        t.tid = tid;
        g_array_append_val(threads, t);
    }
    g_array_sort(threads, kvmVcpuThreadCompare);
    return g_steal_pointer(&threads);
}

static pid_t kvmVcpuQemuPid(domainObj *obj)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);

    return priv->proc ? kvmProcessGetPid(priv->proc) : 0;
}

/* Run time (utime + stime, ns) and last host CPU of thread @tid of
 * @pid, from /proc; zeros when the thread cannot be read. */
static void kvmVcpuThreadStat(pid_t pid, pid_t tid,
                              unsigned long long *ret_time, int *ret_cpu)
{
    g_autofree char *path =
        g_strdup_printf("/proc/%d/task/%d/stat", (int)pid, (int)tid);
    g_autofree char *text = NULL;
    unsigned long long utime, stime;
    unsigned long long tick = 1000000000ULL / sysconf(_SC_CLK_TCK);
    int cpu;
    const char *p;

    *ret_time = 0;
    *ret_cpu = 0;
    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strrchr(text, ')')))
        return;
    /* After "(comm)", from field 3 (state): utime and stime are fields
     * 14 and 15, the last CPU field 39. */
    if (sscanf(p + 2,
               "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu "
               "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
               "%*s %*s %*s %*s %*s %*s %*s %d",
               &utime, &stime, &cpu) != 3)
        return;
    *ret_time = (utime + stime) * tick;
    *ret_cpu = cpu;
}

/* Every host CPU the map can hold, as a CPU map of @maplen bytes. */
static void kvmVcpuMapAll(unsigned char *map, int maplen)
{
    long ncpus = sysconf(_SC_NPROCESSORS_CONF);

    memset(map, 0, maplen);
    for (long cpu = 0; cpu < ncpus && cpu < (long)maplen * 8; cpu++)
        VMM_USE_CPU(map, cpu);
}

/* The affinity of thread @tid as a CPU map of @maplen bytes. */
static int kvmVcpuGetAffinity(pid_t tid, unsigned char *map, int maplen)
{
    cpu_set_t set;

    if (sched_getaffinity(tid, sizeof(set), &set) < 0) {
        errorReportSystem(KVM_ERR, errno,
                          "cannot get the affinity of vCPU thread %d",
                          (int)tid);
        return -1;
    }
    memset(map, 0, maplen);
    for (int cpu = 0; cpu < CPU_SETSIZE && cpu < maplen * 8; cpu++) {
        if (CPU_ISSET(cpu, &set))
            VMM_USE_CPU(map, cpu);
    }
    return 0;
}

static int kvmVcpuGetVcpusLocked(domainObj *obj, vmmVcpuInfoPtr info,
                                 int maxinfo, unsigned char *cpumaps,
                                 int maplen)
{
    g_autoptr(GArray) threads = NULL;
    pid_t pid = kvmVcpuQemuPid(obj);
    int n;

    if (!(threads = kvmVcpuThreads(obj)))
        return -1;
    n = MIN((int)threads->len, maxinfo);
    if (cpumaps)
        memset(cpumaps, 0, (size_t)maxinfo * maplen);
    for (int i = 0; i < n; i++) {
        const kvmVcpuThread *t = &g_array_index(threads, kvmVcpuThread, i);

        info[i].number = t->index;
        info[i].state = VMM_VCPU_RUNNING;
        kvmVcpuThreadStat(pid, t->tid, &info[i].cpuTime, &info[i].cpu);
        if (cpumaps &&
            kvmVcpuGetAffinity(t->tid, VMM_GET_CPUMAP(cpumaps, maplen, i),
                               maplen) < 0)
            return -1;
    }
    return n;
}

int kvmVcpuGetVcpus(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                    unsigned char *cpumaps, int maplen)
{
    g_autofree vmmVcpuInfo *tmp = g_new0(vmmVcpuInfo, maxinfo);
    g_autofree unsigned char *maps =
        cpumaps ? g_new0(unsigned char, (size_t)maxinfo *maplen) : NULL;
    domainObj *obj;
    int n;

    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    n = kvmVcpuGetVcpusLocked(obj, tmp, maxinfo, maps, maplen);
    kvmLifecycleEndAPI(&obj, true);
    if (n < 0)
        return -1;
    memcpy(info, tmp, sizeof(*info) * n);
    if (cpumaps)
        memcpy(cpumaps, maps, (size_t)maxinfo * maplen);
    return n;
}

/* The thread of vCPU @vcpu, or 0 with the error. */
static pid_t kvmVcpuFindThread(domainObj *obj, unsigned int vcpu)
{
    g_autoptr(GArray) threads = NULL;

    if (!(threads = kvmVcpuThreads(obj)))
        return 0;
    for (guint i = 0; i < threads->len; i++) {
        const kvmVcpuThread *t = &g_array_index(threads, kvmVcpuThread, i);

        if (t->index == vcpu)
            return t->tid;
    }
    errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                "vcpu %u is out of range of live cpu count %u", vcpu,
                obj->def->vcpusCurrent);
    return 0;
}

static int kvmVcpuPinLocked(domainObj *obj, unsigned int vcpu,
                            const unsigned char *cpumap, int maplen)
{
    cpu_set_t set;
    bool any = false;
    pid_t tid;

    CPU_ZERO(&set);
    for (int cpu = 0; cpu < maplen * 8 && cpu < CPU_SETSIZE; cpu++) {
        if (VMM_CPU_USED(cpumap, cpu)) {
            CPU_SET(cpu, &set);
            any = true;
        }
    }
    if (!any) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG, "Empty cpu list for pinning");
        return -1;
    }
    if (!(tid = kvmVcpuFindThread(obj, vcpu)))
        return -1;
    if (sched_setaffinity(tid, sizeof(set), &set) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot set the affinity of vCPU %u",
                          vcpu);
        return -1;
    }
    return 0;
}

int kvmVcpuPinVcpuFlags(vmmDomainPtr dom, unsigned int vcpu,
                        unsigned char *cpumap, int maplen, unsigned int flags)
{
    domainObj *obj;
    bool live;
    int ret;

    if (kvmCheckFlags(flags, KVM_VCPU_AFFECT) < 0)
        return -1;
    if (!kvmVcpuIsLive(dom, flags, &live))
        return -1;
    if (!live || (flags & VMM_DOMAIN_AFFECT_CONFIG)) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "vCPU pinning is live only: the stored definition "
                    "cannot hold <cputune>");
        return -1;
    }
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    ret = kvmVcpuPinLocked(obj, vcpu, cpumap, maplen);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

/* Live: each vCPU thread's affinity; vCPUs without a thread (not plugged)
 * may run anywhere. */
static int kvmVcpuPinInfoLive(domainObj *obj, int ncpumaps,
                              unsigned char *cpumaps, int maplen)
{
    g_autoptr(GArray) threads = NULL;
    int n = MIN(ncpumaps, (int)obj->def->vcpus);

    if (!(threads = kvmVcpuThreads(obj)))
        return -1;
    for (int i = 0; i < n; i++)
        kvmVcpuMapAll(VMM_GET_CPUMAP(cpumaps, maplen, i), maplen);
    for (guint i = 0; i < threads->len; i++) {
        const kvmVcpuThread *t = &g_array_index(threads, kvmVcpuThread, i);

        if ((int)t->index < n &&
            kvmVcpuGetAffinity(
                t->tid, VMM_GET_CPUMAP(cpumaps, maplen, t->index), maplen) < 0)
            return -1;
    }
    return n;
}

int kvmVcpuGetVcpuPinInfo(vmmDomainPtr dom, int ncpumaps,
                          unsigned char *cpumaps, int maplen,
                          unsigned int flags)
{
    g_autofree unsigned char *maps =
        g_new0(unsigned char, (size_t)ncpumaps *maplen);
    domainObj *obj;
    domainDef *def;
    bool live;
    int n;

    if (kvmCheckFlags(flags, KVM_VCPU_AFFECT) < 0)
        return -1;
    if (!kvmVcpuIsLive(dom, flags, &live))
        return -1;
    if (live) {
        if (!(obj = kvmLifecycleBeginActive(dom)))
            return -1;
        n = kvmVcpuPinInfoLive(obj, ncpumaps, maps, maplen);
        kvmLifecycleEndAPI(&obj, true);
    } else {
        /* Nothing pinned in a stored definition: all host CPUs. */
        if (!(obj = kvmDomainObjFromHandle(dom)))
            return -1;
        n = -1;
        if ((def = domainObjGetOneDef(obj, flags))) {
            n = MIN(ncpumaps, (int)def->vcpus);
            for (int i = 0; i < n; i++)
                kvmVcpuMapAll(VMM_GET_CPUMAP(maps, maplen, i), maplen);
        }
        domainObjEndAPI(&obj);
    }
    if (n < 0)
        return -1;
    memcpy(cpumaps, maps, (size_t)ncpumaps * maplen);
    return n;
}

/* ---- the host's CPUs ---------------------------------------------------- */

/* Reads the sysfs CPU list @name ("present", "online") into @set, and the
 * highest CPU number plus one into *@ret_count. */
static int kvmVcpuReadList(const char *name, GHashTable *set,
                           unsigned int *ret_count)
{
    g_autofree char *path = g_strdup_printf("/sys/devices/system/cpu/%s", name);
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GArray) ids = NULL;
    unsigned int count = 0;

    if (!g_file_get_contents(path, &text, NULL, &err)) {
        errorReport(KVM_ERR, VMM_ERR_SYSTEM_ERROR, "cannot read %s: %s", path,
                    err->message);
        return -1;
    }
    if (!(ids = nodeParseCPUList(g_strstrip(text)))) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot read the host CPU list '%s'", text);
        return -1;
    }
    /* Keys are CPU number + 1: a NULL key cannot be told from absent. */
    for (guint i = 0; i < ids->len; i++) {
        guint cpu = g_array_index(ids, guint, i);

        g_hash_table_add(set, GUINT_TO_POINTER(cpu + 1));
        count = MAX(count, cpu + 1);
    }
    *ret_count = count;
    return 0;
}

int kvmVcpuNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                         unsigned int *online, unsigned int flags)
{
    g_autoptr(GHashTable) present = g_hash_table_new(NULL, NULL);
    g_autoptr(GHashTable) on = g_hash_table_new(NULL, NULL);
    unsigned int count, onCount;
    unsigned char *map;

    if (kvmCheckFlags(flags, 0) < 0 ||
        kvmVcpuReadList("present", present, &count) < 0 ||
        kvmVcpuReadList("online", on, &onCount) < 0)
        return -1;
    if (cpumap) {
        /* The caller frees it with free(); glib's allocator is malloc's. */
        map = g_malloc0(MAX(VMM_CPU_MAPLEN(count), 1));
        for (unsigned int cpu = 0; cpu < count; cpu++) {
            if (g_hash_table_contains(on, GUINT_TO_POINTER(cpu + 1)))
                VMM_USE_CPU(map, cpu);
        }
        *cpumap = map;
    }
    if (online)
        *online = g_hash_table_size(on);
    return count;
}
