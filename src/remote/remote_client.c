/*
 * remote_client.c: one RPC connection and its I/O thread (see
 * remote_client.h).
 *
 * Callers encode their call, queue it under the lock with a fresh serial,
 * wake the I/O thread through a pipe and sleep on their own condition
 * until the thread hands them the reply (or the news that the connection
 * is gone). The thread alone touches the socket, so no caller ever blocks
 * another one on I/O, and replies are decoded by the caller, in its own
 * thread, where any error it raises belongs.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "remote_client.h"
#include "rpc_message.h"
#include "util_error.h"
#include "vmm_keepalive_procs.h"
#include "vmm_keepalive_protocol.h"
#include "vmm_remote_procs.h"
#include "vmm_remote_protocol.h"

/* Where the messages of one stream go. */
typedef struct {
    remoteClientStreamFunc func;
    void *opaque;
} remoteClientStream;

/* One call waiting for its reply; lives on the caller's stack. */
typedef struct {
    GCond cond;
    bool done;
    rpcMessage *reply; /* NULL when the connection dropped first */
} remotePendingCall;

struct _remoteClient {
    remoteTransport *transport;
    GThread *thread;
    int wakeFds[2]; /* pipe: callers write, the I/O thread polls */
    remoteClientEventFunc eventFunc;
    remoteClientClosedFunc closedFunc;
    void *opaque;

    GMutex lock; /* guards everything below but incoming */
    unsigned int nextSerial;
    GQueue outgoing;   /* rpcMessage; the head may be partly written */
    GHashTable *calls; /* serial -> remotePendingCall waiting for a reply */
    GHashTable *streams; /* serial -> remoteClientStream (remote_stream.c) */
    bool quit;         /* remoteClientFree asked the thread to stop */
    bool closed;
    vmmError closeError; /* why, for calls made after the drop */

    int kaInterval; /* seconds; 0: keepalive off */
    unsigned int kaCount;
    unsigned int kaUnanswered;
    gint64 kaLast; /* monotonic µs of the last message read or PING sent */

    rpcMessage *incoming; /* I/O thread only */
};

static void remoteClientWake(remoteClient *client)
{
    char c = 0;

    /* A full pipe already wakes the thread: nothing is lost. */
    if (write(client->wakeFds[1], &c, 1) < 0 && errno != EAGAIN)
        return;
}

static void remoteClientDrainWake(remoteClient *client)
{
    char buf[64];

    while (read(client->wakeFds[0], buf, sizeof(buf)) > 0)
        ;
}

/* Tells every stream that the connection is gone; lock held. */
static void remoteClientStreamsClosed(remoteClient *client)
{
    GHashTableIter iter;
    remoteClientStream *stream;

    g_hash_table_iter_init(&iter, client->streams);
    while (g_hash_table_iter_next(&iter, NULL, (void **)&stream))
        stream->func(NULL, stream->opaque);
    g_hash_table_remove_all(client->streams);
}

static void remoteClientHandleStream(remoteClient *client, rpcMessage *msg)
{
    remoteClientStream *stream;

    g_mutex_lock(&client->lock);
    stream = g_hash_table_lookup(client->streams,
                                 GUINT_TO_POINTER(msg->header.serial));
    if (stream)
        stream->func(msg, stream->opaque);
    else
        rpcMessageFree(msg); /* the stream ended already */
    g_mutex_unlock(&client->lock);
}

/* Marks the connection dead with @err (taken over) and wakes every
 * waiting call; lock held. Returns false when it already was. */
static bool remoteClientMarkClosed(remoteClient *client, vmmError *err)
{
    GHashTableIter iter;
    remotePendingCall *call;

    if (client->closed) {
        errorClear(err);
        return false;
    }
    client->closed = true;
    client->closeError = *err;
    memset(err, 0, sizeof(*err));
    g_queue_clear_full(&client->outgoing, (GDestroyNotify)rpcMessageFree);

    g_hash_table_iter_init(&iter, client->calls);
    while (g_hash_table_iter_next(&iter, NULL, (void **)&call)) {
        call->done = true;
        g_cond_signal(&call->cond);
        g_hash_table_iter_remove(&iter);
    }
    remoteClientStreamsClosed(client);
    return true;
}

/* The I/O thread gives up on the connection: @err (taken over) tells the
 * waiting callers why, @reason the close callback. */
static void remoteClientFail(remoteClient *client, int reason, vmmError *err)
{
    bool first;

    g_mutex_lock(&client->lock);
    first = remoteClientMarkClosed(client, err) && !client->quit;
    g_mutex_unlock(&client->lock);
    /* Shut the socket so the server sees the end at once, whatever the
     * reason (a keepalive timeout leaves it open otherwise). */
    remoteTransportShutdown(client->transport);
    if (first && client->closedFunc)
        client->closedFunc(reason, client->opaque);
}

/* An error record built here rather than raised: raising it would set
 * the I/O thread's own last error and run the application's error handler
 * from a thread it does not know. */
static void remoteClientErrorInit(vmmError *err, int code, const char *text)
{
    memset(err, 0, sizeof(*err));
    err->code = code;
    err->domain = VMM_FROM_RPC;
    err->level = VMM_ERR_ERROR;
    err->message = g_strdup_printf("%s: %s", errorCodePhrase(code), text);
}

static void remoteClientFailWith(remoteClient *client, int reason, int code,
                                 const char *text)
{
    vmmError err;

    remoteClientErrorInit(&err, code, text);
    remoteClientFail(client, reason, &err);
}

/* Fails the connection with the error the I/O thread itself just raised
 * (a malformed message), then clears it from the thread. */
static void remoteClientFailRaised(remoteClient *client)
{
    g_autoptr(vmmError) saved = errorSave();
    vmmError err = {0};

    if (saved)
        errorCopy(saved, &err);
    else
        remoteClientErrorInit(&err, VMM_ERR_RPC, "malformed message");
    errorReset();
    remoteClientFail(client, VMM_CONNECT_CLOSE_REASON_ERROR, &err);
}

/* Queues a keepalive message (@proc PING or PONG); lock held. */
static void remoteClientQueueKeepalive(remoteClient *client, int proc)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = VMM_KEEPALIVE_PROGRAM;
    msg->header.vers = VMM_KEEPALIVE_PROTOCOL_VERSION;
    msg->header.proc = proc;
    msg->header.type = VMM_NET_MESSAGE;
    msg->header.status = VMM_NET_OK;
    if (rpcMessageEncode(msg, NULL, NULL) < 0) {
        errorReset(); /* an empty payload always fits */
        return;
    }
    g_queue_push_tail(&client->outgoing, g_steal_pointer(&msg));
}

static void remoteClientHandleKeepalive(remoteClient *client,
                                        const rpcMessage *msg)
{
    if (msg->header.type != VMM_NET_MESSAGE ||
        msg->header.proc != VMM_KEEPALIVE_PROC_PING)
        return; /* a PONG: having read it is all that matters */
    g_mutex_lock(&client->lock);
    remoteClientQueueKeepalive(client, VMM_KEEPALIVE_PROC_PONG);
    g_mutex_unlock(&client->lock);
}

static void remoteClientHandleReply(remoteClient *client, rpcMessage *msg)
{
    remotePendingCall *call;

    g_mutex_lock(&client->lock);
    call = g_hash_table_lookup(client->calls,
                               GUINT_TO_POINTER(msg->header.serial));
    if (call) {
        /* A reply nobody waits for (a serial we never sent) is dropped. */
        g_hash_table_remove(client->calls,
                            GUINT_TO_POINTER(msg->header.serial));
        call->reply = msg;
        call->done = true;
        g_cond_signal(&call->cond);
        msg = NULL;
    }
    g_mutex_unlock(&client->lock);
    rpcMessageFree(msg);
}

/* Decodes an event and hands it on. A bad or unknown event costs only
 * itself: the connection goes on. */
static void remoteClientHandleEvent(remoteClient *client, rpcMessage *msg)
{
    const rpcProcInfo *proc =
        rpcProgramFindProc(&remoteProgramInfo, msg->header.proc);
    g_autofree void *data = NULL;

    if (!proc || !proc->event || !client->eventFunc)
        return;
    data = g_malloc0(proc->argsSize);
    if (rpcMessageDecodePayload(msg, proc->argsFilter, data) < 0) {
        errorReset();
        return;
    }
    client->eventFunc(proc, data, client->opaque);
    xdr_free(proc->argsFilter, data);
}

/* Takes over @msg, a whole message with its header decoded. */
static void remoteClientDispatch(remoteClient *client, rpcMessage *msg)
{
    g_autoptr(rpcMessage) owned = msg;

    if (msg->header.prog == VMM_KEEPALIVE_PROGRAM) {
        remoteClientHandleKeepalive(client, msg);
        return;
    }
    if (msg->header.prog != REMOTE_PROGRAM)
        return;
    switch ((int)msg->header.type) {
    case VMM_NET_REPLY:
    case VMM_NET_REPLY_WITH_FDS:
        remoteClientHandleReply(client, g_steal_pointer(&owned));
        break;
    case VMM_NET_MESSAGE:
        remoteClientHandleEvent(client, msg);
        break;
    case VMM_NET_STREAM:
        remoteClientHandleStream(client, g_steal_pointer(&owned));
        break;
    default:
        break;
    }
}

/* Messages read in one go before the I/O thread goes back to poll, so a
 * server flooding us with events cannot hold our calls back. */
#define REMOTE_CLIENT_READ_BATCH 64

/* Reads what the socket holds. Returns 0 when it would block or a batch
 * was read, -1 when the connection failed (and was marked so). */
static int remoteClientRead(remoteClient *client)
{
    for (int done = 0; done < REMOTE_CLIENT_READ_BATCH;) {
        rpcMessage *msg = client->incoming;
        bool eof = false;
        ssize_t n = remoteTransportRead(
            client->transport, msg->buffer + msg->bufferOffset,
            msg->bufferLength - msg->bufferOffset, &eof);

        if (n < 0 && eof) {
            remoteClientFailWith(client, VMM_CONNECT_CLOSE_REASON_EOF,
                                 VMM_ERR_SYSTEM_ERROR,
                                 "end of file from the server");
            return -1;
        }
        if (n < 0) {
            g_autofree char *text = g_strdup_printf(
                "cannot read from the server: %s", g_strerror(errno));
            remoteClientFailWith(client, VMM_CONNECT_CLOSE_REASON_ERROR,
                                 VMM_ERR_SYSTEM_ERROR, text);
            return -1;
        }
        if (n == 0)
            return 0;

        msg->bufferOffset += n;
        g_mutex_lock(&client->lock);
        client->kaUnanswered = 0;
        client->kaLast = g_get_monotonic_time();
        g_mutex_unlock(&client->lock);
        if (msg->bufferOffset < msg->bufferLength)
            continue;
        if (msg->bufferLength == VMM_NET_MESSAGE_LEN_MAX) {
            if (rpcMessageDecodeLength(msg) < 0) {
                remoteClientFailRaised(client);
                return -1;
            }
            continue;
        }
        if (rpcMessageDecodeHeader(msg) < 0) {
            remoteClientFailRaised(client);
            return -1;
        }
        client->incoming = rpcMessageNew();
        rpcMessagePrepareRead(client->incoming);
        remoteClientDispatch(client, msg);
        done++;
    }
    return 0;
}

/* Writes queued messages until the socket would block. */
static int remoteClientWrite(remoteClient *client)
{
    rpcMessage *msg;
    int err = 0;

    g_mutex_lock(&client->lock);
    while ((msg = g_queue_peek_head(&client->outgoing))) {
        ssize_t n = remoteTransportWrite(client->transport,
                                         msg->buffer + msg->bufferOffset,
                                         msg->bufferLength - msg->bufferOffset);

        if (n < 0) {
            err = errno;
            break;
        }
        if (n == 0)
            break;
        msg->bufferOffset += n;
        if (msg->bufferOffset == msg->bufferLength)
            rpcMessageFree(g_queue_pop_head(&client->outgoing));
    }
    g_mutex_unlock(&client->lock);

    if (err) {
        g_autofree char *text =
            g_strdup_printf("cannot write to the server: %s", g_strerror(err));
        remoteClientFailWith(client, VMM_CONNECT_CLOSE_REASON_ERROR,
                             VMM_ERR_SYSTEM_ERROR, text);
        return -1;
    }
    return 0;
}

/* Sends a PING when the server has been quiet for the interval, or gives
 * up after too many unanswered ones; lock held. Returns the poll timeout
 * in ms until the next check (-1: none), or -2 when the server is
 * considered dead. */
static int remoteClientKeepaliveCheck(remoteClient *client)
{
    gint64 now = g_get_monotonic_time();
    gint64 due;

    if (client->kaInterval <= 0)
        return -1;
    due = client->kaLast + (gint64)client->kaInterval * G_USEC_PER_SEC;
    if (now < due)
        return (int)((due - now + 999) / 1000);
    if (client->kaUnanswered >= client->kaCount)
        return -2;
    remoteClientQueueKeepalive(client, VMM_KEEPALIVE_PROC_PING);
    client->kaUnanswered++;
    client->kaLast = now;
    return client->kaInterval * 1000;
}

/* One round of the I/O thread: wait for the socket, then move data.
 * Returns false when the thread should end. */
static bool remoteClientIterate(remoteClient *client)
{
    struct pollfd fds[2] = {
        {.fd = remoteTransportFD(client->transport), .events = POLLIN},
        {.fd = client->wakeFds[0], .events = POLLIN},
    };
    int timeout;
    bool pending;

    g_mutex_lock(&client->lock);
    if (client->quit || client->closed) {
        g_mutex_unlock(&client->lock);
        return false;
    }
    timeout = remoteClientKeepaliveCheck(client);
    if (!g_queue_is_empty(&client->outgoing))
        fds[0].events |= POLLOUT;
    g_mutex_unlock(&client->lock);
    /* TLS may hold records already read off the socket. */
    pending = remoteTransportHasPending(client->transport);
    if (pending && timeout != -2)
        timeout = 0;

    if (timeout == -2) {
        remoteClientFailWith(client, VMM_CONNECT_CLOSE_REASON_KEEPALIVE,
                             VMM_ERR_RPC,
                             "the server stopped answering keepalive "
                             "messages");
        return false;
    }
    if (poll(fds, G_N_ELEMENTS(fds), timeout) < 0) {
        if (errno == EINTR)
            return true;
        remoteClientFailWith(client, VMM_CONNECT_CLOSE_REASON_ERROR,
                             VMM_ERR_SYSTEM_ERROR, "poll failed");
        return false;
    }
    if (fds[1].revents)
        remoteClientDrainWake(client);
    if ((fds[0].revents & POLLOUT) && remoteClientWrite(client) < 0)
        return false;
    if (((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) || pending) &&
        remoteClientRead(client) < 0)
        return false;
    return true;
}

static gpointer remoteClientThread(gpointer opaque)
{
    remoteClient *client = opaque;

    while (remoteClientIterate(client))
        ;
    return NULL;
}

int remoteClientNew(remoteTransport *transport, remoteClientEventFunc eventFunc,
                    remoteClientClosedFunc closedFunc, void *opaque,
                    remoteClient **ret_client)
{
    g_autoptr(remoteTransport) owned = transport;
    g_autoptr(GError) gerr = NULL;
    remoteClient *client;
    int fds[2];

    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
        errorReportSystem(VMM_FROM_RPC, errno, "cannot create a pipe");
        return -1;
    }
    client = g_new0(remoteClient, 1);
    client->transport = g_steal_pointer(&owned);
    client->wakeFds[0] = fds[0];
    client->wakeFds[1] = fds[1];
    client->eventFunc = eventFunc;
    client->closedFunc = closedFunc;
    client->opaque = opaque;
    g_mutex_init(&client->lock);
    g_queue_init(&client->outgoing);
    client->calls = g_hash_table_new(NULL, NULL);
    client->streams = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    client->nextSerial = 1;
    client->incoming = rpcMessageNew();
    rpcMessagePrepareRead(client->incoming);

    client->thread =
        g_thread_try_new("vmm-remote-io", remoteClientThread, client, &gerr);
    if (!client->thread) {
        errorReport(VMM_FROM_RPC, VMM_ERR_INTERNAL_ERROR,
                    "cannot start the connection's I/O thread: %s",
                    gerr->message);
        remoteClientFree(client);
        return -1;
    }
    *ret_client = client;
    return 0;
}

void remoteClientFree(remoteClient *client)
{
    vmmError err;

    if (!client)
        return;
    if (client->thread) {
        g_mutex_lock(&client->lock);
        client->quit = true;
        g_mutex_unlock(&client->lock);
        remoteClientWake(client);
        g_thread_join(client->thread);
    }
    /* Nobody should still be waiting; if someone is, it fails cleanly. */
    remoteClientErrorInit(&err, VMM_ERR_INVALID_CONN,
                          "the connection was closed");
    g_mutex_lock(&client->lock);
    remoteClientMarkClosed(client, &err);
    g_mutex_unlock(&client->lock);

    remoteTransportFree(client->transport);
    close(client->wakeFds[0]);
    close(client->wakeFds[1]);
    g_hash_table_unref(client->calls);
    g_hash_table_unref(client->streams);
    rpcMessageFree(client->incoming);
    errorClear(&client->closeError);
    g_mutex_clear(&client->lock);
    g_free(client);
}

/* Re-raises why the connection is gone; lock held. */
static void remoteClientReportClosed(remoteClient *client)
{
    vmmError err = {0};

    errorCopy(&client->closeError, &err);
    errorReportFull(&err);
    errorClear(&err);
}

/* Queues @msg and waits for its reply; NULL (error raised) when the
 * connection drops first. */
static rpcMessage *remoteClientExchange(remoteClient *client, rpcMessage *msg)
{
    remotePendingCall call = {0};
    guint serial = msg->header.serial;

    g_cond_init(&call.cond);
    g_mutex_lock(&client->lock);
    if (client->closed) {
        remoteClientReportClosed(client);
        g_mutex_unlock(&client->lock);
        g_cond_clear(&call.cond);
        rpcMessageFree(msg);
        return NULL;
    }
    g_hash_table_insert(client->calls, GUINT_TO_POINTER(serial), &call);
    g_queue_push_tail(&client->outgoing, msg);
    remoteClientWake(client);
    while (!call.done)
        g_cond_wait(&call.cond, &client->lock);
    if (!call.reply)
        remoteClientReportClosed(client);
    g_mutex_unlock(&client->lock);
    g_cond_clear(&call.cond);
    return call.reply;
}

/* Turns a reply into the call's result. */
static int remoteClientDecodeReply(rpcMessage *reply, xdrproc_t retFilter,
                                   void *ret_data)
{
    vmmError err = {0};

    switch ((int)reply->header.status) {
    case VMM_NET_OK:
        return rpcMessageDecodePayload(reply, retFilter, ret_data);
    case VMM_NET_ERROR:
        if (rpcMessageDecodeError(reply, &err) < 0)
            return -1;
        errorReportFull(&err);
        errorClear(&err);
        return -1;
    default:
        errorReport(VMM_FROM_RPC, VMM_ERR_RPC,
                    "unexpected status %d in the reply to procedure %d",
                    (int)reply->header.status, reply->header.proc);
        return -1;
    }
}

unsigned int remoteClientNewSerial(remoteClient *client)
{
    unsigned int serial;

    g_mutex_lock(&client->lock);
    serial = client->nextSerial++;
    g_mutex_unlock(&client->lock);
    return serial;
}

int remoteClientCallProc(remoteClient *client, int proc, xdrproc_t argsFilter,
                         const void *args, xdrproc_t retFilter, void *ret_data)
{
    return remoteClientCallProcSerial(client, remoteClientNewSerial(client),
                                      proc, argsFilter, args, retFilter,
                                      ret_data);
}

int remoteClientCallProcSerial(remoteClient *client, unsigned int serial,
                               int proc, xdrproc_t argsFilter,
                               const void *args, xdrproc_t retFilter,
                               void *ret_data)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) reply = NULL;

    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = proc;
    msg->header.type = VMM_NET_CALL;
    msg->header.status = VMM_NET_OK;
    msg->header.serial = serial;
    if (rpcMessageEncode(msg, argsFilter, args) < 0)
        return -1;

    if (!(reply = remoteClientExchange(client, g_steal_pointer(&msg))))
        return -1;
    return remoteClientDecodeReply(reply, retFilter, ret_data);
}

void remoteClientAddStream(remoteClient *client, unsigned int serial,
                           remoteClientStreamFunc func, void *opaque)
{
    remoteClientStream *stream = g_new0(remoteClientStream, 1);

    stream->func = func;
    stream->opaque = opaque;
    g_mutex_lock(&client->lock);
    g_hash_table_insert(client->streams, GUINT_TO_POINTER(serial), stream);
    g_mutex_unlock(&client->lock);
}

void remoteClientRemoveStream(remoteClient *client, unsigned int serial)
{
    g_mutex_lock(&client->lock);
    g_hash_table_remove(client->streams, GUINT_TO_POINTER(serial));
    g_mutex_unlock(&client->lock);
}

int remoteClientSendMessage(remoteClient *client, rpcMessage *msg)
{
    g_mutex_lock(&client->lock);
    if (client->closed) {
        remoteClientReportClosed(client);
        g_mutex_unlock(&client->lock);
        rpcMessageFree(msg);
        return -1;
    }
    g_queue_push_tail(&client->outgoing, msg);
    remoteClientWake(client);
    g_mutex_unlock(&client->lock);
    return 0;
}

size_t remoteClientQueuedBytes(remoteClient *client)
{
    size_t bytes = 0;

    g_mutex_lock(&client->lock);
    for (GList *l = client->outgoing.head; l; l = l->next) {
        rpcMessage *msg = l->data;

        bytes += msg->bufferLength - msg->bufferOffset;
    }
    g_mutex_unlock(&client->lock);
    return bytes;
}

void remoteClientEnableKeepalive(remoteClient *client, int interval,
                                 unsigned int count)
{
    g_mutex_lock(&client->lock);
    client->kaInterval = interval;
    client->kaCount = count;
    client->kaUnanswered = 0;
    client->kaLast = g_get_monotonic_time();
    g_mutex_unlock(&client->lock);
    /* The thread may sleep in a poll without a timeout. */
    remoteClientWake(client);
}

bool remoteClientIsAlive(remoteClient *client)
{
    bool alive;

    g_mutex_lock(&client->lock);
    alive = !client->closed;
    g_mutex_unlock(&client->lock);
    return alive;
}

const remoteTransport *remoteClientTransport(const remoteClient *client)
{
    return client->transport;
}
