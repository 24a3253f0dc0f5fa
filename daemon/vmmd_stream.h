/*
 * vmmd_stream.h: streams between a client and a local driver's stream
 * (a guest console today). A call whose procedure opens a stream (the
 * .x's @stream annotation) is run here; once its reply is queued, data
 * flows both ways as stream messages (type 3) carrying the call's
 * procedure and serial:
 *
 *   status continue + bytes   data
 *   status continue, empty    end of file from the sender
 *   status ok, empty          the client finishes; confirmed the same way
 *   status error              abort (from the client: confirmed by an
 *                             empty ok; from us: the error record)
 *
 * Flow control: the local stream is not read while the client's output
 * queue is long, and the client's socket is not read while the local
 * stream does not take what the client sent (vmmdClientHoldInput).
 *
 * Everything but vmmdStreamRunCall runs on the main loop.
 */
#pragma once

#include <vmm/vmm.h>

#include "rpc_message.h"
#include "rpc_program.h"
#include "vmmd_client.h"

typedef struct _vmmdStream vmmdStream;

/* In a worker: runs the stream-opening call @msg of procedure @info with
 * its decoded @args. On success the call's reply is empty and
 * @ret_stream is the stream, registered to @client, for vmmdStreamStart
 * once that reply is queued. -1 with the error set otherwise. */
int vmmdStreamRunCall(vmmdClient *client, vmmConnectPtr conn,
                      const rpcProcInfo *info, const rpcMessage *msg,
                      void *args, vmmdStream **ret_stream);

/* Lets data flow (any thread); the reply must already be queued. */
void vmmdStreamStart(vmmdStream *stream);

/* Drops a stream whose reply could not be sent (any thread). */
void vmmdStreamDiscard(vmmdStream *stream);

/* A stream message (type 3) from @client; takes @msg. */
void vmmdStreamHandleMessage(vmmdClient *client, rpcMessage *msg);

/* @client is going away: aborts every stream it still has. */
void vmmdStreamClientClosed(vmmdClient *client);
