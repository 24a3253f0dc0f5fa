/*
 * vmmd_paths.c: the daemon's file layout, from the root directory and
 * vmmd.conf. Nothing here touches the file system: creating directories
 * and checking that certificates exist is the daemon's start-up work.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "vmmd_paths.h"

void vmmdPathsFree(vmmdPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->root);
    g_free(paths->configDir);
    g_free(paths->configFile);
    g_free(paths->stateDir);
    g_free(paths->runDir);
    g_free(paths->logDir);
    g_free(paths->pidFile);
    g_free(paths->sockDir);
    g_free(paths->sockRW);
    g_free(paths->sockRO);
    g_free(paths->sockAdmin);
    g_free(paths->caFile);
    g_free(paths->crlFile);
    g_free(paths->certFile);
    g_free(paths->keyFile);
    g_free(paths);
}

/* @root as an absolute path without a trailing '/', "" for "/". */
static char *pathsNormalizeRoot(const char *root)
{
    g_autofree char *canon = NULL;
    const char *start;

    if (!root)
        return g_strdup("");
    canon = g_canonicalize_filename(root, NULL);
    /* glib keeps a leading "//" (POSIX leaves its meaning open); on Linux
     * it is plain "/". */
    start = canon;
    while (start[0] == '/' && start[1] == '/')
        start++;
    if (g_str_equal(start, "/"))
        return g_strdup("");
    return g_strdup(start);
}

/* ROOT + "/" + @rel, where @rel has no leading '/'. */
static char *pathsUnderRoot(const vmmdPaths *paths, const char *rel)
{
    return g_strdup_printf("%s/%s", paths->root, rel);
}

static void pathsSetSockets(vmmdPaths *paths, const char *dir)
{
    g_free(paths->sockDir);
    g_free(paths->sockRW);
    g_free(paths->sockRO);
    g_free(paths->sockAdmin);
    paths->sockDir = g_strdup(dir);
    paths->sockRW = g_build_filename(dir, VMMD_SOCK_RW_NAME, NULL);
    paths->sockRO = g_build_filename(dir, VMMD_SOCK_RO_NAME, NULL);
    paths->sockAdmin = g_build_filename(dir, VMMD_SOCK_ADMIN_NAME, NULL);
}

int vmmdPathsNew(const char *root, vmmdPaths **ret_paths)
{
    g_autoptr(vmmdPaths) paths = NULL;

    if (root && !*root) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG,
                    "the root directory must not be an empty string");
        return -1;
    }
    paths = g_new0(vmmdPaths, 1);
    paths->root = pathsNormalizeRoot(root);
    paths->configDir = pathsUnderRoot(paths, "etc/vmm");
    paths->configFile = pathsUnderRoot(paths, "etc/vmm/vmmd.conf");
    paths->stateDir = pathsUnderRoot(paths, "var/lib/vmm");
    paths->runDir = pathsUnderRoot(paths, "run/vmm");
    paths->logDir = pathsUnderRoot(paths, "var/log/vmm");
    paths->pidFile = pathsUnderRoot(paths, "run/vmm/" VMMD_PID_FILE_NAME);
    pathsSetSockets(paths, paths->runDir);
    paths->caFile = pathsUnderRoot(paths, "etc/pki/CA/cacert.pem");
    paths->crlFile = pathsUnderRoot(paths, "etc/pki/CA/cacrl.pem");
    paths->certFile = pathsUnderRoot(paths, "etc/pki/vmm/servercert.pem");
    paths->keyFile = pathsUnderRoot(paths, "etc/pki/vmm/private/serverkey.pem");
    *ret_paths = g_steal_pointer(&paths);
    return 0;
}

static void pathsReplace(char **field, const char *value)
{
    if (!value)
        return;
    g_free(*field);
    *field = g_strdup(value);
}

void vmmdPathsApplyConfig(vmmdPaths *paths, const vmmdConfig *cfg)
{
    if (cfg->unix_sock_dir)
        pathsSetSockets(paths, cfg->unix_sock_dir);
    pathsReplace(&paths->caFile, cfg->ca_file);
    pathsReplace(&paths->crlFile, cfg->crl_file);
    pathsReplace(&paths->certFile, cfg->cert_file);
    pathsReplace(&paths->keyFile, cfg->key_file);
}

static bool pathsDriverNameValid(const char *driver)
{
    return driver && *driver && !strchr(driver, '/') &&
           !g_str_equal(driver, ".") && !g_str_equal(driver, "..");
}

static char *pathsDriverDir(const char *base, const char *driver)
{
    g_return_val_if_fail(pathsDriverNameValid(driver), NULL);
    return g_build_filename(base, driver, NULL);
}

char *vmmdPathsDriverConfigDir(const vmmdPaths *paths, const char *driver)
{
    return pathsDriverDir(paths->configDir, driver);
}

char *vmmdPathsDriverRunDir(const vmmdPaths *paths, const char *driver)
{
    return pathsDriverDir(paths->runDir, driver);
}

char *vmmdPathsDriverStateDir(const vmmdPaths *paths, const char *driver)
{
    return pathsDriverDir(paths->stateDir, driver);
}

char *vmmdPathsDriverLogDir(const vmmdPaths *paths, const char *driver)
{
    return pathsDriverDir(paths->logDir, driver);
}
