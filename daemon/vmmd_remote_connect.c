/*
 * vmmd_remote_connect.c: the remote program's per-client state and the
 * handlers of the connection procedures (see vmmd_remote_connect.h).
 */
#include <config.h>

#include "util_error.h"
#include "util_log.h"
#include "vmmd_auth.h"
#include "vmmd_keepalive.h"
#include "vmmd_remote_connect.h"
#include "vmmd_remote_event.h"
#include "vmmd_stream.h"

VMM_LOG_INIT("daemon.remote");

/* What a client that names no URI gets: the only driver vmmd hosts yet. */
#define VMMD_REMOTE_DEFAULT_URI "test:///default"

vmmdRemoteClient *vmmdRemoteClientGet(vmmdClient *client)
{
    return vmmdClientGetPrivate(client);
}

static void remoteCloseCallback(vmmConnectPtr conn, int reason, void *opaque)
{
    vmmdClient *client = opaque;
    remote_connect_event_connection_closed_msg msg = {.reason = reason};

    VMM_DEBUG("client %llu: hypervisor connection closed, reason %d",
              vmmdClientGetId(client), reason);
    vmmdRemoteSendEvent(
        client, REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
        (xdrproc_t)xdr_remote_connect_event_connection_closed_msg, &msg);
}

/* Runs on the main loop once the client has no call in flight: undo
 * every registration, then drop the connection. */
static void remoteClientClose(void *data)
{
    vmmdRemoteClient *priv = data;
    vmmConnectPtr conn;
    bool closeCallback;

    vmmdStreamClientClosed(priv->client);
    g_mutex_lock(&priv->lock);
    conn = g_steal_pointer(&priv->conn);
    closeCallback = priv->closeCallback;
    priv->closeCallback = false;
    g_mutex_unlock(&priv->lock);
    if (!conn)
        return;

    vmmdRemoteEventDeregisterAll(priv, conn);
    if (closeCallback)
        vmmConnectUnregisterCloseCallback(conn, remoteCloseCallback);
    vmmConnectClose(conn);
    errorReset();
}

static void remoteClientFree(void *data)
{
    vmmdRemoteClient *priv = data;

    if (!priv)
        return;
    g_ptr_array_unref(priv->callbacks);
    g_mutex_clear(&priv->lock);
    g_free(priv);
}

void vmmdRemoteClientAttach(vmmdClient *client)
{
    vmmdRemoteClient *priv = g_new0(vmmdRemoteClient, 1);

    priv->client = client;
    g_mutex_init(&priv->lock);
    priv->callbacks = g_ptr_array_new();
    vmmdClientSetPrivate(client, priv, remoteClientClose, remoteClientFree);
}

vmmConnectPtr vmmdRemoteGetConn(vmmdClient *client)
{
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    vmmConnectPtr conn;

    g_mutex_lock(&priv->lock);
    conn = priv->conn;
    if (conn)
        vmmConnectRef(conn);
    g_mutex_unlock(&priv->lock);
    return conn;
}

bool vmmdRemoteIsReadOnly(vmmdClient *client)
{
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    bool readonly;

    g_mutex_lock(&priv->lock);
    readonly = priv->readonly;
    g_mutex_unlock(&priv->lock);
    return readonly || vmmdClientIsReadOnly(client);
}

void vmmdRemoteSendEvent(vmmdClient *client, int proc, xdrproc_t filter,
                         const void *data)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = proc;
    msg->header.type = VMM_NET_MESSAGE;
    msg->header.status = VMM_NET_OK;
    if (rpcMessageEncode(msg, filter, data) < 0) {
        VMM_WARN("client %llu: event %d dropped: %s", vmmdClientGetId(client),
                 proc, errorGetLast()->message);
        errorReset();
        return;
    }
    vmmdClientQueue(client, g_steal_pointer(&msg));
}

/* Lets the client in when its socket needs nothing from it or polkit
 * says yes; asks once per client. Clients normally ask with AUTH_POLKIT
 * first; CONNECT_OPEN asks for those that skip it. */
static int remoteAuthenticate(vmmdClient *client)
{
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    bool done;

    g_mutex_lock(&priv->lock);
    done = priv->authenticated;
    g_mutex_unlock(&priv->lock);
    if (done)
        return 0;
    if (vmmdAuthCheckClient(client) < 0)
        return -1;
    g_mutex_lock(&priv->lock);
    priv->authenticated = true;
    g_mutex_unlock(&priv->lock);
    return 0;
}

/* ---- Handlers ---- */

int vmmdRemoteConnectOpen(vmmdClient *client, vmmConnectPtr unused, void *argsp,
                          void *retp)
{
    remote_connect_open_args *args = argsp;
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    const char *name = args->name ? *args->name : NULL;
    unsigned int flags = args->flags & VMM_CONNECT_RO;
    vmmConnectPtr conn;

    if (remoteAuthenticate(client) < 0)
        return -1;
    if (vmmdClientIsReadOnly(client))
        flags |= VMM_CONNECT_RO;
    if (!name || !*name)
        name = VMMD_REMOTE_DEFAULT_URI;
    VMM_DEBUG("client %llu: opening '%s'%s", vmmdClientGetId(client), name,
              flags & VMM_CONNECT_RO ? " read-only" : "");

    if (!(conn = vmmConnectOpenFlags(name, flags)))
        return -1;

    g_mutex_lock(&priv->lock);
    if (priv->conn) {
        g_mutex_unlock(&priv->lock);
        vmmConnectClose(conn);
        errorReport(VMM_FROM_REMOTE, VMM_ERR_INTERNAL_ERROR,
                    "connection already open");
        return -1;
    }
    priv->conn = conn;
    priv->readonly = flags & VMM_CONNECT_RO;
    g_mutex_unlock(&priv->lock);
    return 0;
}

int vmmdRemoteConnectClose(vmmdClient *client, vmmConnectPtr conn, void *args,
                           void *ret)
{
    /* The hypervisor connection goes with the client, after the reply. */
    vmmdClientCloseWhenFlushed(client);
    return 0;
}

int vmmdRemoteAuthList(vmmdClient *client, vmmConnectPtr conn, void *args,
                       void *retp)
{
    remote_auth_list_ret *ret = retp;
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    bool done;

    g_mutex_lock(&priv->lock);
    done = priv->authenticated;
    g_mutex_unlock(&priv->lock);
    /* POLKIT makes clients send AUTH_POLKIT; root peers and sockets
     * without polkit have nothing to prove (vmmd_auth.h). */
    ret->types.types_len = 1;
    ret->types.types_val = g_new0(remote_auth_type, 1);
    ret->types.types_val[0] =
        !done && vmmdAuthRequired(client) == VMMD_AUTH_POLKIT
            ? REMOTE_AUTH_POLKIT
            : REMOTE_AUTH_NONE;
    return 0;
}

int vmmdRemoteAuthPolkit(vmmdClient *client, vmmConnectPtr conn, void *args,
                         void *retp)
{
    remote_auth_polkit_ret *ret = retp;

    if (remoteAuthenticate(client) < 0)
        return -1;
    ret->complete = 1;
    return 0;
}

int vmmdRemoteConnectSupportsFeature(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp)
{
    remote_connect_supports_feature_args *args = argsp;
    remote_connect_supports_feature_ret *ret = retp;

    switch (args->feature) {
    case VMMD_FEATURE_PROGRAM_KEEPALIVE:
        /* Asking is how a client says it answers our PINGs. */
        vmmdKeepaliveStart(client);
        ret->supported = 1;
        break;
    case VMMD_FEATURE_TYPED_PARAM_STRING:
    case VMMD_FEATURE_REMOTE_EVENT_CALLBACK:
    case VMMD_FEATURE_REMOTE_CLOSE_CALLBACK:
    case VMMD_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        ret->supported = 1;
        break;
    default:
        /* Migration, descriptor passing (which libvirtd has) and the
         * rest: not yet. */
        ret->supported = 0;
    }
    return 0;
}

int vmmdRemoteConnectIsSecure(vmmdClient *client, vmmConnectPtr conn,
                              void *args, void *retp)
{
    remote_connect_is_secure_ret *ret = retp;

    /* Only UNIX sockets so far: nobody can listen in. */
    ret->secure = 1;
    return 0;
}

int vmmdRemoteConnectRegisterCloseCallback(vmmdClient *client,
                                           vmmConnectPtr conn, void *args,
                                           void *ret)
{
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    int rc = 0;

    g_mutex_lock(&priv->lock);
    if (!priv->closeCallback) {
        rc = vmmConnectRegisterCloseCallback(conn, remoteCloseCallback,
                                             vmmdClientRef(client),
                                             (vmmFreeCallback)vmmdClientUnref);
        if (rc < 0)
            vmmdClientUnref(client);
        else
            priv->closeCallback = true;
    }
    g_mutex_unlock(&priv->lock);
    return rc;
}

int vmmdRemoteConnectUnregisterCloseCallback(vmmdClient *client,
                                             vmmConnectPtr conn, void *args,
                                             void *ret)
{
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    bool registered;

    g_mutex_lock(&priv->lock);
    registered = priv->closeCallback;
    priv->closeCallback = false;
    g_mutex_unlock(&priv->lock);
    if (registered)
        return vmmConnectUnregisterCloseCallback(conn, remoteCloseCallback);
    return 0;
}
