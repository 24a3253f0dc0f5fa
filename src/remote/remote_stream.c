/*
 * remote_stream.c: streams over the connection (see remote_stream.h).
 *
 * The connection's I/O thread hands each stream message to
 * remoteStreamIncoming, which queues data and notes end of file, the
 * server's confirmation or its error, then wakes a reader blocked in
 * Recv and the stream's callback. Callbacks run from the default event
 * loop: a timer that is armed (0 ms) while a condition the caller asked
 * for holds, and disabled otherwise.
 *
 * Lock order: the client's lock (held around remoteStreamIncoming), then
 * the stream's. Nothing here calls into the client with the stream's
 * lock held.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "remote_conn.h"
#include "remote_stream.h"
#include "rpc_message.h"
#include "util_error.h"
#include "util_event.h"

/* The largest data chunk of one message, which every server accepts. */
#define REMOTE_STREAM_CHUNK VMM_NET_MESSAGE_LEGACY_PAYLOAD_MAX
/* Data waiting to be written to the server, at most: beyond it a
 * non-blocking Send says -2 and a blocking one waits. */
#define REMOTE_STREAM_TX_MAX (4 * 1024 * 1024)
/* How often a callback waiting for room looks again (ms). */
#define REMOTE_STREAM_TX_RETRY_MS 10
/* How often a blocked Send looks again (µs). */
#define REMOTE_STREAM_TX_WAIT 1000
/* How long Abort waits for the server's confirmation (µs). */
#define REMOTE_STREAM_ABORT_WAIT (5 * G_USEC_PER_SEC)

typedef struct {
    vmmStreamPtr st; /* the owner, which removes the timer before it goes */
    vmmStreamEventCallback cb;
    void *opaque;
    vmmFreeCallback ff;
} remoteStreamCallback;

typedef struct {
    remoteClient *client; /* the connection's; it outlives the stream */
    vmmStreamPtr st;      /* the owner */
    int proc;
    unsigned int serial;

    GMutex lock; /* everything below */
    GCond cond;
    bool registered; /* with the client */
    GQueue rx;       /* rpcMessage data, bufferOffset at what is unread */
    bool eof;        /* the server sent its last data */
    bool confirmed;  /* the server confirmed finish or abort */
    bool failed;     /* the server's error, or the connection dropped */
    vmmError err;
    int timer; /* the callback's; 0: none */
    int cbEvents;
} remoteStream;

static remoteStream *remoteStreamGet(vmmStreamPtr st)
{
    return st->privateData;
}

/* ---- On the I/O thread ---- */

/* Arms the callback's timer; lock held. */
static void remoteStreamKick(remoteStream *rs)
{
    if (rs->timer)
        eventUpdateTimer(rs->timer, 0);
}

static void remoteStreamSetFailed(remoteStream *rs, int code, const char *text)
{
    if (rs->failed)
        return;
    rs->failed = true;
    rs->err.code = code;
    rs->err.domain = VMM_FROM_STREAMS;
    rs->err.level = VMM_ERR_ERROR;
    rs->err.message = g_strdup(text);
}

/* Takes @msg, or NULL when the connection dropped. */
static void remoteStreamIncoming(rpcMessage *msg, void *opaque)
{
    remoteStream *rs = opaque;
    g_autoptr(rpcMessage) owned = msg;
    size_t len = msg ? msg->bufferLength - msg->bufferOffset : 0;

    g_mutex_lock(&rs->lock);
    if (!msg) {
        rs->registered = false;
        remoteStreamSetFailed(rs, VMM_ERR_RPC,
                              "the connection closed during the stream");
    } else if (msg->header.status == VMM_NET_CONTINUE && len > 0) {
        g_queue_push_tail(&rs->rx, g_steal_pointer(&owned));
    } else if (msg->header.status == VMM_NET_CONTINUE) {
        rs->eof = true;
    } else if (msg->header.status == VMM_NET_OK) {
        rs->confirmed = true;
    } else if (!rs->failed) {
        if (rpcMessageDecodeError(msg, &rs->err) < 0) {
            errorReset();
            remoteStreamSetFailed(rs, VMM_ERR_RPC,
                                  "malformed stream error from the server");
        }
        rs->failed = true;
    }
    g_cond_broadcast(&rs->cond);
    remoteStreamKick(rs);
    g_mutex_unlock(&rs->lock);
}

/* ---- Stream driver ---- */

/* Raises the stream's failure; lock held. */
static void remoteStreamReportFailed(remoteStream *rs)
{
    vmmError err = {0};

    errorCopy(&rs->err, &err);
    errorReportFull(&err);
    errorClear(&err);
}

/* Sends an empty message of @status, or @len bytes of data. */
static int remoteStreamSendMessage(remoteStream *rs, int status,
                                   const char *data, size_t len)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = rs->proc;
    msg->header.type = VMM_NET_STREAM;
    msg->header.serial = rs->serial;
    msg->header.status = status;
    if (rpcMessageEncodeRaw(msg, data, len) < 0)
        return -1;
    return remoteClientSendMessage(rs->client, g_steal_pointer(&msg));
}

static int remoteStreamSend(vmmStreamPtr st, const char *data, size_t nbytes)
{
    remoteStream *rs = remoteStreamGet(st);
    size_t len = MIN(nbytes, REMOTE_STREAM_CHUNK);
    bool failed;

    g_mutex_lock(&rs->lock);
    failed = rs->failed;
    if (failed)
        remoteStreamReportFailed(rs);
    g_mutex_unlock(&rs->lock);
    if (failed)
        return -1;
    while (remoteClientQueuedBytes(rs->client) > REMOTE_STREAM_TX_MAX) {
        if (st->flags & VMM_STREAM_NONBLOCK)
            return -2;
        /* The I/O thread drains the queue as the server reads; the
         * server reads as fast as the stream's sink takes the data. */
        g_usleep(REMOTE_STREAM_TX_WAIT);
    }
    if (remoteStreamSendMessage(rs, VMM_NET_CONTINUE, data, len) < 0)
        return -1;
    return (int)len;
}

/* Copies what the head of rx holds; lock held. */
static int remoteStreamTake(remoteStream *rs, char *data, size_t nbytes)
{
    rpcMessage *msg = g_queue_peek_head(&rs->rx);
    size_t len = MIN(nbytes, msg->bufferLength - msg->bufferOffset);

    len = MIN(len, (size_t)G_MAXINT);
    memcpy(data, msg->buffer + msg->bufferOffset, len);
    msg->bufferOffset += len;
    if (msg->bufferOffset == msg->bufferLength)
        rpcMessageFree(g_queue_pop_head(&rs->rx));
    return (int)len;
}

static int remoteStreamRecv(vmmStreamPtr st, char *data, size_t nbytes)
{
    remoteStream *rs = remoteStreamGet(st);
    int ret;

    g_mutex_lock(&rs->lock);
    while (g_queue_is_empty(&rs->rx) && !rs->eof && !rs->failed) {
        if (st->flags & VMM_STREAM_NONBLOCK) {
            g_mutex_unlock(&rs->lock);
            return -2;
        }
        g_cond_wait(&rs->cond, &rs->lock);
    }
    if (!g_queue_is_empty(&rs->rx))
        ret = remoteStreamTake(rs, data, nbytes);
    else if (rs->failed) {
        remoteStreamReportFailed(rs);
        ret = -1;
    } else {
        ret = 0;
    }
    g_mutex_unlock(&rs->lock);
    return ret;
}

/* What holds now among @wanted, plus a failure, which always counts;
 * lock held. @writable: the connection's queue has room. */
static int remoteStreamReady(remoteStream *rs, int wanted, bool writable)
{
    int events = 0;

    if (!g_queue_is_empty(&rs->rx) || rs->eof || rs->failed)
        events |= VMM_STREAM_EVENT_READABLE;
    if (!rs->failed && writable)
        events |= VMM_STREAM_EVENT_WRITABLE;
    events &= wanted;
    if (rs->failed)
        events |= VMM_STREAM_EVENT_HANGUP;
    return events;
}

static void remoteStreamTimerFired(int timer, void *opaque)
{
    remoteStreamCallback *cbd = opaque;
    remoteStream *rs = remoteStreamGet(cbd->st);
    /* Asked before the stream's lock: the client's lock comes first. */
    bool writable =
        remoteClientQueuedBytes(rs->client) <= REMOTE_STREAM_TX_MAX;
    int events;

    g_mutex_lock(&rs->lock);
    events = remoteStreamReady(rs, rs->cbEvents, writable);
    if (rs->failed)
        eventUpdateTimer(timer, -1);
    else if (events == 0 && (rs->cbEvents & VMM_STREAM_EVENT_WRITABLE))
        /* Nothing tells when the queue drains: look again soon. */
        eventUpdateTimer(timer, REMOTE_STREAM_TX_RETRY_MS);
    else if (events == 0)
        /* Nothing to say until the next message comes in. */
        eventUpdateTimer(timer, -1);
    g_mutex_unlock(&rs->lock);
    if (events)
        cbd->cb(cbd->st, events, cbd->opaque);
}

static void remoteStreamCallbackFree(void *opaque)
{
    remoteStreamCallback *cbd = opaque;

    if (cbd->ff)
        cbd->ff(cbd->opaque);
    g_free(cbd);
}

static int remoteStreamEventAdd(vmmStreamPtr st, int events,
                                vmmStreamEventCallback cb, void *opaque,
                                vmmFreeCallback ff)
{
    remoteStream *rs = remoteStreamGet(st);
    remoteStreamCallback *cbd;

    g_mutex_lock(&rs->lock);
    if (rs->timer) {
        g_mutex_unlock(&rs->lock);
        errorReport(VMM_FROM_STREAMS, VMM_ERR_INTERNAL_ERROR,
                    "the stream already has a callback");
        return -1;
    }
    cbd = g_new0(remoteStreamCallback, 1);
    cbd->st = st;
    cbd->cb = cb;
    cbd->opaque = opaque;
    cbd->ff = ff;
    rs->cbEvents = events;
    rs->timer =
        eventAddTimer(0, remoteStreamTimerFired, cbd, remoteStreamCallbackFree);
    g_mutex_unlock(&rs->lock);
    return 0;
}

static int remoteStreamEventUpdate(vmmStreamPtr st, int events)
{
    remoteStream *rs = remoteStreamGet(st);

    g_mutex_lock(&rs->lock);
    if (!rs->timer) {
        g_mutex_unlock(&rs->lock);
        errorReport(VMM_FROM_STREAMS, VMM_ERR_INTERNAL_ERROR,
                    "the stream has no callback");
        return -1;
    }
    rs->cbEvents = events;
    eventUpdateTimer(rs->timer, 0);
    g_mutex_unlock(&rs->lock);
    return 0;
}

static int remoteStreamEventRemove(vmmStreamPtr st)
{
    remoteStream *rs = remoteStreamGet(st);
    int timer;

    g_mutex_lock(&rs->lock);
    timer = rs->timer;
    rs->timer = 0;
    g_mutex_unlock(&rs->lock);
    if (!timer) {
        errorReport(VMM_FROM_STREAMS, VMM_ERR_INTERNAL_ERROR,
                    "the stream has no callback");
        return -1;
    }
    /* Outside the lock: the free function may run right here. */
    eventRemoveTimer(timer);
    return 0;
}

/* Stops routing the stream's messages here. */
static void remoteStreamUnregister(remoteStream *rs)
{
    bool registered;

    g_mutex_lock(&rs->lock);
    registered = rs->registered;
    rs->registered = false;
    g_mutex_unlock(&rs->lock);
    if (registered)
        remoteClientRemoveStream(rs->client, rs->serial);
}

/* Sends the closing message of @status and waits (up to @timeout µs,
 * -1: no limit) for the server's confirmation. */
static int remoteStreamClose(remoteStream *rs, int status, gint64 timeout)
{
    gint64 deadline = g_get_monotonic_time() + timeout;
    int ret = 0;

    if (remoteStreamSendMessage(rs, status, NULL, 0) < 0) {
        remoteStreamUnregister(rs);
        return -1;
    }
    g_mutex_lock(&rs->lock);
    while (!rs->confirmed && !rs->failed) {
        if (timeout < 0)
            g_cond_wait(&rs->cond, &rs->lock);
        else if (!g_cond_wait_until(&rs->cond, &rs->lock, deadline))
            break;
    }
    if (!rs->confirmed && rs->failed) {
        remoteStreamReportFailed(rs);
        ret = -1;
    }
    g_mutex_unlock(&rs->lock);
    remoteStreamUnregister(rs);
    return ret;
}

static int remoteStreamFinish(vmmStreamPtr st)
{
    return remoteStreamClose(remoteStreamGet(st), VMM_NET_OK, -1);
}

static int remoteStreamAbort(vmmStreamPtr st)
{
    remoteStream *rs = remoteStreamGet(st);

    /* Whatever the server says, the stream is over for us. */
    if (remoteStreamClose(rs, VMM_NET_ERROR, REMOTE_STREAM_ABORT_WAIT) < 0)
        errorReset();
    return 0;
}

static void remoteStreamFree(remoteStream *rs)
{
    if (!rs)
        return;
    remoteStreamUnregister(rs);
    g_queue_clear_full(&rs->rx, (GDestroyNotify)rpcMessageFree);
    errorClear(&rs->err);
    g_cond_clear(&rs->cond);
    g_mutex_clear(&rs->lock);
    g_free(rs);
}

static void remoteStreamRelease(vmmStreamPtr st)
{
    remoteStream *rs = remoteStreamGet(st);
    int timer = rs->timer;

    rs->timer = 0;
    if (timer)
        eventRemoveTimer(timer);
    remoteStreamFree(rs);
    st->privateData = NULL;
}

static const vmmStreamDriver remoteStreamDriver = {
    .streamSend = remoteStreamSend,
    .streamRecv = remoteStreamRecv,
    .streamEventAddCallback = remoteStreamEventAdd,
    .streamEventUpdateCallback = remoteStreamEventUpdate,
    .streamEventRemoveCallback = remoteStreamEventRemove,
    .streamFinish = remoteStreamFinish,
    .streamAbort = remoteStreamAbort,
    .streamRelease = remoteStreamRelease,
};

/* ---- Opening ---- */

/* A stream for a call of @proc about to be sent with a fresh serial,
 * already receiving that serial's messages. */
static remoteStream *remoteStreamNew(vmmStreamPtr st, int proc)
{
    remoteStream *rs = g_new0(remoteStream, 1);

    rs->client = remoteConnOf(st->conn)->client;
    rs->st = st;
    rs->proc = proc;
    rs->serial = remoteClientNewSerial(rs->client);
    g_mutex_init(&rs->lock);
    g_cond_init(&rs->cond);
    g_queue_init(&rs->rx);
    rs->registered = true;
    remoteClientAddStream(rs->client, rs->serial, remoteStreamIncoming, rs);
    return rs;
}

int remoteDomainOpenConsole(vmmDomainPtr dom, const char *dev_name,
                            vmmStreamPtr st, unsigned int flags)
{
    remote_domain_open_console_args args = {.flags = flags};
    char *name = (char *)dev_name;
    remoteStream *rs = remoteStreamNew(st, REMOTE_PROC_DOMAIN_OPEN_CONSOLE);

    remoteDomainToWire(dom, &args.dom);
    args.dev_name = dev_name ? &name : NULL;
    if (remoteClientCallProcSerial(
            rs->client, rs->serial, REMOTE_PROC_DOMAIN_OPEN_CONSOLE,
            (xdrproc_t)xdr_remote_domain_open_console_args, &args, RPC_XDR_VOID,
            NULL) < 0) {
        remoteStreamFree(rs);
        return -1;
    }
    st->privateData = rs;
    st->driver = &remoteStreamDriver;
    return 0;
}
