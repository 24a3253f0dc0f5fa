/*
 * kvm_monitor.c: QMP over a unix socket, one reader thread per monitor.
 *
 * The reader thread splits the stream into lines (QMP sends one JSON
 * document per line), hands events to the callback and the reply of the
 * command in flight to the thread waiting for it. Only one command is in
 * flight at a time (cmdLock), so a reply needs no matching beyond a sanity
 * check of its "id". Errors seen by the reader thread are kept as text and
 * raised in the waiting thread, since the last error is per thread.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util_error.h"
#include "util_log.h"
#include "kvm_monitor.h"

VMM_LOG_INIT("kvm.monitor");

/* How long a connected QEMU may take to send its greeting. */
#define KVM_MONITOR_GREETING_MS 30000

/* A reply bigger than this is refused (query-qmp-schema is ~200 KiB). */
#define KVM_MONITOR_MAX_LINE (16 * 1024 * 1024)

struct _kvmMonitor {
    int fd;
    GThread *thread;
    kvmMonitorCallbacks cb;
    void *opaque;
    unsigned int version[3];

    GMutex cmdLock; /* one command in flight */
    GMutex lock;    /* everything below */
    GCond cond;
    bool open;    /* the connection is up */
    bool closing; /* kvmMonitorClose has begun */
    unsigned long long serial;
    char *waitId;     /* id of the command in flight, or NULL */
    jsonValue *reply; /* its reply, once read */
    char *failure;    /* why the connection ended, once it has */
};

static int kvmMonitorConnect(const char *path, int timeoutMs, int *ret_fd)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_INTERNAL_ERROR,
                    "monitor socket path '%s' is too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    for (;;) {
        int err;

        if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
            errorReportSystem(VMM_FROM_QEMU, errno, "cannot create socket");
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
            break;
        err = errno;
        close(fd);
        /* QEMU creates the socket a little after it starts. */
        if ((err != ENOENT && err != ECONNREFUSED) ||
            g_get_monotonic_time() >= deadline) {
            errorReportSystem(VMM_FROM_QEMU, err,
                              "cannot connect to QEMU monitor '%s'", path);
            return -1;
        }
        g_usleep(10 * 1000);
    }
    *ret_fd = fd;
    return 0;
}

/* Reads one line from @fd into @buf (which keeps what follows it), giving
 * up after @timeoutMs (-1: never). Returns 1 with *@ret_line, 0 on EOF, -1
 * on error with *@ret_why. */
static int kvmMonitorReadLine(int fd, GString *buf, int timeoutMs,
                              char **ret_line, char **ret_why)
{
    for (;;) {
        char *nl = memchr(buf->str, '\n', buf->len);
        char chunk[4096];
        ssize_t n;

        if (nl) {
            size_t len = nl - buf->str;

            *ret_line = g_strndup(buf->str, len);
            g_string_erase(buf, 0, len + 1);
            return 1;
        }
        if (buf->len > KVM_MONITOR_MAX_LINE) {
            *ret_why = g_strdup("QEMU monitor message too long");
            return -1;
        }
        if (timeoutMs >= 0) {
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            int rc = poll(&pfd, 1, timeoutMs);

            if (rc == 0) {
                *ret_why = g_strdup("timed out waiting for QEMU monitor");
                return -1;
            }
        }
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        /* A QEMU that quits may reset the connection instead of closing
         * it: that is an EOF as well. */
        if (n < 0 && errno == ECONNRESET)
            return 0;
        if (n < 0) {
            *ret_why = g_strdup_printf("cannot read QEMU monitor: %s",
                                       g_strerror(errno));
            return -1;
        }
        if (n == 0)
            return 0;
        g_string_append_len(buf, chunk, n);
    }
}

static void kvmMonitorDispatchEvent(kvmMonitor *mon, jsonValue *msg)
{
    const char *name = jsonObjectGetString(msg, "event");
    jsonValue *ts = jsonObjectHasKey(msg, "timestamp")
                        ? jsonObjectGetObject(msg, "timestamp")
                        : NULL;
    gint64 seconds = 0, micros = 0;

    if (!name)
        return;
    if (ts) {
        jsonObjectGetNumberInt64(ts, "seconds", &seconds);
        jsonObjectGetNumberInt64(ts, "microseconds", &micros);
    }
    VMM_DEBUG("event %s on monitor %d", name, mon->fd);
    if (mon->cb.event)
        mon->cb.event(mon, name,
                      jsonObjectHasKey(msg, "data") ? jsonObjectGet(msg, "data")
                                                    : NULL,
                      seconds, (unsigned int)micros, mon->opaque);
}

/* Hands a reply to the waiting thread; a reply nobody waits for (its
 * waiter gave up on EOF) is dropped. */
static void kvmMonitorDispatchReply(kvmMonitor *mon, jsonValue **msg)
{
    const char *id = jsonObjectHasKey(*msg, "id")
                         ? jsonValueGetString(jsonObjectGet(*msg, "id"))
                         : NULL;

    g_mutex_lock(&mon->lock);
    if (mon->waitId && id && g_str_equal(id, mon->waitId) && !mon->reply) {
        mon->reply = g_steal_pointer(msg);
        g_cond_broadcast(&mon->cond);
    } else {
        VMM_DEBUG("dropping unexpected reply id=%s", id ? id : "(none)");
    }
    g_mutex_unlock(&mon->lock);
}

static void kvmMonitorHandleLine(kvmMonitor *mon, const char *line)
{
    g_autoptr(jsonValue) msg = NULL;

    if (!*line || g_str_equal(line, "\r"))
        return;
    if (!(msg = jsonParse(line)) || jsonValueGetType(msg) != JSON_TYPE_OBJECT) {
        /* Not fatal: log it and go on reading. */
        VMM_WARN("unparsable QMP message: %.200s", line);
        errorReset();
        return;
    }
    if (jsonObjectHasKey(msg, "event"))
        kvmMonitorDispatchEvent(mon, msg);
    else
        kvmMonitorDispatchReply(mon, &msg);
    errorReset();
}

static gpointer kvmMonitorThread(gpointer data)
{
    kvmMonitor *mon = data;
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autofree char *why = NULL;
    bool closing;
    int rc;

    for (;;) {
        g_autofree char *line = NULL;

        rc = kvmMonitorReadLine(mon->fd, buf, -1, &line, &why);
        if (rc <= 0)
            break;
        kvmMonitorHandleLine(mon, line);
    }
    g_mutex_lock(&mon->lock);
    mon->open = false;
    mon->failure = g_strdup(why ? why : "QEMU monitor closed");
    closing = mon->closing;
    g_cond_broadcast(&mon->cond);
    g_mutex_unlock(&mon->lock);
    VMM_DEBUG("monitor %d ended: %s", mon->fd, mon->failure);
    if (!closing && mon->cb.eof)
        mon->cb.eof(mon, rc < 0, mon->opaque);
    return NULL;
}

static int kvmMonitorWrite(kvmMonitor *mon, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(mon->fd, data, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errorReportSystem(VMM_FROM_QEMU, errno,
                              "cannot write to QEMU monitor");
            return -1;
        }
        data += n;
        len -= n;
    }
    return 0;
}

static void kvmMonitorParseGreeting(kvmMonitor *mon, jsonValue *greeting)
{
    jsonValue *qmp = jsonObjectHasKey(greeting, "QMP")
                         ? jsonObjectGetObject(greeting, "QMP")
                         : NULL;
    jsonValue *version = NULL, *qemu = NULL;
    static const char *const keys[] = {"major", "minor", "micro"};

    if (qmp && jsonObjectHasKey(qmp, "version"))
        version = jsonObjectGetObject(qmp, "version");
    if (version && jsonObjectHasKey(version, "qemu"))
        qemu = jsonObjectGetObject(version, "qemu");
    for (size_t i = 0; qemu && i < G_N_ELEMENTS(keys); i++) {
        guint64 v = 0;

        if (jsonObjectGetNumberUint64(qemu, keys[i], &v) == 0)
            mon->version[i] = (unsigned int)v;
    }
    errorReset();
}

static int kvmMonitorReadGreeting(kvmMonitor *mon, int timeoutMs)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autofree char *line = NULL;
    g_autofree char *why = NULL;
    g_autoptr(jsonValue) greeting = NULL;
    int rc = kvmMonitorReadLine(mon->fd, buf, timeoutMs, &line, &why);

    if (rc <= 0) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED,
                    "no QMP greeting: %s", why ? why : "QEMU monitor closed");
        return -1;
    }
    if (!(greeting = jsonParse(line)) ||
        jsonValueGetType(greeting) != JSON_TYPE_OBJECT ||
        !jsonObjectHasKey(greeting, "QMP")) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED,
                    "bad QMP greeting: %.200s", line);
        return -1;
    }
    kvmMonitorParseGreeting(mon, greeting);
    if (buf->len) {
        /* QEMU sends nothing before qmp_capabilities, so this is a peer
         * that does not speak QMP. */
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED,
                    "unexpected data after the QMP greeting");
        return -1;
    }
    return 0;
}

int kvmMonitorOpen(const char *path, int timeoutMs,
                   const kvmMonitorCallbacks *callbacks, void *opaque,
                   kvmMonitor **ret_mon)
{
    g_autoptr(kvmMonitor) mon = g_new0(kvmMonitor, 1);

    mon->fd = -1;
    g_mutex_init(&mon->cmdLock);
    g_mutex_init(&mon->lock);
    g_cond_init(&mon->cond);
    if (callbacks)
        mon->cb = *callbacks;
    mon->opaque = opaque;
    /* Once connected we wait for this connection's greeting rather than
     * give up and connect again: QEMU serves one monitor client, and a
     * second connection queued behind a slow first one can leave its main
     * loop blocked in accept() for good (seen under load). A QEMU that
     * dies meanwhile closes the socket, which ends the wait at once. */
    if (kvmMonitorConnect(path, timeoutMs, &mon->fd) < 0 ||
        kvmMonitorReadGreeting(mon, MAX(timeoutMs, KVM_MONITOR_GREETING_MS)) <
            0)
        return -1;
    mon->open = true;
    mon->thread = g_thread_new("kvm-monitor", kvmMonitorThread, mon);
    if (kvmMonitorCommand(mon, "qmp_capabilities", NULL, NULL) < 0)
        return -1;
    VMM_DEBUG("connected to QEMU %u.%u.%u at %s", mon->version[0],
              mon->version[1], mon->version[2], path);
    *ret_mon = g_steal_pointer(&mon);
    return 0;
}

void kvmMonitorClose(kvmMonitor *mon)
{
    if (!mon)
        return;
    if (mon->thread) {
        g_mutex_lock(&mon->lock);
        mon->closing = true;
        g_mutex_unlock(&mon->lock);
        /* Wakes the reader thread out of read(). */
        shutdown(mon->fd, SHUT_RDWR);
        g_thread_join(mon->thread);
    }
    if (mon->fd >= 0)
        close(mon->fd);
    jsonValueFree(mon->reply);
    g_free(mon->waitId);
    g_free(mon->failure);
    g_cond_clear(&mon->cond);
    g_mutex_clear(&mon->lock);
    g_mutex_clear(&mon->cmdLock);
    g_free(mon);
}

void kvmMonitorGetVersion(const kvmMonitor *mon, unsigned int *ret_major,
                          unsigned int *ret_minor, unsigned int *ret_micro)
{
    *ret_major = mon->version[0];
    *ret_minor = mon->version[1];
    *ret_micro = mon->version[2];
}

bool kvmMonitorIsOpen(kvmMonitor *mon)
{
    bool open;

    g_mutex_lock(&mon->lock);
    open = mon->open;
    g_mutex_unlock(&mon->lock);
    return open;
}

/* The text to send for @command, tagged with @id. */
static char *kvmMonitorFormatCommand(const char *command, const jsonValue *args,
                                     const char *id)
{
    g_autoptr(jsonValue) msg = jsonValueNewObject();
    g_autoptr(jsonValue) copy = args ? jsonValueCopy(args) : NULL;
    g_autofree char *text = NULL;

    if (jsonObjectAppendString(msg, "execute", command) < 0 ||
        (copy && jsonObjectAppend(msg, "arguments", &copy) < 0) ||
        jsonObjectAppendString(msg, "id", id) < 0 ||
        !(text = jsonFormat(msg, false)))
        return NULL;
    return g_strconcat(text, "\r\n", NULL);
}

/* Waits for the reply to the command in flight; takes it. */
static jsonValue *kvmMonitorWaitReply(kvmMonitor *mon, const char *command)
{
    jsonValue *reply;

    g_mutex_lock(&mon->lock);
    while (!mon->reply && mon->open)
        g_cond_wait(&mon->cond, &mon->lock);
    reply = g_steal_pointer(&mon->reply);
    g_clear_pointer(&mon->waitId, g_free);
    if (!reply)
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED,
                    "%s while running '%s'", mon->failure, command);
    g_mutex_unlock(&mon->lock);
    return reply;
}

static int kvmMonitorCheckReply(jsonValue *reply, const char *command,
                                jsonValue **ret_reply)
{
    jsonValue *ret = NULL;

    if (jsonObjectHasKey(reply, "error")) {
        jsonValue *err = jsonObjectGet(reply, "error");
        const char *desc = NULL;

        if (jsonValueGetType(err) == JSON_TYPE_OBJECT &&
            jsonObjectHasKey(err, "desc"))
            desc = jsonValueGetString(jsonObjectGet(err, "desc"));
        errorReset();
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED, "%s",
                    desc ? desc : "QEMU command failed without a reason");
        return -1;
    }
    if (!jsonObjectHasKey(reply, "return")) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED,
                    "reply to '%s' has neither 'return' nor 'error'", command);
        return -1;
    }
    if (ret_reply) {
        if (jsonObjectStealKey(reply, "return", &ret) < 0)
            return -1;
        *ret_reply = ret;
    }
    return 0;
}

int kvmMonitorCommand(kvmMonitor *mon, const char *command,
                      const jsonValue *args, jsonValue **ret_reply)
{
    g_autofree char *id = NULL;
    g_autofree char *text = NULL;
    g_autoptr(jsonValue) reply = NULL;
    int ret = -1;

    g_mutex_lock(&mon->cmdLock);
    g_mutex_lock(&mon->lock);
    if (!mon->open) {
        errorReport(
            VMM_FROM_QEMU, VMM_ERR_OPERATION_FAILED, "%s, cannot run '%s'",
            mon->failure ? mon->failure : "QEMU monitor closed", command);
        g_mutex_unlock(&mon->lock);
        goto out;
    }
    id = g_strdup_printf("vmm-%llu", ++mon->serial);
    mon->waitId = g_strdup(id);
    g_mutex_unlock(&mon->lock);

    VMM_DEBUG("sending '%s' (%s)", command, id);
    if (!(text = kvmMonitorFormatCommand(command, args, id)) ||
        kvmMonitorWrite(mon, text, strlen(text)) < 0) {
        g_mutex_lock(&mon->lock);
        g_clear_pointer(&mon->waitId, g_free);
        g_mutex_unlock(&mon->lock);
        goto out;
    }
    if (!(reply = kvmMonitorWaitReply(mon, command)))
        goto out;
    ret = kvmMonitorCheckReply(reply, command, ret_reply);
out:
    g_mutex_unlock(&mon->cmdLock);
    return ret;
}

int kvmMonitorQueryStatus(kvmMonitor *mon, char **ret_status, bool *ret_running)
{
    g_autoptr(jsonValue) reply = NULL;
    const char *status;
    bool running;

    if (kvmMonitorCommand(mon, "query-status", NULL, &reply) < 0)
        return -1;
    if (!(status = jsonObjectGetString(reply, "status")) ||
        jsonObjectGetBoolean(reply, "running", &running) < 0)
        return -1;
    if (ret_status)
        *ret_status = g_strdup(status);
    if (ret_running)
        *ret_running = running;
    return 0;
}
