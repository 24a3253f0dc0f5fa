/*
 * vmmd_keepalive.c: PING / PONG on one client connection (see
 * vmmd_keepalive.h). The timer runs on the main loop; the state is shared
 * with the worker that starts it, hence the lock.
 */
#include <config.h>

#include "util_event.h"
#include "util_log.h"
#include "vmm_keepalive_protocol.h"
#include "vmmd_keepalive.h"

VMM_LOG_INIT("daemon.keepalive");

typedef struct {
    GMutex lock;
    int interval; /* seconds; <= 0: never check */
    unsigned int count;
    int timer; /* 0 when not running */
    bool stopped;
    gint64 lastActivity; /* monotonic, microseconds */
    unsigned int unanswered;
} vmmdKeepalive;

static void keepaliveFree(void *data)
{
    vmmdKeepalive *ka = data;

    g_mutex_clear(&ka->lock);
    g_free(ka);
}

void vmmdKeepaliveAttach(vmmdClient *client, int interval, unsigned int count)
{
    vmmdKeepalive *ka = g_new0(vmmdKeepalive, 1);

    g_mutex_init(&ka->lock);
    ka->interval = interval;
    ka->count = count;
    ka->lastActivity = g_get_monotonic_time();
    vmmdClientSetKeepalive(client, ka, keepaliveFree);
}

/* A keepalive message with no payload, ready to queue. */
static rpcMessage *keepaliveMessage(int proc)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = VMM_KEEPALIVE_PROGRAM;
    msg->header.vers = VMM_KEEPALIVE_PROTOCOL_VERSION;
    msg->header.proc = proc;
    msg->header.type = VMM_NET_MESSAGE;
    msg->header.status = VMM_NET_OK;
    if (rpcMessageEncode(msg, NULL, NULL) < 0)
        return NULL;
    return g_steal_pointer(&msg);
}

static void keepaliveSend(vmmdClient *client, int proc)
{
    rpcMessage *msg = keepaliveMessage(proc);

    if (msg)
        vmmdClientQueue(client, msg);
}

/* Every interval: ping a silent client, drop one that stays silent. */
static void keepaliveTimer(int timer, void *opaque)
{
    vmmdClient *client = opaque;
    vmmdKeepalive *ka = vmmdClientGetKeepalive(client);
    gint64 silence;
    bool dead = false;
    bool ping = false;

    g_mutex_lock(&ka->lock);
    silence = g_get_monotonic_time() - ka->lastActivity;
    if (silence >= (gint64)ka->interval * G_USEC_PER_SEC) {
        if (ka->unanswered >= ka->count) {
            dead = true;
        } else {
            ka->unanswered++;
            ping = true;
        }
    }
    g_mutex_unlock(&ka->lock);

    if (dead) {
        VMM_WARN("client %llu did not answer %u keepalive requests in %d s: "
                 "closing its connection",
                 vmmdClientGetId(client), ka->count, ka->count * ka->interval);
        vmmdClientClose(client);
    } else if (ping) {
        VMM_DEBUG("client %llu: sending keepalive request",
                  vmmdClientGetId(client));
        keepaliveSend(client, VMM_KEEPALIVE_PROC_PING);
    }
}

void vmmdKeepaliveStart(vmmdClient *client)
{
    vmmdKeepalive *ka = vmmdClientGetKeepalive(client);

    g_mutex_lock(&ka->lock);
    if (ka->interval > 0 && ka->timer == 0 && !ka->stopped) {
        ka->lastActivity = g_get_monotonic_time();
        ka->timer = eventAddTimer(ka->interval * 1000, keepaliveTimer,
                                  vmmdClientRef(client),
                                  (eventFreeFunc)vmmdClientUnref);
        VMM_DEBUG("client %llu: keepalive every %d s, %u misses allowed",
                  vmmdClientGetId(client), ka->interval, ka->count);
    }
    g_mutex_unlock(&ka->lock);
}

void vmmdKeepaliveStop(vmmdClient *client)
{
    vmmdKeepalive *ka = vmmdClientGetKeepalive(client);
    int timer;

    g_mutex_lock(&ka->lock);
    ka->stopped = true;
    timer = ka->timer;
    ka->timer = 0;
    g_mutex_unlock(&ka->lock);
    /* Outside the lock: removing may drop the last client reference. */
    if (timer)
        eventRemoveTimer(timer);
}

void vmmdKeepaliveNoteActivity(vmmdClient *client)
{
    vmmdKeepalive *ka = vmmdClientGetKeepalive(client);

    g_mutex_lock(&ka->lock);
    ka->lastActivity = g_get_monotonic_time();
    ka->unanswered = 0;
    g_mutex_unlock(&ka->lock);
}

void vmmdKeepaliveHandle(vmmdClient *client, rpcMessage *msg)
{
    g_autoptr(rpcMessage) owned = msg;

    if (msg->header.type != VMM_NET_MESSAGE) {
        VMM_DEBUG("client %llu: keepalive message of type %d ignored",
                  vmmdClientGetId(client), msg->header.type);
        return;
    }
    switch (msg->header.proc) {
    case VMM_KEEPALIVE_PROC_PING:
        VMM_DEBUG("client %llu: keepalive request answered",
                  vmmdClientGetId(client));
        keepaliveSend(client, VMM_KEEPALIVE_PROC_PONG);
        break;
    case VMM_KEEPALIVE_PROC_PONG:
        /* The activity itself was noted already. */
        break;
    default:
        VMM_DEBUG("client %llu: unknown keepalive procedure %d ignored",
                  vmmdClientGetId(client), msg->header.proc);
    }
}
