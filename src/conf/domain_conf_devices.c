/*
 * domain_conf_devices.c: the <devices> of a domain definition: the
 * dispatcher, device addresses, and the storage and network devices
 * (disk, controller, filesystem, interface). Character devices, display
 * and the small single-purpose devices are in domain_conf_chr.c.
 *
 * Like the rest of domain_conf, every element is checked against what we
 * model before it is read, and enumerated values are checked, so that a
 * typo is an error rather than a silently different guest.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "domain_conf_chr.h"
#include "domain_conf_devices.h"

#define DOM VMM_FROM_DOMAIN

/* Enum tables ------------------------------------------------------------ */

static const char *const addressTypeNames[] = {
    "", "pci", "drive", "virtio-serial", "usb",
};
G_STATIC_ASSERT(G_N_ELEMENTS(addressTypeNames) == DOMAIN_ADDRESS_LAST);

static const char *const diskTypeNames[] = {
    "file",
    "block",
    "volume",
    "network",
};
G_STATIC_ASSERT(G_N_ELEMENTS(diskTypeNames) == DOMAIN_DISK_TYPE_LAST);

static const char *const diskDeviceNames[] = {
    "disk",
    "cdrom",
    "floppy",
    "lun",
};
G_STATIC_ASSERT(G_N_ELEMENTS(diskDeviceNames) == DOMAIN_DISK_DEVICE_LAST);

static const char *const diskBusNames[] = {
    "", "ide", "fdc", "scsi", "virtio", "xen", "usb", "sata", "sd",
};
G_STATIC_ASSERT(G_N_ELEMENTS(diskBusNames) == DOMAIN_DISK_BUS_LAST);

static const char *const controllerTypeNames[] = {
    "ide",  "fdc", "scsi", "sata",   "virtio-serial",
    "ccid", "usb", "pci",  "xenbus",
};
G_STATIC_ASSERT(G_N_ELEMENTS(controllerTypeNames) ==
                DOMAIN_CONTROLLER_TYPE_LAST);

static const char *const netTypeNames[] = {
    "network", "bridge", "user", "direct", "ethernet",
};
G_STATIC_ASSERT(G_N_ELEMENTS(netTypeNames) == DOMAIN_NET_TYPE_LAST);

static int addressTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(addressTypeNames, str);
}

static int diskTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(diskTypeNames, str);
}

static int diskDeviceFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(diskDeviceNames, str);
}

static int controllerTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(controllerTypeNames, str);
}

static int netTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(netTypeNames, str);
}

const char *domainDiskBusToString(int bus)
{
    return DOMAIN_ENUM_TO_STRING(diskBusNames, bus);
}

int domainDiskBusFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(diskBusNames, str);
}

const char *domainDiskDeviceToString(int device)
{
    return DOMAIN_ENUM_TO_STRING(diskDeviceNames, device);
}

const char *domainNetTypeToString(int type)
{
    return DOMAIN_ENUM_TO_STRING(netTypeNames, type);
}

const char *domainControllerTypeToString(int type)
{
    return DOMAIN_ENUM_TO_STRING(controllerTypeNames, type);
}

/* Reports a missing mandatory attribute. */
int domainMissingAttr(const xmlNode *node, const char *attr)
{
    errorReport(DOM, VMM_ERR_XML_ERROR, "missing attribute '%s' in <%s>", attr,
                (const char *)node->name);
    return -1;
}

/* Addresses -------------------------------------------------------------- */

static int addressCheckRange(const char *what, unsigned int value,
                             unsigned int max)
{
    if (value <= max)
        return 0;
    errorReport(DOM, VMM_ERR_XML_ERROR,
                "PCI address %s 0x%x is out of range (maximum 0x%x)", what,
                value, max);
    return -1;
}

static int addressParsePCI(const xmlNode *node, domainDeviceAddress *addr)
{
    static const char *const attrs[] = {
        "type", "domain", "bus", "slot", "function", "multifunction", NULL};
    int rc;

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropUInt(node, "domain", &addr->domain) < 0 ||
        vxmlPropUInt(node, "bus", &addr->bus) < 0 ||
        (rc = vxmlPropUInt(node, "slot", &addr->slot)) < 0 ||
        vxmlPropUInt(node, "function", &addr->function) < 0 ||
        vxmlPropOnOff(node, "multifunction", &addr->multifunction) < 0)
        return -1;
    if (rc == 0)
        return domainMissingAttr(node, "slot");
    if (addressCheckRange("domain", addr->domain, 0xffff) < 0 ||
        addressCheckRange("bus", addr->bus, 0xff) < 0 ||
        addressCheckRange("slot", addr->slot, 0x1f) < 0 ||
        addressCheckRange("function", addr->function, 7) < 0)
        return -1;
    return 0;
}

static int addressParseDrive(const xmlNode *node, domainDeviceAddress *addr)
{
    static const char *const attrs[] = {"type",   "controller", "bus",
                                        "target", "unit",       NULL};

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropUInt(node, "controller", &addr->controller) < 0 ||
        vxmlPropUInt(node, "bus", &addr->bus) < 0 ||
        vxmlPropUInt(node, "target", &addr->target) < 0 ||
        vxmlPropUInt(node, "unit", &addr->unit) < 0)
        return -1;
    return 0;
}

static int addressParseVirtioSerial(const xmlNode *node,
                                    domainDeviceAddress *addr)
{
    static const char *const attrs[] = {"type", "controller", "bus", "port",
                                        NULL};

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropUInt(node, "controller", &addr->controller) < 0 ||
        vxmlPropUInt(node, "bus", &addr->bus) < 0 ||
        vxmlPropUInt(node, "port", &addr->port) < 0)
        return -1;
    return 0;
}

static bool addressUSBPortValid(const char *port)
{
    g_auto(GStrv) parts = g_strsplit(port, ".", 0);
    GStrv p;

    if (g_strv_length(parts) > 5)
        return false;
    for (p = parts; *p; p++) {
        unsigned long long v;

        if (vxmlStrToULongLong(*p, &v) < 0 || v > 255)
            return false;
    }
    return true;
}

static int addressParseUSB(const xmlNode *node, domainDeviceAddress *addr)
{
    static const char *const attrs[] = {"type", "bus", "port", NULL};
    int rc;

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        (rc = vxmlPropUInt(node, "bus", &addr->bus)) < 0)
        return -1;
    if (rc == 0)
        return domainMissingAttr(node, "bus");
    addr->usbPort = vxmlGetProp(node, "port");
    if (addr->usbPort && !addressUSBPortValid(addr->usbPort)) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "invalid USB port '%s'",
                    addr->usbPort);
        return -1;
    }
    return 0;
}

int domainAddressParse(const xmlNode *dev, domainDeviceAddress *addr)
{
    xmlNode *node = vxmlChild(dev, "address");
    int rc;

    if (!node)
        return 0;
    if ((rc = vxmlPropEnum(node, "type", addressTypeFromString, &addr->type)) <=
        0)
        return rc < 0 ? -1 : domainMissingAttr(node, "type");
    switch (addr->type) {
    case DOMAIN_ADDRESS_PCI:
        return addressParsePCI(node, addr);
    case DOMAIN_ADDRESS_DRIVE:
        return addressParseDrive(node, addr);
    case DOMAIN_ADDRESS_VIRTIO_SERIAL:
        return addressParseVirtioSerial(node, addr);
    case DOMAIN_ADDRESS_USB:
        return addressParseUSB(node, addr);
    }
    return 0;
}

void domainAddressClear(domainDeviceAddress *addr)
{
    g_free(addr->usbPort);
}

void domainAddressFormat(vxmlBuf *buf, const domainDeviceAddress *addr)
{
    switch (addr->type) {
    case DOMAIN_ADDRESS_PCI:
        vxmlBufAdd(buf,
                   "<address type='pci' domain='0x%04x' bus='0x%02x' "
                   "slot='0x%02x' function='0x%x'",
                   addr->domain, addr->bus, addr->slot, addr->function);
        if (addr->multifunction)
            vxmlBufAdd(buf, " multifunction='on'");
        vxmlBufAdd(buf, "/>\n");
        break;
    case DOMAIN_ADDRESS_DRIVE:
        vxmlBufAdd(buf,
                   "<address type='drive' controller='%u' bus='%u' "
                   "target='%u' unit='%u'/>\n",
                   addr->controller, addr->bus, addr->target, addr->unit);
        break;
    case DOMAIN_ADDRESS_VIRTIO_SERIAL:
        vxmlBufAdd(buf,
                   "<address type='virtio-serial' controller='%u' bus='%u' "
                   "port='%u'/>\n",
                   addr->controller, addr->bus, addr->port);
        break;
    case DOMAIN_ADDRESS_USB:
        vxmlBufAdd(buf, "<address type='usb' bus='%u'", addr->bus);
        vxmlBufEscape(buf, " port='%s'", addr->usbPort);
        vxmlBufAdd(buf, "/>\n");
        break;
    }
}

/* Ends an element opened with "<name ..." whose only possible child is
 * the address. */
void domainFormatCloseWithAddress(vxmlBuf *buf, const char *name,
                                  const domainDeviceAddress *addr)
{
    if (addr->type == DOMAIN_ADDRESS_NONE) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    domainAddressFormat(buf, addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</%s>\n", name);
}

/* <boot order='N'/> inside a device. */
int domainBootOrderParse(const xmlNode *dev, unsigned int *ret_order)
{
    static const char *const attrs[] = {"order", NULL};
    xmlNode *node = vxmlChild(dev, "boot");
    int rc;

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        (rc = vxmlPropUInt(node, "order", ret_order)) < 0)
        return -1;
    if (rc == 0 || *ret_order == 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<boot> of a device needs order='N' with N >= 1");
        return -1;
    }
    return 0;
}

/* Disks ------------------------------------------------------------------ */

static void diskDefFree(gpointer data)
{
    domainDiskDef *disk = data;

    g_free(disk->driverName);
    g_free(disk->driverType);
    g_free(disk->driverCache);
    g_free(disk->driverIo);
    g_free(disk->driverDiscard);
    g_free(disk->src);
    g_free(disk->srcPool);
    g_free(disk->srcVolume);
    g_free(disk->srcMode);
    g_free(disk->srcProtocol);
    g_free(disk->srcName);
    g_free(disk->srcHost);
    g_free(disk->srcHostPort);
    g_free(disk->dst);
    g_free(disk->serial);
    domainAddressClear(&disk->addr);
    g_free(disk);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainDiskDef, diskDefFree)

static int diskParseDriver(const xmlNode *disk, domainDiskDef *def)
{
    static const char *const attrs[] = {"name", "type",    "cache",
                                        "io",   "discard", NULL};
    static const char *const formats[] = {"raw", "qcow2", "qcow", "vmdk", "vdi",
                                          "vhd", "vpc",   "aio",  "iso",  NULL};
    static const char *const caches[] = {
        "default", "none", "writethrough", "writeback", "directsync",
        "unsafe",  NULL};
    static const char *const ios[] = {"threads", "native", "io_uring", NULL};
    static const char *const discards[] = {"unmap", "ignore", NULL};
    xmlNode *node = vxmlChild(disk, "driver");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(node, "type", formats, &def->driverType) < 0 ||
        vxmlPropChoice(node, "cache", caches, &def->driverCache) < 0 ||
        vxmlPropChoice(node, "io", ios, &def->driverIo) < 0 ||
        vxmlPropChoice(node, "discard", discards, &def->driverDiscard) < 0)
        return -1;
    def->driverName = vxmlGetProp(node, "name");
    return 0;
}

static int diskParseNetworkSource(const xmlNode *src, domainDiskDef *def)
{
    static const char *const attrs[] = {"protocol", "name", NULL};
    static const char *const children[] = {"host", NULL};
    static const char *const hostAttrs[] = {"name", "port", NULL};
    static const char *const protocols[] = {
        "nbd", "rbd", "iscsi", "http", "https", "ftp", "gluster", "ssh", NULL};
    xmlNode *host;
    unsigned int port;

    if (vxmlCheckNode(src, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(src, "protocol", protocols, &def->srcProtocol) < 0)
        return -1;
    if (!def->srcProtocol)
        return domainMissingAttr(src, "protocol");
    def->srcName = vxmlGetProp(src, "name");
    if (!(host = vxmlChild(src, "host")))
        return 0;
    if (vxmlCheckNode(host, DOM, hostAttrs, NULL, false) < 0 ||
        vxmlPropUInt(host, "port", &port) < 0)
        return -1;
    if (!(def->srcHost = vxmlGetProp(host, "name")))
        return domainMissingAttr(host, "name");
    def->srcHostPort = vxmlGetProp(host, "port");
    return 0;
}

static int diskParseSource(const xmlNode *disk, domainDiskDef *def)
{
    static const char *const fileAttrs[] = {"file", NULL};
    static const char *const blockAttrs[] = {"dev", NULL};
    static const char *const volAttrs[] = {"pool", "volume", "mode", NULL};
    static const char *const modes[] = {"host", "direct", NULL};
    xmlNode *src = vxmlChild(disk, "source");

    if (!src) {
        if (def->type == DOMAIN_DISK_TYPE_FILE ||
            def->type == DOMAIN_DISK_TYPE_BLOCK)
            return 0; /* e.g. an empty cdrom drive */
        errorReport(DOM, VMM_ERR_NO_SOURCE, "<disk type='%s'>",
                    diskTypeNames[def->type]);
        return -1;
    }
    switch (def->type) {
    case DOMAIN_DISK_TYPE_FILE:
        if (vxmlCheckNode(src, DOM, fileAttrs, NULL, false) < 0)
            return -1;
        def->src = vxmlGetProp(src, "file");
        return 0;
    case DOMAIN_DISK_TYPE_BLOCK:
        if (vxmlCheckNode(src, DOM, blockAttrs, NULL, false) < 0)
            return -1;
        def->src = vxmlGetProp(src, "dev");
        return 0;
    case DOMAIN_DISK_TYPE_VOLUME:
        if (vxmlCheckNode(src, DOM, volAttrs, NULL, false) < 0 ||
            vxmlPropChoice(src, "mode", modes, &def->srcMode) < 0)
            return -1;
        if (!(def->srcPool = vxmlGetProp(src, "pool")))
            return domainMissingAttr(src, "pool");
        if (!(def->srcVolume = vxmlGetProp(src, "volume")))
            return domainMissingAttr(src, "volume");
        return 0;
    default:
        return diskParseNetworkSource(src, def);
    }
}

/* The bus libvirt infers from the target name when none is given. */
static int diskBusFromTarget(const char *dst)
{
    if (g_str_has_prefix(dst, "hd"))
        return DOMAIN_DISK_BUS_IDE;
    if (g_str_has_prefix(dst, "sd"))
        return DOMAIN_DISK_BUS_SCSI;
    if (g_str_has_prefix(dst, "vd"))
        return DOMAIN_DISK_BUS_VIRTIO;
    if (g_str_has_prefix(dst, "xvd"))
        return DOMAIN_DISK_BUS_XEN;
    if (g_str_has_prefix(dst, "fd"))
        return DOMAIN_DISK_BUS_FDC;
    if (g_str_has_prefix(dst, "ub"))
        return DOMAIN_DISK_BUS_USB;
    return DOMAIN_DISK_BUS_NONE;
}

static int diskParseTarget(const xmlNode *disk, domainDiskDef *def)
{
    static const char *const attrs[] = {"dev", "bus", NULL};
    xmlNode *node = vxmlChild(disk, "target");

    if (node &&
        (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
         vxmlPropEnum(node, "bus", domainDiskBusFromString, &def->bus) < 0))
        return -1;
    if (!node || !(def->dst = vxmlGetProp(node, "dev"))) {
        errorReport(DOM, VMM_ERR_NO_TARGET, "%s",
                    def->src ? def->src : "<disk> without <target dev=...>");
        return -1;
    }
    if (def->bus == DOMAIN_DISK_BUS_NONE &&
        (def->bus = diskBusFromTarget(def->dst)) == DOMAIN_DISK_BUS_NONE) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "cannot infer the bus of disk '%s': give <target bus=...>",
                    def->dst);
        return -1;
    }
    return 0;
}

static int diskParseFlags(const xmlNode *disk, domainDiskDef *def)
{
    xmlNode *ro = vxmlChild(disk, "readonly");
    xmlNode *sh = vxmlChild(disk, "shareable");

    if ((ro && vxmlCheckNode(ro, DOM, NULL, NULL, false) < 0) ||
        (sh && vxmlCheckNode(sh, DOM, NULL, NULL, false) < 0))
        return -1;
    def->readonly = ro != NULL;
    def->shareable = sh != NULL;
    return domainParseTextChild(disk, "serial", NULL, &def->serial);
}

static int diskParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"type", "device", NULL};
    static const char *const children[] = {"driver",   "source",    "target",
                                           "readonly", "shareable", "boot",
                                           "serial",   "address",   NULL};
    g_autoptr(domainDiskDef) def = g_new0(domainDiskDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropEnum(node, "type", diskTypeFromString, &def->type) < 0 ||
        vxmlPropEnum(node, "device", diskDeviceFromString, &def->device) < 0)
        return -1;
    if (diskParseDriver(node, def) < 0 || diskParseSource(node, def) < 0 ||
        diskParseTarget(node, def) < 0 || diskParseFlags(node, def) < 0 ||
        domainBootOrderParse(node, &def->bootIndex) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    g_ptr_array_add(devices->disks, g_steal_pointer(&def));
    return 0;
}

static void diskFormatDriver(vxmlBuf *buf, const domainDiskDef *def)
{
    if (!def->driverName && !def->driverType && !def->driverCache &&
        !def->driverIo && !def->driverDiscard)
        return;
    vxmlBufAdd(buf, "<driver");
    vxmlBufEscape(buf, " name='%s'", def->driverName);
    vxmlBufEscape(buf, " type='%s'", def->driverType);
    vxmlBufEscape(buf, " cache='%s'", def->driverCache);
    vxmlBufEscape(buf, " io='%s'", def->driverIo);
    vxmlBufEscape(buf, " discard='%s'", def->driverDiscard);
    vxmlBufAdd(buf, "/>\n");
}

static void diskFormatSource(vxmlBuf *buf, const domainDiskDef *def)
{
    switch (def->type) {
    case DOMAIN_DISK_TYPE_FILE:
        vxmlBufEscape(buf, "<source file='%s'/>\n", def->src);
        break;
    case DOMAIN_DISK_TYPE_BLOCK:
        vxmlBufEscape(buf, "<source dev='%s'/>\n", def->src);
        break;
    case DOMAIN_DISK_TYPE_VOLUME:
        vxmlBufEscape(buf, "<source pool='%s'", def->srcPool);
        vxmlBufEscape(buf, " volume='%s'", def->srcVolume);
        vxmlBufEscape(buf, " mode='%s'", def->srcMode);
        vxmlBufAdd(buf, "/>\n");
        break;
    case DOMAIN_DISK_TYPE_NETWORK:
        vxmlBufEscape(buf, "<source protocol='%s'", def->srcProtocol);
        vxmlBufEscape(buf, " name='%s'", def->srcName);
        if (!def->srcHost) {
            vxmlBufAdd(buf, "/>\n");
            break;
        }
        vxmlBufAdd(buf, ">\n");
        vxmlBufIndent(buf, 2);
        vxmlBufEscape(buf, "<host name='%s'", def->srcHost);
        vxmlBufEscape(buf, " port='%s'", def->srcHostPort);
        vxmlBufAdd(buf, "/>\n");
        vxmlBufIndent(buf, -2);
        vxmlBufAdd(buf, "</source>\n");
        break;
    }
}

static void diskFormat(vxmlBuf *buf, const domainDiskDef *def)
{
    vxmlBufAdd(buf, "<disk type='%s' device='%s'>\n", diskTypeNames[def->type],
               diskDeviceNames[def->device]);
    vxmlBufIndent(buf, 2);
    diskFormatDriver(buf, def);
    diskFormatSource(buf, def);
    vxmlBufEscape(buf, "<target dev='%s'", def->dst);
    vxmlBufAdd(buf, " bus='%s'/>\n", diskBusNames[def->bus]);
    if (def->bootIndex)
        vxmlBufAdd(buf, "<boot order='%u'/>\n", def->bootIndex);
    if (def->readonly)
        vxmlBufAdd(buf, "<readonly/>\n");
    if (def->shareable)
        vxmlBufAdd(buf, "<shareable/>\n");
    vxmlBufEscape(buf, "<serial>%s</serial>\n", def->serial);
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</disk>\n");
}

/* Controllers ------------------------------------------------------------ */

static void controllerDefFree(gpointer data)
{
    domainControllerDef *ctrl = data;

    g_free(ctrl->model);
    domainAddressClear(&ctrl->addr);
    g_free(ctrl);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainControllerDef, controllerDefFree)

/* The next free index among controllers of @type, as libvirt assigns. */
static unsigned int controllerNextIndex(const domainDevicesDef *devices,
                                        int type)
{
    unsigned int next = 0;
    size_t i;

    for (i = 0; i < devices->controllers->len; i++) {
        const domainControllerDef *c =
            g_ptr_array_index(devices->controllers, i);

        if (c->type == type && c->index >= next)
            next = c->index + 1;
    }
    return next;
}

static int controllerParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"type",  "index",   "model",
                                        "ports", "vectors", NULL};
    static const char *const children[] = {"address", NULL};
    g_autoptr(domainControllerDef) def = g_new0(domainControllerDef, 1);
    int rc;

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        (rc = vxmlPropEnum(node, "type", controllerTypeFromString,
                           &def->type)) < 0)
        return -1;
    if (rc == 0)
        return domainMissingAttr(node, "type");
    if ((rc = vxmlPropUInt(node, "index", &def->index)) < 0 ||
        vxmlPropUInt(node, "ports", &def->ports) < 0 ||
        vxmlPropUInt(node, "vectors", &def->vectors) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (rc == 0)
        def->index = controllerNextIndex(devices, def->type);
    def->model = vxmlGetProp(node, "model");
    g_ptr_array_add(devices->controllers, g_steal_pointer(&def));
    return 0;
}

static void controllerFormat(vxmlBuf *buf, const domainControllerDef *def)
{
    vxmlBufAdd(buf, "<controller type='%s' index='%u'",
               controllerTypeNames[def->type], def->index);
    vxmlBufEscape(buf, " model='%s'", def->model);
    if (def->ports)
        vxmlBufAdd(buf, " ports='%u'", def->ports);
    if (def->vectors)
        vxmlBufAdd(buf, " vectors='%u'", def->vectors);
    domainFormatCloseWithAddress(buf, "controller", &def->addr);
}

/* Filesystems ------------------------------------------------------------ */

static void fsDefFree(gpointer data)
{
    domainFSDef *fs = data;

    g_free(fs->type);
    g_free(fs->accessmode);
    g_free(fs->driverType);
    g_free(fs->src);
    g_free(fs->dst);
    domainAddressClear(&fs->addr);
    g_free(fs);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainFSDef, fsDefFree)

/* The <source> attribute that names the source of each filesystem type. */
static const char *fsSourceAttr(const char *type)
{
    if (g_str_equal(type, "file"))
        return "file";
    if (g_str_equal(type, "block"))
        return "dev";
    if (g_str_equal(type, "template"))
        return "name";
    if (g_str_equal(type, "ram"))
        return "usage";
    return "dir";
}

static int fsParseRamUsage(const xmlNode *src, domainFSDef *def)
{
    g_autofree char *units = vxmlGetProp(src, "units");
    unsigned long long usage;
    int rc;

    if ((rc = vxmlPropULongLong(src, "usage", &usage)) < 0)
        return -1;
    if (rc == 0)
        return domainMissingAttr(src, "usage");
    /* Without units libvirt reads usage in KiB. */
    return domainScaleUnit(src, usage, units ? units : "KiB", &def->usage);
}

static int fsParseSource(const xmlNode *fs, domainFSDef *def)
{
    xmlNode *src = vxmlChild(fs, "source");
    const char *attr = fsSourceAttr(def->type);
    bool ram = g_str_equal(attr, "usage");
    const char *attrs[] = {attr, ram ? "units" : NULL, NULL};

    if (!src) {
        errorReport(DOM, VMM_ERR_NO_SOURCE, "<filesystem type='%s'>",
                    def->type);
        return -1;
    }
    if (vxmlCheckNode(src, DOM, attrs, NULL, false) < 0)
        return -1;
    if (ram)
        return fsParseRamUsage(src, def);
    if (!(def->src = vxmlGetProp(src, attr)))
        return domainMissingAttr(src, attr);
    return 0;
}

static int fsParseTarget(const xmlNode *fs, domainFSDef *def)
{
    static const char *const attrs[] = {"dir", NULL};
    xmlNode *node = vxmlChild(fs, "target");

    if (node && vxmlCheckNode(node, DOM, attrs, NULL, false) < 0)
        return -1;
    if (!node || !(def->dst = vxmlGetProp(node, "dir"))) {
        errorReport(DOM, VMM_ERR_NO_TARGET,
                    "<filesystem> needs <target dir=...>");
        return -1;
    }
    return 0;
}

static int fsParseDriver(const xmlNode *fs, domainFSDef *def)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const types[] = {"path", "handle", "virtiofs", "loop",
                                        "nbd",  "ploop",  NULL};
    xmlNode *node = vxmlChild(fs, "driver");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(node, "type", types, &def->driverType) < 0)
        return -1;
    return 0;
}

static int fsParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"type", "accessmode", NULL};
    static const char *const children[] = {"driver",   "source",  "target",
                                           "readonly", "address", NULL};
    static const char *const types[] = {"mount", "bind",     "file", "block",
                                        "ram",   "template", NULL};
    static const char *const modes[] = {"passthrough", "mapped", "squash",
                                        NULL};
    g_autoptr(domainFSDef) def = g_new0(domainFSDef, 1);
    xmlNode *ro;

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "type", types, &def->type) < 0 ||
        vxmlPropChoice(node, "accessmode", modes, &def->accessmode) < 0)
        return -1;
    if (!def->type)
        def->type = g_strdup("mount");
    if (fsParseDriver(node, def) < 0 || fsParseSource(node, def) < 0 ||
        fsParseTarget(node, def) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if ((ro = vxmlChild(node, "readonly")) &&
        vxmlCheckNode(ro, DOM, NULL, NULL, false) < 0)
        return -1;
    def->readonly = ro != NULL;
    g_ptr_array_add(devices->filesystems, g_steal_pointer(&def));
    return 0;
}

static void fsFormat(vxmlBuf *buf, const domainFSDef *def)
{
    const char *attr = fsSourceAttr(def->type);

    vxmlBufEscape(buf, "<filesystem type='%s'", def->type);
    vxmlBufEscape(buf, " accessmode='%s'", def->accessmode);
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<driver type='%s'/>\n", def->driverType);
    if (g_str_equal(attr, "usage")) {
        vxmlBufAdd(buf, "<source usage='%llu' units='KiB'/>\n", def->usage);
    } else {
        vxmlBufAdd(buf, "<source %s=", attr);
        vxmlBufEscape(buf, "'%s'/>\n", def->src);
    }
    vxmlBufEscape(buf, "<target dir='%s'/>\n", def->dst);
    if (def->readonly)
        vxmlBufAdd(buf, "<readonly/>\n");
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</filesystem>\n");
}

/* Interfaces ------------------------------------------------------------- */

static void netDefFree(gpointer data)
{
    domainNetDef *net = data;

    g_free(net->mac);
    g_free(net->srcNetwork);
    g_free(net->srcBridge);
    g_free(net->srcDev);
    g_free(net->srcMode);
    g_free(net->ifname);
    g_free(net->model);
    g_free(net->script);
    g_free(net->driverName);
    domainAddressClear(&net->addr);
    g_free(net);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainNetDef, netDefFree)

/* Parses "aa:bb:cc:dd:ee:ff" into @ret_mac. */
static bool netParseMAC(const char *str, unsigned char ret_mac[6])
{
    unsigned int b[6];
    char end;
    size_t i;

    if (strlen(str) != 17 ||
        sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &end) != 6)
        return false;
    for (i = 0; i < 6; i++) {
        if (!g_ascii_isxdigit(str[i * 3]) || !g_ascii_isxdigit(str[i * 3 + 1]))
            return false;
        ret_mac[i] = b[i];
    }
    return true;
}

static int netParseMACElem(const xmlNode *iface, domainNetDef *def)
{
    static const char *const attrs[] = {"address", NULL};
    xmlNode *node = vxmlChild(iface, "mac");
    g_autofree char *str = NULL;
    unsigned char mac[6];

    if (!node) {
        /* Like libvirt: a locally administered address in QEMU's range. */
        def->mac = g_strdup_printf(
            "52:54:00:%02x:%02x:%02x", g_random_int_range(0, 256),
            g_random_int_range(0, 256), g_random_int_range(0, 256));
        return 0;
    }
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0)
        return -1;
    if (!(str = vxmlGetProp(node, "address")))
        return domainMissingAttr(node, "address");
    if (!netParseMAC(str, mac)) {
        errorReport(DOM, VMM_ERR_INVALID_MAC, "'%s'", str);
        return -1;
    }
    if (mac[0] & 1) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "expected unicast mac address, found multicast '%s'", str);
        return -1;
    }
    def->mac = g_ascii_strdown(str, -1);
    return 0;
}

static int netParseSource(const xmlNode *iface, domainNetDef *def)
{
    static const char *const netAttrs[] = {"network", NULL};
    static const char *const brAttrs[] = {"bridge", NULL};
    static const char *const directAttrs[] = {"dev", "mode", NULL};
    static const char *const modes[] = {"vepa", "bridge", "private",
                                        "passthrough", NULL};
    xmlNode *src = vxmlChild(iface, "source");
    const char *need = NULL;
    char **target = NULL;

    switch (def->type) {
    case DOMAIN_NET_TYPE_NETWORK:
        if (src && vxmlCheckNode(src, DOM, netAttrs, NULL, false) < 0)
            return -1;
        need = "network";
        target = &def->srcNetwork;
        break;
    case DOMAIN_NET_TYPE_BRIDGE:
        if (src && vxmlCheckNode(src, DOM, brAttrs, NULL, false) < 0)
            return -1;
        need = "bridge";
        target = &def->srcBridge;
        break;
    case DOMAIN_NET_TYPE_DIRECT:
        if (src && (vxmlCheckNode(src, DOM, directAttrs, NULL, false) < 0 ||
                    vxmlPropChoice(src, "mode", modes, &def->srcMode) < 0))
            return -1;
        need = "dev";
        target = &def->srcDev;
        break;
    default:
        if (src && vxmlCheckNode(src, DOM, NULL, NULL, false) < 0)
            return -1;
        return 0;
    }
    if (!src || !(*target = vxmlGetProp(src, need))) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<interface type='%s'> needs <source %s='...'/>",
                    netTypeNames[def->type], need);
        return -1;
    }
    return 0;
}

/* A child element with one attribute: <target dev=>, <model type=>... */
static int netParseOneAttrChild(const xmlNode *iface, const char *name,
                                const char *attr, char **ret_value)
{
    const char *attrs[] = {attr, NULL};
    xmlNode *node = vxmlChild(iface, name);

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0)
        return -1;
    if (!(*ret_value = vxmlGetProp(node, attr)))
        return domainMissingAttr(node, attr);
    return 0;
}

static int netParseDriverLinkMtu(const xmlNode *iface, domainNetDef *def)
{
    static const char *const drivers[] = {"qemu", "vhost", NULL};
    static const char *const sizeAttr[] = {"size", NULL};
    g_autofree char *state = NULL;
    xmlNode *node;

    if (netParseOneAttrChild(iface, "link", "state", &state) < 0)
        return -1;
    if (state && !g_str_equal(state, "up") && !g_str_equal(state, "down")) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED, "unknown link state '%s'",
                    state);
        return -1;
    }
    if (state)
        def->linkState =
            g_str_equal(state, "up") ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    if ((node = vxmlChild(iface, "driver")) &&
        (vxmlCheckNode(node, DOM, (const char *[]){"name", NULL}, NULL, false) <
             0 ||
         vxmlPropChoice(node, "name", drivers, &def->driverName) < 0))
        return -1;
    if ((node = vxmlChild(iface, "mtu")) &&
        (vxmlCheckNode(node, DOM, sizeAttr, NULL, false) < 0 ||
         vxmlPropUInt(node, "size", &def->mtu) < 0))
        return -1;
    return 0;
}

static int netParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const children[] = {
        "mac", "source", "target", "model",   "script", "driver",
        "mtu", "link",   "boot",   "address", NULL};
    g_autoptr(domainNetDef) def = g_new0(domainNetDef, 1);
    int rc;

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        (rc = vxmlPropEnum(node, "type", netTypeFromString, &def->type)) < 0)
        return -1;
    if (rc == 0)
        return domainMissingAttr(node, "type");
    if (netParseMACElem(node, def) < 0 || netParseSource(node, def) < 0 ||
        netParseOneAttrChild(node, "target", "dev", &def->ifname) < 0 ||
        netParseOneAttrChild(node, "model", "type", &def->model) < 0 ||
        netParseOneAttrChild(node, "script", "path", &def->script) < 0 ||
        netParseDriverLinkMtu(node, def) < 0 ||
        domainBootOrderParse(node, &def->bootIndex) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    g_ptr_array_add(devices->nets, g_steal_pointer(&def));
    return 0;
}

static void netFormatSource(vxmlBuf *buf, const domainNetDef *def)
{
    switch (def->type) {
    case DOMAIN_NET_TYPE_NETWORK:
        vxmlBufEscape(buf, "<source network='%s'/>\n", def->srcNetwork);
        break;
    case DOMAIN_NET_TYPE_BRIDGE:
        vxmlBufEscape(buf, "<source bridge='%s'/>\n", def->srcBridge);
        break;
    case DOMAIN_NET_TYPE_DIRECT:
        vxmlBufEscape(buf, "<source dev='%s'", def->srcDev);
        vxmlBufEscape(buf, " mode='%s'", def->srcMode);
        vxmlBufAdd(buf, "/>\n");
        break;
    }
}

static void netFormat(vxmlBuf *buf, const domainNetDef *def)
{
    vxmlBufAdd(buf, "<interface type='%s'>\n", netTypeNames[def->type]);
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<mac address='%s'/>\n", def->mac);
    netFormatSource(buf, def);
    vxmlBufEscape(buf, "<script path='%s'/>\n", def->script);
    vxmlBufEscape(buf, "<target dev='%s'/>\n", def->ifname);
    vxmlBufEscape(buf, "<model type='%s'/>\n", def->model);
    vxmlBufEscape(buf, "<driver name='%s'/>\n", def->driverName);
    if (def->linkState)
        vxmlBufAdd(buf, "<link state='%s'/>\n",
                   def->linkState == DOMAIN_TRISTATE_YES ? "up" : "down");
    if (def->mtu)
        vxmlBufAdd(buf, "<mtu size='%u'/>\n", def->mtu);
    if (def->bootIndex)
        vxmlBufAdd(buf, "<boot order='%u'/>\n", def->bootIndex);
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</interface>\n");
}

/* The whole <devices> ---------------------------------------------------- */

void domainDevicesDefInit(domainDevicesDef *devices)
{
    devices->disks = g_ptr_array_new_with_free_func(diskDefFree);
    devices->controllers = g_ptr_array_new_with_free_func(controllerDefFree);
    devices->filesystems = g_ptr_array_new_with_free_func(fsDefFree);
    devices->nets = g_ptr_array_new_with_free_func(netDefFree);
    domainChrDevicesInit(devices);
}

static void unrefArray(GPtrArray **arr)
{
    if (*arr)
        g_ptr_array_unref(*arr);
    *arr = NULL;
}

void domainDevicesDefClear(domainDevicesDef *devices)
{
    g_free(devices->emulator);
    unrefArray(&devices->disks);
    unrefArray(&devices->controllers);
    unrefArray(&devices->filesystems);
    unrefArray(&devices->nets);
    domainChrDevicesClear(devices);
}

typedef int (*deviceParseFunc)(const xmlNode *node, domainDevicesDef *devs);

static const struct {
    const char *name;
    deviceParseFunc parse;
} deviceParsers[] = {
    {"disk", diskParse},
    {"controller", controllerParse},
    {"filesystem", fsParse},
    {"interface", netParse},
    {"serial", domainChrParse},
    {"console", domainChrParse},
    {"channel", domainChrParse},
    {"input", domainInputParse},
    {"graphics", domainGraphicsParse},
    {"video", domainVideoParse},
    {"watchdog", domainWatchdogParse},
    {"memballoon", domainMemballoonParse},
    {"rng", domainRNGParse},
    {"sound", domainSoundParse},
    {"audio", domainAudioParse},
    {"redirdev", domainRedirdevParse},
    {"panic", domainPanicParse},
};

static const char *const devicesChildren[] = {
    "emulator", "disk*",     "controller*", "filesystem*", "interface*",
    "serial*",  "console*",  "channel*",    "input*",      "graphics*",
    "video*",   "watchdog",  "memballoon",  "rng*",        "sound*",
    "audio*",   "redirdev*", "panic*",      NULL};

static int deviceParseOne(const xmlNode *node, domainDevicesDef *devices)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(deviceParsers); i++) {
        if (xmlStrEqual(node->name, BAD_CAST deviceParsers[i].name))
            return deviceParsers[i].parse(node, devices);
    }
    return 0; /* <emulator>, read by the caller */
}

/* Two disks on one target, or two controllers of a type with one index,
 * would leave the hypervisor to pick one: refuse them as libvirt does. */
static int devicesCheckDuplicates(const domainDevicesDef *devices)
{
    guint i, j;

    for (i = 0; i < devices->disks->len; i++) {
        const domainDiskDef *a = g_ptr_array_index(devices->disks, i);

        for (j = i + 1; j < devices->disks->len; j++) {
            const domainDiskDef *b = g_ptr_array_index(devices->disks, j);

            if (!g_str_equal(a->dst, b->dst))
                continue;
            errorReport(DOM, VMM_ERR_XML_ERROR,
                        "target '%s' duplicated for disk sources '%s' and "
                        "'%s'",
                        a->dst, a->src ? a->src : "", b->src ? b->src : "");
            return -1;
        }
    }
    for (i = 0; i < devices->controllers->len; i++) {
        const domainControllerDef *a =
            g_ptr_array_index(devices->controllers, i);

        for (j = i + 1; j < devices->controllers->len; j++) {
            const domainControllerDef *b =
                g_ptr_array_index(devices->controllers, j);

            if (a->type != b->type || a->index != b->index)
                continue;
            errorReport(DOM, VMM_ERR_XML_ERROR,
                        "multiple '%s' controllers with index '%u'",
                        controllerTypeNames[a->type], a->index);
            return -1;
        }
    }
    return 0;
}

int domainDevicesParse(const xmlNode *node, domainDef *def)
{
    const xmlNode *cur;

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, NULL, devicesChildren, false) < 0 ||
        domainParseTextChild(node, "emulator", NULL, &def->devices.emulator) <
            0)
        return -1;
    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE &&
            deviceParseOne(cur, &def->devices) < 0)
            return -1;
    }
    return devicesCheckDuplicates(&def->devices);
}

static bool devicesEmpty(const domainDevicesDef *d)
{
    return !d->emulator && d->disks->len == 0 && d->controllers->len == 0 &&
           d->filesystems->len == 0 && d->nets->len == 0 &&
           domainChrDevicesEmpty(d);
}

void domainDevicesFormat(vxmlBuf *buf, const domainDevicesDef *devices,
                         unsigned int flags)
{
    size_t i;

    if (devicesEmpty(devices)) {
        vxmlBufAdd(buf, "<devices/>\n");
        return;
    }
    vxmlBufAdd(buf, "<devices>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<emulator>%s</emulator>\n", devices->emulator);
    for (i = 0; i < devices->disks->len; i++)
        diskFormat(buf, g_ptr_array_index(devices->disks, i));
    for (i = 0; i < devices->controllers->len; i++)
        controllerFormat(buf, g_ptr_array_index(devices->controllers, i));
    for (i = 0; i < devices->filesystems->len; i++)
        fsFormat(buf, g_ptr_array_index(devices->filesystems, i));
    for (i = 0; i < devices->nets->len; i++)
        netFormat(buf, g_ptr_array_index(devices->nets, i));
    domainChrDevicesFormat(buf, devices, flags);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</devices>\n");
}

/* Lookups ---------------------------------------------------------------- */

domainDiskDef *domainDefFindDisk(const domainDef *def, const char *dst)
{
    size_t i;

    for (i = 0; dst && i < def->devices.disks->len; i++) {
        domainDiskDef *disk = g_ptr_array_index(def->devices.disks, i);

        if (g_str_equal(disk->dst, dst))
            return disk;
    }
    return NULL;
}

domainNetDef *domainDefFindNet(const domainDef *def, const char *mac)
{
    size_t i;

    for (i = 0; mac && i < def->devices.nets->len; i++) {
        domainNetDef *net = g_ptr_array_index(def->devices.nets, i);

        if (g_ascii_strcasecmp(net->mac, mac) == 0)
            return net;
    }
    return NULL;
}
