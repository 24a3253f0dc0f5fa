/*
 * vmmd_dispatch.h: the one place that decides what happens to every
 * message a client sends.
 *
 * On the main loop (vmmdDispatchMessage): keepalive messages are answered
 * at once; calls go to the worker pool, high-priority ones (by the .x
 * annotation) to its priority queue; anything else a client has no
 * business sending is dropped.
 *
 * In a worker (vmmdDispatchWorker), for each call, in order: program and
 * version known? procedure known (else VMM_ERR_NO_SUPPORT)? connection
 * open? write refused on a read-only client (VMM_ERR_OPERATION_DENIED,
 * from the readonly annotation)? arguments decodable? Then the
 * hand-written handler (daemon/vmmd_remote_*.c) or the generated one
 * (src/rpc, remoteDispatchTable) runs, and its result or error is queued
 * as the reply. A call is always answered; only a client whose bytes are
 * not messages at all is disconnected (vmmd_client.c).
 */
#pragma once

#include <vmm/vmm.h>

#include "rpc_message.h"
#include "vmmd_client.h"
#include "vmmd_workers.h"

/* A hand-written handler: @conn is the client's hypervisor connection
 * (NULL only for the procedures that run before CONNECT_OPEN). Returns 0,
 * or -1 with the thread's last error set. */
typedef int (*vmmdRemoteHandler)(vmmdClient *client, vmmConnectPtr conn,
                                 void *args, void *ret);

/* On the main loop: takes @msg, a complete message from @client. */
void vmmdDispatchMessage(vmmdWorkerPool *pool, vmmdClient *client,
                         rpcMessage *msg);

/* The vmmdWorkerFunc of the daemon's pool. */
void vmmdDispatchWorker(void *job, void *opaque);
