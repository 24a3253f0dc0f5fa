/*
 * remote_tls.h: the client side of a TLS connection to vmmd or libvirtd:
 * finding the x509 files (a pkipath directory, or libvirt's default
 * places), the handshake over an already connected socket, the checks of
 * the server's certificate (CA, validity, host name), the wait for the
 * server's one-byte "accepted", and then record I/O.
 *
 * The handshake blocks the opening thread (with a time limit); record I/O
 * afterwards never blocks and runs on the RPC client's I/O thread only.
 * remote_transport.c is the only user.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/* How long opening may wait for the handshake and the server's verdict. */
#define REMOTE_TLS_HANDSHAKE_TIMEOUT_MS 30000

typedef struct {
    const char *host;     /* the name the server's certificate must carry */
    const char *pkipath;  /* NULL: libvirt's default places */
    const char *priority; /* NULL: "NORMAL" */
    bool noVerify;        /* no check of the server's certificate */
} remoteTLSOptions;

typedef struct _remoteTLS remoteTLS;

/* Finds and loads the x509 files, before any connection is made: a
 * missing or unreadable one is named in the error. */
int remoteTLSNew(const remoteTLSOptions *opts, remoteTLS **ret_tls);

/* Runs the handshake on @fd (connected, non-blocking; it stays the
 * caller's), checks the server and waits for its verdict. Errors say
 * what to fix: a host name that does not match, a server that refused
 * our certificate. */
int remoteTLSHandshake(remoteTLS *tls, int fd);
void remoteTLSFree(remoteTLS *tls);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(remoteTLS, remoteTLSFree)

/* As remoteTransportRead / Write: bytes moved, 0 when the socket would
 * block, -1 with errno set (and *ret_eof at end of file). Nothing is
 * raised. */
ssize_t remoteTLSRead(remoteTLS *tls, char *buf, size_t len, bool *ret_eof);
ssize_t remoteTLSWrite(remoteTLS *tls, const char *buf, size_t len);

/* Bytes decrypted and waiting, which poll(2) cannot see. */
size_t remoteTLSPending(remoteTLS *tls);
