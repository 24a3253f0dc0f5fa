/*
 * remote_conn.h: what the remote driver keeps per connection, and the
 * helpers the hand-written client stubs of remote_driver.c are made of:
 * one call through the connection's client (remoteClientCall, which the
 * stubs generated into vmm_remote_client.c use too), and domain handles
 * to and from the wire.
 */
#pragma once

#include <vmm/vmm.h>

#include "datatypes.h"
#include "domain_event.h"
#include "remote_client.h"
#include "vmm_remote_client.h"
#include "vmm_remote_protocol.h"

typedef struct {
    vmmConnectPtr conn; /* the owner; not a reference */
    remoteClient *client;
    char *type; /* the server's CONNECT_GET_TYPE, asked once (atomic) */
    domainEventState *events; /* this connection's local callbacks */

    /* Server-side registrations: one per event id while any local
     * callback wants it; the local state filters by domain. */
    GMutex eventLock;
    GHashTable *localEvents; /* local callback id -> event id */
    int eventCount[VMM_DOMAIN_EVENT_ID_LAST];
    gint serverCallbackID[VMM_DOMAIN_EVENT_ID_LAST]; /* -1: none (atomic) */
} remoteConn;

remoteConn *remoteConnNew(vmmConnectPtr conn);
/* Stops the client first, so no event or close notice arrives later. */
void remoteConnFree(remoteConn *rconn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(remoteConn, remoteConnFree)

static inline remoteConn *remoteConnOf(vmmConnectPtr conn)
{
    return conn->privateData;
}

/* remoteClientCall(), which the generated stubs call, is declared in
 * vmm_remote_client.h and defined in remote_conn.c: a call through
 * @conn's client (remoteClientCallProc). */

/* @ret_wire borrows @dom's name: it is for encoding only, never for
 * xdr_free. */
void remoteDomainToWire(vmmDomainPtr dom, remote_nonnull_domain *ret_wire);

/* A new handle on @conn for the domain the server named. */
vmmDomainPtr remoteDomainFromWire(vmmConnectPtr conn,
                                  const remote_nonnull_domain *wire);
