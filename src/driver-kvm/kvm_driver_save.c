/*
 * kvm_driver_save.c: save / restore and managed save of QEMU guests.
 *
 * A save is a QMP migration of the paused guest into a file, behind a
 * header of ours that carries the domain definition, so a restore knows
 * what QEMU to start before it feeds it the stream:
 *
 *   offset 0   magic "VmmQemuSave\n\0\0\0\0" (16 bytes)
 *          16  version (u32 little endian, 1)
 *          20  length of the XML including its NUL (u32 LE)
 *          24  1 when the guest should run after restore, 0 paused
 *          28  reserved (20 bytes of 0)
 *          48  the XML, then QEMU's migration stream to the end
 *
 * QEMU writes and reads the stream itself through "exec:" URIs (cat and
 * tail), so no data crosses the daemon. Managed save is the same into
 * STATEDIR/save/NAME.save; starting the domain restores it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datatypes.h"
#include "kvm_driver_domain.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_save.h"
#include "kvm_driver_state.h"
#include "util_error.h"
#include "util_file.h"
#include "util_log.h"

VMM_LOG_INIT("kvm.driver_save");

#define KVM_SAVE_MAGIC "VmmQemuSave\n\0\0\0\0"
#define KVM_SAVE_MAGIC_LEN 16
#define KVM_SAVE_VERSION 1
#define KVM_SAVE_HEADER_LEN 48
/* A definition is far smaller; anything bigger is not our file. */
#define KVM_SAVE_XML_MAX (16 * 1024 * 1024)
/* How often the migration's progress is asked for, and for how long. */
#define KVM_SAVE_POLL_US (20 * 1000)
#define KVM_SAVE_TIMEOUT_S 600

/* STATEDIR/save/NAME.save */
static char *kvmSaveManagedPath(const char *name)
{
    g_autofree char *dir = fileBuildPath(kvmDriverStateGet()->stateDir, "save");
    g_autofree char *file = g_strdup_printf("%s.save", name);

    return fileBuildPath(dir, file);
}

bool kvmSaveHasManagedImage(domainObj *obj)
{
    g_autofree char *path = kvmSaveManagedPath(obj->name);

    return obj->persistent && access(path, F_OK) == 0;
}

void kvmSaveScanManagedImages(void)
{
    g_autoptr(GPtrArray) objs = NULL;

    if (domainObjListCollect(kvmDriverStateGet()->domains, 0, &objs) < 0) {
        errorReset();
        return;
    }
    for (guint i = 0; i < objs->len; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        domainObjLock(obj);
        obj->hasManagedSave = kvmSaveHasManagedImage(obj);
        domainObjUnlock(obj);
    }
}

static int kvmSaveWriteAll(int fd, const void *buf, size_t len,
                           const char *path)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorReportSystem(KVM_ERR, errno, "cannot write '%s'", path);
            return -1;
        }
        p += n;
        len -= n;
    }
    return 0;
}

/* Creates @path with the header for @xml (the stream is appended later). */
static int kvmSaveWriteHeader(const char *path, const char *xml, bool running)
{
    unsigned char hdr[KVM_SAVE_HEADER_LEN] = {0};
    guint32 xmlLen = strlen(xml) + 1;
    guint32 v;
    int fd;
    int rc;

    memcpy(hdr, KVM_SAVE_MAGIC, KVM_SAVE_MAGIC_LEN);
    v = GUINT32_TO_LE(KVM_SAVE_VERSION);
    memcpy(hdr + 16, &v, 4);
    v = GUINT32_TO_LE(xmlLen);
    memcpy(hdr + 20, &v, 4);
    v = GUINT32_TO_LE(running ? 1 : 0);
    memcpy(hdr + 24, &v, 4);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot create save file '%s'", path);
        return -1;
    }
    rc = kvmSaveWriteAll(fd, hdr, sizeof(hdr), path);
    if (rc == 0)
        rc = kvmSaveWriteAll(fd, xml, xmlLen, path);
    if (close(fd) < 0 && rc == 0) {
        errorReportSystem(KVM_ERR, errno, "cannot write '%s'", path);
        rc = -1;
    }
    return rc;
}

static int kvmSaveReadExact(int fd, void *buf, size_t len, const char *path)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorReportSystem(KVM_ERR, errno, "cannot read '%s'", path);
            return -1;
        }
        if (n == 0) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                        "'%s' is not a saved QEMU guest: it is truncated",
                        path);
            return -1;
        }
        p += n;
        len -= n;
    }
    return 0;
}

/* The definition and run flag out of the header of @path, and where the
 * migration stream begins. */
static int kvmSaveReadHeader(const char *path, char **ret_xml,
                             bool *ret_running, guint64 *ret_offset)
{
    unsigned char hdr[KVM_SAVE_HEADER_LEN];
    g_autofree char *xml = NULL;
    guint32 version = 0, xmlLen = 0, running = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot open save file '%s'", path);
        return -1;
    }
    rc = kvmSaveReadExact(fd, hdr, sizeof(hdr), path);
    if (rc == 0 && memcmp(hdr, KVM_SAVE_MAGIC, KVM_SAVE_MAGIC_LEN) != 0) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                    "'%s' is not a saved QEMU guest", path);
        rc = -1;
    }
    if (rc == 0) {
        memcpy(&version, hdr + 16, 4);
        memcpy(&xmlLen, hdr + 20, 4);
        memcpy(&running, hdr + 24, 4);
        version = GUINT32_FROM_LE(version);
        xmlLen = GUINT32_FROM_LE(xmlLen);
        running = GUINT32_FROM_LE(running);
        if (version != KVM_SAVE_VERSION || xmlLen == 0 ||
            xmlLen > KVM_SAVE_XML_MAX) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                        "save file '%s' has an unknown version (%u) or a "
                        "bad header",
                        path, version);
            rc = -1;
        }
    }
    if (rc == 0) {
        xml = g_malloc0(xmlLen);
        rc = kvmSaveReadExact(fd, xml, xmlLen, path);
    }
    close(fd);
    if (rc < 0)
        return -1;
    if (xml[xmlLen - 1] != '\0') {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                    "save file '%s' has a bad header", path);
        return -1;
    }
    *ret_xml = g_steal_pointer(&xml);
    *ret_running = running != 0;
    *ret_offset = (guint64)KVM_SAVE_HEADER_LEN + xmlLen;
    return 0;
}

/* Waits until the outgoing migration of @obj (locked, job held) ends. */
static int kvmSaveWaitOutgoing(domainObj *obj)
{
    gint64 deadline =
        g_get_monotonic_time() + KVM_SAVE_TIMEOUT_S * G_TIME_SPAN_SECOND;

    for (;;) {
        g_autoptr(jsonValue) reply = NULL;
        const char *status;

        if (kvmLifecycleMonitorRun(obj, "query-migrate", NULL, &reply) < 0)
            return -1;
        status = jsonObjectGetString(reply, "status");
        if (g_strcmp0(status, "completed") == 0)
            return 0;
        if (g_strcmp0(status, "failed") == 0 ||
            g_strcmp0(status, "cancelled") == 0) {
            const char *desc = jsonObjectGetString(reply, "error-desc");

            errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                        "QEMU could not save domain '%s': %s", obj->name,
                        desc ? desc : status);
            return -1;
        }
        if (g_get_monotonic_time() > deadline) {
            kvmLifecycleMonitorRun(obj, "migrate_cancel", NULL, NULL);
            errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                        "saving domain '%s' took too long", obj->name);
            return -1;
        }
        domainObjUnlock(obj);
        g_usleep(KVM_SAVE_POLL_US);
        domainObjLock(obj);
    }
}

int kvmSaveLoadIncoming(domainObj *obj, const char *uri)
{
    g_autoptr(jsonValue) args = jsonValueNewObject();
    gint64 deadline =
        g_get_monotonic_time() + KVM_SAVE_TIMEOUT_S * G_TIME_SPAN_SECOND;

    jsonObjectAppendString(args, "uri", uri);
    if (kvmLifecycleMonitorRun(obj, "migrate-incoming", args, NULL) < 0)
        return -1;
    /* QEMU leaves "inmigrate" once the state is loaded, and exits when it
     * cannot load it (the command then fails: monitor closed). */
    for (;;) {
        g_autoptr(jsonValue) reply = NULL;
        const char *status;

        if (kvmLifecycleMonitorRun(obj, "query-status", NULL, &reply) < 0)
            return -1;
        status = jsonObjectGetString(reply, "status");
        if (g_strcmp0(status, "inmigrate") != 0)
            return 0;
        if (g_get_monotonic_time() > deadline) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                        "restoring domain '%s' took too long", obj->name);
            return -1;
        }
        domainObjUnlock(obj);
        g_usleep(KVM_SAVE_POLL_US);
        domainObjLock(obj);
    }
}

/* Pauses the guest of @obj (locked, job held) when it runs and streams it
 * into @path, behind the header already there. */
static int kvmSaveMigrate(domainObj *obj, const char *path, bool wasRunning)
{
    g_autofree char *quoted = g_shell_quote(path);
    g_autofree char *uri = g_strdup_printf("exec:cat >> %s", quoted);
    g_autoptr(jsonValue) speed = jsonValueNewObject();
    g_autoptr(jsonValue) args = jsonValueNewObject();

    jsonObjectAppendString(args, "uri", uri);
    /* QEMU's default bandwidth cap is for networks, not for a file. */
    jsonObjectAppendNumberInt64(speed, "max-bandwidth", G_MAXINT64);
    if (wasRunning) {
        if (kvmLifecycleMonitorRun(obj, "stop", NULL, NULL) < 0)
            return -1;
        domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_SAVE);
    }
    if (kvmLifecycleMonitorRun(obj, "migrate-set-parameters", speed, NULL) <
            0 ||
        kvmLifecycleMonitorRun(obj, "migrate", args, NULL) < 0)
        return -1;
    return kvmSaveWaitOutgoing(obj);
}

/* Migrates the guest of @obj (locked, job held, active) into @path and
 * stops QEMU. On failure the guest runs on as before and @path is gone. */
static int kvmSaveLocked(domainObj *obj, const char *path, unsigned int flags)
{
    bool wasRunning = obj->state == VMM_DOMAIN_RUNNING;
    bool runAfter = wasRunning;
    g_autofree char *xml = NULL;
    g_autoptr(vmmError) saved = NULL;

    if (obj->state != VMM_DOMAIN_RUNNING && obj->state != VMM_DOMAIN_PAUSED) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain '%s' is neither running nor paused", obj->name);
        return -1;
    }
    if (flags & VMM_DOMAIN_SAVE_RUNNING)
        runAfter = true;
    if (flags & VMM_DOMAIN_SAVE_PAUSED)
        runAfter = false;
    xml = domainDefFormat(obj->def, -1, DOMAIN_DEF_FORMAT_SECURE);
    if (!xml || kvmSaveWriteHeader(path, xml, runAfter) < 0)
        return -1;
    if (kvmSaveMigrate(obj, path, wasRunning) == 0) {
        kvmLifecycleStopLocked(obj, VMM_DOMAIN_SHUTOFF_SAVED,
                               VMM_DOMAIN_EVENT_STOPPED_SAVED);
        return 0;
    }
    saved = errorSave();
    if (fileRemoveIfExists(path) < 0)
        errorReset();
    if (wasRunning && domainObjIsActive(obj) &&
        kvmLifecycleMonitorRun(obj, "cont", NULL, NULL) == 0) {
        domainObjSetState(obj, VMM_DOMAIN_RUNNING,
                          VMM_DOMAIN_RUNNING_SAVE_CANCELED);
        kvmLifecycleSaveStatus(obj);
    }
    errorReset();
    errorRestore(&saved);
    return -1;
}

int kvmDomainSaveFlags(vmmDomainPtr dom, const char *to, const char *dxml,
                       unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SAVE_BYPASS_CACHE |
                                 VMM_DOMAIN_SAVE_RUNNING |
                                 VMM_DOMAIN_SAVE_PAUSED) < 0)
        return -1;
    if (dxml) {
        errorReport(KVM_ERR, VMM_ERR_ARGUMENT_UNSUPPORTED,
                    "a different XML for the saved domain is not supported");
        return -1;
    }
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    ret = kvmSaveLocked(obj, to, flags);
    if (ret == 0)
        dom->id = -1;
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

/* The migrate-incoming URI that reads @path from @offset on. */
static char *kvmSaveIncomingURI(const char *path, guint64 offset)
{
    g_autofree char *quoted = g_shell_quote(path);

    return g_strdup_printf("exec:tail -c +%" G_GUINT64_FORMAT " %s", offset + 1,
                           quoted);
}

/* Whether to run after restore: the flags, else what the header says. */
static bool kvmSaveRestorePaused(unsigned int flags, bool running)
{
    if (flags & VMM_DOMAIN_SAVE_PAUSED)
        return true;
    if (flags & VMM_DOMAIN_SAVE_RUNNING)
        return false;
    return !running;
}

int kvmDomainRestoreFlags(vmmConnectPtr conn, const char *from,
                          const char *dxml, unsigned int flags)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autofree char *xml = NULL;
    g_autofree char *uri = NULL;
    g_autoptr(domainDef) def = NULL;
    domainObj *obj;
    bool running;
    guint64 offset;
    int ret;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SAVE_BYPASS_CACHE |
                                 VMM_DOMAIN_SAVE_RUNNING |
                                 VMM_DOMAIN_SAVE_PAUSED) < 0)
        return -1;
    if (dxml) {
        errorReport(KVM_ERR, VMM_ERR_ARGUMENT_UNSUPPORTED,
                    "a different XML for the restored domain is not "
                    "supported");
        return -1;
    }
    if (kvmSaveReadHeader(from, &xml, &running, &offset) < 0 ||
        !(def = kvmParseDef(xml, false)))
        return -1;
    uri = kvmSaveIncomingURI(from, offset);
    if (!(obj = domainObjListAdd(
              st->domains, &def,
              DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return -1;
    if (kvmDomainJobBegin(obj) < 0) {
        kvmLifecycleEndAPI(&obj, false);
        return -1;
    }
    ret = kvmLifecycleRestoreLocked(obj, kvmSaveRestorePaused(flags, running),
                                    uri);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

int kvmSaveStartManagedLocked(domainObj *obj, bool paused)
{
    g_autofree char *path = kvmSaveManagedPath(obj->name);
    g_autofree char *xml = NULL;
    g_autofree char *uri = NULL;
    bool running;
    guint64 offset;

    /* The image's own definition is not used: the stored one is what the
     * domain is, and a save never changes it. */
    if (kvmSaveReadHeader(path, &xml, &running, &offset) < 0)
        return -1;
    uri = kvmSaveIncomingURI(path, offset);
    if (kvmLifecycleRestoreLocked(obj, paused || !running, uri) < 0)
        return -1;
    /* The guest runs on from here: the image is stale now. */
    obj->hasManagedSave = false;
    if (fileRemoveIfExists(path) < 0) {
        VMM_WARN("cannot remove managed save image '%s'", path);
        errorReset();
    }
    return 0;
}

int kvmDomainManagedSave(vmmDomainPtr dom, unsigned int flags)
{
    g_autofree char *dir = fileBuildPath(kvmDriverStateGet()->stateDir, "save");
    g_autofree char *path = NULL;
    domainObj *obj;
    int ret = -1;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SAVE_BYPASS_CACHE |
                                 VMM_DOMAIN_SAVE_RUNNING |
                                 VMM_DOMAIN_SAVE_PAUSED) < 0)
        return -1;
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    path = kvmSaveManagedPath(obj->name);
    if (!obj->persistent) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot do managed save for transient domain");
    } else if (fileMakePath(dir, 0700) == 0 &&
               kvmSaveLocked(obj, path, flags) == 0) {
        obj->hasManagedSave = true;
        dom->id = -1;
        ret = 0;
    }
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

int kvmDomainHasManagedSaveImage(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    ret = kvmSaveHasManagedImage(obj) ? 1 : 0;
    domainObjEndAPI(&obj);
    return ret;
}

int kvmDomainManagedSaveRemove(vmmDomainPtr dom, unsigned int flags)
{
    g_autofree char *path = NULL;
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    /* Not while a start is reading it. */
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    path = kvmSaveManagedPath(obj->name);
    ret = fileRemoveIfExists(path);
    if (ret == 0)
        obj->hasManagedSave = false;
    kvmDomainJobEnd(obj);
    domainObjEndAPI(&obj);
    return ret;
}

int kvmSaveCheckUndefine(domainObj *obj, bool removeImage)
{
    g_autofree char *path = kvmSaveManagedPath(obj->name);

    if (access(path, F_OK) != 0)
        return 0;
    if (!removeImage) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "Refusing to undefine while domain managed save image "
                    "exists");
        return -1;
    }
    return fileRemoveIfExists(path);
}
