/*
 * util_xml.c: libxml2 helpers shared by every XML-speaking layer (see
 * util_xml.h). Parsing is locked down (no network, no DTD loading, no
 * entity declarations) because XML reaches us from unprivileged clients.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/relaxng.h>
#include <libxml/xpathInternals.h>

#include "util_error.h"
#include "util_xml.h"

/* libxml2 wants xmlInitParser() once before threads use it. */
static void vxmlInit(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        xmlInitParser();
        g_once_init_leave(&done, 1);
    }
}

/* Parsing ---------------------------------------------------------------- */

/* The first error libxml2 raises while parsing, kept for the report. */
typedef struct {
    char *message;
    int line;
} vxmlParseError;

static void vxmlParseErrorCatch(void *opaque, xmlErrorPtr err)
{
    xmlParserCtxt *pctxt = opaque;
    vxmlParseError *perr = pctxt->_private;

    if (!perr || perr->message || !err || err->level < XML_ERR_ERROR)
        return;
    perr->message =
        g_strchomp(g_strdup(err->message ? err->message : "unknown error"));
    perr->line = err->line;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlParserCtxt, xmlFreeParserCtxt)

static bool vxmlDocHasEntities(const xmlDoc *doc)
{
    return (doc->intSubset && doc->intSubset->entities) ||
           (doc->extSubset && doc->extSubset->entities);
}

static int vxmlCheckRoot(xmlDoc *doc, const char *what, const char *root)
{
    xmlNode *node = xmlDocGetRootElement(doc);

    if (!node) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_ERROR,
                    "(%s): document has no root element", what);
        return -1;
    }
    if (root && !xmlStrEqual(node->name, BAD_CAST root)) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_ERROR,
                    "(%s): expected root element <%s>, got <%s>", what, root,
                    (const char *)node->name);
        return -1;
    }
    return 0;
}

xmlDoc *vxmlParseString(const char *xml, const char *what, const char *root)
{
    g_autoptr(xmlParserCtxt) pctxt = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    vxmlParseError perr = {0};
    int opts = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;

    if (!xml) {
        errorReportInvalidArg(VMM_FROM_XML, "xml");
        return NULL;
    }
    vxmlInit();
    if (!(pctxt = xmlNewParserCtxt())) {
        errorReportOOM();
        return NULL;
    }
    pctxt->_private = &perr;
    pctxt->sax->serror = vxmlParseErrorCatch;
    doc = xmlCtxtReadMemory(pctxt, xml, strlen(xml), what, NULL, opts);
    if (!doc || !pctxt->wellFormed || perr.message) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_ERROR, "(%s):%d: %s", what,
                    perr.message ? perr.line : 1,
                    perr.message ? perr.message
                                 : "document is not well formed");
        g_free(perr.message);
        return NULL;
    }
    if (vxmlDocHasEntities(doc)) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_ERROR,
                    "(%s): entity declarations are not allowed", what);
        return NULL;
    }
    if (vxmlCheckRoot(doc, what, root) < 0)
        return NULL;
    return g_steal_pointer(&doc);
}

static void vxmlXPathErrorIgnore(void *opaque, xmlErrorPtr err)
{
}

xmlXPathContext *vxmlNewXPathContext(xmlDoc *doc)
{
    xmlXPathContext *ctxt = xmlXPathNewContext(doc);

    if (!ctxt) {
        errorReportOOM();
        return NULL;
    }
    ctxt->node = xmlDocGetRootElement(doc);
    /* Library code never prints: a bad expression is reported by
     * vxmlXPathEval instead of on stderr. */
    ctxt->error = vxmlXPathErrorIgnore;
    return ctxt;
}

/* XPath ------------------------------------------------------------------ */

static xmlXPathObject *vxmlXPathEval(xmlXPathContext *ctxt, const char *expr)
{
    xmlXPathObject *obj = xmlXPathEval(BAD_CAST expr, ctxt);

    if (!obj)
        errorReportInternal(VMM_FROM_XML, "invalid XPath expression '%s'",
                            expr);
    return obj;
}

/* 1 with *ret_str set, 0 when empty, -1 on a bad expression. */
static int vxmlXPathStringFull(xmlXPathContext *ctxt, const char *expr,
                               char **ret_str)
{
    g_autoptr(xmlXPathObject) obj = NULL;
    g_autofree char *wrapped = g_strdup_printf("string(%s)", expr);

    if (!(obj = vxmlXPathEval(ctxt, wrapped)))
        return -1;
    if (obj->type != XPATH_STRING || !obj->stringval || !obj->stringval[0])
        return 0;
    *ret_str = g_strdup((const char *)obj->stringval);
    return 1;
}

char *vxmlXPathString(xmlXPathContext *ctxt, const char *expr)
{
    char *str = NULL;

    if (vxmlXPathStringFull(ctxt, expr, &str) <= 0)
        return NULL;
    return str;
}

int vxmlStrToULongLong(const char *str, unsigned long long *ret_value)
{
    unsigned long long value;
    char *end = NULL;

    if (!str || !g_ascii_isdigit(str[0]))
        return -1;
    errno = 0;
    value = strtoull(str, &end, 0);
    if (errno != 0 || !end || *end != '\0' || end == str)
        return -1;
    *ret_value = value;
    return 0;
}

int vxmlXPathULongLong(xmlXPathContext *ctxt, const char *expr,
                       unsigned long long *ret_value)
{
    g_autofree char *str = NULL;
    unsigned long long value;
    int rc;

    if ((rc = vxmlXPathStringFull(ctxt, expr, &str)) <= 0)
        return rc;
    g_strstrip(str);
    if (vxmlStrToULongLong(str, &value) < 0) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_ERROR,
                    "invalid unsigned integer '%s' at '%s'", str, expr);
        return -1;
    }
    *ret_value = value;
    return 1;
}

xmlNode *vxmlXPathNode(xmlXPathContext *ctxt, const char *expr)
{
    g_autoptr(xmlXPathObject) obj = vxmlXPathEval(ctxt, expr);

    if (!obj || obj->type != XPATH_NODESET || !obj->nodesetval ||
        obj->nodesetval->nodeNr == 0)
        return NULL;
    return obj->nodesetval->nodeTab[0];
}

int vxmlXPathNodeList(xmlXPathContext *ctxt, const char *expr,
                      xmlNode ***ret_list)
{
    g_autoptr(xmlXPathObject) obj = vxmlXPathEval(ctxt, expr);
    xmlNode **list;
    int n;

    if (!obj)
        return -1;
    if (obj->type != XPATH_NODESET) {
        errorReportInternal(
            VMM_FROM_XML, "XPath expression '%s' does not select nodes", expr);
        return -1;
    }
    n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
    list = g_new0(xmlNode *, n + 1);
    if (n > 0)
        memcpy(list, obj->nodesetval->nodeTab, n * sizeof(xmlNode *));
    *ret_list = list;
    return n;
}

/* Nodes ------------------------------------------------------------------ */

char *vxmlGetProp(const xmlNode *node, const char *name)
{
    xmlChar *val = xmlGetNoNsProp(node, BAD_CAST name);
    char *ret;

    if (!val)
        return NULL;
    ret = g_strdup((const char *)val);
    xmlFree(val);
    return ret;
}

char *vxmlNodeContent(const xmlNode *node)
{
    xmlChar *val = xmlNodeGetContent(node);
    char *ret = NULL;

    if (val && val[0])
        ret = g_strdup((const char *)val);
    xmlFree(val);
    return ret;
}

static int vxmlPropInvalid(const xmlNode *node, const char *name,
                           const char *value, const char *expected)
{
    errorReport(VMM_FROM_XML, VMM_ERR_XML_ERROR,
                "invalid value '%s' of attribute '%s' in <%s>: expected %s",
                value, name, (const char *)node->name, expected);
    return -1;
}

int vxmlPropULongLong(const xmlNode *node, const char *name,
                      unsigned long long *ret_value)
{
    g_autofree char *str = vxmlGetProp(node, name);
    unsigned long long value;

    if (!str)
        return 0;
    if (vxmlStrToULongLong(str, &value) < 0)
        return vxmlPropInvalid(node, name, str, "an unsigned integer");
    *ret_value = value;
    return 1;
}

int vxmlPropUInt(const xmlNode *node, const char *name, unsigned int *ret_value)
{
    g_autofree char *str = vxmlGetProp(node, name);
    unsigned long long value;

    if (!str)
        return 0;
    if (vxmlStrToULongLong(str, &value) < 0 || value > UINT_MAX)
        return vxmlPropInvalid(node, name, str, "an unsigned integer");
    *ret_value = value;
    return 1;
}

static int vxmlPropBool(const xmlNode *node, const char *name, const char *yes,
                        const char *no, bool *ret_value)
{
    g_autofree char *str = vxmlGetProp(node, name);
    g_autofree char *expected = NULL;

    if (!str)
        return 0;
    if (g_str_equal(str, yes)) {
        *ret_value = true;
    } else if (g_str_equal(str, no)) {
        *ret_value = false;
    } else {
        expected = g_strdup_printf("'%s' or '%s'", yes, no);
        return vxmlPropInvalid(node, name, str, expected);
    }
    return 1;
}

int vxmlPropYesNo(const xmlNode *node, const char *name, bool *ret_value)
{
    return vxmlPropBool(node, name, "yes", "no", ret_value);
}

int vxmlPropOnOff(const xmlNode *node, const char *name, bool *ret_value)
{
    return vxmlPropBool(node, name, "on", "off", ret_value);
}

int vxmlPropEnum(const xmlNode *node, const char *name,
                 vxmlEnumFromString fromString, int *ret_value)
{
    g_autofree char *str = vxmlGetProp(node, name);
    int value;

    if (!str)
        return 0;
    if ((value = fromString(str)) < 0) {
        errorReport(VMM_FROM_XML, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown value '%s' of attribute '%s' in <%s>", str, name,
                    (const char *)node->name);
        return -1;
    }
    *ret_value = value;
    return 1;
}

int vxmlPropChoice(const xmlNode *node, const char *name,
                   const char *const *choices, char **ret_value)
{
    g_autofree char *str = vxmlGetProp(node, name);
    const char *const *c;

    if (!str)
        return 0;
    for (c = choices; *c; c++) {
        if (g_str_equal(*c, str)) {
            *ret_value = g_steal_pointer(&str);
            return 1;
        }
    }
    errorReport(VMM_FROM_XML, VMM_ERR_CONFIG_UNSUPPORTED,
                "unknown value '%s' of attribute '%s' in <%s>", str, name,
                (const char *)node->name);
    return -1;
}

xmlNode *vxmlChild(const xmlNode *node, const char *name)
{
    xmlNode *cur;

    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE &&
            xmlStrEqual(cur->name, BAD_CAST name))
            return cur;
    }
    return NULL;
}

/* Strict checks ---------------------------------------------------------- */

/* Finds @name in @list; *ret_repeat tells whether it carries the '*'. */
static bool vxmlNameListed(const char *const *list, const char *name,
                           bool *ret_repeat)
{
    size_t len = strlen(name);

    for (; list && *list; list++) {
        if (strncmp(*list, name, len) != 0)
            continue;
        if ((*list)[len] == '\0' || g_str_equal(*list + len, "*")) {
            *ret_repeat = (*list)[len] == '*';
            return true;
        }
    }
    return false;
}

static int vxmlCheckAttrs(const xmlNode *node, int domain,
                          const char *const *attrs)
{
    const xmlAttr *attr;
    bool repeat;

    for (attr = node->properties; attr; attr = attr->next) {
        if (attr->ns ||
            !vxmlNameListed(attrs, (const char *)attr->name, &repeat)) {
            errorReport(domain, VMM_ERR_CONFIG_UNSUPPORTED,
                        "unknown attribute '%s' in <%s>",
                        (const char *)attr->name, (const char *)node->name);
            return -1;
        }
    }
    return 0;
}

static bool vxmlIsBlank(const xmlNode *cur)
{
    const xmlChar *p;

    for (p = cur->content; p && *p; p++) {
        if (!g_ascii_isspace(*p))
            return false;
    }
    return true;
}

static int vxmlCheckChild(const xmlNode *node, const xmlNode *cur, int domain,
                          const char *const *children)
{
    const xmlNode *prev;
    bool repeat = false;

    if (!vxmlNameListed(children, (const char *)cur->name, &repeat)) {
        errorReport(domain, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown element <%s> in <%s>", (const char *)cur->name,
                    (const char *)node->name);
        return -1;
    }
    if (repeat)
        return 0;
    for (prev = cur->prev; prev; prev = prev->prev) {
        if (prev->type == XML_ELEMENT_NODE &&
            xmlStrEqual(prev->name, cur->name)) {
            errorReport(domain, VMM_ERR_CONFIG_UNSUPPORTED,
                        "element <%s> appears more than once in <%s>",
                        (const char *)cur->name, (const char *)node->name);
            return -1;
        }
    }
    return 0;
}

int vxmlCheckNode(const xmlNode *node, int domain, const char *const *attrs,
                  const char *const *children, bool text)
{
    const xmlNode *cur;

    if (vxmlCheckAttrs(node, domain, attrs) < 0)
        return -1;
    for (cur = node->children; cur; cur = cur->next) {
        switch (cur->type) {
        case XML_ELEMENT_NODE:
            if (vxmlCheckChild(node, cur, domain, children) < 0)
                return -1;
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (!text && !vxmlIsBlank(cur)) {
                errorReport(domain, VMM_ERR_CONFIG_UNSUPPORTED,
                            "unexpected text in <%s>",
                            (const char *)node->name);
                return -1;
            }
            break;
        case XML_ENTITY_REF_NODE:
            errorReport(domain, VMM_ERR_CONFIG_UNSUPPORTED,
                        "entity reference in <%s>", (const char *)node->name);
            return -1;
        default:
            break; /* comments, processing instructions */
        }
    }
    return 0;
}

/* Drops whitespace-only text so that libxml2 may indent the output. */
static void vxmlStripBlanks(xmlNode *node)
{
    xmlNode *cur = node->children;

    while (cur) {
        xmlNode *next = cur->next;

        if (cur->type == XML_TEXT_NODE && vxmlIsBlank(cur)) {
            xmlUnlinkNode(cur);
            xmlFreeNode(cur);
        } else if (cur->type == XML_ELEMENT_NODE) {
            vxmlStripBlanks(cur);
        }
        cur = next;
    }
}

char *vxmlNodeToString(const xmlNode *node)
{
    g_autoptr(xmlDoc) doc = xmlNewDoc(BAD_CAST "1.0");
    xmlBuffer *xbuf;
    xmlNode *copy;
    char *ret;

    /* Copying into a fresh document declares on the copy every namespace
     * that was declared above it. */
    if (!doc || !(copy = xmlDocCopyNode((xmlNode *)node, doc, 1))) {
        errorReportOOM();
        return NULL;
    }
    xmlDocSetRootElement(doc, copy);
    vxmlStripBlanks(copy);
    if (!(xbuf = xmlBufferCreate())) {
        errorReportOOM();
        return NULL;
    }
    xmlNodeDump(xbuf, doc, copy, 0, 1);
    ret = g_strdup((const char *)xmlBufferContent(xbuf));
    xmlBufferFree(xbuf);
    return ret;
}

/* RelaxNG ---------------------------------------------------------------- */

const char *vxmlSchemaDir(void)
{
    const char *dir = g_getenv("VMM_SCHEMA_DIR");

    return dir && dir[0] ? dir : VMM_SCHEMA_DIR;
}

typedef struct {
    GString *msg;
} vxmlSchemaErrors;

static void vxmlSchemaErrorCatch(void *opaque, xmlErrorPtr err)
{
    vxmlSchemaErrors *errs = opaque;
    g_autofree char *text = NULL;

    if (!err || !err->message || errs->msg->len > 0)
        return;
    text = g_strchomp(g_strdup(err->message));
    if (err->node && ((xmlNode *)err->node)->type == XML_ELEMENT_NODE)
        g_string_append_printf(
            errs->msg, "line %ld: element <%s>: ", xmlGetLineNo(err->node),
            (const char *)((xmlNode *)err->node)->name);
    g_string_append(errs->msg, text);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlRelaxNGParserCtxt, xmlRelaxNGFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlRelaxNG, xmlRelaxNGFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlRelaxNGValidCtxt, xmlRelaxNGFreeValidCtxt)

static xmlRelaxNG *vxmlLoadSchema(const char *path)
{
    g_autoptr(xmlRelaxNGParserCtxt) pctxt = NULL;
    g_autoptr(GString) msg = g_string_new(NULL);
    vxmlSchemaErrors errs = {msg};
    xmlRelaxNG *rng;

    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_INVALID_SCHEMA,
                    "schema '%s' does not exist", path);
        return NULL;
    }
    if (!(pctxt = xmlRelaxNGNewParserCtxt(path))) {
        errorReportOOM();
        return NULL;
    }
    xmlRelaxNGSetParserStructuredErrors(pctxt, vxmlSchemaErrorCatch, &errs);
    if (!(rng = xmlRelaxNGParse(pctxt))) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_INVALID_SCHEMA,
                    "unable to load schema '%s': %s", path,
                    msg->len ? msg->str : "unknown reason");
        return NULL;
    }
    return rng;
}

int vxmlValidateAgainstSchema(xmlDoc *doc, const char *schema)
{
    g_autofree char *path = g_build_filename(vxmlSchemaDir(), schema, NULL);
    g_autoptr(xmlRelaxNG) rng = NULL;
    g_autoptr(xmlRelaxNGValidCtxt) vctxt = NULL;
    g_autoptr(GString) msg = g_string_new(NULL);
    vxmlSchemaErrors errs = {msg};

    vxmlInit();
    if (!(rng = vxmlLoadSchema(path)))
        return -1;
    if (!(vctxt = xmlRelaxNGNewValidCtxt(rng))) {
        errorReportOOM();
        return -1;
    }
    xmlRelaxNGSetValidStructuredErrors(vctxt, vxmlSchemaErrorCatch, &errs);
    if (xmlRelaxNGValidateDoc(vctxt, doc) != 0) {
        errorReport(VMM_FROM_XML, VMM_ERR_XML_INVALID_SCHEMA, "%s: %s", schema,
                    msg->len ? msg->str : "document is invalid");
        return -1;
    }
    return 0;
}

/* Output ----------------------------------------------------------------- */

void vxmlBufInit(vxmlBuf *buf)
{
    buf->str = g_string_new(NULL);
    buf->indent = 0;
}

void vxmlBufClear(vxmlBuf *buf)
{
    if (buf->str)
        g_string_free(buf->str, TRUE);
    buf->str = NULL;
    buf->indent = 0;
}

char *vxmlBufFinish(vxmlBuf *buf)
{
    char *ret;

    if (!buf->str)
        return g_strdup("");
    ret = g_string_free(buf->str, FALSE);
    buf->str = NULL;
    buf->indent = 0;
    return ret;
}

void vxmlBufIndent(vxmlBuf *buf, int by)
{
    buf->indent = MAX(0, buf->indent + by);
}

static bool vxmlBufAtLineStart(const vxmlBuf *buf)
{
    return buf->str->len == 0 || buf->str->str[buf->str->len - 1] == '\n';
}

/* Appends @text, indenting each line that starts inside it. */
static void vxmlBufAppendIndented(vxmlBuf *buf, const char *text)
{
    const char *p = text;

    if (!buf->str)
        buf->str = g_string_new(NULL);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

        if (vxmlBufAtLineStart(buf) && *p != '\n')
            g_string_append_printf(buf->str, "%*s", buf->indent, "");
        g_string_append_len(buf->str, p, len);
        p += len;
    }
}

void vxmlBufAdd(vxmlBuf *buf, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vxmlBufAppendIndented(buf, text);
}

void vxmlBufEscape(vxmlBuf *buf, const char *fmt, const char *str)
{
    const char *hole = strstr(fmt, "%s");
    g_autofree char *escaped = NULL;
    g_autofree char *text = NULL;

    if (!str)
        return;
    escaped = vxmlEscape(str);
    if (!hole) {
        vxmlBufAppendIndented(buf, fmt);
        return;
    }
    /* Only the template is indented: newlines inside @str are content. */
    text = g_strndup(fmt, hole - fmt);
    vxmlBufAppendIndented(buf, text);
    g_string_append(buf->str, escaped);
    vxmlBufAppendIndented(buf, hole + 2);
}

void vxmlBufAddLines(vxmlBuf *buf, const char *text)
{
    vxmlBufAppendIndented(buf, text);
    if (!vxmlBufAtLineStart(buf))
        g_string_append_c(buf->str, '\n');
}

char *vxmlEscape(const char *str)
{
    GString *out = g_string_sized_new(strlen(str) + 8);
    const char *p;

    for (p = str; *p; p++) {
        switch (*p) {
        case '&':
            g_string_append(out, "&amp;");
            break;
        case '<':
            g_string_append(out, "&lt;");
            break;
        case '>':
            g_string_append(out, "&gt;");
            break;
        case '\'':
            g_string_append(out, "&apos;");
            break;
        case '"':
            g_string_append(out, "&quot;");
            break;
        default:
            g_string_append_c(out, *p);
            break;
        }
    }
    return g_string_free(out, FALSE);
}
