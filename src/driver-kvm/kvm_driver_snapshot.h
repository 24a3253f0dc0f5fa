/*
 * kvm_driver_snapshot.h: the QEMU driver's snapshot slots
 * (kvm_driver_snapshot.c), and what the rest of the driver needs of them:
 * counting snapshots at start-up and the rule on undefine.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

#include "domain_obj.h"

int kvmDomainSnapshotNum(vmmDomainPtr dom, unsigned int flags);
vmmDomainSnapshotPtr kvmDomainSnapshotCreateXML(vmmDomainPtr dom,
                                                const char *xml,
                                                unsigned int flags);
char *kvmDomainSnapshotGetXMLDesc(vmmDomainSnapshotPtr snap,
                                  unsigned int flags);
int kvmDomainListAllSnapshots(vmmDomainPtr dom, vmmDomainSnapshotPtr **snaps,
                              unsigned int flags);
vmmDomainSnapshotPtr kvmDomainSnapshotLookupByName(vmmDomainPtr dom,
                                                   const char *name,
                                                   unsigned int flags);
int kvmDomainHasCurrentSnapshot(vmmDomainPtr dom, unsigned int flags);
vmmDomainSnapshotPtr kvmDomainSnapshotCurrent(vmmDomainPtr dom,
                                              unsigned int flags);
int kvmDomainRevertToSnapshot(vmmDomainSnapshotPtr snap, unsigned int flags);
int kvmDomainSnapshotDelete(vmmDomainSnapshotPtr snap, unsigned int flags);

/* Sets every loaded domain's snapshot count from the records on disk
 * (once, after the definitions are loaded). */
void kvmSnapshotLoadAll(void);

/* Undefining @obj (locked, job held): refused while it has snapshots
 * unless their records go too (VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA). */
int kvmSnapshotCheckUndefine(domainObj *obj, bool dropMetadata);
/* Removes every record of @obj (the images keep their snapshots). */
void kvmSnapshotDropAll(domainObj *obj);
