/*
 * util_xml.h: the small set of libxml2 helpers every XML-speaking layer of
 * vmm shares: safe parsing with errors that name line and reason, XPath and
 * property getters that report bad values, strict element checks (so that
 * nothing a user wrote is silently dropped), RelaxNG validation against our
 * installed schemas, and an indenting output buffer.
 *
 * Names carry the prefix `vxml` so they never clash with libxml2's own.
 * Every function that fails reports the error (domain VMM_FROM_XML unless
 * said otherwise) and returns -1 / NULL.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, xmlXPathFreeObject)

/* Parsing ---------------------------------------------------------------- */

/* Parses @xml without network access, without loading DTDs and refusing
 * entity declarations. @what names the document in errors, e.g.
 * "domain_definition" gives "XML error: (domain_definition):3: reason".
 * When @root is not NULL the root element must carry that name. */
xmlDoc *vxmlParseString(const char *xml, const char *what, const char *root);

/* An XPath context on @doc whose context node is the root element. */
xmlXPathContext *vxmlNewXPathContext(xmlDoc *doc);

/* XPath getters. They evaluate @expr relative to ctxt->node. */

/* The string value of @expr, NULL (no error) when it selects nothing or an
 * empty string. */
char *vxmlXPathString(xmlXPathContext *ctxt, const char *expr);

/* 1 with *ret_value set when @expr gives a number, 0 when it selects
 * nothing, -1 (VMM_ERR_XML_ERROR) when the text is not an unsigned integer
 * or overflows. Decimal, or hexadecimal with 0x. */
int vxmlXPathULongLong(xmlXPathContext *ctxt, const char *expr,
                       unsigned long long *ret_value);

/* The first node @expr selects, or NULL. */
xmlNode *vxmlXPathNode(xmlXPathContext *ctxt, const char *expr);

/* The nodes @expr selects (a new array the caller frees; the nodes belong
 * to the document); the count is the return value, -1 on a bad
 * expression. */
int vxmlXPathNodeList(xmlXPathContext *ctxt, const char *expr,
                      xmlNode ***ret_list);

/* Node helpers ------------------------------------------------------------ */

/* Attribute @name of @node as a g_malloc'd string, NULL when absent. */
char *vxmlGetProp(const xmlNode *node, const char *name);

/* Text content of @node, NULL when empty. */
char *vxmlNodeContent(const xmlNode *node);

/* Parses an unsigned integer (decimal, or 0x hexadecimal) from @str,
 * refusing signs, garbage and overflow. 0 or -1 (no error reported). */
int vxmlStrToULongLong(const char *str, unsigned long long *ret_value);

/* Typed attributes: 1 with *ret_value set when present and valid, 0 when
 * absent (output untouched), -1 with VMM_ERR_XML_ERROR when the value is
 * invalid. The error names the attribute and @node's element. */
int vxmlPropULongLong(const xmlNode *node, const char *name,
                      unsigned long long *ret_value);
int vxmlPropUInt(const xmlNode *node, const char *name,
                 unsigned int *ret_value);
/* 'yes' / 'no'. */
int vxmlPropYesNo(const xmlNode *node, const char *name, bool *ret_value);
/* 'on' / 'off'. */
int vxmlPropOnOff(const xmlNode *node, const char *name, bool *ret_value);

/* Looks the attribute up with @fromString (returns < 0 when unknown);
 * an unknown value raises VMM_ERR_CONFIG_UNSUPPORTED naming it. */
typedef int (*vxmlEnumFromString)(const char *str);
int vxmlPropEnum(const xmlNode *node, const char *name,
                 vxmlEnumFromString fromString, int *ret_value);

/* A string attribute that must be one of the NULL-terminated @choices:
 * 1 with *ret_value (g_malloc'd) set, 0 when absent, -1 with
 * VMM_ERR_CONFIG_UNSUPPORTED naming the value when it is not listed. */
int vxmlPropChoice(const xmlNode *node, const char *name,
                   const char *const *choices, char **ret_value);

/* The first child element of @node called @name, or NULL. */
xmlNode *vxmlChild(const xmlNode *node, const char *name);

/* Refuses what we do not model. @attrs is a NULL-terminated list of the
 * allowed attribute names, @children of the allowed child element names,
 * where a trailing '*' marks one that may repeat (the others may appear at
 * most once). Either list may be NULL (nothing allowed). When @text is
 * false, non-blank text inside @node is refused too. Errors are
 * VMM_ERR_CONFIG_UNSUPPORTED from @domain, e.g. "unknown element <foo> in
 * <devices>". */
int vxmlCheckNode(const xmlNode *node, int domain, const char *const *attrs,
                  const char *const *children, bool text);

/* Serialises @node and its subtree as a standalone XML fragment (blank
 * text nodes removed, two-space indentation, namespaces it uses declared
 * on it), without trailing newline. */
char *vxmlNodeToString(const xmlNode *node);

/* RelaxNG ----------------------------------------------------------------- */

/* The directory schemas are read from: $VMM_SCHEMA_DIR, else the
 * installed one. */
const char *vxmlSchemaDir(void);

/* Validates @doc against @schema (a file name such as "domain.rng" in
 * vxmlSchemaDir()). Failure raises VMM_ERR_XML_INVALID_SCHEMA with the
 * validator's reason. */
int vxmlValidateAgainstSchema(xmlDoc *doc, const char *schema);

/* Output ------------------------------------------------------------------ */

/* A growing string that indents every line it starts by the current
 * indentation. */
typedef struct {
    GString *str;
    int indent;
} vxmlBuf;

void vxmlBufInit(vxmlBuf *buf);
/* Releases the content; safe on a zeroed or finished buffer. */
void vxmlBufClear(vxmlBuf *buf);
/* Hands the content out and leaves the buffer empty. */
char *vxmlBufFinish(vxmlBuf *buf);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(vxmlBuf, vxmlBufClear)

/* Adds (or with a negative @by removes) indentation. */
void vxmlBufIndent(vxmlBuf *buf, int by);

/* Appends formatted text; the start of each line is indented. Values
 * substituted here are not escaped: use vxmlBufEscape for user data. */
void vxmlBufAdd(vxmlBuf *buf, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Appends @fmt with its one "%s" replaced by @str escaped for XML
 * (element text or quoted attribute). Nothing is added when @str is
 * NULL. */
void vxmlBufEscape(vxmlBuf *buf, const char *fmt, const char *str);

/* Appends each line of @text indented (used for verbatim fragments). */
void vxmlBufAddLines(vxmlBuf *buf, const char *text);

/* @str escaped for XML text and attribute values: & < > ' " */
char *vxmlEscape(const char *str);
