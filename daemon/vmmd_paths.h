/*
 * vmmd_paths.h: every file and directory the daemon uses, computed in one
 * place from an optional root directory (`vmmd --root DIR`).
 *
 * With no root the paths are the system ones (/etc/vmm, /var/lib/vmm,
 * /run/vmm, /var/log/vmm, /etc/pki/...); with a root DIR each of them moves
 * under DIR, so tests can run private daemons side by side. configure's
 * sysconfdir / localstatedir / runstatedir deliberately play no part: the
 * documentation and the tests can name the paths as they are.
 *
 * The PKI files follow libvirt's layout with "vmm" where libvirt has
 * "libvirt": the CA under DIR/etc/pki/CA, the server's certificate and key
 * under DIR/etc/pki/vmm.
 */
#pragma once

#include <glib.h>

#include "vmmd_config.h"

typedef struct {
    char *root;       /* "" for the system paths, else absolute, no '/' end */
    char *configDir;  /* ROOT/etc/vmm */
    char *configFile; /* ROOT/etc/vmm/vmmd.conf */
    char *stateDir;   /* ROOT/var/lib/vmm */
    char *runDir;     /* ROOT/run/vmm */
    char *logDir;     /* ROOT/var/log/vmm */
    char *pidFile;    /* ROOT/run/vmm/vmmd.pid */
    char *sockDir;    /* runDir, or unix_sock_dir from vmmd.conf */
    char *sockRW;     /* sockDir/vmm-sock */
    char *sockRO;     /* sockDir/vmm-sock-ro */
    char *sockAdmin;  /* sockDir/vmm-admin-sock */
    char *caFile;     /* ROOT/etc/pki/CA/cacert.pem, or ca_file */
    char *crlFile;    /* ROOT/etc/pki/CA/cacrl.pem (used only if it exists),
                         or crl_file (then required) */
    char *certFile;   /* ROOT/etc/pki/vmm/servercert.pem, or cert_file */
    char *keyFile;    /* ROOT/etc/pki/vmm/private/serverkey.pem, or key_file */
} vmmdPaths;

/* The socket and pid file names, inside the socket / run directory. */
#define VMMD_SOCK_RW_NAME "vmm-sock"
#define VMMD_SOCK_RO_NAME "vmm-sock-ro"
#define VMMD_SOCK_ADMIN_NAME "vmm-admin-sock"
#define VMMD_PID_FILE_NAME "vmmd.pid"

/* Paths under @root; NULL or "/" for the system paths. A relative @root is
 * taken from the current directory (the daemon later changes to "/"). */
int vmmdPathsNew(const char *root, vmmdPaths **ret_paths);
void vmmdPathsFree(vmmdPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdPaths, vmmdPathsFree)

/* Take the paths vmmd.conf sets (unix_sock_dir, ca_file, crl_file,
 * cert_file, key_file) in place of the defaults. They are used as written,
 * not moved under the root: the file names real paths. */
void vmmdPathsApplyConfig(vmmdPaths *paths, const vmmdConfig *cfg);

/* Directories of one driver (e.g. "qemu"): persistent definitions in
 * ROOT/etc/vmm/DRIVER, run-time status in ROOT/run/vmm/DRIVER, other state
 * in ROOT/var/lib/vmm/DRIVER, logs in ROOT/var/log/vmm/DRIVER. @driver is
 * a plain name: one with a '/' or "." / ".." is a programming error (a
 * g_critical, and NULL). */
char *vmmdPathsDriverConfigDir(const vmmdPaths *paths, const char *driver);
char *vmmdPathsDriverRunDir(const vmmdPaths *paths, const char *driver);
char *vmmdPathsDriverStateDir(const vmmdPaths *paths, const char *driver);
char *vmmdPathsDriverLogDir(const vmmdPaths *paths, const char *driver);
