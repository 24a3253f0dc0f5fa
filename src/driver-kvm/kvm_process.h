/*
 * kvm_process.h: one running QEMU: starting it for a domain definition,
 * its monitor, its status file, and stopping it.
 *
 * Start: build the command (kvm_command) with -S, append it to the
 * domain's log file (which then takes QEMU's stdout and stderr), spawn
 * QEMU, connect QMP, write the status file, "cont". Stop: SIGTERM, then
 * SIGKILL after a grace period, reap, and remove the socket and the status
 * file. What a guest shutdown means (<on_poweroff>) is the driver's
 * decision, taken on the SHUTDOWN event; this file only provides the
 * mechanisms.
 *
 * QEMU started here is our child and is reaped; one taken back with
 * kvmProcessAttach after a daemon restart is not, and is watched with
 * kill(pid, 0) instead.
 *
 * Files, for a domain NAME:
 *   RUNDIR/NAME.monitor  the QMP socket
 *   RUNDIR/NAME.xml      status: <domstatus pid= monitor=> + live <domain>
 *   LOGDIR/NAME.log      command lines and QEMU's own output, appended
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "domain_conf.h"
#include "kvm_monitor.h"

typedef struct {
    const char *runDir;          /* created when missing */
    const char *logDir;          /* created when missing */
    const char *defaultEmulator; /* for definitions without <emulator> */
    int monitorTimeoutMs;        /* for QEMU to open QMP; 0 = 30 s */
} kvmProcessConfig;

typedef struct _kvmProcess kvmProcess;

/* Start QEMU for @def (copied) with domain id @id. @callbacks (may be
 * NULL) get the monitor's events and EOF, in the monitor's thread. On
 * failure QEMU is killed, the files are removed, and the error says why,
 * quoting the end of the log when QEMU itself failed. */
int kvmProcessStart(const kvmProcessConfig *cfg, const domainDef *def, int id,
                    const kvmMonitorCallbacks *callbacks, void *opaque,
                    kvmProcess **ret_proc);

/* As kvmProcessStart, for a restore: QEMU is started with -incoming
 * defer and left waiting for the migration stream (the caller sends
 * migrate-incoming, then "cont"). */
int kvmProcessStartIncoming(const kvmProcessConfig *cfg, const domainDef *def,
                            int id, const kvmMonitorCallbacks *callbacks,
                            void *opaque, kvmProcess **ret_proc);

/* Take a QEMU back that an earlier daemon started (vmmd restarted): read
 * the status file of domain @name, check that its pid still runs QEMU for
 * that guest, and reconnect the monitor. *@ret_def gets the live
 * definition and *@ret_id its domain id. VMM_ERR_NO_DOMAIN when there is no
 * status file; VMM_ERR_OPERATION_FAILED when QEMU is gone (the stale files
 * are then removed). */
int kvmProcessAttach(const kvmProcessConfig *cfg, const char *name,
                     const kvmMonitorCallbacks *callbacks, void *opaque,
                     kvmProcess **ret_proc, domainDef **ret_def, int *ret_id);

/* Stop QEMU: SIGTERM, then SIGKILL when it is still there after @graceMs;
 * reap it, close the monitor, remove the socket and the status file.
 * Doing it twice is harmless. */
void kvmProcessStop(kvmProcess *proc, int graceMs);

/* Frees @proc; a QEMU still running is left running (a daemon restart
 * must not take guests with it). Accepts NULL. */
void kvmProcessFree(kvmProcess *proc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kvmProcess, kvmProcessFree)

pid_t kvmProcessGetPid(const kvmProcess *proc);     /* 0 once stopped */
kvmMonitor *kvmProcessGetMonitor(kvmProcess *proc); /* NULL once stopped */
const char *kvmProcessGetStatusPath(const kvmProcess *proc);
const char *kvmProcessGetLogPath(const kvmProcess *proc);
