/*
 * kvm_monitor.h: a QMP client, the driver's only way of talking to a
 * running QEMU.
 *
 * Each monitor owns one thread that reads the socket (a dedicated thread
 * rather than the daemon's main loop, so a command can wait for its reply
 * in any thread, the main loop's included, without dead-locking it).
 * Commands are synchronous: kvmMonitorCommand sends one and waits for its
 * reply, from any thread; concurrent callers are serialised. Asynchronous
 * events and the end of the connection are handed to callbacks, which run
 * in the reader thread: they must not call kvmMonitorClose or
 * kvmMonitorCommand on the same monitor (post the work elsewhere instead).
 *
 * A QMP error reply ({"error": {"class", "desc"}}) is raised as
 * VMM_ERR_OPERATION_FAILED with QEMU's desc; a closed connection as
 * VMM_ERR_OPERATION_FAILED "QEMU monitor closed".
 */
#pragma once

#include <stdbool.h>

#include "util_json.h"

typedef struct _kvmMonitor kvmMonitor;

typedef struct {
    /* An event: @name as QEMU spells it ("SHUTDOWN", "STOP", ...), its
     * "data" member or NULL, and QEMU's timestamp. */
    void (*event)(kvmMonitor *mon, const char *name, const jsonValue *data,
                  long long seconds, unsigned int micros, void *opaque);
    /* The connection ended: @error is false for a clean EOF (QEMU quit),
     * true for a read or protocol error. Not called after kvmMonitorClose
     * has begun. */
    void (*eof)(kvmMonitor *mon, bool error, void *opaque);
} kvmMonitorCallbacks;

/* Connect to the QMP socket at @path, retrying for up to @timeoutMs while
 * it does not exist yet (QEMU just started), read the greeting (waiting
 * longer once connected: see kvm_monitor.c), and leave capabilities
 * negotiation mode. @callbacks (copied) may be NULL. */
int kvmMonitorOpen(const char *path, int timeoutMs,
                   const kvmMonitorCallbacks *callbacks, void *opaque,
                   kvmMonitor **ret_mon);

/* Disconnect, stop the reader thread and free. Accepts NULL. */
void kvmMonitorClose(kvmMonitor *mon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kvmMonitor, kvmMonitorClose)

/* QEMU's version from the greeting. */
void kvmMonitorGetVersion(const kvmMonitor *mon, unsigned int *ret_major,
                          unsigned int *ret_minor, unsigned int *ret_micro);

/* Run @command with @args (an object, copied; NULL for none). On success
 * *@ret_reply (when not NULL) gets the "return" member. */
int kvmMonitorCommand(kvmMonitor *mon, const char *command,
                      const jsonValue *args, jsonValue **ret_reply);

/* The state of the guest's vCPUs: query-status "status" ("running",
 * "paused", "shutdown", ...) and "running". */
int kvmMonitorQueryStatus(kvmMonitor *mon, char **ret_status,
                          bool *ret_running);

/* true while the connection is up. */
bool kvmMonitorIsOpen(kvmMonitor *mon);
