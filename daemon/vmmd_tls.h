/*
 * vmmd_tls.h: the daemon's side of TLS: x509 credentials loaded (and
 * sanity-checked) once at start, the non-blocking handshake of each
 * accepted connection on the main loop, the client-certificate checks
 * (CA, validity, revocation, DN allow list) and then the record I/O a
 * client connection does instead of read(2)/send(2).
 *
 * Nothing here knows about RPC messages: vmmd_server.c runs a handshake
 * per connection and hands the finished session to vmmd_client.c.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "vmmd_config.h"
#include "vmmd_paths.h"

/* How long a connection may take for its handshake and certificate
 * check; a peer that stalls longer is dropped. */
#define VMMD_TLS_HANDSHAKE_TIMEOUT_MS 10000

typedef struct _vmmdTLSContext vmmdTLSContext;
typedef struct _vmmdTLSSession vmmdTLSSession;
typedef struct _vmmdTLSHandshake vmmdTLSHandshake;

/* Loads the CA (and CRL, when there is one), the server certificate and
 * key named by @paths, checks (unless tls_no_sanity_certificate) that the
 * certificate is signed by the CA and valid now, and the tls_priority
 * string. Errors name the file at fault. */
int vmmdTLSContextNew(const vmmdConfig *cfg, const vmmdPaths *paths,
                      vmmdTLSContext **ret_ctx);
void vmmdTLSContextFree(vmmdTLSContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdTLSContext, vmmdTLSContextFree)

/* The end of a handshake: @session is the established session, or NULL
 * when the peer failed (the reason is logged). In both cases the
 * descriptor stays open and belongs to the callee. On the main loop. */
typedef void (*vmmdTLSHandshakeFunc)(vmmdTLSHandshake *hs, int fd,
                                     vmmdTLSSession *session, void *opaque);

/* Starts the handshake on @fd (a connected non-blocking socket); @peer
 * names the connection in logs. @done is called once, from the loop,
 * never from inside this call. */
vmmdTLSHandshake *vmmdTLSHandshakeStart(vmmdTLSContext *ctx, int fd,
                                        const char *peer,
                                        vmmdTLSHandshakeFunc done,
                                        void *opaque);
/* Stops a handshake whose callback has not run (or frees a finished
 * one from its callback); closes the descriptor if it was not handed
 * out. */
void vmmdTLSHandshakeFree(vmmdTLSHandshake *hs);

void vmmdTLSSessionFree(vmmdTLSSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdTLSSession, vmmdTLSSessionFree)

/* Record I/O, as read(2) / send(2): bytes moved, 0 at end of file
 * (read), or -1 with errno set (EAGAIN when the socket would block).
 * After EAGAIN a write must be retried with the same data. */
ssize_t vmmdTLSSessionRead(vmmdTLSSession *session, char *buf, size_t len);
ssize_t vmmdTLSSessionWrite(vmmdTLSSession *session, const char *buf,
                            size_t len);

/* Bytes already decrypted and waiting: poll(2) will not report them. */
size_t vmmdTLSSessionPending(vmmdTLSSession *session);
