/*
 * domain_conf_chr.c: character devices (serial, console, channel), the
 * display devices (graphics, video, input) and the single-purpose devices
 * (watchdog, memballoon, rng) of a domain's <devices>. Same strictness as
 * the rest of domain_conf: what is not modelled is refused.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "domain_conf_chr.h"
#include "domain_conf_devices.h"

#define DOM VMM_FROM_DOMAIN

static const char *const chrDeviceNames[] = {
    "serial",
    "console",
    "channel",
};
G_STATIC_ASSERT(G_N_ELEMENTS(chrDeviceNames) == DOMAIN_CHR_DEVICE_LAST);

static const char *const chrTypeNames[] = {
    "pty", "file", "unix", "null", "vc", "stdio", "spicevmc",
};
G_STATIC_ASSERT(G_N_ELEMENTS(chrTypeNames) == DOMAIN_CHR_TYPE_LAST);

static const char *const graphicsTypeNames[] = {
    "vnc",
    "sdl",
    "spice",
};
G_STATIC_ASSERT(G_N_ELEMENTS(graphicsTypeNames) == DOMAIN_GRAPHICS_LAST);

static int chrTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(chrTypeNames, str);
}

static int graphicsTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(graphicsTypeNames, str);
}

const char *domainChrTypeToString(int type)
{
    return DOMAIN_ENUM_TO_STRING(chrTypeNames, type);
}

const char *domainGraphicsTypeToString(int type)
{
    return DOMAIN_ENUM_TO_STRING(graphicsTypeNames, type);
}

static const char *tristateYesNo(int state)
{
    return state == DOMAIN_TRISTATE_YES ? "yes" : "no";
}

static const char *tristateOnOff(int state)
{
    return state == DOMAIN_TRISTATE_YES ? "on" : "off";
}

/* Reads an optional boolean attribute into a domainTristate. */
static int propTristate(const xmlNode *node, const char *name, bool onoff,
                        int *ret_state)
{
    bool value;
    int rc = onoff ? vxmlPropOnOff(node, name, &value)
                   : vxmlPropYesNo(node, name, &value);

    if (rc > 0)
        *ret_state = value ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    return rc < 0 ? -1 : 0;
}

/* Character devices ------------------------------------------------------ */

static void chrDefFree(gpointer data)
{
    domainChrDef *chr = data;

    g_free(chr->srcPath);
    g_free(chr->srcMode);
    g_free(chr->targetType);
    g_free(chr->targetName);
    g_free(chr->targetModel);
    g_free(chr->logFile);
    domainAddressClear(&chr->addr);
    g_free(chr);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainChrDef, chrDefFree)

static int chrParseSource(const xmlNode *node, domainChrDef *def)
{
    static const char *const ptyAttrs[] = {"path", NULL};
    static const char *const fileAttrs[] = {"path", "append", NULL};
    static const char *const unixAttrs[] = {"mode", "path", NULL};
    static const char *const modes[] = {"bind", "connect", NULL};
    xmlNode *src = vxmlChild(node, "source");
    const char *const *attrs = NULL;

    if (def->type == DOMAIN_CHR_TYPE_PTY)
        attrs = ptyAttrs;
    else if (def->type == DOMAIN_CHR_TYPE_FILE)
        attrs = fileAttrs;
    else if (def->type == DOMAIN_CHR_TYPE_UNIX)
        attrs = unixAttrs;
    if (src && !attrs) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown element <source> in <%s type='%s'>",
                    (const char *)node->name, chrTypeNames[def->type]);
        return -1;
    }
    if (src && (vxmlCheckNode(src, DOM, attrs, NULL, false) < 0 ||
                vxmlPropChoice(src, "mode", modes, &def->srcMode) < 0 ||
                propTristate(src, "append", true, &def->srcAppend) < 0))
        return -1;
    if (src)
        def->srcPath = vxmlGetProp(src, "path");
    if (def->type == DOMAIN_CHR_TYPE_FILE && !def->srcPath) {
        errorReport(DOM, VMM_ERR_NO_SOURCE,
                    "<%s type='file'> needs "
                    "<source path=...>",
                    (const char *)node->name);
        return -1;
    }
    return 0;
}

static const char *const serialTargets[] = {"isa-serial",  "usb-serial",
                                            "pci-serial",  "system-serial",
                                            "sclp-serial", NULL};
static const char *const consoleTargets[] = {"serial", "virtio", "xen",
                                             "openvz", "lxc",    NULL};
static const char *const channelTargets[] = {"virtio", "xen", NULL};

static int chrParseTargetModel(const xmlNode *target, domainChrDef *def)
{
    static const char *const attrs[] = {"name", NULL};
    xmlNode *model = vxmlChild(target, "model");

    if (!model)
        return 0;
    if (vxmlCheckNode(model, DOM, attrs, NULL, false) < 0)
        return -1;
    if (!(def->targetModel = vxmlGetProp(model, "name")))
        return domainMissingAttr(model, "name");
    return 0;
}

static int chrParseTarget(const xmlNode *node, domainChrDef *def)
{
    static const char *const portAttrs[] = {"type", "port", NULL};
    static const char *const chanAttrs[] = {"type", "name", NULL};
    static const char *const serialChildren[] = {"model", NULL};
    static const char *const *const targets[] = {
        serialTargets,
        consoleTargets,
        channelTargets,
    };
    bool channel = def->deviceType == DOMAIN_CHR_DEVICE_CHANNEL;
    bool serial = def->deviceType == DOMAIN_CHR_DEVICE_SERIAL;
    xmlNode *target = vxmlChild(node, "target");
    unsigned int port;
    int rc;

    if (!target) {
        if (!channel)
            return 0;
        errorReport(DOM, VMM_ERR_NO_TARGET,
                    "<channel> needs <target type=...>");
        return -1;
    }
    if (vxmlCheckNode(target, DOM, channel ? chanAttrs : portAttrs,
                      serial ? serialChildren : NULL, false) < 0 ||
        vxmlPropChoice(target, "type", targets[def->deviceType],
                       &def->targetType) < 0 ||
        (rc = vxmlPropUInt(target, "port", &port)) < 0 ||
        chrParseTargetModel(target, def) < 0)
        return -1;
    def->targetPort = rc > 0 ? (int)MIN(port, G_MAXINT) : -1;
    def->targetName = vxmlGetProp(target, "name");
    if (channel && !def->targetType)
        return domainMissingAttr(target, "type");
    return 0;
}

static int chrParseLog(const xmlNode *node, domainChrDef *def)
{
    static const char *const attrs[] = {"file", NULL};
    xmlNode *log = vxmlChild(node, "log");

    if (!log)
        return 0;
    if (vxmlCheckNode(log, DOM, attrs, NULL, false) < 0)
        return -1;
    if (!(def->logFile = vxmlGetProp(log, "file")))
        return domainMissingAttr(log, "file");
    return 0;
}

static GPtrArray *chrArray(domainDevicesDef *devices, int deviceType)
{
    if (deviceType == DOMAIN_CHR_DEVICE_SERIAL)
        return devices->serials;
    if (deviceType == DOMAIN_CHR_DEVICE_CONSOLE)
        return devices->consoles;
    return devices->channels;
}

int domainChrParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const children[] = {"source", "target", "log", "address",
                                           NULL};
    static const char *const consoleChildren[] = {"source", "target", "log",
                                                  NULL};
    g_autoptr(domainChrDef) def = g_new0(domainChrDef, 1);
    GPtrArray *arr;

    def->targetPort = -1;
    def->deviceType =
        DOMAIN_ENUM_FROM_STRING(chrDeviceNames, (const char *)node->name);
    if (vxmlCheckNode(node, DOM, attrs,
                      def->deviceType == DOMAIN_CHR_DEVICE_CONSOLE
                          ? consoleChildren
                          : children,
                      false) < 0 ||
        vxmlPropEnum(node, "type", chrTypeFromString, &def->type) < 0)
        return -1;
    if (chrParseSource(node, def) < 0 || chrParseTarget(node, def) < 0 ||
        chrParseLog(node, def) < 0 || domainAddressParse(node, &def->addr) < 0)
        return -1;
    arr = chrArray(devices, def->deviceType);
    g_ptr_array_add(arr, g_steal_pointer(&def));
    return 0;
}

static bool chrHasChildren(const domainChrDef *def)
{
    return def->srcPath || def->srcMode || def->srcAppend || def->targetType ||
           def->targetPort >= 0 || def->targetName || def->targetModel ||
           def->logFile || def->addr.type != DOMAIN_ADDRESS_NONE;
}

static void chrFormatTarget(vxmlBuf *buf, const domainChrDef *def)
{
    if (!def->targetType && def->targetPort < 0 && !def->targetName &&
        !def->targetModel)
        return;
    vxmlBufAdd(buf, "<target");
    vxmlBufEscape(buf, " type='%s'", def->targetType);
    if (def->targetPort >= 0)
        vxmlBufAdd(buf, " port='%d'", def->targetPort);
    vxmlBufEscape(buf, " name='%s'", def->targetName);
    if (!def->targetModel) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<model name='%s'/>\n", def->targetModel);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</target>\n");
}

static void chrFormat(vxmlBuf *buf, const domainChrDef *def)
{
    const char *name = chrDeviceNames[def->deviceType];

    vxmlBufAdd(buf, "<%s type='%s'", name, chrTypeNames[def->type]);
    if (!chrHasChildren(def)) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    if (def->srcPath || def->srcMode || def->srcAppend) {
        vxmlBufAdd(buf, "<source");
        vxmlBufEscape(buf, " mode='%s'", def->srcMode);
        vxmlBufEscape(buf, " path='%s'", def->srcPath);
        if (def->srcAppend)
            vxmlBufAdd(buf, " append='%s'", tristateOnOff(def->srcAppend));
        vxmlBufAdd(buf, "/>\n");
    }
    chrFormatTarget(buf, def);
    vxmlBufEscape(buf, "<log file='%s'/>\n", def->logFile);
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</%s>\n", name);
}

/* Input ------------------------------------------------------------------ */

static void inputDefFree(gpointer data)
{
    domainInputDef *input = data;

    g_free(input->type);
    g_free(input->bus);
    domainAddressClear(&input->addr);
    g_free(input);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainInputDef, inputDefFree)

int domainInputParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"type", "bus", NULL};
    static const char *const children[] = {"address", NULL};
    static const char *const types[] = {"mouse", "tablet", "keyboard", NULL};
    static const char *const buses[] = {"ps2", "usb", "virtio", "xen", NULL};
    g_autoptr(domainInputDef) def = g_new0(domainInputDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "type", types, &def->type) < 0 ||
        vxmlPropChoice(node, "bus", buses, &def->bus) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (!def->type)
        return domainMissingAttr(node, "type");
    g_ptr_array_add(devices->inputs, g_steal_pointer(&def));
    return 0;
}

static void inputFormat(vxmlBuf *buf, const domainInputDef *def)
{
    vxmlBufEscape(buf, "<input type='%s'", def->type);
    vxmlBufEscape(buf, " bus='%s'", def->bus);
    domainFormatCloseWithAddress(buf, "input", &def->addr);
}

/* Graphics --------------------------------------------------------------- */

static void graphicsDefFree(gpointer data)
{
    domainGraphicsDef *gr = data;

    g_free(gr->listen);
    g_free(gr->listenType);
    g_free(gr->passwd);
    g_free(gr->keymap);
    g_free(gr->display);
    g_free(gr->imageCompression);
    g_free(gr);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainGraphicsDef, graphicsDefFree)

static int graphicsParsePort(const xmlNode *node, domainGraphicsDef *def)
{
    g_autofree char *str = vxmlGetProp(node, "port");
    unsigned long long port;

    def->port = -1;
    if (propTristate(node, "autoport", false, &def->autoport) < 0)
        return -1;
    if (str && !g_str_equal(str, "-1")) {
        if (vxmlStrToULongLong(str, &port) < 0 || port > 65535) {
            errorReport(DOM, VMM_ERR_XML_ERROR, "invalid graphics port '%s'",
                        str);
            return -1;
        }
        def->port = port;
    }
    /* libvirt's canonical form: no fixed port means autoport='yes', and
     * autoport='yes' means port='-1'. */
    if (def->port < 0 && def->autoport != DOMAIN_TRISTATE_NO)
        def->autoport = DOMAIN_TRISTATE_YES;
    if (def->autoport == DOMAIN_TRISTATE_YES)
        def->port = -1;
    if (!def->autoport)
        def->autoport = DOMAIN_TRISTATE_NO;
    return 0;
}

static int graphicsParseListen(const xmlNode *node, domainGraphicsDef *def)
{
    static const char *const attrs[] = {"type", "address", NULL};
    static const char *const types[] = {"address", "none", NULL};
    xmlNode *listen = vxmlChild(node, "listen");
    g_autofree char *address = NULL;

    def->listen = vxmlGetProp(node, "listen");
    if (!listen)
        return 0;
    if (vxmlCheckNode(listen, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(listen, "type", types, &def->listenType) < 0)
        return -1;
    if (!def->listenType)
        return domainMissingAttr(listen, "type");
    address = vxmlGetProp(listen, "address");
    if (address && def->listen && !g_str_equal(address, def->listen)) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "graphics listen attribute '%s' differs from <listen "
                    "address='%s'>",
                    def->listen, address);
        return -1;
    }
    if (address && !def->listen)
        def->listen = g_steal_pointer(&address);
    return 0;
}

/* spice's tlsPort: -1 (auto) or a port; follows autoport like port. */
static int graphicsParseTLSPort(const xmlNode *node, domainGraphicsDef *def)
{
    g_autofree char *str = vxmlGetProp(node, "tlsPort");
    unsigned long long port;

    def->tlsPort = -1;
    if (!str || g_str_equal(str, "-1") || def->autoport == DOMAIN_TRISTATE_YES)
        return 0;
    if (vxmlStrToULongLong(str, &port) < 0 || port > 65535) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "invalid graphics tlsPort '%s'",
                    str);
        return -1;
    }
    def->tlsPort = port;
    return 0;
}

static int graphicsParseImage(const xmlNode *node, domainGraphicsDef *def)
{
    static const char *const attrs[] = {"compression", NULL};
    static const char *const values[] = {"auto_glz", "auto_lz", "quic", "glz",
                                         "lz",       "off",     NULL};
    xmlNode *image = vxmlChild(node, "image");

    if (!image)
        return 0;
    if (vxmlCheckNode(image, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(image, "compression", values, &def->imageCompression) <
            0)
        return -1;
    if (!def->imageCompression)
        return domainMissingAttr(image, "compression");
    return 0;
}

static int graphicsParseRemote(const xmlNode *node, domainGraphicsDef *def)
{
    static const char *const vncAttrs[] = {
        "type", "port", "autoport", "listen", "passwd", "keymap", NULL};
    static const char *const spiceAttrs[] = {"type",     "port",   "tlsPort",
                                             "autoport", "listen", "passwd",
                                             "keymap",   NULL};
    static const char *const vncChildren[] = {"listen", NULL};
    static const char *const spiceChildren[] = {"listen", "image", NULL};
    bool spice = def->type == DOMAIN_GRAPHICS_SPICE;

    if (vxmlCheckNode(node, DOM, spice ? spiceAttrs : vncAttrs,
                      spice ? spiceChildren : vncChildren, false) < 0 ||
        graphicsParsePort(node, def) < 0 ||
        graphicsParseTLSPort(node, def) < 0 ||
        graphicsParseListen(node, def) < 0 || graphicsParseImage(node, def) < 0)
        return -1;
    def->passwd = vxmlGetProp(node, "passwd");
    def->keymap = vxmlGetProp(node, "keymap");
    return 0;
}

int domainGraphicsParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const sdlAttrs[] = {"type", "display", NULL};
    g_autoptr(domainGraphicsDef) def = g_new0(domainGraphicsDef, 1);
    int rc;

    if ((rc = vxmlPropEnum(node, "type", graphicsTypeFromString, &def->type)) <=
        0)
        return rc < 0 ? -1 : domainMissingAttr(node, "type");
    if (def->type == DOMAIN_GRAPHICS_SDL) {
        if (vxmlCheckNode(node, DOM, sdlAttrs, NULL, false) < 0)
            return -1;
        def->port = def->tlsPort = -1;
        def->display = vxmlGetProp(node, "display");
    } else if (graphicsParseRemote(node, def) < 0) {
        return -1;
    }
    g_ptr_array_add(devices->graphics, g_steal_pointer(&def));
    return 0;
}

static void graphicsFormatChildren(vxmlBuf *buf, const domainGraphicsDef *def)
{
    if (def->listenType) {
        vxmlBufEscape(buf, "<listen type='%s'", def->listenType);
        vxmlBufEscape(buf, " address='%s'", def->listen);
        vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufEscape(buf, "<image compression='%s'/>\n", def->imageCompression);
}

static void graphicsFormat(vxmlBuf *buf, const domainGraphicsDef *def,
                           unsigned int flags)
{
    vxmlBufAdd(buf, "<graphics type='%s'", graphicsTypeNames[def->type]);
    if (def->type == DOMAIN_GRAPHICS_SDL) {
        vxmlBufEscape(buf, " display='%s'", def->display);
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, " port='%d'", def->port);
    if (def->type == DOMAIN_GRAPHICS_SPICE &&
        (def->autoport == DOMAIN_TRISTATE_YES || def->tlsPort >= 0))
        vxmlBufAdd(buf, " tlsPort='%d'", def->tlsPort);
    vxmlBufAdd(buf, " autoport='%s'", tristateYesNo(def->autoport));
    vxmlBufEscape(buf, " listen='%s'", def->listen);
    if (flags & DOMAIN_DEF_FORMAT_SECURE)
        vxmlBufEscape(buf, " passwd='%s'", def->passwd);
    vxmlBufEscape(buf, " keymap='%s'", def->keymap);
    if (!def->listenType && !def->imageCompression) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    graphicsFormatChildren(buf, def);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</graphics>\n");
}

/* Video ------------------------------------------------------------------ */

static void videoDefFree(gpointer data)
{
    domainVideoDef *video = data;

    g_free(video->model);
    domainAddressClear(&video->addr);
    g_free(video);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainVideoDef, videoDefFree)

static int videoParseModel(const xmlNode *node, domainVideoDef *def)
{
    static const char *const attrs[] = {"type", "vram", "heads", "primary",
                                        NULL};
    static const char *const types[] = {"vga",  "cirrus", "vmvga", "xen",
                                        "qxl",  "virtio", "bochs", "ramfb",
                                        "none", NULL};
    xmlNode *model = vxmlChild(node, "model");

    if (!model) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "<video> needs <model type=...>");
        return -1;
    }
    if (vxmlCheckNode(model, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(model, "type", types, &def->model) < 0 ||
        vxmlPropUInt(model, "vram", &def->vram) < 0 ||
        vxmlPropUInt(model, "heads", &def->heads) < 0 ||
        propTristate(model, "primary", false, &def->primary) < 0)
        return -1;
    if (!def->model)
        return domainMissingAttr(model, "type");
    return 0;
}

int domainVideoParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const children[] = {"model", "address", NULL};
    g_autoptr(domainVideoDef) def = g_new0(domainVideoDef, 1);

    if (vxmlCheckNode(node, DOM, NULL, children, false) < 0 ||
        videoParseModel(node, def) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    g_ptr_array_add(devices->videos, g_steal_pointer(&def));
    return 0;
}

static void videoFormat(vxmlBuf *buf, const domainVideoDef *def)
{
    vxmlBufAdd(buf, "<video>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufEscape(buf, "<model type='%s'", def->model);
    if (def->vram)
        vxmlBufAdd(buf, " vram='%u'", def->vram);
    if (def->heads)
        vxmlBufAdd(buf, " heads='%u'", def->heads);
    if (def->primary)
        vxmlBufAdd(buf, " primary='%s'", tristateYesNo(def->primary));
    vxmlBufAdd(buf, "/>\n");
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</video>\n");
}

/* Watchdog, memballoon, rng ---------------------------------------------- */

static void watchdogDefFree(domainWatchdogDef *wd)
{
    if (!wd)
        return;
    g_free(wd->model);
    g_free(wd->action);
    domainAddressClear(&wd->addr);
    g_free(wd);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainWatchdogDef, watchdogDefFree)

int domainWatchdogParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"model", "action", NULL};
    static const char *const children[] = {"address", NULL};
    static const char *const models[] = {"i6300esb", "ib700", "diag288", "itco",
                                         NULL};
    static const char *const actions[] = {"reset",      "shutdown", "poweroff",
                                          "pause",      "none",     "dump",
                                          "inject-nmi", NULL};
    g_autoptr(domainWatchdogDef) def = g_new0(domainWatchdogDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "model", models, &def->model) < 0 ||
        vxmlPropChoice(node, "action", actions, &def->action) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (!def->model)
        return domainMissingAttr(node, "model");
    devices->watchdog = g_steal_pointer(&def);
    return 0;
}

static void watchdogFormat(vxmlBuf *buf, const domainWatchdogDef *def)
{
    vxmlBufEscape(buf, "<watchdog model='%s'", def->model);
    vxmlBufEscape(buf, " action='%s'", def->action);
    domainFormatCloseWithAddress(buf, "watchdog", &def->addr);
}

static void memballoonDefFree(domainMemballoonDef *mb)
{
    if (!mb)
        return;
    g_free(mb->model);
    domainAddressClear(&mb->addr);
    g_free(mb);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainMemballoonDef, memballoonDefFree)

int domainMemballoonParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"model", "autodeflate", NULL};
    static const char *const children[] = {"stats", "address", NULL};
    static const char *const statsAttrs[] = {"period", NULL};
    static const char *const models[] = {"virtio", "xen", "none", NULL};
    g_autoptr(domainMemballoonDef) def = g_new0(domainMemballoonDef, 1);
    xmlNode *stats;

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "model", models, &def->model) < 0 ||
        propTristate(node, "autodeflate", true, &def->autodeflate) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (!def->model)
        return domainMissingAttr(node, "model");
    if ((stats = vxmlChild(node, "stats")) &&
        (vxmlCheckNode(stats, DOM, statsAttrs, NULL, false) < 0 ||
         vxmlPropUInt(stats, "period", &def->period) < 0))
        return -1;
    devices->memballoon = g_steal_pointer(&def);
    return 0;
}

static void memballoonFormat(vxmlBuf *buf, const domainMemballoonDef *def)
{
    vxmlBufEscape(buf, "<memballoon model='%s'", def->model);
    if (def->autodeflate)
        vxmlBufAdd(buf, " autodeflate='%s'", tristateOnOff(def->autodeflate));
    if (!def->period) {
        domainFormatCloseWithAddress(buf, "memballoon", &def->addr);
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<stats period='%u'/>\n", def->period);
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</memballoon>\n");
}

static void rngDefFree(gpointer data)
{
    domainRNGDef *rng = data;

    g_free(rng->model);
    g_free(rng->backendModel);
    g_free(rng->backendPath);
    domainAddressClear(&rng->addr);
    g_free(rng);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainRNGDef, rngDefFree)

static int rngParseBackend(const xmlNode *node, domainRNGDef *def)
{
    static const char *const attrs[] = {"model", NULL};
    static const char *const models[] = {"random", NULL};
    xmlNode *backend = vxmlChild(node, "backend");

    if (!backend) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "<rng> needs a <backend>");
        return -1;
    }
    if (vxmlCheckNode(backend, DOM, attrs, NULL, true) < 0 ||
        vxmlPropChoice(backend, "model", models, &def->backendModel) < 0)
        return -1;
    if (!def->backendModel)
        return domainMissingAttr(backend, "model");
    def->backendPath = vxmlNodeContent(backend);
    return 0;
}

int domainRNGParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"model", NULL};
    static const char *const children[] = {"backend", "rate", "address", NULL};
    static const char *const rateAttrs[] = {"bytes", "period", NULL};
    static const char *const models[] = {"virtio", NULL};
    g_autoptr(domainRNGDef) def = g_new0(domainRNGDef, 1);
    xmlNode *rate;

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "model", models, &def->model) < 0 ||
        rngParseBackend(node, def) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (!def->model)
        return domainMissingAttr(node, "model");
    if ((rate = vxmlChild(node, "rate")) &&
        (vxmlCheckNode(rate, DOM, rateAttrs, NULL, false) < 0 ||
         vxmlPropUInt(rate, "bytes", &def->rateBytes) < 0 ||
         vxmlPropUInt(rate, "period", &def->ratePeriod) < 0))
        return -1;
    if (rate && !def->rateBytes)
        return domainMissingAttr(rate, "bytes");
    g_ptr_array_add(devices->rngs, g_steal_pointer(&def));
    return 0;
}

static void rngFormat(vxmlBuf *buf, const domainRNGDef *def)
{
    vxmlBufEscape(buf, "<rng model='%s'>\n", def->model);
    vxmlBufIndent(buf, 2);
    if (def->rateBytes) {
        vxmlBufAdd(buf, "<rate bytes='%u'", def->rateBytes);
        if (def->ratePeriod)
            vxmlBufAdd(buf, " period='%u'", def->ratePeriod);
        vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufEscape(buf, "<backend model='%s'", def->backendModel);
    if (def->backendPath)
        vxmlBufEscape(buf, ">%s</backend>\n", def->backendPath);
    else
        vxmlBufAdd(buf, "/>\n");
    domainAddressFormat(buf, &def->addr);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</rng>\n");
}

/* Sound, audio, redirdev, panic ------------------------------------------ */

static void soundDefFree(gpointer data)
{
    domainSoundDef *sound = data;

    g_free(sound->model);
    domainAddressClear(&sound->addr);
    g_free(sound);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainSoundDef, soundDefFree)

int domainSoundParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"model", NULL};
    static const char *const children[] = {"address", NULL};
    static const char *const models[] = {
        "ich9", "ich6", "ich7", "ac97", "es1370", "sb16", "pcspk", "usb", NULL};
    g_autoptr(domainSoundDef) def = g_new0(domainSoundDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "model", models, &def->model) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (!def->model)
        return domainMissingAttr(node, "model");
    g_ptr_array_add(devices->sounds, g_steal_pointer(&def));
    return 0;
}

static void audioDefFree(gpointer data)
{
    domainAudioDef *audio = data;

    g_free(audio->type);
    g_free(audio);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainAudioDef, audioDefFree)

int domainAudioParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"id", "type", NULL};
    static const char *const types[] = {
        "none", "alsa",  "coreaudio", "jack", "oss",      "pulseaudio",
        "sdl",  "spice", "file",      "dbus", "pipewire", NULL};
    g_autoptr(domainAudioDef) def = g_new0(domainAudioDef, 1);
    int rc;

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        (rc = vxmlPropUInt(node, "id", &def->id)) < 0 ||
        vxmlPropChoice(node, "type", types, &def->type) < 0)
        return -1;
    if (rc == 0 || def->id == 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "<audio> needs id='N', N >= 1");
        return -1;
    }
    if (!def->type)
        return domainMissingAttr(node, "type");
    g_ptr_array_add(devices->audios, g_steal_pointer(&def));
    return 0;
}

static void redirdevDefFree(gpointer data)
{
    domainRedirdevDef *rd = data;

    g_free(rd->bus);
    g_free(rd->type);
    domainAddressClear(&rd->addr);
    g_free(rd);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainRedirdevDef, redirdevDefFree)

int domainRedirdevParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"bus", "type", NULL};
    static const char *const children[] = {"address", NULL};
    static const char *const buses[] = {"usb", NULL};
    static const char *const types[] = {"spicevmc", NULL};
    g_autoptr(domainRedirdevDef) def = g_new0(domainRedirdevDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "bus", buses, &def->bus) < 0 ||
        vxmlPropChoice(node, "type", types, &def->type) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    if (!def->type)
        return domainMissingAttr(node, "type");
    if (!def->bus)
        def->bus = g_strdup("usb");
    g_ptr_array_add(devices->redirdevs, g_steal_pointer(&def));
    return 0;
}

static void panicDefFree(gpointer data)
{
    domainPanicDef *panic = data;

    g_free(panic->model);
    domainAddressClear(&panic->addr);
    g_free(panic);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainPanicDef, panicDefFree)

int domainPanicParse(const xmlNode *node, domainDevicesDef *devices)
{
    static const char *const attrs[] = {"model", NULL};
    static const char *const children[] = {"address", NULL};
    static const char *const models[] = {"isa",  "pseries", "hyperv",
                                         "s390", "pvpanic", NULL};
    g_autoptr(domainPanicDef) def = g_new0(domainPanicDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "model", models, &def->model) < 0 ||
        domainAddressParse(node, &def->addr) < 0)
        return -1;
    g_ptr_array_add(devices->panics, g_steal_pointer(&def));
    return 0;
}

static void soundAudioFormat(vxmlBuf *buf, const domainDevicesDef *devices)
{
    size_t i;

    for (i = 0; i < devices->sounds->len; i++) {
        const domainSoundDef *s = g_ptr_array_index(devices->sounds, i);

        vxmlBufEscape(buf, "<sound model='%s'", s->model);
        domainFormatCloseWithAddress(buf, "sound", &s->addr);
    }
    for (i = 0; i < devices->audios->len; i++) {
        const domainAudioDef *a = g_ptr_array_index(devices->audios, i);

        vxmlBufAdd(buf, "<audio id='%u'", a->id);
        vxmlBufEscape(buf, " type='%s'/>\n", a->type);
    }
}

static void redirdevFormat(vxmlBuf *buf, const domainDevicesDef *devices)
{
    size_t i;

    for (i = 0; i < devices->redirdevs->len; i++) {
        const domainRedirdevDef *r = g_ptr_array_index(devices->redirdevs, i);

        vxmlBufEscape(buf, "<redirdev bus='%s'", r->bus);
        vxmlBufEscape(buf, " type='%s'", r->type);
        domainFormatCloseWithAddress(buf, "redirdev", &r->addr);
    }
}

static void panicFormat(vxmlBuf *buf, const domainDevicesDef *devices)
{
    size_t i;

    for (i = 0; i < devices->panics->len; i++) {
        const domainPanicDef *p = g_ptr_array_index(devices->panics, i);

        vxmlBufAdd(buf, "<panic");
        vxmlBufEscape(buf, " model='%s'", p->model);
        domainFormatCloseWithAddress(buf, "panic", &p->addr);
    }
}

/* The arrays of this file ------------------------------------------------ */

void domainChrDevicesInit(domainDevicesDef *devices)
{
    devices->serials = g_ptr_array_new_with_free_func(chrDefFree);
    devices->consoles = g_ptr_array_new_with_free_func(chrDefFree);
    devices->channels = g_ptr_array_new_with_free_func(chrDefFree);
    devices->inputs = g_ptr_array_new_with_free_func(inputDefFree);
    devices->graphics = g_ptr_array_new_with_free_func(graphicsDefFree);
    devices->videos = g_ptr_array_new_with_free_func(videoDefFree);
    devices->rngs = g_ptr_array_new_with_free_func(rngDefFree);
    devices->sounds = g_ptr_array_new_with_free_func(soundDefFree);
    devices->audios = g_ptr_array_new_with_free_func(audioDefFree);
    devices->redirdevs = g_ptr_array_new_with_free_func(redirdevDefFree);
    devices->panics = g_ptr_array_new_with_free_func(panicDefFree);
}

static void unrefArray(GPtrArray **arr)
{
    if (*arr)
        g_ptr_array_unref(*arr);
    *arr = NULL;
}

void domainChrDevicesClear(domainDevicesDef *devices)
{
    unrefArray(&devices->serials);
    unrefArray(&devices->consoles);
    unrefArray(&devices->channels);
    unrefArray(&devices->inputs);
    unrefArray(&devices->graphics);
    unrefArray(&devices->videos);
    unrefArray(&devices->rngs);
    unrefArray(&devices->sounds);
    unrefArray(&devices->audios);
    unrefArray(&devices->redirdevs);
    unrefArray(&devices->panics);
    g_clear_pointer(&devices->watchdog, watchdogDefFree);
    g_clear_pointer(&devices->memballoon, memballoonDefFree);
}

bool domainChrDevicesEmpty(const domainDevicesDef *d)
{
    return d->serials->len == 0 && d->consoles->len == 0 &&
           d->channels->len == 0 && d->inputs->len == 0 &&
           d->graphics->len == 0 && d->videos->len == 0 && d->rngs->len == 0 &&
           !d->watchdog && !d->memballoon && d->sounds->len == 0 &&
           d->audios->len == 0 && d->redirdevs->len == 0 && d->panics->len == 0;
}

static void formatChrArray(vxmlBuf *buf, const GPtrArray *arr)
{
    size_t i;

    for (i = 0; i < arr->len; i++)
        chrFormat(buf, g_ptr_array_index(arr, i));
}

void domainChrDevicesFormat(vxmlBuf *buf, const domainDevicesDef *devices,
                            unsigned int flags)
{
    size_t i;

    formatChrArray(buf, devices->serials);
    formatChrArray(buf, devices->consoles);
    formatChrArray(buf, devices->channels);
    for (i = 0; i < devices->inputs->len; i++)
        inputFormat(buf, g_ptr_array_index(devices->inputs, i));
    for (i = 0; i < devices->graphics->len; i++)
        graphicsFormat(buf, g_ptr_array_index(devices->graphics, i), flags);
    soundAudioFormat(buf, devices);
    for (i = 0; i < devices->videos->len; i++)
        videoFormat(buf, g_ptr_array_index(devices->videos, i));
    redirdevFormat(buf, devices);
    if (devices->watchdog)
        watchdogFormat(buf, devices->watchdog);
    if (devices->memballoon)
        memballoonFormat(buf, devices->memballoon);
    for (i = 0; i < devices->rngs->len; i++)
        rngFormat(buf, g_ptr_array_index(devices->rngs, i));
    panicFormat(buf, devices);
}
