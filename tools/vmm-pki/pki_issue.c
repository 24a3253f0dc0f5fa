/*
 * pki_issue.c: `vmm-pki server` and `vmm-pki client` (see pki_issue.h).
 *
 * Both check every file they would replace before making anything, so a
 * refusal leaves no half-issued set behind, and write the key before the
 * certificate for the same reason as pki_ca.c.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "pki_ca.h"
#include "pki_issue.h"
#include "pki_x509.h"
#include "util_file.h"

/* Where one issued certificate goes. */
typedef struct {
    char *certPath;
    char *keyPath;
    char *caPath; /* a copy of the CA certificate, or NULL */
    mode_t keyDirMode;
} pkiIssueTarget;

static void pkiIssueTargetClear(pkiIssueTarget *t)
{
    g_free(t->certPath);
    g_free(t->keyPath);
    g_free(t->caPath);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(pkiIssueTarget, pkiIssueTargetClear)

static int pkiIssueCheckName(const char *name, const char *what)
{
    const char *p;

    if (!name || !*name) {
        pkiError("the %s is missing", what);
        return -1;
    }
    for (p = name; *p; p++) {
        if (g_ascii_iscntrl(*p) || *p == ',' || *p == ' ') {
            pkiError("the %s '%s' has a character certificates cannot "
                     "name (space, comma or control character)",
                     what, name);
            return -1;
        }
    }
    return 0;
}

/* The DNS names and IP addresses of a server certificate: its own name
 * first (as a DNS name or an address), then --dns and --ip. */
static int pkiIssueServerNames(const pkiIssueOptions *opts, GPtrArray *dns,
                               GPtrArray *ips)
{
    unsigned char addr[16];
    size_t len;
    const char *const *p;

    if (pkiIpParse(opts->name, addr, &len))
        g_ptr_array_add(ips, (gpointer)opts->name);
    else
        g_ptr_array_add(dns, (gpointer)opts->name);
    for (p = opts->dns; p && *p; p++) {
        if (pkiIssueCheckName(*p, "--dns name") < 0)
            return -1;
        g_ptr_array_add(dns, (gpointer)*p);
    }
    for (p = opts->ips; p && *p; p++) {
        if (!pkiIpParse(*p, addr, &len)) {
            pkiError("--ip '%s' is not an IPv4 or IPv6 address", *p);
            return -1;
        }
        g_ptr_array_add(ips, (gpointer)*p);
    }
    g_ptr_array_add(dns, NULL);
    g_ptr_array_add(ips, NULL);
    return 0;
}

/* Refuse to replace anything without --force. A CA copy identical to
 * the one we would write is no change and needs no --force. */
static int pkiIssueCheckTarget(const pkiIssueTarget *t, const char *caPem,
                               bool force)
{
    if (pkiFileCheckOverwrite(t->certPath, "certificate", force) < 0 ||
        pkiFileCheckOverwrite(t->keyPath, "private key", force) < 0)
        return -1;
    if (t->caPath && pkiFileExists(t->caPath) && !force) {
        g_autofree char *old = NULL;
        size_t len;

        if (!g_file_get_contents(t->caPath, &old, &len, NULL) ||
            !g_str_equal(old, caPem)) {
            pkiError("%s holds another CA certificate: use --force to "
                     "replace it",
                     t->caPath);
            return -1;
        }
    }
    return 0;
}

/* Make the key and certificate of @spec, signed by the CA, and write them
 * (and the CA copy) to @t. */
static int pkiIssue(const pkiPaths *paths, const pkiIssueOptions *opts,
                    const pkiCertSpec *spec, const pkiIssueTarget *t)
{
    g_auto(gnutls_x509_crt_t) caCrt = NULL;
    g_auto(gnutls_x509_privkey_t) caKey = NULL;
    g_auto(gnutls_x509_privkey_t) key = NULL;
    g_auto(gnutls_x509_crt_t) crt = NULL;
    g_autofree char *caPem = NULL;
    g_autofree char *keyPem = NULL;
    g_autofree char *crtPem = NULL;
    size_t caLen, keyLen, crtLen;

    if (pkiCaLoad(paths, &caCrt, &caKey) < 0 ||
        pkiCertExport(caCrt, &caPem, &caLen) < 0 ||
        pkiIssueCheckTarget(t, caPem, opts->force) < 0)
        return -1;
    if (pkiKeyGenerate(opts->keyType, &key) < 0 ||
        pkiCertCreate(spec, key, caCrt, caKey, &crt) < 0 ||
        pkiKeyExport(key, &keyPem, &keyLen) < 0 ||
        pkiCertExport(crt, &crtPem, &crtLen) < 0)
        return -1;
    if (pkiFileWrite(t->keyPath, keyPem, keyLen, PKI_KEY_MODE, t->keyDirMode) <
            0 ||
        pkiFileWrite(t->certPath, crtPem, crtLen, PKI_CERT_MODE, PKI_DIR_MODE) <
            0)
        return -1;
    if (t->caPath &&
        pkiFileWrite(t->caPath, caPem, caLen, PKI_CERT_MODE, PKI_DIR_MODE) < 0)
        return -1;
    return 0;
}

static void pkiIssuePrintNames(const char *const *dns, const char *const *ips)
{
    const char *sep = "";

    printf("names:              ");
    for (; dns && *dns; dns++, sep = ", ")
        printf("%sDNS:%s", sep, *dns);
    for (; ips && *ips; ips++, sep = ", ")
        printf("%sIP:%s", sep, *ips);
    printf("\n");
}

int pkiIssueServer(const pkiPaths *paths, const pkiIssueOptions *opts)
{
    g_autoptr(GPtrArray) dns = g_ptr_array_new();
    g_autoptr(GPtrArray) ips = g_ptr_array_new();
    g_auto(pkiIssueTarget) t = {0};
    pkiCertSpec spec = {0};

    if (pkiIssueCheckName(opts->name, "server host name") < 0 ||
        pkiIssueServerNames(opts, dns, ips) < 0)
        return -1;
    if (opts->outDir) {
        t.certPath = fileBuildPath(opts->outDir, PKI_SERVER_CERT_NAME);
        t.keyPath = fileBuildPath(opts->outDir, PKI_SERVER_KEY_NAME);
        t.keyDirMode = PKI_DIR_MODE;
    } else {
        t.certPath = g_strdup(paths->serverCert);
        t.keyPath = g_strdup(paths->serverKey);
        t.keyDirMode = PKI_PRIVATE_DIR_MODE;
    }
    spec.cn = opts->name;
    spec.org = opts->org;
    spec.days = opts->days ? opts->days : PKI_CERT_DAYS_DEFAULT;
    spec.purpose = GNUTLS_KP_TLS_WWW_SERVER;
    spec.dns = (const char *const *)dns->pdata;
    spec.ips = (const char *const *)ips->pdata;
    if (pkiIssue(paths, opts, &spec, &t) < 0)
        return -1;

    printf("server certificate: %s\n", t.certPath);
    printf("server key:         %s\n", t.keyPath);
    pkiIssuePrintNames(spec.dns, spec.ips);
    printf("clients must connect with one of these names, e.g. "
           "qemu+tls://%s/system\n",
           opts->name);
    return 0;
}

/* Where a client's files go: --system, --out DIR, or ./NAME. */
static int pkiIssueClientTarget(const pkiPaths *paths,
                                const pkiIssueOptions *opts, pkiIssueTarget *t)
{
    g_autofree char *dir = NULL;

    if (opts->system) {
        if (opts->outDir) {
            pkiError("--system and --out cannot be used together");
            return -1;
        }
        /* Root's clients read the CA where vmmd does: no copy needed. */
        t->certPath = g_strdup(paths->clientCert);
        t->keyPath = g_strdup(paths->clientKey);
        t->keyDirMode = PKI_PRIVATE_DIR_MODE;
        return 0;
    }
    if (opts->outDir) {
        dir = g_canonicalize_filename(opts->outDir, NULL);
    } else {
        if (strchr(opts->name, '/') || g_str_equal(opts->name, ".") ||
            g_str_equal(opts->name, "..")) {
            pkiError("the client name '%s' cannot name a directory: give "
                     "--out DIR",
                     opts->name);
            return -1;
        }
        dir = g_canonicalize_filename(opts->name, NULL);
    }
    t->certPath = fileBuildPath(dir, PKI_CLIENT_CERT_NAME);
    t->keyPath = fileBuildPath(dir, PKI_CLIENT_KEY_NAME);
    t->caPath = fileBuildPath(dir, PKI_CA_CERT_NAME);
    t->keyDirMode = PKI_DIR_MODE;
    return 0;
}

int pkiIssueClient(const pkiPaths *paths, const pkiIssueOptions *opts)
{
    g_auto(pkiIssueTarget) t = {0};
    g_autofree char *dir = NULL;
    pkiCertSpec spec = {0};

    if (pkiIssueCheckName(opts->name, "client name") < 0 ||
        pkiIssueClientTarget(paths, opts, &t) < 0)
        return -1;
    spec.cn = opts->name;
    spec.org = opts->org;
    spec.days = opts->days ? opts->days : PKI_CERT_DAYS_DEFAULT;
    spec.purpose = GNUTLS_KP_TLS_WWW_CLIENT;
    if (pkiIssue(paths, opts, &spec, &t) < 0)
        return -1;

    printf("client certificate: %s\n", t.certPath);
    printf("client key:         %s\n", t.keyPath);
    if (opts->system) {
        printf("root's libvirt clients on this host use it with no "
               "pkipath: virsh -c qemu+tls://HOST/system\n");
        return 0;
    }
    dir = g_path_get_dirname(t.certPath);
    printf("CA certificate:     %s\n", t.caPath);
    printf("use it with:        virsh -c 'qemu+tls://HOST/system?pkipath=%s'"
           "\n",
           dir);
    printf("(or copy the three files to ~/.pki/libvirt/ to need no "
           "pkipath)\n");
    return 0;
}
