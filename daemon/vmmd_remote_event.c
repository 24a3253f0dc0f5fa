/*
 * vmmd_remote_event.c: forwarding of domain events to remote clients (see
 * vmmd_remote_event.h).
 */
#include <config.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "util_log.h"
#include "vmmd_remote_event.h"

VMM_LOG_INIT("daemon.remote.event");

/* One registration. It belongs to the hypervisor connection, which frees
 * it when the registration goes; the client's list only points at it. */
typedef struct {
    vmmdClient *client; /* a reference */
    gint callbackID;    /* -1 until the registration returned */
    int eventID;
} vmmdRemoteEventCallback;

static void remoteEventCallbackFree(void *opaque)
{
    vmmdRemoteEventCallback *cb = opaque;

    vmmdClientUnref(cb->client);
    g_free(cb);
}

/* The id the client knows @cb by, or -1 while the registration has not
 * been answered yet: an event meanwhile has nobody to go to. */
static int remoteEventCallbackID(vmmdRemoteEventCallback *cb)
{
    return g_atomic_int_get(&cb->callbackID);
}

static void remoteEventLifecycle(vmmConnectPtr conn, vmmDomainPtr dom,
                                 int event, int detail, void *opaque)
{
    vmmdRemoteEventCallback *cb = opaque;
    remote_domain_event_callback_lifecycle_msg msg = {
        .callbackID = remoteEventCallbackID(cb),
        .msg = {.event = event, .detail = detail},
    };

    if (msg.callbackID < 0)
        return;
    rpcDispatchDomainToWire(dom, &msg.msg.dom);
    VMM_DEBUG("client %llu: lifecycle event %d/%d of '%s' for callback %d",
              vmmdClientGetId(cb->client), event, detail, msg.msg.dom.name,
              msg.callbackID);
    vmmdRemoteSendEvent(
        cb->client, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
        (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, &msg);
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg,
             (char *)&msg);
}

static void remoteEventReboot(vmmConnectPtr conn, vmmDomainPtr dom,
                              void *opaque)
{
    vmmdRemoteEventCallback *cb = opaque;
    remote_domain_event_callback_reboot_msg msg = {
        .callbackID = remoteEventCallbackID(cb),
    };

    if (msg.callbackID < 0)
        return;
    rpcDispatchDomainToWire(dom, &msg.msg.dom);
    VMM_DEBUG("client %llu: reboot event of '%s' for callback %d",
              vmmdClientGetId(cb->client), msg.msg.dom.name, msg.callbackID);
    vmmdRemoteSendEvent(cb->client, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                        (xdrproc_t)xdr_remote_domain_event_callback_reboot_msg,
                        &msg);
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_reboot_msg,
             (char *)&msg);
}

/* The callback forwarding events of @eventID, or NULL (error set). */
static vmmConnectDomainEventGenericCallback remoteEventFunc(int eventID)
{
    switch (eventID) {
    case VMM_DOMAIN_EVENT_ID_LIFECYCLE:
        return VMM_DOMAIN_EVENT_CALLBACK(remoteEventLifecycle);
    case VMM_DOMAIN_EVENT_ID_REBOOT:
        return VMM_DOMAIN_EVENT_CALLBACK(remoteEventReboot);
    }
    errorReport(VMM_FROM_REMOTE, VMM_ERR_ARGUMENT_UNSUPPORTED,
                "domain event %d is not supported", eventID);
    return NULL;
}

int vmmdRemoteDomainEventCallbackRegisterAny(vmmdClient *client,
                                             vmmConnectPtr conn, void *argsp,
                                             void *retp)
{
    remote_connect_domain_event_callback_register_any_args *args = argsp;
    remote_connect_domain_event_callback_register_any_ret *ret = retp;
    vmmdRemoteClient *priv = vmmdRemoteClientGet(client);
    vmmConnectDomainEventGenericCallback func = remoteEventFunc(args->eventID);
    vmmDomainPtr dom = NULL;
    vmmdRemoteEventCallback *cb;
    int id;

    if (!func)
        return -1;
    if (args->dom && !(dom = rpcDispatchDomainGet(conn, args->dom)))
        return -1;

    cb = g_new0(vmmdRemoteEventCallback, 1);
    cb->client = vmmdClientRef(client);
    cb->callbackID = -1;
    cb->eventID = args->eventID;
    id = vmmConnectDomainEventRegisterAny(conn, dom, args->eventID, func, cb,
                                          remoteEventCallbackFree);
    rpcDispatchDomainRelease(dom);
    if (id < 0) {
        remoteEventCallbackFree(cb);
        return -1;
    }
    g_atomic_int_set(&cb->callbackID, id);
    g_mutex_lock(&priv->lock);
    g_ptr_array_add(priv->callbacks, cb);
    g_mutex_unlock(&priv->lock);
    VMM_DEBUG("client %llu: event %d registered as callback %d",
              vmmdClientGetId(client), args->eventID, id);
    ret->callbackID = id;
    return 0;
}

/* Takes the callback @id out of the client's list; false when the client
 * has none with that id. */
static bool remoteEventForget(vmmdRemoteClient *priv, int id)
{
    bool found = false;

    g_mutex_lock(&priv->lock);
    for (guint i = 0; i < priv->callbacks->len; i++) {
        vmmdRemoteEventCallback *cb = g_ptr_array_index(priv->callbacks, i);

        if (g_atomic_int_get(&cb->callbackID) == id) {
            g_ptr_array_remove_index(priv->callbacks, i);
            found = true;
            break;
        }
    }
    g_mutex_unlock(&priv->lock);
    return found;
}

int vmmdRemoteDomainEventCallbackDeregisterAny(vmmdClient *client,
                                               vmmConnectPtr conn, void *argsp,
                                               void *ret)
{
    remote_connect_domain_event_callback_deregister_any_args *args = argsp;

    if (!remoteEventForget(vmmdRemoteClientGet(client), args->callbackID)) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_INVALID_ARG,
                    "domain event callback %d not registered",
                    args->callbackID);
        return -1;
    }
    return vmmConnectDomainEventDeregisterAny(conn, args->callbackID);
}

void vmmdRemoteEventDeregisterAll(vmmdRemoteClient *priv, vmmConnectPtr conn)
{
    g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(int));

    g_mutex_lock(&priv->lock);
    for (guint i = 0; i < priv->callbacks->len; i++) {
        vmmdRemoteEventCallback *cb = g_ptr_array_index(priv->callbacks, i);
        int id = g_atomic_int_get(&cb->callbackID);

        g_array_append_val(ids, id);
    }
    g_ptr_array_set_size(priv->callbacks, 0);
    g_mutex_unlock(&priv->lock);

    /* Outside the lock: deregistering frees the callback, which drops a
     * client reference. */
    for (guint i = 0; i < ids->len; i++)
        vmmConnectDomainEventDeregisterAny(conn, g_array_index(ids, int, i));
}
