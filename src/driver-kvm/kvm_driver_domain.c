/*
 * kvm_driver_domain.c: the QEMU driver's domain calls that leave QEMU
 * alone: listing, lookup, define / undefine (written through to the config
 * dir by domain_store), XML, metadata, autostart, the is-* questions, and
 * the stored memory / vCPU numbers. Starting and stopping QEMU is
 * kvm_driver_lifecycle.c.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "domain_store.h"
#include "kvm_driver_domain.h"
#include "kvm_driver_save.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_snapshot.h"
#include "kvm_driver_state.h"
#include "util_error.h"

/* QEMU's limit for an i440fx / q35 guest is far above what a test needs;
 * this is what the driver accepts in a definition. */
#define KVM_MAX_VCPUS 255

static domainObjList *kvmDomains(void)
{
    return kvmDriverStateGet()->domains;
}

int kvmConnectListAllDomains(vmmConnectPtr conn, vmmDomainPtr **domains,
                             unsigned int flags)
{
    g_autoptr(GPtrArray) objs = NULL;
    vmmDomainPtr *list;

    if (domainObjListCollect(kvmDomains(), flags, &objs) < 0)
        return -1;
    if (!domains)
        return objs->len;
    list = g_new0(vmmDomainPtr, objs->len + 1);
    for (guint i = 0; i < objs->len; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        domainObjLock(obj);
        list[i] = kvmDomainHandle(conn, obj);
        domainObjUnlock(obj);
    }
    *domains = list;
    return objs->len;
}

int kvmConnectNumOfDomains(vmmConnectPtr conn)
{
    return domainObjListCount(kvmDomains(), true);
}

int kvmConnectListDomains(vmmConnectPtr conn, int *ids, int maxids)
{
    return domainObjListGetActiveIDs(kvmDomains(), ids, maxids);
}

int kvmConnectNumOfDefinedDomains(vmmConnectPtr conn)
{
    return domainObjListCount(kvmDomains(), false);
}

int kvmConnectListDefinedDomains(vmmConnectPtr conn, char **const names,
                                 int maxnames)
{
    return domainObjListGetInactiveNames(kvmDomains(), names, maxnames);
}

vmmDomainPtr kvmHandleAndRelease(vmmConnectPtr conn, domainObj *obj)
{
    vmmDomainPtr dom;

    if (!obj)
        return NULL;
    dom = kvmDomainHandle(conn, obj);
    domainObjEndAPI(&obj);
    return dom;
}

vmmDomainPtr kvmDomainLookupByName(vmmConnectPtr conn, const char *name)
{
    return kvmHandleAndRelease(conn,
                               domainObjListFindByName(kvmDomains(), name));
}

vmmDomainPtr kvmDomainLookupByUUID(vmmConnectPtr conn,
                                   const unsigned char *uuid)
{
    return kvmHandleAndRelease(conn,
                               domainObjListFindByUUID(kvmDomains(), uuid));
}

vmmDomainPtr kvmDomainLookupByID(vmmConnectPtr conn, int id)
{
    return kvmHandleAndRelease(conn, domainObjListFindByID(kvmDomains(), id));
}

/* Fills in what libvirt's QEMU driver fills in at define time, from the
 * probed emulator: <emulator>, the architecture, and the canonical machine
 * type (an alias like "pc" becomes "pc-i440fx-7.2"). */
static int kvmFillDefaults(domainDef *def)
{
    kvmDriverState *st = kvmDriverStateGet();
    const char *machine;

    if (!def->devices.emulator && st->emulator)
        def->devices.emulator = g_strdup(st->emulator);
    if (!def->os.arch)
        def->os.arch = g_strdup("x86_64");
    if (!st->qemuCaps || !def->devices.emulator ||
        strcmp(def->devices.emulator, kvmCapsGetBinary(st->qemuCaps)) != 0)
        return 0;
    if (!def->os.machine) {
        machine = kvmCapsGetDefaultMachine(st->qemuCaps);
    } else if (!(machine =
                     kvmCapsResolveMachine(st->qemuCaps, def->os.machine))) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "emulator '%s' does not support machine type '%s'",
                    def->devices.emulator, def->os.machine);
        return -1;
    }
    if (machine) {
        g_free(def->os.machine);
        def->os.machine = g_strdup(machine);
    }
    return 0;
}

domainDef *kvmParseDef(const char *xml, bool validate)
{
    g_autoptr(domainDef) def =
        domainDefParseString(xml, validate ? DOMAIN_DEF_PARSE_VALIDATE : 0);

    if (!def || kvmDriverCheckDef(def, NULL) < 0 || kvmFillDefaults(def) < 0)
        return NULL;
    if (def->vcpus > KVM_MAX_VCPUS) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "maximum vCPUs (%u) exceeds the limit of %d", def->vcpus,
                    KVM_MAX_VCPUS);
        return NULL;
    }
    return g_steal_pointer(&def);
}

/* Undoes a define that could not be written: the object goes back to its
 * old definition, or out of the list when it is new. */
static void kvmDefineRollback(domainObj *obj, domainDef **oldDef,
                              bool wasPersistent)
{
    if (!*oldDef) {
        if (domainObjIsActive(obj)) {
            obj->persistent = wasPersistent;
            g_clear_pointer(&obj->newDef, domainDefFree);
            obj->updated = false;
        } else
            domainObjListRemove(kvmDomains(), obj);
        return;
    }
    if (obj->newDef) {
        domainDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(oldDef);
    } else {
        domainDefFree(obj->def);
        obj->def = g_steal_pointer(oldDef);
    }
}

vmmDomainPtr kvmDomainDefineXMLFlags(vmmConnectPtr conn, const char *xml,
                                     unsigned int flags)
{
    g_autoptr(domainDef) def = NULL;
    g_autoptr(domainDef) oldDef = NULL;
    domainObj *obj;
    bool wasPersistent;

    if (kvmCheckFlags(flags, VMM_DOMAIN_DEFINE_VALIDATE) < 0)
        return NULL;
    if (!(def = kvmParseDef(xml, flags & VMM_DOMAIN_DEFINE_VALIDATE)))
        return NULL;
    if (!(obj = domainObjListAdd(kvmDomains(), &def, 0, &oldDef)))
        return NULL;
    wasPersistent = obj->persistent;
    obj->persistent = true;
    /* On disk before the caller hears "defined": it must survive kill -9. */
    if (kvmDriverSaveDef(obj) < 0) {
        kvmDefineRollback(obj, &oldDef, wasPersistent);
        domainObjEndAPI(&obj);
        return NULL;
    }
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_DEFINED,
                  oldDef ? VMM_DOMAIN_EVENT_DEFINED_UPDATED
                         : VMM_DOMAIN_EVENT_DEFINED_ADDED);
    return kvmHandleAndRelease(conn, obj);
}

int kvmDomainUndefineFlags(vmmDomainPtr dom, unsigned int flags)
{
    kvmDriverState *st = kvmDriverStateGet();
    domainObj *obj;

    if (kvmCheckFlags(flags, VMM_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                 VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                 VMM_DOMAIN_UNDEFINE_NVRAM |
                                 VMM_DOMAIN_UNDEFINE_KEEP_NVRAM |
                                 VMM_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    /* Not while a start is under way (it runs with the object unlocked). */
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    if (!obj->persistent) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot undefine transient domain");
        kvmDomainJobEnd(obj);
        domainObjEndAPI(&obj);
        return -1;
    }
    if (kvmSaveCheckUndefine(obj, flags & VMM_DOMAIN_UNDEFINE_MANAGED_SAVE) <
            0 ||
        kvmSnapshotCheckUndefine(
            obj, flags & VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0 ||
        domainStoreDeleteDef(st->configDir, obj->name) < 0) {
        kvmDomainJobEnd(obj);
        domainObjEndAPI(&obj);
        return -1;
    }
    obj->autostart = false;
    kvmSnapshotDropAll(obj);
    kvmDriverEmit(obj, VMM_DOMAIN_EVENT_UNDEFINED,
                  VMM_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (domainObjIsActive(obj)) {
        /* It keeps running, now transient: gone once it stops. */
        obj->persistent = false;
        obj->updated = false;
        g_clear_pointer(&obj->newDef, domainDefFree);
    } else {
        domainObjListRemove(kvmDomains(), obj);
    }
    kvmDomainJobEnd(obj);
    domainObjEndAPI(&obj);
    return 0;
}

char *kvmDomainGetXMLDesc(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    const domainDef *def;
    int id = -1;
    char *xml;

    if (kvmCheckFlags(flags, VMM_DOMAIN_XML_SECURE | VMM_DOMAIN_XML_INACTIVE |
                                 VMM_DOMAIN_XML_UPDATE_CPU |
                                 VMM_DOMAIN_XML_MIGRATABLE) < 0)
        return NULL;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return NULL;
    if (flags & VMM_DOMAIN_XML_INACTIVE) {
        def = domainObjGetPersistentDef(obj);
    } else {
        def = obj->def;
        id = obj->id;
    }
    xml = domainDefFormat(
        def, id,
        (flags & VMM_DOMAIN_XML_SECURE) ? DOMAIN_DEF_FORMAT_SECURE : 0);
    domainObjEndAPI(&obj);
    return xml;
}

char *kvmDomainGetOSType(vmmDomainPtr dom)
{
    domainObj *obj;
    char *type;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return NULL;
    type = g_strdup(obj->def->os.type ? obj->def->os.type : "hvm");
    domainObjEndAPI(&obj);
    return type;
}

static char **kvmMetadataField(domainDef *def, int type)
{
    return type == VMM_DOMAIN_METADATA_TITLE ? &def->title : &def->description;
}

static int kvmCheckMetadataType(int type, const char *metadata)
{
    if (type == VMM_DOMAIN_METADATA_ELEMENT) {
        errorReport(KVM_ERR, VMM_ERR_ARGUMENT_UNSUPPORTED,
                    "metadata elements are not supported by the QEMU driver "
                    "yet");
        return -1;
    }
    if (type != VMM_DOMAIN_METADATA_TITLE &&
        type != VMM_DOMAIN_METADATA_DESCRIPTION) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG, "unknown metadata type '%d'",
                    type);
        return -1;
    }
    if (type == VMM_DOMAIN_METADATA_TITLE && metadata &&
        strchr(metadata, '\n')) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "Domain title can't contain newlines");
        return -1;
    }
    return 0;
}

static void kvmSetMetadataField(domainDef *def, int type, const char *metadata)
{
    char **field;

    if (!def)
        return;
    field = kvmMetadataField(def, type);
    g_free(*field);
    *field = (metadata && *metadata) ? g_strdup(metadata) : NULL;
}

int kvmDomainSetMetadata(vmmDomainPtr dom, int type, const char *metadata,
                         const char *key, const char *uri, unsigned int flags)
{
    domainObj *obj;
    domainDef *live;
    domainDef *config;
    int ret = 0;

    if (kvmCheckFlags(flags,
                      VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG) < 0 ||
        kvmCheckMetadataType(type, metadata) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (domainObjGetDefs(obj, flags, true, &live, &config) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    kvmSetMetadataField(live, type, metadata);
    kvmSetMetadataField(config, type, metadata);
    if (config)
        ret = kvmDriverSaveDef(obj);
    domainObjEndAPI(&obj);
    return ret;
}

char *kvmDomainGetMetadata(vmmDomainPtr dom, int type, const char *uri,
                           unsigned int flags)
{
    domainObj *obj;
    domainDef *def;
    char *value = NULL;

    if (kvmCheckFlags(flags,
                      VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG) < 0 ||
        kvmCheckMetadataType(type, NULL) < 0)
        return NULL;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return NULL;
    if ((def = domainObjGetOneDef(obj, flags))) {
        value = g_strdup(*kvmMetadataField(def, type));
        if (!value)
            errorReport(KVM_ERR, VMM_ERR_NO_DOMAIN_METADATA,
                        "Requested metadata element is not present");
    }
    domainObjEndAPI(&obj);
    return value;
}

int kvmDomainGetAutostart(vmmDomainPtr dom, int *autostart)
{
    domainObj *obj;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    *autostart = obj->autostart;
    domainObjEndAPI(&obj);
    return 0;
}

int kvmDomainSetAutostart(vmmDomainPtr dom, int autostart)
{
    domainObj *obj;
    int ret = -1;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (!obj->persistent) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot set autostart for transient domain");
    } else if (domainStoreSetAutostart(kvmDriverStateGet()->configDir,
                                       obj->name, autostart != 0) == 0) {
        obj->autostart = autostart != 0;
        ret = 0;
    }
    domainObjEndAPI(&obj);
    return ret;
}

static int kvmDomainAsk(vmmDomainPtr dom, domainObjProperty what)
{
    domainObj *obj;
    int ret;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    ret = domainObjHas(obj, what) ? 1 : 0;
    domainObjEndAPI(&obj);
    return ret;
}

int kvmDomainIsActive(vmmDomainPtr dom)
{
    return kvmDomainAsk(dom, DOMAIN_OBJ_ACTIVE);
}

int kvmDomainIsPersistent(vmmDomainPtr dom)
{
    return kvmDomainAsk(dom, DOMAIN_OBJ_PERSISTENT);
}

int kvmDomainIsUpdated(vmmDomainPtr dom)
{
    return kvmDomainAsk(dom, DOMAIN_OBJ_UPDATED);
}

static unsigned long long kvmCurrentMemory(const domainDef *def)
{
    return def->currentMemory ? def->currentMemory : def->memory;
}

int kvmDomainGetInfo(vmmDomainPtr dom, vmmDomainInfoPtr info)
{
    domainObj *obj;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    info->state = obj->state;
    info->maxMem = obj->def->memory;
    info->memory = kvmCurrentMemory(obj->def);
    info->nrVirtCpu = obj->def->vcpusCurrent;
    info->cpuTime = kvmLifecycleCPUTime(obj);
    domainObjEndAPI(&obj);
    return 0;
}

int kvmDomainGetState(vmmDomainPtr dom, int *state, int *reason,
                      unsigned int flags)
{
    domainObj *obj;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    *state = obj->state;
    if (reason)
        *reason = obj->reason;
    domainObjEndAPI(&obj);
    return 0;
}

unsigned long kvmDomainGetMaxMemory(vmmDomainPtr dom)
{
    domainObj *obj;
    unsigned long memory;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return 0;
    memory = obj->def->memory;
    domainObjEndAPI(&obj);
    return memory;
}

/* Only the stored definition changes here: the running QEMU is changed by
 * kvm_driver_resource.c (balloon) and kvm_driver_vcpu.c (hotplug), which
 * call this for the --config half. */
static int kvmGetConfigOnly(domainObj *obj, unsigned int flags,
                            domainDef **ret_config)
{
    domainDef *live;
    domainDef *config;

    if (domainObjGetDefs(obj, flags, false, &live, &config) < 0)
        return -1;
    if (live) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "changing a running QEMU guest is not supported yet: "
                    "use --config");
        return -1;
    }
    domainObjGetDefs(obj, flags, true, &live, &config);
    *ret_config = config;
    return 0;
}

static int kvmSetMemoryLocked(domainObj *obj, unsigned long memory,
                              unsigned int flags)
{
    domainDef *def;

    if (kvmGetConfigOnly(obj, flags, &def) < 0)
        return -1;
    if (flags & VMM_DOMAIN_MEM_MAXIMUM) {
        def->memory = memory;
        if (kvmCurrentMemory(def) > memory)
            def->currentMemory = memory;
    } else if (memory > def->memory) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "cannot set memory higher than max memory");
        return -1;
    } else {
        def->currentMemory = memory;
    }
    return kvmDriverSaveDef(obj);
}

int kvmDomainSetMemoryFlags(vmmDomainPtr dom, unsigned long memory,
                            unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, VMM_DOMAIN_MEM_LIVE | VMM_DOMAIN_MEM_CONFIG |
                                 VMM_DOMAIN_MEM_MAXIMUM) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    ret = kvmSetMemoryLocked(obj, memory, flags);
    domainObjEndAPI(&obj);
    return ret;
}

int kvmDomainSetMaxMemory(vmmDomainPtr dom, unsigned long memory)
{
    return kvmDomainSetMemoryFlags(dom, memory, VMM_DOMAIN_MEM_MAXIMUM);
}

static int kvmSetVcpusLocked(domainObj *obj, unsigned int nvcpus,
                             unsigned int flags)
{
    domainDef *def;

    if (kvmGetConfigOnly(obj, flags, &def) < 0)
        return -1;
    if (flags & VMM_DOMAIN_VCPU_MAXIMUM) {
        def->vcpus = nvcpus;
        if (def->vcpusCurrent > nvcpus)
            def->vcpusCurrent = nvcpus;
    } else if (nvcpus > def->vcpus) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "requested cpu amount exceeds maximum (%u > %u)", nvcpus,
                    def->vcpus);
        return -1;
    } else {
        def->vcpusCurrent = nvcpus;
    }
    return kvmDriverSaveDef(obj);
}

int kvmDomainSetVcpusFlags(vmmDomainPtr dom, unsigned int nvcpus,
                           unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, VMM_DOMAIN_VCPU_LIVE | VMM_DOMAIN_VCPU_CONFIG |
                                 VMM_DOMAIN_VCPU_MAXIMUM) < 0)
        return -1;
    if (nvcpus == 0 || nvcpus > KVM_MAX_VCPUS) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "vCPU count must be between 1 and %d", KVM_MAX_VCPUS);
        return -1;
    }
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    ret = kvmSetVcpusLocked(obj, nvcpus, flags);
    domainObjEndAPI(&obj);
    return ret;
}

int kvmDomainGetVcpusFlags(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    domainDef *def;
    int ret = -1;

    if (kvmCheckFlags(flags, VMM_DOMAIN_VCPU_LIVE | VMM_DOMAIN_VCPU_CONFIG |
                                 VMM_DOMAIN_VCPU_MAXIMUM) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if ((def = domainObjGetOneDef(obj, flags)))
        ret =
            (flags & VMM_DOMAIN_VCPU_MAXIMUM) ? def->vcpus : def->vcpusCurrent;
    domainObjEndAPI(&obj);
    return ret;
}

int kvmDomainGetMaxVcpus(vmmDomainPtr dom)
{
    return kvmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_LIVE |
                                           VMM_DOMAIN_VCPU_MAXIMUM);
}

int kvmConnectGetMaxVcpus(vmmConnectPtr conn, const char *type)
{
    return KVM_MAX_VCPUS;
}
