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
