/*
 * util_log_test.c: parsing of log filters and outputs, which categories and
 * priorities reach which output, the line format, and logging from several
 * threads while the configuration changes.
 */
#include <config.h>

#include <errno.h>
#include <unistd.h>

#include "util_error.h"
#include "util_file.h"
#include "util_log.h"

VMM_LOG_INIT("test.log.main");

typedef struct {
    char *dir;
    char *logA;
    char *logB;
} logFixture;

static void fixtureSetUp(logFixture *fix, gconstpointer data)
{
    fix->dir = g_dir_make_tmp("vmm-log-test-XXXXXX", NULL);
    g_assert_nonnull(fix->dir);
    fix->logA = g_build_filename(fix->dir, "a.log", NULL);
    fix->logB = g_build_filename(fix->dir, "b.log", NULL);
}

static void fixtureTearDown(logFixture *fix, gconstpointer data)
{
    /* Back to the defaults, which close the test's files. */
    g_assert_cmpint(logSetOutputs(NULL), ==, 0);
    g_assert_cmpint(logSetFilters(NULL), ==, 0);
    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_WARN), ==, 0);
    unlink(fix->logA);
    unlink(fix->logB);
    rmdir(fix->dir);
    g_free(fix->logA);
    g_free(fix->logB);
    g_free(fix->dir);
    errorReset();
}

static char *readLog(const char *path)
{
    char *content = NULL;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return g_strdup("");
    g_assert_cmpint(fileReadAll(path, 1 << 24, &content, NULL), ==, 0);
    return content;
}

static void testParseErrors(logFixture *fix, gconstpointer data)
{
    const char *badFilters[] = { "x:foo", "5:foo", "1:", "1:+", "foo", "0:a",
                                 "1:a 2", "12:a" };
    const char *badOutputs[] = { "1:file:", "1:file:rel/x.log", "1:bogus",
                                 "9:stderr", "stderr", "1:syslog:vmmd",
                                 "1:file:/nonexistent-vmm-dir/x.log" };
    g_autofree char *filtersBefore = NULL;
    g_autofree char *outputsBefore = NULL;
    g_autofree char *filtersAfter = NULL;
    g_autofree char *outputsAfter = NULL;

    g_assert_cmpint(logSetFilters("2:keep"), ==, 0);
    g_assert_cmpint(logSetOutputs("3:stderr"), ==, 0);
    filtersBefore = logGetFilters();
    outputsBefore = logGetOutputs();
    for (size_t i = 0; i < G_N_ELEMENTS(badFilters); i++) {
        errorReset();
        g_assert_cmpint(logSetFilters(badFilters[i]), ==, -1);
        g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_CONF_SYNTAX);
        g_assert_cmpint(errorGetLast()->domain, ==, VMM_FROM_LOGGING);
        g_assert_nonnull(strstr(errorGetLast()->message, "log filter"));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(badOutputs); i++) {
        errorReset();
        g_assert_cmpint(logSetOutputs(badOutputs[i]), ==, -1);
        g_assert_true(errorIsSet());
    }
    g_assert_nonnull(strstr(errorGetLast()->message,
                            "/nonexistent-vmm-dir/x.log"));
    g_assert_cmpint(logSetDefaultPriority(0), ==, -1);
    g_assert_cmpint(logSetDefaultPriority(5), ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_CONF_SYNTAX);

    filtersAfter = logGetFilters();
    outputsAfter = logGetOutputs();
    g_assert_cmpstr(filtersAfter, ==, filtersBefore);
    g_assert_cmpstr(outputsAfter, ==, outputsBefore);
    g_assert_cmpint(logGetDefaultPriority(), ==, VMM_LOG_WARN);
}

static void testGetters(logFixture *fix, gconstpointer data)
{
    g_autofree char *outputs =
        g_strdup_printf(" 1:stderr\t2:file:%s 3:journald ", fix->logA);
    g_autofree char *expect = g_strdup_printf("1:stderr 2:file:%s 3:journald",
                                              fix->logA);
    g_autofree char *gotFilters = NULL;
    g_autofree char *gotOutputs = NULL;
    g_autofree char *defOutputs = NULL;
    g_autofree char *noFilters = NULL;

    g_assert_cmpint(logSetFilters("1:rpc  3:util.file 4:* 2:+conf"), ==, 0);
    g_assert_cmpint(logSetOutputs(outputs), ==, 0);
    gotFilters = logGetFilters();
    gotOutputs = logGetOutputs();
    g_assert_cmpstr(gotFilters, ==, "1:rpc 3:util.file 4:* 2:conf");
    g_assert_cmpstr(gotOutputs, ==, expect);

    g_assert_cmpint(logSetOutputs(""), ==, 0);
    g_assert_cmpint(logSetFilters(""), ==, 0);
    defOutputs = logGetOutputs();
    noFilters = logGetFilters();
    g_assert_cmpstr(defOutputs, ==, "1:stderr");
    g_assert_cmpstr(noFilters, ==, "");
    g_assert_cmpstr(logPriorityToString(VMM_LOG_WARN), ==, "warning");
    g_assert_null(logPriorityToString(7));
}

static void testLineFormat(logFixture *fix, gconstpointer data)
{
    g_autofree char *outputs = g_strdup_printf("1:file:%s", fix->logA);
    g_autofree char *content = NULL;
    g_autofree char *pattern = g_strdup_printf(
        "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: %d: "
        "debug : test\\.log\\.main : hello 42\n$", (int)gettid());

    g_assert_cmpint(logSetOutputs(outputs), ==, 0);
    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_DEBUG), ==, 0);
    VMM_DEBUG("hello %d", 42);
    content = readLog(fix->logA);
    g_assert_true(g_regex_match_simple(pattern, content, 0, 0));
}

/* Which category and priority reaches which output. */
static void testFiltersAndOutputs(logFixture *fix, gconstpointer data)
{
    logCategory catA = { .name = "test.filter.alpha" };
    logCategory catB = { .name = "test.filter.beta" };
    logCategory catG = { .name = "other.gamma" };
    g_autofree char *outputs = g_strdup_printf("1:file:%s 3:file:%s",
                                               fix->logA, fix->logB);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_assert_cmpint(logSetOutputs(outputs), ==, 0);
    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_ERROR), ==, 0);
    g_assert_cmpint(logSetFilters("1:alpha 2:test.*.beta"), ==, 0);

    g_assert_true(logIsEnabled(&catA, VMM_LOG_DEBUG));
    g_assert_false(logIsEnabled(&catB, VMM_LOG_DEBUG));
    g_assert_true(logIsEnabled(&catB, VMM_LOG_INFO));
    g_assert_false(logIsEnabled(&catG, VMM_LOG_WARN));
    g_assert_true(logIsEnabled(&catG, VMM_LOG_ERROR));

    logMessage(&catA, VMM_LOG_DEBUG, "a-debug");
    logMessage(&catB, VMM_LOG_INFO, "b-info");
    logMessage(&catA, VMM_LOG_WARN, "a-warn");
    logMessage(&catG, VMM_LOG_ERROR, "g-error");
    a = readLog(fix->logA);
    b = readLog(fix->logB);
    g_assert_nonnull(strstr(a, "debug : test.filter.alpha : a-debug\n"));
    g_assert_nonnull(strstr(a, "info : test.filter.beta : b-info\n"));
    g_assert_nonnull(strstr(a, "warning : test.filter.alpha : a-warn\n"));
    g_assert_nonnull(strstr(a, "error : other.gamma : g-error\n"));
    g_assert_null(strstr(b, "a-debug"));
    g_assert_null(strstr(b, "b-info"));
    g_assert_nonnull(strstr(b, "a-warn"));
    g_assert_nonnull(strstr(b, "g-error"));

    /* A change of configuration reaches categories that cached the old. */
    g_assert_cmpint(logSetFilters(NULL), ==, 0);
    g_assert_false(logIsEnabled(&catA, VMM_LOG_DEBUG));
    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_DEBUG), ==, 0);
    g_assert_true(logIsEnabled(&catA, VMM_LOG_DEBUG));
    /* ... and so do outputs that take less than the filters allow. */
    g_assert_cmpint(logSetOutputs("3:journald"), ==, 0);
    g_assert_false(logIsEnabled(&catA, VMM_LOG_INFO));
    g_assert_true(logIsEnabled(&catA, VMM_LOG_WARN));
}

static int sideEffect(int *counter)
{
    return ++*counter;
}

/* A disabled message does not even evaluate its arguments. */
static void testDisabledIsCheap(logFixture *fix, gconstpointer data)
{
    int counter = 0;

    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_ERROR), ==, 0);
    VMM_DEBUG("%d", sideEffect(&counter));
    VMM_INFO("%d", sideEffect(&counter));
    VMM_WARN("%d", sideEffect(&counter));
    g_assert_cmpint(counter, ==, 0);
}

static void testKeepsErrno(logFixture *fix, gconstpointer data)
{
    g_autofree char *outputs = g_strdup_printf("1:file:%s", fix->logA);

    g_assert_cmpint(logSetOutputs(outputs), ==, 0);
    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_DEBUG), ==, 0);
    errno = ENOSPC;
    VMM_ERROR("something %s", "bad");
    g_assert_cmpint(errno, ==, ENOSPC);
}

/* errorReport leaves a debug line under "util.error". */
static void testErrorsAreLogged(logFixture *fix, gconstpointer data)
{
    g_autofree char *outputs = g_strdup_printf("1:file:%s", fix->logA);
    g_autofree char *content = NULL;

    g_assert_cmpint(logSetOutputs(outputs), ==, 0);
    g_assert_cmpint(logSetFilters("1:util.error"), ==, 0);
    errorReport(VMM_FROM_TEST, VMM_ERR_NO_DOMAIN, "no domain '%s'", "web1");
    content = readLog(fix->logA);
    g_assert_nonnull(strstr(content, "debug : util.error : "));
    g_assert_nonnull(strstr(content, "Domain not found: no domain 'web1'"));
}

#define THREAD_LINES 500

static gpointer loggingThread(gpointer data)
{
    for (int i = 0; i < THREAD_LINES; i++)
        VMM_INFO("thread %d line %d", GPOINTER_TO_INT(data), i);
    return NULL;
}

/* Lines from several threads arrive whole, one per message. */
static void testThreads(logFixture *fix, gconstpointer data)
{
    g_autofree char *outputs = g_strdup_printf("2:file:%s", fix->logA);
    g_autofree char *content = NULL;
    g_auto(GStrv) lines = NULL;
    GThread *threads[4];

    g_assert_cmpint(logSetOutputs(outputs), ==, 0);
    g_assert_cmpint(logSetDefaultPriority(VMM_LOG_INFO), ==, 0);
    for (int i = 0; i < 4; i++)
        threads[i] = g_thread_new("log", loggingThread, GINT_TO_POINTER(i));
    /* Reconfigure while they log: filters that change nothing for us. */
    for (int i = 0; i < 50; i++)
        g_assert_cmpint(logSetFilters(i % 2 ? "4:nothing.here" : NULL), ==, 0);
    for (int i = 0; i < 4; i++)
        g_thread_join(threads[i]);

    content = readLog(fix->logA);
    lines = g_strsplit(content, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4 * THREAD_LINES + 1);
    for (size_t i = 0; i < 4 * THREAD_LINES; i++)
        g_assert_true(g_regex_match_simple(
            "^[-0-9]+ [:.0-9]+\\+0000: \\d+: info : test\\.log\\.main : "
            "thread \\d line \\d+$", lines[i], 0, 0));
}

/* Run in a child process: logSetupFromEnv acts once per process. */
static void testSetupFromEnv(logFixture *fix, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_autofree char *outputs = g_strdup_printf("1:file:%s", fix->logA);
        g_autofree char *content = NULL;
        g_autofree char *first = NULL;

        g_setenv("VMM_LOG_LEVEL", "2", TRUE);
        g_setenv("VMM_LOG_FILTERS", "1:ok 7:bad", TRUE);
        g_setenv("VMM_LOG_OUTPUTS", outputs, TRUE);
        g_assert_cmpint(logSetupFromEnv(), ==, -1);
        first = g_strdup(errorGetLast()->message);
        g_assert_nonnull(strstr(first, "'7:bad'"));
        g_assert_nonnull(strstr(first, "VMM_LOG_FILTERS"));
        errorReset();
        /* Later calls change nothing and say the same. */
        g_setenv("VMM_LOG_LEVEL", "4", TRUE);
        g_assert_cmpint(logSetupFromEnv(), ==, -1);
        g_assert_cmpstr(errorGetLast()->message, ==, first);
        g_assert_cmpint(logGetDefaultPriority(), ==, VMM_LOG_INFO);
        VMM_INFO("from env");
        content = readLog(fix->logA);
        g_assert_nonnull(strstr(content, "info : test.log.main : from env"));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

static void testSetupFromEnvGood(logFixture *fix, gconstpointer data)
{
    if (g_test_subprocess()) {
        g_unsetenv("VMM_LOG_LEVEL");
        g_unsetenv("VMM_LOG_FILTERS");
        g_unsetenv("VMM_LOG_OUTPUTS");
        g_assert_cmpint(logSetupFromEnv(), ==, 0);
        g_assert_cmpint(logSetupFromEnv(), ==, 0);
        g_assert_false(errorIsSet());
        g_assert_cmpint(logGetDefaultPriority(), ==, VMM_LOG_WARN);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

#define ADD(name, func) \
    g_test_add(name, logFixture, NULL, fixtureSetUp, func, fixtureTearDown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/util/log/parse-errors", testParseErrors);
    ADD("/util/log/getters", testGetters);
    ADD("/util/log/line-format", testLineFormat);
    ADD("/util/log/filters-outputs", testFiltersAndOutputs);
    ADD("/util/log/disabled-is-cheap", testDisabledIsCheap);
    ADD("/util/log/keeps-errno", testKeepsErrno);
    ADD("/util/log/errors-logged", testErrorsAreLogged);
    ADD("/util/log/threads", testThreads);
    ADD("/util/log/setup-from-env", testSetupFromEnv);
    ADD("/util/log/setup-from-env-good", testSetupFromEnvGood);
    return g_test_run();
}
