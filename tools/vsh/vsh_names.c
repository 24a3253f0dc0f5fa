/*
 * vsh_names.c: the words vsh prints for domain states, their reasons and
 * lifecycle events (see vsh_names.h). They are virsh's words, so output
 * reads the same from either shell.
 */
#include <config.h>

#include "vsh_names.h"

static const char *const vshStateNames[VMM_DOMAIN_LAST] = {
    [VMM_DOMAIN_NOSTATE] = "no state",
    [VMM_DOMAIN_RUNNING] = "running",
    [VMM_DOMAIN_BLOCKED] = "idle",
    [VMM_DOMAIN_PAUSED] = "paused",
    [VMM_DOMAIN_SHUTDOWN] = "in shutdown",
    [VMM_DOMAIN_SHUTOFF] = "shut off",
    [VMM_DOMAIN_CRASHED] = "crashed",
    [VMM_DOMAIN_PMSUSPENDED] = "pmsuspended",
};

const char *vshDomainStateToString(int state)
{
    if (state < 0 || state >= VMM_DOMAIN_LAST)
        return "no state";
    return vshStateNames[state];
}

static const char *const vshRunningReasons[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot",
    "unpaused", "migration canceled", "save canceled", "event wakeup",
    "crashed", "post-copy", NULL,
};
static const char *const vshPausedReasons[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error",
    "watchdog", "from snapshot", "shutting down", "creating snapshot",
    "crashed", "starting up", NULL,
};
static const char *const vshShutdownReasons[] = {
    "unknown", "user", NULL,
};
static const char *const vshShutoffReasons[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved",
    "failed", "from snapshot", "daemon", NULL,
};
static const char *const vshCrashedReasons[] = {
    "unknown", "panicked", NULL,
};

const char *vshDomainStateReasonToString(int state, int reason)
{
    const char *const *names = NULL;
    int i;

    switch (state) {
    case VMM_DOMAIN_RUNNING: names = vshRunningReasons; break;
    case VMM_DOMAIN_PAUSED: names = vshPausedReasons; break;
    case VMM_DOMAIN_SHUTDOWN: names = vshShutdownReasons; break;
    case VMM_DOMAIN_SHUTOFF: names = vshShutoffReasons; break;
    case VMM_DOMAIN_CRASHED: names = vshCrashedReasons; break;
    default: return "unknown";
    }
    for (i = 0; names[i]; i++) {
        if (i == reason)
            return names[i];
    }
    return "unknown";
}

static const char *const vshLifecycleNames[VMM_DOMAIN_EVENT_LAST] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped",
    "Shutdown", "PMSuspended", "Crashed",
};

static const char *const vshDefinedDetails[] = {
    "Added", "Updated", "Renamed", "Snapshot", NULL};
static const char *const vshUndefinedDetails[] = {
    "Removed", "Renamed", NULL};
static const char *const vshStartedDetails[] = {
    "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup", NULL};
static const char *const vshSuspendedDetails[] = {
    "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
    "API error", NULL};
static const char *const vshResumedDetails[] = {
    "Unpaused", "Migrated", "Snapshot", NULL};
static const char *const vshStoppedDetails[] = {
    "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
    "Snapshot", NULL};
static const char *const vshShutdownDetails[] = {
    "Finished", "Finished after guest request", "Finished after host request",
    NULL};
static const char *const vshPMSuspendedDetails[] = {"Memory", "Disk", NULL};
static const char *const vshCrashedDetails[] = {"Panicked", NULL};

static const char *const *const vshLifecycleDetails[VMM_DOMAIN_EVENT_LAST] = {
    vshDefinedDetails, vshUndefinedDetails, vshStartedDetails,
    vshSuspendedDetails, vshResumedDetails, vshStoppedDetails,
    vshShutdownDetails, vshPMSuspendedDetails, vshCrashedDetails,
};

const char *vshDomainEventToString(int event)
{
    if (event < 0 || event >= VMM_DOMAIN_EVENT_LAST)
        return "unknown";
    return vshLifecycleNames[event];
}

const char *vshDomainEventDetailToString(int event, int detail)
{
    const char *const *names;
    int i;

    if (event < 0 || event >= VMM_DOMAIN_EVENT_LAST)
        return "unknown";
    names = vshLifecycleDetails[event];
    for (i = 0; names[i]; i++) {
        if (i == detail)
            return names[i];
    }
    return "unknown";
}
