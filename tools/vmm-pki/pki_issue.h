/*
 * pki_issue.h: issuing certificates signed by the installation's CA:
 * `vmm-pki server` (vmmd's TLS identity) and `vmm-pki client` (a user's,
 * written as a directory a libvirt client reads through pkipath=).
 */
#pragma once

#include <stdbool.h>

#include "pki_store.h"

typedef struct {
    const char *name;       /* server: host name or address; client: CN */
    const char *org;        /* subject organization, or NULL */
    int days;               /* 0: PKI_CERT_DAYS_DEFAULT; < 0 for tests */
    const char *keyType;    /* see pkiKeyGenerate */
    const char *const *dns; /* server: more DNS names */
    const char *const *ips; /* server: IP addresses */
    const char *outDir;     /* NULL: the default place (see each command) */
    bool system;            /* client: root's system-wide libvirt paths */
    bool force;             /* replace existing files */
} pkiIssueOptions;

/* Issue vmmd's server certificate: to @paths' server paths, or to
 * OUT/servercert.pem and OUT/serverkey.pem. */
int pkiIssueServer(const pkiPaths *paths, const pkiIssueOptions *opts);

/* Issue a client certificate: into OUT (default ./NAME) as cacert.pem,
 * clientcert.pem and clientkey.pem, or with @system to
 * ROOT/etc/pki/libvirt where root's clients look. */
int pkiIssueClient(const pkiPaths *paths, const pkiIssueOptions *opts);
