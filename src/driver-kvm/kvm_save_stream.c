/*
 * kvm_save_stream.c: a save image's bytes between QEMU's migration socket
 * and the image file, moved by one thread per save or restore (see
 * kvm_save_stream.h).
 *
 * The thread waits only in poll(), on the descriptor it needs and on a
 * wake-up pipe, so abandoning it is one byte into the pipe; it never
 * reports errors itself (errors are thread-local): it leaves an errno for
 * the job's thread, which reports it once.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kvm_driver_state.h"
#include "kvm_save_stream.h"
#include "util_error.h"

#define KVM_STREAM_CHUNK (256 * 1024)
/* The thread gave up because it was told to (not an errno). */
#define KVM_STREAM_ABANDONED (-1)
/* How long a restore tries to reach QEMU's socket. */
#define KVM_STREAM_CONNECT_MS 5000

struct _kvmSaveStream {
    char *sockPath; /* save: the listening socket, removed at the end */
    int listenFd;   /* save: until QEMU connects */
    int sockFd;     /* the connection with QEMU */
    int fileFd;     /* the image, not owned */
    int wakeFd[2];  /* a byte written to [1] abandons the copy */
    bool toFile;    /* save: QEMU -> image; restore: image -> QEMU */
    char *prefix;   /* save: written before QEMU's bytes */
    size_t prefixLen;
    GThread *thread;

    GMutex lock; /* guards what follows */
    GCond cond;
    guint64 bytes;
    bool done;
    int result;     /* 0, an errno, or KVM_STREAM_ABANDONED */
    const char *op; /* what failed: "write the image", ... */
};

static void streamCloseFd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static kvmSaveStream *streamNew(int fileFd, bool toFile)
{
    kvmSaveStream *s = g_new0(kvmSaveStream, 1);

    s->listenFd = s->sockFd = -1;
    s->wakeFd[0] = s->wakeFd[1] = -1;
    s->fileFd = fileFd;
    s->toFile = toFile;
    g_mutex_init(&s->lock);
    g_cond_init(&s->cond);
    return s;
}

void kvmSaveStreamFree(kvmSaveStream *s)
{
    if (!s)
        return;
    if (s->thread) {
        if (write(s->wakeFd[1], "x", 1) < 0) {
            /* The pipe is empty and ours: this cannot fail. */
        }
        g_thread_join(s->thread);
    }
    streamCloseFd(&s->listenFd);
    streamCloseFd(&s->sockFd);
    streamCloseFd(&s->wakeFd[0]);
    streamCloseFd(&s->wakeFd[1]);
    if (s->sockPath)
        unlink(s->sockPath);
    g_free(s->sockPath);
    g_free(s->prefix);
    g_mutex_clear(&s->lock);
    g_cond_clear(&s->cond);
    g_free(s);
}

/* Waits until @fd is ready for @events: 0, an errno, or ABANDONED. An
 * error or hang-up on @fd counts as ready: the next call says what. */
static int streamWaitFd(kvmSaveStream *s, int fd, short events)
{
    struct pollfd fds[2] = {{.fd = fd, .events = events},
                            {.fd = s->wakeFd[0], .events = POLLIN}};

    for (;;) {
        int n = poll(fds, 2, -1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (fds[1].revents)
            return KVM_STREAM_ABANDONED;
        if (fds[0].revents)
            return 0;
    }
}

static void streamCount(kvmSaveStream *s, size_t n)
{
    g_mutex_lock(&s->lock);
    s->bytes += n;
    g_mutex_unlock(&s->lock);
}

static int streamWriteAll(kvmSaveStream *s, int fd, const char *buf, size_t len)
{
    while (len > 0) {
        int rc = streamWaitFd(s, fd, POLLOUT);
        ssize_t n;

        if (rc != 0)
            return rc;
        /* MSG_NOSIGNAL where it applies: a QEMU gone is an error here,
         * not a signal. */
        n = fd == s->sockFd ? send(fd, buf, len, MSG_NOSIGNAL)
                            : write(fd, buf, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return errno;
        buf += n;
        len -= n;
        streamCount(s, n);
    }
    return 0;
}

/* Copies @in to @out until @in ends; *@ret_op says which side failed. */
static int streamCopy(kvmSaveStream *s, int in, int out, const char **ret_op)
{
    g_autofree char *buf = g_malloc(KVM_STREAM_CHUNK);

    for (;;) {
        int rc = streamWaitFd(s, in, POLLIN);
        ssize_t n;

        *ret_op = in == s->fileFd ? "read the image" : "read from QEMU";
        if (rc != 0)
            return rc;
        n = read(in, buf, KVM_STREAM_CHUNK);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return 0;
        *ret_op = out == s->fileFd ? "write the image" : "send to QEMU";
        if ((rc = streamWriteAll(s, out, buf, n)) != 0)
            return rc;
    }
}

static int streamAccept(kvmSaveStream *s)
{
    int rc = streamWaitFd(s, s->listenFd, POLLIN);

    if (rc != 0)
        return rc;
    s->sockFd = accept4(s->listenFd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (s->sockFd < 0)
        return errno;
    streamCloseFd(&s->listenFd);
    return 0;
}

static int streamSave(kvmSaveStream *s, const char **ret_op)
{
    int rc;

    *ret_op = "write the image";
    if ((rc = streamWriteAll(s, s->fileFd, s->prefix, s->prefixLen)) != 0)
        return rc;
    *ret_op = "accept QEMU's connection";
    if ((rc = streamAccept(s)) != 0 ||
        (rc = streamCopy(s, s->sockFd, s->fileFd, ret_op)) != 0)
        return rc;
    *ret_op = "write the image";
    /* A FIFO or a pipe has nothing to flush (EINVAL). */
    if (fdatasync(s->fileFd) < 0 && errno != EINVAL)
        return errno;
    return 0;
}

static gpointer streamThread(gpointer data)
{
    kvmSaveStream *s = data;
    const char *op = NULL;
    int rc;

    if (s->toFile) {
        rc = streamSave(s, &op);
    } else {
        rc = streamCopy(s, s->fileFd, s->sockFd, &op);
        /* QEMU reads to the end of the stream. */
        if (rc == 0)
            shutdown(s->sockFd, SHUT_WR);
    }
    g_mutex_lock(&s->lock);
    s->done = true;
    s->result = rc;
    s->op = op;
    g_cond_broadcast(&s->cond);
    g_mutex_unlock(&s->lock);
    return NULL;
}

static int streamStart(kvmSaveStream *s)
{
    if (pipe2(s->wakeFd, O_CLOEXEC) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot create a pipe");
        return -1;
    }
    s->thread = g_thread_new("kvm-save-stream", streamThread, s);
    return 0;
}

static int streamAddress(const char *path, struct sockaddr_un *ret_addr)
{
    memset(ret_addr, 0, sizeof(*ret_addr));
    ret_addr->sun_family = AF_UNIX;
    if (g_strlcpy(ret_addr->sun_path, path, sizeof(ret_addr->sun_path)) >=
        sizeof(ret_addr->sun_path)) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "socket path '%s' is too long", path);
        return -1;
    }
    return 0;
}

int kvmSaveStreamListen(const char *sockPath, int fileFd, const void *prefix,
                        size_t prefixLen, kvmSaveStream **ret_stream)
{
    g_autoptr(kvmSaveStream) s = streamNew(fileFd, true);
    struct sockaddr_un addr;

    if (streamAddress(sockPath, &addr) < 0)
        return -1;
    s->prefix = g_memdup2(prefix, prefixLen);
    s->prefixLen = prefixLen;
    s->listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listenFd < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot create a socket");
        return -1;
    }
    unlink(sockPath);
    if (bind(s->listenFd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot bind '%s'", sockPath);
        return -1;
    }
    s->sockPath = g_strdup(sockPath);
    if (listen(s->listenFd, 1) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot listen on '%s'", sockPath);
        return -1;
    }
    if (streamStart(s) < 0)
        return -1;
    *ret_stream = g_steal_pointer(&s);
    return 0;
}

/* Connects to @addr, retrying a little while nobody listens yet. */
static int streamConnect(int fd, const struct sockaddr_un *addr)
{
    gint64 deadline = g_get_monotonic_time() +
                      KVM_STREAM_CONNECT_MS * G_TIME_SPAN_MILLISECOND;

    while (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
        if ((errno != ENOENT && errno != ECONNREFUSED && errno != EINTR) ||
            g_get_monotonic_time() > deadline) {
            errorReportSystem(KVM_ERR, errno, "cannot connect to '%s'",
                              addr->sun_path);
            return -1;
        }
        g_usleep(10 * 1000);
    }
    return 0;
}

int kvmSaveStreamFeed(const char *sockPath, int fileFd,
                      kvmSaveStream **ret_stream)
{
    g_autoptr(kvmSaveStream) s = streamNew(fileFd, false);
    struct sockaddr_un addr;

    if (streamAddress(sockPath, &addr) < 0)
        return -1;
    s->sockFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->sockFd < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot create a socket");
        return -1;
    }
    if (streamConnect(s->sockFd, &addr) < 0)
        return -1;
    if (fcntl(s->sockFd, F_SETFL, O_NONBLOCK) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot set up '%s'", sockPath);
        return -1;
    }
    if (streamStart(s) < 0)
        return -1;
    *ret_stream = g_steal_pointer(&s);
    return 0;
}

guint64 kvmSaveStreamBytes(kvmSaveStream *s)
{
    guint64 n;

    g_mutex_lock(&s->lock);
    n = s->bytes;
    g_mutex_unlock(&s->lock);
    return n;
}

int kvmSaveStreamWait(kvmSaveStream *s, int timeoutMs, const char *what)
{
    gint64 deadline =
        g_get_monotonic_time() + timeoutMs * G_TIME_SPAN_MILLISECOND;
    int result;
    const char *op;

    g_mutex_lock(&s->lock);
    while (!s->done && g_cond_wait_until(&s->cond, &s->lock, deadline)) {
    }
    if (!s->done) {
        g_mutex_unlock(&s->lock);
        return 1;
    }
    result = s->result;
    op = s->op;
    g_mutex_unlock(&s->lock);
    if (result == 0)
        return 0;
    if (result == KVM_STREAM_ABANDONED)
        errorReport(KVM_ERR, VMM_ERR_OPERATION_ABORTED,
                    "copying '%s' was abandoned", what);
    else
        errorReportSystem(KVM_ERR, result, "cannot %s '%s'", op ? op : "copy",
                          what);
    return -1;
}
