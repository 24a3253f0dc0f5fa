/*
 * remote_snapshot.h: hand-written client stubs of the snapshot
 * procedures, whose snapshot objects the generator does not map.
 * Signatures of the driver table's slots (driver.h).
 */
#pragma once

#include <vmm/vmm.h>

vmmDomainSnapshotPtr remoteDomainSnapshotCreateXML(vmmDomainPtr dom,
                                                   const char *xml,
                                                   unsigned int flags);
char *remoteDomainSnapshotGetXMLDesc(vmmDomainSnapshotPtr snap,
                                     unsigned int flags);
int remoteDomainListAllSnapshots(vmmDomainPtr dom, vmmDomainSnapshotPtr **snaps,
                                 unsigned int flags);
vmmDomainSnapshotPtr remoteDomainSnapshotLookupByName(vmmDomainPtr dom,
                                                      const char *name,
                                                      unsigned int flags);
vmmDomainSnapshotPtr remoteDomainSnapshotCurrent(vmmDomainPtr dom,
                                                 unsigned int flags);
int remoteDomainRevertToSnapshot(vmmDomainSnapshotPtr snap, unsigned int flags);
int remoteDomainSnapshotDelete(vmmDomainSnapshotPtr snap, unsigned int flags);
