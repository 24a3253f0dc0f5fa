/*
 * vmmd_remote_snapshot.c: the snapshot handlers (see
 * vmmd_remote_snapshot.h). A snapshot on the wire is its name and its
 * domain; each handler turns it into a handle of the daemon's connection,
 * calls the public API, and turns what comes back into wire form.
 */
#include <config.h>

#include "rpc_dispatch.h"
#include "util_error.h"
#include "vmm_remote_protocol.h"
#include "vmmd_remote_snapshot.h"

/* A handle on the snapshot @wire names, or NULL with the error set. */
static vmmDomainSnapshotPtr
remoteSnapshotGet(vmmConnectPtr conn,
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

/* Drops a handle without disturbing the thread's last error. */
static void remoteSnapshotRelease(vmmDomainSnapshotPtr snap)
{
    g_autoptr(vmmError) saved = NULL;

    if (!snap)
        return;
    saved = errorSave();
    vmmDomainSnapshotFree(snap);
    errorRestore(&saved);
}

static void remoteSnapshotToWire(vmmDomainSnapshotPtr snap,
                                 remote_nonnull_domain_snapshot *ret_wire)
{
    g_autoptr(vmmError) saved = errorSave();

    ret_wire->name = g_strdup(vmmDomainSnapshotGetName(snap));
    rpcDispatchDomainToWire(vmmDomainSnapshotGetDomain(snap), &ret_wire->dom);
    errorRestore(&saved);
}

/* The end of every call that answers with a snapshot: -1 when the API
 * found none (its error stays for the reply), else the snapshot goes into
 * @ret_wire and the handle is dropped. */
static int remoteSnapshotReply(vmmDomainSnapshotPtr snap,
                               remote_nonnull_domain_snapshot *ret_wire)
{
    if (!snap)
        return -1;
    remoteSnapshotToWire(snap, ret_wire);
    remoteSnapshotRelease(snap);
    return 0;
}

int vmmdRemoteDomainSnapshotCreateXML(vmmdClient *client, vmmConnectPtr conn,
                                      void *argsp, void *retp)
{
    remote_domain_snapshot_create_xml_args *args = argsp;
    remote_domain_snapshot_create_xml_ret *ret = retp;
    vmmDomainPtr dom = rpcDispatchDomainGet(conn, &args->dom);
    vmmDomainSnapshotPtr snap;

    if (!dom)
        return -1;
    snap = vmmDomainSnapshotCreateXML(dom, args->xml_desc, args->flags);
    rpcDispatchDomainRelease(dom);
    return remoteSnapshotReply(snap, &ret->snap);
}

int vmmdRemoteDomainSnapshotGetXMLDesc(vmmdClient *client, vmmConnectPtr conn,
                                       void *argsp, void *retp)
{
    remote_domain_snapshot_get_xml_desc_args *args = argsp;
    remote_domain_snapshot_get_xml_desc_ret *ret = retp;
    vmmDomainSnapshotPtr snap = remoteSnapshotGet(conn, &args->snap);
    char *xml;

    if (!snap)
        return -1;
    xml = vmmDomainSnapshotGetXMLDesc(snap, args->flags);
    remoteSnapshotRelease(snap);
    if (!xml)
        return -1;
    ret->xml = xml;
    return 0;
}

int vmmdRemoteDomainSnapshotLookupByName(vmmdClient *client, vmmConnectPtr conn,
                                         void *argsp, void *retp)
{
    remote_domain_snapshot_lookup_by_name_args *args = argsp;
    remote_domain_snapshot_lookup_by_name_ret *ret = retp;
    vmmDomainPtr dom = rpcDispatchDomainGet(conn, &args->dom);
    vmmDomainSnapshotPtr snap;

    if (!dom)
        return -1;
    snap = vmmDomainSnapshotLookupByName(dom, args->name, args->flags);
    rpcDispatchDomainRelease(dom);
    return remoteSnapshotReply(snap, &ret->snap);
}

int vmmdRemoteDomainSnapshotCurrent(vmmdClient *client, vmmConnectPtr conn,
                                    void *argsp, void *retp)
{
    remote_domain_snapshot_current_args *args = argsp;
    remote_domain_snapshot_current_ret *ret = retp;
    vmmDomainPtr dom = rpcDispatchDomainGet(conn, &args->dom);
    vmmDomainSnapshotPtr snap;

    if (!dom)
        return -1;
    snap = vmmDomainSnapshotCurrent(dom, args->flags);
    rpcDispatchDomainRelease(dom);
    return remoteSnapshotReply(snap, &ret->snap);
}

int vmmdRemoteDomainRevertToSnapshot(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp)
{
    remote_domain_revert_to_snapshot_args *args = argsp;
    vmmDomainSnapshotPtr snap = remoteSnapshotGet(conn, &args->snap);
    int rc;

    if (!snap)
        return -1;
    rc = vmmDomainRevertToSnapshot(snap, args->flags);
    remoteSnapshotRelease(snap);
    return rc;
}

int vmmdRemoteDomainSnapshotDelete(vmmdClient *client, vmmConnectPtr conn,
                                   void *argsp, void *retp)
{
    remote_domain_snapshot_delete_args *args = argsp;
    vmmDomainSnapshotPtr snap = remoteSnapshotGet(conn, &args->snap);
    int rc;

    if (!snap)
        return -1;
    rc = vmmDomainSnapshotDelete(snap, args->flags);
    remoteSnapshotRelease(snap);
    return rc;
}

static void remoteSnapshotListFree(vmmDomainSnapshotPtr *snaps)
{
    if (!snaps)
        return;
    for (vmmDomainSnapshotPtr *s = snaps; *s; s++)
        remoteSnapshotRelease(*s);
    g_free(snaps);
}

int vmmdRemoteDomainListAllSnapshots(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp)
{
    remote_domain_list_all_snapshots_args *args = argsp;
    remote_domain_list_all_snapshots_ret *ret = retp;
    vmmDomainPtr dom = rpcDispatchDomainGet(conn, &args->dom);
    vmmDomainSnapshotPtr *snaps = NULL;
    int n;

    if (!dom)
        return -1;
    n = vmmDomainListAllSnapshots(dom, args->need_results ? &snaps : NULL,
                                  args->flags);
    rpcDispatchDomainRelease(dom);
    if (n < 0)
        return -1;
    if (n > REMOTE_DOMAIN_SNAPSHOT_LIST_MAX) {
        remoteSnapshotListFree(snaps);
        errorReport(VMM_FROM_REMOTE, VMM_ERR_RPC,
                    "too many snapshots: %d, the limit is %d", n,
                    REMOTE_DOMAIN_SNAPSHOT_LIST_MAX);
        return -1;
    }
    if (snaps) {
        ret->snapshots.snapshots_val =
            g_new0(remote_nonnull_domain_snapshot, MAX(n, 1));
        ret->snapshots.snapshots_len = n;
        for (int i = 0; i < n; i++)
            remoteSnapshotToWire(snaps[i], &ret->snapshots.snapshots_val[i]);
        remoteSnapshotListFree(snaps);
    }
    ret->ret = n;
    return 0;
}
