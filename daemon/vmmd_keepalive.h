/*
 * vmmd_keepalive.h: the keepalive program on the daemon's side of one
 * client connection.
 *
 * A PING from the client is answered with a PONG at once, on the main
 * loop. Once the client has said it speaks the program (SUPPORTS_FEATURE
 * 10), the daemon also checks on it: after keepalive_interval seconds in
 * which nothing arrived it sends a PING, one more every interval, and
 * after keepalive_count of them went unanswered (nothing at all arrived)
 * it closes the connection. An interval <= 0 disables the checks.
 */
#pragma once

#include "rpc_message.h"
#include "vmmd_client.h"

/* Attaches keepalive state to @client (freed with it). */
void vmmdKeepaliveAttach(vmmdClient *client, int interval, unsigned int count);

/* Starts the checks; any thread. Idempotent. */
void vmmdKeepaliveStart(vmmdClient *client);

/* Stops the checks (the client is closing). On the main loop. */
void vmmdKeepaliveStop(vmmdClient *client);

/* Something arrived from the client: it is alive. */
void vmmdKeepaliveNoteActivity(vmmdClient *client);

/* A message of the keepalive program; takes @msg. On the main loop. */
void vmmdKeepaliveHandle(vmmdClient *client, rpcMessage *msg);
