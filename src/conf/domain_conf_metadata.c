/*
 * domain_conf_metadata.c: reading and replacing the per-namespace
 * application elements of <metadata> (see domain_conf_metadata.h). The
 * definition keeps <metadata> as XML text; these functions parse it, edit
 * the tree and serialise it back.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "util_xml.h"
#include "domain_conf_metadata.h"

#define DOM VMM_FROM_DOMAIN

static xmlDoc *metadataParse(const domainDef *def)
{
    return vxmlParseString(def->metadata ? def->metadata : "<metadata/>",
                           "metadata", "metadata");
}

static bool metadataInNamespace(const xmlNode *node, const char *uri)
{
    return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           g_str_equal((const char *)node->ns->href, uri);
}

static xmlNode *metadataFind(xmlNode *root, const char *uri)
{
    xmlNode *cur;

    for (cur = root->children; cur; cur = cur->next) {
        if (metadataInNamespace(cur, uri))
            return cur;
    }
    return NULL;
}

char *domainDefGetMetadataElement(const domainDef *def, const char *uri)
{
    g_autoptr(xmlDoc) doc = NULL;
    xmlNode *node;

    if (!uri) {
        errorReportInvalidArg(DOM, "uri");
        return NULL;
    }
    if (!(doc = metadataParse(def)))
        return NULL;
    if (!(node = metadataFind(xmlDocGetRootElement(doc), uri))) {
        errorReport(DOM, VMM_ERR_NO_DOMAIN_METADATA,
                    "Requested metadata element is not present");
        return NULL;
    }
    return vxmlNodeToString(node);
}

/* Puts @node and its descendants without a namespace into @ns. */
static void metadataSetNamespace(xmlNode *node, xmlNs *ns)
{
    xmlNode *cur;

    if (!node->ns)
        xmlSetNs(node, ns);
    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE)
            metadataSetNamespace(cur, ns);
    }
}

/* @xml parsed, copied into @doc and put into namespace @uri / @key. */
static xmlNode *metadataNewElement(xmlDoc *doc, const char *xml,
                                   const char *key, const char *uri)
{
    g_autoptr(xmlDoc) frag = vxmlParseString(xml, "metadata_element", NULL);
    xmlNode *copy;
    xmlNs *ns;

    if (!frag)
        return NULL;
    if (!(copy = xmlDocCopyNode(xmlDocGetRootElement(frag), doc, 1)) ||
        !(ns = xmlNewNs(copy, BAD_CAST uri, BAD_CAST key))) {
        xmlFreeNode(copy);
        errorReportOOM();
        return NULL;
    }
    xmlSetNs(copy, ns);
    metadataSetNamespace(copy, ns);
    return copy;
}

static int metadataCheckArgs(const char *xml, const char *key, const char *uri)
{
    if (!uri) {
        errorReportInvalidArg(DOM, "uri");
        return -1;
    }
    if (xml && *xml && (!key || xmlValidateNCName(BAD_CAST key, 0) != 0)) {
        errorReport(DOM, VMM_ERR_INVALID_ARG,
                    "metadata key '%s' is not a valid XML name",
                    key ? key : "");
        return -1;
    }
    return 0;
}

int domainDefSetMetadataElement(domainDef *def, const char *xml,
                                const char *key, const char *uri)
{
    g_autoptr(xmlDoc) doc = NULL;
    xmlNode *root;
    xmlNode *old;
    xmlNode *added = NULL;
    char *text = NULL;

    if (metadataCheckArgs(xml, key, uri) < 0 || !(doc = metadataParse(def)))
        return -1;
    root = xmlDocGetRootElement(doc);
    if (xml && *xml && !(added = metadataNewElement(doc, xml, key, uri)))
        return -1;
    while ((old = metadataFind(root, uri))) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    if (added)
        xmlAddChild(root, added);
    if (xmlFirstElementChild(root) && !(text = vxmlNodeToString(root)))
        return -1;
    g_free(def->metadata);
    def->metadata = text;
    return 0;
}
