/*
 * util_uri_test.c: connection URIs split into scheme halves, authority,
 * path and ordered parameters, and formatted back.
 */
#include <config.h>

#include "util_error.h"
#include "util_uri.h"

static vmmURI *parseOK(const char *str)
{
    vmmURI *uri = NULL;

    g_assert_cmpint(uriParse(str, &uri), ==, 0);
    g_assert_nonnull(uri);
    return uri;
}

static void checkRoundTrip(const vmmURI *uri, const char *expect)
{
    g_autofree char *again = uriFormat(uri);

    g_assert_cmpstr(again, ==, expect);
}

static void testLocal(void)
{
    g_autoptr(vmmURI) uri = parseOK("test:///default");

    g_assert_cmpstr(uri->scheme, ==, "test");
    g_assert_cmpstr(uri->driver, ==, "test");
    g_assert_null(uri->transport);
    g_assert_null(uri->user);
    g_assert_null(uri->server);
    g_assert_cmpint(uri->port, ==, 0);
    g_assert_cmpstr(uri->path, ==, "/default");
    g_assert_cmpuint(uri->nparams, ==, 0);
    checkRoundTrip(uri, "test:///default");
}

static void testAbsolutePath(void)
{
    g_autoptr(vmmURI) uri = parseOK("test:///abs/path.xml");

    g_assert_cmpstr(uri->path, ==, "/abs/path.xml");
    checkRoundTrip(uri, "test:///abs/path.xml");
}

static void testSystem(void)
{
    g_autoptr(vmmURI) uri = parseOK("qemu:///system");

    g_assert_cmpstr(uri->driver, ==, "qemu");
    g_assert_cmpstr(uri->path, ==, "/system");
}

static void testUnixSocket(void)
{
    g_autoptr(vmmURI) uri = parseOK("qemu+unix:///system?socket=/tmp/x");

    g_assert_cmpstr(uri->scheme, ==, "qemu+unix");
    g_assert_cmpstr(uri->driver, ==, "qemu");
    g_assert_cmpstr(uri->transport, ==, "unix");
    g_assert_cmpuint(uri->nparams, ==, 1);
    g_assert_cmpstr(uriGetParam(uri, "socket"), ==, "/tmp/x");
    g_assert_null(uriGetParam(uri, "other"));
    checkRoundTrip(uri, "qemu+unix:///system?socket=/tmp/x");
}

static void testTLS(void)
{
    g_autoptr(vmmURI) uri =
        parseOK("qemu+tls://host:16514/system?pkipath=/d&no_verify=1");

    g_assert_cmpstr(uri->transport, ==, "tls");
    g_assert_cmpstr(uri->server, ==, "host");
    g_assert_cmpint(uri->port, ==, 16514);
    g_assert_cmpstr(uri->path, ==, "/system");
    g_assert_cmpuint(uri->nparams, ==, 2);
    g_assert_cmpstr(uri->paramNames[0], ==, "pkipath");
    g_assert_cmpstr(uri->paramValues[0], ==, "/d");
    g_assert_cmpstr(uri->paramNames[1], ==, "no_verify");
    g_assert_cmpstr(uri->paramValues[1], ==, "1");
    g_assert_null(uri->paramNames[2]);
    checkRoundTrip(uri, "qemu+tls://host:16514/system?pkipath=/d&no_verify=1");
}

static void testIPv6User(void)
{
    g_autoptr(vmmURI) uri = parseOK("test+tcp://user@[::1]:1234/default");

    g_assert_cmpstr(uri->driver, ==, "test");
    g_assert_cmpstr(uri->transport, ==, "tcp");
    g_assert_cmpstr(uri->user, ==, "user");
    g_assert_cmpstr(uri->server, ==, "::1");
    g_assert_cmpint(uri->port, ==, 1234);
    checkRoundTrip(uri, "test+tcp://user@[::1]:1234/default");
}

static void testParamsDecoded(void)
{
    g_autoptr(vmmURI) uri =
        parseOK("qemu+ssh://h/system?name=a%20b&x=1&x=2&flag");

    g_assert_cmpstr(uriGetParam(uri, "name"), ==, "a b");
    /* The last of repeated parameters wins. */
    g_assert_cmpstr(uriGetParam(uri, "x"), ==, "2");
    g_assert_cmpstr(uriGetParam(uri, "flag"), ==, "");
    checkRoundTrip(uri, "qemu+ssh://h/system?name=a%20b&x=1&x=2&flag=");
}

static void testEscapedPath(void)
{
    g_autoptr(vmmURI) uri = parseOK("test:///tmp/a%20b.xml");

    g_assert_cmpstr(uri->path, ==, "/tmp/a b.xml");
    checkRoundTrip(uri, "test:///tmp/a%20b.xml");
}

static void testCaseOfScheme(void)
{
    g_autoptr(vmmURI) uri = parseOK("QEMU+Unix:///system");

    g_assert_cmpstr(uri->driver, ==, "qemu");
    g_assert_cmpstr(uri->transport, ==, "unix");
}

static void testInvalid(void)
{
    const char *bad[] = {"",
                         "default",
                         "+tcp:///x",
                         "qemu+:///x",
                         "qemu://host:99999999/x",
                         "test:///x?=1"};

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        vmmURI *uri = NULL;

        errorReset();
        g_assert_cmpint(uriParse(bad[i], &uri), ==, -1);
        g_assert_null(uri);
        g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
        g_assert_cmpint(errorGetLast()->domain, ==, VMM_FROM_URI);
    }
    g_assert_cmpint(uriParse(NULL, NULL), ==, -1);
    errorReset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/uri/local", testLocal);
    g_test_add_func("/util/uri/absolute-path", testAbsolutePath);
    g_test_add_func("/util/uri/system", testSystem);
    g_test_add_func("/util/uri/unix-socket", testUnixSocket);
    g_test_add_func("/util/uri/tls", testTLS);
    g_test_add_func("/util/uri/ipv6-user", testIPv6User);
    g_test_add_func("/util/uri/params", testParamsDecoded);
    g_test_add_func("/util/uri/escaped-path", testEscapedPath);
    g_test_add_func("/util/uri/scheme-case", testCaseOfScheme);
    g_test_add_func("/util/uri/invalid", testInvalid);
    return g_test_run();
}
