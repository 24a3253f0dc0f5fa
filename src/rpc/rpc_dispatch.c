/*
 * rpc_dispatch.c: support of the generated server glue (see
 * rpc_dispatch.h). Public API only: no driver or API-layer internals.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "rpc_dispatch.h"
#include "util_error.h"

static int entryCompare(const void *key, const void *elem)
{
    int number = *(const int *)key;
    const rpcDispatchEntry *entry = elem;

    return (number > entry->number) - (number < entry->number);
}

rpcDispatchFunc rpcDispatchFind(const rpcDispatchTable *table, int number)
{
    const rpcDispatchEntry *entry =
        bsearch(&number, table->entries, table->nentries,
                sizeof(rpcDispatchEntry), entryCompare);

    return entry ? entry->func : NULL;
}

vmmDomainPtr rpcDispatchDomainGet(vmmConnectPtr conn,
                                  const remote_nonnull_domain *wire)
{
    return vmmDomainLookupByUUID(conn, (const unsigned char *)wire->uuid);
}

void rpcDispatchDomainToWire(vmmDomainPtr dom, remote_nonnull_domain *ret_wire)
{
    /* The getters only fail on an invalid handle, which a handler never
     * holds; and they would reset the last error, which must survive. */
    g_autoptr(vmmError) saved = errorSave();

    ret_wire->name = g_strdup(vmmDomainGetName(dom));
    vmmDomainGetUUID(dom, (unsigned char *)ret_wire->uuid);
    ret_wire->id = (int)vmmDomainGetID(dom);
    errorRestore(&saved);
}

void rpcDispatchDomainRelease(vmmDomainPtr dom)
{
    g_autoptr(vmmError) saved = NULL;

    if (!dom)
        return;
    saved = errorSave();
    vmmDomainFree(dom);
    errorRestore(&saved);
}

/* The list limit of @what, checked before anything is converted. */
static int listCheckMax(const char *what, int n, int max)
{
    if (n > max) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many %s: %d, the limit is %d", what, n, max);
        return -1;
    }
    return 0;
}

int rpcDispatchDomainListToWire(vmmDomainPtr *list, int n, int max,
                                remote_nonnull_domain **ret_val, u_int *ret_len)
{
    g_autofree vmmDomainPtr *owned = list;
    int rc = listCheckMax("domains in the list of all domains", n, max);

    if (rc == 0 && list) {
        *ret_val = g_new0(remote_nonnull_domain, MAX(n, 1));
        *ret_len = n;
        for (int i = 0; i < n; i++)
            rpcDispatchDomainToWire(list[i], &(*ret_val)[i]);
    }
    for (vmmDomainPtr *d = list; d && *d; d++)
        rpcDispatchDomainRelease(*d);
    return rc;
}

vmmDomainSnapshotPtr
rpcDispatchSnapshotGet(vmmConnectPtr conn,
                       const remote_nonnull_domain_snapshot *wire)
{
    vmmDomainPtr dom = rpcDispatchDomainGet(conn, &wire->dom);
    vmmDomainSnapshotPtr snap;

    if (!dom)
        return NULL;
    snap = vmmDomainSnapshotLookupByName(dom, wire->name, 0);
    rpcDispatchDomainRelease(dom);
    return snap;
}

void rpcDispatchSnapshotToWire(vmmDomainSnapshotPtr snap,
                               remote_nonnull_domain_snapshot *ret_wire)
{
    /* As for a domain: the getters must not reset the last error. */
    g_autoptr(vmmError) saved = errorSave();

    ret_wire->name = g_strdup(vmmDomainSnapshotGetName(snap));
    rpcDispatchDomainToWire(vmmDomainSnapshotGetDomain(snap), &ret_wire->dom);
    errorRestore(&saved);
}

void rpcDispatchSnapshotRelease(vmmDomainSnapshotPtr snap)
{
    g_autoptr(vmmError) saved = NULL;

    if (!snap)
        return;
    saved = errorSave();
    vmmDomainSnapshotFree(snap);
    errorRestore(&saved);
}

int rpcDispatchSnapshotListToWire(vmmDomainSnapshotPtr *list, int n, int max,
                                  remote_nonnull_domain_snapshot **ret_val,
                                  u_int *ret_len)
{
    g_autofree vmmDomainSnapshotPtr *owned = list;
    int rc = listCheckMax("snapshots", n, max);

    if (rc == 0 && list) {
        *ret_val = g_new0(remote_nonnull_domain_snapshot, MAX(n, 1));
        *ret_len = n;
        for (int i = 0; i < n; i++)
            rpcDispatchSnapshotToWire(list[i], &(*ret_val)[i]);
    }
    for (vmmDomainSnapshotPtr *s = list; s && *s; s++)
        rpcDispatchSnapshotRelease(*s);
    return rc;
}
