/*
 * pki_x509.h: the X.509 work of vmm-pki, on gnutls: making keys, building
 * and signing certificates from a short description, and loading and saving
 * them as PEM. What to issue (which names, which purposes) is decided by
 * the callers in pki_ca.c and pki_issue.c; what to say about a certificate
 * by pki_show.c.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_privkey_t,
                                gnutls_x509_privkey_deinit, NULL)

/* Validity when --days is not given: ten years for a CA, which is painful
 * to replace everywhere; three years for what it signs. */
#define PKI_CA_DAYS_DEFAULT 3650
#define PKI_CERT_DAYS_DEFAULT 1095

/* What a new certificate says. */
typedef struct {
    const char *cn;         /* subject common name */
    const char *org;        /* subject organization, or NULL */
    int days;               /* > 0: valid from now (less an hour, for
                               clocks that lag) for @days days; < 0: expired
                               -@days days ago, for tests */
    bool ca;                /* CA:TRUE, keyCertSign + cRLSign */
    const char *purpose;    /* extended key usage OID, or NULL (CA) */
    const char *const *dns; /* subjectAltName DNS names, or NULL */
    const char *const *ips; /* subjectAltName IP addresses (text), or NULL */
} pkiCertSpec;

/* Raise an error "@what: <gnutls's words for @rc>". */
void pkiGnutlsError(int rc, const char *what);

/* A new private key: @type "ecdsa" (P-256, the default) or "rsa" (3072
 * bits). */
int pkiKeyGenerate(const char *type, gnutls_x509_privkey_t *ret_key);

/* A certificate for the public half of @key as @spec says, signed by
 * @issuerKey with @issuer as the issuer, or self-signed when @issuer is
 * NULL. */
int pkiCertCreate(const pkiCertSpec *spec, gnutls_x509_privkey_t key,
                  gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuerKey,
                  gnutls_x509_crt_t *ret_crt);

/* PEM text of a certificate / of a private key (PKCS#8, unencrypted). */
int pkiCertExport(gnutls_x509_crt_t crt, char **ret_pem, size_t *ret_len);
int pkiKeyExport(gnutls_x509_privkey_t key, char **ret_pem, size_t *ret_len);

/* Load the first certificate / the private key of the PEM file @path; @what
 * names it in errors. */
int pkiCertLoad(const char *path, const char *what, gnutls_x509_crt_t *ret_crt);
int pkiKeyLoad(const char *path, const char *what,
               gnutls_x509_privkey_t *ret_key);

/* Whether @text is an IPv4 or IPv6 address; its bytes go to @buf (16
 * bytes) and their count to @ret_len. */
bool pkiIpParse(const char *text, unsigned char *buf, size_t *ret_len);

/* Whether @key is the private half of @crt's public key. */
bool pkiKeyMatchesCert(gnutls_x509_privkey_t key, gnutls_x509_crt_t crt);
