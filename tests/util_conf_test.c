/*
 * util_conf_test.c: the libvirt-style configuration file reader: syntax,
 * typed access, error messages with file and line, and survival of garbage
 * (random bytes, truncated and mutated files, very long lines).
 */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util_conf.h"
#include "util_error.h"

static confFile *parseText(const char *text)
{
    return confParseString("t.conf", text, strlen(text));
}

/* Parsing @text fails with @code and exactly @message. */
static void assertParseError(const char *text, int code, const char *message)
{
    g_autoptr(confFile) conf = NULL;
    const vmmError *err;

    errorReset();
    conf = parseText(text);
    g_assert_null(conf);
    err = errorGetLast();
    g_assert_nonnull(err);
    g_assert_cmpint(err->domain, ==, VMM_FROM_CONF);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpstr(err->message, ==, message);
}

static void assertLastError(int code, const char *message)
{
    const vmmError *err = errorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpint(err->domain, ==, VMM_FROM_CONF);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpstr(err->message, ==, message);
}

static const char sampleText[] = "# a comment line\n"
                                 "\n"
                                 "listen_tls = 0\n"
                                 "tls_port = \"16514\"   # trailing comment\n"
                                 "unix_sock_group='libvirt'\n"
                                 "keepalive_interval = -1\n"
                                 "access_drivers = [ \"polkit\" ]\n"
                                 "tls_allowed_dn_list = [\n"
                                 "    \"C=GB,CN=*\",   # first\n"
                                 "    # a comment inside the list\n"
                                 "    'O=Example',\n"
                                 "]\n"
                                 "mixed = [ 1, \"two\", -3 ]\n"
                                 "empty=[]\n"
                                 "long = \"\"\"line one\n"
                                 "line two\"\"\"\n"
                                 "a = 1; b = +2\n"
                                 "\tlast_one\t=\t\"x\"";

static void testParseSample(void)
{
    g_autoptr(confFile) conf = parseText(sampleText);
    static const char *const keys[] = {
        "listen_tls",
        "tls_port",
        "unix_sock_group",
        "keepalive_interval",
        "access_drivers",
        "tls_allowed_dn_list",
        "mixed",
        "empty",
        "long",
        "a",
        "b",
        "last_one",
    };

    g_assert_nonnull(conf);
    g_assert_cmpstr(confGetName(conf), ==, "t.conf");
    g_assert_cmpuint(confKeyCount(conf), ==, G_N_ELEMENTS(keys));
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
        g_assert_cmpstr(confKeyNth(conf, i), ==, keys[i]);
    g_assert_null(confKeyNth(conf, G_N_ELEMENTS(keys)));

    g_assert_cmpint(confGetType(conf, "listen_tls"), ==, CONF_TYPE_NUMBER);
    g_assert_cmpint(confGetType(conf, "tls_port"), ==, CONF_TYPE_STRING);
    g_assert_cmpint(confGetType(conf, "mixed"), ==, CONF_TYPE_LIST);
    g_assert_cmpint(confGetType(conf, "nope"), ==, CONF_TYPE_NONE);
    g_assert_cmpuint(confGetLine(conf, "listen_tls"), ==, 3);
    g_assert_cmpuint(confGetLine(conf, "tls_allowed_dn_list"), ==, 8);
    g_assert_cmpuint(confGetLine(conf, "long"), ==, 15);
    g_assert_cmpuint(confGetLine(conf, "b"), ==, 17);
    g_assert_cmpuint(confGetLine(conf, "last_one"), ==, 18);
    g_assert_cmpuint(confGetLine(conf, "nope"), ==, 0);
}

static void testGetters(void)
{
    g_autoptr(confFile) conf = parseText(sampleText);
    g_autofree char *str = NULL;
    g_autofree char *longStr = NULL;
    g_auto(GStrv) list = NULL;
    g_auto(GStrv) empty = NULL;
    g_auto(GStrv) single = NULL;
    bool flag = true;
    int num = 0;
    unsigned int unum = 0;
    gint64 big = 0;

    g_assert_nonnull(conf);
    g_assert_cmpint(confGetBool(conf, "listen_tls", &flag), ==, 1);
    g_assert_false(flag);
    g_assert_cmpint(confGetInt(conf, "keepalive_interval", &num), ==, 1);
    g_assert_cmpint(num, ==, -1);
    g_assert_cmpint(confGetUInt(conf, "b", &unum), ==, 1);
    g_assert_cmpuint(unum, ==, 2);
    g_assert_cmpint(confGetInt64(conf, "a", &big), ==, 1);
    g_assert_cmpint(big, ==, 1);
    g_assert_cmpint(confGetString(conf, "unix_sock_group", &str), ==, 1);
    g_assert_cmpstr(str, ==, "libvirt");
    g_assert_cmpint(confGetString(conf, "long", &longStr), ==, 1);
    g_assert_cmpstr(longStr, ==, "line one\nline two");
    g_assert_cmpint(
        confGetStringList(conf, "tls_allowed_dn_list", false, &list), ==, 1);
    g_assert_cmpuint(g_strv_length(list), ==, 2);
    g_assert_cmpstr(list[0], ==, "C=GB,CN=*");
    g_assert_cmpstr(list[1], ==, "O=Example");
    g_assert_cmpint(confGetStringList(conf, "empty", false, &empty), ==, 1);
    g_assert_nonnull(empty);
    g_assert_null(empty[0]);
    g_assert_cmpint(confGetStringList(conf, "tls_port", true, &single), ==, 1);
    g_assert_cmpstr(single[0], ==, "16514");
    g_assert_null(single[1]);
}

/* An absent key: 0, output untouched, no error. */
static void testGettersAbsent(void)
{
    g_autoptr(confFile) conf = parseText("x = 1\n");
    char *str = (char *)"keep";
    char **list = NULL;
    bool flag = true;
    int num = 42;
    unsigned int unum = 42;

    errorReset();
    g_assert_cmpint(confGetString(conf, "y", &str), ==, 0);
    g_assert_cmpstr(str, ==, "keep");
    g_assert_cmpint(confGetInt(conf, "y", &num), ==, 0);
    g_assert_cmpint(num, ==, 42);
    g_assert_cmpint(confGetUInt(conf, "y", &unum), ==, 0);
    g_assert_cmpuint(unum, ==, 42);
    g_assert_cmpint(confGetBool(conf, "y", &flag), ==, 0);
    g_assert_true(flag);
    g_assert_cmpint(confGetStringList(conf, "y", true, &list), ==, 0);
    g_assert_null(list);
    g_assert_false(errorIsSet());
}

static void testGettersWrongType(void)
{
    g_autoptr(confFile) conf = parseText("n = 7\n"
                                         "neg = -5\n"
                                         "s = \"x\"\n"
                                         "l = [ \"a\", 2 ]\n"
                                         "huge = 9999999999\n"
                                         "two = 2\n");
    char *str = NULL;
    char **list = NULL;
    bool flag = false;
    int num = 42;
    unsigned int unum = 42;

    g_assert_nonnull(conf);
    g_assert_cmpint(confGetString(conf, "n", &str), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:1: 'n' must be a "
                    "string, not a number");
    g_assert_null(str);
    g_assert_cmpint(confGetInt(conf, "s", &num), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:3: 's' must be a "
                    "number, not a string");
    g_assert_cmpint(confGetUInt(conf, "neg", &unum), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:2: 'neg' must not be "
                    "negative");
    g_assert_cmpint(confGetInt(conf, "huge", &num), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:5: 'huge' must be "
                    "between -2147483648 and 2147483647");
    g_assert_cmpint(confGetUInt(conf, "huge", &unum), ==, -1);
    g_assert_cmpint(num, ==, 42);
    g_assert_cmpuint(unum, ==, 42);
    g_assert_cmpint(confGetBool(conf, "two", &flag), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:6: 'two' must be 0 "
                    "or 1");
    g_assert_cmpint(confGetBool(conf, "s", &flag), ==, -1);
    g_assert_cmpint(confGetStringList(conf, "l", false, &list), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:4: 'l' must be a list "
                    "of strings, but item 2 is a number");
    g_assert_cmpint(confGetStringList(conf, "s", false, &list), ==, -1);
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf:3: 's' must be a list "
                    "of strings, not a string");
    g_assert_null(list);
    confReportValueError(conf, "absent", "is odd");
    assertLastError(VMM_ERR_CONFIG_UNSUPPORTED,
                    "unsupported configuration: t.conf: 'absent' is odd");
}

static void testNumbers(void)
{
    g_autoptr(confFile) conf = parseText("max = 9223372036854775807\n"
                                         "min = -9223372036854775808\n"
                                         "zero = -0\n");
    gint64 num = 0;

    g_assert_nonnull(conf);
    g_assert_cmpint(confGetInt64(conf, "max", &num), ==, 1);
    g_assert_cmpint(num, ==, G_MAXINT64);
    g_assert_cmpint(confGetInt64(conf, "min", &num), ==, 1);
    g_assert_cmpint(num, ==, G_MININT64);
    g_assert_cmpint(confGetInt64(conf, "zero", &num), ==, 1);
    g_assert_cmpint(num, ==, 0);
}

static int countKeys(const confFile *conf, const char *key, confType type,
                     unsigned int line, void *opaque)
{
    GString *seen = opaque;

    g_string_append_printf(seen, "%s:%s:%u ", key, confTypeToString(type),
                           line);
    return g_str_equal(key, "stop") ? -7 : 0;
}

static void testForEach(void)
{
    g_autoptr(confFile) conf = parseText("a = 1\nb = 'x'\n\nc = []\n");
    g_autoptr(confFile) stopping = parseText("a = 1\nstop = 2\nc = 3\n");
    g_autoptr(GString) seen = g_string_new(NULL);

    g_assert_cmpint(confForEach(conf, countKeys, seen), ==, 0);
    g_assert_cmpstr(seen->str, ==, "a:number:1 b:string:2 c:list:4 ");
    g_string_truncate(seen, 0);
    g_assert_cmpint(confForEach(stopping, countKeys, seen), ==, -7);
    g_assert_cmpstr(seen->str, ==, "a:number:1 stop:number:2 ");
}

static void testEmptyInputs(void)
{
    g_autoptr(confFile) empty = confParseString("e", "", 0);
    g_autoptr(confFile) nullData = confParseString(NULL, NULL, 0);
    g_autoptr(confFile) comments = parseText("# only\n   \n\t# comments\n");
    g_autoptr(confFile) crlf = parseText("a = 1\r\nb = \"x\"\r\n");
    g_autofree char *str = NULL;

    g_assert_nonnull(empty);
    g_assert_cmpuint(confKeyCount(empty), ==, 0);
    g_assert_nonnull(nullData);
    g_assert_cmpuint(confKeyCount(comments), ==, 0);
    g_assert_nonnull(crlf);
    g_assert_cmpint(confGetString(crlf, "b", &str), ==, 1);
    g_assert_cmpstr(str, ==, "x");
    g_assert_cmpuint(confGetLine(crlf, "b"), ==, 2);
}

static const struct {
    const char *text;
    const char *message;
} syntaxErrors[] = {
    {"a = 1\nb =\n", "t.conf:2: expected a value after '='"},
    {"b = # nothing\n", "t.conf:1: expected a value after '='"},
    {"b =", "t.conf:1: expected a value after '='"},
    {"listen_tls = yes\n",
     "t.conf:1: expected a value after '=', found 'y' (strings need "
     "quotes)"},
    {"a 1\n", "t.conf:1: expected '=' after 'a', found '1'"},
    {"a\n", "t.conf:1: expected '=' after 'a', found end of line"},
    {"= 1\n", "t.conf:1: expected a key name, found '='"},
    {"_a = 1\n", "t.conf:1: expected a key name, found '_'"},
    {"a-b = 1\n", "t.conf:1: expected '=' after 'a', found '-'"},
    {"\n\n  s = \"abc\n", "t.conf:3: unterminated string (missing \")"},
    {"s = 'abc", "t.conf:1: unterminated string (missing ')"},
    {"s = \"\"\"abc\n\n", "t.conf:1: unterminated string (missing \"\"\")"},
    {"l = [ \"a\",\n \"b\"\n", "t.conf:1: unterminated list (missing ])"},
    {"l = [", "t.conf:1: unterminated list (missing ])"},
    {"l = [ \"a\" \"b\" ]\n",
     "t.conf:1: expected ',' or ']' in a list, found '\"'"},
    {"l = [ [ 1 ] ]\n",
     "t.conf:1: lists cannot be nested in a list, found '['"},
    {"l = [ , ]\n",
     "t.conf:1: expected a string or a number in a list, found ','"},
    {"n = 12abc\n", "t.conf:1: unexpected 'a' after the value of 'n'"},
    {"n = 1 2\n", "t.conf:1: unexpected '2' after the value of 'n'"},
    {"n = -\n", "t.conf:1: expected a digit after the sign, found end of "
                "line"},
    {"n = 9223372036854775808\n", "t.conf:1: number out of range"},
    {"n = -9223372036854775809\n", "t.conf:1: number out of range"},
    {"a = 1\nb = 2\na = 3\n", "t.conf:3: 'a' is set twice (first on line "
                              "1)"},
    {"s = \"\xff\xfe\"\n", "t.conf:1: string is not valid UTF-8 text"},
    {"\x01 = 1\n", "t.conf:1: expected a key name, found byte 0x01"},
    {";\n", "t.conf:1: expected a key name, found ';'"},
};

static void testSyntaxErrors(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(syntaxErrors); i++) {
        g_autofree char *message = g_strdup_printf(
            "configuration file syntax error: %s", syntaxErrors[i].message);

        assertParseError(syntaxErrors[i].text, VMM_ERR_CONF_SYNTAX, message);
    }
}

/* NUL bytes are data like any other: inside a string they are refused, in
 * place of a key they are a syntax error, never a silent end of input. */
static void testNulBytes(void)
{
    static const char inString[] = "s = \"a\0b\"\n";
    static const char asKey[] = "a = 1\n\0";
    g_autoptr(confFile) c1 = NULL;
    g_autoptr(confFile) c2 = NULL;

    c1 = confParseString("t.conf", inString, sizeof(inString) - 1);
    g_assert_null(c1);
    assertLastError(VMM_ERR_CONF_SYNTAX, "configuration file syntax error: "
                                         "t.conf:1: string is not valid "
                                         "UTF-8 text");
    c2 = confParseString("t.conf", asKey, sizeof(asKey) - 1);
    g_assert_null(c2);
    assertLastError(VMM_ERR_CONF_SYNTAX, "configuration file syntax error: "
                                         "t.conf:2: expected a key name, "
                                         "found byte 0x00");
}

static void testLongLines(void)
{
    size_t big = 1024 * 1024;
    g_autofree char *filler = g_strnfill(big, 'x');
    g_autofree char *longValue = g_strdup_printf("k = \"%s\"\n", filler);
    g_autofree char *longKey = g_strdup_printf("%s = 1\n", filler);
    g_autofree char *unterminated = g_strdup_printf("k = \"%s", filler);
    g_autofree char *got = NULL;
    g_autoptr(GString) manyItems = g_string_new("l = [");
    g_autoptr(confFile) c1 = parseText(longValue);
    g_autoptr(confFile) c2 = parseText(longKey);
    g_autoptr(confFile) c3 = NULL;
    g_autoptr(confFile) c4 = NULL;
    g_auto(GStrv) items = NULL;

    g_assert_nonnull(c1);
    g_assert_cmpint(confGetString(c1, "k", &got), ==, 1);
    g_assert_cmpuint(strlen(got), ==, big);
    g_assert_nonnull(c2);
    g_assert_cmpuint(strlen(confKeyNth(c2, 0)), ==, big);
    c3 = parseText(unterminated);
    g_assert_null(c3);
    for (int i = 0; i < 20000; i++)
        g_string_append(manyItems, "\"i\",\n");
    g_string_append(manyItems, "]\n");
    c4 = parseText(manyItems->str);
    g_assert_nonnull(c4);
    g_assert_cmpint(confGetStringList(c4, "l", false, &items), ==, 1);
    g_assert_cmpuint(g_strv_length(items), ==, 20000);
}

/* Whatever the bytes, the parser returns a result or an error, never
 * crashes, and never both. */
static void checkGarbage(const char *data, size_t len)
{
    g_autoptr(confFile) conf = NULL;

    errorReset();
    conf = confParseString("fuzz", data, len);
    if (conf) {
        g_assert_false(errorIsSet());
        /* Exercise the getters on whatever came out. */
        for (size_t i = 0; i < confKeyCount(conf); i++) {
            const char *key = confKeyNth(conf, i);
            g_autofree char *str = NULL;
            g_auto(GStrv) list = NULL;
            int num;

            if (confGetString(conf, key, &str) < 0 &&
                confGetInt(conf, key, &num) < 0 &&
                confGetStringList(conf, key, true, &list) < 0)
                g_assert_true(errorIsSet());
        }
    } else {
        g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_CONF_SYNTAX);
    }
}

static void testFuzzRandomBytes(void)
{
    /* Bytes drawn mostly from the characters the grammar cares about, so
     * that random input gets past the first token often enough. */
    static const char alphabet[] = "ab_1-+=\"'[],;#\n \t\r\0\xff";
    char buf[512];

    for (int iter = 0; iter < 3000; iter++) {
        size_t len = g_test_rand_int_range(0, sizeof(buf));
        bool raw = iter % 2;

        for (size_t i = 0; i < len; i++) {
            if (raw)
                buf[i] = (char)g_test_rand_int_range(0, 256);
            else
                buf[i] =
                    alphabet[g_test_rand_int_range(0, sizeof(alphabet) - 1)];
        }
        checkGarbage(buf, len);
    }
}

static void testFuzzMutations(void)
{
    size_t len = strlen(sampleText);
    g_autofree char *buf = g_malloc(len);

    for (int iter = 0; iter < 3000; iter++) {
        size_t cut = g_test_rand_int_range(0, len + 1);
        int flips = g_test_rand_int_range(0, 4);

        memcpy(buf, sampleText, len);
        for (int f = 0; f < flips; f++)
            buf[g_test_rand_int_range(0, len)] =
                (char)g_test_rand_int_range(0, 256);
        /* A truncated copy in a buffer of its own size, so that a read
         * past its end is caught by valgrind / ASan. */
        {
            g_autofree char *exact = g_malloc(cut);

            if (cut)
                memcpy(exact, buf, cut);

            checkGarbage(exact, cut);
        }
    }
}

static void testParseFile(void)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *dir = g_dir_make_tmp("vmm-conf-XXXXXX", &gerr);
    g_autofree char *path = NULL;
    g_autofree char *bad = NULL;
    g_autofree char *missing = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(confFile) conf = NULL;
    g_autoptr(confFile) failed = NULL;
    g_autofree char *str = NULL;

    g_assert_no_error(gerr);
    path = g_build_filename(dir, "good.conf", NULL);
    bad = g_build_filename(dir, "bad.conf", NULL);
    missing = g_build_filename(dir, "missing.conf", NULL);
    g_assert_true(g_file_set_contents(path, "s = \"v\"\n", -1, NULL));
    g_assert_true(g_file_set_contents(bad, "# ok\ns = \"v\"\nt =\n", -1, NULL));

    conf = confParseFile(path);
    g_assert_nonnull(conf);
    g_assert_cmpstr(confGetName(conf), ==, path);
    g_assert_cmpint(confGetString(conf, "s", &str), ==, 1);
    g_assert_cmpstr(str, ==, "v");

    failed = confParseFile(bad);
    g_assert_null(failed);
    expected = g_strdup_printf("configuration file syntax error: %s:3: "
                               "expected a value after '='",
                               bad);
    assertLastError(VMM_ERR_CONF_SYNTAX, expected);

    errorReset();
    g_assert_null(confParseFile(missing));
    g_assert_true(errorIsSet());
    g_assert_nonnull(strstr(errorGetLast()->message, missing));

    g_unlink(path);
    g_unlink(bad);
    g_rmdir(dir);
}

static void testParseFileTooBig(void)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *dir = g_dir_make_tmp("vmm-conf-XXXXXX", &gerr);
    g_autofree char *path = NULL;
    FILE *fp;

    g_assert_no_error(gerr);
    path = g_build_filename(dir, "big.conf", NULL);
    fp = fopen(path, "w");
    g_assert_nonnull(fp);
    g_assert_cmpint(ftruncate(fileno(fp), CONF_MAX_FILE_SIZE + 1), ==, 0);
    fclose(fp);
    errorReset();
    g_assert_null(confParseFile(path));
    g_assert_true(errorIsSet());
    g_unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/conf/parse-sample", testParseSample);
    g_test_add_func("/util/conf/getters", testGetters);
    g_test_add_func("/util/conf/getters-absent", testGettersAbsent);
    g_test_add_func("/util/conf/getters-wrong-type", testGettersWrongType);
    g_test_add_func("/util/conf/numbers", testNumbers);
    g_test_add_func("/util/conf/for-each", testForEach);
    g_test_add_func("/util/conf/empty-inputs", testEmptyInputs);
    g_test_add_func("/util/conf/syntax-errors", testSyntaxErrors);
    g_test_add_func("/util/conf/nul-bytes", testNulBytes);
    g_test_add_func("/util/conf/long-lines", testLongLines);
    g_test_add_func("/util/conf/fuzz-random-bytes", testFuzzRandomBytes);
    g_test_add_func("/util/conf/fuzz-mutations", testFuzzMutations);
    g_test_add_func("/util/conf/parse-file", testParseFile);
    g_test_add_func("/util/conf/parse-file-too-big", testParseFileTooBig);
    return g_test_run();
}
