/*
 * vmmd_client.c: one client connection (see vmmd_client.h): non-blocking
 * reads into the message being received, writes from the output queue,
 * and the orderly close that waits for calls still running in workers.
 */
#include <config.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util_error.h"
#include "util_event.h"
#include "util_log.h"
#include "vmmd_client.h"
#include "vmmd_tls.h"

VMM_LOG_INIT("daemon.client");

/* Messages read in one wakeup at most, so one busy client cannot keep the
 * loop from the others. */
#define CLIENT_READ_BURST 16

struct _vmmdClient {
    gint refs;
    unsigned long long id;
    vmmdClientHandlers handlers;
    void *opaque;
    bool readonly;
    pid_t pid;
    uid_t uid;
    gid_t gid;
    unsigned int maxRequests;

    GMutex lock;    /* everything below */
    int fd;         /* -1 once closed (main loop only) */
    int watch;      /* 0 when none */
    rpcMessage *rx; /* being read (main loop only) */
    GQueue tx;      /* rpcMessage *, the head being written */
    size_t txBytes;
    unsigned int inflight;
    unsigned int inputHolds; /* streams whose sink is slow (vmmd_stream.c) */
    bool closed; /* no more I/O; the socket goes on the loop */
    bool flushThenClose;
    bool tornDown;
    /* TLS: records already decrypted wait in gnutls, where poll cannot
     * see them; a kick on the loop reads them once reading may go on. */
    bool tlsStalled;
    bool tlsKick;

    void *priv;
    void (*privClose)(void *data);
    void (*privFree)(void *data);
    void *keepalive;
    void (*keepaliveFree)(void *keepalive);
    vmmdTLSSession *tls; /* NULL: plain socket I/O */
};

static unsigned long long clientNextId = 1;
static GMutex clientIdLock;

static int socketFamily(int fd)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);

    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
        return -1;
    return addr.ss_family;
}

static void clientReadPeer(vmmdClient *client)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    client->pid = -1;
    client->uid = (uid_t)-1;
    client->gid = (gid_t)-1;
    /* Only a UNIX socket tells who is at the other end. */
    if (socketFamily(client->fd) != AF_UNIX)
        return;
    if (getsockopt(client->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        VMM_DEBUG("client %llu: no peer credentials: %s", client->id,
                  g_strerror(errno));
        return;
    }
    client->pid = cred.pid;
    client->uid = cred.uid;
    client->gid = cred.gid;
    VMM_DEBUG("client %llu: peer pid %lld uid %lld gid %lld%s", client->id,
              (long long)cred.pid, (long long)cred.uid, (long long)cred.gid,
              client->readonly ? ", read-only socket" : "");
}

vmmdClient *vmmdClientNew(int fd, bool readonly, unsigned int maxRequests,
                          const vmmdClientHandlers *handlers, void *opaque)
{
    vmmdClient *client = g_new0(vmmdClient, 1);

    client->refs = 1;
    g_mutex_lock(&clientIdLock);
    client->id = clientNextId++;
    g_mutex_unlock(&clientIdLock);
    client->handlers = *handlers;
    client->opaque = opaque;
    client->readonly = readonly;
    client->maxRequests = MAX(maxRequests, 1);
    g_mutex_init(&client->lock);
    g_queue_init(&client->tx);
    client->fd = fd;
    client->rx = rpcMessageNew();
    rpcMessagePrepareRead(client->rx);
    clientReadPeer(client);
    return client;
}

vmmdClient *vmmdClientRef(vmmdClient *client)
{
    g_atomic_int_inc(&client->refs);
    return client;
}

static void clientDropQueue(vmmdClient *client)
{
    rpcMessage *msg;

    while ((msg = g_queue_pop_head(&client->tx)))
        rpcMessageFree(msg);
    client->txBytes = 0;
}

void vmmdClientUnref(vmmdClient *client)
{
    if (!client || !g_atomic_int_dec_and_test(&client->refs))
        return;
    VMM_DEBUG("client %llu: freed", client->id);
    clientDropQueue(client);
    rpcMessageFree(client->rx);
    vmmdTLSSessionFree(client->tls);
    if (client->fd >= 0)
        close(client->fd);
    if (client->keepaliveFree)
        client->keepaliveFree(client->keepalive);
    if (client->privFree)
        client->privFree(client->priv);
    g_mutex_clear(&client->lock);
    g_free(client);
}

unsigned long long vmmdClientGetId(vmmdClient *client)
{
    return client->id;
}

bool vmmdClientIsReadOnly(vmmdClient *client)
{
    return client->readonly;
}

void vmmdClientGetPeer(vmmdClient *client, pid_t *ret_pid, uid_t *ret_uid,
                       gid_t *ret_gid)
{
    *ret_pid = client->pid;
    *ret_uid = client->uid;
    *ret_gid = client->gid;
}

void vmmdClientSetPrivate(vmmdClient *client, void *data,
                          void (*closeFunc)(void *data),
                          void (*freeFunc)(void *data))
{
    client->priv = data;
    client->privClose = closeFunc;
    client->privFree = freeFunc;
}

void *vmmdClientGetPrivate(vmmdClient *client)
{
    return client->priv;
}

void vmmdClientSetKeepalive(vmmdClient *client, void *keepalive,
                            void (*freeFunc)(void *keepalive))
{
    client->keepalive = keepalive;
    client->keepaliveFree = freeFunc;
}

void *vmmdClientGetKeepalive(vmmdClient *client)
{
    return client->keepalive;
}

void vmmdClientSetTLS(vmmdClient *client, vmmdTLSSession *session)
{
    client->tls = session;
}

static ssize_t clientRecv(vmmdClient *client, char *buf, size_t len)
{
    if (client->tls)
        return vmmdTLSSessionRead(client->tls, buf, len);
    return read(client->fd, buf, len);
}

static ssize_t clientSend(vmmdClient *client, const char *buf, size_t len)
{
    if (client->tls)
        return vmmdTLSSessionWrite(client->tls, buf, len);
    return send(client->fd, buf, len, MSG_NOSIGNAL);
}

static gboolean clientTLSKick(gpointer data);

/* What the socket is watched for, from the state; call with the lock. */
static void clientUpdateWatchLocked(vmmdClient *client)
{
    int events = 0;

    if (client->watch == 0)
        return;
    if (!client->closed) {
        if (!client->flushThenClose && client->inflight < client->maxRequests &&
            client->inputHolds == 0)
            events |= EVENT_READABLE;
        if ((events & EVENT_READABLE) && client->tlsStalled &&
            !client->tlsKick) {
            client->tlsKick = true;
            g_idle_add_full(G_PRIORITY_DEFAULT, clientTLSKick,
                            vmmdClientRef(client),
                            (GDestroyNotify)vmmdClientUnref);
        }
        if (!g_queue_is_empty(&client->tx))
            events |= EVENT_WRITABLE;
    }
    eventUpdateWatch(client->watch, events);
}

/* ---- Closing ---- */

/* On the loop: closes the socket if still open, and tears the client
 * down once no call is in flight. */
static gboolean clientCloseOnLoop(gpointer data)
{
    vmmdClient *client = data;
    int watch;
    bool teardown;

    g_mutex_lock(&client->lock);
    watch = client->watch;
    client->watch = 0;
    teardown = client->inflight == 0 && !client->tornDown;
    if (teardown)
        client->tornDown = true;
    g_mutex_unlock(&client->lock);

    if (watch)
        eventRemoveWatch(watch);
    if (client->fd >= 0) {
        VMM_DEBUG("client %llu: socket closed", client->id);
        close(client->fd);
        client->fd = -1;
    }
    if (teardown) {
        if (client->privClose)
            client->privClose(client->priv);
        client->handlers.closed(client, client->opaque);
    }
    return G_SOURCE_REMOVE;
}

static void clientScheduleClose(vmmdClient *client)
{
    g_idle_add_full(G_PRIORITY_DEFAULT, clientCloseOnLoop,
                    vmmdClientRef(client), (GDestroyNotify)vmmdClientUnref);
}

void vmmdClientClose(vmmdClient *client)
{
    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return;
    }
    client->closed = true;
    clientDropQueue(client);
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    VMM_DEBUG("client %llu: closing", client->id);
    clientScheduleClose(client);
}

bool vmmdClientIsClosed(vmmdClient *client)
{
    bool closed;

    g_mutex_lock(&client->lock);
    closed = client->closed;
    g_mutex_unlock(&client->lock);
    return closed;
}

void vmmdClientCloseWhenFlushed(vmmdClient *client)
{
    bool flushed;

    g_mutex_lock(&client->lock);
    client->flushThenClose = true;
    flushed = client->inflight == 0 && g_queue_is_empty(&client->tx);
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    if (flushed)
        vmmdClientClose(client);
}

/* ---- Calls in flight and output ---- */

void vmmdClientCallBegin(vmmdClient *client)
{
    g_mutex_lock(&client->lock);
    client->inflight++;
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
}

void vmmdClientCallEnd(vmmdClient *client)
{
    bool teardown;
    bool flushed;

    g_mutex_lock(&client->lock);
    client->inflight--;
    teardown = client->closed && client->inflight == 0;
    /* Everything before the close was written while the last call ran. */
    flushed = client->flushThenClose && client->inflight == 0 &&
              g_queue_is_empty(&client->tx);
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    if (teardown)
        clientScheduleClose(client);
    else if (flushed)
        vmmdClientClose(client);
}

void vmmdClientQueue(vmmdClient *client, rpcMessage *msg)
{
    bool overflow;
    unsigned int queued;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        rpcMessageFree(msg);
        return;
    }
    client->txBytes += msg->bufferLength - msg->bufferOffset;
    g_queue_push_tail(&client->tx, msg);
    overflow = client->txBytes > VMMD_CLIENT_OUTPUT_MAX_BYTES ||
               client->tx.length > VMMD_CLIENT_OUTPUT_MAX_MESSAGES;
    queued = client->tx.length;
    if (!overflow)
        clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    if (overflow) {
        VMM_WARN("client %llu does not read its replies (%u messages "
                 "queued): disconnecting it",
                 client->id, queued);
        vmmdClientClose(client);
    }
}

size_t vmmdClientQueuedBytes(vmmdClient *client)
{
    size_t bytes;

    g_mutex_lock(&client->lock);
    bytes = client->txBytes;
    g_mutex_unlock(&client->lock);
    return bytes;
}

void vmmdClientHoldInput(vmmdClient *client, bool hold)
{
    g_mutex_lock(&client->lock);
    if (hold)
        client->inputHolds++;
    else if (client->inputHolds > 0)
        client->inputHolds--;
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
}

/* ---- Socket I/O, on the main loop ---- */

/* Writes what the socket takes; -1 when the connection is gone. */
static int clientWrite(vmmdClient *client)
{
    g_mutex_lock(&client->lock);
    while (!client->closed) {
        rpcMessage *msg = g_queue_peek_head(&client->tx);
        ssize_t n;

        if (!msg) {
            /* The reply of the CONNECT_CLOSE call (or of any call still
             * running) is yet to come. */
            if (client->flushThenClose && client->inflight == 0) {
                g_mutex_unlock(&client->lock);
                return -1;
            }
            break;
        }
        n = clientSend(client, msg->buffer + msg->bufferOffset,
                       msg->bufferLength - msg->bufferOffset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n < 0) {
            VMM_DEBUG("client %llu: write failed: %s", client->id,
                      g_strerror(errno));
            g_mutex_unlock(&client->lock);
            return -1;
        }
        msg->bufferOffset += n;
        client->txBytes -= n;
        if (msg->bufferOffset == msg->bufferLength)
            rpcMessageFree(g_queue_pop_head(&client->tx));
    }
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    return 0;
}

/* Moves the read cursor on from a complete length word or message.
 * Returns 1 when a whole message was handed over, 0 to read on, -1 when
 * the peer sent something that is not a message. */
static int clientReadComplete(vmmdClient *client)
{
    rpcMessage *msg = client->rx;

    if (msg->bufferLength == VMM_NET_MESSAGE_LEN_MAX) {
        if (rpcMessageDecodeLength(msg) < 0)
            return -1;
        return 0;
    }
    if (rpcMessageDecodeHeader(msg) < 0)
        return -1;
    client->rx = rpcMessageNew();
    rpcMessagePrepareRead(client->rx);
    client->handlers.message(client, msg, client->opaque);
    return 1;
}

static bool clientMayRead(vmmdClient *client)
{
    bool ok;

    g_mutex_lock(&client->lock);
    ok = !client->closed && !client->flushThenClose &&
         client->inflight < client->maxRequests && client->inputHolds == 0;
    g_mutex_unlock(&client->lock);
    return ok;
}

/* Reading stopped (burst done, or no more calls allowed) with TLS
 * records still buffered: remember it, so that they are read once
 * reading may go on. On the loop. */
static void clientNoteTLSStall(vmmdClient *client)
{
    if (!client->tls || vmmdTLSSessionPending(client->tls) == 0)
        return;
    g_mutex_lock(&client->lock);
    client->tlsStalled = true;
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
}

/* Reads and hands over messages; -1 when the client must go. */
static int clientRead(vmmdClient *client)
{
    int messages = 0;

    while (messages < CLIENT_READ_BURST && clientMayRead(client)) {
        rpcMessage *msg = client->rx;
        ssize_t n = clientRecv(client, msg->buffer + msg->bufferOffset,
                               msg->bufferLength - msg->bufferOffset);
        int rc;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (n < 0) {
            VMM_DEBUG("client %llu: read failed: %s", client->id,
                      g_strerror(errno));
            return -1;
        }
        if (n == 0) {
            VMM_DEBUG("client %llu: end of file", client->id);
            return -1;
        }
        msg->bufferOffset += n;
        if (msg->bufferOffset < msg->bufferLength)
            continue;
        if ((rc = clientReadComplete(client)) < 0) {
            VMM_WARN("client %llu sent a malformed message, disconnecting "
                     "it: %s",
                     client->id, errorGetLast()->message);
            errorReset();
            return -1;
        }
        messages += rc;
    }
    clientNoteTLSStall(client);
    return 0;
}

/* On the loop: reads what gnutls holds, as if the socket had said it
 * was readable. */
static gboolean clientTLSKick(gpointer data)
{
    vmmdClient *client = data;

    g_mutex_lock(&client->lock);
    client->tlsKick = false;
    client->tlsStalled = false;
    g_mutex_unlock(&client->lock);
    if (client->fd < 0 || vmmdClientIsClosed(client))
        return G_SOURCE_REMOVE;
    if (clientRead(client) < 0) {
        vmmdClientClose(client);
        return G_SOURCE_REMOVE;
    }
    g_mutex_lock(&client->lock);
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    return G_SOURCE_REMOVE;
}

static void clientWatchCallback(int watch, int fd, int events, void *opaque)
{
    vmmdClient *client = opaque;

    if (client->fd < 0)
        return;
    if ((events & EVENT_WRITABLE) && clientWrite(client) < 0) {
        vmmdClientClose(client);
        return;
    }
    if ((events & (EVENT_READABLE | EVENT_HANGUP)) && clientRead(client) < 0) {
        vmmdClientClose(client);
        return;
    }
    if ((events & EVENT_ERROR) && !(events & EVENT_READABLE))
        vmmdClientClose(client);
}

void vmmdClientStart(vmmdClient *client)
{
    int watch =
        eventAddWatch(client->fd, EVENT_READABLE, clientWatchCallback,
                      vmmdClientRef(client), (eventFreeFunc)vmmdClientUnref);

    g_mutex_lock(&client->lock);
    client->watch = watch;
    clientUpdateWatchLocked(client);
    g_mutex_unlock(&client->lock);
    /* A client that did not wait for the server's "accepted" byte may
     * have had its first calls read along with the end of the TLS
     * handshake. */
    clientNoteTLSStall(client);
}
