/*
 * remote_client.h: one RPC connection to vmmd (or libvirtd), shared by
 * every thread that calls through it.
 *
 * A dedicated I/O thread owns the socket: it writes queued messages,
 * reads whatever arrives and hands each reply to the caller waiting on its
 * serial, so calls from many threads are pipelined and their replies may
 * come back in any order. Event messages go to the event function given
 * at creation; keepalive PINGs are answered here, and our own PINGs sent
 * after a quiet interval. When the connection drops, every waiting call
 * fails with the reason and the closed function runs once.
 *
 * It knows the framing (src/rpc) and the remote program's procedure table,
 * not what the procedures mean: that is remote_driver.c's.
 */
#pragma once

#include <stdbool.h>

#include "remote_transport.h"
#include "rpc_message.h"
#include "rpc_program.h"

typedef struct _remoteClient remoteClient;

/* An event message of the remote program: @proc says which, @msg is its
 * decoded payload (proc->argsFilter), freed after the call returns. Runs
 * on the I/O thread: queue the event, do not call the API from here. */
typedef void (*remoteClientEventFunc)(const rpcProcInfo *proc, void *msg,
                                      void *opaque);
/* The connection dropped (a vmmConnectCloseReason); runs once, on the I/O
 * thread, never for a close asked by remoteClientFree. */
typedef void (*remoteClientClosedFunc)(int reason, void *opaque);

/* Takes over @transport (also on failure) and starts the I/O thread.
 * @opaque must outlive the client. */
int remoteClientNew(remoteTransport *transport, remoteClientEventFunc eventFunc,
                    remoteClientClosedFunc closedFunc, void *opaque,
                    remoteClient **ret_client);

/* Stops the I/O thread (waiting calls fail), closes the socket, frees. */
void remoteClientFree(remoteClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(remoteClient, remoteClientFree)

/* Calls procedure @proc of the remote program with @args encoded by
 * @argsFilter, waits for the reply and decodes it into @ret_data (zeroed
 * by the caller; release with xdr_free(@retFilter)). RPC_XDR_VOID and NULL
 * stand for an empty payload. An error reply is re-raised as the server
 * sent it; a dropped connection fails with what ended it. */
int remoteClientCallProc(remoteClient *client, int proc, xdrproc_t argsFilter,
                         const void *args, xdrproc_t retFilter, void *ret_data);

/* Streams (remote_stream.c). A stream's messages (type 3) with @serial
 * go to @func, on the I/O thread, which takes the message; when the
 * connection drops, @func gets NULL once. Register before sending the
 * call that opens the stream (remoteClientCallProcSerial), so data right
 * behind its reply is not lost. */
typedef void (*remoteClientStreamFunc)(rpcMessage *msg, void *opaque);
unsigned int remoteClientNewSerial(remoteClient *client);
void remoteClientAddStream(remoteClient *client, unsigned int serial,
                           remoteClientStreamFunc func, void *opaque);
void remoteClientRemoveStream(remoteClient *client, unsigned int serial);
/* remoteClientCallProc with a serial from remoteClientNewSerial. */
int remoteClientCallProcSerial(remoteClient *client, unsigned int serial,
                               int proc, xdrproc_t argsFilter,
                               const void *args, xdrproc_t retFilter,
                               void *ret_data);
/* Queues @msg (encoded; taken in every case) without waiting for an
 * answer; -1 with the error set when the connection is gone. */
int remoteClientSendMessage(remoteClient *client, rpcMessage *msg);
/* Bytes queued and not yet written: streams stop sending while it is
 * long, so a slow server costs no unbounded memory here. */
size_t remoteClientQueuedBytes(remoteClient *client);

/* Starts sending PINGs after @interval seconds of silence from the
 * server, closing the connection after @count unanswered ones (reason
 * VMM_CONNECT_CLOSE_REASON_KEEPALIVE). Call only once the server said it
 * speaks the keepalive program. */
void remoteClientEnableKeepalive(remoteClient *client, int interval,
                                 unsigned int count);

/* False once the connection dropped. */
bool remoteClientIsAlive(remoteClient *client);

const remoteTransport *remoteClientTransport(const remoteClient *client);
