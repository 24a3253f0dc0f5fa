/*
 * libvmm_error.c: the public face of the error machinery (vmm-error.h):
 * the thread's last error kept by util_error.c, the copy each connection
 * keeps of its last failure, and the handlers programs install.
 */
#include <config.h>

#include "api_entry.h"

vmmErrorPtr vmmGetLastError(void)
{
    /* The thread owns its error; handing it out writable is the public
     * contract (libvirt does the same). */
    return (vmmErrorPtr)errorGetLast();
}

const char *vmmGetLastErrorMessage(void)
{
    const vmmError *err = errorGetLast();

    return err && err->message ? err->message : "no error";
}

int vmmGetLastErrorCode(void)
{
    const vmmError *err = errorGetLast();

    return err ? err->code : VMM_ERR_OK;
}

int vmmGetLastErrorDomain(void)
{
    const vmmError *err = errorGetLast();

    return err ? err->domain : VMM_FROM_NONE;
}

void vmmResetLastError(void)
{
    errorReset();
}

vmmErrorPtr vmmSaveLastError(void)
{
    vmmErrorPtr copy = g_new0(vmmError, 1);

    vmmCopyLastError(copy);
    return copy;
}

int vmmCopyLastError(vmmErrorPtr to)
{
    const vmmError *err = errorGetLast();

    if (!to)
        return -1;
    errorClear(to);
    if (err)
        errorCopy(err, to);
    return to->code;
}

void vmmResetError(vmmErrorPtr err)
{
    errorClear(err);
}

void vmmFreeError(vmmErrorPtr err)
{
    errorFree(err);
}

/* The program's handler and its data, read together. */
static GMutex errorFuncLock;
static vmmErrorFunc errorFunc;
static void *errorFuncData;

static void errorFuncCall(const vmmError *err, void *unused)
{
    vmmErrorFunc handler;
    void *data;

    g_mutex_lock(&errorFuncLock);
    handler = errorFunc;
    data = errorFuncData;
    g_mutex_unlock(&errorFuncLock);
    if (handler)
        handler(data, (vmmErrorPtr)err);
}

void vmmSetErrorFunc(void *userData, vmmErrorFunc handler)
{
    g_mutex_lock(&errorFuncLock);
    errorFunc = handler;
    errorFuncData = userData;
    g_mutex_unlock(&errorFuncLock);
    errorSetGlobalHandler(handler ? errorFuncCall : NULL, NULL);
}

vmmErrorPtr vmmConnGetLastError(vmmConnectPtr conn)
{
    vmmErrorPtr err;

    if (!conn)
        return NULL;
    g_mutex_lock(&conn->lock);
    err = conn->lastError.code != VMM_ERR_OK ? &conn->lastError : NULL;
    g_mutex_unlock(&conn->lock);
    return err;
}

void vmmConnResetLastError(vmmConnectPtr conn)
{
    if (!conn)
        return;
    g_mutex_lock(&conn->lock);
    errorClear(&conn->lastError);
    g_mutex_unlock(&conn->lock);
}

void vmmConnSetErrorFunc(vmmConnectPtr conn, void *userData,
                         vmmErrorFunc handler)
{
    if (!conn)
        return;
    g_mutex_lock(&conn->lock);
    conn->errorHandler = handler;
    conn->errorHandlerData = userData;
    g_mutex_unlock(&conn->lock);
}
