/*
 * remote_driver.c: the remote hypervisor driver: choosing the socket a URI
 * names, the opening handshake, and the client stubs whose mapping to the
 * wire is not mechanical (listing, events). Every other slot is filled
 * with a stub generated from the .x by scripts/rpcgen/gen_client.py
 * (vmm_remote_client.c, built from src/rpc's rules).
 *
 * The opening handshake is the one libvirt's own clients perform, so the
 * same code talks to vmmd and to libvirtd: AUTH_LIST, then
 * CONNECT_SUPPORTS_FEATURE(keepalive), then CONNECT_OPEN with the URI
 * stripped of its transport and of the parameters only the client reads.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "remote_conn.h"
#include "remote_control.h"
#include "remote_node.h"
#include "remote_device.h"
#include "remote_vcpu.h"
#include "remote_driver.h"
#include "remote_stream.h"
#include "util_error.h"

#define REMOTE_ERR VMM_FROM_REMOTE

/* The XDR filter of a payload structure of the .x. */
#define REMOTE_XDR(type) ((xdrproc_t)xdr_##type)

/* Where the local vmmd listens, as libvirtd's libvirt-sock(-ro). */
#define REMOTE_SOCKET_RW "/run/vmm/vmm-sock"
#define REMOTE_SOCKET_RO "/run/vmm/vmm-sock-ro"
#define REMOTE_TCP_PORT 16509
#define REMOTE_TLS_PORT 16514

/* CONNECT_SUPPORTS_FEATURE number of the keepalive program, and the
 * defaults libvirt clients use for it. */
#define REMOTE_FEATURE_KEEPALIVE 10
#define REMOTE_KEEPALIVE_INTERVAL 5
#define REMOTE_KEEPALIVE_COUNT 5

/* CONNECT_OPEN flag of a read-only connection. */
#define REMOTE_OPEN_READONLY 1

/* Drivers that live only in the daemon: without a transport their URIs
 * still go to the local vmmd. */
static const char *const remoteDaemonDrivers[] = {"qemu", "xen", "openvz"};

/* Query parameters the client consumes; the server never sees them. */
static const char *const remoteClientParams[] = {
    "name",         "socket",      "command",   "netcat", "keyfile",
    "sshauth",      "known_hosts", "no_verify", "no_tty", "pkipath",
    "tls_priority", "mode",        "proxy",     "auth",   "no_sanity",
};

static bool remoteStrInList(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (g_strcmp0(s, list[i]) == 0)
            return true;
    }
    return false;
}

static bool remoteURIIsOurs(const vmmURI *uri)
{
    if (!uri->driver)
        return false;
    /* A transport or a host always means a daemon, as for libvirt. */
    if (uri->transport || (uri->server && *uri->server))
        return true;
    return remoteStrInList(uri->driver, remoteDaemonDrivers,
                           G_N_ELEMENTS(remoteDaemonDrivers));
}

/* The URI the server is asked to open: the "name" parameter when given,
 * else @uri without transport, host and client parameters. */
static char *remoteURIForServer(const vmmURI *uri)
{
    const char *name = uriGetParam(uri, "name");
    g_autofree char **names = g_new0(char *, uri->nparams + 1);
    g_autofree char **values = g_new0(char *, uri->nparams + 1);
    vmmURI stripped = {0};

    if (name)
        return g_strdup(name);
    for (size_t i = 0; i < uri->nparams; i++) {
        if (remoteStrInList(uri->paramNames[i], remoteClientParams,
                            G_N_ELEMENTS(remoteClientParams)))
            continue;
        names[stripped.nparams] = uri->paramNames[i];
        values[stripped.nparams++] = uri->paramValues[i];
    }
    stripped.scheme = uri->driver;
    stripped.path = uri->path;
    stripped.paramNames = names;
    stripped.paramValues = values;
    return uriFormat(&stripped);
}

/* Connects the socket @uri names. */
static int remoteOpenTransport(const vmmURI *uri, unsigned int flags,
                               remoteTransport **ret_transport)
{
    const char *transport = uri->transport;
    bool hasServer = uri->server && *uri->server;

    /* A host without a transport means TLS, as for libvirt. */
    if (!transport)
        transport = hasServer ? "tls" : "unix";

    if (strcmp(transport, "unix") == 0) {
        const char *path = uriGetParam(uri, "socket");

        if (!path)
            path =
                (flags & VMM_CONNECT_RO) ? REMOTE_SOCKET_RO : REMOTE_SOCKET_RW;
        return remoteTransportOpenUnix(path, ret_transport);
    }
    if (strcmp(transport, "tcp") == 0)
        return remoteTransportOpenTCP(
            hasServer ? uri->server : "localhost",
            uri->port > 0 ? uri->port : REMOTE_TCP_PORT, ret_transport);
    if (strcmp(transport, "tls") == 0) {
        remoteTLSOptions opts = {
            .host = hasServer ? uri->server : "localhost",
            .pkipath = uriGetParam(uri, "pkipath"),
            .priority = uriGetParam(uri, "tls_priority"),
            .noVerify = g_strcmp0(uriGetParam(uri, "no_verify"), "1") == 0,
        };

        return remoteTransportOpenTLS(
            opts.host, uri->port > 0 ? uri->port : REMOTE_TLS_PORT, &opts,
            ret_transport);
    }
    errorReport(REMOTE_ERR, VMM_ERR_INVALID_ARG,
                "transport '%s' in the URI is not recognised (unix, tcp, "
                "tls)",
                transport);
    return -1;
}

/* ---- I/O thread callbacks ---- */

/* Whether an event the server sent for its callback @callbackID belongs
 * to our current registration for @eventID: one of a registration
 * already dropped is stale. */
static bool remoteEventIsCurrent(remoteConn *rconn, int eventID, int callbackID)
{
    int expected = g_atomic_int_get(&rconn->serverCallbackID[eventID]);

    return expected < 0 || callbackID == expected;
}

static void
remoteHandleLifecycle(remoteConn *rconn,
                      const remote_domain_event_callback_lifecycle_msg *msg)
{
    if (!remoteEventIsCurrent(rconn, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
                              msg->callbackID))
        return;
    domainEventStateQueueLifecycle(rconn->events, msg->msg.dom.name,
                                   (const unsigned char *)msg->msg.dom.uuid,
                                   msg->msg.dom.id, msg->msg.event,
                                   msg->msg.detail);
}

static void
remoteHandleReboot(remoteConn *rconn,
                   const remote_domain_event_callback_reboot_msg *msg)
{
    if (!remoteEventIsCurrent(rconn, VMM_DOMAIN_EVENT_ID_REBOOT,
                              msg->callbackID))
        return;
    domainEventStateQueueReboot(rconn->events, msg->msg.dom.name,
                                (const unsigned char *)msg->msg.dom.uuid,
                                msg->msg.dom.id);
}

static void remoteHandleEvent(const rpcProcInfo *proc, void *msg, void *opaque)
{
    remoteConn *rconn = opaque;

    switch (proc->number) {
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE:
        remoteHandleLifecycle(rconn, msg);
        break;
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT:
        remoteHandleReboot(rconn, msg);
        break;
    default:
        break;
    }
}

static void remoteHandleClosed(int reason, void *opaque)
{
    remoteConn *rconn = opaque;

    connectNotifyClosed(rconn->conn, reason);
}

/* ---- Opening and closing ---- */

/* Authenticates as the server asks: nothing, or polkit (the server
 * decides from our credentials). */
static int remoteAuthenticate(vmmConnectPtr conn)
{
    remote_auth_list_ret list = {0};
    bool none, polkit = false;

    if (remoteClientCall(conn, REMOTE_PROC_AUTH_LIST, RPC_XDR_VOID, NULL,
                         REMOTE_XDR(remote_auth_list_ret), &list) < 0)
        return -1;
    none = list.types.types_len == 0;
    for (u_int i = 0; i < list.types.types_len; i++) {
        none |= list.types.types_val[i] == REMOTE_AUTH_NONE;
        polkit |= list.types.types_val[i] == REMOTE_AUTH_POLKIT;
    }
    xdr_free((xdrproc_t)xdr_remote_auth_list_ret, (char *)&list);

    if (none)
        return 0;
    if (polkit) {
        remote_auth_polkit_ret done = {0};

        return remoteClientCall(conn, REMOTE_PROC_AUTH_POLKIT, RPC_XDR_VOID,
                                NULL, REMOTE_XDR(remote_auth_polkit_ret),
                                &done);
    }
    errorReport(REMOTE_ERR, VMM_ERR_AUTH_FAILED,
                "the server asks for SASL authentication, which this client "
                "does not support");
    return -1;
}

static void remoteStartKeepalive(vmmConnectPtr conn)
{
    remote_connect_supports_feature_args args = {.feature =
                                                     REMOTE_FEATURE_KEEPALIVE};
    remote_connect_supports_feature_ret ret = {0};

    /* A server that cannot say simply gets no PINGs from us. */
    if (remoteClientCall(conn, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
                         REMOTE_XDR(remote_connect_supports_feature_args),
                         &args, REMOTE_XDR(remote_connect_supports_feature_ret),
                         &ret) < 0) {
        errorReset();
        return;
    }
    if (ret.supported)
        remoteClientEnableKeepalive(remoteConnOf(conn)->client,
                                    REMOTE_KEEPALIVE_INTERVAL,
                                    REMOTE_KEEPALIVE_COUNT);
}

static int remoteHandshake(vmmConnectPtr conn, const vmmURI *uri,
                           unsigned int flags)
{
    g_autofree char *name = remoteURIForServer(uri);
    remote_connect_open_args args = {0};

    if (remoteAuthenticate(conn) < 0)
        return -1;
    remoteStartKeepalive(conn);
    args.name = &name;
    args.flags = (flags & VMM_CONNECT_RO) ? REMOTE_OPEN_READONLY : 0;
    return remoteClientCall(conn, REMOTE_PROC_CONNECT_OPEN,
                            REMOTE_XDR(remote_connect_open_args), &args,
                            RPC_XDR_VOID, NULL);
}

static vmmDrvOpenStatus remoteConnectOpen(vmmConnectPtr conn, const vmmURI *uri,
                                          unsigned int flags)
{
    g_autoptr(remoteConn) rconn = NULL;
    remoteTransport *transport = NULL;

    if (!remoteURIIsOurs(uri))
        return VMM_DRV_OPEN_DECLINED;
    if (flags & ~(VMM_CONNECT_RO | VMM_CONNECT_NO_ALIASES)) {
        errorReport(REMOTE_ERR, VMM_ERR_INVALID_ARG, "unsupported flags 0x%x",
                    flags);
        return VMM_DRV_OPEN_ERROR;
    }
    if (remoteOpenTransport(uri, flags, &transport) < 0)
        return VMM_DRV_OPEN_ERROR;

    rconn = remoteConnNew(conn);
    if (remoteClientNew(transport, remoteHandleEvent, remoteHandleClosed, rconn,
                        &rconn->client) < 0)
        return VMM_DRV_OPEN_ERROR;
    conn->privateData = rconn;
    if (remoteHandshake(conn, uri, flags) < 0) {
        conn->privateData = NULL;
        return VMM_DRV_OPEN_ERROR;
    }
    g_steal_pointer(&rconn);
    return VMM_DRV_OPEN_SUCCESS;
}

static int remoteConnectClose(vmmConnectPtr conn)
{
    remoteConn *rconn = remoteConnOf(conn);
    int ret = 0;

    if (!rconn)
        return 0;
    /* Telling the server is a courtesy: it cleans up on a dropped socket
     * too, so a connection already gone closes without complaint. */
    if (remoteClientIsAlive(rconn->client))
        ret = remoteClientCall(conn, REMOTE_PROC_CONNECT_CLOSE, RPC_XDR_VOID,
                               NULL, RPC_XDR_VOID, NULL);
    remoteConnFree(rconn);
    conn->privateData = NULL;
    return ret;
}

/* The server's hypervisor name, asked on first use: later calls return
 * the same string, which lives as long as the connection. */
static const char *remoteConnectGetType(vmmConnectPtr conn)
{
    remoteConn *rconn = remoteConnOf(conn);
    remote_connect_get_type_ret ret = {0};
    char *type;

    if ((type = g_atomic_pointer_get(&rconn->type)))
        return type;
    if (remoteClientCall(conn, REMOTE_PROC_CONNECT_GET_TYPE, RPC_XDR_VOID,
                         NULL, (xdrproc_t)xdr_remote_connect_get_type_ret,
                         &ret) < 0)
        return NULL;
    type = g_strdup(ret.type);
    xdr_free((xdrproc_t)xdr_remote_connect_get_type_ret, (char *)&ret);
    /* Two threads may ask at once: the first answer stays. */
    if (!g_atomic_pointer_compare_and_exchange(&rconn->type, NULL, type)) {
        g_free(type);
        type = g_atomic_pointer_get(&rconn->type);
    }
    return type;
}

static int remoteConnectIsAlive(vmmConnectPtr conn)
{
    return remoteClientIsAlive(remoteConnOf(conn)->client) ? 1 : 0;
}

static int remoteConnectIsEncrypted(vmmConnectPtr conn)
{
    const remoteClient *client = remoteConnOf(conn)->client;

    return remoteTransportIsEncrypted(remoteClientTransport(client)) ? 1 : 0;
}

static int remoteConnectIsSecure(vmmConnectPtr conn)
{
    const remoteTransport *transport =
        remoteClientTransport(remoteConnOf(conn)->client);

    return remoteTransportIsSecure(transport) ||
                   remoteTransportIsEncrypted(transport)
               ? 1
               : 0;
}

/* ---- Listing ---- */

static int remoteConnectListDomains(vmmConnectPtr conn, int *ids, int maxids)
{
    remote_connect_list_domains_args args = {.maxids = maxids};
    remote_connect_list_domains_ret ret = {0};
    int count;

    if (remoteClientCall(conn, REMOTE_PROC_CONNECT_LIST_DOMAINS,
                         REMOTE_XDR(remote_connect_list_domains_args), &args,
                         REMOTE_XDR(remote_connect_list_domains_ret), &ret) < 0)
        return -1;
    count = ret.ids.ids_len;
    if (count > maxids) {
        errorReport(REMOTE_ERR, VMM_ERR_RPC,
                    "the server sent %d domain ids for %d asked", count,
                    maxids);
        count = -1;
    } else {
        memcpy(ids, ret.ids.ids_val, count * sizeof(int));
    }
    xdr_free((xdrproc_t)xdr_remote_connect_list_domains_ret, (char *)&ret);
    return count;
}

static int remoteConnectListDefinedDomains(vmmConnectPtr conn,
                                           char **const names, int maxnames)
{
    remote_connect_list_defined_domains_args args = {.maxnames = maxnames};
    remote_connect_list_defined_domains_ret ret = {0};
    int count;

    if (remoteClientCall(
            conn, REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS,
            REMOTE_XDR(remote_connect_list_defined_domains_args), &args,
            REMOTE_XDR(remote_connect_list_defined_domains_ret), &ret) < 0)
        return -1;
    count = ret.names.names_len;
    if (count > maxnames) {
        errorReport(REMOTE_ERR, VMM_ERR_RPC,
                    "the server sent %d domain names for %d asked", count,
                    maxnames);
        count = -1;
    } else {
        for (int i = 0; i < count; i++)
            names[i] = g_strdup(ret.names.names_val[i]);
    }
    xdr_free((xdrproc_t)xdr_remote_connect_list_defined_domains_ret,
             (char *)&ret);
    return count;
}

/* ---- Events ---- */

/* Asks the server for every event of @eventID; eventLock held. */
static int remoteEventServerRegister(vmmConnectPtr conn, int eventID)
{
    remote_connect_domain_event_callback_register_any_args args = {
        .eventID = eventID, .dom = NULL};
    remote_connect_domain_event_callback_register_any_ret ret = {0};

    if (remoteClientCall(
            conn, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
            REMOTE_XDR(remote_connect_domain_event_callback_register_any_args),
            &args,
            REMOTE_XDR(remote_connect_domain_event_callback_register_any_ret),
            &ret) < 0)
        return -1;
    g_atomic_int_set(&remoteConnOf(conn)->serverCallbackID[eventID],
                     ret.callbackID);
    return 0;
}

static int remoteEventServerDeregister(vmmConnectPtr conn, int eventID)
{
    remoteConn *rconn = remoteConnOf(conn);
    remote_connect_domain_event_callback_deregister_any_args args = {
        .callbackID = g_atomic_int_get(&rconn->serverCallbackID[eventID])};

    g_atomic_int_set(&rconn->serverCallbackID[eventID], -1);
    return remoteClientCall(
        conn, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
        REMOTE_XDR(remote_connect_domain_event_callback_deregister_any_args),
        &args, RPC_XDR_VOID, NULL);
}

static int
remoteConnectDomainEventRegisterAny(vmmConnectPtr conn, vmmDomainPtr dom,
                                    int eventID,
                                    vmmConnectDomainEventGenericCallback cb,
                                    void *opaque, vmmFreeCallback freecb)
{
    remoteConn *rconn = remoteConnOf(conn);
    bool registered = false;
    int id;

    g_mutex_lock(&rconn->eventLock);
    if (rconn->eventCount[eventID] == 0) {
        if (remoteEventServerRegister(conn, eventID) < 0) {
            g_mutex_unlock(&rconn->eventLock);
            return -1;
        }
        registered = true;
    }
    id = domainEventStateRegister(rconn->events, conn, dom, eventID, cb, opaque,
                                  freecb);
    if (id < 0) {
        if (registered) {
            g_autoptr(vmmError) saved = errorSave();

            remoteEventServerDeregister(conn, eventID);
            errorRestore(&saved);
        }
        g_mutex_unlock(&rconn->eventLock);
        return -1;
    }
    rconn->eventCount[eventID]++;
    g_hash_table_insert(rconn->localEvents, GINT_TO_POINTER(id),
                        GINT_TO_POINTER(eventID));
    g_mutex_unlock(&rconn->eventLock);
    return id;
}

static int remoteConnectDomainEventDeregisterAny(vmmConnectPtr conn,
                                                 int callbackID)
{
    remoteConn *rconn = remoteConnOf(conn);
    gpointer value;
    int eventID;
    int ret = 0;

    g_mutex_lock(&rconn->eventLock);
    if (!g_hash_table_lookup_extended(
            rconn->localEvents, GINT_TO_POINTER(callbackID), NULL, &value) ||
        domainEventStateDeregister(rconn->events, conn, callbackID) < 0) {
        g_mutex_unlock(&rconn->eventLock);
        if (!errorIsSet())
            errorReport(VMM_FROM_EVENT, VMM_ERR_INVALID_ARG,
                        "no domain event callback with id %d", callbackID);
        return -1;
    }
    eventID = GPOINTER_TO_INT(value);
    g_hash_table_remove(rconn->localEvents, GINT_TO_POINTER(callbackID));
    if (--rconn->eventCount[eventID] == 0)
        ret = remoteEventServerDeregister(conn, eventID);
    g_mutex_unlock(&rconn->eventLock);
    return ret;
}

static const vmmHypervisorDriver remoteHypervisorDriver = {
    .name = "remote",
    .connectOpen = remoteConnectOpen,
    .connectClose = remoteConnectClose,
    .connectGetType = remoteConnectGetType,
    .connectIsAlive = remoteConnectIsAlive,
    .connectIsEncrypted = remoteConnectIsEncrypted,
    .connectIsSecure = remoteConnectIsSecure,
    .connectListAllDomains = remoteConnectListAllDomains,
    .connectListDomains = remoteConnectListDomains,
    .connectListDefinedDomains = remoteConnectListDefinedDomains,
    .connectDomainEventRegisterAny = remoteConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = remoteConnectDomainEventDeregisterAny,
    /* Generated stubs. */
    .connectGetVersion = remoteConnectGetVersion,
    .connectGetHostname = remoteConnectGetHostname,
    .connectGetCapabilities = remoteConnectGetCapabilities,
    .connectGetSysinfo = remoteConnectGetSysinfo,
    .connectGetDomainCapabilities = remoteConnectGetDomainCapabilities,
    .connectGetMaxVcpus = remoteConnectGetMaxVcpus,
    .nodeGetInfo = remoteNodeGetInfo,
    .connectNumOfDomains = remoteConnectNumOfDomains,
    .connectNumOfDefinedDomains = remoteConnectNumOfDefinedDomains,
    .domainLookupByName = remoteDomainLookupByName,
    .domainLookupByUUID = remoteDomainLookupByUUID,
    .domainLookupByID = remoteDomainLookupByID,
    .domainDefineXMLFlags = remoteDomainDefineXMLFlags,
    .domainUndefineFlags = remoteDomainUndefineFlags,
    .domainGetXMLDesc = remoteDomainGetXMLDesc,
    .domainGetOSType = remoteDomainGetOSType,
    .domainSetMetadata = remoteDomainSetMetadata,
    .domainGetMetadata = remoteDomainGetMetadata,
    .domainCreateWithFlags = remoteDomainCreateWithFlags,
    .domainCreateXML = remoteDomainCreateXML,
    .domainDestroyFlags = remoteDomainDestroyFlags,
    .domainShutdownFlags = remoteDomainShutdownFlags,
    .domainReboot = remoteDomainReboot,
    .domainReset = remoteDomainReset,
    .domainGetControlInfo = remoteDomainGetControlInfo,
    .domainMemoryStats = remoteDomainMemoryStats,
    .domainSetMemoryStatsPeriod = remoteDomainSetMemoryStatsPeriod,
    .domainSuspend = remoteDomainSuspend,
    .domainOpenConsole = remoteDomainOpenConsole,
    .domainResume = remoteDomainResume,
    .domainSaveFlags = remoteDomainSaveFlags,
    .domainRestoreFlags = remoteDomainRestoreFlags,
    .domainManagedSave = remoteDomainManagedSave,
    .domainHasManagedSaveImage = remoteDomainHasManagedSaveImage,
    .domainManagedSaveRemove = remoteDomainManagedSaveRemove,
    .domainSaveImageGetXMLDesc = remoteDomainSaveImageGetXMLDesc,
    .domainGetJobInfo = remoteDomainGetJobInfo,
    .domainGetJobStats = remoteDomainGetJobStats,
    .domainAbortJob = remoteDomainAbortJob,
    .domainGetInfo = remoteDomainGetInfo,
    .domainGetState = remoteDomainGetState,
    .domainGetMaxMemory = remoteDomainGetMaxMemory,
    .domainSetMaxMemory = remoteDomainSetMaxMemory,
    .domainSetMemoryFlags = remoteDomainSetMemoryFlags,
    .domainSetVcpusFlags = remoteDomainSetVcpusFlags,
    .domainGetVcpusFlags = remoteDomainGetVcpusFlags,
    .domainGetMaxVcpus = remoteDomainGetMaxVcpus,
    .domainGetVcpus = remoteDomainGetVcpus,
    .nodeGetCPUMap = remoteNodeGetCPUMap,
    .nodeGetCPUStats = remoteNodeGetCPUStats,
    .nodeGetCellsFreeMemory = remoteNodeGetCellsFreeMemory,
    .nodeGetFreeMemory = remoteNodeGetFreeMemory,
    .nodeGetSecurityModel = remoteNodeGetSecurityModel,
    .domainGetSecurityLabel = remoteDomainGetSecurityLabel,
    .domainPinVcpuFlags = remoteDomainPinVcpuFlags,
    .domainGetVcpuPinInfo = remoteDomainGetVcpuPinInfo,
    .domainGetAutostart = remoteDomainGetAutostart,
    .domainSetAutostart = remoteDomainSetAutostart,
    .domainIsActive = remoteDomainIsActive,
    .domainIsPersistent = remoteDomainIsPersistent,
    .domainIsUpdated = remoteDomainIsUpdated,
    .domainSnapshotNum = remoteDomainSnapshotNum,
    .domainSnapshotCreateXML = remoteDomainSnapshotCreateXML,
    .domainSnapshotGetXMLDesc = remoteDomainSnapshotGetXMLDesc,
    .domainListAllSnapshots = remoteDomainListAllSnapshots,
    .domainSnapshotLookupByName = remoteDomainSnapshotLookupByName,
    .domainHasCurrentSnapshot = remoteDomainHasCurrentSnapshot,
    .domainSnapshotCurrent = remoteDomainSnapshotCurrent,
    .domainRevertToSnapshot = remoteDomainRevertToSnapshot,
    .domainSnapshotDelete = remoteDomainSnapshotDelete,
    .domainAttachDeviceFlags = remoteDomainAttachDeviceFlags,
    .domainDetachDeviceFlags = remoteDomainDetachDeviceFlags,
    .domainBlockStats = remoteDomainBlockStats,
    .connectGetAllDomainStats = remoteConnectGetAllDomainStats,
    .domainInterfaceStats = remoteDomainInterfaceStats,
};

int remoteDriverRegister(void)
{
    return driverRegisterHypervisor(&remoteHypervisorDriver);
}
