/*
 * fd_stream.c: the stream driver over one file descriptor (see
 * fd_stream.h). The stream's user (a program, or vmmd relaying for a
 * client) runs on one thread at a time; only Kill and IsActive come from
 * elsewhere, so the state they share sits under a lock.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "fd_stream.h"
#include "util_error.h"
#include "util_event.h"

typedef struct {
    GMutex lock; /* closed, killed, reason */
    int fd;      /* -1 once closed */
    bool closed;
    bool killed;
    char *reason;
    int watch; /* 0: no callback */
} fdStream;

/* What a watch carries to the user's callback. */
typedef struct {
    vmmStreamPtr st;
    vmmStreamEventCallback cb;
    void *opaque;
    vmmFreeCallback ff;
} fdStreamCallback;

static fdStream *fdStreamGet(vmmStreamPtr st)
{
    return st->privateData;
}

/* Fails a call on a killed stream; lock not held. */
static bool fdStreamCheckAlive(fdStream *fs)
{
    g_autofree char *reason = NULL;

    g_mutex_lock(&fs->lock);
    if (fs->killed)
        reason = g_strdup(fs->reason);
    g_mutex_unlock(&fs->lock);
    if (!reason)
        return true;
    errorReport(VMM_FROM_STREAMS, VMM_ERR_OPERATION_FAILED, "%s", reason);
    return false;
}

/* Blocking streams wait here for @events; -1 on error. */
static int fdStreamWait(fdStream *fs, short events)
{
    struct pollfd pfd = {.fd = fs->fd, .events = events};

    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR) {
            errorReportSystem(VMM_FROM_STREAMS, errno, "cannot poll a stream");
            return -1;
        }
    }
    return 0;
}

static int fdStreamSend(vmmStreamPtr st, const char *data, size_t nbytes)
{
    fdStream *fs = fdStreamGet(st);

    if (!fdStreamCheckAlive(fs))
        return -1;
    for (;;) {
        ssize_t n = write(fs->fd, data, MIN(nbytes, (size_t)G_MAXINT));

        if (n >= 0)
            return (int)n;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            errorReportSystem(VMM_FROM_STREAMS, errno,
                              "cannot write to the stream");
            return -1;
        }
        if (st->flags & VMM_STREAM_NONBLOCK)
            return -2;
        if (fdStreamWait(fs, POLLOUT) < 0)
            return -1;
    }
}

static int fdStreamRecv(vmmStreamPtr st, char *data, size_t nbytes)
{
    fdStream *fs = fdStreamGet(st);

    if (!fdStreamCheckAlive(fs))
        return -1;
    for (;;) {
        ssize_t n = read(fs->fd, data, MIN(nbytes, (size_t)G_MAXINT));

        if (n >= 0)
            return (int)n;
        if (errno == EINTR)
            continue;
        /* A pty whose other side is gone (the guest stopped) says EIO:
         * for the reader that is the end of the data. */
        if (errno == EIO)
            return 0;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            errorReportSystem(VMM_FROM_STREAMS, errno,
                              "cannot read from the stream");
            return -1;
        }
        if (st->flags & VMM_STREAM_NONBLOCK)
            return -2;
        if (fdStreamWait(fs, POLLIN) < 0)
            return -1;
    }
}

static void fdStreamCallbackFree(void *data)
{
    fdStreamCallback *cbd = data;

    if (cbd->ff)
        cbd->ff(cbd->opaque);
    g_free(cbd);
}

static void fdStreamWatchFired(int watch G_GNUC_UNUSED, int fd G_GNUC_UNUSED,
                               int events, void *opaque)
{
    fdStreamCallback *cbd = opaque;

    cbd->cb(cbd->st, events, cbd->opaque);
}

static int fdStreamEventAdd(vmmStreamPtr st, int events,
                            vmmStreamEventCallback cb, void *opaque,
                            vmmFreeCallback ff)
{
    fdStream *fs = fdStreamGet(st);
    fdStreamCallback *cbd;

    if (fs->watch) {
        errorReport(VMM_FROM_STREAMS, VMM_ERR_INTERNAL_ERROR,
                    "the stream already has a callback");
        return -1;
    }
    cbd = g_new0(fdStreamCallback, 1);
    cbd->st = st;
    cbd->cb = cb;
    cbd->opaque = opaque;
    cbd->ff = ff;
    fs->watch = eventAddWatch(fs->fd, events, fdStreamWatchFired, cbd,
                              fdStreamCallbackFree);
    return 0;
}

static int fdStreamEventUpdate(vmmStreamPtr st, int events)
{
    fdStream *fs = fdStreamGet(st);

    if (!fs->watch) {
        errorReport(VMM_FROM_STREAMS, VMM_ERR_INTERNAL_ERROR,
                    "the stream has no callback");
        return -1;
    }
    eventUpdateWatch(fs->watch, events);
    return 0;
}

static int fdStreamEventRemove(vmmStreamPtr st)
{
    fdStream *fs = fdStreamGet(st);
    int watch = fs->watch;

    if (!watch) {
        errorReport(VMM_FROM_STREAMS, VMM_ERR_INTERNAL_ERROR,
                    "the stream has no callback");
        return -1;
    }
    fs->watch = 0;
    eventRemoveWatch(watch);
    return 0;
}

/* Drops the callback and the descriptor; both Finish and Abort. */
static void fdStreamClose(fdStream *fs)
{
    int watch = fs->watch;
    int fd;

    fs->watch = 0;
    if (watch)
        eventRemoveWatch(watch);
    g_mutex_lock(&fs->lock);
    fd = fs->fd;
    fs->fd = -1;
    fs->closed = true;
    g_mutex_unlock(&fs->lock);
    if (fd >= 0)
        close(fd);
}

static int fdStreamFinish(vmmStreamPtr st)
{
    fdStream *fs = fdStreamGet(st);
    bool alive = fdStreamCheckAlive(fs);

    fdStreamClose(fs);
    return alive ? 0 : -1;
}

static int fdStreamAbort(vmmStreamPtr st)
{
    fdStreamClose(fdStreamGet(st));
    return 0;
}

static void fdStreamRelease(vmmStreamPtr st)
{
    fdStream *fs = fdStreamGet(st);

    if (!fs)
        return;
    fdStreamClose(fs);
    g_mutex_clear(&fs->lock);
    g_free(fs->reason);
    g_free(fs);
    st->privateData = NULL;
}

static const vmmStreamDriver fdStreamDriver = {
    .streamSend = fdStreamSend,
    .streamRecv = fdStreamRecv,
    .streamEventAddCallback = fdStreamEventAdd,
    .streamEventUpdateCallback = fdStreamEventUpdate,
    .streamEventRemoveCallback = fdStreamEventRemove,
    .streamFinish = fdStreamFinish,
    .streamAbort = fdStreamAbort,
    .streamRelease = fdStreamRelease,
};

int fdStreamOpen(vmmStreamPtr st, int fd)
{
    fdStream *fs;
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        errorReportSystem(VMM_FROM_STREAMS, errno,
                          "cannot make the stream's descriptor non-blocking");
        close(fd);
        return -1;
    }
    fs = g_new0(fdStream, 1);
    g_mutex_init(&fs->lock);
    fs->fd = fd;
    st->privateData = fs;
    st->driver = &fdStreamDriver;
    return 0;
}

bool fdStreamIsActive(vmmStreamPtr st)
{
    fdStream *fs;
    bool active;

    if (st->driver != &fdStreamDriver)
        return false;
    fs = fdStreamGet(st);
    g_mutex_lock(&fs->lock);
    active = !fs->closed && !fs->killed;
    g_mutex_unlock(&fs->lock);
    return active;
}

/* On the loop, once: tells the user's callback that the stream was taken. */
static void fdStreamKillNotify(int timer, void *data)
{
    vmmStreamPtr st = data;
    fdStream *fs = fdStreamGet(st);

    eventRemoveTimer(timer);
    /* The user reads or writes on its next wakeup and gets the error;
     * asking for both conditions makes that wakeup come at once. */
    if (fs && fs->watch)
        eventUpdateWatch(fs->watch, EVENT_READABLE | EVENT_WRITABLE);
}

static void fdStreamKillDone(void *data)
{
    vmmStreamFree(data);
}

void fdStreamKill(vmmStreamPtr st, const char *reason)
{
    fdStream *fs;

    if (st->driver != &fdStreamDriver)
        return;
    fs = fdStreamGet(st);
    g_mutex_lock(&fs->lock);
    if (!fs->killed && !fs->closed) {
        fs->killed = true;
        fs->reason = g_strdup(reason);
    }
    g_mutex_unlock(&fs->lock);
    g_atomic_int_inc(&st->refs);
    eventAddTimer(0, fdStreamKillNotify, st, fdStreamKillDone);
}
