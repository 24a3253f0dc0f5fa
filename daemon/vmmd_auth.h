/*
 * vmmd_auth.h: who may use the daemon's UNIX sockets, decided by polkit,
 * and the one place that asks polkit anything.
 *
 * With auth_unix_rw (or auth_unix_ro) = "polkit" the socket itself is open
 * to everyone (mode 0777); a local peer is let in once polkit says yes to
 * org.vmm.unix.manage (read-write socket) or org.vmm.unix.monitor
 * (read-only socket) for its process. Root peers are let in without
 * asking, so a broken polkit never locks the administrator out. Clients
 * without local credentials (TLS, TCP) are not this file's business.
 *
 * polkit is reached over the system bus (org.freedesktop.PolicyKit1) with
 * GDBus on a private connection of the daemon's; when it cannot be
 * reached, every question is answered no, with an error that says so.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "vmmd_client.h"
#include "vmmd_config.h"

#define VMMD_AUTH_ACTION_MANAGE "org.vmm.unix.manage"
#define VMMD_AUTH_ACTION_MONITOR "org.vmm.unix.monitor"

/* The answer of vmmdAuthPolkitCheck. */
typedef enum {
    VMMD_AUTH_POLKIT_ERROR = -1, /* polkit not reachable, or failed */
    VMMD_AUTH_POLKIT_DENIED = 0,
    VMMD_AUTH_POLKIT_ALLOWED = 1,
} vmmdAuthPolkitResult;

/* Records how each UNIX socket authenticates; called once by main()
 * before any client exists. */
void vmmdAuthConfigure(vmmdAuthType unixRW, vmmdAuthType unixRO);

/* The authentication @client must go through before CONNECT_OPEN, as
 * AUTH_LIST announces it: VMMD_AUTH_NONE when it has nothing to prove
 * (socket without polkit, root peer, not a local peer). */
vmmdAuthType vmmdAuthRequired(vmmdClient *client);

/* Asks polkit whether @client may use its socket (the action of the
 * socket it came in on). 0 when allowed, -1 with the error set:
 * VMM_ERR_AUTH_FAILED when denied by policy, VMM_ERR_AUTH_UNAVAILABLE
 * when polkit wants an agent nobody runs or cannot be reached. */
int vmmdAuthCheckClient(vmmdClient *client);

/* Asks polkit about @action for the process @pid of user @uid, passing
 * @details (NULL-terminated key, value pairs; NULL for none).
 * @interactive: polkit may ask the user through an agent. DENIED and
 * ERROR come with the error set (VMM_ERR_AUTH_FAILED /
 * VMM_ERR_AUTH_UNAVAILABLE); callers may replace it with their own. */
vmmdAuthPolkitResult vmmdAuthPolkitCheck(pid_t pid, uid_t uid,
                                         const char *action,
                                         const char *const *details,
                                         bool interactive);

/* Drops the connection to the system bus, if any (at exit, so that
 * leak checkers see nothing). */
void vmmdAuthShutdown(void);
