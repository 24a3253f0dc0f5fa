/*
 * vmmd_server.h: the daemon's listening sockets and the clients they
 * accepted, and the worker pool that runs their calls.
 *
 * UNIX sockets: a read-write one and a read-only one whose clients may
 * make read-only calls alone, whatever they ask for. TCP sockets (vmmd
 * --listen): plain, or TLS, whose connections are served only once
 * through the handshake and the client-certificate check, and of which
 * at most max_anonymous_clients are in that state at a time (the oldest
 * is dropped for a newcomer). Each accepted client gets the remote
 * program's state and keepalive, and is limited by max_clients and
 * max_client_requests. Everything here runs on the main loop.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "vmmd_config.h"
#include "vmmd_tls.h"

typedef struct _vmmdServer vmmdServer;

/* Starts the worker pool; listens on nothing yet. @cfg must outlive the
 * server. */
int vmmdServerNew(const vmmdConfig *cfg, vmmdServer **ret_server);

/* Frees the server: closes every client and joins the workers (finishing
 * the calls they run). Removes the sockets it still listens on. */
void vmmdServerFree(vmmdServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdServer, vmmdServerFree)

/* Listens on the UNIX socket @path (a stale one is replaced), with
 * permissions @mode and, when @group is set, that group. */
int vmmdServerAddUnixSocket(vmmdServer *server, const char *path, mode_t mode,
                            const char *group, bool readonly);

/* Gives the server the TLS credentials its TLS listeners use. */
void vmmdServerSetTLS(vmmdServer *server, vmmdTLSContext *ctx);

/* Listens on @port of @addr (NULL: every local address; each address
 * it resolves to gets a socket). With @tls (vmmdServerSetTLS first),
 * connections are TLS. Fails only when no address could be bound. */
int vmmdServerAddTCPSocket(vmmdServer *server, const char *addr,
                           const char *port, bool tls);

/* Stops accepting clients and removes the socket files; connections
 * still in their TLS handshake are dropped. */
void vmmdServerStopListening(vmmdServer *server);

/* Clients connected now. */
unsigned int vmmdServerClientCount(vmmdServer *server);

/* Calls queued or running in workers. */
unsigned int vmmdServerCallsInFlight(vmmdServer *server);

/* Lets every client finish: no more calls are read, those in flight
 * are answered, and each connection closes once its output is written. */
void vmmdServerDrainClients(vmmdServer *server);

/* Closes every client connection (their teardown follows on the loop). */
void vmmdServerCloseClients(vmmdServer *server);
