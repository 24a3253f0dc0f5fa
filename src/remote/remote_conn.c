/*
 * remote_conn.c: the remote driver's per-connection state and the small
 * helpers the client stubs share (see remote_conn.h).
 */
#include <config.h>

#include <string.h>

#include "remote_conn.h"
#include "util_error.h"

remoteConn *remoteConnNew(vmmConnectPtr conn)
{
    remoteConn *rconn = g_new0(remoteConn, 1);

    rconn->conn = conn;
    rconn->events = domainEventStateNew();
    g_mutex_init(&rconn->eventLock);
    rconn->localEvents = g_hash_table_new(NULL, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(rconn->serverCallbackID); i++)
        rconn->serverCallbackID[i] = -1;
    return rconn;
}

void remoteConnFree(remoteConn *rconn)
{
    if (!rconn)
        return;
    remoteClientFree(rconn->client);
    domainEventStateDeregisterConn(rconn->events, rconn->conn);
    domainEventStateFree(rconn->events);
    g_hash_table_unref(rconn->localEvents);
    g_mutex_clear(&rconn->eventLock);
    g_free(rconn->type);
    g_free(rconn);
}

int remoteClientCall(vmmConnectPtr conn, int proc, xdrproc_t argsFilter,
                     void *args, xdrproc_t retFilter, void *ret)
{
    return remoteClientCallProc(remoteConnOf(conn)->client, proc, argsFilter,
                                args, retFilter, ret);
}

void remoteDomainToWire(vmmDomainPtr dom, remote_nonnull_domain *ret_wire)
{
    ret_wire->name = dom->name;
    memcpy(ret_wire->uuid, dom->uuid, VMM_UUID_BUFLEN);
    ret_wire->id = dom->id;
}

vmmDomainPtr remoteDomainFromWire(vmmConnectPtr conn,
                                  const remote_nonnull_domain *wire)
{
    return domainHandleNew(conn, wire->name, (const unsigned char *)wire->uuid,
                           wire->id);
}
