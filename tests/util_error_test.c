/*
 * util_error_test.c: the thread-local last error and its standard phrases.
 */
#include <config.h>

#include <errno.h>

#include "util_error.h"

static void testReportSetsCodeAndPhrase(void)
{
    const vmmError *err;

    errorReset();
    g_assert_false(errorIsSet());
    errorReport(VMM_FROM_TEST, VMM_ERR_NO_DOMAIN,
                "no domain with matching name '%s'", "web1");
    err = errorGetLast();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VMM_ERR_NO_DOMAIN);
    g_assert_cmpint(err->domain, ==, VMM_FROM_TEST);
    g_assert_cmpint(err->level, ==, VMM_ERR_ERROR);
    g_assert_cmpstr(err->message, ==,
                    "Domain not found: no domain with matching name 'web1'");
    errorReset();
    g_assert_null(errorGetLast());
}

static void testReportWithoutDetail(void)
{
    errorReport(VMM_FROM_NONE, VMM_ERR_NO_SUPPORT, NULL);
    g_assert_cmpstr(errorGetLast()->message, ==,
                    "this function is not supported by the connection driver");
    errorReset();
}

static void testReportSystemKeepsErrno(void)
{
    errorReportSystem(VMM_FROM_NONE, ENOENT, "cannot open '%s'", "/nope");
    g_assert_cmpint(errno, ==, ENOENT);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_SYSTEM_ERROR);
    g_assert_true(g_str_has_suffix(errorGetLast()->message,
                                   "cannot open '/nope': No such file or directory"));
    errorReset();
}

static void testSaveRestore(void)
{
    g_autoptr(vmmError) saved = NULL;

    errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG, "first");
    saved = errorSave();
    errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR, "second");
    errorRestore(&saved);
    g_assert_null(saved);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();
    g_assert_null(errorSave());
}

static void testReportFullVerbatim(void)
{
    vmmError in = { .code = VMM_ERR_OPERATION_INVALID,
                    .domain = VMM_FROM_REMOTE,
                    .level = VMM_ERR_ERROR,
                    .message = (char *)"exactly these words",
                    .int1 = 7 };

    errorReportFull(&in);
    g_assert_cmpstr(errorGetLast()->message, ==, "exactly these words");
    g_assert_cmpint(errorGetLast()->int1, ==, 7);
    errorReset();
}

static gpointer otherThread(gpointer data)
{
    /* A fresh thread starts without an error, whatever the others have. */
    gboolean had = errorIsSet();

    errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR, "in thread");
    return GINT_TO_POINTER(had);
}

static void testThreadLocal(void)
{
    GThread *t;

    errorReport(VMM_FROM_NONE, VMM_ERR_INVALID_ARG, "main");
    t = g_thread_new("other", otherThread, NULL);
    g_assert_false(GPOINTER_TO_INT(g_thread_join(t)));
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();
}

static void countingHandler(const vmmError *err, void *opaque)
{
    int *count = opaque;

    if (err->code == VMM_ERR_OPERATION_FAILED)
        (*count)++;
}

static void testGlobalHandler(void)
{
    int count = 0;

    errorSetGlobalHandler(countingHandler, &count);
    errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_FAILED, "x");
    errorSetGlobalHandler(NULL, NULL);
    errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_FAILED, "y");
    g_assert_cmpint(count, ==, 1);
    errorReset();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/error/report", testReportSetsCodeAndPhrase);
    g_test_add_func("/util/error/no-detail", testReportWithoutDetail);
    g_test_add_func("/util/error/system", testReportSystemKeepsErrno);
    g_test_add_func("/util/error/save-restore", testSaveRestore);
    g_test_add_func("/util/error/full", testReportFullVerbatim);
    g_test_add_func("/util/error/thread-local", testThreadLocal);
    g_test_add_func("/util/error/handler", testGlobalHandler);
    return g_test_run();
}
