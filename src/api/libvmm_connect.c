/*
 * libvmm_connect.c: the public API of connections and the host they reach
 * (vmm-host.h, less the event loop): opening a URI through the driver
 * registry, reference counting, host queries and close callbacks.
 */
#include <config.h>

#include <stdlib.h>

#include "api_entry.h"
#include "driver_registry.h"

int vmmGetVersion(unsigned long *libVer, const char *type,
                  unsigned long *typeVer)
{
    driverRegistryInitialize();
    errorReset();
    if (!apiCheckNonNull(NULL, libVer, "libVer", __func__))
        return -1;
    if (type && !driverRegistryFind(type)) {
        errorReport(API_FROM_CONN, VMM_ERR_NO_SUPPORT, "no driver of type '%s'",
                    type);
        return -1;
    }
    *libVer = VMM_VERSION_NUMBER;
    if (type && typeVer)
        *typeVer = VMM_VERSION_NUMBER;
    return 0;
}

/* Offers @conn to each driver in turn; returns 0 once one accepted it. */
static int connectOpenDriver(vmmConnectPtr conn, const char *name,
                             unsigned int flags)
{
    const vmmHypervisorDriver *driver;

    for (size_t i = 0; (driver = driverRegistryGet(i)); i++) {
        switch (driver->connectOpen(conn, conn->uri, flags)) {
        case VMM_DRV_OPEN_SUCCESS:
            conn->driver = driver;
            return 0;
        case VMM_DRV_OPEN_ERROR:
            if (!errorIsSet())
                errorReport(API_FROM_CONN, VMM_ERR_OPEN_FAILED,
                            "driver '%s' failed to open '%s'", driver->name,
                            name);
            return -1;
        case VMM_DRV_OPEN_DECLINED:
            break;
        }
    }
    errorReport(API_FROM_CONN, VMM_ERR_NO_CONNECT,
                "no driver accepts the URI '%s'", name);
    return -1;
}

vmmConnectPtr vmmConnectOpenFlags(const char *name, unsigned int flags)
{
    g_autoptr(vmmURI) uri = NULL;
    vmmConnectPtr conn;

    driverRegistryInitialize();
    errorReset();
    if (!apiCheckFlags(NULL, flags, VMM_CONNECT_RO | VMM_CONNECT_NO_ALIASES,
                       __func__))
        return NULL;
    if (!name || !*name)
        name = g_getenv("VMM_DEFAULT_URI");
    if (!name || !*name) {
        errorReport(API_FROM_CONN, VMM_ERR_INVALID_ARG,
                    "no connection URI given; set VMM_DEFAULT_URI or use "
                    "e.g. test:///default");
        return NULL;
    }
    if (uriParse(name, &uri) < 0)
        return NULL;

    conn = connectNew();
    conn->uri = g_steal_pointer(&uri);
    conn->flags = flags;
    if (connectOpenDriver(conn, name, flags) < 0) {
        connectUnref(conn);
        return NULL;
    }
    return conn;
}

vmmConnectPtr vmmConnectOpen(const char *name)
{
    return vmmConnectOpenFlags(name, 0);
}

vmmConnectPtr vmmConnectOpenReadOnly(const char *name)
{
    return vmmConnectOpenFlags(name, VMM_CONNECT_RO);
}

int vmmConnectClose(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    return connectUnref(conn);
}

int vmmConnectRef(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    connectRef(conn);
    return 0;
}

const char *vmmConnectGetType(vmmConnectPtr conn)
{
    const char *type;

    API_ENTER_CONN(conn, NULL);
    if (!conn->driver->connectGetType)
        return conn->driver->name;
    if (!(type = conn->driver->connectGetType(conn)))
        apiDispatchError(conn);
    return type;
}

int vmmConnectGetVersion(vmmConnectPtr conn, unsigned long *hvVer)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, hvVer, -1);
    API_RETURN_INT(conn, connectGetVersion, conn, hvVer);
}

int vmmConnectGetLibVersion(vmmConnectPtr conn, unsigned long *libVer)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, libVer, -1);
    *libVer = VMM_VERSION_NUMBER;
    return 0;
}

char *vmmConnectGetHostname(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, NULL);
    API_RETURN_PTR(conn, connectGetHostname, conn);
}

char *vmmConnectGetURI(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, NULL);
    /* What was opened is known here; a driver overrides it only when it
     * knows better (the remote driver asks the daemon). */
    if (!conn->driver->connectGetURI)
        return uriFormat(conn->uri);
    API_RETURN_PTR(conn, connectGetURI, conn);
}

char *vmmConnectGetCapabilities(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, NULL);
    API_RETURN_PTR(conn, connectGetCapabilities, conn);
}

char *vmmConnectGetSysinfo(vmmConnectPtr conn, unsigned int flags)
{
    API_ENTER_CONN(conn, NULL);
    API_CHECK_FLAGS(conn, flags, 0, NULL);
    API_RETURN_PTR(conn, connectGetSysinfo, conn, flags);
}

int vmmConnectGetMaxVcpus(vmmConnectPtr conn, const char *type)
{
    API_ENTER_CONN(conn, -1);
    API_RETURN_INT(conn, connectGetMaxVcpus, conn, type);
}

int vmmNodeGetInfo(vmmConnectPtr conn, vmmNodeInfoPtr info)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, info, -1);
    API_RETURN_INT(conn, nodeGetInfo, conn, info);
}

int vmmConnectIsEncrypted(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    API_RETURN_INT(conn, connectIsEncrypted, conn);
}

int vmmConnectIsSecure(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    API_RETURN_INT(conn, connectIsSecure, conn);
}

int vmmConnectIsAlive(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    API_RETURN_INT(conn, connectIsAlive, conn);
}

int vmmConnectIsReadOnly(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    return (conn->flags & VMM_CONNECT_RO) ? 1 : 0;
}

int vmmConnectRegisterCloseCallback(vmmConnectPtr conn, vmmConnectCloseFunc cb,
                                    void *opaque, vmmFreeCallback freecb)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, cb, -1);

    g_mutex_lock(&conn->lock);
    if (conn->closeCallback) {
        g_mutex_unlock(&conn->lock);
        errorReport(API_FROM_CONN, VMM_ERR_OPERATION_INVALID,
                    "a close callback is already registered");
        apiDispatchError(conn);
        return -1;
    }
    conn->closeCallback = cb;
    conn->closeOpaque = opaque;
    conn->closeFreecb = freecb;
    g_mutex_unlock(&conn->lock);
    return 0;
}

int vmmConnectUnregisterCloseCallback(vmmConnectPtr conn,
                                      vmmConnectCloseFunc cb)
{
    vmmFreeCallback freecb;
    void *opaque;

    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, cb, -1);

    g_mutex_lock(&conn->lock);
    if (conn->closeCallback != cb) {
        g_mutex_unlock(&conn->lock);
        errorReport(API_FROM_CONN, VMM_ERR_OPERATION_INVALID,
                    "a different close callback was requested");
        apiDispatchError(conn);
        return -1;
    }
    freecb = g_steal_pointer(&conn->closeFreecb);
    opaque = g_steal_pointer(&conn->closeOpaque);
    conn->closeCallback = NULL;
    g_mutex_unlock(&conn->lock);

    if (freecb)
        freecb(opaque);
    return 0;
}
