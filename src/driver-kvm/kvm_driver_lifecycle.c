/*
 * kvm_driver_lifecycle.c: starting, pausing and stopping guests through
 * kvm_process and the QMP monitor, with libvirt's lifecycle events, and
 * noticing when QEMU goes away by itself (guest power-off, crash).
 *
 * Each state change holds the guest's job (kvm_driver_state.h), so a start
 * and a destroy of one guest never overlap; the object lock itself is
 * dropped while QEMU is being started or stopped or answers a command, so
 * readers (list, dumpxml, info) are not held up. Monitor callbacks run in
 * the monitor's thread and must not wait for the object: they hand the
 * work to a short-lived thread of their own.
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "datatypes.h"
#include "domain_store.h"
#include "kvm_driver_control.h"
#include "kvm_driver_device.h"
#include "kvm_driver_domain.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_save.h"
#include "kvm_driver_state.h"
#include "util_error.h"
#include "util_file.h"
#include "util_log.h"

VMM_LOG_INIT("kvm.driver_lifecycle");

/* SIGTERM first on destroy: QEMU flushes its disks and exits at once. */
#define KVM_DESTROY_GRACE_MS 3000

typedef enum {
    KVM_EVENT_GUEST_SHUTDOWN, /* QMP SHUTDOWN: the guest powered off */
    KVM_EVENT_PROCESS_EXIT,   /* the monitor closed: QEMU is gone */
    KVM_EVENT_GUEST_PANICKED, /* QMP GUEST_PANICKED: <on_crash> applies */
} kvmEventKind;

typedef struct {
    domainObj *obj; /* referenced */
    gint generation;
    kvmEventKind kind;
} kvmEventWork;

/* Event threads still running: the state must outlive them. */
static gint kvmEventThreads;

static void kvmMonitorEventCb(kvmMonitor *mon, const char *name,
                              const jsonValue *data, long long seconds,
                              unsigned int micros, void *opaque);
static void kvmMonitorEofCb(kvmMonitor *mon, bool error, void *opaque);
static int kvmLifecycleGuestAction(domainObj *obj, kvmEventKind kind);

static const kvmMonitorCallbacks kvmMonitorCbs = {
    .event = kvmMonitorEventCb,
    .eof = kvmMonitorEofCb,
};

unsigned long long kvmLifecycleCPUTime(domainObj *obj)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    g_autofree char *path = NULL;
    g_autofree char *stat = NULL;
    unsigned long long utime = 0, stime = 0;
    const char *p;
    pid_t pid;

    if (!priv->proc || (pid = kvmProcessGetPid(priv->proc)) <= 0)
        return 0;
    path = g_strdup_printf("/proc/%d/stat", (int)pid);
    if (!g_file_get_contents(path, &stat, NULL, NULL) ||
        !(p = strrchr(stat, ')')))
        return 0;
    /* After "(comm)": state is field 3; utime and stime are 14 and 15. */
    if (sscanf(p + 2, "%*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
               &utime, &stime) != 2)
        return 0;
    return (utime + stime) * (1000000000ULL / sysconf(_SC_CLK_TCK));
}

/* The status file (RUNDIR/NAME.xml) follows pause and resume, so a
 * restarted daemon knows. kvm_process wrote the first one at start. */
static void kvmSaveStatus(domainObj *obj)
{
    kvmDriverState *st = kvmDriverStateGet();
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    g_autofree char *mon = g_strdup_printf("%s.monitor", obj->name);
    g_autofree char *monPath = fileBuildPath(st->runDir, mon);
    domainStatus status = {
        .def = obj->def,
        .id = obj->id,
        .state = obj->state,
        .reason = obj->reason,
        .pid = priv->proc ? kvmProcessGetPid(priv->proc) : 0,
        .monitorPath = monPath,
    };

    if (domainStoreSaveStatus(st->runDir, &status) < 0) {
        VMM_WARN("cannot update the status of '%s'", obj->name);
        errorReset();
    }
}

/* Stops QEMU of @obj (locked, job held, active) and marks it shut off. */
static void kvmStopLocked(domainObj *obj, int reason, int detail, int graceMs)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    g_autoptr(kvmProcess) proc = g_steal_pointer(&priv->proc);

    g_atomic_int_set(&priv->stopping, 1);
    domainObjUnlock(obj);
    if (proc)
        kvmProcessStop(proc, graceMs);
    g_clear_pointer(&proc, kvmProcessFree);
    domainObjLock(obj);
    g_atomic_int_inc(&priv->generation);
    domainObjStopped(obj, reason);
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_STOPPED, detail);
}

/* Ends a call on @obj: a transient guest that stopped leaves the list. */
static void kvmEndAPI(domainObj **obj, bool jobHeld)
{
    if (jobHeld)
        kvmDomainJobEnd(*obj);
    if (!(*obj)->persistent && !domainObjIsActive(*obj))
        domainObjListRemove(kvmDriverStateGet()->domains, *obj);
    domainObjEndAPI(obj);
}

static gpointer kvmEventThread(gpointer data)
{
    g_autofree kvmEventWork *work = data;
    domainObj *obj = work->obj;
    kvmDomainPriv *priv;
    bool shutdown;

    domainObjLock(obj);
    if (kvmDomainJobBegin(obj) < 0) {
        VMM_WARN("lost an event of '%s'", obj->name);
        errorReset();
        domainObjEndAPI(&obj);
        g_atomic_int_dec_and_test(&kvmEventThreads);
        return NULL;
    }
    priv = kvmDomainPrivGet(obj);
    /* Destroy or an earlier event may have dealt with this QEMU already. */
    if (priv->proc && g_atomic_int_get(&priv->generation) == work->generation &&
        work->kind != KVM_EVENT_PROCESS_EXIT &&
        kvmLifecycleGuestAction(obj, work->kind) == 0) {
        /* Handled: QEMU keeps running (reset, preserved). */
    } else if (priv->proc &&
               g_atomic_int_get(&priv->generation) == work->generation) {
        shutdown = g_atomic_int_get(&priv->shutdownSeen);
        if (shutdown)
            kvmDriverEmit(obj, VMM_DOMAIN_EVENT_SHUTDOWN,
                          VMM_DOMAIN_EVENT_SHUTDOWN_FINISHED);
        VMM_INFO("QEMU of '%s' %s", obj->name,
                 shutdown ? "shut down" : "exited unexpectedly");
        /* A panic was told by kvmLifecycleGuestAction already. */
        if (g_atomic_int_get(&priv->panicSeen) &&
            obj->state != VMM_DOMAIN_CRASHED)
            kvmDriverEmit(obj, VMM_DOMAIN_EVENT_CRASHED,
                          VMM_DOMAIN_EVENT_CRASHED_PANICKED);
        kvmStopLocked(obj,
                      shutdown && !g_atomic_int_get(&priv->panicSeen)
                          ? VMM_DOMAIN_SHUTOFF_SHUTDOWN
                          : VMM_DOMAIN_SHUTOFF_CRASHED,
                      shutdown ? VMM_DOMAIN_EVENT_STOPPED_SHUTDOWN
                               : VMM_DOMAIN_EVENT_STOPPED_CRASHED,
                      KVM_DESTROY_GRACE_MS);
    }
    kvmEndAPI(&obj, true);
    g_atomic_int_dec_and_test(&kvmEventThreads);
    return NULL;
}

void kvmLifecycleDrain(void)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;

    while (g_atomic_int_get(&kvmEventThreads) > 0 &&
           g_get_monotonic_time() < deadline)
        g_usleep(10 * 1000);
}

/* In the monitor's thread: hand the work over (see the top comment). */
static void kvmPostEvent(domainObj *obj, kvmEventKind kind)
{
    kvmDomainPriv *priv = obj->privateData;
    kvmEventWork *work = g_new0(kvmEventWork, 1);

    if (g_atomic_int_get(&priv->stopping)) {
        g_free(work);
        return;
    }
    work->obj = domainObjRef(obj);
    work->generation = g_atomic_int_get(&priv->generation);
    work->kind = kind;
    g_atomic_int_inc(&kvmEventThreads);
    g_thread_unref(g_thread_new("kvm-event", kvmEventThread, work));
}

/* SeaBIOS answers a warm reset with hard resets of its own, one or two
 * more RESET events within milliseconds (QEMU's clock): they are part of
 * the reset that caused them, and one reboot is one REBOOT event. */
#define KVM_RESET_COALESCE_US G_USEC_PER_SEC

/* In the monitor's thread: QEMU's RESET at QEMU's time @seconds.@micros.
 * The guest's own reboot, or our system_reset after a reboot or restart
 * action: libvirt's REBOOT event either way. No object lock here; the id
 * read unlocked changes only at start and stop, and a stopping QEMU's
 * events are dropped. */
static void kvmResetEvent(domainObj *obj, long long seconds,
                          unsigned int micros)
{
    kvmDomainPriv *priv = obj->privateData;
    gint64 when =
        seconds > 0 ? seconds * G_USEC_PER_SEC + micros : g_get_real_time();
    gint64 last = priv->lastReset;

    priv->lastReset = when;
    if (g_atomic_int_get(&priv->stopping) ||
        (last && when >= last && when - last < KVM_RESET_COALESCE_US))
        return;
    domainEventStateQueueReboot(kvmDriverStateGet()->events, obj->name,
                                obj->uuid, obj->id);
}

static void kvmMonitorEventCb(kvmMonitor *mon, const char *name,
                              const jsonValue *data, long long seconds,
                              unsigned int micros, void *opaque)
{
    domainObj *obj = opaque;
    kvmDomainPriv *priv = obj->privateData;

    if (strcmp(name, "DEVICE_DELETED") == 0) {
        kvmDeviceDeletedEvent(obj, data);
        return;
    }
    if (strcmp(name, "GUEST_PANICKED") == 0) {
        g_atomic_int_set(&priv->panicSeen, 1);
        kvmPostEvent(obj, KVM_EVENT_GUEST_PANICKED);
        return;
    }
    if (strcmp(name, "RESET") == 0) {
        kvmResetEvent(obj, seconds, micros);
        return;
    }
    if (strcmp(name, "SHUTDOWN") != 0)
        return;
    /* A panic that QEMU turns into a shutdown was dealt with above. */
    if (data &&
        g_strcmp0(jsonObjectGetString(data, "reason"), "guest-panic") == 0)
        return;
    /* 2: a guest reboot that -no-reboot (<on_reboot>destroy) turned into
     * a shutdown. */
    g_atomic_int_set(&priv->shutdownSeen,
                     data && g_strcmp0(jsonObjectGetString(data, "reason"),
                                       "guest-reset") == 0
                         ? 2
                         : 1);
    kvmPostEvent(obj, KVM_EVENT_GUEST_SHUTDOWN);
}

static void kvmMonitorEofCb(kvmMonitor *mon, bool error, void *opaque)
{
    kvmPostEvent(opaque, KVM_EVENT_PROCESS_EXIT);
}

/* Refuses type='kvm' where KVM cannot run guests, before any QEMU starts:
 * /dev/kvm may be there and QEMU may call KVM present, yet a broken
 * nested KVM hangs the guest or aborts QEMU (the probe tells). */
static int kvmCheckAccel(const domainDef *def)
{
    kvmDriverState *st = kvmDriverStateGet();
    const char *problem;

    if (def->virtType != DOMAIN_VIRT_KVM)
        return 0;
    if (!st->qemuCaps)
        problem = "QEMU could not be probed";
    else if (!(problem = kvmCapsGetKVMProblem(st->qemuCaps)))
        return 0;
    errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                "KVM cannot run guests on this host: %s (nested "
                "virtualization?); use domain type 'qemu' for '%s'",
                problem, def->name);
    return -1;
}

/* Sends @command to the QEMU of @obj (locked, job held, active) with the
 * object unlocked meanwhile. */
static int kvmMonitorRun(domainObj *obj, const char *command)
{
    return kvmLifecycleMonitorRun(obj, command, NULL, NULL);
}

/* Resets the guest of @obj (locked, job held) that powered off, rebooted
 * or panicked, with QEMU kept by -no-shutdown, and runs it again. As
 * libvirtd, a guest that crashed runs on as "running (crashed)", and its
 * vCPUs starting again are told as RESUMED. */
static int kvmResetLocked(domainObj *obj)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    bool crashed = obj->state == VMM_DOMAIN_CRASHED;

    if (kvmMonitorRun(obj, "system_reset") < 0 ||
        kvmMonitorRun(obj, "cont") < 0)
        return -1;
    g_atomic_int_set(&priv->shutdownSeen, 0);
    g_atomic_int_set(&priv->fakeReboot, 0);
    g_atomic_int_set(&priv->panicSeen, 0);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING,
                      crashed ? VMM_DOMAIN_RUNNING_CRASHED
                              : VMM_DOMAIN_RUNNING_BOOTED);
    if (crashed)
        kvmDriverEmit(obj, VMM_DOMAIN_EVENT_RESUMED,
                      VMM_DOMAIN_EVENT_RESUMED_UNPAUSED);
    kvmSaveStatus(obj);
    return 0;
}

/* <on_poweroff> / <on_crash> (or a pending reboot) for the actions that
 * keep QEMU: 0 when dealt with here, -1 when QEMU must stop (destroy, or
 * the reset failed). rename-restart and coredump-* act as restart /
 * destroy: there is no rename nor dump yet. A panic is told first
 * (CRASHED / PANICKED, state "crashed (panicked)", as libvirtd), whatever
 * the action; the caller tells the stop of a destroy. */
static int kvmLifecycleGuestAction(domainObj *obj, kvmEventKind kind)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    bool panic = kind == KVM_EVENT_GUEST_PANICKED;
    int action = panic ? obj->def->onCrash : obj->def->onPoweroff;

    if (!panic && g_atomic_int_get(&priv->shutdownSeen) == 2)
        action = DOMAIN_LIFECYCLE_DESTROY;
    else if (!panic && g_atomic_int_get(&priv->fakeReboot))
        action = DOMAIN_LIFECYCLE_RESTART;
    if (panic && obj->state != VMM_DOMAIN_CRASHED) {
        domainObjSetState(obj, VMM_DOMAIN_CRASHED, VMM_DOMAIN_CRASHED_PANICKED);
        kvmDriverEmit(obj, VMM_DOMAIN_EVENT_CRASHED,
                      VMM_DOMAIN_EVENT_CRASHED_PANICKED);
    }
    switch (action) {
    case DOMAIN_LIFECYCLE_RESTART:
    case DOMAIN_LIFECYCLE_RENAME_RESTART:
    case DOMAIN_LIFECYCLE_COREDUMP_RESTART:
        if (kvmResetLocked(obj) < 0) {
            VMM_WARN("cannot restart the guest of '%s'", obj->name);
            errorReset();
            return -1;
        }
        VMM_INFO("guest of '%s' restarted", obj->name);
        return 0;
    case DOMAIN_LIFECYCLE_PRESERVE:
        /* QEMU keeps the stopped guest for inspection (-no-shutdown). */
        if (!panic) {
            domainObjSetState(obj, VMM_DOMAIN_PAUSED,
                              VMM_DOMAIN_PAUSED_SHUTTING_DOWN);
            kvmDriverEmit(obj, VMM_DOMAIN_EVENT_SHUTDOWN,
                          VMM_DOMAIN_EVENT_SHUTDOWN_FINISHED);
            kvmDriverEmit(obj, VMM_DOMAIN_EVENT_SUSPENDED,
                          VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
        }
        kvmSaveStatus(obj);
        return 0;
    default:
        if (panic)
            VMM_INFO("guest of '%s' panicked: destroying it", obj->name);
        return -1;
    }
}

static int kvmPauseLocked(domainObj *obj)
{
    if (kvmMonitorRun(obj, "stop") < 0)
        return -1;
    domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_SUSPENDED,
                  VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
    kvmSaveStatus(obj);
    return 0;
}

/* After QEMU was started with -incoming: load the saved state from
 * @incoming, then run or keep paused. */
static int kvmRestoreStartedLocked(domainObj *obj, bool paused,
                                   const char *incoming)
{
    domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_STARTING_UP);
    if (kvmSaveLoadIncoming(obj, incoming) < 0 ||
        (!paused && kvmMonitorRun(obj, "cont") < 0)) {
        g_autoptr(vmmError) saved = errorSave();

        kvmStopLocked(obj, VMM_DOMAIN_SHUTOFF_FAILED,
                      VMM_DOMAIN_EVENT_STOPPED_FAILED, 0);
        errorRestore(&saved);
        return -1;
    }
    if (paused)
        domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
    else
        domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_RESTORED);
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_STARTED,
                  VMM_DOMAIN_EVENT_STARTED_RESTORED);
    if (paused)
        kvmDriverEmit(obj, VMM_DOMAIN_EVENT_SUSPENDED,
                      VMM_DOMAIN_EVENT_SUSPENDED_RESTORED);
    kvmSaveStatus(obj);
    return 0;
}

static int kvmStartFullLocked(domainObj *obj, bool paused, const char *incoming)
{
    kvmDriverState *st = kvmDriverStateGet();
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    g_autoptr(domainDef) def = NULL;
    kvmProcess *proc = NULL;
    int id;
    int rc;

    if (domainObjIsActive(obj)) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain is already running");
        return -1;
    }
    if (kvmCheckAccel(obj->def) < 0)
        return -1;
    def = domainDefCopy(obj->def);
    id = domainObjListNewID(st->domains);
    g_atomic_int_inc(&priv->generation);
    g_atomic_int_set(&priv->shutdownSeen, 0);
    g_atomic_int_set(&priv->fakeReboot, 0);
    g_atomic_int_set(&priv->panicSeen, 0);
    g_atomic_int_set(&priv->stopping, 0);
    domainObjUnlock(obj);
    if (incoming)
        rc = kvmProcessStartIncoming(&st->procCfg, def, id, &kvmMonitorCbs, obj,
                                     &proc);
    else
        rc = kvmProcessStart(&st->procCfg, def, id, &kvmMonitorCbs, obj, &proc);
    domainObjLock(obj);
    if (rc < 0)
        return -1;
    priv->proc = proc;
    obj->id = id;
    kvmControlStartStatsPolling(obj);
    if (incoming)
        return kvmRestoreStartedLocked(obj, paused, incoming);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    /* As libvirtd: QEMU started with -S, then "cont". */
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_RESUMED,
                  VMM_DOMAIN_EVENT_RESUMED_UNPAUSED);
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_STARTED,
                  VMM_DOMAIN_EVENT_STARTED_BOOTED);
    /* Records the reason next to what kvm_process wrote. */
    kvmSaveStatus(obj);
    /* kvm_process always continues the vCPUs; pause them again. */
    if (paused && kvmPauseLocked(obj) < 0) {
        g_autoptr(vmmError) saved = errorSave();

        kvmStopLocked(obj, VMM_DOMAIN_SHUTOFF_FAILED,
                      VMM_DOMAIN_EVENT_STOPPED_FAILED, 0);
        errorRestore(&saved);
        return -1;
    }
    return 0;
}

/* Starts QEMU for @obj (locked, job held, inactive). */
static int kvmStartLocked(domainObj *obj, bool paused)
{
    return kvmStartFullLocked(obj, paused, NULL);
}

/* As kvmStartLocked, from the managed save image when there is one (a
 * start by the user or autostart). */
static int kvmStartOrRestoreLocked(domainObj *obj, bool paused)
{
    if (kvmSaveHasManagedImage(obj))
        return kvmSaveStartManagedLocked(obj, paused);
    return kvmStartLocked(obj, paused);
}

int kvmDomainCreateWithFlags(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    int ret = -1;

    if (kvmCheckFlags(flags, VMM_DOMAIN_START_PAUSED) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    if (kvmStartOrRestoreLocked(obj, flags & VMM_DOMAIN_START_PAUSED) == 0) {
        dom->id = obj->id;
        ret = 0;
    }
    kvmEndAPI(&obj, true);
    return ret;
}

vmmDomainPtr kvmDomainCreateXML(vmmConnectPtr conn, const char *xml,
                                unsigned int flags)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autoptr(domainDef) def = NULL;
    domainObj *obj;
    vmmDomainPtr dom = NULL;

    if (kvmCheckFlags(flags,
                      VMM_DOMAIN_START_PAUSED | VMM_DOMAIN_START_VALIDATE) < 0)
        return NULL;
    if (!(def = kvmParseDef(xml, flags & VMM_DOMAIN_START_VALIDATE)))
        return NULL;
    if (!(obj = domainObjListAdd(
              st->domains, &def,
              DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return NULL;
    if (kvmDomainJobBegin(obj) < 0) {
        kvmEndAPI(&obj, false);
        return NULL;
    }
    if (kvmStartLocked(obj, flags & VMM_DOMAIN_START_PAUSED) == 0)
        dom = kvmDomainHandle(conn, obj);
    kvmEndAPI(&obj, true);
    return dom;
}

/* Takes the job on the active guest behind @dom. */
static domainObj *kvmBeginActive(vmmDomainPtr dom)
{
    domainObj *obj = kvmDomainObjFromHandle(dom);

    if (!obj)
        return NULL;
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return NULL;
    }
    if (domainObjCheckActive(obj) < 0) {
        kvmEndAPI(&obj, true);
        return NULL;
    }
    return obj;
}

/* Sends @sig to the QEMU of @obj (locked) without its job. The pid is
 * safe to signal: QEMU is reaped only by kvmStopLocked, after it took
 * priv->proc, which is still set here. Its death is the destroy's own,
 * not a crash to report. */
static void kvmDestroySignal(domainObj *obj, int sig)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    pid_t pid = priv->proc ? kvmProcessGetPid(priv->proc) : 0;

    if (pid <= 0)
        return;
    g_atomic_int_set(&priv->stopping, 1);
    kill(pid, sig);
}

/* As libvirt, QEMU is signalled before the job is asked for: a slow job
 * (a save into a FIFO nobody reads) then ends at once, its monitor gone,
 * instead of making the destroy wait behind it. */
static int kvmDestroyBeginJob(domainObj *obj, unsigned int flags)
{
    if (!domainObjIsActive(obj))
        return kvmDomainJobBegin(obj);
    kvmDestroySignal(obj, SIGTERM);
    if (kvmDomainJobBeginWait(obj, KVM_DESTROY_GRACE_MS *
                                       G_TIME_SPAN_MILLISECOND) == 0)
        return 0;
    errorReset();
    /* QEMU hangs on SIGTERM; a graceful destroy waits, as promised. */
    if (!(flags & VMM_DOMAIN_DESTROY_GRACEFUL))
        kvmDestroySignal(obj, SIGKILL);
    return kvmDomainJobBegin(obj);
}

int kvmDomainDestroyFlags(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;

    if (kvmCheckFlags(flags, VMM_DOMAIN_DESTROY_GRACEFUL) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (kvmDestroyBeginJob(obj, flags) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    if (domainObjCheckActive(obj) < 0) {
        kvmEndAPI(&obj, true);
        return -1;
    }
    kvmStopLocked(obj, VMM_DOMAIN_SHUTOFF_DESTROYED,
                  VMM_DOMAIN_EVENT_STOPPED_DESTROYED, KVM_DESTROY_GRACE_MS);
    dom->id = -1;
    kvmEndAPI(&obj, true);
    return 0;
}

int kvmDomainShutdownFlags(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) < 0)
        return -1;
    if (!(obj = kvmBeginActive(dom)))
        return -1;
    /* The guest decides; its power-off comes back as a SHUTDOWN event. */
    ret = kvmMonitorRun(obj, "system_powerdown");
    kvmEndAPI(&obj, true);
    return ret;
}

/* As libvirtd without a guest agent: the ACPI power button, and the
 * guest's power-off is then turned into a reset (kvmLifecycleGuestAction)
 * instead of a stop, so the domain stays running. */
int kvmDomainReboot(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    int ret = -1;

    if (kvmCheckFlags(flags, VMM_DOMAIN_REBOOT_ACPI_POWER_BTN) < 0)
        return -1;
    if (!(obj = kvmBeginActive(dom)))
        return -1;
    if (obj->state != VMM_DOMAIN_RUNNING) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain is not running");
    } else {
        g_atomic_int_set(&kvmDomainPrivGet(obj)->fakeReboot, 1);
        ret = kvmMonitorRun(obj, "system_powerdown");
        if (ret < 0)
            g_atomic_int_set(&kvmDomainPrivGet(obj)->fakeReboot, 0);
    }
    kvmEndAPI(&obj, true);
    return ret;
}

int kvmDomainSuspend(vmmDomainPtr dom)
{
    domainObj *obj;
    int ret = 0;

    if (!(obj = kvmBeginActive(dom)))
        return -1;
    if (obj->state != VMM_DOMAIN_PAUSED)
        ret = kvmPauseLocked(obj);
    kvmEndAPI(&obj, true);
    return ret;
}

int kvmDomainResume(vmmDomainPtr dom)
{
    domainObj *obj;
    int ret = -1;

    if (!(obj = kvmBeginActive(dom)))
        return -1;
    if (obj->state != VMM_DOMAIN_PAUSED) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID, "domain is not paused");
    } else if (kvmMonitorRun(obj, "cont") == 0) {
        domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
        kvmDriverEmit(obj, VMM_DOMAIN_EVENT_RESUMED,
                      VMM_DOMAIN_EVENT_RESUMED_UNPAUSED);
        kvmSaveStatus(obj);
        ret = 0;
    }
    kvmEndAPI(&obj, true);
    return ret;
}

/* Puts @obj back to how it was before a failed reconnect. */
static void kvmReconnectFailed(domainObj *obj)
{
    domainObjStopped(obj, VMM_DOMAIN_SHUTOFF_UNKNOWN);
    if (!obj->persistent)
        domainObjListRemove(kvmDriverStateGet()->domains, obj);
}

/* Takes back the QEMU of guest @name; returns its id, or -1. */
static int kvmReconnectOne(const char *name)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autoptr(domainStatus) status = NULL;
    g_autoptr(domainDef) attachedDef = NULL;
    g_autofree char *qstatus = NULL;
    kvmProcess *proc = NULL;
    domainObj *obj;
    bool running = true;
    int id = -1;

    /* With ADD_LIVE the live definition goes in def and a stored one
     * (loaded from the config dir) waits in newDef for the stop. */
    if (domainStoreLoadStatus(st->runDir, name, &status) < 0 ||
        !(obj = domainObjListAdd(st->domains, &status->def,
                                 DOMAIN_OBJ_LIST_ADD_LIVE, NULL)))
        return -1;
    obj->id = status->id;
    domainObjSetState(obj, VMM_DOMAIN_RUNNING,
                      status->state == VMM_DOMAIN_RUNNING
                          ? status->reason
                          : VMM_DOMAIN_RUNNING_UNKNOWN);
    /* The monitor callbacks need it as soon as the monitor is open. */
    g_atomic_int_inc(&kvmDomainPrivGet(obj)->generation);
    if (kvmProcessAttach(&st->procCfg, name, &kvmMonitorCbs, obj, &proc,
                         &attachedDef, &id) < 0) {
        kvmReconnectFailed(obj);
        domainObjEndAPI(&obj);
        return -1;
    }
    kvmDomainPrivGet(obj)->proc = proc;
    if (kvmMonitorQueryStatus(kvmProcessGetMonitor(proc), &qstatus, &running) <
        0)
        errorReset();
    /* QEMU knows whether the vCPUs run; the status file knows why, and
     * that a stopped guest is one kept after a panic (on_crash preserve). */
    if (!running && status->state == VMM_DOMAIN_CRASHED)
        domainObjSetState(obj, VMM_DOMAIN_CRASHED, status->reason);
    else if (!running)
        domainObjSetState(obj, VMM_DOMAIN_PAUSED,
                          status->state == VMM_DOMAIN_PAUSED
                              ? status->reason
                              : VMM_DOMAIN_PAUSED_UNKNOWN);
    id = obj->id;
    domainObjEndAPI(&obj);
    return id;
}

/* Starts the inactive guests marked autostart. */
static void kvmAutostartAll(void)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autoptr(GPtrArray) objs = NULL;

    if (domainObjListCollect(st->domains,
                             VMM_CONNECT_LIST_DOMAINS_AUTOSTART |
                                 VMM_CONNECT_LIST_DOMAINS_INACTIVE,
                             &objs) < 0) {
        errorReset();
        return;
    }
    for (guint i = 0; i < objs->len; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        domainObjLock(obj);
        if (kvmDomainJobBegin(obj) == 0) {
            if (kvmStartOrRestoreLocked(obj, false) < 0) {
                const vmmError *err = errorGetLast();

                VMM_WARN("cannot autostart '%s': %s", obj->name,
                         err && err->message ? err->message : "unknown");
            }
            kvmDomainJobEnd(obj);
        }
        errorReset();
        domainObjUnlock(obj);
    }
}

void kvmLifecycleReconnectAll(void)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autoptr(GPtrArray) names = NULL;
    int maxID = 0;

    kvmSaveScanManagedImages();
    if (domainStoreListStatus(st->runDir, &names) < 0) {
        VMM_WARN("cannot list running QEMU guests in '%s'", st->runDir);
        errorReset();
        return;
    }
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        int id = kvmReconnectOne(name);

        if (id < 0) {
            const vmmError *err = errorGetLast();

            VMM_WARN("cannot take back guest '%s': %s", name,
                     err && err->message ? err->message : "unknown error");
            errorReset();
            continue;
        }
        VMM_INFO("took back running guest '%s' (id %d)", name, id);
        maxID = MAX(maxID, id);
    }
    /* New ids continue after the ones still in use. */
    while (maxID > 0 && domainObjListNewID(st->domains) < maxID)
        ;
    kvmAutostartAll();
}

/* For kvm_driver_save.c and kvm_driver_resource.c. */
int kvmLifecycleRestoreLocked(domainObj *obj, bool paused, const char *incoming)
{
    return kvmStartFullLocked(obj, paused, incoming);
}

int kvmLifecycleMonitorRun(domainObj *obj, const char *command,
                           const jsonValue *args, jsonValue **ret_reply)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    kvmMonitor *mon = priv->proc ? kvmProcessGetMonitor(priv->proc) : NULL;
    int rc;

    if (!mon) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "QEMU of domain '%s' is not answering", obj->name);
        return -1;
    }
    domainObjUnlock(obj);
    rc = kvmMonitorCommand(mon, command, args, ret_reply);
    domainObjLock(obj);
    return rc;
}

domainObj *kvmLifecycleBeginActive(vmmDomainPtr dom)
{
    return kvmBeginActive(dom);
}

void kvmLifecycleEndAPI(domainObj **obj, bool jobHeld)
{
    kvmEndAPI(obj, jobHeld);
}

/* For the other parts of the driver that change a guest's state under
 * their own job (snapshots): the same steps as the calls above. */
int kvmLifecycleStartLocked(domainObj *obj, bool paused)
{
    return kvmStartLocked(obj, paused);
}

void kvmLifecycleStopLocked(domainObj *obj, int reason, int detail)
{
    kvmStopLocked(obj, reason, detail, 0);
}

void kvmLifecycleSaveStatus(domainObj *obj)
{
    kvmSaveStatus(obj);
}
