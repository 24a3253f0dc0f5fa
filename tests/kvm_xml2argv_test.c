/*
 * kvm_xml2argv_test.c: golden tests of the QEMU command line builder.
 *
 * Every tests/kvmxml2argvdata/NAME.xml is parsed and turned into a command
 * with kvmCommandBuild; cmdToString of it, with each option and its value
 * on a line of its own (shell continuation lines), must equal NAME.args.
 * A case named bad-*.xml must fail instead, and the error message must
 * equal the first line of NAME.err. VMM_TEST_REGENERATE=1 rewrites the
 * expected files instead of comparing, for review in the diff.
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include "util_command.h"
#include "util_error.h"
#include "domain_conf.h"
#include "kvm_command.h"

static const char *datadir;

static char *readFile(const char *path)
{
    g_autoptr(GError) gerr = NULL;
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, &gerr))
        g_error("cannot read %s: %s", path, gerr->message);
    return text;
}

static void writeOrCompare(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (g_getenv("VMM_TEST_REGENERATE")) {
        g_assert_true(g_file_set_contents(path, actual, -1, NULL));
        return;
    }
    expected = readFile(path);
    g_assert_cmpstr(actual, ==, expected);
}

/* One option per line: a break before every word that starts with '-',
 * and after the environment pairs and the program. Quoted words (single
 * quotes, with '\'' inside) are never split. */
static char *splitLines(const char *line)
{
    GString *out = g_string_new(NULL);
    bool quoted = false;
    bool prevOption = false; /* the word before this one was an option */
    bool wordStart = true;

    for (const char *p = line; *p; p++) {
        if (wordStart) {
            bool option = *p == '-';

            if (out->len && (option || !prevOption))
                g_string_append(out, " \\\n");
            else if (out->len)
                g_string_append_c(out, ' ');
            prevOption = option;
            wordStart = false;
        }
        if (!quoted && *p == '\\' && p[1]) {
            g_string_append_c(out, *p++);
        } else if (*p == '\'') {
            quoted = !quoted;
        } else if (!quoted && *p == ' ') {
            wordStart = true;
            continue;
        }
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

static cmdDef *buildCase(const char *name, domainDef **ret_def)
{
    g_autofree char *xmlPath = g_strdup_printf("%s/%s.xml", datadir, name);
    g_autofree char *xml = readFile(xmlPath);
    g_autofree char *monitor =
        g_strdup_printf("/run/vmm/qemu/%s.monitor", name);
    kvmCommandParams params = {
        .monitorPath = monitor,
        .defaultEmulator = "/usr/bin/qemu-system-x86_64",
        .startPaused = true,
    };
    g_autoptr(domainDef) def = NULL;
    cmdDef *cmd;

    if (!(def = domainDefParseString(xml, 0)))
        g_error("%s: %s", xmlPath, errorGetLast()->message);
    if (strstr(name, "no-emulator"))
        params.defaultEmulator = NULL;
    cmd = kvmCommandBuild(def, &params);
    *ret_def = g_steal_pointer(&def);
    return cmd;
}

static void testGood(gconstpointer data)
{
    const char *name = data;
    g_autofree char *argsPath = g_strdup_printf("%s/%s.args", datadir, name);
    g_autoptr(domainDef) def = NULL;
    g_autoptr(cmdDef) cmd = buildCase(name, &def);
    g_autofree char *line = NULL;
    g_autofree char *text = NULL;

    if (!cmd)
        g_error("%s: %s", name, errorGetLast()->message);
    line = cmdToString(cmd);
    text = splitLines(line);
    writeOrCompare(argsPath, text);
}

static void testBad(gconstpointer data)
{
    const char *name = data;
    g_autofree char *errPath = g_strdup_printf("%s/%s.err", datadir, name);
    g_autoptr(domainDef) def = NULL;
    g_autoptr(cmdDef) cmd = NULL;
    g_autofree char *msg = NULL;

    errorReset();
    cmd = buildCase(name, &def);
    g_assert_null(cmd);
    g_assert_true(errorIsSet());
    g_assert_cmpint(errorGetLast()->domain, ==, VMM_FROM_QEMU);
    msg = g_strdup_printf("%s\n", errorGetLast()->message);
    writeOrCompare(errPath, msg);
}

static void testEscape(void)
{
    g_autofree char *a = kvmCommandEscape("a,b,,c");
    g_autofree char *b = kvmCommandEscape("");

    g_assert_cmpstr(a, ==, "a,,b,,,,c");
    g_assert_cmpstr(b, ==, "");
}

static void testNoMonitor(void)
{
    g_autoptr(domainDef) def = NULL;
    g_autoptr(cmdDef) cmd = NULL;
    kvmCommandParams params = {0};
    const char *xml =
        "<domain type='qemu'><name>m</name><memory>131072</memory>"
        "<os><type>hvm</type></os></domain>";

    def = domainDefParseString(xml, 0);
    g_assert_nonnull(def);
    cmd = kvmCommandBuild(def, &params);
    g_assert_null(cmd);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INTERNAL_ERROR);
}

static gint compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *dirPath = NULL;
    const char *entry;
    int ret;

    g_test_init(&argc, &argv, NULL);
    dirPath = g_build_filename(g_getenv("VMM_TEST_SRCDIR") ?: "tests",
                               "kvmxml2argvdata", NULL);
    datadir = dirPath;
    if (!(dir = g_dir_open(datadir, 0, NULL)))
        g_error("cannot open %s", datadir);
    while ((entry = g_dir_read_name(dir))) {
        if (g_str_has_suffix(entry, ".xml"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - 4));
    }
    g_ptr_array_sort(names, compareNames);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/kvm/xml2argv/%s", name);

        g_test_add_data_func(
            path, name, g_str_has_prefix(name, "bad-") ? testBad : testGood);
    }
    g_test_add_func("/kvm/xml2argv/escape", testEscape);
    g_test_add_func("/kvm/xml2argv/no-monitor", testNoMonitor);
    ret = g_test_run();
    return ret;
}
