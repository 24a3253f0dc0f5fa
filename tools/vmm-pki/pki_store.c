/*
 * pki_store.c: vmm-pki's file layout and its PEM file I/O (see
 * pki_store.h). Writes go through fileWriteAtomic so a crash never leaves a
 * half-written key or certificate where vmmd or a client would read it.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "pki_store.h"
#include "util_error.h"
#include "util_file.h"

static char *pkiRootNormalize(const char *root)
{
    g_autofree char *abs = NULL;
    size_t len;

    if (!root || g_str_equal(root, "") || g_str_equal(root, "/"))
        return g_strdup("");
    abs = g_canonicalize_filename(root, NULL);
    len = strlen(abs);
    while (len > 1 && abs[len - 1] == '/')
        abs[--len] = '\0';
    if (g_str_equal(abs, "/"))
        return g_strdup("");
    return g_steal_pointer(&abs);
}

pkiPaths *pkiPathsNew(const char *root)
{
    pkiPaths *paths = g_new0(pkiPaths, 1);
    const char *r;

    paths->root = pkiRootNormalize(root);
    r = paths->root;
    paths->caCert = g_strdup_printf("%s/etc/pki/CA/" PKI_CA_CERT_NAME, r);
    paths->caKey = g_strdup_printf("%s/etc/pki/CA/private/cakey.pem", r);
    paths->serverCert =
        g_strdup_printf("%s/etc/pki/vmm/" PKI_SERVER_CERT_NAME, r);
    paths->serverKey =
        g_strdup_printf("%s/etc/pki/vmm/private/" PKI_SERVER_KEY_NAME, r);
    paths->clientCert =
        g_strdup_printf("%s/etc/pki/libvirt/" PKI_CLIENT_CERT_NAME, r);
    paths->clientKey =
        g_strdup_printf("%s/etc/pki/libvirt/private/" PKI_CLIENT_KEY_NAME, r);
    return paths;
}

void pkiPathsFree(pkiPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->root);
    g_free(paths->caCert);
    g_free(paths->caKey);
    g_free(paths->serverCert);
    g_free(paths->serverKey);
    g_free(paths->clientCert);
    g_free(paths->clientKey);
    g_free(paths);
}

void pkiError(const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    vmmError err = {0};
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err.code = VMM_ERR_OPERATION_FAILED;
    err.domain = VMM_FROM_NONE;
    err.level = VMM_ERR_ERROR;
    err.message = msg;
    errorReportFull(&err);
}

bool pkiFileExists(const char *path)
{
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

int pkiFileRead(const char *path, const char *what, char **ret_data,
                size_t *ret_len)
{
    if (!pkiFileExists(path)) {
        pkiError("no %s at %s", what, path);
        return -1;
    }
    return fileReadAll(path, PKI_FILE_MAX, ret_data, ret_len);
}

int pkiFileWrite(const char *path, const char *data, size_t len, mode_t mode,
                 mode_t dirMode)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *parent = g_path_get_dirname(dir);

    /* fileMakePath gives every directory it creates the same mode; the
     * parents of a private directory must stay readable. */
    if (fileMakePath(parent, PKI_DIR_MODE) < 0 ||
        fileMakePath(dir, dirMode) < 0)
        return -1;
    return fileWriteAtomic(path, data, len, mode);
}

int pkiFileCheckOverwrite(const char *path, const char *what, bool force)
{
    if (force || !pkiFileExists(path))
        return 0;
    pkiError("a %s already exists at %s: use --force to replace it", what,
             path);
    return -1;
}
