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
 * QEMU migrates to (or from) a unix socket of the daemon's, RUNDIR/
 * NAME.migrate, and a thread copies between it and the image
 * (kvm_save_stream.h): so migrate_cancel always stops QEMU, even when the
 * image is a FIFO nobody reads, and a restore knows how far it read.
 * Managed save is the same into STATEDIR/save/NAME.save; starting the
 * domain restores it.
 *
 * Both are jobs with progress (kvm_driver_state.h): a save publishes
 * QEMU's query-migrate amounts, a restore the read position in the image;
 * a save stops when vmmDomainAbortJob asks, at its next look (every
 * KVM_SAVE_POLL_US), and the guest runs on as before.
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
#include "kvm_save_stream.h"
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
/* How long QEMU gets to stop a migration once told to (it shuts its
 * socket down, so it takes no time unless QEMU hangs). */
#define KVM_SAVE_CANCEL_S 30

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

/* The header of an image for @xml (see the top comment); *@ret_len gets
 * its length, the XML's included. */
static char *kvmSaveHeaderNew(const char *xml, bool running, size_t *ret_len)
{
    guint32 xmlLen = strlen(xml) + 1;
    char *hdr = g_malloc0(KVM_SAVE_HEADER_LEN + xmlLen);
    guint32 v;

    memcpy(hdr, KVM_SAVE_MAGIC, KVM_SAVE_MAGIC_LEN);
    v = GUINT32_TO_LE(KVM_SAVE_VERSION);
    memcpy(hdr + 16, &v, 4);
    v = GUINT32_TO_LE(xmlLen);
    memcpy(hdr + 20, &v, 4);
    v = GUINT32_TO_LE(running ? 1 : 0);
    memcpy(hdr + 24, &v, 4);
    memcpy(hdr + KVM_SAVE_HEADER_LEN, xml, xmlLen);
    *ret_len = KVM_SAVE_HEADER_LEN + xmlLen;
    return hdr;
}

/* Opens @path for a save. Non-blocking, so a FIFO without a reader is
 * refused at once instead of hanging the job, and the stream's thread
 * can give up on one that stops reading. *@ret_regular says whether it
 * is a regular file, which a failed save removes (a FIFO or device the
 * caller made stays). */
static int kvmSaveOpenImage(const char *path, bool *ret_regular)
{
    struct stat sb;
    int fd =
        open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0600);

    if (fd < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot create save file '%s'", path);
        return -1;
    }
    if (fstat(fd, &sb) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot stat '%s'", path);
        close(fd);
        return -1;
    }
    *ret_regular = S_ISREG(sb.st_mode);
    return fd;
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

/* RUNDIR/NAME.migrate: where QEMU's migration stream meets ours. */
static char *kvmSaveSocketPath(const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.migrate", name);

    return fileBuildPath(kvmDriverStateGet()->runDir, file);
}

static guint64 kvmSaveJsonU64(const jsonValue *object, const char *key)
{
    guint64 v = 0;

    if (!object || !jsonObjectHasKey(object, key) ||
        jsonObjectGetNumberUint64(object, key, &v) < 0) {
        errorReset();
        return 0;
    }
    return v;
}

/* Publishes the "ram" amounts of a query-migrate reply as the job's
 * progress: guest memory is all a save moves. */
static void kvmSavePublishOutgoing(domainObj *obj, const jsonValue *reply)
{
    const jsonValue *ram = jsonObjectGetObject(reply, "ram");
    vmmDomainJobInfo info = {0};

    if (!ram)
        return;
    info.memTotal = kvmSaveJsonU64(ram, "total");
    info.memProcessed = kvmSaveJsonU64(ram, "transferred");
    info.memRemaining = kvmSaveJsonU64(ram, "remaining");
    info.dataTotal = info.memTotal;
    info.dataProcessed = info.memProcessed;
    info.dataRemaining = info.memRemaining;
    kvmJobProgressUpdate(obj, &info);
}

/* The stream has failed (-1, error set), ended (0) or runs (1), looked
 * at without waiting. */
static int kvmSaveStreamState(kvmSaveStream *stream, const char *path)
{
    return kvmSaveStreamWait(stream, 0, path);
}

/* What ends an outgoing migration that QEMU reports failed or
 * cancelled: the client's abort, the image's own error (@streamErr), or
 * QEMU's. */
static void kvmSaveReportEnd(domainObj *obj, const jsonValue *reply,
                             bool aborted, vmmError **streamErr)
{
    const char *desc = jsonObjectGetString(reply, "error-desc");

    if (aborted) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_ABORTED,
                    "domain save job: canceled by client");
    } else if (*streamErr) {
        errorRestore(streamErr);
    } else {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                    "QEMU could not save domain '%s': %s", obj->name,
                    desc ? desc : jsonObjectGetString(reply, "status"));
    }
}

/* After QEMU said "completed": the thread writes the last bytes out and
 * flushes the image, with @obj unlocked meanwhile. */
static int kvmSaveFinishStream(domainObj *obj, kvmSaveStream *stream,
                               const char *path)
{
    int rc;

    domainObjUnlock(obj);
    rc = kvmSaveStreamWait(stream, KVM_SAVE_TIMEOUT_S * 1000, path);
    domainObjLock(obj);
    if (rc == 1) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                    "writing the save image '%s' took too long", path);
        return -1;
    }
    return rc;
}

/* Asks QEMU once to stop the migration of @obj; the loop below waits for
 * it to say it did, until *@ret_deadline. */
static void kvmSaveCancel(domainObj *obj, bool *cancelSent,
                          gint64 *ret_deadline)
{
    if (*cancelSent)
        return;
    *cancelSent = true;
    *ret_deadline =
        g_get_monotonic_time() + KVM_SAVE_CANCEL_S * G_TIME_SPAN_SECOND;
    if (kvmLifecycleMonitorRun(obj, "migrate_cancel", NULL, NULL) < 0)
        errorReset();
}

/* Waits until the outgoing migration of @obj (locked, job held) into
 * @stream ends, publishing its progress, and cancels it when the client
 * asks (vmmDomainAbortJob), the image fails, or it takes too long. */
static int kvmSaveWaitOutgoing(domainObj *obj, kvmSaveStream *stream,
                               const char *path)
{
    gint64 deadline =
        g_get_monotonic_time() + KVM_SAVE_TIMEOUT_S * G_TIME_SPAN_SECOND;
    gint64 cancelDeadline = 0;
    g_autoptr(vmmError) streamErr = NULL;
    bool cancelSent = false, aborted = false, late = false;

    for (;;) {
        g_autoptr(jsonValue) reply = NULL;
        const char *status;

        if (kvmLifecycleMonitorRun(obj, "query-migrate", NULL, &reply) < 0)
            return -1;
        kvmSavePublishOutgoing(obj, reply);
        status = jsonObjectGetString(reply, "status");
        if (g_strcmp0(status, "completed") == 0)
            return kvmSaveFinishStream(obj, stream, path);
        if (g_strcmp0(status, "failed") == 0 ||
            g_strcmp0(status, "cancelled") == 0) {
            if (late) {
                errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                            "saving domain '%s' took too long", obj->name);
                return -1;
            }
            kvmSaveReportEnd(obj, reply, aborted, &streamErr);
            return -1;
        }
        if (!cancelSent && kvmJobAbortRequested(obj)) {
            aborted = true;
            kvmSaveCancel(obj, &cancelSent, &cancelDeadline);
        }
        if (!streamErr && kvmSaveStreamState(stream, path) < 0) {
            streamErr = errorSave();
            kvmSaveCancel(obj, &cancelSent, &cancelDeadline);
        }
        if (!cancelSent && g_get_monotonic_time() > deadline) {
            late = true;
            kvmSaveCancel(obj, &cancelSent, &cancelDeadline);
        }
        if (cancelSent && g_get_monotonic_time() > cancelDeadline) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                        "QEMU does not stop saving domain '%s'", obj->name);
            return -1;
        }
        domainObjUnlock(obj);
        g_usleep(KVM_SAVE_POLL_US);
        domainObjLock(obj);
    }
}

/* The message of the error that made a job fail (@rc < 0), for its
 * statistics. */
static const char *kvmSaveLastMessage(int rc)
{
    const vmmError *err = rc < 0 ? errorGetLast() : NULL;

    return err ? err->message : NULL;
}

/* Publishes how far the restore of @obj has read its image of
 * @total bytes, the stream starting at @offset. */
static void kvmSavePublishIncoming(domainObj *obj, kvmSaveStream *stream,
                                   guint64 offset, guint64 total)
{
    vmmDomainJobInfo info = {0};

    info.fileTotal = total;
    info.fileProcessed = MIN(offset + kvmSaveStreamBytes(stream), total);
    info.fileRemaining = total - info.fileProcessed;
    info.dataTotal = info.fileTotal;
    info.dataProcessed = info.fileProcessed;
    info.dataRemaining = info.fileRemaining;
    kvmJobProgressUpdate(obj, &info);
}

/* Opens the image @path for a restore, placed where the migration
 * stream starts; *@ret_size gets the image's size. */
static int kvmSaveOpenIncoming(const char *path, guint64 *ret_offset,
                               guint64 *ret_size)
{
    g_autofree char *xml = NULL;
    struct stat sb;
    bool running;
    guint64 offset;
    int fd;

    if (kvmSaveReadHeader(path, &xml, &running, &offset) < 0)
        return -1;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot open save file '%s'", path);
        return -1;
    }
    if (fstat(fd, &sb) < 0 || lseek(fd, offset, SEEK_SET) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot read save file '%s'", path);
        close(fd);
        return -1;
    }
    *ret_offset = offset;
    *ret_size = sb.st_size;
    return fd;
}

/* Waits until the QEMU of @obj (locked, job held) has loaded what
 * @stream feeds it, publishing the progress. */
static int kvmSaveWaitIncoming(domainObj *obj, kvmSaveStream *stream,
                               const char *image, guint64 offset, guint64 size)
{
    gint64 deadline =
        g_get_monotonic_time() + KVM_SAVE_TIMEOUT_S * G_TIME_SPAN_SECOND;

    /* QEMU leaves "inmigrate" once the state is loaded, and exits when it
     * cannot load it (the command then fails: monitor closed). */
    for (;;) {
        g_autoptr(jsonValue) reply = NULL;
        const char *status;

        kvmSavePublishIncoming(obj, stream, offset, size);
        if (kvmLifecycleMonitorRun(obj, "query-status", NULL, &reply) < 0)
            return -1;
        status = jsonObjectGetString(reply, "status");
        if (g_strcmp0(status, "inmigrate") != 0)
            return 0;
        if (kvmSaveStreamState(stream, image) < 0)
            return -1;
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

int kvmSaveLoadIncoming(domainObj *obj, const char *image)
{
    g_autofree char *sock = kvmSaveSocketPath(obj->name);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(kvmSaveStream) stream = NULL;
    guint64 offset = 0, size = 0;
    int fd, rc = -1;

    if ((fd = kvmSaveOpenIncoming(image, &offset, &size)) < 0)
        return -1;
    kvmJobProgressBegin(obj, VMM_DOMAIN_JOB_OPERATION_RESTORE);
    jsonObjectAppendString(args, "uri", uri);
    unlink(sock);
    if (kvmLifecycleMonitorRun(obj, "migrate-incoming", args, NULL) == 0 &&
        kvmSaveStreamFeed(sock, fd, &stream) == 0)
        rc = kvmSaveWaitIncoming(obj, stream, image, offset, size);
    if (rc == 0)
        kvmSavePublishIncoming(obj, stream, offset, size);
    kvmJobProgressEnd(
        obj, rc == 0 ? VMM_DOMAIN_JOB_COMPLETED : VMM_DOMAIN_JOB_FAILED,
        kvmSaveLastMessage(rc));
    g_clear_pointer(&stream, kvmSaveStreamFree);
    /* QEMU removes its listening socket only on success. */
    unlink(sock);
    close(fd);
    return rc;
}

/* Pauses the guest of @obj (locked, job held) when it runs and migrates
 * it into @fd, the image, behind @header. */
static int kvmSaveMigrate(domainObj *obj, int fd, const char *path,
                          const char *header, size_t headerLen, bool wasRunning)
{
    g_autofree char *sock = kvmSaveSocketPath(obj->name);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    g_autoptr(jsonValue) speed = jsonValueNewObject();
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(kvmSaveStream) stream = NULL;

    jsonObjectAppendString(args, "uri", uri);
    /* QEMU's default bandwidth cap is for networks, not for a file. */
    jsonObjectAppendNumberInt64(speed, "max-bandwidth", G_MAXINT64);
    if (kvmSaveStreamListen(sock, fd, header, headerLen, &stream) < 0)
        return -1;
    if (wasRunning) {
        if (kvmLifecycleMonitorRun(obj, "stop", NULL, NULL) < 0)
            return -1;
        domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_SAVE);
    }
    if (kvmLifecycleMonitorRun(obj, "migrate-set-parameters", speed, NULL) <
            0 ||
        kvmLifecycleMonitorRun(obj, "migrate", args, NULL) < 0)
        return -1;
    return kvmSaveWaitOutgoing(obj, stream, path);
}

/* After a failed save of @obj (locked, job held): no partial image, and
 * the guest runs again if it ran before. */
static void kvmSaveRollback(domainObj *obj, const char *path, bool regular,
                            bool wasRunning)
{
    if (regular && fileRemoveIfExists(path) < 0)
        errorReset();
    if (wasRunning && domainObjIsActive(obj) &&
        kvmLifecycleMonitorRun(obj, "cont", NULL, NULL) == 0) {
        domainObjSetState(obj, VMM_DOMAIN_RUNNING,
                          VMM_DOMAIN_RUNNING_SAVE_CANCELED);
        kvmLifecycleSaveStatus(obj);
    }
    errorReset();
}

/* The job type a failed save ends with. */
static int kvmSaveFailedType(void)
{
    const vmmError *err = errorGetLast();

    return err && err->code == VMM_ERR_OPERATION_ABORTED
               ? VMM_DOMAIN_JOB_CANCELLED
               : VMM_DOMAIN_JOB_FAILED;
}

/* Migrates the guest of @obj (locked, job held, active) into @path and
 * stops QEMU. On failure the guest runs on as before and @path is gone. */
static int kvmSaveLocked(domainObj *obj, const char *path, unsigned int flags)
{
    bool wasRunning = obj->state == VMM_DOMAIN_RUNNING;
    bool runAfter = wasRunning;
    bool regular = false;
    g_autofree char *xml = NULL;
    g_autofree char *header = NULL;
    g_autoptr(vmmError) saved = NULL;
    size_t headerLen;
    int fd, rc;

    if (obj->state != VMM_DOMAIN_RUNNING && obj->state != VMM_DOMAIN_PAUSED) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain '%s' is neither running nor paused", obj->name);
        return -1;
    }
    if (flags & VMM_DOMAIN_SAVE_RUNNING)
        runAfter = true;
    if (flags & VMM_DOMAIN_SAVE_PAUSED)
        runAfter = false;
    if (!(xml = domainDefFormat(obj->def, -1, DOMAIN_DEF_FORMAT_SECURE)))
        return -1;
    header = kvmSaveHeaderNew(xml, runAfter, &headerLen);
    if ((fd = kvmSaveOpenImage(path, &regular)) < 0)
        return -1;
    kvmJobProgressBegin(obj, VMM_DOMAIN_JOB_OPERATION_SAVE);
    rc = kvmSaveMigrate(obj, fd, path, header, headerLen, wasRunning);
    if (close(fd) < 0 && rc == 0) {
        errorReportSystem(KVM_ERR, errno, "cannot write '%s'", path);
        rc = -1;
    }
    if (rc == 0) {
        kvmJobProgressEnd(obj, VMM_DOMAIN_JOB_COMPLETED, NULL);
        kvmLifecycleStopLocked(obj, VMM_DOMAIN_SHUTOFF_SAVED,
                               VMM_DOMAIN_EVENT_STOPPED_SAVED);
        return 0;
    }
    kvmJobProgressEnd(obj, kvmSaveFailedType(), kvmSaveLastMessage(rc));
    saved = errorSave();
    kvmSaveRollback(obj, path, regular, wasRunning);
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
    if (!(obj = domainObjListAdd(
              st->domains, &def,
              DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return -1;
    if (kvmDomainJobBegin(obj) < 0) {
        kvmLifecycleEndAPI(&obj, false);
        return -1;
    }
    ret = kvmLifecycleRestoreLocked(obj, kvmSaveRestorePaused(flags, running),
                                    from);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

int kvmSaveStartManagedLocked(domainObj *obj, bool paused)
{
    g_autofree char *path = kvmSaveManagedPath(obj->name);
    g_autofree char *xml = NULL;
    bool running;
    guint64 offset;

    /* The image's own definition is not used: the stored one is what the
     * domain is, and a save never changes it. */
    if (kvmSaveReadHeader(path, &xml, &running, &offset) < 0)
        return -1;
    if (kvmLifecycleRestoreLocked(obj, paused || !running, path) < 0)
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

char *kvmDomainSaveImageGetXMLDesc(vmmConnectPtr conn, const char *file,
                                   unsigned int flags)
{
    g_autofree char *xml = NULL;
    g_autoptr(domainDef) def = NULL;
    bool running;
    guint64 offset;

    if (kvmCheckFlags(flags, VMM_DOMAIN_SAVE_IMAGE_XML_SECURE) < 0)
        return NULL;
    if (kvmSaveReadHeader(file, &xml, &running, &offset) < 0 ||
        !(def = kvmParseDef(xml, false)))
        return NULL;
    /* The image keeps secrets; they are shown only when asked for. */
    return domainDefFormat(def, -1,
                           (flags & VMM_DOMAIN_SAVE_IMAGE_XML_SECURE)
                               ? DOMAIN_DEF_FORMAT_SECURE
                               : 0);
}
