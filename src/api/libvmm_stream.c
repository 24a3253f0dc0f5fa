/*
 * libvmm_stream.c: the public stream calls of vmm-stream.h and
 * vmmDomainOpenConsole. A stream is created unbound; the call that opens
 * it (here the console) lets the connection's driver set a stream driver
 * on it, and every later call goes through that table. This file holds
 * only the checks and the object's life; the bytes are moved by
 * fd_stream.c (local drivers) or the remote driver.
 */
#include <config.h>

#include "api_entry.h"

#define CONSOLE_FLAGS (VMM_DOMAIN_CONSOLE_FORCE | VMM_DOMAIN_CONSOLE_SAFE)

/* Reports an invalid stream (no connection dispatch: there may be none). */
static bool streamCheck(vmmStreamPtr st, const char *func)
{
    if (st && st->conn && st->conn->driver)
        return true;
    errorReport(VMM_FROM_STREAMS, VMM_ERR_INVALID_STREAM, "%s", func);
    return false;
}

/* A stream that data may go through: bound and not closed yet. */
static bool streamCheckOpen(vmmStreamPtr st, const char *func)
{
    if (!streamCheck(st, func))
        return false;
    if (st->driver && !st->closed)
        return true;
    errorReport(VMM_FROM_STREAMS, VMM_ERR_OPERATION_INVALID,
                st->driver ? "the stream is already closed"
                           : "the stream is not open");
    apiDispatchError(st->conn);
    return false;
}

#define STREAM_ENTER(st, fail)                                                 \
    do {                                                                       \
        errorReset();                                                          \
        if (!streamCheckOpen(st, __func__))                                    \
            return fail;                                                       \
    } while (0)

/* Returns what stream driver slot @slot gives for (...). */
#define STREAM_RETURN(st, slot, ...)                                           \
    do {                                                                       \
        int r_;                                                                \
        if (!(st)->driver->slot) {                                             \
            apiReportNoSupport((st)->conn, __func__);                          \
            return -1;                                                         \
        }                                                                      \
        r_ = (st)->driver->slot(__VA_ARGS__);                                  \
        if (r_ == -1)                                                          \
            apiDispatchError((st)->conn);                                      \
        return r_;                                                             \
    } while (0)

vmmStreamPtr vmmStreamNew(vmmConnectPtr conn, unsigned int flags)
{
    vmmStreamPtr st;

    API_ENTER_CONN(conn, NULL);
    API_CHECK_FLAGS(conn, flags, VMM_STREAM_NONBLOCK, NULL);
    st = g_new0(vmmStream, 1);
    st->refs = 1;
    st->conn = connectRef(conn);
    st->flags = flags;
    return st;
}

int vmmStreamRef(vmmStreamPtr stream)
{
    errorReset();
    if (!streamCheck(stream, __func__))
        return -1;
    g_atomic_int_inc(&stream->refs);
    return 0;
}

static void streamDispose(vmmStreamPtr st)
{
    if (st->driver) {
        /* Nobody can finish it any more: whatever is in flight goes. */
        if (!st->closed && st->driver->streamAbort &&
            st->driver->streamAbort(st) < 0)
            errorReset();
        if (st->driver->streamRelease)
            st->driver->streamRelease(st);
    }
    connectUnref(st->conn);
    g_free(st);
}

int vmmStreamFree(vmmStreamPtr stream)
{
    errorReset();
    if (!streamCheck(stream, __func__))
        return -1;
    if (g_atomic_int_dec_and_test(&stream->refs))
        streamDispose(stream);
    return 0;
}

int vmmStreamSend(vmmStreamPtr stream, const char *data, size_t nbytes)
{
    STREAM_ENTER(stream, -1);
    API_CHECK_NONNULL(stream->conn, data, -1);
    STREAM_RETURN(stream, streamSend, stream, data, nbytes);
}

int vmmStreamRecv(vmmStreamPtr stream, char *data, size_t nbytes)
{
    STREAM_ENTER(stream, -1);
    API_CHECK_NONNULL(stream->conn, data, -1);
    STREAM_RETURN(stream, streamRecv, stream, data, nbytes);
}

int vmmStreamEventAddCallback(vmmStreamPtr stream, int events,
                              vmmStreamEventCallback cb, void *opaque,
                              vmmFreeCallback ff)
{
    STREAM_ENTER(stream, -1);
    API_CHECK_NONNULL(stream->conn, cb, -1);
    STREAM_RETURN(stream, streamEventAddCallback, stream, events, cb, opaque,
                  ff);
}

int vmmStreamEventUpdateCallback(vmmStreamPtr stream, int events)
{
    STREAM_ENTER(stream, -1);
    STREAM_RETURN(stream, streamEventUpdateCallback, stream, events);
}

int vmmStreamEventRemoveCallback(vmmStreamPtr stream)
{
    STREAM_ENTER(stream, -1);
    STREAM_RETURN(stream, streamEventRemoveCallback, stream);
}

int vmmStreamFinish(vmmStreamPtr stream)
{
    STREAM_ENTER(stream, -1);
    /* Closed whatever the outcome: a failed finish cannot be retried. */
    stream->closed = true;
    STREAM_RETURN(stream, streamFinish, stream);
}

int vmmStreamAbort(vmmStreamPtr stream)
{
    errorReset();
    if (!streamCheck(stream, __func__))
        return -1;
    /* Aborting what never opened or already closed is harmless. */
    if (!stream->driver || stream->closed) {
        stream->closed = true;
        return 0;
    }
    stream->closed = true;
    STREAM_RETURN(stream, streamAbort, stream);
}

int vmmDomainOpenConsole(vmmDomainPtr dom, const char *dev_name,
                         vmmStreamPtr st, unsigned int flags)
{
    API_ENTER_DOMAIN(dom, -1);
    if (!streamCheck(st, __func__)) {
        apiDispatchError(dom->conn);
        return -1;
    }
    API_CHECK_RW(dom->conn, -1);
    API_CHECK_FLAGS(dom->conn, flags, CONSOLE_FLAGS, -1);
    API_CHECK_ARG(dom->conn, st->conn == dom->conn, st,
                  "must belong to the domain's connection", -1);
    API_CHECK_ARG(dom->conn, st->driver == NULL, st, "is already open", -1);
    API_RETURN_INT(dom->conn, domainOpenConsole, dom, dev_name, st, flags);
}
