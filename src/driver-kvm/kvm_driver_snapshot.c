/*
 * kvm_driver_snapshot.c: internal snapshots of QEMU guests whose writable
 * disks are all qcow2 files. A running or paused guest is snapshotted by
 * QEMU itself (HMP savevm / loadvm / delvm through QMP, memory included);
 * a shut-off one with qemu-img on each disk image. What the driver knows
 * of a snapshot (its record: state, time, the definition at that time)
 * lives in STATEDIR/snapshot/DOMAIN/NAME.xml, written atomically.
 *
 * The snapshot taken or reverted to last is the domain's current one
 * (its name in STATEDIR/snapshot/DOMAIN/.current) and the parent of the
 * next one taken. Not handled here: external snapshots, and deleting a
 * snapshot together with its children.
 */
#include <config.h>

#include <string.h>

#include <glib/gstdio.h>

#include "datatypes.h"
#include "domain_store.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_snapshot.h"
#include "kvm_driver_state.h"
#include "kvm_monitor.h"
#include "snapshot_conf.h"
#include "util_command.h"
#include "util_error.h"
#include "util_file.h"
#include "util_log.h"

VMM_LOG_INIT("kvm.snapshot");

/* Longest snapshot record read back. */
#define KVM_SNAPSHOT_XML_MAX (1024 * 1024)

/* ---- Records on disk ---- */

static char *kvmSnapshotDir(const char *domName)
{
    g_autofree char *top =
        fileBuildPath(kvmDriverStateGet()->stateDir, "snapshot");

    return fileBuildPath(top, domName);
}

static char *kvmSnapshotPath(const char *domName, const char *snapName)
{
    g_autofree char *dir = kvmSnapshotDir(domName);
    g_autofree char *file = g_strdup_printf("%s.xml", snapName);

    return fileBuildPath(dir, file);
}

static bool kvmSnapshotExists(const char *domName, const char *snapName)
{
    g_autofree char *path = kvmSnapshotPath(domName, snapName);

    return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* The record of @snapName, or NULL with VMM_ERR_NO_DOMAIN_SNAPSHOT when
 * there is none. */
static snapshotDef *kvmSnapshotRead(const char *domName, const char *snapName)
{
    g_autofree char *path = NULL;
    g_autofree char *xml = NULL;

    if (!snapshotNameIsValid(snapName))
        return NULL;
    if (!kvmSnapshotExists(domName, snapName)) {
        errorReport(VMM_FROM_DOMAIN_SNAPSHOT, VMM_ERR_NO_DOMAIN_SNAPSHOT,
                    "no domain snapshot with matching name '%s'", snapName);
        return NULL;
    }
    path = kvmSnapshotPath(domName, snapName);
    if (fileReadAll(path, KVM_SNAPSHOT_XML_MAX, &xml, NULL) < 0)
        return NULL;
    return snapshotDefParseString(xml, true);
}

static int kvmSnapshotWrite(const char *domName, const snapshotDef *def)
{
    g_autofree char *dir = kvmSnapshotDir(domName);
    g_autofree char *path = kvmSnapshotPath(domName, def->name);
    g_autofree char *xml = snapshotDefFormat(def, DOMAIN_DEF_FORMAT_SECURE);

    if (!xml || fileMakePath(dir, 0700) < 0)
        return -1;
    return fileWriteAtomic(path, xml, strlen(xml), 0600);
}

static int kvmSnapshotRemoveRecord(const char *domName, const char *snapName)
{
    g_autofree char *path = kvmSnapshotPath(domName, snapName);
    g_autofree char *dir = kvmSnapshotDir(domName);

    if (fileRemoveIfExists(path) < 0)
        return -1;
    /* The directory goes with the last record; not empty is fine. */
    g_rmdir(dir);
    return 0;
}

static gint kvmSnapshotNameCompare(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of @domName's records, sorted. */
static GPtrArray *kvmSnapshotNames(const char *domName)
{
    g_autofree char *dir = kvmSnapshotDir(domName);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *entry;

    while (d && (entry = g_dir_read_name(d))) {
        if (entry[0] != '.' && g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names,
                            g_strndup(entry, strlen(entry) - strlen(".xml")));
    }
    g_ptr_array_sort(names, kvmSnapshotNameCompare);
    return g_steal_pointer(&names);
}

static char *kvmSnapshotCurrentPath(const char *domName)
{
    g_autofree char *dir = kvmSnapshotDir(domName);

    return fileBuildPath(dir, ".current");
}

/* The name of @domName's current snapshot, NULL when it has none. */
static char *kvmSnapshotCurrentGet(const char *domName)
{
    g_autofree char *path = kvmSnapshotCurrentPath(domName);
    g_autofree char *name = NULL;

    if (!g_file_get_contents(path, &name, NULL, NULL))
        return NULL;
    g_strstrip(name);
    if (!name[0] || !kvmSnapshotExists(domName, name))
        return NULL;
    return g_steal_pointer(&name);
}

/* Makes @name (NULL: none) the current snapshot. Not fatal: a stale
 * current snapshot is only a wrong parent for the next one. */
static void kvmSnapshotCurrentSet(const char *domName, const char *name)
{
    g_autofree char *path = kvmSnapshotCurrentPath(domName);
    int rc = name ? fileWriteAtomic(path, name, strlen(name), 0600)
                  : fileRemoveIfExists(path);

    if (rc < 0) {
        VMM_WARN("cannot record the current snapshot of '%s'", domName);
        errorReset();
    }
}

void kvmSnapshotLoadAll(void)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autoptr(GPtrArray) objs = NULL;

    if (domainObjListCollect(st->domains, 0, &objs) < 0) {
        errorReset();
        return;
    }
    for (guint i = 0; i < objs->len; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);
        g_autoptr(GPtrArray) names = kvmSnapshotNames(obj->name);

        domainObjLock(obj);
        obj->nsnapshots = names->len;
        domainObjUnlock(obj);
    }
}

int kvmSnapshotCheckUndefine(domainObj *obj, bool dropMetadata)
{
    if (obj->nsnapshots == 0 || dropMetadata)
        return 0;
    errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                "cannot delete inactive domain with %u snapshots",
                obj->nsnapshots);
    return -1;
}

void kvmSnapshotDropAll(domainObj *obj)
{
    g_autoptr(GPtrArray) names = kvmSnapshotNames(obj->name);

    kvmSnapshotCurrentSet(obj->name, NULL);
    for (guint i = 0; i < names->len; i++) {
        if (kvmSnapshotRemoveRecord(obj->name, g_ptr_array_index(names, i)) <
            0) {
            VMM_WARN("cannot remove snapshot record of '%s'", obj->name);
            errorReset();
        }
    }
    obj->nsnapshots = 0;
}

/* ---- Disks ---- */

/* The image files that hold the snapshots of @def: every writable disk,
 * each of which must be a qcow2 file (or the snapshot could not be
 * taken whole). */
static int kvmSnapshotImages(const domainDef *def, GPtrArray **ret_images)
{
    g_autoptr(GPtrArray) images = g_ptr_array_new();

    for (guint i = 0; def->devices.disks && i < def->devices.disks->len; i++) {
        const domainDiskDef *disk = g_ptr_array_index(def->devices.disks, i);

        if (disk->readonly || !disk->src ||
            disk->device == DOMAIN_DISK_DEVICE_CDROM ||
            disk->device == DOMAIN_DISK_DEVICE_FLOPPY)
            continue;
        if (disk->type != DOMAIN_DISK_TYPE_FILE || !disk->driverType ||
            !g_str_equal(disk->driverType, "qcow2")) {
            errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                        "internal snapshots need qcow2 image files, disk "
                        "'%s' is not one",
                        disk->dst ? disk->dst : "");
            return -1;
        }
        g_ptr_array_add(images, disk->src);
    }
    if (images->len == 0) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "domain '%s' has no writable qcow2 disk to hold a "
                    "snapshot",
                    def->name);
        return -1;
    }
    *ret_images = g_steal_pointer(&images);
    return 0;
}

/* qemu-img snapshot @op (-c, -a, -d) @name on every image. */
static int kvmSnapshotImagesRun(GPtrArray *images, const char *op,
                                const char *name)
{
    for (guint i = 0; i < images->len; i++) {
        g_autoptr(cmdDef) cmd = cmdNew("qemu-img");

        cmdAddArgList(cmd, "snapshot", op, name,
                      (const char *)g_ptr_array_index(images, i), NULL);
        if (cmdRun(cmd, NULL) < 0)
            return -1;
    }
    return 0;
}

/* ---- QEMU ---- */

/* Runs HMP @verb @name in the QEMU of @obj (locked, job held, active)
 * with the object unlocked meanwhile. These commands answer nothing on
 * success and their error text otherwise. */
static int kvmSnapshotMonitor(domainObj *obj, const char *verb,
                              const char *name)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    kvmMonitor *mon = priv->proc ? kvmProcessGetMonitor(priv->proc) : NULL;
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(jsonValue) reply = NULL;
    g_autofree char *line = g_strdup_printf("%s %s", verb, name);
    const char *text;
    int rc;

    if (!mon) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "QEMU of domain '%s' is not answering", obj->name);
        return -1;
    }
    jsonObjectAppendString(args, "command-line", line);
    domainObjUnlock(obj);
    rc = kvmMonitorCommand(mon, "human-monitor-command", args, &reply);
    domainObjLock(obj);
    if (rc < 0)
        return -1;
    text = reply ? jsonValueGetString(reply) : NULL;
    if (text && *text) {
        g_autofree char *msg = g_strstrip(g_strdup(text));

        errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED, "%s of '%s' failed: %s",
                    verb, name, msg);
        return -1;
    }
    return 0;
}

/* Sends a plain QMP command (stop, cont) to the QEMU of @obj. */
static int kvmSnapshotQMP(domainObj *obj, const char *command)
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
    rc = kvmMonitorCommand(mon, command, NULL, NULL);
    domainObjLock(obj);
    return rc;
}

/* ---- Taking the job ---- */

/* The domain behind @dom, locked and with its job held. */
static domainObj *kvmSnapshotBegin(vmmDomainPtr dom)
{
    domainObj *obj = kvmDomainObjFromHandle(dom);

    if (!obj)
        return NULL;
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

static void kvmSnapshotEnd(domainObj **obj)
{
    kvmDomainJobEnd(*obj);
    if (!(*obj)->persistent && !domainObjIsActive(*obj))
        domainObjListRemove(kvmDriverStateGet()->domains, *obj);
    domainObjEndAPI(obj);
}

/* ---- Create ---- */

/* Takes the snapshot @def describes of @obj (locked, job held) and
 * completes @def with what the record keeps. */
static int kvmSnapshotTake(domainObj *obj, snapshotDef *def)
{
    g_autoptr(GPtrArray) images = NULL;

    if (obj->state != VMM_DOMAIN_RUNNING && obj->state != VMM_DOMAIN_PAUSED &&
        obj->state != VMM_DOMAIN_SHUTOFF) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot snapshot domain '%s' in its current state",
                    obj->name);
        return -1;
    }
    if (kvmSnapshotImages(obj->def, &images) < 0)
        return -1;
    def->state = obj->state;
    def->parent = kvmSnapshotCurrentGet(obj->name);
    def->creationTime = g_get_real_time() / G_USEC_PER_SEC;
    def->dom = domainDefCopy(obj->def);
    if (domainObjIsActive(obj))
        return kvmSnapshotMonitor(obj, "savevm", def->name);
    return kvmSnapshotImagesRun(images, "-c", def->name);
}

/* Forgets the snapshot just taken when its record cannot be written. */
static void kvmSnapshotUndoTake(domainObj *obj, const snapshotDef *def)
{
    g_autoptr(vmmError) saved = errorSave();
    g_autoptr(GPtrArray) images = NULL;
    int rc = -1;

    if (domainObjIsActive(obj))
        rc = kvmSnapshotMonitor(obj, "delvm", def->name);
    else if (kvmSnapshotImages(obj->def, &images) == 0)
        rc = kvmSnapshotImagesRun(images, "-d", def->name);
    if (rc < 0)
        VMM_WARN("snapshot '%s' of '%s' left in its images", def->name,
                 obj->name);
    errorRestore(&saved);
}

vmmDomainSnapshotPtr kvmDomainSnapshotCreateXML(vmmDomainPtr dom,
                                                const char *xml,
                                                unsigned int flags)
{
    g_autoptr(snapshotDef) def = NULL;
    domainObj *obj;
    vmmDomainSnapshotPtr snap = NULL;

    if (kvmCheckFlags(flags, 0) < 0)
        return NULL;
    if (!(def = snapshotDefParseString(xml, false)))
        return NULL;
    if (!(obj = kvmSnapshotBegin(dom)))
        return NULL;
    if (kvmSnapshotExists(obj->name, def->name)) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "snapshot '%s' of domain '%s' already exists", def->name,
                    obj->name);
    } else if (kvmSnapshotTake(obj, def) == 0) {
        if (kvmSnapshotWrite(obj->name, def) < 0) {
            kvmSnapshotUndoTake(obj, def);
        } else {
            obj->nsnapshots++;
            kvmSnapshotCurrentSet(obj->name, def->name);
            snap = snapshotHandleNew(dom, def->name);
        }
    }
    kvmSnapshotEnd(&obj);
    return snap;
}

/* ---- Look-ups ---- */

vmmDomainSnapshotPtr kvmDomainSnapshotLookupByName(vmmDomainPtr dom,
                                                   const char *name,
                                                   unsigned int flags)
{
    g_autoptr(snapshotDef) def = NULL;

    if (kvmCheckFlags(flags, 0) < 0)
        return NULL;
    if (!(def = kvmSnapshotRead(dom->name, name)))
        return NULL;
    return snapshotHandleNew(dom, def->name);
}

char *kvmDomainSnapshotGetXMLDesc(vmmDomainSnapshotPtr snap, unsigned int flags)
{
    g_autoptr(snapshotDef) def = NULL;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SNAPSHOT_XML_SECURE) < 0)
        return NULL;
    if (!(def = kvmSnapshotRead(snap->domain->name, snap->name)))
        return NULL;
    return snapshotDefFormat(def, flags & VMM_DOMAIN_SNAPSHOT_XML_SECURE
                                      ? DOMAIN_DEF_FORMAT_SECURE
                                      : 0);
}

/* Whether @name is the parent of any of @all. */
static bool kvmSnapshotHasChildren(GPtrArray *all, const char *name)
{
    for (guint i = 0; i < all->len; i++) {
        const snapshotDef *other = g_ptr_array_index(all, i);

        if (other->parent && g_str_equal(other->parent, name))
            return true;
    }
    return false;
}

/* Whether a pair of filter flags lets @value through: neither or both
 * set means no filter. */
static bool kvmSnapshotPair(unsigned int flags, unsigned int yes,
                            unsigned int no, bool value)
{
    if (!(flags & yes) == !(flags & no))
        return true;
    return (flags & yes) ? value : !value;
}

/* Whether @def (one of @all) passes the filters of @flags. Every
 * snapshot here has metadata and is internal. */
static bool kvmSnapshotMatches(const snapshotDef *def, GPtrArray *all,
                               unsigned int flags)
{
    unsigned int active = VMM_DOMAIN_SNAPSHOT_LIST_INACTIVE |
                          VMM_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                          VMM_DOMAIN_SNAPSHOT_LIST_DISK_ONLY;
    unsigned int location =
        VMM_DOMAIN_SNAPSHOT_LIST_INTERNAL | VMM_DOMAIN_SNAPSHOT_LIST_EXTERNAL;
    bool shutoff = def->state == VMM_DOMAIN_SHUTOFF;

    if ((flags & VMM_DOMAIN_SNAPSHOT_LIST_ROOTS) && def->parent)
        return false;
    if (!kvmSnapshotPair(flags, VMM_DOMAIN_SNAPSHOT_LIST_LEAVES,
                         VMM_DOMAIN_SNAPSHOT_LIST_NO_LEAVES,
                         !kvmSnapshotHasChildren(all, def->name)))
        return false;
    if (!kvmSnapshotPair(flags, VMM_DOMAIN_SNAPSHOT_LIST_METADATA,
                         VMM_DOMAIN_SNAPSHOT_LIST_NO_METADATA, true))
        return false;
    if ((flags & active) &&
        !((flags & VMM_DOMAIN_SNAPSHOT_LIST_INACTIVE) && shutoff) &&
        !((flags & VMM_DOMAIN_SNAPSHOT_LIST_ACTIVE) && !shutoff))
        return false;
    if ((flags & location) && (flags & VMM_DOMAIN_SNAPSHOT_LIST_INTERNAL) == 0)
        return false;
    return true;
}

/* Every record of @domName, sorted by name. */
static int kvmSnapshotReadAll(const char *domName, GPtrArray **ret_defs)
{
    g_autoptr(GPtrArray) names = kvmSnapshotNames(domName);
    g_autoptr(GPtrArray) defs =
        g_ptr_array_new_with_free_func((GDestroyNotify)snapshotDefFree);

    for (guint i = 0; i < names->len; i++) {
        snapshotDef *def =
            kvmSnapshotRead(domName, g_ptr_array_index(names, i));

        if (!def)
            return -1;
        g_ptr_array_add(defs, def);
    }
    *ret_defs = g_steal_pointer(&defs);
    return 0;
}

/* The names of the records of @domName passing @flags. */
static int kvmSnapshotCollect(const char *domName, unsigned int flags,
                              GPtrArray **ret_names)
{
    g_autoptr(GPtrArray) all = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

    if (kvmSnapshotReadAll(domName, &all) < 0)
        return -1;
    for (guint i = 0; i < all->len; i++) {
        const snapshotDef *def = g_ptr_array_index(all, i);

        if (kvmSnapshotMatches(def, all, flags))
            g_ptr_array_add(names, g_strdup(def->name));
    }
    *ret_names = g_steal_pointer(&names);
    return 0;
}

int kvmDomainListAllSnapshots(vmmDomainPtr dom, vmmDomainSnapshotPtr **snaps,
                              unsigned int flags)
{
    g_autoptr(GPtrArray) names = NULL;
    vmmDomainSnapshotPtr *list;

    if (kvmCheckFlags(flags, (VMM_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL << 1) - 1) <
        0)
        return -1;
    if (kvmSnapshotCollect(dom->name, flags, &names) < 0)
        return -1;
    if (snaps) {
        list = g_new0(vmmDomainSnapshotPtr, names->len + 1);
        for (guint i = 0; i < names->len; i++)
            list[i] = snapshotHandleNew(dom, g_ptr_array_index(names, i));
        *snaps = list;
    }
    return (int)names->len;
}

int kvmDomainSnapshotNum(vmmDomainPtr dom, unsigned int flags)
{
    return kvmDomainListAllSnapshots(dom, NULL, flags);
}

int kvmDomainHasCurrentSnapshot(vmmDomainPtr dom, unsigned int flags)
{
    g_autofree char *current = NULL;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    current = kvmSnapshotCurrentGet(dom->name);
    return current ? 1 : 0;
}

vmmDomainSnapshotPtr kvmDomainSnapshotCurrent(vmmDomainPtr dom,
                                              unsigned int flags)
{
    g_autofree char *current = NULL;

    if (kvmCheckFlags(flags, 0) < 0)
        return NULL;
    if (!(current = kvmSnapshotCurrentGet(dom->name))) {
        errorReport(VMM_FROM_DOMAIN_SNAPSHOT, VMM_ERR_NO_DOMAIN_SNAPSHOT,
                    "the domain does not have a current snapshot");
        return NULL;
    }
    return snapshotHandleNew(dom, current);
}

/* ---- Revert ---- */

/* The state to end in: the snapshot's, unless the caller asked. */
static bool kvmSnapshotWantPaused(const snapshotDef *def, unsigned int flags)
{
    if (flags & VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED)
        return true;
    if (flags & VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING)
        return false;
    return def->state == VMM_DOMAIN_PAUSED;
}

/* Puts the stored definition back (inactive @obj). */
static int kvmSnapshotRestoreDef(domainObj *obj, const snapshotDef *def)
{
    g_autoptr(domainDef) old = obj->def;

    obj->def = domainDefCopy(def->dom);
    if (obj->persistent && kvmDriverSaveDef(obj) < 0) {
        domainDefFree(obj->def);
        obj->def = g_steal_pointer(&old);
        return -1;
    }
    return 0;
}

/* Reverts to a snapshot with memory: QEMU loads it (started paused
 * first when the guest is off), then runs or stays paused. */
static int kvmSnapshotRevertLive(domainObj *obj, const snapshotDef *def,
                                 unsigned int flags)
{
    bool paused = kvmSnapshotWantPaused(def, flags);

    if (!domainObjIsActive(obj)) {
        if (kvmSnapshotRestoreDef(obj, def) < 0 ||
            kvmLifecycleStartLocked(obj, true) < 0)
            return -1;
    } else if (obj->state == VMM_DOMAIN_RUNNING) {
        if (kvmSnapshotQMP(obj, "stop") < 0)
            return -1;
        domainObjSetState(obj, VMM_DOMAIN_PAUSED,
                          VMM_DOMAIN_PAUSED_FROM_SNAPSHOT);
        kvmDriverEmit(obj, VMM_DOMAIN_EVENT_SUSPENDED,
                      VMM_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }
    if (kvmSnapshotMonitor(obj, "loadvm", def->name) < 0)
        return -1;
    if (paused) {
        domainObjSetState(obj, VMM_DOMAIN_PAUSED,
                          VMM_DOMAIN_PAUSED_FROM_SNAPSHOT);
    } else {
        if (kvmSnapshotQMP(obj, "cont") < 0)
            return -1;
        domainObjSetState(obj, VMM_DOMAIN_RUNNING,
                          VMM_DOMAIN_RUNNING_FROM_SNAPSHOT);
        kvmDriverEmit(obj, VMM_DOMAIN_EVENT_RESUMED,
                      VMM_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT);
    }
    kvmLifecycleSaveStatus(obj);
    return 0;
}

/* Reverts to a snapshot of a shut-off guest: QEMU goes, the images are
 * reverted with qemu-img, and the guest starts again only when asked. */
static int kvmSnapshotRevertOffline(domainObj *obj, const snapshotDef *def,
                                    unsigned int flags)
{
    g_autoptr(GPtrArray) images = NULL;

    if (domainObjIsActive(obj)) {
        if (!obj->persistent) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                        "cannot revert transient domain '%s' to a snapshot "
                        "of it shut off",
                        obj->name);
            return -1;
        }
        kvmLifecycleStopLocked(obj, VMM_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
                               VMM_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    }
    if (kvmSnapshotRestoreDef(obj, def) < 0 ||
        kvmSnapshotImages(obj->def, &images) < 0 ||
        kvmSnapshotImagesRun(images, "-a", def->name) < 0)
        return -1;
    domainObjSetState(obj, VMM_DOMAIN_SHUTOFF,
                      VMM_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    if (flags & (VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                 VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED))
        return kvmLifecycleStartLocked(
            obj, flags & VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED);
    return 0;
}

int kvmDomainRevertToSnapshot(vmmDomainSnapshotPtr snap, unsigned int flags)
{
    g_autoptr(snapshotDef) def = NULL;
    domainObj *obj;
    int ret = -1;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                 VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                                 VMM_DOMAIN_SNAPSHOT_REVERT_FORCE) < 0)
        return -1;
    if (!(obj = kvmSnapshotBegin(snap->domain)))
        return -1;
    if ((def = kvmSnapshotRead(obj->name, snap->name))) {
        ret = def->state == VMM_DOMAIN_SHUTOFF
                  ? kvmSnapshotRevertOffline(obj, def, flags)
                  : kvmSnapshotRevertLive(obj, def, flags);
        snap->domain->id = obj->id;
        if (ret == 0)
            kvmSnapshotCurrentSet(obj->name, def->name);
    }
    kvmSnapshotEnd(&obj);
    return ret;
}

/* ---- Delete ---- */

/* After @def is gone: its children hang from its parent, and the
 * current snapshot moves to its parent when it was @def. */
static void kvmSnapshotUnlink(const char *domName, const snapshotDef *def,
                              GPtrArray *all)
{
    g_autofree char *current = kvmSnapshotCurrentGet(domName);

    for (guint i = 0; i < all->len; i++) {
        snapshotDef *child = g_ptr_array_index(all, i);

        if (!child->parent || !g_str_equal(child->parent, def->name))
            continue;
        g_free(child->parent);
        child->parent = g_strdup(def->parent);
        if (kvmSnapshotWrite(domName, child) < 0) {
            VMM_WARN("cannot update the parent of snapshot '%s'", child->name);
            errorReset();
        }
    }
    if (!current)
        kvmSnapshotCurrentSet(domName, def->parent);
}

/* Removes snapshot @def of @obj (locked, job held) from the images
 * (unless @metadataOnly) and its record. */
static int kvmSnapshotRemove(domainObj *obj, const snapshotDef *def,
                             bool metadataOnly)
{
    g_autoptr(GPtrArray) images = NULL;

    if (!metadataOnly) {
        if (domainObjIsActive(obj)) {
            if (kvmSnapshotMonitor(obj, "delvm", def->name) < 0)
                return -1;
        } else if (kvmSnapshotImages(obj->def, &images) < 0 ||
                   kvmSnapshotImagesRun(images, "-d", def->name) < 0) {
            return -1;
        }
    }
    if (kvmSnapshotRemoveRecord(obj->name, def->name) < 0)
        return -1;
    if (obj->nsnapshots > 0)
        obj->nsnapshots--;
    return 0;
}

static int kvmSnapshotDeleteLocked(domainObj *obj, const char *name,
                                   unsigned int flags)
{
    g_autoptr(GPtrArray) all = NULL;
    const snapshotDef *def = NULL;
    unsigned int children = VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                            VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;

    if (!snapshotNameIsValid(name) || kvmSnapshotReadAll(obj->name, &all) < 0)
        return -1;
    for (guint i = 0; i < all->len && !def; i++) {
        const snapshotDef *d = g_ptr_array_index(all, i);

        if (g_str_equal(d->name, name))
            def = d;
    }
    if (!def) {
        errorReport(VMM_FROM_DOMAIN_SNAPSHOT, VMM_ERR_NO_DOMAIN_SNAPSHOT,
                    "no domain snapshot with matching name '%s'", name);
        return -1;
    }
    if (kvmSnapshotHasChildren(all, def->name) && (flags & children)) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "deleting the children of snapshot '%s' is not "
                    "supported",
                    def->name);
        return -1;
    }
    /* No children: CHILDREN_ONLY has nothing to do. */
    if (flags & VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)
        return 0;
    if (kvmSnapshotRemove(obj, def,
                          flags & VMM_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0)
        return -1;
    kvmSnapshotUnlink(obj->name, def, all);
    return 0;
}

int kvmDomainSnapshotDelete(vmmDomainSnapshotPtr snap, unsigned int flags)
{
    domainObj *obj;
    int rc;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                 VMM_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY |
                                 VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) < 0)
        return -1;
    if (!(obj = kvmSnapshotBegin(snap->domain)))
        return -1;
    rc = kvmSnapshotDeleteLocked(obj, snap->name, flags);
    kvmSnapshotEnd(&obj);
    return rc;
}
