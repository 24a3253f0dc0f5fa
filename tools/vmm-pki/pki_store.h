/*
 * pki_store.h: where vmm-pki keeps its files, and reading / writing them.
 *
 * The layout is the one vmmd reads (daemon/vmmd_paths.h) and stock libvirt
 * clients read: the CA under ROOT/etc/pki/CA, the server's certificate and
 * key under ROOT/etc/pki/vmm, a root client's under ROOT/etc/pki/libvirt.
 * The CA's private key, which vmmd never reads, is kept beside the CA
 * certificate in ROOT/etc/pki/CA/private/cakey.pem.
 *
 * This file knows nothing of X.509: it moves PEM text between disk and
 * memory, creating directories with the right modes on the way.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/* A directory given to pkipath= holds these three names (libvirt's). */
#define PKI_CA_CERT_NAME "cacert.pem"
#define PKI_CLIENT_CERT_NAME "clientcert.pem"
#define PKI_CLIENT_KEY_NAME "clientkey.pem"
#define PKI_SERVER_CERT_NAME "servercert.pem"
#define PKI_SERVER_KEY_NAME "serverkey.pem"

/* Certificates are public; keys are for their owner only. */
#define PKI_CERT_MODE 0644
#define PKI_KEY_MODE 0600
#define PKI_DIR_MODE 0755
#define PKI_PRIVATE_DIR_MODE 0700

/* The largest PEM file read: a certificate chain is a few KiB. */
#define PKI_FILE_MAX (1024 * 1024)

typedef struct {
    char *root;       /* "" for the system paths, else absolute, no '/' end */
    char *caCert;     /* ROOT/etc/pki/CA/cacert.pem */
    char *caKey;      /* ROOT/etc/pki/CA/private/cakey.pem */
    char *serverCert; /* ROOT/etc/pki/vmm/servercert.pem */
    char *serverKey;  /* ROOT/etc/pki/vmm/private/serverkey.pem */
    char *clientCert; /* ROOT/etc/pki/libvirt/clientcert.pem */
    char *clientKey;  /* ROOT/etc/pki/libvirt/private/clientkey.pem */
} pkiPaths;

/* The paths under @root (NULL or "/" for the system ones; a relative root
 * is taken from the current directory). Never fails. */
pkiPaths *pkiPathsNew(const char *root);
void pkiPathsFree(pkiPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(pkiPaths, pkiPathsFree)

/* Raise the last error with @fmt's text as the whole message: vmm-pki's own
 * messages already say what to do, a code phrase in front would only
 * distract. */
void pkiError(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

bool pkiFileExists(const char *path);

/* Read the PEM file @path (at most PKI_FILE_MAX bytes); @what names it in
 * the error ("CA certificate"). */
int pkiFileRead(const char *path, const char *what, char **ret_data,
                size_t *ret_len);

/* Write @data to @path atomically with @mode, creating its directory with
 * @dirMode (and the directories above it with PKI_DIR_MODE) first. */
int pkiFileWrite(const char *path, const char *data, size_t len, mode_t mode,
                 mode_t dirMode);

/* Fail with a message naming @path and the --force option when @path
 * exists and @force is false. */
int pkiFileCheckOverwrite(const char *path, const char *what, bool force);
