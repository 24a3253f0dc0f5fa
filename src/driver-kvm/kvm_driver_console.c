/*
 * kvm_driver_console.c: a running guest's serial port or console as a
 * stream. The device is found by its alias (serialN, consoleN, channelN,
 * libvirt's names; none: the first console, else the first serial port),
 * its host side asked of QEMU (query-chardev gives the pty path) or taken
 * from the definition (a unix socket), and opened as an fd stream.
 *
 * One user per device: a second open fails unless it forces, which takes
 * the device from the first user (whose stream then fails).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd_stream.h"
#include "kvm_driver_console.h"
#include "kvm_driver_state.h"
#include "util_error.h"
#include "util_uuid.h"

/* "UUID/alias" -> vmmStreamPtr (a reference) of the device's user. */
static GMutex consoleLock;
static GHashTable *consoleUsers;

/* The device @dev_name of @def and its alias. */
static const domainChrDef *
kvmConsoleFind(const domainDef *def, const char *dev_name, char **ret_alias)
{
    const domainDevicesDef *d = &def->devices;
    guint nserials = d->serials ? d->serials->len : 0;
    guint nconsoles = d->consoles ? d->consoles->len : 0;
    guint nchannels = d->channels ? d->channels->len : 0;
    const domainChrDef *chr;

    if (!dev_name) {
        if (nconsoles > 0) {
            chr = g_ptr_array_index(d->consoles, 0);
            /* The first console of target serial is serial 0 itself. */
            if (!chr->targetType || g_str_equal(chr->targetType, "serial")) {
                if (nserials > 0)
                    chr = g_ptr_array_index(d->serials, 0);
                *ret_alias = g_strdup("serial0");
            } else {
                *ret_alias = g_strdup("console0");
            }
            return chr;
        }
        if (nserials > 0) {
            *ret_alias = g_strdup("serial0");
            return g_ptr_array_index(d->serials, 0);
        }
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot find a default console device");
        return NULL;
    }
    for (guint i = 0; i < nserials; i++) {
        g_autofree char *alias = g_strdup_printf("serial%u", i);

        if (g_str_equal(alias, dev_name)) {
            *ret_alias = g_steal_pointer(&alias);
            return g_ptr_array_index(d->serials, i);
        }
    }
    for (guint i = 0; i < nconsoles; i++) {
        g_autofree char *alias = g_strdup_printf("console%u", i);

        chr = g_ptr_array_index(d->consoles, i);
        if (g_str_equal(alias, dev_name)) {
            *ret_alias = g_steal_pointer(&alias);
            return chr;
        }
    }
    for (guint i = 0; i < nchannels; i++) {
        g_autofree char *alias = g_strdup_printf("channel%u", i);

        if (g_str_equal(alias, dev_name)) {
            *ret_alias = g_steal_pointer(&alias);
            return g_ptr_array_index(d->channels, i);
        }
    }
    errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                "cannot find character device %s", dev_name);
    return NULL;
}

/* The pty QEMU made for chardev "char" + @alias, from query-chardev. */
static char *kvmConsolePtyPath(kvmMonitor *mon, const char *alias)
{
    g_autofree char *label = g_strdup_printf("char%s", alias);
    g_autoptr(jsonValue) reply = NULL;

    if (kvmMonitorCommand(mon, "query-chardev", NULL, &reply) < 0)
        return NULL;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        const jsonValue *dev = jsonArrayGet(reply, i);
        const char *name = jsonObjectGetString(dev, "label");
        const char *file = jsonObjectGetString(dev, "filename");

        if (name && file && g_str_equal(name, label) &&
            g_str_has_prefix(file, "pty:"))
            return g_strdup(file + strlen("pty:"));
    }
    errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                "QEMU does not report a pty for character device %s", alias);
    return NULL;
}

static int kvmConsoleOpenPty(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        errorReportSystem(KVM_ERR, errno, "cannot open console pty '%s'", path);
    return fd;
}

static int kvmConsoleOpenUnix(const char *path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "console socket path '%s' is too long", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        errorReportSystem(KVM_ERR, errno, "cannot connect to console '%s'",
                          path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Opens the host side of @chr (alias @alias) of the running @obj
 * (locked); the object is unlocked while QEMU is asked. */
static int kvmConsoleOpenDevice(domainObj *obj, const domainChrDef *chr,
                                const char *alias)
{
    kvmDomainPriv *priv = kvmDomainPrivGet(obj);
    kvmMonitor *mon = priv->proc ? kvmProcessGetMonitor(priv->proc) : NULL;
    g_autofree char *path = NULL;

    switch (chr->type) {
    case DOMAIN_CHR_TYPE_UNIX:
        return kvmConsoleOpenUnix(chr->srcPath);
    case DOMAIN_CHR_TYPE_PTY:
        if (!mon) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                        "QEMU of domain '%s' is not answering", obj->name);
            return -1;
        }
        domainObjUnlock(obj);
        path = kvmConsolePtyPath(mon, alias);
        domainObjLock(obj);
        return path ? kvmConsoleOpenPty(path) : -1;
    default:
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "character device %s is not using a PTY", alias);
        return -1;
    }
}

static void kvmConsoleUserFree(void *st)
{
    vmmStreamFree(st);
}

/* Makes @st the user of @key, taking the device from its current user
 * when @force; fails when it has one and not @force. */
static int kvmConsoleClaim(const char *key, vmmStreamPtr st, bool force)
{
    vmmStreamPtr old;

    g_mutex_lock(&consoleLock);
    if (!consoleUsers)
        consoleUsers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             kvmConsoleUserFree);
    old = g_hash_table_lookup(consoleUsers, key);
    if (old && fdStreamIsActive(old)) {
        if (!force) {
            g_mutex_unlock(&consoleLock);
            errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                        "Active console session exists for this domain");
            return -1;
        }
        fdStreamKill(old, "the console was taken by another session");
    }
    vmmStreamRef(st);
    g_hash_table_replace(consoleUsers, g_strdup(key), st);
    g_mutex_unlock(&consoleLock);
    return 0;
}

int kvmDomainOpenConsole(vmmDomainPtr dom, const char *dev_name,
                         vmmStreamPtr st, unsigned int flags)
{
    domainObj *obj;
    const domainChrDef *chr;
    g_autofree char *alias = NULL;
    g_autofree char *key = NULL;
    char uuid[VMM_UUID_STRING_BUFLEN];
    int fd = -1;
    int rc = -1;

    if (kvmCheckFlags(flags,
                      VMM_DOMAIN_CONSOLE_FORCE | VMM_DOMAIN_CONSOLE_SAFE) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    /* The job keeps QEMU and its monitor while the object is unlocked. */
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    if (domainObjCheckActive(obj) < 0 ||
        !(chr = kvmConsoleFind(obj->def, dev_name, &alias)))
        goto out;
    uuidFormat(obj->uuid, uuid);
    key = g_strdup_printf("%s/%s", uuid, alias);
    /* The device is claimed once open: a user taken away by force
     * loses it only when the new one really has it. */
    if ((fd = kvmConsoleOpenDevice(obj, chr, alias)) < 0)
        goto out;
    if (fdStreamOpen(st, fd) < 0)
        goto out;
    if (kvmConsoleClaim(key, st, flags & VMM_DOMAIN_CONSOLE_FORCE) < 0) {
        g_autoptr(vmmError) saved = errorSave();

        /* The stream is unusable now; its descriptor goes with it. */
        st->closed = true;
        if (st->driver->streamAbort(st) < 0)
            errorReset();
        if (saved)
            errorReportFull(saved);
        goto out;
    }
    rc = 0;
out:
    kvmDomainJobEnd(obj);
    domainObjEndAPI(&obj);
    return rc;
}
