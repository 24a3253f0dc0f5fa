/*
 * remote_transport.c: connecting the socket under a remote connection and
 * moving bytes over it (see remote_transport.h). Every descriptor is
 * opened close-on-exec and non-blocking: the client's I/O thread polls it
 * and must never sleep inside read or write.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "remote_transport.h"
#include "util_error.h"

typedef enum {
    REMOTE_TRANSPORT_UNIX,
    REMOTE_TRANSPORT_TCP,
    REMOTE_TRANSPORT_TLS,
} remoteTransportKind;

struct _remoteTransport {
    remoteTransportKind kind;
    int fd;
    remoteTLS *tls; /* REMOTE_TRANSPORT_TLS */
};

static remoteTransport *remoteTransportNew(remoteTransportKind kind, int fd)
{
    remoteTransport *transport = g_new0(remoteTransport, 1);

    transport->kind = kind;
    transport->fd = fd;
    return transport;
}

void remoteTransportFree(remoteTransport *transport)
{
    if (!transport)
        return;
    remoteTLSFree(transport->tls);
    if (transport->fd >= 0)
        close(transport->fd);
    g_free(transport);
}

/* Connecting blocks (a local socket answers at once, and a TCP connect
 * has nothing else to do meanwhile); the descriptor turns non-blocking
 * once connected. */
static int remoteTransportSetNonBlocking(int fd, const char *what)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        errorReportSystem(VMM_FROM_RPC, errno,
                          "cannot make the socket to %s non-blocking", what);
        return -1;
    }
    return 0;
}

int remoteTransportOpenUnix(const char *path, remoteTransport **ret_transport)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errorReport(VMM_FROM_RPC, VMM_ERR_INVALID_ARG,
                    "socket path '%s' is too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        errorReportSystem(VMM_FROM_RPC, errno, "cannot create a unix socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        errorReportSystem(VMM_FROM_RPC, errno, "cannot connect to socket '%s'",
                          path);
        close(fd);
        return -1;
    }
    if (remoteTransportSetNonBlocking(fd, path) < 0) {
        close(fd);
        return -1;
    }
    *ret_transport = remoteTransportNew(REMOTE_TRANSPORT_UNIX, fd);
    return 0;
}

/* The first address of @addrs that accepts a connection, or -1 with
 * errno of the last attempt in @ret_errno. */
static int remoteTransportConnectAny(const struct addrinfo *addrs,
                                     int *ret_errno)
{
    int err = ECONNREFUSED;

    for (const struct addrinfo *ai = addrs; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                        ai->ai_protocol);

        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            return fd;
        err = errno;
        close(fd);
    }
    *ret_errno = err;
    return -1;
}

int remoteTransportOpenTCP(const char *host, int port,
                           remoteTransport **ret_transport)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_ADDRCONFIG};
    struct addrinfo *addrs = NULL;
    g_autofree char *service = g_strdup_printf("%d", port);
    int fd, gai, err = 0;

    gai = getaddrinfo(host, service, &hints, &addrs);
    if (gai != 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_UNKNOWN_HOST,
                    "cannot resolve host '%s': %s", host, gai_strerror(gai));
        return -1;
    }
    fd = remoteTransportConnectAny(addrs, &err);
    freeaddrinfo(addrs);
    if (fd < 0) {
        errorReportSystem(VMM_FROM_RPC, err, "cannot connect to %s:%d", host,
                          port);
        return -1;
    }
    if (remoteTransportSetNonBlocking(fd, host) < 0) {
        close(fd);
        return -1;
    }
    *ret_transport = remoteTransportNew(REMOTE_TRANSPORT_TCP, fd);
    return 0;
}

int remoteTransportOpenTLS(const char *host, int port,
                           const remoteTLSOptions *opts,
                           remoteTransport **ret_transport)
{
    g_autoptr(remoteTransport) transport = NULL;
    g_autoptr(remoteTLS) tls = NULL;

    /* Files first: a missing one is not worth a connection. */
    if (remoteTLSNew(opts, &tls) < 0 ||
        remoteTransportOpenTCP(host, port, &transport) < 0 ||
        remoteTLSHandshake(tls, transport->fd) < 0)
        return -1;
    transport->kind = REMOTE_TRANSPORT_TLS;
    transport->tls = g_steal_pointer(&tls);
    *ret_transport = g_steal_pointer(&transport);
    return 0;
}

int remoteTransportFD(const remoteTransport *transport)
{
    return transport->fd;
}

bool remoteTransportIsEncrypted(const remoteTransport *transport)
{
    return transport->kind == REMOTE_TRANSPORT_TLS;
}

bool remoteTransportIsSecure(const remoteTransport *transport)
{
    return transport->kind == REMOTE_TRANSPORT_UNIX ||
           transport->kind == REMOTE_TRANSPORT_TLS;
}

bool remoteTransportHasPending(remoteTransport *transport)
{
    return transport->tls && remoteTLSPending(transport->tls) > 0;
}

ssize_t remoteTransportRead(remoteTransport *transport, char *buf, size_t len,
                            bool *ret_eof)
{
    ssize_t n;

    if (transport->tls)
        return remoteTLSRead(transport->tls, buf, len, ret_eof);
    *ret_eof = false;
    do {
        n = recv(transport->fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        return n;
    if (n == 0) {
        *ret_eof = true;
        return -1;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    return -1;
}

ssize_t remoteTransportWrite(remoteTransport *transport, const char *buf,
                             size_t len)
{
    ssize_t n;

    if (transport->tls)
        return remoteTLSWrite(transport->tls, buf, len);
    /* MSG_NOSIGNAL: a server gone away is an error to report, not a
     * SIGPIPE that kills the program. */
    do {
        n = send(transport->fd, buf, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    return -1;
}

void remoteTransportShutdown(remoteTransport *transport)
{
    shutdown(transport->fd, SHUT_RDWR);
}
