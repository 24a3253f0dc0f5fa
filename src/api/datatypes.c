/*
 * datatypes.c: life and death of the objects behind vmmConnectPtr and
 * vmmDomainPtr. Reference counts are atomic so any thread may take or drop
 * one; what else a connection holds (last error, callbacks) is guarded by
 * its lock in the API layer. Argument checking is not done here: the
 * public entry points do it before they get here.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "util_error.h"
#include "util_event.h"

vmmConnectPtr connectNew(void)
{
    vmmConnectPtr conn = g_new0(vmmConnect, 1);

    conn->refs = 1;
    g_mutex_init(&conn->lock);
    return conn;
}

vmmConnectPtr connectRef(vmmConnectPtr conn)
{
    g_atomic_int_inc(&conn->refs);
    return conn;
}

bool connectRefIfAlive(vmmConnectPtr conn)
{
    for (;;) {
        int refs = g_atomic_int_get(&conn->refs);

        if (refs <= 0)
            return false;
        if (g_atomic_int_compare_and_exchange(&conn->refs, refs, refs + 1))
            return true;
    }
}

static void connectDispose(vmmConnectPtr conn)
{
    /* The driver may raise an error while closing; the caller's call
     * succeeded, so its last error must not change. */
    g_autoptr(vmmError) saved = errorSave();

    if (conn->driver && conn->driver->connectClose)
        conn->driver->connectClose(conn);
    errorReset();
    errorRestore(&saved);

    if (conn->closeFreecb)
        conn->closeFreecb(conn->closeOpaque);
    uriFree(conn->uri);
    errorClear(&conn->lastError);
    g_mutex_clear(&conn->lock);
    g_free(conn);
}

int connectUnref(vmmConnectPtr conn)
{
    int old;

    if (!conn)
        return 0;
    old = g_atomic_int_add(&conn->refs, -1);

    if (old == 1)
        connectDispose(conn);
    return old - 1;
}

vmmDomainPtr domainHandleNew(vmmConnectPtr conn, const char *name,
                             const unsigned char *uuid, int id)
{
    vmmDomainPtr dom = g_new0(vmmDomain, 1);

    dom->refs = 1;
    dom->conn = connectRef(conn);
    dom->name = g_strdup(name);
    memcpy(dom->uuid, uuid, VMM_UUID_BUFLEN);
    dom->id = id;
    return dom;
}

int domainHandleUnref(vmmDomainPtr dom)
{
    int old;

    if (!dom)
        return 0;
    old = g_atomic_int_add(&dom->refs, -1);

    if (old == 1) {
        connectUnref(dom->conn);
        g_free(dom->name);
        g_free(dom);
    }
    return old - 1;
}

/* One pending close notification, owned by its event loop timer. */
typedef struct {
    vmmConnectPtr conn; /* a reference */
    int reason;
    vmmConnectCloseFunc cb;
    void *opaque;
    vmmFreeCallback freecb;
} connectCloseEvent;

static void connectCloseEventFree(void *opaque)
{
    connectCloseEvent *ev = opaque;

    if (ev->freecb)
        ev->freecb(ev->opaque);
    connectUnref(ev->conn);
    g_free(ev);
}

static void connectCloseEventFire(int timer, void *opaque)
{
    connectCloseEvent *ev = opaque;

    ev->cb(ev->conn, ev->reason, ev->opaque);
    eventRemoveTimer(timer);
}

void connectNotifyClosed(vmmConnectPtr conn, int reason)
{
    connectCloseEvent *ev;

    g_mutex_lock(&conn->lock);
    if (!conn->closeCallback) {
        g_mutex_unlock(&conn->lock);
        return;
    }
    /* The registration moves into the event: it fires once. */
    ev = g_new0(connectCloseEvent, 1);
    ev->cb = g_steal_pointer(&conn->closeCallback);
    ev->opaque = g_steal_pointer(&conn->closeOpaque);
    ev->freecb = g_steal_pointer(&conn->closeFreecb);
    g_mutex_unlock(&conn->lock);

    /* Closing from inside the last unref: nobody is left to tell. */
    if (!connectRefIfAlive(conn)) {
        if (ev->freecb)
            ev->freecb(ev->opaque);
        g_free(ev);
        return;
    }
    ev->conn = conn;
    ev->reason = reason;
    eventAddTimer(0, connectCloseEventFire, ev, connectCloseEventFree);
}
