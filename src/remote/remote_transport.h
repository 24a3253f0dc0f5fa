/*
 * remote_transport.h: the byte stream under one remote connection: a
 * connected unix or TCP socket, or a TLS session over TCP
 * (remote_tls.c), read and written without blocking.
 *
 * The RPC client (remote_client.c) only ever calls the functions below,
 * never read(2)/write(2) on the descriptor. Nothing here knows about
 * messages.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "remote_tls.h"

typedef struct _remoteTransport remoteTransport;

/* Connects to the unix socket at @path. Failure raises VMM_ERR_SYSTEM_ERROR
 * (domain VMM_FROM_RPC) naming the path. */
int remoteTransportOpenUnix(const char *path, remoteTransport **ret_transport);

/* Connects to @host:@port over TCP, trying each address the name resolves
 * to. */
int remoteTransportOpenTCP(const char *host, int port,
                           remoteTransport **ret_transport);

/* Connects to @host:@port over TCP and runs the TLS handshake and checks
 * of @opts (whose host is @host) over it. */
int remoteTransportOpenTLS(const char *host, int port,
                           const remoteTLSOptions *opts,
                           remoteTransport **ret_transport);

void remoteTransportFree(remoteTransport *transport);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(remoteTransport, remoteTransportFree)

/* The descriptor to poll(2) on. */
int remoteTransportFD(const remoteTransport *transport);

/* True for transports that encrypt (TLS) and for those a
 * third party cannot see (unix sockets), as vmmConnectIsEncrypted and
 * vmmConnectIsSecure report them. */
bool remoteTransportIsEncrypted(const remoteTransport *transport);
bool remoteTransportIsSecure(const remoteTransport *transport);

/* Moves up to @len bytes. Return the count moved, 0 when the socket would
 * block, or -1 with errno set and nothing raised: they run on the client's
 * I/O thread, which hands the failure to the callers waiting on it rather
 * than raising it in a thread nobody watches. Read also returns -1 at end
 * of file, with *ret_eof set, so the caller can tell a peer that hung up
 * from one that failed. */
ssize_t remoteTransportRead(remoteTransport *transport, char *buf, size_t len,
                            bool *ret_eof);
ssize_t remoteTransportWrite(remoteTransport *transport, const char *buf,
                             size_t len);

/* Whether bytes already arrived that poll(2) on the descriptor would not
 * report (TLS records decrypted ahead): read before polling again. */
bool remoteTransportHasPending(remoteTransport *transport);

/* Stops both directions at once, so a peer and our own poll(2) see the
 * end without waiting for the descriptor to be closed. */
void remoteTransportShutdown(remoteTransport *transport);
