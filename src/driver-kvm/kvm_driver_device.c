/*
 * kvm_driver_device.c: disks and interfaces added to and removed from a
 * QEMU guest, live (QMP) and in its stored definition, and their I/O
 * counters.
 *
 * Live changes reuse kvm_command's builders, so a hotplugged device gets
 * exactly the options it would get on the command line; each option is
 * turned into the QMP command that takes it (blockdev-add, netdev_add,
 * device_add). Removal asks the guest with device_del and waits for
 * QEMU's DEVICE_DELETED (the guest must cooperate, so with a timeout)
 * before the back end goes away.
 *
 * Not here: other device kinds (refused with VMM_ERR_CONFIG_UNSUPPORTED),
 * updates of a device in place.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util_error.h"
#include "util_file.h"
#include "util_json.h"
#include "kvm_command.h"
#include "kvm_driver_device.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_state.h"

/* How long the guest has to release a device after device_del. */
#define KVM_DEVICE_DEL_TIMEOUT_MS 10000

#define KVM_DEVICE_MODIFY_FLAGS                                                \
    (VMM_DOMAIN_DEVICE_MODIFY_LIVE | VMM_DOMAIN_DEVICE_MODIFY_CONFIG)

/* ---- parsing a device -------------------------------------------------- */

/* The device XML inside a minimal domain, so the domain parser (with its
 * defaults: disk bus from the target, generated MAC) reads it. */
static domainDef *kvmDeviceParse(const char *xml)
{
    g_autofree char *doc = NULL;
    g_autoptr(domainDef) def = NULL;
    const char *body = xml;
    guint ndevices;

    while (g_ascii_isspace(*body))
        body++;
    if (g_str_has_prefix(body, "<?xml")) {
        const char *end = strstr(body, "?>");

        body = end ? end + 2 : body;
    }
    doc = g_strdup_printf("<domain type='qemu'><name>vmm-device</name>"
                          "<memory>131072</memory><os><type>hvm</type></os>"
                          "<devices>%s</devices></domain>",
                          body);
    if (!(def = domainDefParseString(doc, 0)))
        return NULL;
    /* Controllers are not counted: the parser may add the one a disk's
     * bus implies. */
    ndevices = def->devices.disks->len + def->devices.nets->len +
               def->devices.filesystems->len +
               def->devices.serials->len + def->devices.consoles->len +
               def->devices.channels->len + def->devices.inputs->len +
               def->devices.graphics->len + def->devices.sounds->len +
               def->devices.videos->len + def->devices.rngs->len;
    if (ndevices != 1 ||
        def->devices.disks->len + def->devices.nets->len != 1) {
        errorReport(KVM_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "only one <disk> or <interface> can be attached or "
                    "detached by the QEMU driver");
        return NULL;
    }
    return g_steal_pointer(&def);
}

static domainDiskDef *kvmDeviceDisk(const domainDef *dev)
{
    return dev->devices.disks->len ? g_ptr_array_index(dev->devices.disks, 0)
                                   : NULL;
}

static domainNetDef *kvmDeviceNet(const domainDef *dev)
{
    return dev->devices.nets->len ? g_ptr_array_index(dev->devices.nets, 0)
                                  : NULL;
}

/* ---- options to QMP ---------------------------------------------------- */

/* Splits QEMU's "a=b,c=d" (",," is a literal comma) into keys and values;
 * a leading item without '=' is returned in @ret_head. */
static GPtrArray *kvmOptionSplit(const char *value, char **ret_head)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);

    for (const char *p = value;; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else if (*p == ',' || !*p) {
            g_ptr_array_add(items, g_strdup(cur->str));
            g_string_truncate(cur, 0);
            if (!*p)
                break;
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_string_free(cur, TRUE);
    *ret_head = NULL;
    if (items->len && !strchr(g_ptr_array_index(items, 0), '='))
        *ret_head = g_ptr_array_steal_index(items, 0);
    return items;
}

/* The object under dotted @key ("cache.direct") inside @obj, created as
 * needed; *@ret_leaf points at the last component. */
static jsonValue *kvmJSONNested(jsonValue *obj, const char *key,
                                const char **ret_leaf)
{
    const char *dot;

    while ((dot = strchr(key, '.'))) {
        g_autofree char *part = g_strndup(key, dot - key);
        jsonValue *child = jsonObjectGet(obj, part);

        if (!child) {
            jsonValue *fresh = jsonValueNewObject();

            jsonObjectAppend(obj, part, &fresh);
            child = jsonObjectGet(obj, part);
        }
        obj = child;
        key = dot + 1;
    }
    *ret_leaf = key;
    return obj;
}

/* @value as a QMP argument object. @typed: "on"/"off" become booleans
 * and keys may nest (blockdev-add, netdev_add are typed by QAPI);
 * otherwise every value stays a string (device_add parses them as the
 * command line would). @headKey names the leading bare item. */
static jsonValue *kvmOptionToJSON(const char *value, const char *headKey,
                                  bool typed)
{
    g_autofree char *head = NULL;
    g_autoptr(GPtrArray) items = kvmOptionSplit(value, &head);
    jsonValue *obj = jsonValueNewObject();

    if (head && headKey)
        jsonObjectAppendString(obj, headKey, head);
    for (guint i = 0; i < items->len; i++) {
        const char *item = g_ptr_array_index(items, i);
        const char *eq = strchr(item, '=');
        g_autofree char *key = g_strndup(item, eq - item);
        const char *val = eq + 1;
        const char *leaf = key;
        jsonValue *dst = obj;

        if (typed)
            dst = kvmJSONNested(obj, key, &leaf);
        if (typed && (g_str_equal(val, "on") || g_str_equal(val, "off")))
            jsonObjectAppendBoolean(dst, leaf, g_str_equal(val, "on"));
        else
            jsonObjectAppendString(dst, leaf, val);
    }
    return obj;
}

/* The value of "key=" in a -device / -blockdev option, or NULL. */
static char *kvmOptionGet(const char *value, const char *key)
{
    g_autofree char *head = NULL;
    g_autoptr(GPtrArray) items = kvmOptionSplit(value, &head);
    size_t len = strlen(key);

    for (guint i = 0; i < items->len; i++) {
        const char *item = g_ptr_array_index(items, i);

        if (strncmp(item, key, len) == 0 && item[len] == '=')
            return g_strdup(item + len + 1);
    }
    return NULL;
}

/* The value of the first @option ("-device") in @options, or NULL. */
static const char *kvmOptionsFind(GPtrArray *options, const char *option)
{
    for (guint i = 0; i + 1 < options->len; i += 2) {
        if (g_str_equal(g_ptr_array_index(options, i), option))
            return g_ptr_array_index(options, i + 1);
    }
    return NULL;
}

/* ---- QMP helpers ------------------------------------------------------- */

static int kvmQMP(domainObj *obj, const char *command, jsonValue *args,
                  jsonValue **ret_reply)
{
    g_autoptr(jsonValue) owned = args;

    return kvmLifecycleMonitorRun(obj, command, owned, ret_reply);
}

static int kvmQMPDelById(domainObj *obj, const char *command, const char *key,
                         const char *id)
{
    jsonValue *args = jsonValueNewObject();

    jsonObjectAppendString(args, key, id);
    return kvmQMP(obj, command, args, NULL);
}

/* Undoes the back ends of a failed plug, newest first; keeps the first
 * error. */
static void kvmUnplugBackends(domainObj *obj, GPtrArray *done)
{
    g_autoptr(vmmError) saved = errorSave();

    for (guint i = done->len; i >= 2; i -= 2) {
        const char *option = g_ptr_array_index(done, i - 2);
        g_autofree char *id = NULL;

        if (g_str_equal(option, "-blockdev")) {
            id = kvmOptionGet(g_ptr_array_index(done, i - 1), "node-name");
            kvmQMPDelById(obj, "blockdev-del", "node-name", id);
        } else if (g_str_equal(option, "-netdev")) {
            id = kvmOptionGet(g_ptr_array_index(done, i - 1), "id");
            kvmQMPDelById(obj, "netdev_del", "id", id);
        }
    }
    errorRestore(&saved);
}

/* Sends every option of @options to QEMU; on failure what was added is
 * taken back. */
static int kvmPlugOptions(domainObj *obj, GPtrArray *options)
{
    g_autoptr(GPtrArray) done = g_ptr_array_new();

    for (guint i = 0; i + 1 < options->len; i += 2) {
        const char *option = g_ptr_array_index(options, i);
        const char *value = g_ptr_array_index(options, i + 1);
        int rc;

        if (g_str_equal(option, "-blockdev"))
            rc = kvmQMP(obj, "blockdev-add",
                        kvmOptionToJSON(value, NULL, true), NULL);
        else if (g_str_equal(option, "-netdev"))
            rc = kvmQMP(obj, "netdev_add",
                        kvmOptionToJSON(value, "type", true), NULL);
        else
            rc = kvmQMP(obj, "device_add",
                        kvmOptionToJSON(value, "driver", false), NULL);
        if (rc < 0) {
            kvmUnplugBackends(obj, done);
            return -1;
        }
        g_ptr_array_add(done, (gpointer)option);
        g_ptr_array_add(done, (gpointer)value);
    }
    return 0;
}

/* The names under /machine/peripheral: the devices with an id. */
static GHashTable *kvmPeripherals(domainObj *obj)
{
    g_autoptr(jsonValue) reply = NULL;
    jsonValue *args = jsonValueNewObject();
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                              NULL);

    jsonObjectAppendString(args, "path", "/machine/peripheral");
    if (kvmQMP(obj, "qom-list", args, &reply) < 0) {
        g_hash_table_unref(names);
        return NULL;
    }
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        const char *name = jsonObjectGetString(jsonArrayGet(reply, i), "name");
        const char *type = jsonObjectGetString(jsonArrayGet(reply, i), "type");

        if (name && type && g_str_has_prefix(type, "child<"))
            g_hash_table_add(names, g_strdup(name));
    }
    return names;
}

/* Removals being waited for, "<object address>/<device id>" -> whether
 * QEMU said DEVICE_DELETED. The event arrives in the monitor's thread,
 * maybe before the waiter sleeps, hence the table rather than a bare
 * condition. */
static GMutex kvmDeletedLock;
static GCond kvmDeletedCond;
static GHashTable *kvmDeletedWaits;

static char *kvmDeletedKey(domainObj *obj, const char *id)
{
    return g_strdup_printf("%p/%s", (void *)obj, id);
}

void kvmDeviceDeletedEvent(domainObj *obj, const jsonValue *data)
{
    g_autofree char *key = NULL;
    const char *id;

    /* Devices without an id (a disk's backend) have only a "path". */
    if (!data || !jsonObjectHasKey(data, "device") ||
        !(id = jsonObjectGetString(data, "device")))
        return;
    key = kvmDeletedKey(obj, id);
    g_mutex_lock(&kvmDeletedLock);
    if (kvmDeletedWaits && g_hash_table_contains(kvmDeletedWaits, key)) {
        g_hash_table_replace(kvmDeletedWaits, g_steal_pointer(&key),
                             GINT_TO_POINTER(1));
        g_cond_broadcast(&kvmDeletedCond);
    }
    g_mutex_unlock(&kvmDeletedLock);
}

/* Waits (object unlocked) for DEVICE_DELETED of @key until @deadline. */
static bool kvmDeletedWait(domainObj *obj, const char *key, gint64 deadline)
{
    bool done;

    domainObjUnlock(obj);
    g_mutex_lock(&kvmDeletedLock);
    while (!(done = GPOINTER_TO_INT(g_hash_table_lookup(kvmDeletedWaits,
                                                        key))) &&
           g_cond_wait_until(&kvmDeletedCond, &kvmDeletedLock, deadline))
        ;
    done = GPOINTER_TO_INT(g_hash_table_lookup(kvmDeletedWaits, key));
    g_hash_table_remove(kvmDeletedWaits, key);
    g_mutex_unlock(&kvmDeletedLock);
    domainObjLock(obj);
    return done;
}

int kvmDeviceDeleteWait(domainObj *obj, const char *id, int timeoutMs)
{
    g_autofree char *key = kvmDeletedKey(obj, id);
    g_autoptr(GHashTable) names = NULL;
    gint64 deadline =
        g_get_monotonic_time() + timeoutMs * G_TIME_SPAN_MILLISECOND;

    g_mutex_lock(&kvmDeletedLock);
    if (!kvmDeletedWaits)
        kvmDeletedWaits =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_replace(kvmDeletedWaits, g_strdup(key), GINT_TO_POINTER(0));
    g_mutex_unlock(&kvmDeletedLock);
    if (kvmQMPDelById(obj, "device_del", "id", id) < 0) {
        g_mutex_lock(&kvmDeletedLock);
        g_hash_table_remove(kvmDeletedWaits, key);
        g_mutex_unlock(&kvmDeletedLock);
        return -1;
    }
    if (kvmDeletedWait(obj, key, deadline))
        return 1;
    /* No event: the device may still have gone (a monitor reconnect
     * loses events), so ask. */
    if (!(names = kvmPeripherals(obj)))
        return -1;
    return g_hash_table_contains(names, id) ? 0 : 1;
}

/* device_del, then waits for QEMU's DEVICE_DELETED (the guest has
 * released the device) up to a timeout. */
static int kvmDeviceDelete(domainObj *obj, const char *id)
{
    int rc = kvmDeviceDeleteWait(obj, id, KVM_DEVICE_DEL_TIMEOUT_MS);

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    errorReport(KVM_ERR, VMM_ERR_OPERATION_TIMEOUT,
                "the guest did not release device '%s' within %d s; it may "
                "still go away later",
                id, KVM_DEVICE_DEL_TIMEOUT_MS / 1000);
    return -1;
}

/* ---- disks ------------------------------------------------------------- */

/* One more than the highest vmm-N- block node QEMU has. */
static int kvmNextNode(domainObj *obj, unsigned int *ret_node)
{
    g_autoptr(jsonValue) reply = NULL;
    unsigned int max = 0;

    if (kvmQMP(obj, "query-named-block-nodes", NULL, &reply) < 0)
        return -1;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        const char *name =
            jsonObjectGetString(jsonArrayGet(reply, i), "node-name");
        unsigned int n;

        if (name && sscanf(name, "vmm-%u-", &n) == 1 && n > max)
            max = n;
    }
    errorReset(); /* a node without a name is no error */
    *ret_node = max + 1;
    return 0;
}

char *kvmDeviceDiskId(const domainDef *def, const domainDiskDef *disk)
{
    g_autoptr(GPtrArray) options = NULL;
    g_autofree char *id = NULL;
    const char *device;

    if (kvmCommandDiskOptions(def, disk, 1, &options) < 0)
        return NULL;
    if (!(device = kvmOptionsFind(options, "-device")) ||
        !(id = kvmOptionGet(device, "id"))) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "disk '%s' has no device id", disk->dst);
        return NULL;
    }
    return g_steal_pointer(&id);
}

bool kvmDeviceQdevIs(const char *qdev, const char *id)
{
    g_autofree char *prefix = g_strdup_printf("/machine/peripheral/%s/", id);

    return qdev && (g_str_equal(qdev, id) || g_str_has_prefix(qdev, prefix));
}

/* The format node behind device @id, or NULL (with no error) when the
 * device has no medium. */
static int kvmDiskFormatNode(domainObj *obj, const char *id, char **ret_node)
{
    g_autoptr(jsonValue) reply = NULL;

    if (kvmQMP(obj, "query-block", NULL, &reply) < 0)
        return -1;
    *ret_node = NULL;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        jsonValue *blk = jsonArrayGet(reply, i);
        jsonValue *inserted;

        if (!kvmDeviceQdevIs(jsonObjectGetString(blk, "qdev"), id))
            continue;
        if ((inserted = jsonObjectGetObject(blk, "inserted")))
            *ret_node = g_strdup(jsonObjectGetString(inserted, "node-name"));
        break;
    }
    errorReset(); /* missing members just mean "no medium" */
    return 0;
}

static int kvmDiskCheckNew(const domainDef *def, const domainDiskDef *disk)
{
    if (domainDefFindDisk(def, disk->dst)) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                    "target %s already exists", disk->dst);
        return -1;
    }
    return 0;
}

/* ---- PCI placement on q35 -------------------------------------------- */

static void kvmPCIBusAdd(GHashTable *buses, const domainDeviceAddress *addr)
{
    if (addr->type == DOMAIN_ADDRESS_PCI && addr->bus != 0)
        g_hash_table_add(buses, GUINT_TO_POINTER(addr->bus));
}

/* The PCI buses (controller indexes) that devices of @def sit on. */
static GHashTable *kvmPCIBusesUsed(const domainDevicesDef *d)
{
    GHashTable *buses = g_hash_table_new(g_direct_hash, g_direct_equal);

    for (guint i = 0; d->disks && i < d->disks->len; i++) {
        const domainDiskDef *disk = g_ptr_array_index(d->disks, i);

        kvmPCIBusAdd(buses, &disk->addr);
    }
    for (guint i = 0; d->nets && i < d->nets->len; i++) {
        const domainNetDef *net = g_ptr_array_index(d->nets, i);

        kvmPCIBusAdd(buses, &net->addr);
    }
    for (guint i = 0; d->controllers && i < d->controllers->len; i++) {
        const domainControllerDef *c = g_ptr_array_index(d->controllers, i);

        kvmPCIBusAdd(buses, &c->addr);
    }
    return buses;
}

/* q35's root bus (pcie.0) takes no hotplug: a PCI device plugged into a
 * running q35 guest without an address goes to the first
 * pcie-root-port of @def that no disk, interface or controller sits on
 * already. No port left is an error that says what to add. */
static int kvmDevicePlaceQ35(const domainDef *def, domainDeviceAddress *addr)
{
    const domainDevicesDef *d = &def->devices;
    const char *machine = def->os.machine ? def->os.machine : "";
    g_autoptr(GHashTable) used = NULL;

    if (addr->type != DOMAIN_ADDRESS_NONE ||
        (!g_str_equal(machine, "q35") && !g_str_has_prefix(machine, "pc-q35")))
        return 0;
    used = kvmPCIBusesUsed(d);
    for (guint i = 0; d->controllers && i < d->controllers->len; i++) {
        const domainControllerDef *c = g_ptr_array_index(d->controllers, i);

        if (c->type != DOMAIN_CONTROLLER_TYPE_PCI || !c->model ||
            !g_str_equal(c->model, "pcie-root-port") ||
            g_hash_table_contains(used, GUINT_TO_POINTER(c->index)))
            continue;
        *addr =
            (domainDeviceAddress){.type = DOMAIN_ADDRESS_PCI, .bus = c->index};
        return 0;
    }
    errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                "machine q35 plugs PCI devices into a running guest only "
                "through a free pcie-root-port: add <controller type='pci' "
                "model='pcie-root-port'/> to the definition of '%s'",
                def->name);
    return -1;
}

static int kvmDiskAttachLive(domainObj *obj, domainDef *dev)
{
    domainDiskDef *disk = kvmDeviceDisk(dev);
    g_autoptr(GPtrArray) options = NULL;
    unsigned int node;

    if (kvmDiskCheckNew(obj->def, disk) < 0 ||
        (disk->bus == DOMAIN_DISK_BUS_VIRTIO &&
         kvmDevicePlaceQ35(obj->def, &disk->addr) < 0) ||
        kvmNextNode(obj, &node) < 0 ||
        kvmCommandDiskOptions(obj->def, disk, node, &options) < 0 ||
        kvmPlugOptions(obj, options) < 0)
        return -1;
    g_ptr_array_add(obj->def->devices.disks,
                    g_ptr_array_steal_index(dev->devices.disks, 0));
    return 0;
}

static domainDiskDef *kvmDiskFind(const domainDef *def,
                                  const domainDiskDef *want, guint *ret_index)
{
    for (guint i = 0; i < def->devices.disks->len; i++) {
        domainDiskDef *disk = g_ptr_array_index(def->devices.disks, i);

        if (g_str_equal(disk->dst, want->dst)) {
            *ret_index = i;
            return disk;
        }
    }
    errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED, "disk %s not found",
                want->dst);
    return NULL;
}

static int kvmDiskDetachLive(domainObj *obj, domainDef *dev)
{
    g_autofree char *id = NULL;
    g_autofree char *format = NULL;
    domainDiskDef *disk;
    guint index;

    if (!(disk = kvmDiskFind(obj->def, kvmDeviceDisk(dev), &index)) ||
        !(id = kvmDeviceDiskId(obj->def, disk)) ||
        kvmDiskFormatNode(obj, id, &format) < 0 ||
        kvmDeviceDelete(obj, id) < 0)
        return -1;
    /* The device is gone: the definition follows QEMU even when freeing
     * the back end fails below. */
    g_ptr_array_remove_index(obj->def->devices.disks, index);
    if (format && g_str_has_suffix(format, "-format")) {
        g_autofree char *storage = g_strdup_printf(
            "%.*s-storage", (int)(strlen(format) - strlen("-format")), format);

        if (kvmQMPDelById(obj, "blockdev-del", "node-name", format) < 0 ||
            kvmQMPDelById(obj, "blockdev-del", "node-name", storage) < 0)
            return -1;
    }
    return 0;
}

/* ---- interfaces -------------------------------------------------------- */

static int kvmNetCheckNew(const domainDef *def, const domainNetDef *net)
{
    if (net->mac && domainDefFindNet(def, net->mac)) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                    "interface with MAC address %s already exists",
                    net->mac);
        return -1;
    }
    if (net->ifname) {
        for (guint i = 0; i < def->devices.nets->len; i++) {
            domainNetDef *other = g_ptr_array_index(def->devices.nets, i);

            if (other->ifname && g_str_equal(other->ifname, net->ifname)) {
                errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                            "interface with target dev %s already exists",
                            net->ifname);
                return -1;
            }
        }
    }
    return 0;
}

static int kvmNetAttachLive(domainObj *obj, domainDef *dev)
{
    domainNetDef *net = kvmDeviceNet(dev);
    g_autoptr(GPtrArray) options = NULL;
    g_autoptr(GHashTable) names = NULL;
    unsigned int n = 0;

    if (kvmNetCheckNew(obj->def, net) < 0 ||
        kvmDevicePlaceQ35(obj->def, &net->addr) < 0 ||
        !(names = kvmPeripherals(obj)))
        return -1;
    /* netN / hostnetN as at start, with the first number not taken. */
    for (;; n++) {
        g_autofree char *id = g_strdup_printf("net%u", n);

        if (!g_hash_table_contains(names, id))
            break;
    }
    if (kvmCommandNetOptions(obj->def, net, n, &options) < 0 ||
        kvmPlugOptions(obj, options) < 0)
        return -1;
    g_ptr_array_add(obj->def->devices.nets,
                    g_ptr_array_steal_index(dev->devices.nets, 0));
    return 0;
}

static domainNetDef *kvmNetFind(const domainDef *def, const domainNetDef *want,
                                guint *ret_index)
{
    for (guint i = 0; i < def->devices.nets->len; i++) {
        domainNetDef *net = g_ptr_array_index(def->devices.nets, i);

        if (net->mac && want->mac && g_ascii_strcasecmp(net->mac, want->mac) == 0) {
            *ret_index = i;
            return net;
        }
    }
    errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                "interface with MAC address %s not found",
                want->mac ? want->mac : "");
    return NULL;
}

static char *kvmQOMGetString(domainObj *obj, const char *path,
                             const char *property)
{
    g_autoptr(jsonValue) reply = NULL;
    jsonValue *args = jsonValueNewObject();
    const char *s;

    jsonObjectAppendString(args, "path", path);
    jsonObjectAppendString(args, "property", property);
    if (kvmQMP(obj, "qom-get", args, &reply) < 0)
        return NULL;
    if (!(s = jsonValueGetString(reply))) {
        errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                    "qom-get %s %s did not answer a string", path, property);
        return NULL;
    }
    return g_strdup(s);
}

/* The id of the peripheral with MAC @mac, and its netdev. */
static int kvmNetFindDevice(domainObj *obj, const char *mac, char **ret_id,
                            char **ret_netdev)
{
    g_autoptr(GHashTable) names = kvmPeripherals(obj);
    GHashTableIter it;
    gpointer key;

    if (!names)
        return -1;
    g_hash_table_iter_init(&it, names);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        g_autofree char *path = g_strdup_printf("/machine/peripheral/%s",
                                                (const char *)key);
        g_autofree char *devmac = NULL;

        if (!g_str_has_prefix(key, "net"))
            continue;
        if (!(devmac = kvmQOMGetString(obj, path, "mac")))
            return -1;
        if (g_ascii_strcasecmp(devmac, mac) != 0)
            continue;
        if (!(*ret_netdev = kvmQOMGetString(obj, path, "netdev")))
            return -1;
        *ret_id = g_strdup(key);
        return 0;
    }
    errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                "QEMU has no device with MAC address %s", mac);
    return -1;
}

static int kvmNetDetachLive(domainObj *obj, domainDef *dev)
{
    g_autofree char *id = NULL;
    g_autofree char *netdev = NULL;
    domainNetDef *net;
    guint index;

    if (!(net = kvmNetFind(obj->def, kvmDeviceNet(dev), &index)) ||
        kvmNetFindDevice(obj, net->mac, &id, &netdev) < 0 ||
        kvmDeviceDelete(obj, id) < 0)
        return -1;
    g_ptr_array_remove_index(obj->def->devices.nets, index);
    return kvmQMPDelById(obj, "netdev_del", "id", netdev);
}

/* ---- the stored definition --------------------------------------------- */

static int kvmDeviceAttachConfig(domainDef *config, domainDef *dev)
{
    domainDiskDef *disk = kvmDeviceDisk(dev);
    domainNetDef *net = kvmDeviceNet(dev);

    if (disk) {
        if (kvmDiskCheckNew(config, disk) < 0)
            return -1;
        g_ptr_array_add(config->devices.disks,
                        g_ptr_array_steal_index(dev->devices.disks, 0));
    } else {
        if (kvmNetCheckNew(config, net) < 0)
            return -1;
        g_ptr_array_add(config->devices.nets,
                        g_ptr_array_steal_index(dev->devices.nets, 0));
    }
    return 0;
}

static int kvmDeviceDetachConfig(domainDef *config, domainDef *dev)
{
    guint index;

    if (kvmDeviceDisk(dev)) {
        if (!kvmDiskFind(config, kvmDeviceDisk(dev), &index))
            return -1;
        g_ptr_array_remove_index(config->devices.disks, index);
    } else {
        if (!kvmNetFind(config, kvmDeviceNet(dev), &index))
            return -1;
        g_ptr_array_remove_index(config->devices.nets, index);
    }
    return 0;
}

/* ---- driver slots ------------------------------------------------------ */

typedef int (*kvmDeviceLiveFunc)(domainObj *obj, domainDef *dev);
typedef int (*kvmDeviceConfigFunc)(domainDef *config, domainDef *dev);

/* The common path of attach and detach: the change of the stored
 * definition is tried on a copy first, so one that would fail there does
 * not touch the running guest; it is made for real (and written) after
 * the live change. */
static int kvmDeviceModifyLocked(domainObj *obj, const char *xml,
                                 unsigned int flags, kvmDeviceLiveFunc liveFn,
                                 kvmDeviceConfigFunc configFn)
{
    g_autoptr(domainDef) devLive = NULL;
    g_autoptr(domainDef) devTry = NULL;
    g_autoptr(domainDef) devConfig = NULL;
    g_autoptr(domainDef) trial = NULL;
    domainDef *live = NULL;
    domainDef *config = NULL;

    if (!(devLive = kvmDeviceParse(xml)) || !(devTry = kvmDeviceParse(xml)) ||
        !(devConfig = kvmDeviceParse(xml)))
        return -1;
    /* With modify, a running guest's stored definition is split off its
     * live one first, so a live change stays out of the stored one. */
    if (domainObjGetDefs(obj, flags, true, &live, &config) < 0)
        return -1;
    if (config) {
        if (!(trial = domainDefCopy(config)) || configFn(trial, devTry) < 0)
            return -1;
    }
    if (live) {
        if (liveFn(obj, devLive) < 0)
            return -1;
        kvmLifecycleSaveStatus(obj);
    }
    if (config) {
        if (configFn(config, devConfig) < 0)
            return -1;
        return kvmDriverSaveDef(obj);
    }
    return 0;
}

static int kvmDeviceModify(vmmDomainPtr dom, const char *xml,
                           unsigned int flags, kvmDeviceLiveFunc diskFn,
                           kvmDeviceLiveFunc netFn,
                           kvmDeviceConfigFunc configFn)
{
    g_autoptr(domainDef) probe = NULL;
    domainObj *obj;
    int ret;

    if (kvmCheckFlags(flags, KVM_DEVICE_MODIFY_FLAGS) < 0)
        return -1;
    if (!(probe = kvmDeviceParse(xml)))
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (kvmDomainJobBegin(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    ret = kvmDeviceModifyLocked(obj, xml, flags,
                                kvmDeviceDisk(probe) ? diskFn : netFn,
                                configFn);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

int kvmDomainAttachDeviceFlags(vmmDomainPtr dom, const char *xml,
                               unsigned int flags)
{
    return kvmDeviceModify(dom, xml, flags, kvmDiskAttachLive,
                           kvmNetAttachLive, kvmDeviceAttachConfig);
}

int kvmDomainDetachDeviceFlags(vmmDomainPtr dom, const char *xml,
                               unsigned int flags)
{
    return kvmDeviceModify(dom, xml, flags, kvmDiskDetachLive,
                           kvmNetDetachLive, kvmDeviceDetachConfig);
}

/* ---- statistics -------------------------------------------------------- */

/* The disk of @def whose target or source is @path. */
static domainDiskDef *kvmDiskByPath(const domainDef *def, const char *path)
{
    for (guint i = 0; i < def->devices.disks->len; i++) {
        domainDiskDef *disk = g_ptr_array_index(def->devices.disks, i);

        if (g_str_equal(disk->dst, path) ||
            (disk->src && g_str_equal(disk->src, path)))
            return disk;
    }
    errorReport(KVM_ERR, VMM_ERR_INVALID_ARG, "invalid path: %s", path);
    return NULL;
}

static long long kvmStat(const jsonValue *stats, const char *key)
{
    gint64 v;

    if (jsonObjectGetNumberInt64(stats, key, &v) < 0) {
        errorReset();
        return -1;
    }
    return v;
}

static int kvmBlockStatsLocked(domainObj *obj, const char *path,
                               vmmDomainBlockStatsPtr stats)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autofree char *id = NULL;
    domainDiskDef *disk;

    if (!(disk = kvmDiskByPath(obj->def, path)) ||
        !(id = kvmDeviceDiskId(obj->def, disk)) ||
        kvmQMP(obj, "query-blockstats", NULL, &reply) < 0)
        return -1;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        jsonValue *entry = jsonArrayGet(reply, i);
        const char *qdev = jsonObjectHasKey(entry, "qdev")
                               ? jsonObjectGetString(entry, "qdev")
                               : NULL;
        jsonValue *st;

        if (!kvmDeviceQdevIs(qdev, id) || !(st = jsonObjectGetObject(entry, "stats")))
            continue;
        stats->rd_req = kvmStat(st, "rd_operations");
        stats->rd_bytes = kvmStat(st, "rd_bytes");
        stats->wr_req = kvmStat(st, "wr_operations");
        stats->wr_bytes = kvmStat(st, "wr_bytes");
        /* QEMU counts no errors in a way libvirt reports: -1 stays. */
        return 0;
    }
    errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                "QEMU has no statistics for disk %s", disk->dst);
    return -1;
}

int kvmDomainBlockStats(vmmDomainPtr dom, const char *path,
                        vmmDomainBlockStatsPtr stats)
{
    domainObj *obj;
    int ret;

    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    ret = kvmBlockStatsLocked(obj, path, stats);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

/* The host's counters of tap @ifname from /proc/net/dev, seen from the
 * guest: what the host sends is what the guest receives. */
static int kvmTapStats(const char *ifname, vmmDomainInterfaceStatsPtr stats)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents("/proc/net/dev", &text, NULL, &gerr)) {
        errorReport(KVM_ERR, VMM_ERR_SYSTEM_ERROR,
                    "cannot read /proc/net/dev: %s", gerr->message);
        return -1;
    }
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *colon = strchr(*l, ':');
        g_autofree char *name = NULL;
        long long v[16];

        if (!colon)
            continue;
        name = g_strstrip(g_strndup(*l, colon - *l));
        if (!g_str_equal(name, ifname))
            continue;
        if (sscanf(colon + 1,
                   "%lld %lld %lld %lld %lld %lld %lld %lld "
                   "%lld %lld %lld %lld %lld %lld %lld %lld",
                   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                   &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14],
                   &v[15]) != 16)
            break;
        stats->rx_bytes = v[8];
        stats->rx_packets = v[9];
        stats->rx_errs = v[10];
        stats->rx_drop = v[11];
        stats->tx_bytes = v[0];
        stats->tx_packets = v[1];
        stats->tx_errs = v[2];
        stats->tx_drop = v[3];
        return 0;
    }
    errorReport(KVM_ERR, VMM_ERR_INTERNAL_ERROR,
                "interface %s is not in /proc/net/dev", ifname);
    return -1;
}

static int kvmInterfaceStatsLocked(domainObj *obj, const char *device,
                                   vmmDomainInterfaceStatsPtr stats)
{
    for (guint i = 0; i < obj->def->devices.nets->len; i++) {
        domainNetDef *net = g_ptr_array_index(obj->def->devices.nets, i);

        if (!(net->ifname && g_str_equal(net->ifname, device)) &&
            !(net->mac && g_ascii_strcasecmp(net->mac, device) == 0))
            continue;
        if (net->type != DOMAIN_NET_TYPE_ETHERNET || !net->ifname) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_UNSUPPORTED,
                        "interface statistics are not available for "
                        "interfaces of type '%s'",
                        domainNetTypeToString(net->type));
            return -1;
        }
        return kvmTapStats(net->ifname, stats);
    }
    errorReport(KVM_ERR, VMM_ERR_INVALID_ARG, "invalid path, '%s' is not a "
                "known interface", device);
    return -1;
}

int kvmDomainInterfaceStats(vmmDomainPtr dom, const char *device,
                            vmmDomainInterfaceStatsPtr stats)
{
    domainObj *obj;
    int ret;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0)
        ret = -1;
    else
        ret = kvmInterfaceStatsLocked(obj, device, stats);
    domainObjEndAPI(&obj);
    return ret;
}
