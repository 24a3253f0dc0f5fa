/*
 * util_uuid_test.c: UUID generation, parsing and formatting.
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include "util_uuid.h"

static void testRoundTrip(void)
{
    unsigned char a[VMM_UUID_BUFLEN], b[VMM_UUID_BUFLEN];
    char str[VMM_UUID_STRING_BUFLEN];

    uuidGenerate(a);
    g_assert_false(uuidIsNull(a));
    g_assert_cmpint(a[6] >> 4, ==, 4);
    uuidFormat(a, str);
    g_assert_cmpuint(strlen(str), ==, 36);
    g_assert_cmpint(uuidParse(str, b), ==, 0);
    g_assert_cmpmem(a, sizeof(a), b, sizeof(b));
}

static void testParseForms(void)
{
    unsigned char u[VMM_UUID_BUFLEN];
    char str[VMM_UUID_STRING_BUFLEN];

    g_assert_cmpint(uuidParse("6695EB01-F6A4-8304-79AA-97F2502E193F", u), ==, 0);
    uuidFormat(u, str);
    g_assert_cmpstr(str, ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    g_assert_cmpint(uuidParse("6695eb01f6a4830479aa97f2502e193f", u), ==, 0);
    uuidFormat(u, str);
    g_assert_cmpstr(str, ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
}

static void testParseRejects(void)
{
    unsigned char u[VMM_UUID_BUFLEN] = { 0 };

    g_assert_cmpint(uuidParse(NULL, u), ==, -1);
    g_assert_cmpint(uuidParse("", u), ==, -1);
    g_assert_cmpint(uuidParse("6695eb01-f6a4-8304-79aa-97f2502e193", u), ==, -1);
    g_assert_cmpint(uuidParse("6695eb01-f6a4-8304-79aa-97f2502e193f0", u), ==, -1);
    g_assert_cmpint(uuidParse("6695eb01-f6a4-8304-79aa-97f2502e193g", u), ==, -1);
    g_assert_true(uuidIsNull(u));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/uuid/round-trip", testRoundTrip);
    g_test_add_func("/util/uuid/parse-forms", testParseForms);
    g_test_add_func("/util/uuid/parse-rejects", testParseRejects);
    return g_test_run();
}
