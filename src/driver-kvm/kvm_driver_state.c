/*
 * kvm_driver_state.c: bringing the QEMU driver up inside vmmd (directories,
 * QEMU probe, host capabilities, guests loaded from disk, running guests
 * taken back) and down again, plus the per-guest bookkeeping every domain
 * call shares: private data, the job lock, events.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
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
    g_free(priv);
}

kvmDomainPriv *kvmDomainPrivGet(domainObj *obj)
{
    if (!obj->privateData) {
        kvmDomainPriv *priv = g_new0(kvmDomainPriv, 1);

        g_cond_init(&priv->jobCond);
        obj->privateData = priv;
        obj->privateDataFree = kvmDomainPrivFree;
    }
    return obj->privateData;
}

int kvmDomainJobBegin(domainObj *obj)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    gint64 deadline = g_get_monotonic_time() + KVM_JOB_WAIT_US;

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
