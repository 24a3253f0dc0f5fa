/*
 * pki_ca.h: the certificate authority of a vmm installation: making it
 * (`vmm-pki init`) and loading it to sign with.
 */
#pragma once

#include <stdbool.h>

#include "pki_store.h"
#include "pki_x509.h"

typedef struct {
    const char *cn;      /* NULL: "vmm CA on HOSTNAME" */
    const char *org;     /* or NULL */
    int days;            /* 0: PKI_CA_DAYS_DEFAULT */
    const char *keyType; /* see pkiKeyGenerate */
    bool force;          /* replace an existing CA */
} pkiCaOptions;

/* Create the CA key and self-signed certificate at @paths' CA paths and
 * say where they went on stdout. */
int pkiCaInit(const pkiPaths *paths, const pkiCaOptions *opts);

/* The CA certificate and its key, checked to belong together. The error
 * says to run 'vmm-pki init' when there is no CA. */
int pkiCaLoad(const pkiPaths *paths, gnutls_x509_crt_t *ret_crt,
              gnutls_x509_privkey_t *ret_key);

/* "vmm-pki" or "vmm-pki --root DIR": how messages tell the user to run
 * the tool again on the same tree. */
char *pkiCommandPrefix(const pkiPaths *paths);
