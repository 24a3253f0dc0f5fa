/*
 * datatypes.h: the objects behind vmmConnectPtr and vmmDomainPtr, shared by
 * the API layer and the drivers. Drivers create domain handles with
 * domainHandleNew(); only the API layer touches the connection's locks and
 * callbacks.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include <vmm/vmm.h>

#include "driver.h"
#include "util_uri.h"

struct _vmmConnect {
    gint refs; /* atomic */
    GMutex lock; /* guards lastError, handlers and close callback */

    vmmURI *uri;
    unsigned int flags; /* vmmConnectFlags given at open */
    const vmmHypervisorDriver *driver;
    void *privateData; /* the driver's */

    vmmError lastError; /* last error raised by a call on this connection */
    vmmErrorFunc errorHandler;
    void *errorHandlerData;

    vmmConnectCloseFunc closeCallback;
    void *closeOpaque;
    vmmFreeCallback closeFreecb;
};

struct _vmmDomain {
    gint refs; /* atomic */
    vmmConnectPtr conn; /* holds a reference */
    char *name;
    unsigned char uuid[VMM_UUID_BUFLEN];
    int id; /* -1 when not running */
};

struct _vmmStream {
    gint refs; /* atomic */
    vmmConnectPtr conn; /* holds a reference */
    unsigned int flags; /* vmmStreamFlags */
    /* Set once, by the call that binds the stream; NULL before. */
    const vmmStreamDriver *driver;
    void *privateData; /* the stream driver's */
    bool closed;       /* finished or aborted */
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmStream, vmmStreamFree)

/* A new connection with one reference and no driver yet (the API layer
 * opens it). Never fails. */
vmmConnectPtr connectNew(void);
/* Reference counting; the last connectUnref closes the driver side (when
 * it was opened) and frees. Unref returns the references left. */
vmmConnectPtr connectRef(vmmConnectPtr conn);
int connectUnref(vmmConnectPtr conn);
/* Takes a reference unless the last one is already gone (the connection
 * is closing); for code that only knows the pointer, like event delivery. */
bool connectRefIfAlive(vmmConnectPtr conn);

/* A new handle (one reference) naming a domain of @conn. Never fails. */
vmmDomainPtr domainHandleNew(vmmConnectPtr conn, const char *name,
                             const unsigned char *uuid, int id);
/* Drops a reference; returns the references left. NULL is ignored. */
int domainHandleUnref(vmmDomainPtr dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmDomain, domainHandleUnref)

/* One snapshot of a domain, by name (snapshot handles live in
 * libvmm_snapshot.c). */
struct _vmmDomainSnapshot {
    gint refs; /* atomic */
    vmmDomainPtr domain; /* holds a reference */
    char *name;
};

/* A new handle (one reference) naming snapshot @name of @dom. Never
 * fails. */
vmmDomainSnapshotPtr snapshotHandleNew(vmmDomainPtr dom, const char *name);
/* Drops a reference; returns the references left. NULL is ignored. */
int snapshotHandleUnref(vmmDomainSnapshotPtr snap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmDomainSnapshot, snapshotHandleUnref)

/* For drivers whose connection can drop: runs the close callback once,
 * from the event loop, with @reason (vmmConnectCloseReason). */
void connectNotifyClosed(vmmConnectPtr conn, int reason);
