/*
 * vmmd_stream.c: the daemon's half of streams (see vmmd_stream.h).
 *
 * A vmmdStream ties one client call (procedure and serial) to a local
 * non-blocking vmmStream. After registration every field is touched on
 * the main loop only: the worker that opened the stream hands it over
 * through a one-shot timer. The registry is a short list under a lock:
 * a client has one or two streams at a time, never thousands.
 */
#include <config.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "util_event.h"
#include "util_log.h"
#include "vmm_remote_protocol.h"
#include "vmmd_stream.h"

VMM_LOG_INIT("daemon.stream");

/* Bytes read from the local stream per message: libvirt's legacy stream
 * chunk, which every client accepts. */
#define STREAM_CHUNK VMM_NET_MESSAGE_LEGACY_PAYLOAD_MAX
/* The local stream is not read while the client has more than this
 * waiting to be written to it ... */
#define STREAM_TX_HIGH (1024 * 1024)
/* ... and the client's socket is not read while more than this of its
 * data waits for the local stream. */
#define STREAM_RX_HIGH (1024 * 1024)
/* How often a paused stream looks again (ms). */
#define STREAM_RETRY_MS 20

struct _vmmdStream {
    vmmdClient *client; /* a reference */
    vmmStreamPtr st;
    int proc;
    unsigned int serial;

    bool started;
    bool watching; /* a callback is registered on st */
    bool sentEOF;  /* the local stream ended; we told the client */
    bool holding;  /* we hold the client's input */
    int retryTimer;
    GQueue rx; /* rpcMessage from the client, the head partly written */
    size_t rxBytes;
    char *buf; /* STREAM_CHUNK bytes */
};

static GMutex streamsLock;
static GList *streams; /* vmmdStream * */

static void streamUpdate(vmmdStream *s);

/* ---- Registry and life ---- */

static vmmdStream *streamFind(vmmdClient *client, unsigned int serial)
{
    vmmdStream *found = NULL;

    g_mutex_lock(&streamsLock);
    for (GList *l = streams; l; l = l->next) {
        vmmdStream *s = l->data;

        if (s->client == client && s->serial == serial) {
            found = s;
            break;
        }
    }
    g_mutex_unlock(&streamsLock);
    return found;
}

/* Whether @s is still alive: a handover timer may fire after its client
 * went away and took the stream with it. */
static bool streamIsRegistered(vmmdStream *s)
{
    bool found;

    g_mutex_lock(&streamsLock);
    found = g_list_find(streams, s) != NULL;
    g_mutex_unlock(&streamsLock);
    return found;
}

static void streamFree(vmmdStream *s)
{
    g_mutex_lock(&streamsLock);
    streams = g_list_remove(streams, s);
    g_mutex_unlock(&streamsLock);
    if (s->watching && vmmStreamEventRemoveCallback(s->st) < 0)
        errorReset();
    if (s->retryTimer)
        eventRemoveTimer(s->retryTimer);
    if (s->holding)
        vmmdClientHoldInput(s->client, false);
    g_queue_clear_full(&s->rx, (GDestroyNotify)rpcMessageFree);
    /* Others may hold the stream (a console remembers its user): end it
     * here, so the device is free at once. Harmless when it ended. */
    if (vmmStreamAbort(s->st) < 0)
        errorReset();
    vmmStreamFree(s->st);
    vmmdClientUnref(s->client);
    g_free(s->buf);
    g_free(s);
}

/* Sends a stream message: data (status continue), an end of file (empty
 * continue) or a confirmation (empty ok). */
static void streamSendData(vmmdStream *s, int status, const char *data,
                           size_t len)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = s->proc;
    msg->header.type = VMM_NET_STREAM;
    msg->header.serial = s->serial;
    msg->header.status = status;
    if (rpcMessageEncodeRaw(msg, data, len) < 0) {
        /* Cannot happen with chunks under the limit. */
        VMM_ERROR("cannot encode stream data: %s", errorGetLast()->message);
        errorReset();
        vmmdClientClose(s->client);
        return;
    }
    vmmdClientQueue(s->client, g_steal_pointer(&msg));
}

/* Sends the thread's last error as the stream's end, and drops it. */
static void streamFail(vmmdStream *s)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    VMM_DEBUG("client %llu: stream %u failed: %s", vmmdClientGetId(s->client),
              s->serial,
              errorGetLast() ? errorGetLast()->message : "unknown error");
    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = s->proc;
    msg->header.type = VMM_NET_STREAM;
    msg->header.serial = s->serial;
    if (rpcMessageEncodeError(msg, errorGetLast()) < 0)
        vmmdClientClose(s->client);
    else
        vmmdClientQueue(s->client, g_steal_pointer(&msg));
    errorReset();
    streamFree(s);
}

/* ---- From the local stream to the client ---- */

/* Reads one chunk and sends it; false when the stream is gone. */
static bool streamReadSource(vmmdStream *s)
{
    int n = vmmStreamRecv(s->st, s->buf, STREAM_CHUNK);

    if (n == -2)
        return true;
    if (n < 0) {
        streamFail(s);
        return false;
    }
    streamSendData(s, VMM_NET_CONTINUE, s->buf, n);
    if (n == 0) {
        /* The client answers with a finish (or an abort). */
        VMM_DEBUG("client %llu: stream %u: end of file",
                  vmmdClientGetId(s->client), s->serial);
        s->sentEOF = true;
    }
    return true;
}

/* ---- From the client to the local stream ---- */

/* Ends the stream at the client's request (@finish: after its data) and
 * confirms it; the stream is gone after. */
static void streamEnd(vmmdStream *s, bool finish)
{
    int rc = finish ? vmmStreamFinish(s->st) : vmmStreamAbort(s->st);

    if (rc < 0) {
        streamFail(s);
        return;
    }
    VMM_DEBUG("client %llu: stream %u %s", vmmdClientGetId(s->client),
              s->serial, finish ? "finished" : "aborted");
    streamSendData(s, VMM_NET_OK, NULL, 0);
    streamFree(s);
}

/* Writes what the client sent until the local stream would block.
 * Returns false when the stream is gone. */
static bool streamFlushRx(vmmdStream *s)
{
    rpcMessage *msg;

    while ((msg = g_queue_peek_head(&s->rx))) {
        size_t left = msg->bufferLength - msg->bufferOffset;
        int n;

        if (msg->header.status == VMM_NET_OK) {
            streamEnd(s, true);
            return false;
        }
        if (left == 0) {
            /* An empty continue: the client has no more data; the
             * finish that follows closes the stream. */
            rpcMessageFree(g_queue_pop_head(&s->rx));
            continue;
        }
        n = vmmStreamSend(s->st, msg->buffer + msg->bufferOffset, left);
        if (n == -2)
            break;
        if (n < 0) {
            streamFail(s);
            return false;
        }
        msg->bufferOffset += n;
        s->rxBytes -= n;
        if ((size_t)n == left)
            rpcMessageFree(g_queue_pop_head(&s->rx));
    }
    if (s->holding && s->rxBytes <= STREAM_RX_HIGH / 2) {
        s->holding = false;
        vmmdClientHoldInput(s->client, false);
    }
    return true;
}

/* ---- Scheduling ---- */

static void streamEventFired(vmmStreamPtr st G_GNUC_UNUSED, int events,
                             void *opaque)
{
    vmmdStream *s = opaque;

    if ((events & VMM_STREAM_EVENT_WRITABLE) && !streamFlushRx(s))
        return;
    /* Whatever woke us, reading says best what changed: data, an end,
     * an error, or a console taken by force (fdStreamKill). */
    if (events && !s->sentEOF && !streamReadSource(s))
        return;
    streamUpdate(s);
}

static void streamRetry(int timer G_GNUC_UNUSED, void *opaque)
{
    vmmdStream *s = opaque;

    if (!g_queue_is_empty(&s->rx) && !streamFlushRx(s))
        return;
    streamUpdate(s);
}

/* What to wait for now. The local stream is watched only while there is
 * something to move: a stream at end of file, or paused because the
 * client is slow, would otherwise report its hangup in a busy loop. A
 * timer looks again in those cases. */
static void streamUpdate(vmmdStream *s)
{
    bool paused = vmmdClientQueuedBytes(s->client) > STREAM_TX_HIGH;
    bool wantRead = !s->sentEOF && !paused;
    bool wantWrite = !g_queue_is_empty(&s->rx);
    int events = (wantRead ? VMM_STREAM_EVENT_READABLE : 0) |
                 (wantWrite ? VMM_STREAM_EVENT_WRITABLE : 0);
    bool watch = wantRead;
    bool retry = !wantRead && (paused || wantWrite);

    if (watch && !s->watching) {
        if (vmmStreamEventAddCallback(s->st, events, streamEventFired, s,
                                      NULL) < 0) {
            streamFail(s);
            return;
        }
        s->watching = true;
    } else if (watch) {
        if (vmmStreamEventUpdateCallback(s->st, events) < 0)
            errorReset();
    } else if (s->watching) {
        if (vmmStreamEventRemoveCallback(s->st) < 0)
            errorReset();
        s->watching = false;
    }
    if (retry && !s->retryTimer)
        s->retryTimer = eventAddTimer(STREAM_RETRY_MS, streamRetry, s, NULL);
    else if (!retry && s->retryTimer) {
        eventRemoveTimer(s->retryTimer);
        s->retryTimer = 0;
    }
}

/* ---- Entry points ---- */

static int streamOpenConsole(vmmConnectPtr conn, void *argsp, vmmStreamPtr st)
{
    remote_domain_open_console_args *args = argsp;
    vmmDomainPtr dom = rpcDispatchDomainGet(conn, &args->dom);
    int rc;

    if (!dom)
        return -1;
    rc = vmmDomainOpenConsole(dom, args->dev_name ? *args->dev_name : NULL, st,
                              args->flags);
    rpcDispatchDomainRelease(dom);
    return rc;
}

int vmmdStreamRunCall(vmmdClient *client, vmmConnectPtr conn,
                      const rpcProcInfo *info, const rpcMessage *msg,
                      void *args, vmmdStream **ret_stream)
{
    vmmStreamPtr st = vmmStreamNew(conn, VMM_STREAM_NONBLOCK);
    vmmdStream *s;
    int rc;

    if (!st)
        return -1;
    switch (info->number) {
    case REMOTE_PROC_DOMAIN_OPEN_CONSOLE:
        rc = streamOpenConsole(conn, args, st);
        break;
    default:
        errorReport(VMM_FROM_REMOTE, VMM_ERR_NO_SUPPORT,
                    "procedure %s (%d) is not implemented by vmmd", info->name,
                    info->number);
        rc = -1;
        break;
    }
    if (rc < 0) {
        g_autoptr(vmmError) saved = errorSave();

        /* Freeing resets the last error, which is the call's answer. */
        vmmStreamFree(st);
        if (saved)
            errorReportFull(saved);
        return -1;
    }

    s = g_new0(vmmdStream, 1);
    s->client = vmmdClientRef(client);
    s->st = st;
    s->proc = msg->header.proc;
    s->serial = msg->header.serial;
    g_queue_init(&s->rx);
    s->buf = g_malloc(STREAM_CHUNK);
    g_mutex_lock(&streamsLock);
    streams = g_list_prepend(streams, s);
    g_mutex_unlock(&streamsLock);
    VMM_DEBUG("client %llu: stream %u opened by procedure %s",
              vmmdClientGetId(client), s->serial, info->name);
    *ret_stream = s;
    return 0;
}

static void streamStartOnLoop(int timer, void *opaque)
{
    vmmdStream *s = opaque;

    eventRemoveTimer(timer);
    if (!streamIsRegistered(s))
        return;
    s->started = true;
    streamUpdate(s);
}

void vmmdStreamStart(vmmdStream *stream)
{
    eventAddTimer(0, streamStartOnLoop, stream, NULL);
}

static void streamDiscardOnLoop(int timer, void *opaque)
{
    eventRemoveTimer(timer);
    if (streamIsRegistered(opaque))
        streamFree(opaque);
}

void vmmdStreamDiscard(vmmdStream *stream)
{
    eventAddTimer(0, streamDiscardOnLoop, stream, NULL);
}

void vmmdStreamHandleMessage(vmmdClient *client, rpcMessage *msg)
{
    g_autoptr(rpcMessage) owned = msg;
    vmmdStream *s = streamFind(client, msg->header.serial);

    if (!s || msg->header.type != VMM_NET_STREAM) {
        /* Data after the stream ended, or holes we never offered. */
        VMM_DEBUG("client %llu: stream message for serial %u dropped",
                  vmmdClientGetId(client), msg->header.serial);
        return;
    }
    switch ((int)msg->header.status) {
    case VMM_NET_CONTINUE:
        s->rxBytes += msg->bufferLength - msg->bufferOffset;
        g_queue_push_tail(&s->rx, g_steal_pointer(&owned));
        if (!s->holding && s->rxBytes > STREAM_RX_HIGH) {
            s->holding = true;
            vmmdClientHoldInput(client, true);
        }
        break;
    case VMM_NET_OK:
        /* The finish waits behind the data the client sent before it. */
        g_queue_push_tail(&s->rx, g_steal_pointer(&owned));
        break;
    default:
        streamEnd(s, false);
        return;
    }
    if (!streamFlushRx(s))
        return;
    if (s->started)
        streamUpdate(s);
}

void vmmdStreamClientClosed(vmmdClient *client)
{
    for (;;) {
        vmmdStream *found = NULL;

        g_mutex_lock(&streamsLock);
        for (GList *l = streams; l && !found; l = l->next) {
            if (((vmmdStream *)l->data)->client == client)
                found = l->data;
        }
        g_mutex_unlock(&streamsLock);
        if (!found)
            return;
        VMM_DEBUG("client %llu: stream %u aborted with its client",
                  vmmdClientGetId(client), found->serial);
        streamFree(found);
    }
}
