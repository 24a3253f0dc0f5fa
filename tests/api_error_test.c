/*
 * api_error_test.c: the public error API: the thread's last error, its
 * copies, the connection's own last error, and the global and
 * per-connection handlers, through the "apitest" driver.
 */
#include <config.h>

#include <string.h>

#include "api_fixture.h"

typedef struct {
    int calls;
    int lastCode;
    char *lastMessage;
} handlerLog;

static void logError(void *userData, vmmErrorPtr err)
{
    handlerLog *log = userData;

    log->calls++;
    log->lastCode = err->code;
    g_free(log->lastMessage);
    log->lastMessage = g_strdup(err->message);
}

static vmmConnectPtr openFixture(void)
{
    vmmConnectPtr conn = vmmConnectOpen("apitest:///default");

    g_assert_nonnull(conn);
    return conn;
}

static void testNoError(void)
{
    vmmError copy = {0};
    vmmErrorPtr saved;

    vmmResetLastError();
    g_assert_null(vmmGetLastError());
    g_assert_cmpstr(vmmGetLastErrorMessage(), ==, "no error");
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OK);
    g_assert_cmpint(vmmGetLastErrorDomain(), ==, VMM_FROM_NONE);
    g_assert_cmpint(vmmCopyLastError(&copy), ==, 0);
    g_assert_null(copy.message);
    saved = vmmSaveLastError();
    g_assert_cmpint(saved->code, ==, VMM_ERR_OK);
    vmmFreeError(saved);
}

static void testLastErrorAndCopies(void)
{
    vmmConnectPtr conn = openFixture();
    vmmError copy = {0};
    vmmErrorPtr saved;

    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_NO_DOMAIN);
    g_assert_cmpint(vmmGetLastErrorDomain(), ==, VMM_FROM_TEST);
    g_assert_cmpstr(vmmGetLastError()->message, ==,
                    "Domain not found: no domain with matching name 'nope'");

    g_assert_cmpint(vmmCopyLastError(&copy), ==, VMM_ERR_NO_DOMAIN);
    saved = vmmSaveLastError();
    /* A success leaves the error alone; the next entry point resets it. */
    vmmResetLastError();
    g_assert_null(vmmGetLastError());
    g_assert_cmpstr(copy.message, ==, saved->message);
    vmmResetError(&copy);
    g_assert_null(copy.message);
    g_assert_cmpint(copy.code, ==, VMM_ERR_OK);
    vmmFreeError(saved);
    vmmFreeError(NULL);

    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    g_assert_cmpint(vmmConnectGetVersion(conn, &(unsigned long){0}), ==, 0);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OK);
    vmmConnectClose(conn);
}

static void testConnectionError(void)
{
    vmmConnectPtr conn = openFixture();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    vmmDomainInfo info;
    vmmErrorPtr err;

    g_assert_null(vmmConnGetLastError(conn));
    g_assert_cmpint(vmmDomainGetInfo(dom, &info), ==, -1);
    err = vmmConnGetLastError(conn);
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VMM_ERR_OPERATION_FAILED);
    g_assert_cmpstr(err->message, ==, "operation failed: no info today");

    /* Kept after the thread's error is gone, until the next failure. */
    vmmResetLastError();
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_nonnull(vmmConnGetLastError(conn));
    g_assert_cmpint(vmmDomainResume(dom), ==, -1);
    g_assert_cmpint(vmmConnGetLastError(conn)->code, ==, VMM_ERR_NO_SUPPORT);
    vmmConnResetLastError(conn);
    g_assert_null(vmmConnGetLastError(conn));

    /* Checks made before the driver count too. */
    g_assert_cmpint(vmmDomainSetVcpus(dom, 0), ==, -1);
    g_assert_cmpint(vmmConnGetLastError(conn)->code, ==, VMM_ERR_INVALID_ARG);

    g_assert_null(vmmConnGetLastError(NULL));
    vmmConnResetLastError(NULL);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testSilentDriverFailure(void)
{
    vmmConnectPtr conn = openFixture();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);

    g_assert_cmpint(vmmDomainUndefine(dom), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INTERNAL_ERROR);
    g_assert_cmpint(vmmConnGetLastError(conn)->code, ==,
                    VMM_ERR_INTERNAL_ERROR);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testGlobalHandler(void)
{
    handlerLog log = {0};
    vmmConnectPtr conn = openFixture();

    vmmSetErrorFunc(&log, logError);
    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmpint(log.lastCode, ==, VMM_ERR_NO_DOMAIN);
    g_assert_null(vmmConnectOpen("nosuch:///"));
    g_assert_cmpint(log.calls, ==, 2);
    g_assert_cmpint(log.lastCode, ==, VMM_ERR_NO_CONNECT);

    vmmSetErrorFunc(NULL, NULL);
    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    g_assert_cmpint(log.calls, ==, 2);
    g_free(log.lastMessage);
    vmmConnectClose(conn);
}

static void testConnectionHandler(void)
{
    handlerLog log = {0};
    vmmConnectPtr conn = openFixture();
    vmmConnectPtr other = openFixture();

    vmmConnSetErrorFunc(conn, &log, logError);
    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmpstr(log.lastMessage, ==,
                    "Domain not found: no domain with matching name 'nope'");
    /* Another connection's failures are not this handler's business. */
    g_assert_null(vmmDomainLookupByName(other, "nope"));
    g_assert_cmpint(log.calls, ==, 1);

    vmmConnSetErrorFunc(conn, NULL, NULL);
    g_assert_null(vmmDomainLookupByName(conn, "nope"));
    g_assert_cmpint(log.calls, ==, 1);
    vmmConnSetErrorFunc(NULL, &log, logError);
    g_free(log.lastMessage);
    vmmConnectClose(other);
    vmmConnectClose(conn);
}

static gpointer failInThread(gpointer data)
{
    vmmConnectPtr conn = data;
    gboolean ok = TRUE;

    for (int i = 0; i < 500; i++) {
        g_autofree char *name =
            g_strdup_printf("t%p-%d", (void *)g_thread_self(), i);

        ok = ok && !vmmDomainLookupByName(conn, name) &&
             strstr(vmmGetLastErrorMessage(), name) != NULL;
        ok = ok && vmmConnGetLastError(conn) != NULL;
    }
    return GINT_TO_POINTER(ok);
}

static void testThreads(void)
{
    vmmConnectPtr conn = openFixture();
    GThread *threads[8];

    /* Each thread sees its own last error while all share one
     * connection's copy. */
    for (int i = 0; i < 8; i++)
        threads[i] = g_thread_new("errors", failInThread, conn);
    for (int i = 0; i < 8; i++)
        g_assert_true(GPOINTER_TO_INT(g_thread_join(threads[i])));
    vmmConnectClose(conn);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/error/none", testNoError);
    g_test_add_func("/api/error/last-and-copies", testLastErrorAndCopies);
    g_test_add_func("/api/error/connection", testConnectionError);
    g_test_add_func("/api/error/silent-driver", testSilentDriverFailure);
    g_test_add_func("/api/error/global-handler", testGlobalHandler);
    g_test_add_func("/api/error/connection-handler", testConnectionHandler);
    g_test_add_func("/api/error/threads", testThreads);
    ret = g_test_run();
    vmmResetLastError();
    fixtureCleanup();
    return ret;
}
