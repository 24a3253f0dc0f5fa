/*
 * conf_xml2xml_test.c: golden round-trip tests of the domain XML layer.
 *
 * Every tests/xml2xmlin/NAME.xml is validated against domain.rng, parsed,
 * formatted and compared with tests/xml2xmlout/NAME.xml; the output is then
 * parsed and formatted again and must not change (parse and format are
 * inverses), and must validate too. VMM_TEST_REGENERATE=1 rewrites the
 * expected files instead of comparing.
 *
 * Every tests/xml2xml-invalid/NAME.xml must fail with the error code and
 * message fragment given in the table below; schemaValid says whether the
 * document is nonetheless valid against domain.rng (errors the schema
 * cannot express, like vcpu current > max).
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include "util_error.h"
#include "util_xml.h"
#include "domain_conf.h"

static const char *srcdir;

static char *readFile(const char *path)
{
    g_autoptr(GError) gerr = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &gerr))
        g_error("cannot read %s: %s", path, gerr->message);
    return text;
}

static bool schemaValid(const char *xml)
{
    g_autoptr(xmlDoc) doc = vxmlParseString(xml, "test", NULL);

    if (!doc)
        return false;
    return vxmlValidateAgainstSchema(doc, "domain.rng") == 0;
}

static void assertSchemaValid(const char *xml, const char *what)
{
    if (!schemaValid(xml))
        g_error("%s does not validate: %s", what, errorGetLast()->message);
}

static void testRoundTrip(gconstpointer data)
{
    const char *name = data;
    g_autofree char *inPath =
        g_strdup_printf("%s/xml2xmlin/%s.xml", srcdir, name);
    g_autofree char *outPath =
        g_strdup_printf("%s/xml2xmlout/%s.xml", srcdir, name);
    g_autofree char *in = readFile(inPath);
    g_autoptr(domainDef) def = NULL;
    g_autoptr(domainDef) again = NULL;
    g_autoptr(domainDef) copy = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *copied = NULL;
    g_autofree char *expected = NULL;

    assertSchemaValid(in, inPath);
    if (!(def = domainDefParseString(in, DOMAIN_DEF_PARSE_VALIDATE)))
        g_error("%s: %s", inPath, errorGetLast()->message);
    out = domainDefFormat(def, -1, DOMAIN_DEF_FORMAT_SECURE);
    if (g_getenv("VMM_TEST_REGENERATE"))
        g_assert_true(g_file_set_contents(outPath, out, -1, NULL));
    expected = readFile(outPath);
    g_assert_cmpstr(out, ==, expected);

    assertSchemaValid(out, outPath);
    if (!(again = domainDefParseString(out, DOMAIN_DEF_PARSE_VALIDATE)))
        g_error("reparsing %s: %s", outPath, errorGetLast()->message);
    out2 = domainDefFormat(again, -1, DOMAIN_DEF_FORMAT_SECURE);
    g_assert_cmpstr(out2, ==, out);

    copy = domainDefCopy(def);
    g_assert_nonnull(copy);
    copied = domainDefFormat(copy, -1, DOMAIN_DEF_FORMAT_SECURE);
    g_assert_cmpstr(copied, ==, out);
}

typedef struct {
    const char *name;
    int code;
    const char *fragment;
    bool schemaValid;
} invalidCase;

static const invalidCase invalidCases[] = {
    {"no-name", VMM_ERR_NO_NAME, "missing name information", false},
    {"name-slash", VMM_ERR_XML_ERROR, "name 'a/b' cannot contain '/'", false},
    {"name-too-long", VMM_ERR_XML_ERROR, "name is longer than 1024 bytes",
     true},
    {"malformed-tag-mismatch", VMM_ERR_XML_ERROR,
     "XML error: (domain_definition):3: Opening and ending tag mismatch: "
     "name line 2 and domain",
     false},
    {"truncated", VMM_ERR_XML_ERROR,
     "XML error: (domain_definition):4: expected '>'", false},
    {"unknown-device", VMM_ERR_CONFIG_UNSUPPORTED,
     "unsupported configuration: unknown element <foo> in <devices>", false},
    {"unknown-top-element", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown element <cputune> in <domain>", false},
    {"unknown-disk-attr", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown attribute 'snapshot' in <disk>", false},
    {"disk-bus-unknown", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown value 'floppybus' of attribute 'bus' in <target>", false},
    {"disk-no-target", VMM_ERR_NO_TARGET,
     "missing target information for device: /a.img", false},
    {"memory-overflow", VMM_ERR_OVERFLOW, "memory size too large in <memory>",
     true},
    {"memory-huge-number", VMM_ERR_XML_ERROR,
     "invalid memory size '999999999999999999999999' in <memory>", false},
    {"memory-negative", VMM_ERR_XML_ERROR,
     "invalid memory size '-5' in <memory>", false},
    {"memory-unit-unknown", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown memory unit 'parsec' in <memory>", false},
    {"memory-missing", VMM_ERR_XML_ERROR, "memory size must be specified",
     true},
    {"current-memory-too-big", VMM_ERR_XML_ERROR,
     "current memory 262144 KiB exceeds memory 131072 KiB", true},
    {"vcpu-current-too-big", VMM_ERR_XML_ERROR,
     "vcpu current='4' must be between 1 and the maximum 2", true},
    {"vcpu-zero", VMM_ERR_XML_ERROR, "invalid vcpu count '0'", false},
    {"uuid-malformed", VMM_ERR_XML_ERROR, "malformed uuid element 'not-a-uuid'",
     false},
    {"type-unknown", VMM_ERR_CONFIG_UNSUPPORTED, "unknown domain type 'lxc'",
     false},
    {"type-missing", VMM_ERR_XML_ERROR, "missing domain type attribute", false},
    {"os-missing", VMM_ERR_OS_TYPE, "an os <type> must be specified", false},
    {"mac-multicast", VMM_ERR_XML_ERROR,
     "expected unicast mac address, found multicast '01:00:5e:00:00:01'", true},
    {"mac-invalid", VMM_ERR_INVALID_MAC,
     "invalid MAC address: '52:54:00:zz:00:01'", false},
    {"duplicate-name", VMM_ERR_CONFIG_UNSUPPORTED,
     "element <name> appears more than once in <domain>", false},
    {"entity-declaration", VMM_ERR_XML_ERROR,
     "entity declarations are not allowed", false},
    {"external-entity", VMM_ERR_XML_ERROR,
     "entity declarations are not allowed", false},
    {"pci-slot-range", VMM_ERR_XML_ERROR,
     "PCI address slot 0x20 is out of range (maximum 0x1f)", true},
    {"wrong-root", VMM_ERR_XML_ERROR,
     "expected root element <domain>, got <network>", false},
    {"text-in-devices", VMM_ERR_CONFIG_UNSUPPORTED,
     "unexpected text in <devices>", false},
    {"net-source-missing", VMM_ERR_XML_ERROR,
     "<interface type='bridge'> needs <source bridge='...'/>", false},
    {"graphics-port-range", VMM_ERR_XML_ERROR, "invalid graphics port '70000'",
     false},
    {"lifecycle-unknown", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown lifecycle action 'explode' in <on_crash>", false},
    {"rng-egd", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown attribute 'type' in <backend>", false},
    {"title-newline", VMM_ERR_XML_ERROR, "title can't contain newlines", false},
    {"feature-flag-with-state", VMM_ERR_CONFIG_UNSUPPORTED,
     "unknown attribute 'state' in <acpi>", false},
    {"cpu-feature-no-name", VMM_ERR_XML_ERROR,
     "missing attribute 'name' in <feature>", false},
    {"bootloader-args-alone", VMM_ERR_XML_ERROR,
     "<bootloader_args> needs a <bootloader>", false},
    {"audio-id-zero", VMM_ERR_XML_ERROR, "<audio> needs id='N', N >= 1", false},
    {"disk-target-duplicate", VMM_ERR_XML_ERROR,
     "target 'vda' duplicated for disk sources '/a.img' and '/b.img'", true},
    {"controller-duplicate", VMM_ERR_XML_ERROR,
     "multiple 'usb' controllers with index '0'", true},
    {"idmap-no-gid", VMM_ERR_XML_ERROR,
     "<idmap> needs both <uid> and <gid> entries", false},
    {"vcpu-cpuset-garbage", VMM_ERR_XML_ERROR,
     "invalid vcpu cpuset '0-3;rm -rf'", false},
};

static void testInvalid(gconstpointer data)
{
    const invalidCase *tc = data;
    g_autofree char *path =
        g_strdup_printf("%s/xml2xml-invalid/%s.xml", srcdir, tc->name);
    g_autofree char *xml = readFile(path);
    g_autoptr(domainDef) def = NULL;
    const vmmError *err;

    g_assert_cmpint(schemaValid(xml), ==, tc->schemaValid);
    errorReset();
    def = domainDefParseString(xml, 0);
    g_assert_null(def);
    err = errorGetLast();
    g_assert_nonnull(err);
    if (!strstr(err->message, tc->fragment))
        g_error("%s: message '%s' lacks '%s'", tc->name, err->message,
                tc->fragment);
    g_assert_cmpint(err->code, ==, tc->code);
    errorReset();
}

/* Every file of xml2xml-invalid must have a row in the table. */
static void testInvalidTableComplete(void)
{
    g_autofree char *dir = g_build_filename(srcdir, "xml2xml-invalid", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *file;

    g_assert_nonnull(d);
    while ((file = g_dir_read_name(d))) {
        bool found = false;
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(invalidCases); i++) {
            g_autofree char *f =
                g_strdup_printf("%s.xml", invalidCases[i].name);

            found |= g_str_equal(f, file);
        }
        if (!found)
            g_error("xml2xml-invalid/%s has no row in the table", file);
    }
}

static gint compareNames(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *listCases(void)
{
    g_autofree char *dir = g_build_filename(srcdir, "xml2xmlin", NULL);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *file;

    g_assert_nonnull(d);
    while ((file = g_dir_read_name(d))) {
        if (g_str_has_suffix(file, ".xml"))
            g_ptr_array_add(names, g_strndup(file, strlen(file) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    return names;
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = NULL;
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    srcdir = g_getenv("VMM_TEST_SRCDIR");
    if (!srcdir)
        srcdir = ".";
    names = listCases();
    for (i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/conf/xml2xml/%s", name);

        g_test_add_data_func(path, name, testRoundTrip);
    }
    for (i = 0; i < G_N_ELEMENTS(invalidCases); i++) {
        g_autofree char *path =
            g_strdup_printf("/conf/xml2xml-invalid/%s", invalidCases[i].name);

        g_test_add_data_func(path, &invalidCases[i], testInvalid);
    }
    g_test_add_func("/conf/xml2xml-invalid/table-complete",
                    testInvalidTableComplete);
    ret = g_test_run();
    return ret;
}
