/*
 * kvm_driver_state.c: bringing the QEMU driver up inside vmmd (directories,
 * QEMU probe, host capabilities, guests loaded from disk, running guests
 * taken back) and down again, plus the per-guest bookkeeping every domain
 * call shares: private data, the job lock, events, and the progress a
 * long job publishes (vmmDomainGetJobInfo / GetJobStats / AbortJob read
 * it without the job: that is their point).
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "domain_job.h"
#include "domain_store.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_snapshot.h"
#include "kvm_driver_state.h"
#include "node_info.h"
#include "util_error.h"
#include "util_file.h"
#include "util_log.h"

VMM_LOG_INIT("kvm.driver_state");

#define KVM_EMULATOR_NAME "qemu-system-x86_64"
/* How long a call waits for another one's state change on the same guest. */
#define KVM_JOB_WAIT_US (30 * G_TIME_SPAN_SECOND)

static kvmDriverState *kvmDriver;

kvmDriverState *kvmDriverStateGet(void)
{
    return kvmDriver;
}

int kvmDriverActiveCount(void)
{
    return kvmDriver ? domainObjListCount(kvmDriver->domains, true) : 0;
}

int kvmCheckFlags(unsigned int flags, unsigned int allowed)
{
    if (flags & ~allowed) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG, "unsupported flags (0x%x)",
                    flags & ~allowed);
        return -1;
    }
    return 0;
}

static void kvmDomainPrivFree(void *data)
{
    kvmDomainPriv *priv = data;

    if (!priv)
        return;
    /* A QEMU still running is left running (daemon exit). */
    kvmProcessFree(priv->proc);
    g_cond_clear(&priv->jobCond);
    g_mutex_clear(&priv->progressLock);
    g_free(priv->progress.errmsg);
    g_free(priv->completed.errmsg);
    g_free(priv);
}

kvmDomainPriv *kvmDomainPrivGet(domainObj *obj)
{
    if (!obj->privateData) {
        kvmDomainPriv *priv = g_new0(kvmDomainPriv, 1);

        g_cond_init(&priv->jobCond);
        g_mutex_init(&priv->progressLock);
        obj->privateData = priv;
        obj->privateDataFree = kvmDomainPrivFree;
    }
    return obj->privateData;
}

int kvmDomainJobBegin(domainObj *obj)
{
    return kvmDomainJobBeginWait(obj, KVM_JOB_WAIT_US);
}

int kvmDomainJobBeginWait(domainObj *obj, gint64 waitUs)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    gint64 deadline = g_get_monotonic_time() + waitUs;

    while (priv->job) {
        if (!g_cond_wait_until(&priv->jobCond, &obj->lock, deadline)) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                        "cannot acquire state change lock of domain '%s'",
                        obj->name);
            return -1;
        }
    }
    priv->job = true;
    return 0;
}

void kvmDomainJobEnd(domainObj *obj)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);

    priv->job = false;
    g_cond_broadcast(&priv->jobCond);
}

static void kvmJobProgressClear(kvmJobProgress *p)
{
    g_free(p->errmsg);
    memset(p, 0, sizeof(*p));
}

void kvmJobProgressBegin(domainObj *obj, int operation)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);

    g_mutex_lock(&priv->progressLock);
    kvmJobProgressClear(&priv->progress);
    priv->progress.type = VMM_DOMAIN_JOB_BOUNDED;
    priv->progress.operation = operation;
    priv->progress.started = g_get_monotonic_time();
    g_atomic_int_set(&priv->abortRequested, 0);
    g_mutex_unlock(&priv->progressLock);
}

void kvmJobProgressUpdate(domainObj *obj, const vmmDomainJobInfo *info)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    vmmDomainJobInfo *cur = &priv->progress.info;

    g_mutex_lock(&priv->progressLock);
    cur->dataTotal = info->dataTotal;
    cur->dataProcessed = info->dataProcessed;
    cur->dataRemaining = info->dataRemaining;
    cur->memTotal = info->memTotal;
    cur->memProcessed = info->memProcessed;
    cur->memRemaining = info->memRemaining;
    cur->fileTotal = info->fileTotal;
    cur->fileProcessed = info->fileProcessed;
    cur->fileRemaining = info->fileRemaining;
    g_mutex_unlock(&priv->progressLock);
}

/* The elapsed time of @p (lock held) as of now. */
static unsigned long long kvmJobProgressElapsedMs(const kvmJobProgress *p)
{
    return (g_get_monotonic_time() - p->started) / 1000;
}

void kvmJobProgressEnd(domainObj *obj, int type, const char *errmsg)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);

    g_mutex_lock(&priv->progressLock);
    kvmJobProgressClear(&priv->completed);
    /* A running job's progress never holds an errmsg: moving it is a
     * plain copy. */
    priv->completed = priv->progress;
    priv->completed.type = type;
    priv->completed.info.timeElapsed = kvmJobProgressElapsedMs(&priv->progress);
    priv->completed.info.timeRemaining = 0;
    priv->completed.errmsg = g_strdup(errmsg);
    memset(&priv->progress, 0, sizeof(priv->progress));
    g_atomic_int_set(&priv->abortRequested, 0);
    g_mutex_unlock(&priv->progressLock);
}

bool kvmJobAbortRequested(domainObj *obj)
{
    return g_atomic_int_get(&kvmDomainPrivGet(obj)->abortRequested) != 0;
}

/* A copy of the running job's progress (@completed false) or of the last
 * finished job's, taken from @obj (locked). A finished job's is
 * forgotten unless @keep. */
static void kvmJobProgressCopy(domainObj *obj, bool completed, bool keep,
                               kvmJobProgress *ret_copy)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    kvmJobProgress *p = completed ? &priv->completed : &priv->progress;

    g_mutex_lock(&priv->progressLock);
    *ret_copy = *p;
    ret_copy->errmsg = g_strdup(p->errmsg);
    if (!completed && p->type != VMM_DOMAIN_JOB_NONE)
        ret_copy->info.timeElapsed = kvmJobProgressElapsedMs(p);
    if (completed && !keep)
        kvmJobProgressClear(p);
    g_mutex_unlock(&priv->progressLock);
    ret_copy->info.type = ret_copy->type;
}

int kvmDomainGetJobInfo(vmmDomainPtr dom, vmmDomainJobInfoPtr info)
{
    kvmJobProgress copy;
    domainObj *obj;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    kvmJobProgressCopy(obj, false, true, &copy);
    domainObjEndAPI(&obj);
    *info = copy.info;
    g_free(copy.errmsg);
    return 0;
}

int kvmDomainGetJobStats(vmmDomainPtr dom, int *type,
                         vmmTypedParameterPtr *params, int *nparams,
                         unsigned int flags)
{
    typedParamList list = {0};
    kvmJobProgress copy;
    domainObj *obj;

    if (kvmCheckFlags(flags, VMM_DOMAIN_JOB_STATS_COMPLETED |
                                 VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    kvmJobProgressCopy(obj, flags & VMM_DOMAIN_JOB_STATS_COMPLETED,
                       flags & VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED, &copy);
    domainObjEndAPI(&obj);
    domainJobInfoToParams(&copy.info, copy.operation, &list);
    if (copy.type == VMM_DOMAIN_JOB_FAILED && copy.errmsg)
        typedParamListAddString(&list, copy.errmsg, VMM_DOMAIN_JOB_ERRMSG);
    g_free(copy.errmsg);
    *type = copy.type;
    *params = typedParamListSteal(&list, nparams);
    return 0;
}

int kvmDomainAbortJob(vmmDomainPtr dom)
{
    kvmJobProgress copy;
    domainObj *obj;
    int ret = -1;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    kvmJobProgressCopy(obj, false, true, &copy);
    g_free(copy.errmsg);
    if (copy.type == VMM_DOMAIN_JOB_NONE) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "no job is active on the domain");
    } else if (copy.operation == VMM_DOMAIN_JOB_OPERATION_RESTORE) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot abort a restore: destroy the domain instead");
    } else {
        /* The job itself cancels at its next look (kvm_driver_save.c):
         * only it may use the monitor. */
        g_atomic_int_set(&kvmDomainPrivGet(obj)->abortRequested, 1);
        ret = 0;
    }
    domainObjEndAPI(&obj);
    return ret;
}

void kvmDriverEmit(domainObj *obj, int event, int detail)
{
    domainEventStateQueueLifecycle(kvmDriver->events, obj->name, obj->uuid,
                                   obj->id, event, detail);
}

int kvmDriverCheckDef(const domainDef *def, void *opaque)
{
    if (def->virtType != DOMAIN_VIRT_QEMU && def->virtType != DOMAIN_VIRT_KVM) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "domain type '%s' is not supported by the QEMU driver "
                    "(use 'qemu' or 'kvm')",
                    domainVirtTypeToString(def->virtType)
                        ? domainVirtTypeToString(def->virtType)
                        : "none");
        return -1;
    }
    if (def->os.type && strcmp(def->os.type, "hvm") != 0) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "os type '%s' is not supported by the QEMU driver",
                    def->os.type);
        return -1;
    }
    return 0;
}

int kvmDriverSaveDef(domainObj *obj)
{
    return domainStoreSaveDef(kvmDriver->configDir,
                              domainObjGetPersistentDef(obj));
}

domainObj *kvmDomainObjFromHandle(vmmDomainPtr dom)
{
    return domainObjListFindByUUID(kvmDriver->domains, dom->uuid);
}

vmmDomainPtr kvmDomainHandle(vmmConnectPtr conn, domainObj *obj)
{
    return domainHandleNew(conn, obj->name, obj->uuid, obj->id);
}

/* Host capabilities plus one x86_64 hvm guest for what QEMU offers. */
static caps *kvmDriverBuildCaps(kvmDriverState *st)
{
    caps *c = nodeCapsNewHost();
    g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func(g_free);
    capsGuest *guest;

    if (!c)
        return NULL;
    if (!st->emulator)
        return c;
    if (st->qemuCaps) {
        const char *def = kvmCapsGetDefaultMachine(st->qemuCaps);
        const char *aliases[] = {"pc", "q35"};

        if (def)
            g_ptr_array_add(machines, g_strdup(def));
        for (size_t i = 0; i < G_N_ELEMENTS(aliases); i++) {
            const char *canon = kvmCapsResolveMachine(st->qemuCaps, aliases[i]);

            if (canon && strcmp(canon, aliases[i]) != 0) {
                if (!def || strcmp(canon, def) != 0)
                    g_ptr_array_add(machines, g_strdup(canon));
                g_ptr_array_add(machines,
                                g_strdup_printf("%s=%s", aliases[i], canon));
            }
        }
    }
    g_ptr_array_add(machines, NULL);
    guest = capsAddGuest(c, "hvm", "x86_64", 64, st->emulator, NULL,
                         (const char *const *)machines->pdata);
    capsGuestAddDomain(guest, "qemu", NULL, NULL);
    if (st->qemuCaps && kvmCapsHasKVM(st->qemuCaps))
        capsGuestAddDomain(guest, "kvm", NULL, NULL);
    capsGuestAddFeature(guest, "acpi", "on", "yes");
    capsGuestAddFeature(guest, "apic", "on", "no");
    return c;
}

/* Probes QEMU once (cached under the state dir); the driver still works
 * for definitions without it. */
static void kvmDriverProbe(kvmDriverState *st)
{
    g_autofree char *cacheDir = fileBuildPath(st->stateDir, "capabilities");

    st->emulator = g_find_program_in_path(KVM_EMULATOR_NAME);
    st->capsCache = kvmCapsCacheNew(cacheDir);
    if (!st->emulator) {
        VMM_WARN("%s not found: QEMU guests cannot be started",
                 KVM_EMULATOR_NAME);
        return;
    }
    if (kvmCapsCacheLookup(st->capsCache, st->emulator, &st->qemuCaps) < 0) {
        const vmmError *err = errorGetLast();

        VMM_WARN("cannot probe '%s': %s", st->emulator,
                 err && err->message ? err->message : "unknown error");
        errorReset();
    }
}

static int kvmDriverLoadDefs(kvmDriverState *st)
{
    g_autoptr(GPtrArray) skipped = NULL;

    if (domainStoreLoadAll(st->configDir, st->domains, kvmDriverCheckDef, NULL,
                           &skipped) < 0)
        return -1;
    for (guint i = 0; i < skipped->len; i++)
        VMM_WARN("skipping domain definition %s",
                 (const char *)g_ptr_array_index(skipped, i));
    return 0;
}

static void kvmDriverStateFree(kvmDriverState *st)
{
    if (!st)
        return;
    /* Guests first: their monitors may still deliver events. */
    domainObjListFree(st->domains);
    domainEventStateFree(st->events);
    if (st->qemuCaps)
        kvmCapsUnref(st->qemuCaps);
    kvmCapsCacheFree(st->capsCache);
    capsFree(st->hostCaps);
    g_free(st->configDir);
    g_free(st->runDir);
    g_free(st->stateDir);
    g_free(st->logDir);
    g_free(st->emulator);
    g_free(st);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kvmDriverState, kvmDriverStateFree)

int kvmDriverStateInitialize(const kvmDriverConfig *cfg)
{
    g_autoptr(kvmDriverState) st = g_new0(kvmDriverState, 1);

    st->configDir = g_strdup(cfg->configDir);
    st->runDir = g_strdup(cfg->runDir);
    st->stateDir = g_strdup(cfg->stateDir);
    st->logDir = g_strdup(cfg->logDir);
    st->domains = domainObjListNew();
    st->events = domainEventStateNew();
    if (fileMakePath(st->configDir, 0700) < 0 ||
        fileMakePath(st->runDir, 0700) < 0 ||
        fileMakePath(st->stateDir, 0700) < 0 ||
        fileMakePath(st->logDir, 0700) < 0)
        return -1;
    kvmDriverProbe(st);
    st->procCfg.runDir = st->runDir;
    st->procCfg.logDir = st->logDir;
    st->procCfg.defaultEmulator = st->emulator;
    if (!(st->hostCaps = kvmDriverBuildCaps(st)) || kvmDriverLoadDefs(st) < 0)
        return -1;
    kvmDriver = g_steal_pointer(&st);
    kvmLifecycleReconnectAll();
    kvmSnapshotLoadAll();
    VMM_INFO("QEMU driver ready: %d guests defined, %d running",
             domainObjListCount(kvmDriver->domains, false) +
                 domainObjListCount(kvmDriver->domains, true),
             domainObjListCount(kvmDriver->domains, true));
    return 0;
}

void kvmDriverStateCleanup(void)
{
    if (kvmDriver)
        kvmLifecycleDrain();
    g_clear_pointer(&kvmDriver, kvmDriverStateFree);
}
