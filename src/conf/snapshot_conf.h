/*
 * snapshot_conf.h: the <domainsnapshot> XML of a snapshot, both what a
 * user hands to vmmDomainSnapshotCreateXML (a name and description) and
 * the full record a driver keeps (with state, time, parent and the
 * domain definition at that time). Element names are libvirt's.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "domain_conf.h"

typedef struct {
    char *name;
    char *description;
    char *parent;           /* NULL for a root */
    long long creationTime; /* seconds since the epoch */
    int state;              /* vmmDomainState of the domain when taken */
    domainDef *dom;         /* the definition when taken; NULL in user input */
} snapshotDef;

void snapshotDefFree(snapshotDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(snapshotDef, snapshotDefFree)

/* Whether @name may name a snapshot: not empty, and only letters, digits
 * and "_-.+:" (it becomes a file name and a monitor argument), not
 * starting with a dot. Reports VMM_ERR_INVALID_ARG when not. */
bool snapshotNameIsValid(const char *name);

/* Parses a <domainsnapshot>. With @full, the record a driver wrote
 * (state, creationTime and <domain> required); without, what a user
 * asks for: a missing name is made from the current time, and requests
 * for external snapshots are refused (VMM_ERR_CONFIG_UNSUPPORTED). */
snapshotDef *snapshotDefParseString(const char *xml, bool full);

/* The full record (as snapshotDefParseString(..., true) reads it). */
char *snapshotDefFormat(const snapshotDef *def, unsigned int domainFlags);
