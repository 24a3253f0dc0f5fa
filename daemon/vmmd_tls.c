/*
 * vmmd_tls.c: x509 credentials, the per-connection handshake state
 * machine and the record I/O of the daemon's TLS listener (see
 * vmmd_tls.h). gnutls runs non-blocking throughout: a step that would
 * block leaves the socket watched for the direction gnutls asks for.
 */
#include <config.h>

#include <errno.h>
#include <fnmatch.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <time.h>
#include <unistd.h>

#include "util_error.h"
#include "util_event.h"
#include "util_log.h"
#include "vmmd_tls.h"

VMM_LOG_INIT("daemon.tls");

/* What the server sends once a client is accepted, before any RPC. */
#define VMMD_TLS_ACCEPTED_BYTE '\1'

struct _vmmdTLSContext {
    gnutls_certificate_credentials_t cred;
    gnutls_priority_t priority;
    bool verifyClients;
    char **allowedDNs; /* NULL: every client the CA signed */
};

struct _vmmdTLSSession {
    gnutls_session_t session;
};

struct _vmmdTLSHandshake {
    vmmdTLSContext *ctx;
    int fd; /* -1 once handed to the callback */
    char *peer;
    vmmdTLSSession *session;
    int watch;
    int timer;
    bool handshaken;
    vmmdTLSHandshakeFunc done;
    void *opaque;
};

/* ---- Credentials ---- */

/* One certificate file read into a list (a CA file may hold several). */
typedef struct {
    gnutls_x509_crt_t *certs;
    unsigned int n;
} tlsCertList;

static void tlsCertListClear(tlsCertList *list)
{
    for (unsigned int i = 0; i < list->n; i++)
        gnutls_x509_crt_deinit(list->certs[i]);
    gnutls_free(list->certs);
    list->certs = NULL;
    list->n = 0;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(tlsCertList, tlsCertListClear)

static int tlsCheckReadable(const char *what, const char *path)
{
    if (access(path, R_OK) < 0) {
        errorReportSystem(VMM_FROM_RPC, errno, "cannot read %s '%s'", what,
                          path);
        return -1;
    }
    return 0;
}

static int tlsCertListLoad(const char *what, const char *path,
                           tlsCertList *ret_list)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) gerr = NULL;
    gnutls_datum_t datum;
    int rc;

    if (!g_file_get_contents(path, &data, &len, &gerr)) {
        errorReport(VMM_FROM_RPC, VMM_ERR_SYSTEM_ERROR, "cannot read %s: %s",
                    what, gerr->message);
        return -1;
    }
    datum.data = (unsigned char *)data;
    datum.size = len;
    rc = gnutls_x509_crt_list_import2(&ret_list->certs, &ret_list->n, &datum,
                                      GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "%s '%s' holds no valid PEM certificate: %s", what, path,
                    gnutls_strerror(rc));
        return -1;
    }
    return 0;
}

static char *tlsFormatTime(time_t t)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);

    return dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M:%S UTC") : g_strdup("?");
}

static int tlsCheckTimes(gnutls_x509_crt_t cert, const char *what,
                         const char *path)
{
    time_t now = time(NULL);
    time_t notAfter = gnutls_x509_crt_get_expiration_time(cert);
    time_t notBefore = gnutls_x509_crt_get_activation_time(cert);

    if (notAfter != (time_t)-1 && notAfter < now) {
        g_autofree char *when = tlsFormatTime(notAfter);

        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR, "%s '%s' expired on %s",
                    what, path, when);
        return -1;
    }
    if (notBefore != (time_t)-1 && notBefore > now) {
        g_autofree char *when = tlsFormatTime(notBefore);

        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "%s '%s' is not valid before %s", what, path, when);
        return -1;
    }
    return 0;
}

/* The server's own certificate must be one its clients will accept:
 * signed by the CA, valid now. Catching it here names the file; a
 * client would only see a failed handshake. */
static int tlsSanityCheck(const vmmdPaths *paths)
{
    g_auto(tlsCertList) cas = {0};
    g_auto(tlsCertList) certs = {0};
    unsigned int status = 0;
    int rc;

    if (tlsCertListLoad("CA certificate", paths->caFile, &cas) < 0 ||
        tlsCertListLoad("server certificate", paths->certFile, &certs) < 0)
        return -1;
    for (unsigned int i = 0; i < cas.n; i++) {
        if (tlsCheckTimes(cas.certs[i], "CA certificate", paths->caFile) < 0)
            return -1;
    }
    if (tlsCheckTimes(certs.certs[0], "server certificate", paths->certFile) <
        0)
        return -1;
    rc = gnutls_x509_crt_verify(certs.certs[0], cas.certs, cas.n, 0, &status);
    if (rc < 0 || status != 0) {
        gnutls_datum_t why = {0};

        if (rc >= 0)
            gnutls_certificate_verification_status_print(
                status, GNUTLS_CRT_X509, &why, 0);
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "server certificate '%s' is not signed by the CA in "
                    "'%s': %s",
                    paths->certFile, paths->caFile,
                    rc < 0 ? gnutls_strerror(rc) : (const char *)why.data);
        gnutls_free(why.data);
        return -1;
    }
    return 0;
}

static int tlsContextLoadFiles(vmmdTLSContext *ctx, const vmmdConfig *cfg,
                               const vmmdPaths *paths)
{
    int rc;

    if (tlsCheckReadable("CA certificate", paths->caFile) < 0 ||
        tlsCheckReadable("server certificate", paths->certFile) < 0 ||
        tlsCheckReadable("server key", paths->keyFile) < 0)
        return -1;
    rc = gnutls_certificate_set_x509_trust_file(ctx->cred, paths->caFile,
                                                GNUTLS_X509_FMT_PEM);
    if (rc < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot load CA certificate '%s': %s", paths->caFile,
                    gnutls_strerror(rc));
        return -1;
    }
    /* The default CRL is optional; one the configuration names is not. */
    if (cfg->crl_file || access(paths->crlFile, F_OK) == 0) {
        if (tlsCheckReadable("CRL", paths->crlFile) < 0)
            return -1;
        rc = gnutls_certificate_set_x509_crl_file(ctx->cred, paths->crlFile,
                                                  GNUTLS_X509_FMT_PEM);
        if (rc < 0) {
            errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                        "cannot load CRL '%s': %s", paths->crlFile,
                        gnutls_strerror(rc));
            return -1;
        }
    }
    rc = gnutls_certificate_set_x509_key_file(
        ctx->cred, paths->certFile, paths->keyFile, GNUTLS_X509_FMT_PEM);
    if (rc < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot load server certificate '%s' with key '%s': %s",
                    paths->certFile, paths->keyFile, gnutls_strerror(rc));
        return -1;
    }
    return 0;
}

int vmmdTLSContextNew(const vmmdConfig *cfg, const vmmdPaths *paths,
                      vmmdTLSContext **ret_ctx)
{
    g_autoptr(vmmdTLSContext) ctx = g_new0(vmmdTLSContext, 1);
    const char *prio = cfg->tls_priority ? cfg->tls_priority : "NORMAL";
    const char *errpos = NULL;
    int rc;

    if ((rc = gnutls_certificate_allocate_credentials(&ctx->cred)) < 0) {
        errorReport(VMM_FROM_RPC, VMM_ERR_GNUTLS_ERROR,
                    "cannot allocate TLS credentials: %s", gnutls_strerror(rc));
        return -1;
    }
    if (tlsContextLoadFiles(ctx, cfg, paths) < 0)
        return -1;
    if (!cfg->tls_no_sanity_certificate && tlsSanityCheck(paths) < 0)
        return -1;
    if (gnutls_priority_init(&ctx->priority, prio, &errpos) < 0) {
        errorReport(VMM_FROM_CONF, VMM_ERR_CONF_SYNTAX,
                    "tls_priority \"%s\" is not valid (at \"%s\")", prio,
                    errpos ? errpos : "");
        return -1;
    }
    ctx->verifyClients = !cfg->tls_no_verify_certificate;
    ctx->allowedDNs = g_strdupv(cfg->tls_allowed_dn_list);
    *ret_ctx = g_steal_pointer(&ctx);
    return 0;
}

void vmmdTLSContextFree(vmmdTLSContext *ctx)
{
    if (!ctx)
        return;
    if (ctx->priority)
        gnutls_priority_deinit(ctx->priority);
    if (ctx->cred)
        gnutls_certificate_free_credentials(ctx->cred);
    g_strfreev(ctx->allowedDNs);
    g_free(ctx);
}

/* ---- Sessions ---- */

static vmmdTLSSession *tlsSessionNew(vmmdTLSContext *ctx, int fd)
{
    g_autoptr(vmmdTLSSession) session = g_new0(vmmdTLSSession, 1);
    int rc;

    if ((rc = gnutls_init(&session->session, GNUTLS_SERVER | GNUTLS_NONBLOCK)) <
            0 ||
        (rc = gnutls_priority_set(session->session, ctx->priority)) < 0 ||
        (rc = gnutls_credentials_set(session->session, GNUTLS_CRD_CERTIFICATE,
                                     ctx->cred)) < 0) {
        VMM_WARN("cannot set up a TLS session: %s", gnutls_strerror(rc));
        return NULL;
    }
    /* Asked for, not required by gnutls: the verdict is ours, so that a
     * refusal is logged with its reason. */
    gnutls_certificate_server_set_request(session->session,
                                          GNUTLS_CERT_REQUEST);
    /* Without our CA names in the request, a client sends the
     * certificate it has even when another CA signed it, and the log
     * then says so instead of "no certificate". */
    gnutls_certificate_send_x509_rdn_sequence(session->session, 1);
    gnutls_transport_set_int(session->session, fd);
    return g_steal_pointer(&session);
}

void vmmdTLSSessionFree(vmmdTLSSession *session)
{
    if (!session)
        return;
    if (session->session)
        gnutls_deinit(session->session);
    g_free(session);
}

/* gnutls' result as read(2) / send(2) would give it. A peer that hangs
 * up without a TLS close is an end of file to a reader. */
static ssize_t tlsResult(ssize_t rc, bool reading)
{
    if (rc >= 0)
        return rc;
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED) {
        errno = EAGAIN;
        return -1;
    }
    VMM_DEBUG("TLS record I/O: %s", gnutls_strerror((int)rc));
    if (reading && rc == GNUTLS_E_PREMATURE_TERMINATION)
        return 0;
    errno = EIO;
    return -1;
}

ssize_t vmmdTLSSessionRead(vmmdTLSSession *session, char *buf, size_t len)
{
    return tlsResult(gnutls_record_recv(session->session, buf, len), true);
}

ssize_t vmmdTLSSessionWrite(vmmdTLSSession *session, const char *buf,
                            size_t len)
{
    return tlsResult(gnutls_record_send(session->session, buf, len), false);
}

size_t vmmdTLSSessionPending(vmmdTLSSession *session)
{
    return gnutls_record_check_pending(session->session);
}

/* ---- Checking the client ---- */

static const char *tlsStatusReason(unsigned int status)
{
    if (status & GNUTLS_CERT_REVOKED)
        return "its certificate is revoked";
    if (status & GNUTLS_CERT_EXPIRED)
        return "its certificate has expired";
    if (status & GNUTLS_CERT_NOT_ACTIVATED)
        return "its certificate is not valid yet";
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return "its certificate is not signed by a trusted CA";
    if (status & GNUTLS_CERT_SIGNER_NOT_CA)
        return "its certificate's signer is not a CA";
    if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
        return "its certificate uses an insecure algorithm";
    return "its certificate is not valid";
}

/* The subject DN, in the form tls_allowed_dn_list patterns are written
 * for (libvirtd's). */
static char *tlsPeerDN(gnutls_session_t session)
{
    const gnutls_datum_t *peers;
    unsigned int npeers = 0;
    gnutls_x509_crt_t cert = NULL;
    char buf[1024];
    size_t len = sizeof(buf);
    int rc;

    peers = gnutls_certificate_get_peers(session, &npeers);
    if (!peers || npeers == 0 || gnutls_x509_crt_init(&cert) < 0)
        return NULL;
    rc = gnutls_x509_crt_import(cert, &peers[0], GNUTLS_X509_FMT_DER);
    if (rc >= 0)
        rc = gnutls_x509_crt_get_dn(cert, buf, &len);
    gnutls_x509_crt_deinit(cert);
    return rc < 0 ? NULL : g_strdup(buf);
}

static bool tlsDNAllowed(char **patterns, const char *dn)
{
    if (!patterns)
        return true;
    for (size_t i = 0; patterns[i]; i++) {
        if (fnmatch(patterns[i], dn, 0) == 0)
            return true;
    }
    return false;
}

/* Whether the client may go on; logs why not. */
static bool tlsCheckClient(vmmdTLSHandshake *hs)
{
    gnutls_session_t s = hs->session->session;
    unsigned int npeers = 0;
    unsigned int status = 0;
    g_autofree char *dn = NULL;
    int rc;

    if (!hs->ctx->verifyClients)
        return true;
    if (gnutls_certificate_type_get(s) != GNUTLS_CRT_X509 ||
        !gnutls_certificate_get_peers(s, &npeers) || npeers == 0) {
        VMM_WARN("TLS client %s refused: it sent no certificate", hs->peer);
        return false;
    }
    rc = gnutls_certificate_verify_peers2(s, &status);
    if (rc < 0 || status != 0) {
        VMM_WARN("TLS client %s refused: %s", hs->peer,
                 rc < 0 ? gnutls_strerror(rc) : tlsStatusReason(status));
        return false;
    }
    if (!(dn = tlsPeerDN(s))) {
        VMM_WARN("TLS client %s refused: its certificate has no readable "
                 "distinguished name",
                 hs->peer);
        return false;
    }
    if (!tlsDNAllowed(hs->ctx->allowedDNs, dn)) {
        VMM_WARN("TLS client %s refused: certificate DN '%s' is not in "
                 "tls_allowed_dn_list",
                 hs->peer, dn);
        return false;
    }
    VMM_INFO("TLS client %s accepted, certificate DN '%s'", hs->peer, dn);
    return true;
}

/* ---- The handshake ---- */

static void tlsHandshakeFinish(vmmdTLSHandshake *hs, bool ok)
{
    int fd = hs->fd;
    vmmdTLSSession *session = ok ? g_steal_pointer(&hs->session) : NULL;

    if (hs->watch) {
        eventRemoveWatch(hs->watch);
        hs->watch = 0;
    }
    if (hs->timer) {
        eventRemoveTimer(hs->timer);
        hs->timer = 0;
    }
    hs->fd = -1;
    hs->done(hs, fd, session, hs->opaque);
}

/* Waits for the direction gnutls last blocked on. */
static void tlsHandshakeWait(vmmdTLSHandshake *hs)
{
    int dir = gnutls_record_get_direction(hs->session->session);

    eventUpdateWatch(hs->watch, dir ? EVENT_WRITABLE : EVENT_READABLE);
}

static bool tlsWouldBlock(int rc)
{
    return rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED;
}

static void tlsHandshakeStep(vmmdTLSHandshake *hs)
{
    gnutls_session_t s = hs->session->session;
    char accepted = VMMD_TLS_ACCEPTED_BYTE;
    int rc;

    if (!hs->handshaken) {
        rc = gnutls_handshake(s);
        if (tlsWouldBlock(rc)) {
            tlsHandshakeWait(hs);
            return;
        }
        if (rc == GNUTLS_E_PREMATURE_TERMINATION) {
            VMM_INFO("TLS client %s hung up during the handshake", hs->peer);
            tlsHandshakeFinish(hs, false);
            return;
        }
        if (rc < 0) {
            VMM_WARN("TLS handshake with %s failed: %s", hs->peer,
                     gnutls_strerror(rc));
            tlsHandshakeFinish(hs, false);
            return;
        }
        hs->handshaken = true;
        if (!tlsCheckClient(hs)) {
            tlsHandshakeFinish(hs, false);
            return;
        }
    }
    rc = gnutls_record_send(s, &accepted, 1);
    if (tlsWouldBlock(rc)) {
        tlsHandshakeWait(hs);
        return;
    }
    if (rc < 0)
        VMM_WARN("TLS client %s: cannot confirm the connection: %s", hs->peer,
                 gnutls_strerror(rc));
    tlsHandshakeFinish(hs, rc == 1);
}

static void tlsHandshakeReady(int watch, int fd, int events, void *opaque)
{
    tlsHandshakeStep(opaque);
}

static void tlsHandshakeTimeout(int timer, void *opaque)
{
    vmmdTLSHandshake *hs = opaque;

    VMM_WARN("TLS client %s refused: no handshake within %d s", hs->peer,
             VMMD_TLS_HANDSHAKE_TIMEOUT_MS / 1000);
    tlsHandshakeFinish(hs, false);
}

/* Reports a session that could not even be set up from the loop, as
 * the contract says. */
static void tlsHandshakeFailLater(int timer, void *opaque)
{
    tlsHandshakeFinish(opaque, false);
}

vmmdTLSHandshake *vmmdTLSHandshakeStart(vmmdTLSContext *ctx, int fd,
                                        const char *peer,
                                        vmmdTLSHandshakeFunc done, void *opaque)
{
    vmmdTLSHandshake *hs = g_new0(vmmdTLSHandshake, 1);

    hs->ctx = ctx;
    hs->fd = fd;
    hs->peer = g_strdup(peer);
    hs->done = done;
    hs->opaque = opaque;
    hs->session = tlsSessionNew(ctx, fd);
    if (!hs->session) {
        hs->timer = eventAddTimer(0, tlsHandshakeFailLater, hs, NULL);
        return hs;
    }
    /* The client speaks first. */
    hs->watch = eventAddWatch(fd, EVENT_READABLE, tlsHandshakeReady, hs, NULL);
    hs->timer = eventAddTimer(VMMD_TLS_HANDSHAKE_TIMEOUT_MS,
                              tlsHandshakeTimeout, hs, NULL);
    return hs;
}

void vmmdTLSHandshakeFree(vmmdTLSHandshake *hs)
{
    if (!hs)
        return;
    if (hs->watch)
        eventRemoveWatch(hs->watch);
    if (hs->timer)
        eventRemoveTimer(hs->timer);
    if (hs->fd >= 0)
        close(hs->fd);
    vmmdTLSSessionFree(hs->session);
    g_free(hs->peer);
    g_free(hs);
}
