/*
 * kvm_driver_control.c: hard reset, control state and memory statistics
 * of QEMU guests (see kvm_driver_control.h).
 *
 * Memory statistics come in libvirt's order, which virsh prints as is:
 * the balloon size ("actual", QMP query-balloon), then what the guest's
 * balloon driver reported (qom-get "guest-stats" on the balloon device,
 * only once a polling period was set), then QEMU's own resident size
 * from /proc.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "kvm_driver_control.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_state.h"
#include "util_error.h"
#include "util_json.h"
#include "util_log.h"

VMM_LOG_INIT("kvm.driver_control");

/* The message of the last error, for a log line about it. */
static const char *kvmControlLastMessage(void)
{
    const vmmError *err = errorGetLast();

    return err && err->message ? err->message : "unknown error";
}

/* QOM path of the balloon device: kvm_command.c names it balloon0. */
#define KVM_BALLOON_QOM_PATH "/machine/peripheral/balloon0"
#define KVM_BALLOON_PERIOD_PROP "guest-stats-polling-interval"

int kvmDomainReset(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    /* A reboot asked for before is overtaken by this one. */
    g_atomic_int_set(&kvmDomainPrivGet(obj)->fakeReboot, 0);
    ret = kvmLifecycleMonitorRun(obj, "system_reset", NULL, NULL);
    /* A crashed guest kept by on_crash=preserve stays stopped after the
     * reset, as libvirt reports it: paused, because it crashed. */
    if (ret == 0 && obj->state == VMM_DOMAIN_CRASHED) {
        domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_CRASHED);
        kvmLifecycleSaveStatus(obj);
    }
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

/* Reads the job under the object lock only: a running job holds its job
 * flag, not the lock, so this never waits for it. */
int kvmDomainGetControlInfo(vmmDomainPtr dom, vmmDomainControlInfoPtr info,
                            unsigned int flags)
{
    vmmDomainJobInfo job = {0};
    domainObj *obj;
    bool busy;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    busy = kvmDomainPrivGet(obj)->job;
    domainObjEndAPI(&obj);
    if (kvmDomainGetJobInfo(dom, &job) < 0)
        return -1;
    *info = (vmmDomainControlInfo){0};
    if (job.type != VMM_DOMAIN_JOB_NONE) {
        info->state = VMM_DOMAIN_CONTROL_JOB;
        info->stateTime = job.timeElapsed;
    } else if (busy) {
        /* A short call without progress: its start is not recorded. */
        info->state = VMM_DOMAIN_CONTROL_JOB;
    }
    return 0;
}

/* QEMU's names of the guest's statistics, in libvirt's order; sizes come
 * in bytes, counts as they are. */
typedef struct {
    const char *name;
    int tag;
    unsigned int divisor;
} kvmGuestStat;

static const kvmGuestStat kvmGuestStats[] = {
    {"stat-swap-in", VMM_DOMAIN_MEMORY_STAT_SWAP_IN, 1024},
    {"stat-swap-out", VMM_DOMAIN_MEMORY_STAT_SWAP_OUT, 1024},
    {"stat-major-faults", VMM_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 1},
    {"stat-minor-faults", VMM_DOMAIN_MEMORY_STAT_MINOR_FAULT, 1},
    {"stat-free-memory", VMM_DOMAIN_MEMORY_STAT_UNUSED, 1024},
    {"stat-total-memory", VMM_DOMAIN_MEMORY_STAT_AVAILABLE, 1024},
    {"stat-available-memory", VMM_DOMAIN_MEMORY_STAT_USABLE, 1024},
    {NULL, VMM_DOMAIN_MEMORY_STAT_LAST_UPDATE, 1}, /* "last-update" */
    {"stat-disk-caches", VMM_DOMAIN_MEMORY_STAT_DISK_CACHES, 1024},
    {"stat-htlb-pgalloc", VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 1},
    {"stat-htlb-pgfail", VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 1},
};

typedef struct {
    vmmDomainMemoryStatPtr stats;
    unsigned int nr;
    unsigned int n;
} kvmStatList;

static void kvmStatAdd(kvmStatList *list, int tag, unsigned long long val)
{
    if (list->n >= list->nr)
        return;
    list->stats[list->n].tag = tag;
    list->stats[list->n].val = val;
    list->n++;
}

static bool kvmControlHasBalloon(const domainDef *def)
{
    const domainMemballoonDef *mb = def->devices.memballoon;

    return mb && mb->model && strcmp(mb->model, "virtio") == 0;
}

/* The balloon size, in KiB, from @obj's QEMU (locked, job held). */
static int kvmStatsActual(domainObj *obj, kvmStatList *list)
{
    g_autoptr(jsonValue) reply = NULL;
    guint64 actual;

    if (kvmLifecycleMonitorRun(obj, "query-balloon", NULL, &reply) < 0)
        return -1;
    if (jsonObjectGetNumberUint64(reply, "actual", &actual) < 0) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "query-balloon answered no 'actual' size");
        return -1;
    }
    kvmStatAdd(list, VMM_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, actual / 1024);
    return 0;
}

/* What the guest told its balloon driver. QEMU answers -1 for what the
 * guest does not report, and no statistics before the first poll: both
 * are left out, as libvirt does. */
static void kvmStatsGuest(domainObj *obj, kvmStatList *list)
{
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(jsonValue) reply = NULL;
    jsonValue *stats;
    size_t i;

    if (obj->def->devices.memballoon->period == 0)
        return;
    jsonObjectAppendString(args, "path", KVM_BALLOON_QOM_PATH);
    jsonObjectAppendString(args, "property", "guest-stats");
    if (kvmLifecycleMonitorRun(obj, "qom-get", args, &reply) < 0) {
        VMM_DEBUG("no guest statistics for '%s': %s", obj->name,
                  kvmControlLastMessage());
        errorReset();
        return;
    }
    if (!(stats = jsonObjectGetObject(reply, "stats")))
        return;
    for (i = 0; i < G_N_ELEMENTS(kvmGuestStats); i++) {
        const kvmGuestStat *s = &kvmGuestStats[i];
        guint64 val;

        /* "Unknown" is -1, which QEMU writes as the largest uint64. */
        if (s->name ? jsonObjectGetNumberUint64(stats, s->name, &val) < 0
                    : jsonObjectGetNumberUint64(reply, "last-update", &val) < 0)
            continue;
        if (val == G_MAXUINT64 || (!s->name && val == 0))
            continue;
        kvmStatAdd(list, s->tag, val / s->divisor);
    }
}

/* Resident size of process @pid in KiB, from /proc/PID/status; -1 (no
 * error reported) when it cannot be read. */
static long long kvmProcessRss(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *line;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return -1;
    if (!(line = strstr(text, "\nVmRSS:")))
        return -1;
    return g_ascii_strtoll(line + strlen("\nVmRSS:"), NULL, 10);
}

int kvmDomainMemoryStats(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                         unsigned int nr, unsigned int flags)
{
    kvmStatList list = {.stats = stats, .nr = nr};
    kvmDomainPriv *priv;
    domainObj *obj;
    long long rss;
    pid_t pid;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    if (kvmControlHasBalloon(obj->def)) {
        if (kvmStatsActual(obj, &list) < 0) {
            kvmLifecycleEndAPI(&obj, true);
            return -1;
        }
        kvmStatsGuest(obj, &list);
    }
    priv = kvmDomainPrivGet(obj);
    pid = priv->proc ? kvmProcessGetPid(priv->proc) : 0;
    if (pid > 0 && (rss = kvmProcessRss(pid)) >= 0)
        kvmStatAdd(&list, VMM_DOMAIN_MEMORY_STAT_RSS, rss);
    kvmLifecycleEndAPI(&obj, true);
    return list.n;
}

/* Sets the polling period of @obj's balloon (locked, job held, active). */
static int kvmSetStatsPeriodLive(domainObj *obj, int period)
{
    g_autoptr(jsonValue) args = jsonValueNewObject();

    jsonObjectAppendString(args, "path", KVM_BALLOON_QOM_PATH);
    jsonObjectAppendString(args, "property", KVM_BALLOON_PERIOD_PROP);
    jsonObjectAppendNumberInt64(args, "value", period);
    return kvmLifecycleMonitorRun(obj, "qom-set", args, NULL);
}

void kvmControlStartStatsPolling(domainObj *obj)
{
    const domainMemballoonDef *mb = obj->def->devices.memballoon;

    if (!kvmControlHasBalloon(obj->def) || mb->period == 0)
        return;
    if (kvmSetStatsPeriodLive(obj, mb->period) < 0) {
        VMM_WARN("cannot set the balloon statistics period of '%s': %s",
                 obj->name, kvmControlLastMessage());
        errorReset();
    }
}

static int kvmCheckPeriodBalloon(const domainDef *def)
{
    if (def && !kvmControlHasBalloon(def)) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "No memory balloon device configured, can not set the "
                    "collection period");
        return -1;
    }
    return 0;
}

static int kvmSetStatsPeriodLocked(domainObj *obj, int period,
                                   unsigned int flags)
{
    domainDef *live;
    domainDef *config;

    if (domainObjGetDefs(obj, flags, false, &live, &config) < 0 ||
        kvmCheckPeriodBalloon(live) < 0 || kvmCheckPeriodBalloon(config) < 0)
        return -1;
    /* Valid: split the stored definition off so each changes alone. */
    domainObjGetDefs(obj, flags, true, &live, &config);
    if (live) {
        if (kvmSetStatsPeriodLive(obj, period) < 0) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                        "unable to set balloon driver collection period");
            return -1;
        }
        live->devices.memballoon->period = period;
        kvmLifecycleSaveStatus(obj);
    }
    if (config) {
        config->devices.memballoon->period = period;
        return kvmDriverSaveDef(obj);
    }
    return 0;
}

int kvmDomainSetMemoryStatsPeriod(vmmDomainPtr dom, int period,
                                  unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags,
                      VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    ret = kvmSetStatsPeriodLocked(obj, period, flags);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}
