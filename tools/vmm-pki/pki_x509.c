/*
 * pki_x509.c: keys and certificates on gnutls (see pki_x509.h).
 */
#include <config.h>

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "pki_store.h"
#include "pki_x509.h"

#define PKI_SERIAL_LEN 16
#define PKI_DAY (24 * 60 * 60)
#define PKI_RSA_BITS 3072

void pkiGnutlsError(int rc, const char *what)
{
    pkiError("%s: %s", what, gnutls_strerror(rc));
}

/* Hand gnutls-allocated @d out as a glib string. */
static void pkiDatumSteal(gnutls_datum_t *d, char **ret_text, size_t *ret_len)
{
    *ret_text = g_strndup((const char *)d->data, d->size);
    if (ret_len)
        *ret_len = d->size;
    gnutls_free(d->data);
    d->data = NULL;
}

int pkiKeyGenerate(const char *type, gnutls_x509_privkey_t *ret_key)
{
    g_auto(gnutls_x509_privkey_t) key = NULL;
    gnutls_pk_algorithm_t algo;
    unsigned int bits;
    int rc;

    if (!type || g_str_equal(type, "ecdsa")) {
        algo = GNUTLS_PK_ECDSA;
        bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);
    } else if (g_str_equal(type, "rsa")) {
        algo = GNUTLS_PK_RSA;
        bits = PKI_RSA_BITS;
    } else {
        pkiError("unknown key type '%s': use 'ecdsa' or 'rsa'", type);
        return -1;
    }
    if ((rc = gnutls_x509_privkey_init(&key)) < 0 ||
        (rc = gnutls_x509_privkey_generate(key, algo, bits, 0)) < 0) {
        pkiGnutlsError(rc, "cannot generate a private key");
        return -1;
    }
    *ret_key = g_steal_pointer(&key);
    return 0;
}

/* A random positive serial number (gnutls's error code on failure), unique in
 * practice without a database of issued serials. */
static int pkiCertSetSerial(gnutls_x509_crt_t crt)
{
    unsigned char serial[PKI_SERIAL_LEN];
    int rc;

    if ((rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
        return rc;
    /* Positive, and no leading zero byte that an encoder would drop. */
    serial[0] = (serial[0] & 0x7f) | 0x40;
    return gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
}

static int pkiCertSetValidity(gnutls_x509_crt_t crt, int days)
{
    time_t now = time(NULL);
    time_t from, until;
    int rc;

    if (days > 0) {
        from = now - 60 * 60;
        until = now + (time_t)days * PKI_DAY;
    } else {
        until = now + (time_t)days * PKI_DAY;
        from = until - PKI_DAY;
    }
    if ((rc = gnutls_x509_crt_set_activation_time(crt, from)) < 0)
        return rc;
    return gnutls_x509_crt_set_expiration_time(crt, until);
}

static int pkiCertSetSubject(gnutls_x509_crt_t crt, const pkiCertSpec *spec)
{
    int rc;

    if (spec->org && (rc = gnutls_x509_crt_set_dn_by_oid(
                          crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, spec->org,
                          strlen(spec->org))) < 0)
        return rc;
    return gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                         spec->cn, strlen(spec->cn));
}

static int pkiCertSetAltNames(gnutls_x509_crt_t crt, const pkiCertSpec *spec)
{
    const char *const *p;
    int rc;

    for (p = spec->dns; p && *p; p++) {
        rc = gnutls_x509_crt_set_subject_alt_name(
            crt, GNUTLS_SAN_DNSNAME, *p, strlen(*p), GNUTLS_FSAN_APPEND);
        if (rc < 0)
            return rc;
    }
    for (p = spec->ips; p && *p; p++) {
        unsigned char addr[16];
        size_t len;

        if (!pkiIpParse(*p, addr, &len))
            return GNUTLS_E_INVALID_REQUEST;
        rc = gnutls_x509_crt_set_subject_alt_name(
            crt, GNUTLS_SAN_IPADDRESS, addr, len, GNUTLS_FSAN_APPEND);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Basic constraints, key usage and extended key usage: what libvirt's
 * certificate checks and TLS stacks look at to accept a certificate for
 * its job. */
static int pkiCertSetUsage(gnutls_x509_crt_t crt, const pkiCertSpec *spec)
{
    int rc;

    if ((rc = gnutls_x509_crt_set_basic_constraints(crt, spec->ca ? 1 : 0,
                                                    -1)) < 0)
        return rc;
    if (spec->ca)
        rc = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN |
                                                    GNUTLS_KEY_CRL_SIGN);
    else
        rc = gnutls_x509_crt_set_key_usage(
            crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT);
    if (rc < 0)
        return rc;
    if (spec->purpose)
        return gnutls_x509_crt_set_key_purpose_oid(crt, spec->purpose, 0);
    return 0;
}

/* Subject and authority key identifiers, so verifiers find the issuer
 * quickly even when several CAs share a name. */
static int pkiCertSetKeyIds(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
    unsigned char id[64];
    size_t len = sizeof(id);
    int rc;

    if ((rc = gnutls_x509_crt_get_key_id(crt, 0, id, &len)) < 0 ||
        (rc = gnutls_x509_crt_set_subject_key_id(crt, id, len)) < 0)
        return rc;
    if (!issuer)
        return 0;
    len = sizeof(id);
    if (gnutls_x509_crt_get_subject_key_id(issuer, id, &len, NULL) < 0) {
        len = sizeof(id);
        if ((rc = gnutls_x509_crt_get_key_id(issuer, 0, id, &len)) < 0)
            return rc;
    }
    return gnutls_x509_crt_set_authority_key_id(crt, id, len);
}

int pkiCertCreate(const pkiCertSpec *spec, gnutls_x509_privkey_t key,
                  gnutls_x509_crt_t issuer, gnutls_x509_privkey_t issuerKey,
                  gnutls_x509_crt_t *ret_crt)
{
    g_auto(gnutls_x509_crt_t) crt = NULL;
    int rc;

    if ((rc = gnutls_x509_crt_init(&crt)) < 0 ||
        (rc = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
        (rc = pkiCertSetSerial(crt)) < 0 ||
        (rc = pkiCertSetValidity(crt, spec->days)) < 0 ||
        (rc = pkiCertSetSubject(crt, spec)) < 0 ||
        (rc = gnutls_x509_crt_set_key(crt, key)) < 0 ||
        (rc = pkiCertSetAltNames(crt, spec)) < 0 ||
        (rc = pkiCertSetUsage(crt, spec)) < 0 ||
        (rc = pkiCertSetKeyIds(crt, issuer)) < 0) {
        pkiGnutlsError(rc, "cannot build the certificate");
        return -1;
    }
    if (!issuer) {
        issuer = crt;
        issuerKey = key;
    }
    rc = gnutls_x509_crt_sign2(crt, issuer, issuerKey, GNUTLS_DIG_SHA256, 0);
    if (rc < 0) {
        pkiGnutlsError(rc, "cannot sign the certificate");
        return -1;
    }
    *ret_crt = g_steal_pointer(&crt);
    return 0;
}

int pkiCertExport(gnutls_x509_crt_t crt, char **ret_pem, size_t *ret_len)
{
    gnutls_datum_t out = {NULL, 0};
    int rc;

    if ((rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out)) < 0) {
        pkiGnutlsError(rc, "cannot encode the certificate");
        return -1;
    }
    pkiDatumSteal(&out, ret_pem, ret_len);
    return 0;
}

int pkiKeyExport(gnutls_x509_privkey_t key, char **ret_pem, size_t *ret_len)
{
    gnutls_datum_t out = {NULL, 0};
    int rc;

    rc = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL,
                                           GNUTLS_PKCS_PLAIN, &out);
    if (rc < 0) {
        pkiGnutlsError(rc, "cannot encode the private key");
        return -1;
    }
    pkiDatumSteal(&out, ret_pem, ret_len);
    return 0;
}

int pkiCertLoad(const char *path, const char *what, gnutls_x509_crt_t *ret_crt)
{
    g_autofree char *pem = NULL;
    g_auto(gnutls_x509_crt_t) crt = NULL;
    gnutls_datum_t in;
    size_t len;
    int rc;

    if (pkiFileRead(path, what, &pem, &len) < 0)
        return -1;
    in.data = (unsigned char *)pem;
    in.size = len;
    if ((rc = gnutls_x509_crt_init(&crt)) < 0 ||
        (rc = gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_PEM)) < 0) {
        pkiError("%s is not a PEM certificate: %s", path, gnutls_strerror(rc));
        return -1;
    }
    *ret_crt = g_steal_pointer(&crt);
    return 0;
}

int pkiKeyLoad(const char *path, const char *what,
               gnutls_x509_privkey_t *ret_key)
{
    g_autofree char *pem = NULL;
    g_auto(gnutls_x509_privkey_t) key = NULL;
    gnutls_datum_t in;
    size_t len;
    int rc;

    if (pkiFileRead(path, what, &pem, &len) < 0)
        return -1;
    in.data = (unsigned char *)pem;
    in.size = len;
    if ((rc = gnutls_x509_privkey_init(&key)) < 0 ||
        (rc = gnutls_x509_privkey_import2(key, &in, GNUTLS_X509_FMT_PEM, NULL,
                                          GNUTLS_PKCS_PLAIN)) < 0) {
        pkiError("%s is not an unencrypted PEM private key: %s", path,
                 gnutls_strerror(rc));
        return -1;
    }
    *ret_key = g_steal_pointer(&key);
    return 0;
}

bool pkiIpParse(const char *text, unsigned char *buf, size_t *ret_len)
{
    if (inet_pton(AF_INET, text, buf) == 1) {
        *ret_len = 4;
        return true;
    }
    if (inet_pton(AF_INET6, text, buf) == 1) {
        *ret_len = 16;
        return true;
    }
    return false;
}

bool pkiKeyMatchesCert(gnutls_x509_privkey_t key, gnutls_x509_crt_t crt)
{
    unsigned char keyId[64], crtId[64];
    size_t keyLen = sizeof(keyId), crtLen = sizeof(crtId);

    if (gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, keyId,
                                       &keyLen) < 0 ||
        gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, crtId,
                                   &crtLen) < 0)
        return false;
    return keyLen == crtLen && memcmp(keyId, crtId, keyLen) == 0;
}
