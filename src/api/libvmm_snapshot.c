/*
 * libvmm_snapshot.c: the public snapshot API (vmm-snapshot.h) and the
 * snapshot handle. Each entry point checks its arguments as every entry
 * point does (api_entry.h) and calls the driver; what a snapshot holds
 * and how it is taken is the driver's business.
 */
#include <config.h>

#include "api_entry.h"

#define API_FROM_SNAP VMM_FROM_DOMAIN_SNAPSHOT

vmmDomainSnapshotPtr snapshotHandleNew(vmmDomainPtr dom, const char *name)
{
    vmmDomainSnapshotPtr snap = g_new0(vmmDomainSnapshot, 1);

    snap->refs = 1;
    g_atomic_int_inc(&dom->refs);
    snap->domain = dom;
    snap->name = g_strdup(name);
    return snap;
}

int snapshotHandleUnref(vmmDomainSnapshotPtr snap)
{
    int old;

    if (!snap)
        return 0;
    old = g_atomic_int_add(&snap->refs, -1);
    if (old == 1) {
        domainHandleUnref(snap->domain);
        g_free(snap->name);
        g_free(snap);
    }
    return old - 1;
}

static bool apiCheckSnapshot(vmmDomainSnapshotPtr snap, const char *func)
{
    if (snap && snap->domain && apiCheckDomain(snap->domain, func))
        return true;
    errorReset();
    errorReport(API_FROM_SNAP, VMM_ERR_INVALID_DOMAIN_SNAPSHOT, "%s", func);
    return false;
}

#define API_ENTER_SNAPSHOT(snap, fail) API_ENTER(apiCheckSnapshot, snap, fail)

#define SNAPSHOT_CREATE_ALL                                                    \
    (((unsigned int)VMM_DOMAIN_SNAPSHOT_CREATE_VALIDATE << 1) - 1)
#define SNAPSHOT_LIST_ALL                                                      \
    (((unsigned int)VMM_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL << 1) - 1)
#define SNAPSHOT_REVERT_ALL                                                    \
    (((unsigned int)VMM_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM << 1) - 1)
#define SNAPSHOT_DELETE_ALL                                                    \
    (((unsigned int)VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY << 1) - 1)

vmmDomainSnapshotPtr vmmDomainSnapshotCreateXML(vmmDomainPtr domain,
                                                const char *xmlDesc,
                                                unsigned int flags)
{
    API_ENTER_DOMAIN(domain, NULL);
    API_CHECK_NONNULL(domain->conn, xmlDesc, NULL);
    API_CHECK_RW(domain->conn, NULL);
    API_CHECK_FLAGS(domain->conn, flags, SNAPSHOT_CREATE_ALL, NULL);
    API_RETURN_PTR(domain->conn, domainSnapshotCreateXML, domain, xmlDesc,
                   flags);
}

char *vmmDomainSnapshotGetXMLDesc(vmmDomainSnapshotPtr snapshot,
                                  unsigned int flags)
{
    API_ENTER_SNAPSHOT(snapshot, NULL);
    API_CHECK_FLAGS(snapshot->domain->conn, flags,
                    VMM_DOMAIN_SNAPSHOT_XML_SECURE, NULL);
    API_RETURN_PTR(snapshot->domain->conn, domainSnapshotGetXMLDesc, snapshot,
                   flags);
}

int vmmDomainListAllSnapshots(vmmDomainPtr domain, vmmDomainSnapshotPtr **snaps,
                              unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_FLAGS(domain->conn, flags, SNAPSHOT_LIST_ALL, -1);
    API_RETURN_INT(domain->conn, domainListAllSnapshots, domain, snaps, flags);
}

vmmDomainSnapshotPtr vmmDomainSnapshotLookupByName(vmmDomainPtr domain,
                                                   const char *name,
                                                   unsigned int flags)
{
    API_ENTER_DOMAIN(domain, NULL);
    API_CHECK_NONNULL(domain->conn, name, NULL);
    API_CHECK_FLAGS(domain->conn, flags, 0, NULL);
    API_RETURN_PTR(domain->conn, domainSnapshotLookupByName, domain, name,
                   flags);
}

int vmmDomainHasCurrentSnapshot(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_FLAGS(domain->conn, flags, 0, -1);
    API_RETURN_INT(domain->conn, domainHasCurrentSnapshot, domain, flags);
}

vmmDomainSnapshotPtr vmmDomainSnapshotCurrent(vmmDomainPtr domain,
                                              unsigned int flags)
{
    API_ENTER_DOMAIN(domain, NULL);
    API_CHECK_FLAGS(domain->conn, flags, 0, NULL);
    API_RETURN_PTR(domain->conn, domainSnapshotCurrent, domain, flags);
}

int vmmDomainRevertToSnapshot(vmmDomainSnapshotPtr snapshot, unsigned int flags)
{
    vmmConnectPtr conn;

    API_ENTER_SNAPSHOT(snapshot, -1);
    conn = snapshot->domain->conn;
    API_CHECK_RW(conn, -1);
    API_CHECK_FLAGS(conn, flags, SNAPSHOT_REVERT_ALL, -1);
    API_CHECK_ARG(conn,
                  (flags & VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING) == 0 ||
                      (flags & VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED) == 0,
                  flags, "cannot ask for both running and paused", -1);
    API_RETURN_INT(conn, domainRevertToSnapshot, snapshot, flags);
}

int vmmDomainSnapshotDelete(vmmDomainSnapshotPtr snapshot, unsigned int flags)
{
    vmmConnectPtr conn;

    API_ENTER_SNAPSHOT(snapshot, -1);
    conn = snapshot->domain->conn;
    API_CHECK_RW(conn, -1);
    API_CHECK_FLAGS(conn, flags, SNAPSHOT_DELETE_ALL, -1);
    API_RETURN_INT(conn, domainSnapshotDelete, snapshot, flags);
}

const char *vmmDomainSnapshotGetName(vmmDomainSnapshotPtr snapshot)
{
    API_ENTER_SNAPSHOT(snapshot, NULL);
    return snapshot->name;
}

vmmDomainPtr vmmDomainSnapshotGetDomain(vmmDomainSnapshotPtr snapshot)
{
    API_ENTER_SNAPSHOT(snapshot, NULL);
    return snapshot->domain;
}

int vmmDomainSnapshotRef(vmmDomainSnapshotPtr snapshot)
{
    API_ENTER_SNAPSHOT(snapshot, -1);
    g_atomic_int_inc(&snapshot->refs);
    return 0;
}

int vmmDomainSnapshotFree(vmmDomainSnapshotPtr snapshot)
{
    API_ENTER_SNAPSHOT(snapshot, -1);
    snapshotHandleUnref(snapshot);
    return 0;
}
