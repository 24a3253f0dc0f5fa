/*
 * vmmd_client.h: one connected client of the daemon: its socket watched
 * on the main loop, the message being read, the bounded queue of messages
 * waiting to be written, and the count of its calls in flight.
 *
 * Reading, writing and closing the socket happen on the main loop only.
 * Workers (and event callbacks) hand messages in with vmmdClientQueue and
 * report finished calls with vmmdClientCallEnd; both are thread safe.
 * What a message means is not decided here: every complete message goes
 * to the handler given at creation (vmmd_dispatch.c).
 *
 * Life cycle: vmmdClientNew, vmmdClientStart; vmmdClientClose (any
 * thread, any number of times) stops the socket; once no call is in
 * flight any more, the private data's close function runs on the loop
 * (this is where the remote program lets go of its hypervisor connection)
 * and then the closed handler. The object itself lives until the last
 * reference goes.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "rpc_message.h"
#include "vmmd_tls.h"

typedef struct _vmmdClient vmmdClient;

/* Bounds on what may wait in one client's output queue. A client that
 * does not read its socket is disconnected when it has more queued than
 * this, so it never costs the daemon more memory or blocks others. */
#define VMMD_CLIENT_OUTPUT_MAX_BYTES (2 * (size_t)RPC_MESSAGE_LENGTH_MAX)
#define VMMD_CLIENT_OUTPUT_MAX_MESSAGES 4096

typedef struct {
    /* A complete message whose header decoded; the handler owns @msg. On
     * the main loop. */
    void (*message)(vmmdClient *client, rpcMessage *msg, void *opaque);
    /* The client is closed and torn down; called once, on the main loop. */
    void (*closed)(vmmdClient *client, void *opaque);
} vmmdClientHandlers;

/* Takes @fd (a connected, non-blocking socket; closed with the client).
 * @readonly: it came in on the read-only socket. @maxRequests: calls in
 * flight at most before the client's socket is no longer read. */
vmmdClient *vmmdClientNew(int fd, bool readonly, unsigned int maxRequests,
                          const vmmdClientHandlers *handlers, void *opaque);
vmmdClient *vmmdClientRef(vmmdClient *client);
void vmmdClientUnref(vmmdClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdClient, vmmdClientUnref)

/* Makes the connection's I/O go through the established TLS @session,
 * which the client takes. Before vmmdClientStart. */
void vmmdClientSetTLS(vmmdClient *client, vmmdTLSSession *session);

/* Starts watching the socket. On the main loop. */
void vmmdClientStart(vmmdClient *client);

/* A number naming the client in logs. */
unsigned long long vmmdClientGetId(vmmdClient *client);
bool vmmdClientIsReadOnly(vmmdClient *client);
/* The peer's credentials (SO_PEERCRED), -1 when unknown: always for
 * clients that came over TCP or TLS. */
void vmmdClientGetPeer(vmmdClient *client, pid_t *ret_pid, uid_t *ret_uid,
                       gid_t *ret_gid);

/* Data of the program the client speaks (vmmd_remote_connect.c).
 * @closeFunc runs once on the main loop when the client is torn down
 * (no call in flight any more); @freeFunc when the client is freed. */
void vmmdClientSetPrivate(vmmdClient *client, void *data,
                          void (*closeFunc)(void *data),
                          void (*freeFunc)(void *data));
void *vmmdClientGetPrivate(vmmdClient *client);

/* Keepalive state (vmmd_keepalive.c), freed with the client. */
void vmmdClientSetKeepalive(vmmdClient *client, void *keepalive,
                            void (*freeFunc)(void *keepalive));
void *vmmdClientGetKeepalive(vmmdClient *client);

/* Queues @msg (encoded, buffer ready from offset 0) for sending; takes it
 * in every case. A closed client drops it; an overfull queue closes the
 * client. Any thread. */
void vmmdClientQueue(vmmdClient *client, rpcMessage *msg);

/* Bytes waiting in the output queue: streams stop reading their source
 * while it is long (vmmd_stream.c). Any thread. */
size_t vmmdClientQueuedBytes(vmmdClient *client);

/* Stream flow control: while at least one hold is on, the socket is not
 * read, so a client cannot push stream data faster than its sink takes
 * it. Holds nest; each true is undone by one false. Any thread. */
void vmmdClientHoldInput(vmmdClient *client, bool hold);

/* Book-keeping of calls in flight: Begin when a call goes to a worker,
 * End once its reply is queued. Any thread. */
void vmmdClientCallBegin(vmmdClient *client);
void vmmdClientCallEnd(vmmdClient *client);

/* Reads nothing more, and closes the connection once the calls in
 * flight are answered and everything queued is written. Any thread. */
void vmmdClientCloseWhenFlushed(vmmdClient *client);

/* Closes the connection now; queued output is dropped. Any thread. */
void vmmdClientClose(vmmdClient *client);
bool vmmdClientIsClosed(vmmdClient *client);
