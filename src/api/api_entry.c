/*
 * api_entry.c: the argument checks shared by the public entry points, and
 * the hand-over of an error to the connection it happened on.
 */
#include <config.h>

#include "api_entry.h"

void apiDispatchError(vmmConnectPtr conn)
{
    vmmErrorFunc handler;
    void *data;

    if (!errorIsSet())
        errorReportInternal(VMM_FROM_NONE,
                            "an error occurred, but the cause is unknown");
    if (!conn)
        return;

    g_mutex_lock(&conn->lock);
    errorClear(&conn->lastError);
    errorCopy(errorGetLast(), &conn->lastError);
    handler = conn->errorHandler;
    data = conn->errorHandlerData;
    g_mutex_unlock(&conn->lock);

    /* The handler sees the thread's copy, which no other thread changes. */
    if (handler)
        handler(data, (vmmErrorPtr)errorGetLast());
}

bool apiCheckConn(vmmConnectPtr conn, const char *func)
{
    /* A connection whose open failed has no driver and never reaches a
     * caller; a NULL one is the mistake this catches. */
    if (conn && conn->driver)
        return true;
    errorReport(API_FROM_CONN, VMM_ERR_INVALID_CONN, "%s", func);
    return false;
}

bool apiCheckDomain(vmmDomainPtr dom, const char *func)
{
    if (dom && dom->conn && dom->conn->driver)
        return true;
    errorReport(API_FROM_DOM, VMM_ERR_INVALID_DOMAIN, "%s", func);
    return false;
}

bool apiCheckNonNull(vmmConnectPtr conn, const void *ptr, const char *arg,
                     const char *func)
{
    if (ptr)
        return true;
    errorReport(API_FROM_CONN, VMM_ERR_INVALID_ARG, "%s in %s must not be NULL",
                arg, func);
    apiDispatchError(conn);
    return false;
}

bool apiCheckArg(vmmConnectPtr conn, bool ok, const char *arg, const char *why,
                 const char *func)
{
    if (ok)
        return true;
    errorReport(API_FROM_CONN, VMM_ERR_INVALID_ARG, "%s in %s %s", arg, func,
                why);
    apiDispatchError(conn);
    return false;
}

bool apiCheckReadWrite(vmmConnectPtr conn, const char *func)
{
    if (!(conn->flags & VMM_CONNECT_RO))
        return true;
    errorReport(API_FROM_CONN, VMM_ERR_OPERATION_DENIED,
                "read only access prevents %s", func);
    apiDispatchError(conn);
    return false;
}

bool apiCheckFlags(vmmConnectPtr conn, unsigned int flags, unsigned int allowed,
                   const char *func)
{
    if (!(flags & ~allowed))
        return true;
    errorReport(API_FROM_CONN, VMM_ERR_INVALID_ARG,
                "unsupported flags (0x%x) in function %s", flags & ~allowed,
                func);
    apiDispatchError(conn);
    return false;
}

void apiReportNoSupport(vmmConnectPtr conn, const char *func)
{
    errorReport(API_FROM_CONN, VMM_ERR_NO_SUPPORT, "%s", func);
    apiDispatchError(conn);
}
