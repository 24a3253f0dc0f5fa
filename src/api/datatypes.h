/*
 * datatypes.h: the objects behind vmmConnectPtr and vmmDomainPtr, shared by
 * the API layer and the drivers. Drivers create domain handles with
 * domainHandleNew(); only the API layer touches the connection's locks and
 * callbacks.
 */
#pragma once

#include <glib.h>

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

/* A new handle (one reference) naming a domain of @conn. Never fails. */
vmmDomainPtr domainHandleNew(vmmConnectPtr conn, const char *name,
                             const unsigned char *uuid, int id);

/* For drivers whose connection can drop: runs the close callback once,
 * from the event loop, with @reason (vmmConnectCloseReason). */
void connectNotifyClosed(vmmConnectPtr conn, int reason);
