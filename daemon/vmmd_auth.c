/*
 * vmmd_auth.c: polkit authentication of UNIX socket clients, and the
 * D-Bus call to polkit's authority that the access checks share (see
 * vmmd_auth.h).
 */
#include <config.h>

#include <gio/gio.h>

#include "util_error.h"
#include "util_log.h"
#include "vmmd_auth.h"

VMM_LOG_INIT("daemon.auth");

#define AUTH_POLKIT_BUS_NAME "org.freedesktop.PolicyKit1"
#define AUTH_POLKIT_OBJECT "/org/freedesktop/PolicyKit1/Authority"
#define AUTH_POLKIT_INTERFACE "org.freedesktop.PolicyKit1.Authority"

/* CheckAuthorization's flag letting polkit ask the user through an
 * authentication agent. */
#define AUTH_POLKIT_ALLOW_INTERACTION 1u

/* An interactive check may wait for a person typing a password. */
#define AUTH_POLKIT_TIMEOUT_MS (120 * 1000)

/* The 22nd field of /proc/PID/stat. */
#define AUTH_STAT_STARTTIME_FIELD 22

/* Set once by main() before any client exists, read-only afterwards. */
static vmmdAuthType authUnixRW = VMMD_AUTH_NONE;
static vmmdAuthType authUnixRO = VMMD_AUTH_NONE;

/* The daemon's own connection to the system bus, made on first use and
 * again after the bus went away. Private, not g_bus_get()'s shared one,
 * whose loss would terminate the process. */
static GMutex authBusLock;
static GDBusConnection *authBus;

void vmmdAuthConfigure(vmmdAuthType unixRW, vmmdAuthType unixRO)
{
    authUnixRW = unixRW;
    authUnixRO = unixRO;
}

static vmmdAuthType authSocketType(vmmdClient *client)
{
    return vmmdClientIsReadOnly(client) ? authUnixRO : authUnixRW;
}

vmmdAuthType vmmdAuthRequired(vmmdClient *client)
{
    pid_t pid;
    uid_t uid;
    gid_t gid;

    if (authSocketType(client) != VMMD_AUTH_POLKIT)
        return VMMD_AUTH_NONE;
    vmmdClientGetPeer(client, &pid, &uid, &gid);
    /* No local process behind it: not a UNIX socket client. */
    if (pid <= 0)
        return VMMD_AUTH_NONE;
    /* Root could take the daemon over anyway; asking would only let a
     * missing polkit lock the administrator out. */
    if (uid == 0)
        return VMMD_AUTH_NONE;
    return VMMD_AUTH_POLKIT;
}

int vmmdAuthCheckClient(vmmdClient *client)
{
    const char *action = vmmdClientIsReadOnly(client) ? VMMD_AUTH_ACTION_MONITOR
                                                      : VMMD_AUTH_ACTION_MANAGE;
    pid_t pid;
    uid_t uid;
    gid_t gid;

    if (vmmdAuthRequired(client) == VMMD_AUTH_NONE)
        return 0;
    vmmdClientGetPeer(client, &pid, &uid, &gid);
    VMM_DEBUG("client %llu: asking polkit for %s (pid %lld uid %lld)",
              vmmdClientGetId(client), action, (long long)pid, (long long)uid);
    if (vmmdAuthPolkitCheck(pid, uid, action, NULL, true) !=
        VMMD_AUTH_POLKIT_ALLOWED) {
        VMM_INFO("client %llu (pid %lld uid %lld) refused: %s",
                 vmmdClientGetId(client), (long long)pid, (long long)uid,
                 errorGetLast()->message);
        return -1;
    }
    VMM_INFO("client %llu (pid %lld uid %lld) authorized by polkit for %s",
             vmmdClientGetId(client), (long long)pid, (long long)uid, action);
    return 0;
}

/* ---- polkit over D-Bus ---- */

/* polkit identifies a process by pid and start time together, so that
 * a recycled pid is not mistaken for the process that connected. */
static int authProcessStartTime(pid_t pid, guint64 *ret_start)
{
    g_autofree char *path = g_strdup_printf("/proc/%lld/stat", (long long)pid);
    g_autofree char *data = NULL;
    g_autoptr(GError) gerr = NULL;
    g_auto(GStrv) fields = NULL;
    const char *rest;
    /* Fields after the command name start with the 3rd. */
    const int index = AUTH_STAT_STARTTIME_FIELD - 3;

    if (!g_file_get_contents(path, &data, NULL, &gerr) ||
        !(rest = strrchr(data, ')'))) {
        errorReport(VMM_FROM_AUTH, VMM_ERR_AUTH_FAILED,
                    "cannot read the start time of client process %lld: %s",
                    (long long)pid, gerr ? gerr->message : "malformed");
        return -1;
    }
    fields = g_strsplit(rest + 1, " ", -1);
    /* fields[0] is the empty string before the state. */
    if (g_strv_length(fields) <= (guint)index + 1 ||
        !g_ascii_string_to_unsigned(fields[index + 1], 10, 0, G_MAXUINT64,
                                    ret_start, NULL)) {
        errorReport(VMM_FROM_AUTH, VMM_ERR_AUTH_FAILED,
                    "cannot parse the start time of client process %lld",
                    (long long)pid);
        return -1;
    }
    return 0;
}

/* A reference to the daemon's system bus connection. */
static GDBusConnection *authBusGet(GError **gerr)
{
    GDBusConnection *bus = NULL;

    g_mutex_lock(&authBusLock);
    if (authBus && g_dbus_connection_is_closed(authBus))
        g_clear_object(&authBus);
    if (!authBus) {
        g_autofree char *address =
            g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SYSTEM, NULL, gerr);

        if (address)
            authBus = g_dbus_connection_new_for_address_sync(
                address,
                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                NULL, NULL, gerr);
    }
    if (authBus)
        bus = g_object_ref(authBus);
    g_mutex_unlock(&authBusLock);
    return bus;
}

void vmmdAuthShutdown(void)
{
    g_mutex_lock(&authBusLock);
    if (authBus)
        g_dbus_connection_close_sync(authBus, NULL, NULL);
    g_clear_object(&authBus);
    g_mutex_unlock(&authBusLock);
}

static GVariant *authCheckParams(pid_t pid, uid_t uid, guint64 start,
                                 const char *action, const char *const *details,
                                 bool interactive)
{
    GVariantBuilder subject;
    GVariantBuilder extra;

    g_variant_builder_init(&subject, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&subject, "{sv}", "pid",
                          g_variant_new_uint32((guint32)pid));
    g_variant_builder_add(&subject, "{sv}", "start-time",
                          g_variant_new_uint64(start));
    g_variant_builder_add(&subject, "{sv}", "uid",
                          g_variant_new_int32((gint32)uid));

    g_variant_builder_init(&extra, G_VARIANT_TYPE("a{ss}"));
    for (const char *const *d = details; d && d[0] && d[1]; d += 2)
        g_variant_builder_add(&extra, "{ss}", d[0], d[1]);

    /* CheckAuthorization(subject (sa{sv}), action_id s, details a{ss},
     * flags u, cancellation_id s) */
    return g_variant_new("((sa{sv})sa{ss}us)", "unix-process", &subject, action,
                         &extra,
                         interactive ? AUTH_POLKIT_ALLOW_INTERACTION : 0u, "");
}

/* Reads polkit's AuthorizationResult (is_authorized b, is_challenge b,
 * details a{ss}). */
static vmmdAuthPolkitResult authCheckResult(GVariant *reply, const char *action)
{
    gboolean authorized = FALSE;
    gboolean challenge = FALSE;
    g_autoptr(GVariant) details = NULL;
    const char *dismissed = NULL;

    g_variant_get(reply, "((bb@a{ss}))", &authorized, &challenge, &details);
    if (authorized)
        return VMMD_AUTH_POLKIT_ALLOWED;
    if (g_variant_lookup(details, "polkit.dismissed", "&s", &dismissed) &&
        g_str_equal(dismissed, "true"))
        errorReport(VMM_FROM_POLKIT, VMM_ERR_AUTH_CANCELLED,
                    "user cancelled authentication of action '%s'", action);
    else if (challenge)
        errorReport(VMM_FROM_POLKIT, VMM_ERR_AUTH_UNAVAILABLE,
                    "no polkit agent available to authenticate action '%s'",
                    action);
    else
        errorReport(VMM_FROM_POLKIT, VMM_ERR_AUTH_FAILED,
                    "access denied by policy for action '%s'", action);
    return VMMD_AUTH_POLKIT_DENIED;
}

vmmdAuthPolkitResult vmmdAuthPolkitCheck(pid_t pid, uid_t uid,
                                         const char *action,
                                         const char *const *details,
                                         bool interactive)
{
    g_autoptr(GDBusConnection) bus = NULL;
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) gerr = NULL;
    guint64 start;

    if (authProcessStartTime(pid, &start) < 0)
        return VMMD_AUTH_POLKIT_ERROR;
    if ((bus = authBusGet(&gerr)))
        reply = g_dbus_connection_call_sync(
            bus, AUTH_POLKIT_BUS_NAME, AUTH_POLKIT_OBJECT,
            AUTH_POLKIT_INTERFACE, "CheckAuthorization",
            authCheckParams(pid, uid, start, action, details, interactive),
            G_VARIANT_TYPE("((bba{ss}))"), G_DBUS_CALL_FLAGS_NONE,
            AUTH_POLKIT_TIMEOUT_MS, NULL, &gerr);
    if (!reply) {
        /* Fail closed: no answer is a no. */
        if (gerr)
            g_dbus_error_strip_remote_error(gerr);
        errorReport(VMM_FROM_POLKIT, VMM_ERR_AUTH_UNAVAILABLE,
                    "polkit is unreachable, cannot authorize action '%s': %s",
                    action, gerr ? gerr->message : "no system bus");
        return VMMD_AUTH_POLKIT_ERROR;
    }
    return authCheckResult(reply, action);
}
