/*
 * vmmd_server.c: listeners, accepted clients and the worker pool (see
 * vmmd_server.h).
 */
#include <config.h>

#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
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
    char *path; /* the socket file, or "ADDRESS:PORT" for TCP */
    int fd;
    int watch;
    bool readonly;
    bool tcp;
    bool tls; /* TCP connections go through the TLS handshake first */
} vmmdListener;

struct _vmmdServer {
    const vmmdConfig *cfg;
    vmmdWorkerPool *pool;
    GPtrArray *listeners; /* vmmdListener * */
    GHashTable *clients;  /* vmmdClient * (a reference) -> itself */
    vmmdTLSContext *tls;  /* of the TLS listeners */
    GQueue handshakes;    /* vmmdTLSHandshake *, oldest first */
    bool anonymousFullLogged;
};

static void listenerFree(vmmdListener *lst)
{
    if (lst->watch)
        eventRemoveWatch(lst->watch);
    if (lst->fd >= 0) {
        close(lst->fd);
        if (!lst->tcp && unlink(lst->path) < 0 && errno != ENOENT)
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
    g_queue_init(&server->handshakes);
    if (vmmdWorkerPoolNew(cfg->min_workers, cfg->max_workers, cfg->prio_workers,
                          vmmdDispatchWorker, server, &server->pool) < 0)
        return -1;
    *ret_server = g_steal_pointer(&server);
    return 0;
}

void vmmdServerStopListening(vmmdServer *server)
{
    g_ptr_array_set_size(server->listeners, 0);
    /* Connections not yet through their handshake never become clients. */
    g_queue_clear_full(&server->handshakes,
                       (GDestroyNotify)vmmdTLSHandshakeFree);
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
    g_queue_clear_full(&server->handshakes,
                       (GDestroyNotify)vmmdTLSHandshakeFree);
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
    vmmdTLSContextFree(server->tls);
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

/* Serves @fd as a client; @tls, when set, carries its I/O. */
static void serverClientAdd(vmmdServer *server, int fd, bool readonly,
                            vmmdTLSSession *tls, const char *where)
{
    const vmmdConfig *cfg = server->cfg;
    vmmdClient *client = vmmdClientNew(fd, readonly, cfg->max_client_requests,
                                       &serverClientHandlers, server);

    if (tls)
        vmmdClientSetTLS(client, tls);
    vmmdRemoteClientAttach(client);
    vmmdKeepaliveAttach(client, cfg->keepalive_interval, cfg->keepalive_count);
    g_hash_table_add(server->clients, client);
    VMM_DEBUG("client %llu: accepted on '%s'", vmmdClientGetId(client), where);
    vmmdClientStart(client);
}

static void serverHandshakeDone(vmmdTLSHandshake *hs, int fd,
                                vmmdTLSSession *session, void *opaque)
{
    vmmdServer *server = opaque;

    g_queue_remove(&server->handshakes, hs);
    vmmdTLSHandshakeFree(hs);
    if (!session) {
        close(fd);
        return;
    }
    serverClientAdd(server, fd, false, session, "TLS");
}

/* "ADDRESS:PORT" of the peer of @fd, for logs. */
static char *serverPeerName(int fd)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (getpeername(fd, (struct sockaddr *)&addr, &len) < 0 ||
        getnameinfo((struct sockaddr *)&addr, len, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return g_strdup("(unknown)");
    return g_strdup_printf(addr.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
                           host, port);
}

/* Connections that have not proved who they are yet are capped
 * (max_anonymous_clients, 0: no cap). At the cap the oldest one goes: a
 * real client is through in milliseconds, so whoever has waited longest
 * is most likely one that never will be, and idle connections can
 * neither use up max_clients nor lock good clients out. Logged once. */
static void serverMakeAnonymousRoom(vmmdServer *server, const char *where)
{
    unsigned int max = server->cfg->max_anonymous_clients;

    if (max == 0 || server->handshakes.length < max)
        return;
    if (!server->anonymousFullLogged)
        VMM_WARN("max_anonymous_clients (%u) connections on '%s' are in "
                 "their TLS handshake: dropping the oldest for each new one",
                 max, where);
    server->anonymousFullLogged = true;
    while (server->handshakes.length >= max)
        vmmdTLSHandshakeFree(g_queue_pop_head(&server->handshakes));
}

static void serverAccept(int watch, int fd, int events, void *opaque)
{
    vmmdListener *lst = opaque;
    vmmdServer *server = lst->server;
    const vmmdConfig *cfg = server->cfg;
    g_autofree char *peer = NULL;
    int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    vmmdTLSHandshake *hs;

    if (cfd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            VMM_WARN("cannot accept a client on '%s': %s", lst->path,
                     g_strerror(errno));
        return;
    }
    if (g_hash_table_size(server->clients) + server->handshakes.length >=
        cfg->max_clients) {
        VMM_WARN("refusing a client on '%s': max_clients (%u) reached",
                 lst->path, cfg->max_clients);
        close(cfd);
        return;
    }
    if (!lst->tls) {
        serverClientAdd(server, cfd, lst->readonly, NULL, lst->path);
        return;
    }
    serverMakeAnonymousRoom(server, lst->path);
    peer = serverPeerName(cfd);
    hs = vmmdTLSHandshakeStart(server->tls, cfd, peer, serverHandshakeDone,
                               server);
    g_queue_push_tail(&server->handshakes, hs);
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

/* A listening socket at @path; -1 on failure. It is bound under a
 * temporary name, given its owner and mode, made to listen, and only then
 * renamed to @path: a client that sees the file can connect at once, and
 * nobody can connect before the permissions are right. */
static int serverUnixListen(const char *path, mode_t mode, const char *group,
                            int backlog)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    g_autofree char *tmp = g_strdup_printf("%s.new", path);
    int fd;

    if (strlen(tmp) >= sizeof(addr.sun_path)) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG,
                    "socket path '%s' is longer than %zu bytes", path,
                    sizeof(addr.sun_path) - 1 - strlen(".new"));
        return -1;
    }
    g_strlcpy(addr.sun_path, tmp, sizeof(addr.sun_path));
    /* The pid file lock says no other daemon owns them: files there are
     * leftovers of one that died. */
    if (fileRemoveIfExists(path) < 0 || fileRemoveIfExists(tmp) < 0)
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
    if (serverSocketSetOwner(tmp, mode, group) < 0 ||
        listen(fd, backlog) < 0 || rename(tmp, path) < 0) {
        if (!errorIsSet())
            errorReportSystem(VMM_FROM_NONE, errno,
                              "cannot listen on socket '%s'", path);
        close(fd);
        unlink(tmp);
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

/* ---- TCP listeners ---- */

void vmmdServerSetTLS(vmmdServer *server, vmmdTLSContext *ctx)
{
    vmmdTLSContextFree(server->tls);
    server->tls = ctx;
}

/* A socket listening on @ai; -1 with errno set on failure. */
static int serverTCPListenOne(const struct addrinfo *ai, int backlog)
{
    int on = 1;
    int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai->ai_protocol);

    if (fd < 0)
        return -1;
    /* A restarted daemon must not wait for old connections' TIME_WAIT;
     * "::" must not take the IPv4 port the "0.0.0.0" listener wants. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
        (ai->ai_family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0) ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, backlog) < 0) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

static void serverAddTCPListener(vmmdServer *server, int fd, const char *name,
                                 bool tls)
{
    vmmdListener *lst = g_new0(vmmdListener, 1);

    lst->server = server;
    lst->path = g_strdup(name);
    lst->fd = fd;
    lst->tcp = true;
    lst->tls = tls;
    lst->watch = eventAddWatch(fd, EVENT_READABLE, serverAccept, lst, NULL);
    g_ptr_array_add(server->listeners, lst);
    VMM_INFO("listening for %s connections on %s", tls ? "TLS" : "TCP", name);
}

static char *serverAddrName(const struct addrinfo *ai)
{
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return g_strdup("(unknown)");
    return g_strdup_printf(ai->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
                           host, port);
}

int vmmdServerAddTCPSocket(vmmdServer *server, const char *addr,
                           const char *port, bool tls)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_ADDRCONFIG};
    struct addrinfo *addrs = NULL;
    int backlog = MIN(MAX(server->cfg->max_queued_clients, 1), SOMAXCONN);
    int gai, bound = 0, err = 0;

    if (tls && !server->tls) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "a TLS listener needs the TLS credentials first");
        return -1;
    }
    if ((gai = getaddrinfo(addr, port, &hints, &addrs)) != 0) {
        errorReport(VMM_FROM_CONF, VMM_ERR_CONF_SYNTAX,
                    "cannot listen on '%s' port '%s': %s",
                    addr ? addr : "(any)", port, gai_strerror(gai));
        return -1;
    }
    for (const struct addrinfo *ai = addrs; ai; ai = ai->ai_next) {
        g_autofree char *name = serverAddrName(ai);
        int fd = serverTCPListenOne(ai, backlog);

        if (fd < 0) {
            err = errno;
            VMM_DEBUG("cannot listen on %s: %s", name, g_strerror(err));
            continue;
        }
        serverAddTCPListener(server, fd, name, tls);
        bound++;
    }
    freeaddrinfo(addrs);
    if (bound == 0) {
        errorReportSystem(VMM_FROM_NONE, err, "cannot listen on '%s' port %s",
                          addr ? addr : "(any)", port);
        return -1;
    }
    return 0;
}
