/*
 * vsh_names.h: the names of domain states ("running", "shut off"...),
 * of the reasons for them ("booted", "destroyed"...) and of lifecycle
 * events and their details ("Stopped Destroyed"), as virsh prints them.
 * Pure tables: no connection, no glib; tested on their own.
 */
#ifndef VSH_NAMES_H
#define VSH_NAMES_H

#include <vmm/vmm.h>

/* Each returns a static string; out-of-range numbers give "no state" for
 * a state and "unknown" otherwise. */
const char *vshDomainStateToString(int state);
const char *vshDomainStateReasonToString(int state, int reason);
const char *vshDomainEventToString(int event);
const char *vshDomainEventDetailToString(int event, int detail);

#endif /* VSH_NAMES_H */
