/*
 * pki_ca.c: `vmm-pki init` and loading the CA (see pki_ca.h).
 *
 * The CA key is written before the certificate: a crash in between leaves
 * no CA certificate, so the next `init` starts over instead of finding a
 * certificate whose key is gone.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "pki_ca.h"

/* Quote @path for a shell only when it needs it: messages put the
 * command between single quotes already. */
static char *pkiShellWord(const char *path)
{
    const char *p;

    for (p = path; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("/._-+,:@", *p))
            return g_shell_quote(path);
    }
    return g_strdup(path);
}

char *pkiCommandPrefix(const pkiPaths *paths)
{
    g_autofree char *word = NULL;

    if (!*paths->root)
        return g_strdup("vmm-pki");
    word = pkiShellWord(paths->root);
    return g_strdup_printf("vmm-pki --root %s", word);
}

int pkiCaInit(const pkiPaths *paths, const pkiCaOptions *opts)
{
    g_auto(gnutls_x509_privkey_t) key = NULL;
    g_auto(gnutls_x509_crt_t) crt = NULL;
    g_autofree char *cn = NULL;
    g_autofree char *keyPem = NULL;
    g_autofree char *crtPem = NULL;
    size_t keyLen, crtLen;
    pkiCertSpec spec = {0};

    if (pkiFileCheckOverwrite(paths->caCert, "CA certificate", opts->force) <
            0 ||
        pkiFileCheckOverwrite(paths->caKey, "CA key", opts->force) < 0)
        return -1;

    cn = opts->cn ? g_strdup(opts->cn)
                  : g_strdup_printf("vmm CA on %s", g_get_host_name());
    spec.cn = cn;
    spec.org = opts->org;
    spec.days = opts->days ? opts->days : PKI_CA_DAYS_DEFAULT;
    spec.ca = true;

    if (pkiKeyGenerate(opts->keyType, &key) < 0 ||
        pkiCertCreate(&spec, key, NULL, NULL, &crt) < 0 ||
        pkiKeyExport(key, &keyPem, &keyLen) < 0 ||
        pkiCertExport(crt, &crtPem, &crtLen) < 0)
        return -1;
    if (pkiFileWrite(paths->caKey, keyPem, keyLen, PKI_KEY_MODE,
                     PKI_PRIVATE_DIR_MODE) < 0 ||
        pkiFileWrite(paths->caCert, crtPem, crtLen, PKI_CERT_MODE,
                     PKI_DIR_MODE) < 0)
        return -1;

    printf("CA certificate: %s\n", paths->caCert);
    printf("CA key:         %s (keep it secret: it signs every "
           "certificate)\n",
           paths->caKey);
    printf("subject:        CN=%s, valid %d days\n", cn, spec.days);
    return 0;
}

int pkiCaLoad(const pkiPaths *paths, gnutls_x509_crt_t *ret_crt,
              gnutls_x509_privkey_t *ret_key)
{
    g_auto(gnutls_x509_crt_t) crt = NULL;
    g_auto(gnutls_x509_privkey_t) key = NULL;
    g_autofree char *cmd = pkiCommandPrefix(paths);

    if (!pkiFileExists(paths->caCert)) {
        pkiError("no CA at %s: run '%s init' first", paths->caCert, cmd);
        return -1;
    }
    if (!pkiFileExists(paths->caKey)) {
        pkiError("the CA's private key is not at %s: certificates can only "
                 "be issued where the CA key is (or make a new CA with "
                 "'%s init --force')",
                 paths->caKey, cmd);
        return -1;
    }
    if (pkiCertLoad(paths->caCert, "CA certificate", &crt) < 0 ||
        pkiKeyLoad(paths->caKey, "CA key", &key) < 0)
        return -1;
    if (!pkiKeyMatchesCert(key, crt)) {
        pkiError("the CA key %s does not belong to the CA certificate %s: "
                 "restore the right key, or make a new CA with '%s init "
                 "--force'",
                 paths->caKey, paths->caCert, cmd);
        return -1;
    }
    *ret_crt = g_steal_pointer(&crt);
    *ret_key = g_steal_pointer(&key);
    return 0;
}
