/*
 * vmmd_server.c: listeners, accepted clients and the worker pool (see
 * vmmd_server.h).
 */
#include <config.h>

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util_error.h"
#include "util_event.h"
#include "util_file.h"
#include "util_log.h"
#include "vmmd_dispatch.h"
#include "vmmd_keepalive.h"
#include "vmmd_remote_connect.h"
#include "vmmd_server.h"

VMM_LOG_INIT("daemon.server");

typedef struct {
    vmmdServer *server;
    char *path;
    int fd;
    int watch;
    bool readonly;
} vmmdListener;

struct _vmmdServer {
    const vmmdConfig *cfg;
    vmmdWorkerPool *pool;
    GPtrArray *listeners; /* vmmdListener * */
    GHashTable *clients;  /* vmmdClient * (a reference) -> itself */
};

static void listenerFree(vmmdListener *lst)
{
    if (lst->watch)
        eventRemoveWatch(lst->watch);
    if (lst->fd >= 0) {
        close(lst->fd);
        if (unlink(lst->path) < 0 && errno != ENOENT)
            VMM_WARN("cannot remove socket '%s': %s", lst->path,
                     g_strerror(errno));
    }
    g_free(lst->path);
    g_free(lst);
}

int vmmdServerNew(const vmmdConfig *cfg, vmmdServer **ret_server)
{
    g_autoptr(vmmdServer) server = g_new0(vmmdServer, 1);

    server->cfg = cfg;
    server->listeners =
        g_ptr_array_new_with_free_func((GDestroyNotify)listenerFree);
    server->clients = g_hash_table_new_full(
        NULL, NULL, (GDestroyNotify)vmmdClientUnref, NULL);
    if (vmmdWorkerPoolNew(cfg->min_workers, cfg->max_workers, cfg->prio_workers,
                          vmmdDispatchWorker, server, &server->pool) < 0)
        return -1;
    *ret_server = g_steal_pointer(&server);
    return 0;
}

void vmmdServerStopListening(vmmdServer *server)
{
    g_ptr_array_set_size(server->listeners, 0);
}

void vmmdServerCloseClients(vmmdServer *server)
{
    GHashTableIter iter;
    gpointer client;

    g_hash_table_iter_init(&iter, server->clients);
    while (g_hash_table_iter_next(&iter, &client, NULL))
        vmmdClientClose(client);
}

void vmmdServerFree(vmmdServer *server)
{
    if (!server)
        return;
    g_ptr_array_unref(server->listeners);
    if (server->clients)
        vmmdServerCloseClients(server);
    /* Joining lets running calls finish; their replies go nowhere. */
    vmmdWorkerPoolFree(server->pool);
    if (server->clients) {
        /* Each client's teardown (letting go of its hypervisor
         * connection) is queued on the loop. */
        while (g_hash_table_size(server->clients) > 0 &&
               g_main_context_iteration(NULL, FALSE))
            ;
        g_hash_table_unref(server->clients);
    }
    g_free(server);
}

unsigned int vmmdServerClientCount(vmmdServer *server)
{
    return g_hash_table_size(server->clients);
}

unsigned int vmmdServerCallsInFlight(vmmdServer *server)
{
    return vmmdWorkerPoolPending(server->pool);
}

void vmmdServerDrainClients(vmmdServer *server)
{
    GHashTableIter iter;
    gpointer client;

    g_hash_table_iter_init(&iter, server->clients);
    while (g_hash_table_iter_next(&iter, &client, NULL))
        vmmdClientCloseWhenFlushed(client);
}

/* ---- Clients ---- */

static void serverClientMessage(vmmdClient *client, rpcMessage *msg,
                                void *opaque)
{
    vmmdServer *server = opaque;

    vmmdDispatchMessage(server->pool, client, msg);
}

static void serverClientClosed(vmmdClient *client, void *opaque)
{
    vmmdServer *server = opaque;

    VMM_DEBUG("client %llu: gone", vmmdClientGetId(client));
    vmmdKeepaliveStop(client);
    g_hash_table_remove(server->clients, client);
}

static const vmmdClientHandlers serverClientHandlers = {
    .message = serverClientMessage,
    .closed = serverClientClosed,
};

static void serverAccept(int watch, int fd, int events, void *opaque)
{
    vmmdListener *lst = opaque;
    vmmdServer *server = lst->server;
    const vmmdConfig *cfg = server->cfg;
    vmmdClient *client;
    int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (cfd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            VMM_WARN("cannot accept a client on '%s': %s", lst->path,
                     g_strerror(errno));
        return;
    }
    if (g_hash_table_size(server->clients) >= cfg->max_clients) {
        VMM_WARN("refusing a client on '%s': max_clients (%u) reached",
                 lst->path, cfg->max_clients);
        close(cfd);
        return;
    }
    client = vmmdClientNew(cfd, lst->readonly, cfg->max_client_requests,
                           &serverClientHandlers, server);
    vmmdRemoteClientAttach(client);
    vmmdKeepaliveAttach(client, cfg->keepalive_interval, cfg->keepalive_count);
    g_hash_table_add(server->clients, client);
    VMM_DEBUG("client %llu: accepted on '%s'", vmmdClientGetId(client),
              lst->path);
    vmmdClientStart(client);
}

/* ---- Listeners ---- */

static int serverSocketSetOwner(const char *path, mode_t mode,
                                const char *group)
{
    if (group) {
        struct group *gr = getgrnam(group);

        if (!gr) {
            errorReport(VMM_FROM_NONE, VMM_ERR_CONF_SYNTAX,
                        "unix_sock_group: no group named '%s'", group);
            return -1;
        }
        if (chown(path, (uid_t)-1, gr->gr_gid) < 0) {
            errorReportSystem(VMM_FROM_NONE, errno,
                              "cannot give socket '%s' to group '%s'", path,
                              group);
            return -1;
        }
    }
    if (chmod(path, mode) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno,
                          "cannot set permissions of socket '%s'", path);
        return -1;
    }
    return 0;
}

/* A listening socket bound to @path; -1 on failure. */
static int serverUnixListen(const char *path, mode_t mode, const char *group,
                            int backlog)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG,
                    "socket path '%s' is longer than %zu bytes", path,
                    sizeof(addr.sun_path) - 1);
        return -1;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    /* The pid file lock says no other daemon owns it: a file there is a
     * leftover of one that died. */
    if (fileRemoveIfExists(path) < 0)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot create a socket");
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot bind socket '%s'",
                          path);
        close(fd);
        return -1;
    }
    if (serverSocketSetOwner(path, mode, group) < 0 ||
        listen(fd, backlog) < 0) {
        if (!errorIsSet())
            errorReportSystem(VMM_FROM_NONE, errno,
                              "cannot listen on socket '%s'", path);
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;
}

int vmmdServerAddUnixSocket(vmmdServer *server, const char *path, mode_t mode,
                            const char *group, bool readonly)
{
    vmmdListener *lst;
    int backlog = MIN(MAX(server->cfg->max_queued_clients, 1), SOMAXCONN);
    int fd = serverUnixListen(path, mode, group, backlog);

    if (fd < 0)
        return -1;
    lst = g_new0(vmmdListener, 1);
    lst->server = server;
    lst->path = g_strdup(path);
    lst->fd = fd;
    lst->readonly = readonly;
    lst->watch = eventAddWatch(fd, EVENT_READABLE, serverAccept, lst, NULL);
    g_ptr_array_add(server->listeners, lst);
    VMM_INFO("listening on '%s'%s, mode %04o", path,
             readonly ? " (read-only)" : "", (unsigned int)mode);
    return 0;
}
