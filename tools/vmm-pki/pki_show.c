/*
 * pki_show.c: `vmm-pki show` (see pki_show.h).
 *
 * Each certificate is one "item": where it is, what it is for (its role),
 * where its key and the CA it must chain to are. The item is printed field
 * by field; whatever would make vmmd or a client refuse it is a problem,
 * printed with the command that fixes it, and makes the exit status 1.
 */
#include <config.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "pki_ca.h"
#include "pki_show.h"
#include "pki_x509.h"
#include "util_error.h"
#include "util_file.h"

#define PKI_DAY (24 * 60 * 60)
/* Fewer days left than this earns a reminder (not a problem). */
#define PKI_SHOW_RENEW_DAYS 30

typedef enum {
    PKI_ROLE_CA,
    PKI_ROLE_SERVER,
    PKI_ROLE_CLIENT,
    PKI_ROLE_ANY, /* a file given on the command line */
} pkiRole;

typedef struct {
    const char *label;
    pkiRole role;
    char *certPath;
    char *keyPath; /* NULL: no key expected here */
    char *caPath;  /* the CA it must chain to; NULL for a CA */
    char *outDir;  /* for the fix of a pkipath directory, or NULL */
    bool required; /* a missing certificate is a problem */
} pkiShowItem;

typedef struct {
    const pkiPaths *paths;
    char *cmd; /* "vmm-pki [--root DIR]" */
    time_t now;
    int problems;
} pkiShowState;

static void pkiShowItemFree(pkiShowItem *item)
{
    if (!item)
        return;
    g_free(item->certPath);
    g_free(item->keyPath);
    g_free(item->caPath);
    g_free(item->outDir);
    g_free(item);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(pkiShowItem, pkiShowItemFree)

static void pkiShowField(const char *name, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
static void pkiShowField(const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("  %-9s ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static void pkiShowProblem(pkiShowState *st, const char *fix, const char *fmt,
                           ...) G_GNUC_PRINTF(3, 4);
static void pkiShowProblem(pkiShowState *st, const char *fix, const char *fmt,
                           ...)
{
    va_list ap;

    printf("  PROBLEM:  ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n  fix:      %s\n", fix);
    st->problems++;
}

/* The command that makes a new certificate for @item; @cn is the subject
 * name of the one there (NULL when unknown). */
static char *pkiShowFix(const pkiShowState *st, const pkiShowItem *item,
                        const char *cn, bool replace)
{
    const char *force = replace ? " --force" : "";

    switch (item->role) {
    case PKI_ROLE_CA:
        if (item->outDir)
            return g_strdup_printf("copy the CA certificate (%s) into %s",
                                   st->paths->caCert, item->outDir);
        return g_strdup_printf("run '%s init%s', then issue the server and "
                               "client certificates again",
                               st->cmd, force);
    case PKI_ROLE_SERVER:
        return g_strdup_printf("run '%s server %s%s%s%s'", st->cmd,
                               cn ? cn : "HOSTNAME",
                               item->outDir ? " --out " : "",
                               item->outDir ? item->outDir : "", force);
    case PKI_ROLE_CLIENT:
        return g_strdup_printf("run '%s client %s%s%s%s'", st->cmd,
                               cn ? cn : "NAME",
                               item->outDir ? " --out " : " --system",
                               item->outDir ? item->outDir : "", force);
    case PKI_ROLE_ANY:
    default:
        return g_strdup("issue a new certificate (vmm-pki server or "
                        "vmm-pki client)");
    }
}

static char *pkiShowTime(time_t t)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);

    if (!dt)
        return g_strdup("(out of range)");
    return g_date_time_format(dt, "%Y-%m-%d %H:%M UTC");
}

/* A distinguished name as RFC 4514 writes it (most specific part first),
 * or with @compat in certificate order, the form vmmd and libvirtd match
 * tls_allowed_dn_list against. */
static char *pkiShowDn(gnutls_x509_crt_t crt, bool issuer, bool compat)
{
    gnutls_datum_t dn = {NULL, 0};
    unsigned int flags = compat ? GNUTLS_X509_DN_FLAG_COMPAT : 0;
    char *text;
    int rc;

    rc = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, flags)
                : gnutls_x509_crt_get_dn3(crt, &dn, flags);
    if (rc < 0)
        return g_strdup("(none)");
    text = g_strndup((const char *)dn.data, dn.size);
    gnutls_free(dn.data);
    return text;
}

static char *pkiShowCommonName(gnutls_x509_crt_t crt)
{
    char buf[256];
    size_t len = sizeof(buf);

    if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0,
                                      buf, &len) < 0)
        return NULL;
    return g_strndup(buf, len);
}

/* "DNS:a, IP:1.2.3.4", or NULL when there are no alternative names. */
static char *pkiShowAltNames(gnutls_x509_crt_t crt)
{
    g_autoptr(GString) out = g_string_new(NULL);
    unsigned int i;

    for (i = 0;; i++) {
        char buf[512];
        char ip[INET6_ADDRSTRLEN];
        size_t len = sizeof(buf) - 1;
        int type =
            gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &len, NULL);

        if (type < 0)
            break;
        if (out->len)
            g_string_append(out, ", ");
        if (type == GNUTLS_SAN_IPADDRESS &&
            inet_ntop(len == 4 ? AF_INET : AF_INET6, buf, ip, sizeof(ip))) {
            g_string_append_printf(out, "IP:%s", ip);
        } else if (type == GNUTLS_SAN_DNSNAME) {
            g_string_append_printf(out, "DNS:%.*s", (int)len, buf);
        } else {
            g_string_append(out, "(other)");
        }
    }
    if (!out->len)
        return NULL;
    return g_string_free(g_steal_pointer(&out), FALSE);
}

typedef struct {
    bool isCa;
    bool hasEku;
    bool server;
    bool client;
} pkiShowPurpose;

static void pkiShowKeyUsage(unsigned int usage)
{
    static const struct {
        unsigned int bit;
        const char *name;
    } names[] = {
        {GNUTLS_KEY_DIGITAL_SIGNATURE, "digitalSignature"},
        {GNUTLS_KEY_KEY_ENCIPHERMENT, "keyEncipherment"},
        {GNUTLS_KEY_KEY_AGREEMENT, "keyAgreement"},
        {GNUTLS_KEY_KEY_CERT_SIGN, "keyCertSign"},
        {GNUTLS_KEY_CRL_SIGN, "cRLSign"},
    };
    g_autoptr(GString) out = g_string_new(NULL);
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        if (!(usage & names[i].bit))
            continue;
        if (out->len)
            g_string_append(out, ", ");
        g_string_append(out, names[i].name);
    }
    pkiShowField("usage:", "%s", out->len ? out->str : "(none)");
}

/* Print what the certificate may be used for, and return it. */
static pkiShowPurpose pkiShowPurposes(gnutls_x509_crt_t crt)
{
    pkiShowPurpose pp = {false, false, false, false};
    g_autoptr(GString) out = g_string_new(NULL);
    unsigned int usage = 0, critical = 0, i;

    pp.isCa = gnutls_x509_crt_get_basic_constraints(crt, NULL, NULL, NULL) > 0;
    if (pp.isCa)
        g_string_append(out, "CA");
    for (i = 0;; i++) {
        char oid[128];
        size_t len = sizeof(oid);

        if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &len, NULL) < 0)
            break;
        pp.hasEku = true;
        if (out->len)
            g_string_append(out, ", ");
        if (g_str_equal(oid, GNUTLS_KP_TLS_WWW_SERVER)) {
            pp.server = true;
            g_string_append(out, "TLS server");
        } else if (g_str_equal(oid, GNUTLS_KP_TLS_WWW_CLIENT)) {
            pp.client = true;
            g_string_append(out, "TLS client");
        } else {
            g_string_append(out, oid);
        }
    }
    if (!out->len)
        g_string_append(out, "any (no extended key usage)");
    pkiShowField("purpose:", "%s", out->str);
    if (gnutls_x509_crt_get_key_usage(crt, &usage, &critical) >= 0)
        pkiShowKeyUsage(usage);
    return pp;
}

static void pkiShowCheckRole(pkiShowState *st, const pkiShowItem *item,
                             const pkiShowPurpose *pp, const char *fix)
{
    if (item->role == PKI_ROLE_CA && !pp->isCa)
        pkiShowProblem(st, fix, "this is not a CA certificate (no CA:TRUE)");
    if (item->role == PKI_ROLE_SERVER && pp->hasEku && !pp->server)
        pkiShowProblem(st, fix,
                       "not meant for a TLS server (extended key "
                       "usage)");
    if (item->role == PKI_ROLE_CLIENT && pp->hasEku && !pp->client)
        pkiShowProblem(st, fix,
                       "not meant for a TLS client (extended key "
                       "usage)");
}

static void pkiShowValidity(pkiShowState *st, gnutls_x509_crt_t crt,
                            const char *fix)
{
    time_t from = gnutls_x509_crt_get_activation_time(crt);
    time_t until = gnutls_x509_crt_get_expiration_time(crt);
    g_autofree char *fromText = pkiShowTime(from);
    g_autofree char *untilText = pkiShowTime(until);
    long days;

    if (until < st->now) {
        days = (long)((st->now - until) / PKI_DAY);
        pkiShowField("valid:", "%s to %s (EXPIRED %ld days ago)", fromText,
                     untilText, days);
        pkiShowProblem(st, fix, "the certificate has expired");
    } else if (from > st->now) {
        pkiShowField("valid:", "%s to %s (not yet valid)", fromText, untilText);
        pkiShowProblem(st, "check this host's clock (date), or reissue it",
                       "the certificate is not yet valid");
    } else {
        days = (long)((until - st->now) / PKI_DAY);
        pkiShowField("valid:", "%s to %s (expires in %ld days%s)", fromText,
                     untilText, days,
                     days < PKI_SHOW_RENEW_DAYS ? ": renew it soon" : "");
    }
}

/* Whether @crt is signed by @ca, ignoring validity dates (reported on
 * their own). */
static bool pkiShowVerify(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca,
                          char **ret_why)
{
    unsigned int status = 0;
    gnutls_datum_t why = {NULL, 0};
    unsigned int flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                         GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS;

    if (gnutls_x509_crt_verify(crt, &ca, 1, flags, &status) < 0)
        status = GNUTLS_CERT_INVALID;
    if (status == 0)
        return true;
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509,
                                                     &why, 0) >= 0) {
        *ret_why = g_strndup((const char *)why.data, why.size);
        gnutls_free(why.data);
    } else {
        *ret_why = g_strdup("verification failed");
    }
    return false;
}

static void pkiShowChain(pkiShowState *st, const pkiShowItem *item,
                         gnutls_x509_crt_t crt, const pkiShowPurpose *pp,
                         const char *fix)
{
    g_auto(gnutls_x509_crt_t) ca = NULL;
    g_autofree char *why = NULL;
    bool selfIssued = gnutls_x509_crt_check_issuer(crt, crt) != 0;

    if (item->role == PKI_ROLE_CA || (pp->isCa && selfIssued)) {
        if (pkiShowVerify(crt, crt, &why)) {
            pkiShowField("chain:", "self-signed CA");
        } else {
            pkiShowField("chain:", "not a valid self-signed CA");
            pkiShowProblem(st, fix, "%s", why);
        }
        return;
    }
    if (!item->caPath || !pkiFileExists(item->caPath)) {
        pkiShowField("chain:", "not checked: no CA at %s",
                     item->caPath ? item->caPath : "(none)");
        return;
    }
    if (pkiCertLoad(item->caPath, "CA certificate", &ca) < 0) {
        pkiShowField("chain:", "not checked: %s", errorGetLast()->message);
        return;
    }
    if (pkiShowVerify(crt, ca, &why)) {
        pkiShowField("chain:", "signed by the CA %s", item->caPath);
    } else {
        pkiShowField("chain:", "NOT signed by the CA %s", item->caPath);
        pkiShowProblem(st, fix, "it does not chain to that CA: %s", why);
    }
}

static void pkiShowKey(pkiShowState *st, const pkiShowItem *item,
                       gnutls_x509_crt_t crt, const char *fix)
{
    g_auto(gnutls_x509_privkey_t) key = NULL;
    struct stat sb;

    if (!item->keyPath)
        return;
    if (!pkiFileExists(item->keyPath)) {
        if (item->role == PKI_ROLE_CA) {
            pkiShowField("key:", "not on this host (needed only to issue "
                                 "certificates)");
        } else if (item->role == PKI_ROLE_ANY) {
            pkiShowField("key:", "not found next to it (not checked)");
        } else {
            pkiShowField("key:", "%s is missing", item->keyPath);
            pkiShowProblem(st, fix, "the private key is missing");
        }
        return;
    }
    if (pkiKeyLoad(item->keyPath, "private key", &key) < 0) {
        pkiShowField("key:", "%s", errorGetLast()->message);
        pkiShowProblem(st, fix, "the private key cannot be read");
        return;
    }
    if (!pkiKeyMatchesCert(key, crt)) {
        pkiShowField("key:", "%s does NOT match the certificate",
                     item->keyPath);
        pkiShowProblem(st, fix,
                       "the key does not belong to the "
                       "certificate (they were replaced "
                       "separately?)");
        return;
    }
    pkiShowField("key:", "%s matches", item->keyPath);
    if (stat(item->keyPath, &sb) == 0 && (sb.st_mode & 077)) {
        g_autofree char *chmodFix =
            g_strdup_printf("chmod 600 %s", item->keyPath);

        pkiShowProblem(st, chmodFix, "others can read the key (mode %04o)",
                       (unsigned int)(sb.st_mode & 07777));
    }
}

static void pkiShowItemCheck(pkiShowState *st, const pkiShowItem *item)
{
    g_auto(gnutls_x509_crt_t) crt = NULL;
    g_autofree char *subject = NULL;
    g_autofree char *issuer = NULL;
    g_autofree char *cn = NULL;
    g_autofree char *names = NULL;
    g_autofree char *fix = NULL;
    pkiShowPurpose pp;

    if (!pkiFileExists(item->certPath)) {
        if (!item->required)
            return;
        fix = pkiShowFix(st, item, NULL, false);
        printf("%s %s\n", item->label, item->certPath);
        pkiShowProblem(st, fix, "missing");
        printf("\n");
        return;
    }
    printf("%s %s\n", item->label, item->certPath);
    if (pkiCertLoad(item->certPath, item->label, &crt) < 0) {
        fix = pkiShowFix(st, item, NULL, true);
        pkiShowProblem(st, fix, "%s", errorGetLast()->message);
        printf("\n");
        return;
    }
    subject = pkiShowDn(crt, false, false);
    issuer = pkiShowDn(crt, true, false);
    cn = pkiShowCommonName(crt);
    names = pkiShowAltNames(crt);
    fix = pkiShowFix(st, item, cn, true);
    pkiShowField("subject:", "%s", subject);
    pkiShowField("issuer:", "%s", issuer);
    if (names)
        pkiShowField("names:", "%s", names);
    pp = pkiShowPurposes(crt);
    if (item->role == PKI_ROLE_CLIENT || pp.client) {
        g_autofree char *dn = pkiShowDn(crt, false, true);

        pkiShowField("allow-dn:",
                     "%s (as tls_allowed_dn_list in vmmd.conf "
                     "sees it)",
                     dn);
    }
    pkiShowValidity(st, crt, fix);
    pkiShowCheckRole(st, item, &pp, fix);
    pkiShowChain(st, item, crt, &pp, fix);
    pkiShowKey(st, item, crt, fix);
    printf("\n");
}

static pkiShowItem *pkiShowItemNew(const char *label, pkiRole role,
                                   const char *cert, const char *key,
                                   const char *ca, bool required)
{
    pkiShowItem *item = g_new0(pkiShowItem, 1);

    item->label = label;
    item->role = role;
    item->certPath = g_strdup(cert);
    item->keyPath = g_strdup(key);
    item->caPath = g_strdup(ca);
    item->required = required;
    return item;
}

/* The installation: CA, vmmd's certificate, and root's client
 * certificate when there is one. */
static void pkiShowInstalled(const pkiPaths *paths, GPtrArray *items)
{
    g_ptr_array_add(items,
                    pkiShowItemNew("CA certificate", PKI_ROLE_CA, paths->caCert,
                                   paths->caKey, NULL, true));
    g_ptr_array_add(items, pkiShowItemNew("server certificate", PKI_ROLE_SERVER,
                                          paths->serverCert, paths->serverKey,
                                          paths->caCert, true));
    g_ptr_array_add(items, pkiShowItemNew("client certificate", PKI_ROLE_CLIENT,
                                          paths->clientCert, paths->clientKey,
                                          paths->caCert, false));
}

/* A directory made by `vmm-pki client --out` (a pkipath directory) or
 * `vmm-pki server --out`. */
static void pkiShowDirectory(const char *dir, GPtrArray *items)
{
    g_autofree char *ca = fileBuildPath(dir, PKI_CA_CERT_NAME);
    g_autofree char *scert = fileBuildPath(dir, PKI_SERVER_CERT_NAME);
    g_autofree char *skey = fileBuildPath(dir, PKI_SERVER_KEY_NAME);
    g_autofree char *ccert = fileBuildPath(dir, PKI_CLIENT_CERT_NAME);
    g_autofree char *ckey = fileBuildPath(dir, PKI_CLIENT_KEY_NAME);
    bool server = pkiFileExists(scert);
    pkiShowItem *item;

    item =
        pkiShowItemNew("CA certificate", PKI_ROLE_CA, ca, NULL, NULL, !server);
    item->outDir = g_strdup(dir);
    g_ptr_array_add(items, item);
    if (server) {
        item = pkiShowItemNew("server certificate", PKI_ROLE_SERVER, scert,
                              skey, ca, true);
        item->outDir = g_strdup(dir);
        g_ptr_array_add(items, item);
    }
    if (!server || pkiFileExists(ccert)) {
        item = pkiShowItemNew("client certificate", PKI_ROLE_CLIENT, ccert,
                              ckey, ca, true);
        item->outDir = g_strdup(dir);
        g_ptr_array_add(items, item);
    }
}

/* The key of DIR/NAMEcert.pem is looked for as DIR/NAMEkey.pem, then
 * DIR/private/NAMEkey.pem (the two layouts vmm-pki writes). */
static char *pkiShowGuessKey(const char *certPath)
{
    g_autofree char *dir = g_path_get_dirname(certPath);
    g_autofree char *base = g_path_get_basename(certPath);
    g_autofree char *keyBase = NULL;
    g_autofree char *next = NULL;
    g_autofree char *private = NULL;
    char *at = strstr(base, "cert");

    if (!at)
        return NULL;
    *at = '\0';
    keyBase = g_strconcat(base, "key", at + 4, NULL);
    next = g_build_filename(dir, keyBase, NULL);
    if (pkiFileExists(next))
        return g_steal_pointer(&next);
    private = g_build_filename(dir, "private", keyBase, NULL);
    if (pkiFileExists(private))
        return g_steal_pointer(&private);
    return g_steal_pointer(&next);
}

static void pkiShowFile(const char *file, const char *ca, GPtrArray *items)
{
    g_autofree char *key = pkiShowGuessKey(file);
    g_autofree char *base = g_path_get_basename(file);
    pkiRole role = PKI_ROLE_ANY;

    if (g_str_equal(base, PKI_CA_CERT_NAME))
        role = PKI_ROLE_CA;
    else if (g_str_equal(base, PKI_SERVER_CERT_NAME))
        role = PKI_ROLE_SERVER;
    else if (g_str_equal(base, PKI_CLIENT_CERT_NAME))
        role = PKI_ROLE_CLIENT;
    g_ptr_array_add(items,
                    pkiShowItemNew("certificate", role, file,
                                   role == PKI_ROLE_CA ? NULL : key, ca, true));
}

int pkiShow(const pkiPaths *paths, const char *const *files, const char *caFile)
{
    g_autoptr(GPtrArray) items =
        g_ptr_array_new_with_free_func((GDestroyNotify)pkiShowItemFree);
    g_autofree char *cmd = pkiCommandPrefix(paths);
    pkiShowState st = {paths, cmd, time(NULL), 0};
    const char *ca = caFile ? caFile : paths->caCert;
    const char *const *f;
    guint i;

    if (!files || !*files)
        pkiShowInstalled(paths, items);
    for (f = files; f && *f; f++) {
        if (g_file_test(*f, G_FILE_TEST_IS_DIR))
            pkiShowDirectory(*f, items);
        else
            pkiShowFile(*f, ca, items);
    }
    for (i = 0; i < items->len; i++)
        pkiShowItemCheck(&st, g_ptr_array_index(items, i));
    if (st.problems) {
        printf("%d problem%s found: see PROBLEM and fix above\n", st.problems,
               st.problems == 1 ? "" : "s");
        return 1;
    }
    printf("no problem found\n");
    return 0;
}
