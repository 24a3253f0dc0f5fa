/*
 * vmm-snapshot.h: snapshots of a domain: its disks' contents, and for a
 * running guest its memory and device state, kept under a name so the
 * domain can be put back to that point later.
 *
 * Semantics and numbers follow libvirt's virDomainSnapshot* API. A
 * snapshot handle names one snapshot of one domain and holds a reference
 * on the domain handle; release it with vmmDomainSnapshotFree.
 */
#ifndef VMM_SNAPSHOT_H
#define VMM_SNAPSHOT_H

#ifndef VMM_H_INCLUDED
# error "include <vmm/vmm.h> instead of this file"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _vmmDomainSnapshot vmmDomainSnapshot;
typedef vmmDomainSnapshot *vmmDomainSnapshotPtr;

/* Flags of vmmDomainSnapshotCreateXML; the values are libvirt's. */
typedef enum {
    VMM_DOMAIN_SNAPSHOT_CREATE_REDEFINE = (1 << 0),
    VMM_DOMAIN_SNAPSHOT_CREATE_CURRENT = (1 << 1),
    VMM_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = (1 << 2),
    VMM_DOMAIN_SNAPSHOT_CREATE_HALT = (1 << 3),
    VMM_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = (1 << 4),
    VMM_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = (1 << 5),
    VMM_DOMAIN_SNAPSHOT_CREATE_QUIESCE = (1 << 6),
    VMM_DOMAIN_SNAPSHOT_CREATE_ATOMIC = (1 << 7),
    VMM_DOMAIN_SNAPSHOT_CREATE_LIVE = (1 << 8),
    VMM_DOMAIN_SNAPSHOT_CREATE_VALIDATE = (1 << 9),
} vmmDomainSnapshotCreateFlags;

/* Filters of vmmDomainListAllSnapshots (and vmmDomainSnapshotNum). */
typedef enum {
    VMM_DOMAIN_SNAPSHOT_LIST_ROOTS = (1 << 0),
    VMM_DOMAIN_SNAPSHOT_LIST_DESCENDANTS = (1 << 0),
    VMM_DOMAIN_SNAPSHOT_LIST_METADATA = (1 << 1),
    VMM_DOMAIN_SNAPSHOT_LIST_LEAVES = (1 << 2),
    VMM_DOMAIN_SNAPSHOT_LIST_NO_LEAVES = (1 << 3),
    VMM_DOMAIN_SNAPSHOT_LIST_NO_METADATA = (1 << 4),
    VMM_DOMAIN_SNAPSHOT_LIST_INACTIVE = (1 << 5),
    VMM_DOMAIN_SNAPSHOT_LIST_ACTIVE = (1 << 6),
    VMM_DOMAIN_SNAPSHOT_LIST_DISK_ONLY = (1 << 7),
    VMM_DOMAIN_SNAPSHOT_LIST_INTERNAL = (1 << 8),
    VMM_DOMAIN_SNAPSHOT_LIST_EXTERNAL = (1 << 9),
    VMM_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL = (1 << 10),
} vmmDomainSnapshotListFlags;

/* Flags of vmmDomainRevertToSnapshot. */
typedef enum {
    VMM_DOMAIN_SNAPSHOT_REVERT_RUNNING = (1 << 0),
    VMM_DOMAIN_SNAPSHOT_REVERT_PAUSED = (1 << 1),
    VMM_DOMAIN_SNAPSHOT_REVERT_FORCE = (1 << 2),
    VMM_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM = (1 << 3),
} vmmDomainSnapshotRevertFlags;

/* Flags of vmmDomainSnapshotDelete. */
typedef enum {
    VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN = (1 << 0),
    VMM_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY = (1 << 1),
    VMM_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY = (1 << 2),
} vmmDomainSnapshotDeleteFlags;

/* Flags of vmmDomainSnapshotGetXMLDesc. */
typedef enum {
    VMM_DOMAIN_SNAPSHOT_XML_SECURE = (1 << 0),
} vmmDomainSnapshotXMLFlags;

VMM_EXPORT vmmDomainSnapshotPtr vmmDomainSnapshotCreateXML(
    vmmDomainPtr domain, const char *xmlDesc, unsigned int flags);
VMM_EXPORT char *vmmDomainSnapshotGetXMLDesc(vmmDomainSnapshotPtr snapshot,
                                             unsigned int flags);
/* Fills *snaps (when not NULL) with a NULL-terminated array the caller
 * frees, each element with vmmDomainSnapshotFree; returns the count. */
VMM_EXPORT int vmmDomainListAllSnapshots(vmmDomainPtr domain,
                                         vmmDomainSnapshotPtr **snaps,
                                         unsigned int flags);
VMM_EXPORT vmmDomainSnapshotPtr vmmDomainSnapshotLookupByName(
    vmmDomainPtr domain, const char *name, unsigned int flags);
/* 1 when the domain has a current snapshot (the last one taken or
 * reverted to), 0 when not. */
VMM_EXPORT int vmmDomainHasCurrentSnapshot(vmmDomainPtr domain,
                                           unsigned int flags);
VMM_EXPORT vmmDomainSnapshotPtr vmmDomainSnapshotCurrent(
    vmmDomainPtr domain, unsigned int flags);
VMM_EXPORT int vmmDomainRevertToSnapshot(vmmDomainSnapshotPtr snapshot,
                                         unsigned int flags);
VMM_EXPORT int vmmDomainSnapshotDelete(vmmDomainSnapshotPtr snapshot,
                                       unsigned int flags);

VMM_EXPORT const char *vmmDomainSnapshotGetName(vmmDomainSnapshotPtr snapshot);
VMM_EXPORT vmmDomainPtr vmmDomainSnapshotGetDomain(
    vmmDomainSnapshotPtr snapshot);
VMM_EXPORT int vmmDomainSnapshotRef(vmmDomainSnapshotPtr snapshot);
VMM_EXPORT int vmmDomainSnapshotFree(vmmDomainSnapshotPtr snapshot);

#ifdef __cplusplus
}
#endif

#endif /* VMM_SNAPSHOT_H */
