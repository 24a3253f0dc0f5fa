/*
 * util_json_test.c: JSON parse and format round trips, typed getters,
 * builders, unicode, big integers, deep nesting and malformed input.
 */
#include <config.h>

#include <locale.h>
#include <math.h>

#include "util_error.h"
#include "util_json.h"

/* Parsing @in and formatting it compactly gives @out (@in when NULL). */
static void checkRoundTrip(const char *in, const char *out)
{
    g_autoptr(jsonValue) value = jsonParse(in);
    g_autofree char *text = NULL;

    if (!value)
        g_error("cannot parse %s: %s", in, errorGetLast()->message);
    text = jsonFormat(value, false);
    g_assert_cmpstr(text, ==, out ? out : in);
}

static void testRoundTrip(void)
{
    checkRoundTrip("null", NULL);
    checkRoundTrip("true", NULL);
    checkRoundTrip("false", NULL);
    checkRoundTrip("0", NULL);
    checkRoundTrip("-12.5e-3", NULL);
    checkRoundTrip("\"\"", NULL);
    checkRoundTrip("[]", NULL);
    checkRoundTrip("{}", NULL);
    checkRoundTrip("[1,\"two\",[3,{\"four\":4}],null,true]", NULL);
    /* Keys stay in their order, not sorted. */
    checkRoundTrip("{\"z\":1,\"a\":{\"m\":[],\"b\":{}},\"k\":false}", NULL);
    checkRoundTrip(" \n\t{ \"a\" : [ 1 , 2 ] }\n ", "{\"a\":[1,2]}");
    checkRoundTrip("\"tab\\tquote\\\"back\\\\slash/nl\\n\"", NULL);
    checkRoundTrip("\"\\u0001\"", NULL);
    checkRoundTrip("\"\\/\"", "\"/\"");
}

static void testUnicode(void)
{
    g_autoptr(jsonValue) escaped =
        jsonParse("\"caf\\u00e9 \\ud83d\\ude00 \\u65e5\"");
    g_autoptr(jsonValue) raw = jsonParse("[\"café 😀 日\"]");
    g_autoptr(jsonValue) built = jsonValueNewString("Grüße");
    g_autofree char *text = NULL;
    g_autofree char *builtText = NULL;

    g_assert_nonnull(escaped);
    g_assert_cmpstr(jsonValueGetString(escaped), ==, "café 😀 日");
    g_assert_nonnull(raw);
    g_assert_cmpstr(jsonValueGetString(jsonArrayGet(raw, 0)), ==,
                    "café 😀 日");
    text = jsonFormat(escaped, false);
    g_assert_cmpstr(text, ==, "\"café 😀 日\"");
    builtText = jsonFormat(built, false);
    g_assert_cmpstr(builtText, ==, "\"Grüße\"");
}

static void testBadUtf8(void)
{
    g_autoptr(jsonValue) parsed = jsonParse("\"\xff\xfe\"");
    g_autoptr(jsonValue) built = jsonValueNewString("bad \xc3\x28");
    g_autofree char *text = NULL;

    g_assert_null(parsed);
    g_assert_true(errorIsSet());
    errorReset();
    text = jsonFormat(built, false);
    g_assert_null(text);
    g_assert_nonnull(strstr(errorGetLast()->message, "UTF-8"));
    errorReset();
}

static void testBigIntegers(void)
{
    g_autoptr(jsonValue) value = jsonParse(
        "{\"u\":18446744073709551615,\"i\":-9223372036854775808,"
        "\"max\":9223372036854775807,\"over\":18446744073709551616,"
        "\"f\":1.5,\"e\":1e3}");
    g_autoptr(jsonValue) built = jsonValueNewObject();
    g_autofree char *text = NULL;
    guint64 u = 0;
    gint64 i = 0;
    double d = 0;

    g_assert_nonnull(value);
    g_assert_cmpint(jsonObjectGetNumberUint64(value, "u", &u), ==, 0);
    g_assert_cmpuint(u, ==, G_MAXUINT64);
    g_assert_cmpint(jsonObjectGetNumberInt64(value, "i", &i), ==, 0);
    g_assert_cmpint(i, ==, G_MININT64);
    g_assert_cmpint(jsonObjectGetNumberInt64(value, "max", &i), ==, 0);
    g_assert_cmpint(i, ==, G_MAXINT64);

    /* Out of range or not integers: refused, outputs untouched. */
    i = 7;
    u = 7;
    g_assert_cmpint(jsonObjectGetNumberInt64(value, "u", &i), ==, -1);
    g_assert_cmpint(i, ==, 7);
    g_assert_nonnull(strstr(errorGetLast()->message, "of key u"));
    g_assert_cmpint(jsonObjectGetNumberUint64(value, "over", &u), ==, -1);
    g_assert_cmpint(jsonObjectGetNumberUint64(value, "i", &u), ==, -1);
    g_assert_cmpint(jsonObjectGetNumberInt64(value, "f", &i), ==, -1);
    g_assert_cmpint(jsonObjectGetNumberInt64(value, "e", &i), ==, -1);
    g_assert_cmpuint(u, ==, 7);
    errorReset();
    g_assert_cmpint(jsonObjectGetNumberDouble(value, "f", &d), ==, 0);
    g_assert_cmpfloat(d, ==, 1.5);
    g_assert_cmpint(jsonObjectGetNumberDouble(value, "e", &d), ==, 0);
    g_assert_cmpfloat(d, ==, 1000);
    g_assert_cmpint(jsonObjectGetNumberDouble(value, "u", &d), ==, 0);
    g_assert_cmpfloat(d, ==, 18446744073709551615.0);

    /* Built numbers format exactly. */
    g_assert_cmpint(jsonObjectAppendNumberUint64(built, "u", G_MAXUINT64),
                    ==, 0);
    g_assert_cmpint(jsonObjectAppendNumberInt64(built, "i", G_MININT64), ==, 0);
    g_assert_cmpint(jsonObjectAppendNumberDouble(built, "d", 0.1), ==, 0);
    g_assert_cmpint(jsonObjectAppendNumberDouble(built, "third", 1.0 / 3),
                    ==, 0);
    g_assert_cmpint(jsonObjectAppendNumberDouble(built, "big", 1e300), ==, 0);
    text = jsonFormat(built, false);
    g_assert_cmpstr(text, ==,
                    "{\"u\":18446744073709551615,\"i\":-9223372036854775808,"
                    "\"d\":0.1,\"third\":0.3333333333333333,\"big\":1e+300}");
}

static void testDoubles(void)
{
    g_autoptr(jsonValue) nan = jsonValueNewNumberDouble(NAN);
    g_autoptr(jsonValue) obj = jsonValueNewObject();
    g_autoptr(jsonValue) over = jsonParse("1e999");
    double d = 0;

    g_assert_null(nan);
    g_assert_true(errorIsSet());
    errorReset();
    g_assert_cmpint(jsonObjectAppendNumberDouble(obj, "inf", INFINITY), ==, -1);
    g_assert_cmpuint(jsonObjectSize(obj), ==, 0);
    errorReset();
    g_assert_nonnull(over);
    g_assert_cmpint(jsonValueGetNumberDouble(over, &d), ==, -1);
    errorReset();

    /* A decimal comma locale must not leak into the output. */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
        g_autoptr(jsonValue) half = jsonValueNewNumberDouble(0.5);
        g_autofree char *text = jsonFormat(half, false);

        g_assert_cmpstr(text, ==, "0.5");
        setlocale(LC_NUMERIC, "C");
    }
}

/* The QMP shapes: building a command, reading a reply. */
static void testBuildAndGet(void)
{
    g_autoptr(jsonValue) cmd = jsonValueNewObject();
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(jsonValue) list = jsonValueNewArray();
    g_autoptr(jsonValue) extra = jsonValueNewNull();
    g_autofree char *text = NULL;
    jsonValue *got;
    bool flag = false;

    g_assert_cmpint(jsonObjectAppendString(cmd, "execute",
                                           "qmp_capabilities"), ==, 0);
    g_assert_cmpint(jsonObjectAppendBoolean(args, "enable", true), ==, 0);
    g_assert_cmpint(jsonObjectAppendNull(args, "nothing"), ==, 0);
    g_assert_cmpint(jsonArrayAppendString(list, "oob"), ==, 0);
    g_assert_cmpint(jsonObjectAppend(args, "list", &list), ==, 0);
    g_assert_null(list);
    g_assert_cmpint(jsonObjectAppend(cmd, "arguments", &args), ==, 0);
    g_assert_null(args);
    g_assert_cmpint(jsonObjectAppendNumberInt64(cmd, "id", 42), ==, 0);

    /* A key already there is refused and the value stays the caller's. */
    g_assert_cmpint(jsonObjectAppend(cmd, "id", &extra), ==, -1);
    g_assert_nonnull(extra);
    g_assert_nonnull(strstr(errorGetLast()->message, "'id'"));
    errorReset();

    text = jsonFormat(cmd, false);
    g_assert_cmpstr(text, ==,
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                    "{\"enable\":true,\"nothing\":null,\"list\":[\"oob\"]},"
                    "\"id\":42}");

    g_assert_cmpstr(jsonObjectGetString(cmd, "execute"), ==,
                    "qmp_capabilities");
    got = jsonObjectGetObject(cmd, "arguments");
    g_assert_nonnull(got);
    g_assert_cmpint(jsonObjectGetBoolean(got, "enable", &flag), ==, 0);
    g_assert_true(flag);
    g_assert_true(jsonValueIsNull(jsonObjectGet(got, "nothing")));
    g_assert_cmpuint(jsonArraySize(jsonObjectGetArray(got, "list")), ==, 1);
    g_assert_cmpuint(jsonObjectSize(got), ==, 3);
    g_assert_cmpstr(jsonObjectKeyAt(got, 2), ==, "list");
    g_assert_cmpint(jsonValueGetType(jsonObjectValueAt(got, 0)), ==,
                    JSON_TYPE_BOOLEAN);
    g_assert_true(jsonObjectHasKey(cmd, "id"));
    g_assert_false(jsonObjectHasKey(cmd, "return"));
    g_assert_false(errorIsSet());
}

static void testGetterErrors(void)
{
    g_autoptr(jsonValue) value = jsonParse(
        "{\"s\":\"x\",\"n\":1,\"a\":[],\"o\":{}}");
    bool flag = true;
    gint64 i = 5;

    g_assert_null(jsonObjectGetString(value, "missing"));
    g_assert_cmpstr(errorGetLast()->message, ==,
                    "internal error: JSON object has no key 'missing'");
    g_assert_null(jsonObjectGetString(value, "n"));
    g_assert_cmpstr(errorGetLast()->message, ==,
                    "internal error: JSON value of key 'n' is of type "
                    "number, not string");
    g_assert_cmpint(jsonObjectGetNumberInt64(value, "s", &i), ==, -1);
    g_assert_cmpint(i, ==, 5);
    g_assert_cmpint(jsonObjectGetBoolean(value, "a", &flag), ==, -1);
    g_assert_true(flag);
    g_assert_null(jsonObjectGetArray(value, "o"));
    g_assert_null(jsonObjectGetObject(value, "a"));
    g_assert_null(jsonObjectGet(jsonObjectGet(value, "a"), "x"));
    g_assert_null(jsonArrayGet(jsonObjectGet(value, "a"), 0));
    g_assert_nonnull(strstr(errorGetLast()->message, "no element 0"));
    g_assert_null(jsonValueGetString(jsonObjectGet(value, "o")));
    g_assert_cmpint(jsonArrayAppendString(value, "x"), ==, -1);
    errorReset();
}

static void testStealAndCopy(void)
{
    g_autoptr(jsonValue) reply = jsonParse(
        "{\"return\":{\"status\":\"running\",\"list\":[1,[2]]},\"id\":\"a\"}");
    g_autoptr(jsonValue) ret = NULL;
    g_autoptr(jsonValue) copy = NULL;
    g_autofree char *text = NULL;
    g_autofree char *copyText = NULL;
    g_autofree char *replyText = NULL;

    copy = jsonValueCopy(reply);
    g_assert_cmpint(jsonObjectStealKey(reply, "return", &ret), ==, 0);
    g_assert_cmpint(jsonObjectStealKey(reply, "return", &ret), ==, -1);
    errorReset();
    text = jsonFormat(ret, false);
    g_assert_cmpstr(text, ==, "{\"status\":\"running\",\"list\":[1,[2]]}");
    replyText = jsonFormat(reply, false);
    g_assert_cmpstr(replyText, ==, "{\"id\":\"a\"}");
    copyText = jsonFormat(copy, false);
    g_assert_cmpstr(copyText, ==,
                    "{\"return\":{\"status\":\"running\",\"list\":[1,[2]]},"
                    "\"id\":\"a\"}");
}

static void testPretty(void)
{
    g_autoptr(jsonValue) value = jsonParse("{\"a\":[1,{\"b\":null}],\"c\":{}}");
    g_autofree char *text = jsonFormat(value, true);
    g_autoptr(jsonValue) back = jsonParse(text);
    g_autofree char *compact = jsonFormat(back, false);

    g_assert_cmpstr(text, ==,
                    "{\n"
                    "  \"a\": [\n"
                    "    1,\n"
                    "    {\n"
                    "      \"b\": null\n"
                    "    }\n"
                    "  ],\n"
                    "  \"c\": {\n"
                    "\n"
                    "  }\n"
                    "}\n");
    g_assert_cmpstr(compact, ==, "{\"a\":[1,{\"b\":null}],\"c\":{}}");
}

/* Malformed input fails with a message that says where. */
static void testMalformed(void)
{
    const char *bad[] = { "", "   ", "{", "[1,]", "{\"a\"}", "{\"a\":1,}",
                          "{a:1}", "[1] [2]", "[1] x", "tru", "01", "1.",
                          "\"unterminated", "'single'", "[\"a\",]",
                          "{\"a\":1,\"a\":2}", "\"nul\\u0000inside\"",
                          "{\"k\\u0000\":1}", "NaN", "// comment\n1" };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(jsonValue) value = jsonParse(bad[i]);

        if (value)
            g_error("parsed malformed JSON '%s'", bad[i]);
        g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INTERNAL_ERROR);
        g_assert_true(g_str_has_prefix(errorGetLast()->message,
                                       "internal error: cannot parse JSON: "));
        g_assert_nonnull(strstr(errorGetLast()->message, "near byte"));
        errorReset();
    }
    g_assert_null(jsonParse("{\"a\":1,\"a\":2}"));
    g_assert_nonnull(strstr(errorGetLast()->message, "duplicate key 'a'"));
    errorReset();
}

static char *nested(int depth)
{
    g_autoptr(GString) str = g_string_new(NULL);

    for (int i = 0; i < depth; i++)
        g_string_append_c(str, '[');
    for (int i = 0; i < depth; i++)
        g_string_append_c(str, ']');
    return g_string_free(g_steal_pointer(&str), FALSE);
}

static void testDepth(void)
{
    g_autofree char *ok = nested(JSON_MAX_DEPTH);
    g_autofree char *deep = nested(JSON_MAX_DEPTH + 1);
    g_autofree char *hostile = nested(1000000);
    g_autoptr(jsonValue) okValue = jsonParse(ok);
    g_autoptr(jsonValue) built = jsonValueNewArray();
    g_autofree char *text = NULL;
    g_autofree char *builtText = NULL;

    g_assert_nonnull(okValue);
    text = jsonFormat(okValue, false);
    g_assert_cmpstr(text, ==, ok);
    g_assert_null(jsonParse(deep));
    g_assert_nonnull(strstr(errorGetLast()->message, "nesting deeper"));
    errorReset();
    g_assert_null(jsonParse(hostile));
    errorReset();

    /* A tree built by hand deeper than yajl can write is an error, not a
     * crash. */
    for (int i = 0; i < 200; i++) {
        g_autoptr(jsonValue) outer = jsonValueNewArray();

        g_assert_cmpint(jsonArrayAppend(outer, &built), ==, 0);
        built = g_steal_pointer(&outer);
    }
    builtText = jsonFormat(built, false);
    g_assert_null(builtText);
    g_assert_nonnull(strstr(errorGetLast()->message, "too deep"));
    errorReset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/json/round-trip", testRoundTrip);
    g_test_add_func("/util/json/unicode", testUnicode);
    g_test_add_func("/util/json/bad-utf8", testBadUtf8);
    g_test_add_func("/util/json/big-integers", testBigIntegers);
    g_test_add_func("/util/json/doubles", testDoubles);
    g_test_add_func("/util/json/build-and-get", testBuildAndGet);
    g_test_add_func("/util/json/getter-errors", testGetterErrors);
    g_test_add_func("/util/json/steal-and-copy", testStealAndCopy);
    g_test_add_func("/util/json/pretty", testPretty);
    g_test_add_func("/util/json/malformed", testMalformed);
    g_test_add_func("/util/json/depth", testDepth);
    return g_test_run();
}
