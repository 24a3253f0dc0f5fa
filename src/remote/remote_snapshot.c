/*
 * remote_snapshot.c: the snapshot procedures on the client side (see
 * remote_snapshot.h). A snapshot travels as its name and its domain; the
 * domain of a snapshot handle the server sends back is the caller's
 * handle when it names the same domain, so the application keeps
 * comparing pointers as it expects.
 */
#include <config.h>

#include <string.h>

#include "remote_conn.h"
#include "remote_snapshot.h"

#define REMOTE_XDR(type) ((xdrproc_t)xdr_##type)

/* @ret_wire borrows from @snap: for encoding only, never for xdr_free. */
static void remoteSnapshotToWire(vmmDomainSnapshotPtr snap,
                                 remote_nonnull_domain_snapshot *ret_wire)
{
    ret_wire->name = snap->name;
    remoteDomainToWire(snap->domain, &ret_wire->dom);
}

/* A handle on the snapshot the server named, of @dom. */
static vmmDomainSnapshotPtr
remoteSnapshotFromWire(vmmDomainPtr dom,
                       const remote_nonnull_domain_snapshot *wire)
{
    return snapshotHandleNew(dom, wire->name);
}

static vmmConnectPtr remoteSnapshotConn(vmmDomainSnapshotPtr snap)
{
    return snap->domain->conn;
}

vmmDomainSnapshotPtr remoteDomainSnapshotCreateXML(vmmDomainPtr dom,
                                                   const char *xml,
                                                   unsigned int flags)
{
    remote_domain_snapshot_create_xml_args args = {.xml_desc = (char *)xml,
                                                   .flags = flags};
    remote_domain_snapshot_create_xml_ret ret = {0};
    vmmDomainSnapshotPtr snap;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(
            dom->conn, REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML,
            REMOTE_XDR(remote_domain_snapshot_create_xml_args), &args,
            REMOTE_XDR(remote_domain_snapshot_create_xml_ret), &ret) < 0)
        return NULL;
    snap = remoteSnapshotFromWire(dom, &ret.snap);
    xdr_free(REMOTE_XDR(remote_domain_snapshot_create_xml_ret), (char *)&ret);
    return snap;
}

char *remoteDomainSnapshotGetXMLDesc(vmmDomainSnapshotPtr snap,
                                     unsigned int flags)
{
    remote_domain_snapshot_get_xml_desc_args args = {.flags = flags};
    remote_domain_snapshot_get_xml_desc_ret ret = {0};

    remoteSnapshotToWire(snap, &args.snap);
    if (remoteClientCall(
            remoteSnapshotConn(snap), REMOTE_PROC_DOMAIN_SNAPSHOT_GET_XML_DESC,
            REMOTE_XDR(remote_domain_snapshot_get_xml_desc_args), &args,
            REMOTE_XDR(remote_domain_snapshot_get_xml_desc_ret), &ret) < 0)
        return NULL;
    /* The XDR string is malloc'ed, as the API's callers free it. */
    return ret.xml;
}

int remoteDomainListAllSnapshots(vmmDomainPtr dom, vmmDomainSnapshotPtr **snaps,
                                 unsigned int flags)
{
    remote_domain_list_all_snapshots_args args = {.need_results = snaps != NULL,
                                                  .flags = flags};
    remote_domain_list_all_snapshots_ret ret = {0};
    int count;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(
            dom->conn, REMOTE_PROC_DOMAIN_LIST_ALL_SNAPSHOTS,
            REMOTE_XDR(remote_domain_list_all_snapshots_args), &args,
            REMOTE_XDR(remote_domain_list_all_snapshots_ret), &ret) < 0)
        return -1;
    count = ret.ret;
    if (snaps) {
        u_int n = ret.snapshots.snapshots_len;
        vmmDomainSnapshotPtr *list = g_new0(vmmDomainSnapshotPtr, n + 1);

        for (u_int i = 0; i < n; i++)
            list[i] =
                remoteSnapshotFromWire(dom, &ret.snapshots.snapshots_val[i]);
        *snaps = list;
        count = n;
    }
    xdr_free(REMOTE_XDR(remote_domain_list_all_snapshots_ret), (char *)&ret);
    return count;
}

vmmDomainSnapshotPtr remoteDomainSnapshotLookupByName(vmmDomainPtr dom,
                                                      const char *name,
                                                      unsigned int flags)
{
    remote_domain_snapshot_lookup_by_name_args args = {.name = (char *)name,
                                                       .flags = flags};
    remote_domain_snapshot_lookup_by_name_ret ret = {0};
    vmmDomainSnapshotPtr snap;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(
            dom->conn, REMOTE_PROC_DOMAIN_SNAPSHOT_LOOKUP_BY_NAME,
            REMOTE_XDR(remote_domain_snapshot_lookup_by_name_args), &args,
            REMOTE_XDR(remote_domain_snapshot_lookup_by_name_ret), &ret) < 0)
        return NULL;
    snap = remoteSnapshotFromWire(dom, &ret.snap);
    xdr_free(REMOTE_XDR(remote_domain_snapshot_lookup_by_name_ret),
             (char *)&ret);
    return snap;
}

vmmDomainSnapshotPtr remoteDomainSnapshotCurrent(vmmDomainPtr dom,
                                                 unsigned int flags)
{
    remote_domain_snapshot_current_args args = {.flags = flags};
    remote_domain_snapshot_current_ret ret = {0};
    vmmDomainSnapshotPtr snap;

    remoteDomainToWire(dom, &args.dom);
    if (remoteClientCall(dom->conn, REMOTE_PROC_DOMAIN_SNAPSHOT_CURRENT,
                         REMOTE_XDR(remote_domain_snapshot_current_args), &args,
                         REMOTE_XDR(remote_domain_snapshot_current_ret),
                         &ret) < 0)
        return NULL;
    snap = remoteSnapshotFromWire(dom, &ret.snap);
    xdr_free(REMOTE_XDR(remote_domain_snapshot_current_ret), (char *)&ret);
    return snap;
}

int remoteDomainRevertToSnapshot(vmmDomainSnapshotPtr snap, unsigned int flags)
{
    remote_domain_revert_to_snapshot_args args = {.flags = flags};

    remoteSnapshotToWire(snap, &args.snap);
    return remoteClientCall(remoteSnapshotConn(snap),
                            REMOTE_PROC_DOMAIN_REVERT_TO_SNAPSHOT,
                            REMOTE_XDR(remote_domain_revert_to_snapshot_args),
                            &args, RPC_XDR_VOID, NULL);
}

int remoteDomainSnapshotDelete(vmmDomainSnapshotPtr snap, unsigned int flags)
{
    remote_domain_snapshot_delete_args args = {.flags = flags};

    remoteSnapshotToWire(snap, &args.snap);
    return remoteClientCall(remoteSnapshotConn(snap),
                            REMOTE_PROC_DOMAIN_SNAPSHOT_DELETE,
                            REMOTE_XDR(remote_domain_snapshot_delete_args),
                            &args, RPC_XDR_VOID, NULL);
}
