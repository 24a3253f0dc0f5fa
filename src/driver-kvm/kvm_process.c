/*
 * kvm_process.c: the life of one QEMU process.
 *
 * QEMU is a direct child, spawned with fork+exec at once (util_command),
 * and reaped here in kvmProcessStop. While the monitor is not up yet, QEMU
 * is polled with waitpid so a QEMU that dies at once (a bad option, a
 * missing file) fails the start at once, with its own words from the log,
 * instead of after the monitor timeout.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_command.h"
#include "util_error.h"
#include "util_file.h"
#include "util_log.h"
#include "util_xml.h"
#include "kvm_command.h"
#include "kvm_process.h"

VMM_LOG_INIT("kvm.process");

/* How much of the log an error quotes. */
#define KVM_PROCESS_LOG_TAIL 1024

struct _kvmProcess {
    char *name;
    pid_t pid; /* 0 once reaped */
    kvmMonitor *mon;
    char *monitorPath;
    char *statusPath;
    char *logPath;
};

void kvmProcessFree(kvmProcess *proc)
{
    if (!proc)
        return;
    kvmMonitorClose(proc->mon);
    g_free(proc->name);
    g_free(proc->monitorPath);
    g_free(proc->statusPath);
    g_free(proc->logPath);
    g_free(proc);
}

pid_t kvmProcessGetPid(const kvmProcess *proc)
{
    return proc->pid;
}

kvmMonitor *kvmProcessGetMonitor(kvmProcess *proc)
{
    return proc->mon;
}

const char *kvmProcessGetStatusPath(const kvmProcess *proc)
{
    return proc->statusPath;
}

const char *kvmProcessGetLogPath(const kvmProcess *proc)
{
    return proc->logPath;
}

/* The last lines of the log, for an error message. Never NULL. */
static char *kvmProcessLogTail(const char *path, off_t from)
{
    g_autofree char *data = NULL;
    size_t len = 0;
    const char *start;

    if (fileReadAll(path, 64 * 1024 * 1024, &data, &len) < 0) {
        errorReset();
        return g_strdup("");
    }
    start = (size_t)from <= len ? data + from : data;
    if (strlen(start) > KVM_PROCESS_LOG_TAIL)
        start += strlen(start) - KVM_PROCESS_LOG_TAIL;
    return g_strstrip(g_strdup(start));
}

/* Opens the log for appending and writes the command line into it;
 * *@ret_offset is where QEMU's own output will begin. */
static int kvmProcessOpenLog(kvmProcess *proc, const cmdDef *cmd, int *ret_fd,
                             off_t *ret_offset)
{
    g_autofree char *line = cmdToString(cmd);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
    g_autofree char *text =
        g_strdup_printf("%s: starting up\n%s\n", stamp, line);
    int fd =
        open(proc->logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    off_t offset;

    if (fd < 0) {
        errorReportSystem(VMM_FROM_QEMU, errno, "cannot open log file '%s'",
                          proc->logPath);
        return -1;
    }
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
        (offset = lseek(fd, 0, SEEK_END)) < 0) {
        errorReportSystem(VMM_FROM_QEMU, errno, "cannot write log file '%s'",
                          proc->logPath);
        close(fd);
        return -1;
    }
    *ret_fd = fd;
    *ret_offset = offset;
    return 0;
}

/* true (and proc->pid cleared) when QEMU has exited. */
static bool kvmProcessReaped(kvmProcess *proc, int *ret_status)
{
    int status = 0;
    pid_t rc;

    if (proc->pid <= 0)
        return true;
    while ((rc = waitpid(proc->pid, &status, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (rc == 0)
        return false;
    /* Not our child (taken back after a restart): it is gone when it can
     * no longer be signalled. */
    if (rc < 0 && errno == ECHILD && kill(proc->pid, 0) == 0)
        return false;
    proc->pid = 0;
    if (ret_status)
        *ret_status = status;
    return true;
}

static int kvmProcessConnect(kvmProcess *proc, int timeoutMs,
                             const kvmMonitorCallbacks *callbacks, void *opaque,
                             off_t logOffset)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;

    for (;;) {
        g_autofree char *tail = NULL;

        if (kvmProcessReaped(proc, NULL)) {
            tail = kvmProcessLogTail(proc->logPath, logOffset);
            errorReport(VMM_FROM_QEMU, VMM_ERR_INTERNAL_ERROR,
                        "QEMU exited while starting '%s': %s", proc->name,
                        *tail ? tail : "(no message)");
            return -1;
        }
        if (kvmMonitorOpen(proc->monitorPath, 100, callbacks, opaque,
                           &proc->mon) == 0)
            return 0;
        if (g_get_monotonic_time() >= deadline)
            return -1;
        errorReset();
    }
}

static int kvmProcessWriteStatus(kvmProcess *proc, const domainDef *def, int id)
{
    g_autofree char *xml = domainDefFormat(def, id, DOMAIN_DEF_FORMAT_SECURE);
    g_autofree char *mon = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GString) body = g_string_new(NULL);

    if (!xml)
        return -1;
    mon = g_markup_escape_text(proc->monitorPath, -1);
    lines = g_strsplit(xml, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (*lines[i])
            g_string_append_printf(body, "  %s\n", lines[i]);
    }
    text = g_strdup_printf("<domstatus state='running' pid='%d'>\n"
                           "  <monitor path='%s' type='unix'/>\n"
                           "%s</domstatus>\n",
                           (int)proc->pid, mon, body->str);
    /* Status holds secrets (VNC passwords): owner only. */
    return fileWriteAtomic(proc->statusPath, text, strlen(text), 0600);
}

static void kvmProcessCleanupFiles(kvmProcess *proc)
{
    if (fileRemoveIfExists(proc->monitorPath) < 0 ||
        fileRemoveIfExists(proc->statusPath) < 0)
        errorReset(); /* nothing better to do; the next start removes them */
}

static kvmProcess *kvmProcessNew(const kvmProcessConfig *cfg,
                                 const domainDef *def)
{
    kvmProcess *proc = g_new0(kvmProcess, 1);
    g_autofree char *mon = g_strdup_printf("%s.monitor", def->name);
    g_autofree char *status = g_strdup_printf("%s.xml", def->name);
    g_autofree char *log = g_strdup_printf("%s.log", def->name);

    proc->name = g_strdup(def->name);
    proc->monitorPath = fileBuildPath(cfg->runDir, mon);
    proc->statusPath = fileBuildPath(cfg->runDir, status);
    proc->logPath = fileBuildPath(cfg->logDir, log);
    return proc;
}

static int kvmProcessCheckEmulator(const domainDef *def,
                                   const kvmProcessConfig *cfg)
{
    const char *emulator =
        def->devices.emulator ? def->devices.emulator : cfg->defaultEmulator;

    if (access(emulator, X_OK) < 0) {
        errorReportSystem(VMM_FROM_QEMU, errno,
                          "cannot run emulator '%s' of domain '%s'", emulator,
                          def->name);
        return -1;
    }
    return 0;
}

/* Spawns QEMU with its output going to the log. */
static int kvmProcessSpawn(kvmProcess *proc, const kvmProcessConfig *cfg,
                           const domainDef *def, bool incoming,
                           off_t *ret_offset)
{
    kvmCommandParams params = {
        .monitorPath = proc->monitorPath,
        .defaultEmulator = cfg->defaultEmulator,
        .startPaused = true,
        .incoming = incoming ? "defer" : NULL,
    };
    g_autoptr(cmdDef) cmd = kvmCommandBuild(def, &params);
    int logfd = -1;
    int rc;

    if (!cmd || kvmProcessCheckEmulator(def, cfg) < 0 ||
        kvmProcessOpenLog(proc, cmd, &logfd, ret_offset) < 0)
        return -1;
    cmdSetOutputFD(cmd, logfd);
    cmdSetErrorFD(cmd, logfd);
    rc = cmdRunAsync(cmd, &proc->pid);
    close(logfd);
    if (rc == 0)
        VMM_DEBUG("started QEMU for '%s' as pid %d", proc->name,
                  (int)proc->pid);
    return rc;
}

static int kvmProcessStartWith(const kvmProcessConfig *cfg,
                               const domainDef *def, int id, bool incoming,
                               const kvmMonitorCallbacks *callbacks,
                               void *opaque, kvmProcess **ret_proc)
{
    g_autoptr(kvmProcess) proc = NULL;
    off_t logOffset = 0;
    int timeout = cfg->monitorTimeoutMs > 0 ? cfg->monitorTimeoutMs : 30000;

    if (fileMakePath(cfg->runDir, 0700) < 0 ||
        fileMakePath(cfg->logDir, 0700) < 0)
        return -1;
    proc = kvmProcessNew(cfg, def);
    /* A stale socket from a QEMU that died would make bind() fail. */
    kvmProcessCleanupFiles(proc);
    if (kvmProcessSpawn(proc, cfg, def, incoming, &logOffset) < 0)
        return -1;
    if (kvmProcessConnect(proc, timeout, callbacks, opaque, logOffset) < 0 ||
        kvmProcessWriteStatus(proc, def, id) < 0 ||
        (!incoming && kvmMonitorCommand(proc->mon, "cont", NULL, NULL) < 0)) {
        g_autoptr(vmmError) saved = errorSave();

        kvmProcessStop(proc, 0);
        errorRestore(&saved);
        return -1;
    }
    *ret_proc = g_steal_pointer(&proc);
    return 0;
}

int kvmProcessStart(const kvmProcessConfig *cfg, const domainDef *def, int id,
                    const kvmMonitorCallbacks *callbacks, void *opaque,
                    kvmProcess **ret_proc)
{
    return kvmProcessStartWith(cfg, def, id, false, callbacks, opaque,
                               ret_proc);
}

int kvmProcessStartIncoming(const kvmProcessConfig *cfg, const domainDef *def,
                            int id, const kvmMonitorCallbacks *callbacks,
                            void *opaque, kvmProcess **ret_proc)
{
    return kvmProcessStartWith(cfg, def, id, true, callbacks, opaque, ret_proc);
}

/* Reads pid, monitor path and the live definition out of a status file. */
static int kvmProcessParseStatus(const char *path, const char *text,
                                 pid_t *ret_pid, char **ret_monitor,
                                 domainDef **ret_def, int *ret_id)
{
    g_autoptr(xmlDoc) doc = vxmlParseString(text, path, "domstatus");
    xmlNode *root, *mon, *dom;
    g_autofree char *monitor = NULL;
    g_autofree char *id = NULL;
    g_autofree char *domxml = NULL;
    unsigned long long pid = 0;
    domainDef *def;

    if (!doc)
        return -1;
    root = xmlDocGetRootElement(doc);
    if (vxmlPropULongLong(root, "pid", &pid) < 0 || pid == 0 ||
        pid > G_MAXINT || !(mon = vxmlChild(root, "monitor")) ||
        !(monitor = vxmlGetProp(mon, "path")) ||
        !(dom = vxmlChild(root, "domain"))) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_INTERNAL_ERROR,
                    "status file '%s' is incomplete", path);
        return -1;
    }
    id = vxmlGetProp(dom, "id");
    if (!(domxml = vxmlNodeToString(dom)) ||
        !(def = domainDefParseString(domxml, 0)))
        return -1;
    *ret_pid = (pid_t)pid;
    *ret_monitor = g_steal_pointer(&monitor);
    *ret_def = def;
    *ret_id = id ? atoi(id) : -1;
    return 0;
}

/* Whether @pid is a QEMU started for guest @name (and not a process that
 * got the pid of a dead one). */
static bool kvmProcessIsOurQemu(pid_t pid, const char *name)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    g_autofree char *cmdline = NULL;
    g_autofree char *escaped = kvmCommandEscape(name);
    g_autofree char *want = g_strdup_printf("guest=%s,", escaped);
    gsize len = 0;

    if (!g_file_get_contents(path, &cmdline, &len, NULL))
        return false;
    /* Arguments are NUL-separated; look at each. */
    for (gsize off = 0; off < len; off += strlen(cmdline + off) + 1) {
        if (g_str_has_prefix(cmdline + off, want))
            return true;
    }
    return false;
}

int kvmProcessAttach(const kvmProcessConfig *cfg, const char *name,
                     const kvmMonitorCallbacks *callbacks, void *opaque,
                     kvmProcess **ret_proc, domainDef **ret_def, int *ret_id)
{
    g_autoptr(kvmProcess) proc = NULL;
    g_autoptr(domainDef) def = NULL;
    g_autofree char *text = NULL;
    g_autofree char *monitor = NULL;
    domainDef probe = {.name = (char *)name};
    int id = -1;
    int timeout = cfg->monitorTimeoutMs > 0 ? cfg->monitorTimeoutMs : 30000;

    proc = kvmProcessNew(cfg, &probe);
    if (!g_file_test(proc->statusPath, G_FILE_TEST_EXISTS)) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_NO_DOMAIN, "no status file for '%s'",
                    name);
        return -1;
    }
    if (fileReadAll(proc->statusPath, 16 * 1024 * 1024, &text, NULL) < 0 ||
        kvmProcessParseStatus(proc->statusPath, text, &proc->pid, &monitor,
                              &def, &id) < 0)
        return -1;
    g_free(proc->monitorPath);
    proc->monitorPath = g_steal_pointer(&monitor);
    if (!kvmProcessIsOurQemu(proc->pid, name)) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED,
                    "QEMU of '%s' (pid %d) is no longer running", name,
                    (int)proc->pid);
        proc->pid = 0;
        kvmProcessCleanupFiles(proc);
        return -1;
    }
    if (kvmMonitorOpen(proc->monitorPath, timeout, callbacks, opaque,
                       &proc->mon) < 0)
        return -1;
    VMM_DEBUG("took back QEMU of '%s' (pid %d)", name, (int)proc->pid);
    *ret_proc = g_steal_pointer(&proc);
    *ret_def = g_steal_pointer(&def);
    *ret_id = id;
    return 0;
}

/* Waits up to @ms for QEMU to exit; true when it has been reaped. */
static bool kvmProcessWait(kvmProcess *proc, int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;

    while (!kvmProcessReaped(proc, NULL)) {
        if (g_get_monotonic_time() >= deadline)
            return false;
        g_usleep(5 * 1000);
    }
    return true;
}

void kvmProcessStop(kvmProcess *proc, int graceMs)
{
    if (proc->pid > 0) {
        VMM_DEBUG("stopping '%s' (pid %d)", proc->name, (int)proc->pid);
        if (graceMs > 0 && kill(proc->pid, SIGTERM) == 0)
            kvmProcessWait(proc, graceMs);
        if (proc->pid > 0) {
            kill(proc->pid, SIGKILL);
            /* SIGKILL cannot be refused; a few seconds cover an exit that
             * waits for the kernel to release the guest's memory. */
            kvmProcessWait(proc, 10000);
            proc->pid = 0;
        }
    }
    /* After QEMU is gone, so the reader thread sees EOF. */
    g_clear_pointer(&proc->mon, kvmMonitorClose);
    kvmProcessCleanupFiles(proc);
}
