/*
 * vmmd_server.h: the daemon's listening sockets and the clients they
 * accepted, and the worker pool that runs their calls.
 *
 * UNIX sockets only so far: a read-write one and a read-only one whose
 * clients may make read-only calls alone, whatever they ask for. Each
 * accepted client gets the remote program's state and keepalive, and is
 * limited by max_clients and max_client_requests. Everything here runs on
 * the main loop.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "vmmd_config.h"

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

/* Stops accepting clients and removes the socket files. */
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
