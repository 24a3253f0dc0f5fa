/*
 * vsh_cmd_device.c: a domain's disks and interfaces as virsh presents
 * them: attach-disk, detach-disk, attach-interface, detach-interface
 * (device XML written here from the options), domblklist and domiflist
 * (read from the domain XML), domblkstat, domifstat, domstats, and
 * domcapabilities. Output layouts are virsh's.
 *
 * vsh sees only the public API, so the domain XML is read with GLib's
 * small markup parser: enough for the few elements listed here.
 */
#include <config.h>

#include <string.h>

#include "vsh.h"
#include "vsh_cmd_device.h"
#include "vsh_output.h"

/* ---- reading devices out of the domain XML ----------------------------- */

typedef struct {
    char *kind;   /* "disk" / "interface" */
    char *type;   /* type= of the element */
    char *device; /* disk device= */
    char *source; /* file / dev / network / bridge / ... */
    char *target; /* <target dev=> */
    char *model;  /* interface <model type=> */
    char *mac;    /* interface <mac address=> */
} vshDevice;

static void vshDeviceFree(gpointer data)
{
    vshDevice *d = data;

    g_free(d->kind);
    g_free(d->type);
    g_free(d->device);
    g_free(d->source);
    g_free(d->target);
    g_free(d->model);
    g_free(d->mac);
    g_free(d);
}

typedef struct {
    GPtrArray *devices;
    int depth;
    int deviceDepth; /* depth of the current disk / interface, or 0 */
    vshDevice *cur;
} vshDeviceParse;

static const char *vshAttr(const char **names, const char **values,
                           const char *name)
{
    for (size_t i = 0; names[i]; i++) {
        if (g_str_equal(names[i], name))
            return values[i];
    }
    return NULL;
}

static void vshDeviceStart(GMarkupParseContext *pc, const char *element,
                           const char **names, const char **values,
                           gpointer data, GError **error)
{
    vshDeviceParse *p = data;
    const char *v;

    p->depth++;
    /* <domain><devices><disk>: devices sit at depth 3. */
    if (p->depth == 3 &&
        (g_str_equal(element, "disk") || g_str_equal(element, "interface"))) {
        p->cur = g_new0(vshDevice, 1);
        p->cur->kind = g_strdup(element);
        p->cur->type = g_strdup(vshAttr(names, values, "type"));
        p->cur->device = g_strdup(vshAttr(names, values, "device"));
        p->deviceDepth = p->depth;
        g_ptr_array_add(p->devices, p->cur);
        return;
    }
    if (!p->cur || p->depth != p->deviceDepth + 1)
        return;
    if (g_str_equal(element, "source") && !p->cur->source) {
        static const char *const keys[] = {"file", "dev", "network",
                                           "bridge", "name", "volume"};

        for (size_t i = 0; i < G_N_ELEMENTS(keys) && !p->cur->source; i++) {
            if ((v = vshAttr(names, values, keys[i])))
                p->cur->source = g_strdup(v);
        }
    } else if (g_str_equal(element, "target") &&
               (v = vshAttr(names, values, "dev"))) {
        p->cur->target = g_strdup(v);
    } else if (g_str_equal(element, "model") &&
               (v = vshAttr(names, values, "type"))) {
        p->cur->model = g_strdup(v);
    } else if (g_str_equal(element, "mac") &&
               (v = vshAttr(names, values, "address"))) {
        p->cur->mac = g_strdup(v);
    }
}

static void vshDeviceEnd(GMarkupParseContext *pc, const char *element,
                         gpointer data, GError **error)
{
    vshDeviceParse *p = data;

    if (p->cur && p->depth == p->deviceDepth)
        p->cur = NULL;
    p->depth--;
}

/* The domain named by @cmd and its disks and interfaces (live, or stored
 * with @inactive); *@ret_dom is set only with the list. */
static GPtrArray *vshDomainDevices(vshControl *ctl, const vshCmd *cmd,
                                   gboolean inactive, vmmDomainPtr *ret_dom)
{
    static const GMarkupParser parser = {.start_element = vshDeviceStart,
                                         .end_element = vshDeviceEnd};
    g_autoptr(vmmDomain) dom = NULL;
    g_autoptr(GPtrArray) devices =
        g_ptr_array_new_with_free_func(vshDeviceFree);
    g_autofree char *xml = NULL;
    g_autoptr(GError) err = NULL;
    vshDeviceParse p = {.devices = devices};
    GMarkupParseContext *pc;
    gboolean ok;

    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)) ||
        !(xml = vmmDomainGetXMLDesc(dom, inactive ? VMM_DOMAIN_XML_INACTIVE
                                                  : 0)))
        return NULL;
    pc = g_markup_parse_context_new(&parser, 0, &p, NULL);
    ok = g_markup_parse_context_parse(pc, xml, -1, &err) &&
         g_markup_parse_context_end_parse(pc, &err);
    g_markup_parse_context_free(pc);
    if (!ok) {
        vshError(ctl, "cannot read the domain XML: %s", err->message);
        return NULL;
    }
    *ret_dom = g_steal_pointer(&dom);
    return g_steal_pointer(&devices);
}

static const char *vshDash(const char *s)
{
    return s ? s : "-";
}

/* ---- shared option handling ------------------------------------------- */

/* --config / --live / --current / --persistent as virsh reads them for
 * device changes; *@ret_withFlags says whether the flag API is needed. */
static gboolean vshDeviceFlags(vshControl *ctl, const vshCmd *cmd,
                               vmmDomainPtr dom, unsigned int *ret_flags,
                               gboolean *ret_withFlags)
{
    gboolean persistent = vshCmdOptBool(cmd, "persistent");
    unsigned int flags;

    if (!vshCommandOptImpact(ctl, cmd, &flags) ||
        !vshOptionsExclusive(ctl, cmd, "persistent", "current"))
        return FALSE;
    if (persistent)
        flags |= VMM_DOMAIN_AFFECT_CONFIG;
    if (persistent && vmmDomainIsActive(dom) == 1)
        flags |= VMM_DOMAIN_AFFECT_LIVE;
    *ret_flags = flags;
    *ret_withFlags = flags != 0 || vshCmdOptBool(cmd, "current");
    return TRUE;
}

/* Attaches or detaches the device @xml of kind @kind ("disk",
 * "interface") with the flags the options ask for, in virsh's words. */
static gboolean vshDeviceChange(vshControl *ctl, const vshCmd *cmd,
                                vmmDomainPtr dom, const char *xml,
                                gboolean attach, const char *kind)
{
    unsigned int flags = 0;
    gboolean withFlags = FALSE;
    int rc;

    if (!vshDeviceFlags(ctl, cmd, dom, &flags, &withFlags))
        return FALSE;
    if (attach)
        rc = withFlags ? vmmDomainAttachDeviceFlags(dom, xml, flags)
                       : vmmDomainAttachDevice(dom, xml);
    else
        rc = withFlags ? vmmDomainDetachDeviceFlags(dom, xml, flags)
                       : vmmDomainDetachDevice(dom, xml);
    if (rc < 0) {
        vshError(ctl, "Failed to %s %s", attach ? "attach" : "detach", kind);
        return FALSE;
    }
    vshPrintExtra(ctl, "%c%s %s successfully\n", g_ascii_toupper(kind[0]),
                  kind + 1, attach ? "attached" : "detached");
    return TRUE;
}

/* The end of attach-disk and attach-interface: print @xml for
 * --print-xml, else attach it to the domain. */
static gboolean vshDeviceAttach(vshControl *ctl, const vshCmd *cmd,
                                const char *xml, const char *kind)
{
    g_autoptr(vmmDomain) dom = NULL;

    if (vshCmdOptBool(cmd, "print-xml")) {
        vshPrint(ctl, "%s", xml);
        return TRUE;
    }
    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    return vshDeviceChange(ctl, cmd, dom, xml, TRUE, kind);
}

/* The devices a detach looks among: those of the stored definition for
 * --config alone, else the live ones. */
static GPtrArray *vshDetachDevices(vshControl *ctl, const vshCmd *cmd,
                                   vmmDomainPtr *ret_dom)
{
    return vshDomainDevices(ctl, cmd,
                            vshCmdOptBool(cmd, "config") &&
                                !vshCmdOptBool(cmd, "live"),
                            ret_dom);
}

#define VSH_OPTS_DEVICE_IMPACT                                                 \
    VSH_OPT_FLAG("persistent", "change the running guest and the definition"),                 \
        VSH_OPT_FLAG("config", "change the stored definition"),                            \
        VSH_OPT_FLAG("live", "change the running guest"),                         \
        VSH_OPT_FLAG("current", "change the running guest if it runs, else the definition")

/* ---- attach-disk / detach-disk ---------------------------------------- */

static const vshOptDef optsAttachDisk[] = {
    VSH_OPT_DOMAIN,
    {.name = "source", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the image file or block device",
     .complete = VSH_COMPLETE_FILE},
    {.name = "target", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the name in the guest, e.g. vdb"},
    {.name = "targetbus", .type = VSH_OT_STRING,
     .flags = VSH_OPT_NO_POSITIONAL, .help = "the bus: virtio, sata, scsi, ..."},
    {.name = "driver", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the disk driver name, e.g. qemu"},
    {.name = "subdriver", .type = VSH_OT_STRING,
     .flags = VSH_OPT_NO_POSITIONAL, .help = "the image format, e.g. qcow2 or raw"},
    {.name = "cache", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "cache mode (none, writeback, ...)"},
    {.name = "type", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "what the guest sees: disk, cdrom, ..."},
    {.name = "mode", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "readonly or shareable"},
    {.name = "sourcetype", .type = VSH_OT_STRING,
     .flags = VSH_OPT_NO_POSITIONAL, .help = "file or block (default: from the path)"},
    {.name = "serial", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "a serial number the guest sees"},
    VSH_OPT_FLAG("print-xml", "print the device XML instead of adding it"),
    VSH_OPTS_DEVICE_IMPACT,
    VSH_OPT_END,
};

static gboolean cmdAttachDisk(vshControl *ctl, const vshCmd *cmd)
{
    const char *source = vshCmdOptString(cmd, "source");
    const char *mode = vshCmdOptString(cmd, "mode");
    const char *sourcetype = vshCmdOptString(cmd, "sourcetype");
    const char *driver = vshCmdOptString(cmd, "driver");
    const char *subdriver = vshCmdOptString(cmd, "subdriver");
    const char *cache = vshCmdOptString(cmd, "cache");
    const char *bus = vshCmdOptString(cmd, "targetbus");
    const char *serial = vshCmdOptString(cmd, "serial");
    const char *device = vshCmdOptString(cmd, "type");
    g_autoptr(GString) xml = g_string_new(NULL);
    g_autofree char *esc = NULL;

    if (mode && !g_str_equal(mode, "readonly") &&
        !g_str_equal(mode, "shareable")) {
        vshError(ctl, "No support for %s in command 'attach-disk'", mode);
        return FALSE;
    }
    if (!sourcetype)
        sourcetype = g_str_has_prefix(source, "/dev/") ? "block" : "file";
    if (!g_str_equal(sourcetype, "file") && !g_str_equal(sourcetype, "block")) {
        vshError(ctl, "Unknown source type: '%s'", sourcetype);
        return FALSE;
    }
    g_string_append_printf(xml, "<disk type='%s' device='%s'>\n", sourcetype,
                           device ? device : "disk");
    if (driver || subdriver || cache) {
        g_string_append(xml, "  <driver");
        if (driver || subdriver)
            g_string_append_printf(xml, " name='%s'", driver ? driver : "qemu");
        if (subdriver)
            g_string_append_printf(xml, " type='%s'", subdriver);
        if (cache)
            g_string_append_printf(xml, " cache='%s'", cache);
        g_string_append(xml, "/>\n");
    }
    esc = g_markup_escape_text(source, -1);
    g_string_append_printf(xml, "  <source %s='%s'/>\n",
                           g_str_equal(sourcetype, "file") ? "file" : "dev",
                           esc);
    g_string_append_printf(xml, "  <target dev='%s'",
                           vshCmdOptString(cmd, "target"));
    if (bus)
        g_string_append_printf(xml, " bus='%s'", bus);
    g_string_append(xml, "/>\n");
    if (mode)
        g_string_append_printf(xml, "  <%s/>\n", mode);
    if (serial)
        g_string_append_printf(xml, "  <serial>%s</serial>\n", serial);
    g_string_append(xml, "</disk>\n");
    return vshDeviceAttach(ctl, cmd, xml->str, "disk");
}

static const vshOptDef optsDetachDisk[] = {
    VSH_OPT_DOMAIN,
    {.name = "target", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the name in the guest, e.g. vdb"},
    VSH_OPTS_DEVICE_IMPACT,
    VSH_OPT_END,
};

static gboolean cmdDetachDisk(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autoptr(GPtrArray) devices = NULL;
    const char *target = vshCmdOptString(cmd, "target");
    g_autofree char *xml = NULL;

    if (!(devices = vshDetachDevices(ctl, cmd, &dom)))
        return FALSE;
    for (guint i = 0; i < devices->len; i++) {
        vshDevice *d = g_ptr_array_index(devices, i);

        if (!g_str_equal(d->kind, "disk") ||
            !((d->target && g_str_equal(d->target, target)) ||
              (d->source && g_str_equal(d->source, target))))
            continue;
        xml = g_strdup_printf("<disk type='%s' device='%s'><target dev='%s'/>"
                              "</disk>",
                              d->type ? d->type : "file",
                              d->device ? d->device : "disk", d->target);
        return vshDeviceChange(ctl, cmd, dom, xml, FALSE, "disk");
    }
    vshError(ctl, "No disk found whose source path or target is %s", target);
    return FALSE;
}

/* ---- attach-interface / detach-interface ------------------------------ */

static const vshOptDef optsAttachInterface[] = {
    VSH_OPT_DOMAIN,
    {.name = "type", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the kind of interface: user, network, bridge, ..."},
    {.name = "source", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "where it connects: a bridge or network name"},
    {.name = "target", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the device name on the host side"},
    {.name = "mac", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the MAC address to give it"},
    {.name = "model", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the device model, e.g. virtio"},
    VSH_OPT_FLAG("print-xml", "print the device XML instead of adding it"),
    VSH_OPTS_DEVICE_IMPACT,
    VSH_OPT_END,
};

static gboolean cmdAttachInterface(vshControl *ctl, const vshCmd *cmd)
{
    const char *type = vshCmdOptString(cmd, "type");
    const char *source = vshCmdOptString(cmd, "source");
    const char *target = vshCmdOptString(cmd, "target");
    const char *mac = vshCmdOptString(cmd, "mac");
    const char *model = vshCmdOptString(cmd, "model");
    g_autoptr(GString) xml = g_string_new(NULL);
    g_autofree char *esc = g_markup_escape_text(source, -1);

    g_string_append_printf(xml, "<interface type='%s'>\n", type);
    if (g_str_equal(type, "network"))
        g_string_append_printf(xml, "  <source network='%s'/>\n", esc);
    else if (g_str_equal(type, "bridge"))
        g_string_append_printf(xml, "  <source bridge='%s'/>\n", esc);
    else if (g_str_equal(type, "direct"))
        g_string_append_printf(xml, "  <source dev='%s'/>\n", esc);
    else if (!g_str_equal(type, "user") && !g_str_equal(type, "ethernet")) {
        vshError(ctl, "No support for %s in command 'attach-interface'", type);
        return FALSE;
    }
    if (target)
        g_string_append_printf(xml, "  <target dev='%s'/>\n", target);
    if (mac)
        g_string_append_printf(xml, "  <mac address='%s'/>\n", mac);
    if (model)
        g_string_append_printf(xml, "  <model type='%s'/>\n", model);
    g_string_append(xml, "</interface>\n");
    return vshDeviceAttach(ctl, cmd, xml->str, "interface");
}

static const vshOptDef optsDetachInterface[] = {
    VSH_OPT_DOMAIN,
    {.name = "type", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the kind of interface: user, network, bridge, ..."},
    {.name = "mac", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the MAC address to give it"},
    VSH_OPTS_DEVICE_IMPACT,
    VSH_OPT_END,
};

static gboolean cmdDetachInterface(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autoptr(GPtrArray) devices = NULL;
    const char *type = vshCmdOptString(cmd, "type");
    const char *mac = vshCmdOptString(cmd, "mac");
    vshDevice *found = NULL;
    guint matches = 0;
    g_autofree char *xml = NULL;

    if (!(devices = vshDetachDevices(ctl, cmd, &dom)))
        return FALSE;
    for (guint i = 0; i < devices->len; i++) {
        vshDevice *d = g_ptr_array_index(devices, i);

        if (!g_str_equal(d->kind, "interface") || !d->type ||
            !g_str_equal(d->type, type) || !d->mac ||
            (mac && g_ascii_strcasecmp(d->mac, mac) != 0))
            continue;
        found = d;
        matches++;
    }
    if (!found) {
        vshError(ctl, "No interface found whose type is %s%s%s", type,
                 mac ? " and mac address is " : "", mac ? mac : "");
        return FALSE;
    }
    if (matches > 1) {
        vshError(ctl, "Domain has %u interfaces. Please specify which one "
                      "to detach using --mac", matches);
        return FALSE;
    }
    xml = g_strdup_printf("<interface type='%s'><mac address='%s'/>"
                          "</interface>",
                          found->type, found->mac);
    return vshDeviceChange(ctl, cmd, dom, xml, FALSE, "interface");
}

/* ---- domblklist / domiflist ------------------------------------------- */

static const vshOptDef optsDomblklist[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("inactive", "read the stored definition, not the live one"),
    VSH_OPT_FLAG("details", "add the type and device columns"),
    VSH_OPT_END,
};

static gboolean cmdDomblklist(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autoptr(GPtrArray) devices = NULL;
    g_autoptr(vshTable) table = NULL;
    gboolean details = vshCmdOptBool(cmd, "details");

    if (!(devices = vshDomainDevices(ctl, cmd, vshCmdOptBool(cmd, "inactive"),
                                     &dom)))
        return FALSE;
    table = details ? vshTableNew("Type", "Device", "Target", "Source", NULL)
                    : vshTableNew("Target", "Source", NULL);
    for (guint i = 0; i < devices->len; i++) {
        vshDevice *d = g_ptr_array_index(devices, i);

        if (!g_str_equal(d->kind, "disk"))
            continue;
        if (details)
            vshTableAddRow(table, vshDash(d->type), vshDash(d->device),
                           vshDash(d->target), vshDash(d->source), NULL);
        else
            vshTableAddRow(table, vshDash(d->target), vshDash(d->source),
                           NULL);
    }
    vshTablePrint(ctl, table);
    return TRUE;
}

static const vshOptDef optsDomiflist[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("inactive", "read the stored definition, not the live one"),
    VSH_OPT_END,
};

static gboolean cmdDomiflist(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autoptr(GPtrArray) devices = NULL;
    g_autoptr(vshTable) table = NULL;

    if (!(devices = vshDomainDevices(ctl, cmd, vshCmdOptBool(cmd, "inactive"),
                                     &dom)))
        return FALSE;
    table = vshTableNew("Interface", "Type", "Source", "Model", "MAC", NULL);
    for (guint i = 0; i < devices->len; i++) {
        vshDevice *d = g_ptr_array_index(devices, i);

        if (g_str_equal(d->kind, "interface"))
            vshTableAddRow(table, vshDash(d->target), vshDash(d->type),
                           vshDash(d->source), vshDash(d->model),
                           vshDash(d->mac), NULL);
    }
    vshTablePrint(ctl, table);
    return TRUE;
}

/* ---- domblkstat / domifstat ------------------------------------------- */

/* A counter of a stats struct, all of whose fields are long long. */
typedef struct {
    const char *name;
    glong offset;
} vshCounter;

#define VSH_BLK(f) {#f, G_STRUCT_OFFSET(vmmDomainBlockStatsStruct, f)}
#define VSH_NET(f) {#f, G_STRUCT_OFFSET(vmmDomainInterfaceStatsStruct, f)}

static const vshCounter vshBlockCounters[] = {
    VSH_BLK(rd_req), VSH_BLK(rd_bytes), VSH_BLK(wr_req), VSH_BLK(wr_bytes),
    VSH_BLK(errs), {NULL, 0},
};

static const vshCounter vshNetCounters[] = {
    VSH_NET(rx_bytes), VSH_NET(rx_packets), VSH_NET(rx_errs),
    VSH_NET(rx_drop), VSH_NET(tx_bytes), VSH_NET(tx_packets),
    VSH_NET(tx_errs), VSH_NET(tx_drop), {NULL, 0},
};

/* domblkstat (@block) and domifstat: the counters of one device, one a
 * line, leaving out those the driver does not know (-1). */
static gboolean vshDeviceStats(vshControl *ctl, const vshCmd *cmd,
                               gboolean block)
{
    g_autoptr(vmmDomain) dom = NULL;
    const char *dev = vshCmdOptString(cmd, block ? "device" : "interface");
    vmmDomainBlockStatsStruct blk;
    vmmDomainInterfaceStatsStruct net;
    const void *st = block ? (const void *)&blk : (const void *)&net;
    int rc;

    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    rc = block ? vmmDomainBlockStats(dom, dev, &blk, sizeof(blk))
               : vmmDomainInterfaceStats(dom, dev, &net, sizeof(net));
    if (rc < 0) {
        vshError(ctl, "Failed to get %s stats %s %s",
                 block ? "block" : "interface", vmmDomainGetName(dom), dev);
        return FALSE;
    }
    for (const vshCounter *c = block ? vshBlockCounters : vshNetCounters;
         c->name; c++) {
        long long value = G_STRUCT_MEMBER(long long, st, c->offset);

        if (value >= 0)
            vshPrint(ctl, "%s %s %lld\n", dev, c->name, value);
    }
    return TRUE;
}

static const vshOptDef optsDomblkstat[] = {
    VSH_OPT_DOMAIN,
    {.name = "device", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the disk: its target (vda) or source path"},
    VSH_OPT_END,
};

static gboolean cmdDomblkstat(vshControl *ctl, const vshCmd *cmd)
{
    return vshDeviceStats(ctl, cmd, TRUE);
}

static const vshOptDef optsDomifstat[] = {
    VSH_OPT_DOMAIN,
    {.name = "interface", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the interface: its target device or MAC address"},
    VSH_OPT_END,
};

static gboolean cmdDomifstat(vshControl *ctl, const vshCmd *cmd)
{
    return vshDeviceStats(ctl, cmd, FALSE);
}

/* ---- domstats ---------------------------------------------------------- */

static const vshOptFlag vshStatsGroups[] = {
    {"state", VMM_DOMAIN_STATS_STATE},
    {"cpu-total", VMM_DOMAIN_STATS_CPU_TOTAL},
    {"balloon", VMM_DOMAIN_STATS_BALLOON},
    {"vcpu", VMM_DOMAIN_STATS_VCPU},
    {"interface", VMM_DOMAIN_STATS_INTERFACE},
    {"block", VMM_DOMAIN_STATS_BLOCK},
    {NULL, 0},
};

/* --list-* filters, and --enforce and --nowait which go with either way
 * of naming domains. */
#define VSH_STATS_ANY_WAY                                                      \
    (VMM_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS |                         \
     VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT)

static const vshOptFlag vshStatsFlags[] = {
    {"list-active", VMM_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE},
    {"list-inactive", VMM_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE},
    {"list-persistent", VMM_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT},
    {"list-transient", VMM_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT},
    {"list-running", VMM_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING},
    {"list-paused", VMM_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED},
    {"list-shutoff", VMM_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF},
    {"list-other", VMM_CONNECT_GET_ALL_DOMAINS_STATS_OTHER},
    {"enforce", VMM_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS},
    {"nowait", VMM_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT},
    {NULL, 0},
};

static const vshOptDef optsDomstats[] = {
    VSH_OPT_FLAG("state", "the state group"),
    VSH_OPT_FLAG("cpu-total", "the cpu-total group"),
    VSH_OPT_FLAG("balloon", "the balloon group"),
    VSH_OPT_FLAG("vcpu", "the vcpu group"),
    VSH_OPT_FLAG("interface", "the net group"),
    VSH_OPT_FLAG("block", "the block group"),
    VSH_OPT_FLAG("list-active", "only running or paused domains"),
    VSH_OPT_FLAG("list-inactive", "only domains that do not run"),
    VSH_OPT_FLAG("list-persistent", "only defined domains"),
    VSH_OPT_FLAG("list-transient", "only transient domains"),
    VSH_OPT_FLAG("list-running", "only running domains"),
    VSH_OPT_FLAG("list-paused", "only paused domains"),
    VSH_OPT_FLAG("list-shutoff", "only shut off domains"),
    VSH_OPT_FLAG("list-other", "only domains in other states"),
    VSH_OPT_FLAG("enforce", "fail when a group is not available"),
    VSH_OPT_FLAG("nowait", "only what can be had without waiting for a job"),
    {.name = "domain", .type = VSH_OT_ARGV, .help = "the domains to report on (default: all)",
     .complete = VSH_COMPLETE_DOMAIN},
    VSH_OPT_END,
};

static void vshPrintParam(vshControl *ctl, const vmmTypedParameter *p)
{
    switch (p->type) {
    case VMM_TYPED_PARAM_INT:
        vshPrint(ctl, "  %s=%d\n", p->field, p->value.i);
        break;
    case VMM_TYPED_PARAM_UINT:
        vshPrint(ctl, "  %s=%u\n", p->field, p->value.ui);
        break;
    case VMM_TYPED_PARAM_LLONG:
        vshPrint(ctl, "  %s=%lld\n", p->field, p->value.l);
        break;
    case VMM_TYPED_PARAM_ULLONG:
        vshPrint(ctl, "  %s=%llu\n", p->field, p->value.ul);
        break;
    case VMM_TYPED_PARAM_DOUBLE:
        vshPrint(ctl, "  %s=%f\n", p->field, p->value.d);
        break;
    case VMM_TYPED_PARAM_BOOLEAN:
        vshPrint(ctl, "  %s=%s\n", p->field, p->value.b ? "yes" : "no");
        break;
    case VMM_TYPED_PARAM_STRING:
        vshPrint(ctl, "  %s=%s\n", p->field, p->value.s);
        break;
    }
}

/* Skips the NULL that ends the list for vmmDomainListGetStats: the
 * library reports freeing NULL as an error, hiding the real one. */
static void vshDomainRelease(gpointer dom)
{
    if (dom)
        vmmDomainFree(dom);
}

static gboolean vshStatsDomains(vshControl *ctl, const char *names,
                                GPtrArray *doms)
{
    g_auto(GStrv) words = g_strsplit(names, " ", -1);

    for (char **w = words; *w; w++) {
        vmmDomainPtr dom;

        if (!**w)
            continue;
        if (!(dom = vshLookupDomain(ctl, *w)))
            return FALSE;
        g_ptr_array_add(doms, dom);
    }
    return TRUE;
}

static gboolean cmdDomstats(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(GPtrArray) doms =
        g_ptr_array_new_with_free_func(vshDomainRelease);
    vmmDomainStatsRecordPtr *records = NULL;
    const char *names = vshCmdOptString(cmd, "domain");
    unsigned int stats = vshCommandOptFlags(cmd, vshStatsGroups);
    unsigned int flags = vshCommandOptFlags(cmd, vshStatsFlags);
    vmmConnectPtr conn;
    int n;

    if (!(conn = vshConn(ctl)))
        return FALSE;
    if (names && *names) {
        if (flags & ~VSH_STATS_ANY_WAY) {
            vshError(ctl, "filtering using --list-* and list of domains is "
                          "mutually exclusive");
            return FALSE;
        }
        if (!vshStatsDomains(ctl, names, doms))
            return FALSE;
        g_ptr_array_add(doms, NULL);
        n = vmmDomainListGetStats((vmmDomainPtr *)doms->pdata, stats,
                                  &records, flags);
        g_ptr_array_remove_index(doms, doms->len - 1);
    } else {
        n = vmmConnectGetAllDomainStats(conn, stats, &records, flags);
    }
    if (n < 0) {
        vshError(ctl, "Failed to get domain statistics");
        return FALSE;
    }
    /* Records are separated by an empty line, as virsh prints them. */
    for (int i = 0; i < n; i++) {
        vshPrint(ctl, "%sDomain: '%s'\n", i ? "\n" : "",
                 vmmDomainGetName(records[i]->dom));
        for (int j = 0; j < records[i]->nparams; j++)
            vshPrintParam(ctl, &records[i]->params[j]);
    }
    vmmDomainStatsRecordListFree(records);
    return TRUE;
}

/* ---- domcapabilities --------------------------------------------------- */

static const vshOptDef optsDomcapabilities[] = {
    {.name = "virttype", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the domain type: qemu or kvm"},
    {.name = "emulatorbin", .type = VSH_OT_STRING,
     .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the emulator program to ask"},
    {.name = "arch", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the guest architecture, e.g. x86_64"},
    {.name = "machine", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "the machine type, e.g. pc"},
    VSH_OPT_END,
};

static gboolean cmdDomcapabilities(vshControl *ctl, const vshCmd *cmd)
{
    g_autofree char *xml = NULL;
    vmmConnectPtr conn;

    if (!(conn = vshConn(ctl)))
        return FALSE;
    xml = vmmConnectGetDomainCapabilities(
        conn, vshCmdOptString(cmd, "emulatorbin"),
        vshCmdOptString(cmd, "arch"), vshCmdOptString(cmd, "machine"),
        vshCmdOptString(cmd, "virttype"), 0);
    if (!xml) {
        vshError(ctl, "failed to get emulator capabilities");
        return FALSE;
    }
    vshPrint(ctl, "%s", xml);
    return TRUE;
}

/* ---- tables ------------------------------------------------------------ */

const vshCmdDef vshDeviceCmds[] = {
    {.name = "attach-disk", .handler = cmdAttachDisk, .opts = optsAttachDisk,
     .help = "add a disk to a domain",
     .desc = "Attach a new disk device to the domain."},
    {.name = "attach-interface", .handler = cmdAttachInterface,
     .opts = optsAttachInterface, .help = "add a network interface to a domain",
     .desc = "Attach a new network interface to the domain."},
    {.name = "detach-disk", .handler = cmdDetachDisk, .opts = optsDetachDisk,
     .help = "remove a disk from a domain",
     .desc = "Detach a disk device from the domain."},
    {.name = "detach-interface", .handler = cmdDetachInterface,
     .opts = optsDetachInterface, .help = "remove a network interface from a domain",
     .desc = "Detach a network interface from the domain."},
    {.name = NULL},
};

const vshCmdDef vshDeviceMonitorCmds[] = {
    {.name = "domblklist", .handler = cmdDomblklist, .opts = optsDomblklist,
     .help = "print the disks of a domain",
     .desc = "Get the summary of block devices for a domain."},
    {.name = "domblkstat", .handler = cmdDomblkstat, .opts = optsDomblkstat,
     .help = "print the I/O counters of a disk",
     .desc = "Get device block stats for a running domain."},
    {.name = "domiflist", .handler = cmdDomiflist, .opts = optsDomiflist,
     .help = "print the network interfaces of a domain",
     .desc = "Get the summary of virtual interfaces for a domain."},
    {.name = "domifstat", .handler = cmdDomifstat, .opts = optsDomifstat,
     .help = "print the traffic counters of an interface",
     .desc = "Get network interface stats for a running domain."},
    {.name = "domstats", .handler = cmdDomstats, .opts = optsDomstats,
     .help = "print statistics of domains by group",
     .desc = "Gets statistics about one or more (or all) domains."},
    {.name = NULL},
};

const vshCmdDef vshDomcapsCmds[] = {
    {.name = "domcapabilities", .handler = cmdDomcapabilities,
     .opts = optsDomcapabilities, .help = "print what a domain of this hypervisor can have",
     .desc = "Returns capabilities of emulator with respect to host and "
             "libvirt."},
    {.name = NULL},
};
