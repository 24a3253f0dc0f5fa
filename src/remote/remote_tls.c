/*
 * remote_tls.c: x509 files, handshake, server-certificate checks and
 * record I/O of a client TLS connection (see remote_tls.h).
 */
#include <config.h>

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "remote_tls.h"
#include "util_error.h"

/* What vmmd and libvirtd send once they accept the client. */
#define REMOTE_TLS_ACCEPTED_BYTE 1

/* libvirt's default places for a client's files. */
#define REMOTE_TLS_SYSTEM_CA "/etc/pki/CA/cacert.pem"
#define REMOTE_TLS_SYSTEM_CERT "/etc/pki/libvirt/clientcert.pem"
#define REMOTE_TLS_SYSTEM_KEY "/etc/pki/libvirt/private/clientkey.pem"
#define REMOTE_TLS_USER_DIR ".pki/libvirt"

typedef struct {
    char *ca;
    char *cert;
    char *key;
} remoteTLSFiles;

struct _remoteTLS {
    gnutls_certificate_credentials_t cred;
    gnutls_session_t session;
    remoteTLSFiles files;
    char *host;
    char *priority;
    bool noVerify;
};

static void remoteTLSFilesClear(remoteTLSFiles *files)
{
    g_free(files->ca);
    g_free(files->cert);
    g_free(files->key);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(remoteTLSFiles, remoteTLSFilesClear)

static bool remoteTLSExists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* A user's own files replace the system ones where they exist: the CA
 * alone, the certificate only together with its key. */
static void remoteTLSFindUserFiles(remoteTLSFiles *files)
{
    g_autofree char *dir =
        g_build_filename(g_get_home_dir(), REMOTE_TLS_USER_DIR, NULL);
    g_autofree char *ca = g_build_filename(dir, "cacert.pem", NULL);
    g_autofree char *cert = g_build_filename(dir, "clientcert.pem", NULL);
    g_autofree char *key = g_build_filename(dir, "clientkey.pem", NULL);

    if (remoteTLSExists(ca)) {
        g_free(files->ca);
        files->ca = g_steal_pointer(&ca);
    }
    if (remoteTLSExists(cert) && remoteTLSExists(key)) {
        g_free(files->cert);
        g_free(files->key);
        files->cert = g_steal_pointer(&cert);
        files->key = g_steal_pointer(&key);
    }
}

/* pkipath names every file. Without it, root uses the system places and
 * any other user first those under ~/.pki/libvirt, as libvirt does. */
static void remoteTLSFindFiles(const char *pkipath, remoteTLSFiles *ret_files)
{
    if (pkipath) {
        ret_files->ca = g_build_filename(pkipath, "cacert.pem", NULL);
        ret_files->cert = g_build_filename(pkipath, "clientcert.pem", NULL);
        ret_files->key = g_build_filename(pkipath, "clientkey.pem", NULL);
        return;
    }
    ret_files->ca = g_strdup(REMOTE_TLS_SYSTEM_CA);
    ret_files->cert = g_strdup(REMOTE_TLS_SYSTEM_CERT);
    ret_files->key = g_strdup(REMOTE_TLS_SYSTEM_KEY);
    if (geteuid() != 0)
        remoteTLSFindUserFiles(ret_files);
}

/* The CA is required. A client certificate is sent when both its files
 * exist; a server that wants one (the default) refuses us otherwise,
 * and the error then names the missing file. */
static int remoteTLSLoadFiles(remoteTLS *tls, const remoteTLSFiles *files)
{
    int rc;

    if (access(files->ca, R_OK) < 0) {
        errorReportSystem(VMM_FROM_RPC, errno,
                          "cannot read the CA certificate '%s'", files->ca);
        return -1;
    }
    rc = gnutls_certificate_set_x509_trust_file(tls->cred, files->ca,
                                                GNUTLS_X509_FMT_PEM);
    if (rc <= 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot load the CA certificate '%s': %s", files->ca,
                    rc < 0 ? gnutls_strerror(rc) : "no certificate in it");
        return -1;
    }
    if (!remoteTLSExists(files->cert) || !remoteTLSExists(files->key))
        return 0;
    rc = gnutls_certificate_set_x509_key_file(tls->cred, files->cert,
                                              files->key, GNUTLS_X509_FMT_PEM);
    if (rc < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot load the client certificate '%s' with key "
                    "'%s': %s",
                    files->cert, files->key, gnutls_strerror(rc));
        return -1;
    }
    return 0;
}

static int remoteTLSSessionInit(remoteTLS *tls, int fd)
{
    const char *prio = tls->priority ? tls->priority : "NORMAL";
    const char *errpos = NULL;
    int rc;

    if ((rc = gnutls_init(&tls->session, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) <
        0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot start a TLS session: %s", gnutls_strerror(rc));
        return -1;
    }
    if (gnutls_priority_set_direct(tls->session, prio, &errpos) < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_INVALID_ARG,
                    "tls_priority '%s' is not valid (at '%s')", prio,
                    errpos ? errpos : "");
        return -1;
    }
    if ((rc = gnutls_credentials_set(tls->session, GNUTLS_CRD_CERTIFICATE,
                                     tls->cred)) < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot use the TLS credentials: %s", gnutls_strerror(rc));
        return -1;
    }
    /* Server name indication, for servers behind a TLS front end. */
    gnutls_server_name_set(tls->session, GNUTLS_NAME_DNS, tls->host,
                           strlen(tls->host));
    gnutls_transport_set_int(tls->session, fd);
    return 0;
}

/* Waits until the socket is ready in the direction gnutls last asked for;
 * false once @deadline (monotonic, us) has passed. */
static bool remoteTLSWait(remoteTLS *tls, int fd, gint64 deadline)
{
    struct pollfd pfd = {.fd = fd};
    gint64 left = deadline - g_get_monotonic_time();

    if (left <= 0)
        return false;
    pfd.events = gnutls_record_get_direction(tls->session) ? POLLOUT : POLLIN;
    if (poll(&pfd, 1, (int)((left + 999) / 1000)) < 0 && errno != EINTR)
        return false;
    return true;
}

static bool remoteTLSWouldBlock(int rc)
{
    return rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED;
}

static int remoteTLSRunHandshake(remoteTLS *tls, int fd, const char *host,
                                 gint64 deadline)
{
    int rc;

    while ((rc = gnutls_handshake(tls->session)) < 0) {
        if (!remoteTLSWouldBlock(rc)) {
            errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                        "TLS handshake with '%s' failed: %s", host,
                        gnutls_strerror(rc));
            return -1;
        }
        if (!remoteTLSWait(tls, fd, deadline)) {
            errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                        "TLS handshake with '%s' timed out", host);
            return -1;
        }
    }
    return 0;
}

/* ---- The server's certificate ---- */

static const char *remoteTLSStatusReason(unsigned int status)
{
    if (status & GNUTLS_CERT_REVOKED)
        return "it is revoked";
    if (status & GNUTLS_CERT_EXPIRED)
        return "it has expired";
    if (status & GNUTLS_CERT_NOT_ACTIVATED)
        return "it is not valid yet";
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return "it is not signed by the CA";
    if (status & GNUTLS_CERT_SIGNER_NOT_CA)
        return "its signer is not a CA";
    if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
        return "it uses an insecure algorithm";
    return "it is not valid";
}

/* The name the certificate is for: its first DNS name, else its CN. */
static char *remoteTLSCertName(gnutls_x509_crt_t cert)
{
    char buf[256];
    size_t len = sizeof(buf);
    unsigned int critical = 0;

    if (gnutls_x509_crt_get_subject_alt_name(cert, 0, buf, &len, &critical) ==
        GNUTLS_SAN_DNSNAME)
        return g_strdup(buf);
    len = sizeof(buf);
    if (gnutls_x509_crt_get_dn_by_oid(cert, GNUTLS_OID_X520_COMMON_NAME, 0, 0,
                                      buf, &len) == 0)
        return g_strdup(buf);
    return g_strdup("(no name)");
}

static int remoteTLSCheckHost(gnutls_session_t session, const char *host)
{
    const gnutls_datum_t *peers;
    unsigned int npeers = 0;
    gnutls_x509_crt_t cert = NULL;
    g_autofree char *name = NULL;
    bool ok;

    peers = gnutls_certificate_get_peers(session, &npeers);
    if (!peers || npeers == 0 || gnutls_x509_crt_init(&cert) < 0 ||
        gnutls_x509_crt_import(cert, &peers[0], GNUTLS_X509_FMT_DER) < 0) {
        if (cert)
            gnutls_x509_crt_deinit(cert);
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "the server '%s' sent no usable certificate", host);
        return -1;
    }
    ok = gnutls_x509_crt_check_hostname(cert, host) != 0;
    if (!ok)
        name = remoteTLSCertName(cert);
    gnutls_x509_crt_deinit(cert);
    if (!ok) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "server certificate is for '%s', not '%s' (connect with "
                    "the name it was issued for, or add no_verify=1 to the "
                    "URI)",
                    name, host);
        return -1;
    }
    return 0;
}

static int remoteTLSCheckServer(remoteTLS *tls, const char *host,
                                const char *caFile)
{
    unsigned int status = 0;
    int rc = gnutls_certificate_verify_peers2(tls->session, &status);

    if (rc < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot verify the certificate of server '%s': %s", host,
                    gnutls_strerror(rc));
        return -1;
    }
    if (status != 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "the certificate of server '%s' is refused: %s (CA "
                    "certificate '%s')",
                    host, remoteTLSStatusReason(status), caFile);
        return -1;
    }
    return remoteTLSCheckHost(tls->session, host);
}

/* ---- The server's verdict ---- */

static void remoteTLSReportRefused(const char *host,
                                   const remoteTLSFiles *files)
{
    if (!remoteTLSExists(files->cert) || !remoteTLSExists(files->key))
        errorReport(VMM_FROM_RPC, VMM_ERR_AUTH_FAILED,
                    "server '%s' refused the connection: we sent no client "
                    "certificate ('%s' or '%s' is missing)",
                    host, files->cert, files->key);
    else
        errorReport(VMM_FROM_RPC, VMM_ERR_AUTH_FAILED,
                    "server '%s' refused the connection: it did not accept "
                    "the client certificate '%s' (not signed by a CA it "
                    "trusts, expired, revoked or not in its "
                    "tls_allowed_dn_list; its log says which)",
                    host, files->cert);
}

static int remoteTLSWaitAccepted(remoteTLS *tls, int fd, const char *host,
                                 const remoteTLSFiles *files, gint64 deadline)
{
    unsigned char byte = 0;
    ssize_t rc;

    while ((rc = gnutls_record_recv(tls->session, &byte, 1)) < 0 &&
           remoteTLSWouldBlock((int)rc)) {
        if (!remoteTLSWait(tls, fd, deadline)) {
            errorReport(VMM_FROM_RPC, VMM_ERR_RPC,
                        "server '%s' did not confirm the TLS connection in "
                        "time",
                        host);
            return -1;
        }
    }
    if (rc == 1 && byte == REMOTE_TLS_ACCEPTED_BYTE)
        return 0;
    if (rc == 1) {
        errorReport(VMM_FROM_RPC, VMM_ERR_RPC,
                    "server '%s' sent %u instead of its TLS confirmation", host,
                    byte);
        return -1;
    }
    remoteTLSReportRefused(host, files);
    return -1;
}

int remoteTLSNew(const remoteTLSOptions *opts, remoteTLS **ret_tls)
{
    g_autoptr(remoteTLS) tls = g_new0(remoteTLS, 1);
    int rc;

    tls->host = g_strdup(opts->host);
    tls->priority = g_strdup(opts->priority);
    tls->noVerify = opts->noVerify;
    remoteTLSFindFiles(opts->pkipath, &tls->files);
    if ((rc = gnutls_certificate_allocate_credentials(&tls->cred)) < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot allocate TLS credentials: %s", gnutls_strerror(rc));
        return -1;
    }
    if (remoteTLSLoadFiles(tls, &tls->files) < 0)
        return -1;
    *ret_tls = g_steal_pointer(&tls);
    return 0;
}

int remoteTLSHandshake(remoteTLS *tls, int fd)
{
    gint64 deadline =
        g_get_monotonic_time() + REMOTE_TLS_HANDSHAKE_TIMEOUT_MS * (gint64)1000;

    if (remoteTLSSessionInit(tls, fd) < 0 ||
        remoteTLSRunHandshake(tls, fd, tls->host, deadline) < 0)
        return -1;
    if (!tls->noVerify &&
        remoteTLSCheckServer(tls, tls->host, tls->files.ca) < 0)
        return -1;
    return remoteTLSWaitAccepted(tls, fd, tls->host, &tls->files, deadline);
}

void remoteTLSFree(remoteTLS *tls)
{
    if (!tls)
        return;
    if (tls->session)
        gnutls_deinit(tls->session);
    if (tls->cred)
        gnutls_certificate_free_credentials(tls->cred);
    remoteTLSFilesClear(&tls->files);
    g_free(tls->host);
    g_free(tls->priority);
    g_free(tls);
}

/* ---- Record I/O ---- */

ssize_t remoteTLSRead(remoteTLS *tls, char *buf, size_t len, bool *ret_eof)
{
    ssize_t rc = gnutls_record_recv(tls->session, buf, len);

    *ret_eof = false;
    if (rc > 0)
        return rc;
    if (remoteTLSWouldBlock((int)rc))
        return 0;
    if (rc == 0 || rc == GNUTLS_E_PREMATURE_TERMINATION) {
        *ret_eof = true;
        return -1;
    }
    errno = EIO;
    return -1;
}

ssize_t remoteTLSWrite(remoteTLS *tls, const char *buf, size_t len)
{
    ssize_t rc = gnutls_record_send(tls->session, buf, len);

    if (rc >= 0)
        return rc;
    if (remoteTLSWouldBlock((int)rc))
        return 0;
    errno = rc == GNUTLS_E_PUSH_ERROR ? EPIPE : EIO;
    return -1;
}

size_t remoteTLSPending(remoteTLS *tls)
{
    return gnutls_record_check_pending(tls->session);
}
