/*
 * domain_conf_tune.c: <memoryBacking> (shared memory for virtiofs,
 * hugepages), <iothreads>, and <idmap> (the uid / gid ranges a container's
 * user namespace maps). Part of domain_conf; strict like the rest.
 */
#include <config.h>

#include "util_error.h"
#include "domain_conf_devices.h"
#include "domain_conf_tune.h"

#define DOM VMM_FROM_DOMAIN

void domainTuneDefInit(domainDef *def)
{
    def->idmapUids = g_array_new(FALSE, TRUE, sizeof(domainIdmapEntry));
    def->idmapGids = g_array_new(FALSE, TRUE, sizeof(domainIdmapEntry));
}

void domainTuneDefClear(domainDef *def)
{
    g_free(def->memoryBacking.source);
    g_free(def->memoryBacking.access);
    g_free(def->memoryBacking.allocation);
    if (def->idmapUids)
        g_array_unref(def->idmapUids);
    if (def->idmapGids)
        g_array_unref(def->idmapGids);
}

/* <memoryBacking> -------------------------------------------------------- */

/* An empty flag child such as <hugepages/>. */
static int tuneParseFlag(const xmlNode *parent, const char *name,
                         bool *ret_flag)
{
    xmlNode *node = vxmlChild(parent, name);

    if (node && vxmlCheckNode(node, DOM, NULL, NULL, false) < 0)
        return -1;
    *ret_flag = node != NULL;
    return 0;
}

/* A child with one mandatory enumerated attribute: <source type='memfd'/>. */
static int tuneParseChoiceChild(const xmlNode *parent, const char *name,
                                const char *attr, const char *const *choices,
                                char **ret_value)
{
    const char *attrs[] = {attr, NULL};
    xmlNode *node = vxmlChild(parent, name);

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(node, attr, choices, ret_value) < 0)
        return -1;
    if (!*ret_value)
        return domainMissingAttr(node, attr);
    return 0;
}

int domainMemoryBackingParse(const xmlNode *root, domainDef *def)
{
    static const char *const children[] = {
        "hugepages", "nosharepages", "locked", "source",
        "access",    "allocation",   NULL};
    static const char *const sources[] = {"file", "anonymous", "memfd", NULL};
    static const char *const accesses[] = {"shared", "private", NULL};
    static const char *const allocations[] = {"immediate", "ondemand", NULL};
    xmlNode *node = vxmlChild(root, "memoryBacking");
    domainMemoryBackingDef *mb = &def->memoryBacking;

    if (!node)
        return 0;
    mb->present = true;
    if (vxmlCheckNode(node, DOM, NULL, children, false) < 0 ||
        tuneParseFlag(node, "hugepages", &mb->hugepages) < 0 ||
        tuneParseFlag(node, "nosharepages", &mb->nosharepages) < 0 ||
        tuneParseFlag(node, "locked", &mb->locked) < 0 ||
        tuneParseChoiceChild(node, "source", "type", sources, &mb->source) <
            0 ||
        tuneParseChoiceChild(node, "access", "mode", accesses, &mb->access) <
            0 ||
        tuneParseChoiceChild(node, "allocation", "mode", allocations,
                             &mb->allocation) < 0)
        return -1;
    return 0;
}

void domainMemoryBackingFormat(vxmlBuf *buf, const domainDef *def)
{
    const domainMemoryBackingDef *mb = &def->memoryBacking;

    if (!mb->present)
        return;
    if (!mb->hugepages && !mb->nosharepages && !mb->locked && !mb->source &&
        !mb->access && !mb->allocation) {
        vxmlBufAdd(buf, "<memoryBacking/>\n");
        return;
    }
    vxmlBufAdd(buf, "<memoryBacking>\n");
    vxmlBufIndent(buf, 2);
    if (mb->hugepages)
        vxmlBufAdd(buf, "<hugepages/>\n");
    if (mb->nosharepages)
        vxmlBufAdd(buf, "<nosharepages/>\n");
    if (mb->locked)
        vxmlBufAdd(buf, "<locked/>\n");
    vxmlBufEscape(buf, "<source type='%s'/>\n", mb->source);
    vxmlBufEscape(buf, "<access mode='%s'/>\n", mb->access);
    vxmlBufEscape(buf, "<allocation mode='%s'/>\n", mb->allocation);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</memoryBacking>\n");
}

/* <iothreads> ------------------------------------------------------------ */

int domainIothreadsParse(const xmlNode *root, domainDef *def)
{
    g_autofree char *text = NULL;
    unsigned long long n;

    if (domainParseTextChild(root, "iothreads", NULL, &text) < 0)
        return -1;
    if (!text)
        return 0;
    if (vxmlStrToULongLong(g_strstrip(text), &n) < 0 || n == 0 || n > 1024) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "invalid iothreads count '%s': expected 1 to 1024", text);
        return -1;
    }
    def->iothreads = n;
    return 0;
}

void domainIothreadsFormat(vxmlBuf *buf, const domainDef *def)
{
    if (def->iothreads)
        vxmlBufAdd(buf, "<iothreads>%u</iothreads>\n", def->iothreads);
}

/* <idmap> ---------------------------------------------------------------- */

static int idmapParseEntry(const xmlNode *node, GArray *entries)
{
    static const char *const attrs[] = {"start", "target", "count", NULL};
    domainIdmapEntry e = {0};
    int rs, rt, rc;

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        (rs = vxmlPropUInt(node, "start", &e.start)) < 0 ||
        (rt = vxmlPropUInt(node, "target", &e.target)) < 0 ||
        (rc = vxmlPropUInt(node, "count", &e.count)) < 0)
        return -1;
    if (rs == 0 || rt == 0 || rc == 0 || e.count == 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<%s> of <idmap> needs start, target and a non-zero "
                    "count",
                    (const char *)node->name);
        return -1;
    }
    g_array_append_val(entries, e);
    return 0;
}

int domainIdmapParse(const xmlNode *root, domainDef *def)
{
    static const char *const children[] = {"uid*", "gid*", NULL};
    xmlNode *node = vxmlChild(root, "idmap");
    xmlNode *cur;

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, NULL, children, false) < 0)
        return -1;
    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (idmapParseEntry(cur, xmlStrEqual(cur->name, BAD_CAST "uid")
                                     ? def->idmapUids
                                     : def->idmapGids) < 0)
            return -1;
    }
    if (def->idmapUids->len == 0 || def->idmapGids->len == 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<idmap> needs both <uid> and <gid> entries");
        return -1;
    }
    return 0;
}

static void idmapFormatEntries(vxmlBuf *buf, const char *name,
                               const GArray *entries)
{
    guint i;

    for (i = 0; i < entries->len; i++) {
        const domainIdmapEntry *e =
            &g_array_index(entries, domainIdmapEntry, i);

        vxmlBufAdd(buf, "<%s start='%u' target='%u' count='%u'/>\n", name,
                   e->start, e->target, e->count);
    }
}

void domainIdmapFormat(vxmlBuf *buf, const domainDef *def)
{
    if (def->idmapUids->len == 0 && def->idmapGids->len == 0)
        return;
    vxmlBufAdd(buf, "<idmap>\n");
    vxmlBufIndent(buf, 2);
    idmapFormatEntries(buf, "uid", def->idmapUids);
    idmapFormatEntries(buf, "gid", def->idmapGids);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</idmap>\n");
}
