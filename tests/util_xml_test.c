/*
 * util_xml_test.c: the libxml2 helpers of src/util/util_xml.c: safe
 * parsing and its error messages, XPath and property getters, strict node
 * checks, the indenting buffer and escaping, RelaxNG validation.
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include "util_error.h"
#include "util_xml.h"

static void assertError(int code, const char *fragment)
{
    const vmmError *err = errorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    if (!strstr(err->message, fragment))
        g_error("message '%s' lacks '%s'", err->message, fragment);
    errorReset();
}

static void testParseOk(void)
{
    g_autoptr(xmlDoc) doc = vxmlParseString("<a><b>x</b></a>", "t", "a");

    g_assert_nonnull(doc);
    g_assert_false(errorIsSet());
}

static void testParseErrors(void)
{
    g_autoptr(xmlDoc) d1 = NULL;
    g_autoptr(xmlDoc) d2 = NULL;
    g_autoptr(xmlDoc) d3 = NULL;
    g_autoptr(xmlDoc) d4 = NULL;

    d1 = vxmlParseString("<a>\n<b>\n</a>", "what", NULL);
    g_assert_null(d1);
    assertError(VMM_ERR_XML_ERROR, "XML error: (what):3: Opening and ending "
                                   "tag mismatch: b line 2 and a");
    d2 = vxmlParseString("", "what", NULL);
    g_assert_null(d2);
    assertError(VMM_ERR_XML_ERROR, "(what):");
    d3 = vxmlParseString("<b/>", "what", "a");
    g_assert_null(d3);
    assertError(VMM_ERR_XML_ERROR, "expected root element <a>, got <b>");
    d4 = vxmlParseString("<!DOCTYPE a [<!ENTITY e SYSTEM "
                         "\"file:///etc/passwd\">]><a>&e;</a>",
                         "what", NULL);
    g_assert_null(d4);
    assertError(VMM_ERR_XML_ERROR, "entity declarations are not allowed");
    g_assert_null(vxmlParseString(NULL, "what", NULL));
    assertError(VMM_ERR_INVALID_ARG, "xml");
}

static void testXPath(void)
{
    g_autoptr(xmlDoc) doc =
        vxmlParseString("<a><n>42</n><h>0x10</h><big>18446744073709551616</big>"
                        "<neg>-1</neg><s> text </s><i/><i/><i/></a>",
                        "t", NULL);
    g_autoptr(xmlXPathContext) ctxt = vxmlNewXPathContext(doc);
    g_autofree char *s = NULL;
    g_autofree xmlNode **list = NULL;
    unsigned long long v = 7;

    g_assert_cmpint(vxmlXPathULongLong(ctxt, "n", &v), ==, 1);
    g_assert_cmpuint(v, ==, 42);
    g_assert_cmpint(vxmlXPathULongLong(ctxt, "h", &v), ==, 1);
    g_assert_cmpuint(v, ==, 16);
    g_assert_cmpint(vxmlXPathULongLong(ctxt, "missing", &v), ==, 0);
    g_assert_cmpuint(v, ==, 16);
    g_assert_cmpint(vxmlXPathULongLong(ctxt, "big", &v), ==, -1);
    assertError(VMM_ERR_XML_ERROR, "invalid unsigned integer");
    g_assert_cmpint(vxmlXPathULongLong(ctxt, "neg", &v), ==, -1);
    assertError(VMM_ERR_XML_ERROR, "'-1'");
    s = vxmlXPathString(ctxt, "s");
    g_assert_cmpstr(s, ==, " text ");
    g_assert_null(vxmlXPathString(ctxt, "missing"));
    g_assert_cmpint(vxmlXPathNodeList(ctxt, "i", &list), ==, 3);
    g_assert_nonnull(list[2]);
    g_assert_null(list[3]);
    g_assert_nonnull(vxmlXPathNode(ctxt, "n"));
    g_assert_null(vxmlXPathNode(ctxt, "nothing"));
    g_assert_false(errorIsSet());
    g_assert_null(vxmlXPathString(ctxt, "(("));
    assertError(VMM_ERR_INTERNAL_ERROR, "invalid XPath expression");
}

static int colourFromString(const char *str)
{
    if (g_str_equal(str, "red"))
        return 0;
    if (g_str_equal(str, "blue"))
        return 1;
    return -1;
}

static void testProps(void)
{
    g_autoptr(xmlDoc) doc = vxmlParseString(
        "<e n='5' big='4294967296' yes='yes' bad='maybe' on='off' "
        "c='blue' d='green' s='x'/>",
        "t", NULL);
    xmlNode *e = xmlDocGetRootElement(doc);
    static const char *const choices[] = {"x", "y", NULL};
    g_autofree char *choice = NULL;
    unsigned int u = 0;
    bool b = false;
    int c = -1;

    g_assert_cmpint(vxmlPropUInt(e, "n", &u), ==, 1);
    g_assert_cmpuint(u, ==, 5);
    g_assert_cmpint(vxmlPropUInt(e, "absent", &u), ==, 0);
    g_assert_cmpint(vxmlPropUInt(e, "big", &u), ==, -1);
    assertError(VMM_ERR_XML_ERROR,
                "invalid value '4294967296' of attribute 'big' in <e>");
    g_assert_cmpint(vxmlPropYesNo(e, "yes", &b), ==, 1);
    g_assert_true(b);
    g_assert_cmpint(vxmlPropYesNo(e, "bad", &b), ==, -1);
    assertError(VMM_ERR_XML_ERROR, "expected 'yes' or 'no'");
    g_assert_cmpint(vxmlPropOnOff(e, "on", &b), ==, 1);
    g_assert_false(b);
    g_assert_cmpint(vxmlPropEnum(e, "c", colourFromString, &c), ==, 1);
    g_assert_cmpint(c, ==, 1);
    g_assert_cmpint(vxmlPropEnum(e, "d", colourFromString, &c), ==, -1);
    assertError(VMM_ERR_CONFIG_UNSUPPORTED,
                "unknown value 'green' of attribute 'd' in <e>");
    g_assert_cmpint(vxmlPropChoice(e, "s", choices, &choice), ==, 1);
    g_assert_cmpstr(choice, ==, "x");
    g_assert_cmpint(vxmlPropChoice(e, "d", choices, &choice), ==, -1);
    assertError(VMM_ERR_CONFIG_UNSUPPORTED, "unknown value 'green'");
}

static void testCheckNode(void)
{
    static const char *const attrs[] = {"a", NULL};
    static const char *const children[] = {"one", "many*", NULL};
    g_autoptr(xmlDoc) ok = vxmlParseString(
        "<r a='1'><one/><many/><many/><!-- c --></r>", "t", NULL);
    g_autoptr(xmlDoc) attr = vxmlParseString("<r b='1'/>", "t", NULL);
    g_autoptr(xmlDoc) child = vxmlParseString("<r><two/></r>", "t", NULL);
    g_autoptr(xmlDoc) twice = vxmlParseString("<r><one/><one/></r>", "t", NULL);
    g_autoptr(xmlDoc) text = vxmlParseString("<r>words</r>", "t", NULL);
    const int dom = VMM_FROM_DOMAIN;

    g_assert_cmpint(
        vxmlCheckNode(xmlDocGetRootElement(ok), dom, attrs, children, false),
        ==, 0);
    g_assert_cmpint(
        vxmlCheckNode(xmlDocGetRootElement(attr), dom, attrs, children, false),
        ==, -1);
    assertError(VMM_ERR_CONFIG_UNSUPPORTED, "unknown attribute 'b' in <r>");
    g_assert_cmpint(
        vxmlCheckNode(xmlDocGetRootElement(child), dom, attrs, children, false),
        ==, -1);
    assertError(VMM_ERR_CONFIG_UNSUPPORTED, "unknown element <two> in <r>");
    g_assert_cmpint(
        vxmlCheckNode(xmlDocGetRootElement(twice), dom, attrs, children, false),
        ==, -1);
    assertError(VMM_ERR_CONFIG_UNSUPPORTED,
                "element <one> appears more than once in <r>");
    g_assert_cmpint(
        vxmlCheckNode(xmlDocGetRootElement(text), dom, attrs, children, false),
        ==, -1);
    assertError(VMM_ERR_CONFIG_UNSUPPORTED, "unexpected text in <r>");
    g_assert_cmpint(
        vxmlCheckNode(xmlDocGetRootElement(text), dom, attrs, children, true),
        ==, 0);
}

static void testNodeToString(void)
{
    g_autoptr(xmlDoc) doc = vxmlParseString(
        "<r xmlns:p='urn:p'>\n  <p:m>\n    <p:x a='1'>t &amp; u</p:x>\n"
        "  </p:m>\n</r>",
        "t", NULL);
    xmlNode *m = xmlDocGetRootElement(doc)->children->next;
    g_autofree char *str = vxmlNodeToString(m);

    g_assert_cmpstr(str, ==,
                    "<p:m xmlns:p=\"urn:p\">\n  <p:x a=\"1\">t &amp; u</p:x>\n"
                    "</p:m>");
}

static void testBuf(void)
{
    g_auto(vxmlBuf) buf = {0};
    g_autofree char *out = NULL;

    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<a>\n");
    vxmlBufIndent(&buf, 2);
    vxmlBufAdd(&buf, "<b n='%d'", 3);
    vxmlBufEscape(&buf, " s='%s'", "<'&\">");
    vxmlBufEscape(&buf, " never='%s'", NULL);
    vxmlBufAdd(&buf, "/>\n");
    vxmlBufEscape(&buf, "<t>%s</t>\n", "line1\nline2");
    vxmlBufAddLines(&buf, "<x>\n  <y/>\n</x>");
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "</a>\n");
    out = vxmlBufFinish(&buf);
    g_assert_cmpstr(out, ==,
                    "<a>\n"
                    "  <b n='3' s='&lt;&apos;&amp;&quot;&gt;'/>\n"
                    "  <t>line1\nline2</t>\n"
                    "  <x>\n    <y/>\n  </x>\n"
                    "</a>\n");
}

static void testEscape(void)
{
    g_autofree char *e = vxmlEscape("a<b>&'\"é");

    g_assert_cmpstr(e, ==, "a&lt;b&gt;&amp;&apos;&quot;é");
}

static void testSchema(void)
{
    g_autoptr(xmlDoc) good = vxmlParseString(
        "<domain type='test'><name>a</name><memory>1024</memory>"
        "<os><type>hvm</type></os></domain>",
        "t", NULL);
    g_autoptr(xmlDoc) bad = vxmlParseString(
        "<domain type='test'><name>a</name><os><type>hvm</type></os><bogus/>"
        "</domain>",
        "t", NULL);

    g_assert_cmpint(vxmlValidateAgainstSchema(good, "domain.rng"), ==, 0);
    g_assert_cmpint(vxmlValidateAgainstSchema(bad, "domain.rng"), ==, -1);
    assertError(VMM_ERR_XML_INVALID_SCHEMA,
                "XML document failed to validate against schema: domain.rng");
    g_assert_cmpint(vxmlValidateAgainstSchema(good, "nonexistent.rng"), ==, -1);
    assertError(VMM_ERR_XML_INVALID_SCHEMA, "does not exist");
}

static void testSchemaDir(void)
{
    g_autofree char *saved = g_strdup(g_getenv("VMM_SCHEMA_DIR"));

    g_setenv("VMM_SCHEMA_DIR", "/some/where", TRUE);
    g_assert_cmpstr(vxmlSchemaDir(), ==, "/some/where");
    g_unsetenv("VMM_SCHEMA_DIR");
    g_assert_cmpstr(vxmlSchemaDir(), ==, VMM_SCHEMA_DIR);
    if (saved)
        g_setenv("VMM_SCHEMA_DIR", saved, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VMM_SCHEMA_DIR"))
        g_setenv("VMM_SCHEMA_DIR", VMM_SRC_SCHEMA_DIR, TRUE);
    g_test_add_func("/util/xml/parse-ok", testParseOk);
    g_test_add_func("/util/xml/parse-errors", testParseErrors);
    g_test_add_func("/util/xml/xpath", testXPath);
    g_test_add_func("/util/xml/props", testProps);
    g_test_add_func("/util/xml/check-node", testCheckNode);
    g_test_add_func("/util/xml/node-to-string", testNodeToString);
    g_test_add_func("/util/xml/buf", testBuf);
    g_test_add_func("/util/xml/escape", testEscape);
    g_test_add_func("/util/xml/schema", testSchema);
    g_test_add_func("/util/xml/schema-dir", testSchemaDir);
    return g_test_run();
}
