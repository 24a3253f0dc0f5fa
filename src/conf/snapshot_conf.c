/*
 * snapshot_conf.c: parsing and formatting of <domainsnapshot> (see
 * snapshot_conf.h). Only internal snapshots are described: the memory and
 * disks live inside the qcow2 images, so no <memory file=> or external
 * <disk> is ever written, and asking for one is refused.
 */
#include <config.h>

#include <string.h>

#include "snapshot_conf.h"
#include "util_error.h"
#include "util_xml.h"

#define SNAP_ERR VMM_FROM_DOMAIN_SNAPSHOT

void snapshotDefFree(snapshotDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def->parent);
    domainDefFree(def->dom);
    g_free(def);
}

bool snapshotNameIsValid(const char *name)
{
    if (name && name[0] && name[0] != '.' &&
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_-.+:") == strlen(name))
        return true;
    errorReport(SNAP_ERR, VMM_ERR_INVALID_ARG,
                "invalid snapshot name '%s': use letters, digits and "
                "'_-.+:', not starting with '.'",
                name ? name : "");
    return false;
}

/* The states a snapshot records, by libvirt's names. */
static const char *const snapshotStates[] = {
    [VMM_DOMAIN_RUNNING] = "running",
    [VMM_DOMAIN_PAUSED] = "paused",
    [VMM_DOMAIN_SHUTOFF] = "shutoff",
};

static int snapshotStateFromString(const char *str)
{
    for (size_t i = 0; i < G_N_ELEMENTS(snapshotStates); i++) {
        if (snapshotStates[i] && str && g_str_equal(snapshotStates[i], str))
            return (int)i;
    }
    errorReport(SNAP_ERR, VMM_ERR_XML_ERROR, "unknown snapshot state '%s'",
                str ? str : "");
    return -1;
}

/* Refuses what only external snapshots would need. */
static int snapshotCheckInternal(xmlXPathContext *ctxt)
{
    g_autofree char *memory = vxmlXPathString(ctxt, "string(./memory/@file)");
    g_autofree char *memMode =
        vxmlXPathString(ctxt, "string(./memory/@snapshot)");
    g_autofree char *disk = vxmlXPathString(
        ctxt, "string(./disks/disk[@snapshot='external']/@name)");

    if (memory || (memMode && g_str_equal(memMode, "external")) || disk) {
        errorReport(SNAP_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "only internal snapshots are supported");
        return -1;
    }
    return 0;
}

static int snapshotParseFull(xmlXPathContext *ctxt, snapshotDef *def)
{
    g_autofree char *state = vxmlXPathString(ctxt, "string(./state)");
    unsigned long long when = 0;
    xmlNode *domNode;
    g_autofree char *domXML = NULL;

    if ((def->state = snapshotStateFromString(state)) < 0)
        return -1;
    if (vxmlXPathULongLong(ctxt, "string(./creationTime)", &when) < 0)
        return -1;
    def->creationTime = (long long)when;
    def->parent = vxmlXPathString(ctxt, "string(./parent/name)");
    if (!(domNode = vxmlXPathNode(ctxt, "./domain"))) {
        errorReport(SNAP_ERR, VMM_ERR_XML_ERROR,
                    "snapshot '%s' has no <domain>", def->name);
        return -1;
    }
    domXML = vxmlNodeToString(domNode);
    if (!(def->dom = domainDefParseString(domXML, 0)))
        return -1;
    return 0;
}

snapshotDef *snapshotDefParseString(const char *xml, bool full)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(snapshotDef) def = g_new0(snapshotDef, 1);

    if (!(doc = vxmlParseString(xml, "domainsnapshot", "domainsnapshot")) ||
        !(ctxt = vxmlNewXPathContext(doc)))
        return NULL;
    def->name = vxmlXPathString(ctxt, "string(./name)");
    def->description = vxmlXPathString(ctxt, "string(./description)");
    if (!def->name && !full)
        def->name =
            g_strdup_printf("%lld", (long long)(g_get_real_time() / 1000000));
    if (!snapshotNameIsValid(def->name))
        return NULL;
    if (full ? snapshotParseFull(ctxt, def) < 0
             : snapshotCheckInternal(ctxt) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

char *snapshotDefFormat(const snapshotDef *def, unsigned int domainFlags)
{
    g_auto(vxmlBuf) buf = {0};
    g_autofree char *dom = domainDefFormat(def->dom, -1, domainFlags);
    bool memory = def->state != VMM_DOMAIN_SHUTOFF;

    if (!dom)
        return NULL;
    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<domainsnapshot>\n");
    vxmlBufIndent(&buf, 2);
    vxmlBufEscape(&buf, "<name>%s</name>\n", def->name);
    vxmlBufEscape(&buf, "<description>%s</description>\n", def->description);
    vxmlBufAdd(&buf, "<state>%s</state>\n", snapshotStates[def->state]);
    if (def->parent) {
        vxmlBufAdd(&buf, "<parent>\n");
        vxmlBufEscape(&buf, "  <name>%s</name>\n", def->parent);
        vxmlBufAdd(&buf, "</parent>\n");
    }
    vxmlBufAdd(&buf, "<creationTime>%lld</creationTime>\n", def->creationTime);
    vxmlBufAdd(&buf, "<memory snapshot='%s'/>\n", memory ? "internal" : "no");
    vxmlBufAddLines(&buf, dom);
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "</domainsnapshot>\n");
    return vxmlBufFinish(&buf);
}
