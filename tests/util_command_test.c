/*
 * util_command_test.c: running real programs (/bin/true, /bin/false,
 * /bin/cat, /bin/sh, env) through cmdDef: exit statuses, buffers,
 * environment, working directory, descriptors, and the shell-quoted form.
 */
#include <config.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_command.h"
#include "util_error.h"

static void testTrue(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/true");
    int status = -1;

    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    g_assert_cmpint(cmdRun(cmd, &status), ==, 0);
    g_assert_cmpint(status, ==, 0);
    g_assert_false(errorIsSet());
}

static void testFalse(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("false");  /* found in PATH */
    int status = -1;

    g_assert_cmpint(cmdRun(cmd, &status), ==, 0);
    g_assert_cmpint(status, ==, 1);
    g_assert_false(errorIsSet());
    g_assert_cmpint(cmdRun(cmd, NULL), ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_OPERATION_FAILED);
    g_assert_nonnull(strstr(errorGetLast()->message,
                            "'false' exited with status 1"));
    errorReset();
}

static void testMissingProgram(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/nonexistent/vmm-no-such-program");
    pid_t pid = 0;

    g_assert_cmpint(cmdRun(cmd, NULL), ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message,
                            "/nonexistent/vmm-no-such-program"));
    g_assert_cmpint(cmdRunAsync(cmd, &pid), ==, -1);
    g_assert_cmpint(pid, ==, 0);
    errorReset();
}

/* The error of a failed run carries the program's own words. */
static void testStderrInError(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sh");
    g_autofree char *errors = NULL;
    int status = -1;

    cmdAddArgList(cmd, "-c", "echo err >&2; exit 3", NULL);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, -1);
    g_assert_cmpstr(errorGetLast()->message, ==,
                    "operation failed: '/bin/sh' exited with status 3: err");
    errorReset();

    cmdSetErrorBuffer(cmd, &errors);
    g_assert_cmpint(cmdRun(cmd, &status), ==, 0);
    g_assert_cmpint(status, ==, 3);
    g_assert_cmpstr(errors, ==, "err\n");
}

static void testKilledBySignal(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sh");
    int status = -1;

    cmdAddArgList(cmd, "-c", "kill -TERM $$", NULL);
    g_assert_cmpint(cmdRun(cmd, &status), ==, -1);
    g_assert_cmpint(status, ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message,
                            "'/bin/sh' was killed by signal 15"));
    errorReset();
}

static void testCatInputToOutput(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/cat");
    g_autofree char *out = NULL;

    cmdSetInputBuffer(cmd, "hello\nworld\n");
    cmdSetOutputBuffer(cmd, &out);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    g_assert_cmpstr(out, ==, "hello\nworld\n");
}

/* Much more than a pipe holds, both ways at once: only a poll loop that
 * feeds and drains together gets through. */
static void testCatLarge(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/cat");
    g_autofree char *big = g_strnfill(1 << 20, 'v');
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    cmdSetInputBuffer(cmd, big);
    cmdSetOutputBuffer(cmd, &out);
    cmdSetErrorBuffer(cmd, &err);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    g_assert_cmpstr(out, ==, big);
    g_assert_cmpstr(err, ==, "");
}

/* A child that exits without reading its input does not kill us with
 * SIGPIPE. */
static void testInputNotRead(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/true");
    g_autofree char *big = g_strnfill(1 << 20, 'v');

    cmdSetInputBuffer(cmd, big);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
}

static void testEnv(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("env");
    g_autoptr(cmdDef) clean = cmdNew("/usr/bin/env");
    g_autofree char *out = NULL;
    g_autofree char *cleanOut = NULL;

    g_setenv("VMM_TEST_INHERITED", "yes", TRUE);
    cmdAddEnvPair(cmd, "VMM_TEST_ADDED", "a b");
    cmdSetOutputBuffer(cmd, &out);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    g_assert_nonnull(strstr(out, "VMM_TEST_INHERITED=yes\n"));
    g_assert_nonnull(strstr(out, "VMM_TEST_ADDED=a b\n"));

    cmdAddEnvPair(clean, "ONE", "1");
    cmdClearEnv(clean);
    cmdAddEnvPair(clean, "TWO", "2");
    cmdAddEnvPair(clean, "ONE", "uno");
    cmdSetOutputBuffer(clean, &cleanOut);
    g_assert_cmpint(cmdRun(clean, NULL), ==, 0);
    g_assert_cmpstr(cleanOut, ==, "ONE=uno\nTWO=2\n");
    g_unsetenv("VMM_TEST_INHERITED");
}

static void testBadEnvName(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/true");

    cmdAddEnvPair(cmd, "A=B", "x");
    g_assert_cmpint(cmdRun(cmd, NULL), ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message, "'A=B'"));
    errorReset();
}

static void testWorkingDir(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/pwd");
    g_autofree char *out = NULL;

    cmdSetWorkingDir(cmd, "/proc");
    cmdSetOutputBuffer(cmd, &out);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    g_assert_cmpstr(out, ==, "/proc\n");
}

/* Whether descriptor @fd is open in a child run by @cmd. */
static char *childFdState(cmdDef *cmd, int fd)
{
    char *out = NULL;

    cmdAddArg(cmd, "-c");
    cmdAddArgFormat(cmd, "if [ -e /proc/self/fd/%d ]; then echo open; "
                         "else echo closed; fi", fd);
    cmdSetOutputBuffer(cmd, &out);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    return out;
}

static void testFdNotInherited(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sh");
    g_autofree char *state = NULL;
    int fd = open("/dev/null", O_RDONLY);  /* deliberately no O_CLOEXEC */

    g_assert_cmpint(fd, >, 2);
    g_assert_cmpint(fcntl(fd, F_GETFD) & FD_CLOEXEC, ==, 0);
    state = childFdState(cmd, fd);
    g_assert_cmpstr(state, ==, "closed\n");
    close(fd);
}

static void testPassFd(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sh");
    g_autoptr(cmdDef) reader = cmdNew("/bin/sh");
    g_autofree char *state = NULL;
    g_autofree char *out = NULL;
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int pipefd[2];

    cmdPassFD(cmd, fd);
    state = childFdState(cmd, fd);
    g_assert_cmpstr(state, ==, "open\n");
    close(fd);

    /* The passed descriptor really works: the child writes into our pipe. */
    g_assert_cmpint(pipe2(pipefd, O_CLOEXEC), ==, 0);
    cmdPassFD(reader, pipefd[1]);
    cmdAddArg(reader, "-c");
    cmdAddArgFormat(reader, "echo via-fd >&%d", pipefd[1]);
    g_assert_cmpint(cmdRun(reader, NULL), ==, 0);
    close(pipefd[1]);
    out = g_malloc0(64);
    g_assert_cmpint(read(pipefd[0], out, 63), ==, 7);
    g_assert_cmpstr(out, ==, "via-fd\n");
    close(pipefd[0]);
}

static void testPassBadFd(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/true");

    cmdPassFD(cmd, 1);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message, "descriptor 1"));
    errorReset();
}

static void testOutputFd(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sh");
    char buf[64] = { 0 };
    int pipefd[2];

    g_assert_cmpint(pipe2(pipefd, O_CLOEXEC), ==, 0);
    cmdAddArgList(cmd, "-c", "echo out; echo err >&2", NULL);
    cmdSetOutputFD(cmd, pipefd[1]);
    cmdSetErrorFD(cmd, pipefd[1]);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    close(pipefd[1]);
    g_assert_cmpint(read(pipefd[0], buf, sizeof(buf) - 1), ==, 8);
    g_assert_cmpstr(buf, ==, "out\nerr\n");
    close(pipefd[0]);
}

static void testAsync(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sh");
    g_autofree char *out = NULL;
    pid_t pid = 0;
    int status = -1;

    cmdAddArgList(cmd, "-c", "read line; echo \"got $line\"; exit 4", NULL);
    cmdSetInputBuffer(cmd, "ping\n");
    cmdSetOutputBuffer(cmd, &out);
    g_assert_cmpint(cmdRunAsync(cmd, &pid), ==, 0);
    g_assert_cmpint(pid, >, 0);
    g_assert_cmpint(cmdRunAsync(cmd, &pid), ==, -1);
    errorReset();
    g_assert_cmpint(cmdWait(cmd, &status), ==, 0);
    g_assert_cmpint(status, ==, 4);
    g_assert_cmpstr(out, ==, "got ping\n");
    g_assert_cmpint(cmdWait(cmd, &status), ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message, "is not running"));
    errorReset();
}

/* Without cmdWait the caller reaps the pid itself. */
static void testAsyncOwnReap(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/bin/sleep");
    pid_t pid = 0;
    int status = 0;

    cmdAddArg(cmd, "30");
    g_assert_cmpint(cmdRunAsync(cmd, &pid), ==, 0);
    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFSIGNALED(status));
}

static void testToString(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/usr/bin/qemu-system-x86_64");
    g_autofree char *str = NULL;
    const char *const argv[] = { "/bin/echo", "a", NULL };
    g_autoptr(cmdDef) simple = cmdNewArgv(argv);
    g_autofree char *simpleStr = NULL;

    cmdAddEnvPair(cmd, "LC_ALL", "C");
    cmdAddEnvPair(cmd, "HOME", "/var/lib/vmm dir");
    cmdAddArgList(cmd, "-name", "guest=web 1,debug-threads=on", NULL);
    cmdAddArgFormat(cmd, "-m %d", 128);
    cmdAddArg(cmd, "");
    cmdAddArg(cmd, "it's");
    cmdAddArg(cmd, "$HOME;*");
    cmdAddArg(cmd, "path=/a/b,x=1:2@3%4+5_6-7");
    str = cmdToString(cmd);
    g_assert_cmpstr(str, ==,
                    "LC_ALL=C HOME='/var/lib/vmm dir' "
                    "/usr/bin/qemu-system-x86_64 -name "
                    "'guest=web 1,debug-threads=on' '-m 128' '' 'it'\\''s' "
                    "'$HOME;*' path=/a/b,x=1:2@3%4+5_6-7");
    simpleStr = cmdToString(simple);
    g_assert_cmpstr(simpleStr, ==, "/bin/echo a");
}

/* What cmdToString prints, a shell runs as the same argv. */
static void testToStringRoundTrip(void)
{
    g_autoptr(cmdDef) cmd = cmdNew("/usr/bin/printf");
    g_autoptr(cmdDef) sh = cmdNew("/bin/sh");
    g_autofree char *str = NULL;
    g_autofree char *direct = NULL;
    g_autofree char *viaShell = NULL;

    cmdAddArgList(cmd, "[%s]\\n", "a b", "it's", "\"q\"", "$x", "", "\\", NULL);
    str = cmdToString(cmd);
    cmdSetOutputBuffer(cmd, &direct);
    g_assert_cmpint(cmdRun(cmd, NULL), ==, 0);
    cmdAddArgList(sh, "-c", str, NULL);
    cmdSetOutputBuffer(sh, &viaShell);
    g_assert_cmpint(cmdRun(sh, NULL), ==, 0);
    g_assert_cmpstr(direct, ==, "[a b]\n[it's]\n[\"q\"]\n[$x]\n[]\n[\\]\n");
    g_assert_cmpstr(viaShell, ==, direct);
}

static gpointer runInThread(gpointer data)
{
    for (int i = 0; i < 20; i++) {
        g_autoptr(cmdDef) cmd = cmdNew("/bin/echo");
        g_autofree char *out = NULL;
        g_autofree char *expect = g_strdup_printf("%d-%d\n",
                                                  GPOINTER_TO_INT(data), i);

        cmdAddArgFormat(cmd, "%d-%d", GPOINTER_TO_INT(data), i);
        cmdSetOutputBuffer(cmd, &out);
        if (cmdRun(cmd, NULL) < 0 || !g_str_equal(out, expect))
            return GINT_TO_POINTER(1);
    }
    return NULL;
}

/* Commands run from several threads at once get their own output. */
static void testThreads(void)
{
    GThread *threads[4];

    for (int i = 0; i < 4; i++)
        threads[i] = g_thread_new("cmd", runInThread, GINT_TO_POINTER(i));
    for (int i = 0; i < 4; i++)
        g_assert_null(g_thread_join(threads[i]));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/command/true", testTrue);
    g_test_add_func("/util/command/false", testFalse);
    g_test_add_func("/util/command/missing", testMissingProgram);
    g_test_add_func("/util/command/stderr-in-error", testStderrInError);
    g_test_add_func("/util/command/signal", testKilledBySignal);
    g_test_add_func("/util/command/cat", testCatInputToOutput);
    g_test_add_func("/util/command/cat-large", testCatLarge);
    g_test_add_func("/util/command/input-not-read", testInputNotRead);
    g_test_add_func("/util/command/env", testEnv);
    g_test_add_func("/util/command/bad-env-name", testBadEnvName);
    g_test_add_func("/util/command/working-dir", testWorkingDir);
    g_test_add_func("/util/command/fd-not-inherited", testFdNotInherited);
    g_test_add_func("/util/command/pass-fd", testPassFd);
    g_test_add_func("/util/command/pass-bad-fd", testPassBadFd);
    g_test_add_func("/util/command/output-fd", testOutputFd);
    g_test_add_func("/util/command/async", testAsync);
    g_test_add_func("/util/command/async-own-reap", testAsyncOwnReap);
    g_test_add_func("/util/command/to-string", testToString);
    g_test_add_func("/util/command/to-string-round-trip",
                    testToStringRoundTrip);
    g_test_add_func("/util/command/threads", testThreads);
    return g_test_run();
}
