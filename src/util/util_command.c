/*
 * util_command.c: building, spawning and reaping helper programs.
 *
 * Spawning is g_spawn_async_with_pipes_and_fds: fork+exec with nothing of
 * ours run in between, descriptors other than the standard three and the
 * passed ones closed in the child. Feeding stdin and collecting stdout and
 * stderr happen in one poll() loop so a child that writes a lot before it
 * reads (or the other way round) cannot deadlock us.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "util_command.h"
#include "util_error.h"
#include "util_log.h"

VMM_LOG_INIT("util.command");

struct _cmdDef {
    GPtrArray *args;      /* of char *, argv[0] first */
    GPtrArray *envNames;  /* pairs added by cmdAddEnvPair, in order */
    GPtrArray *envValues;
    bool clearEnv;
    char *workingDir;
    char *input;
    char **outputRet;
    char **errorRet;
    int outFd;
    int errFd;
    GArray *passFds;      /* of int */
    char *buildError;     /* the first mistake made while building */

    /* While running (between spawn and wait). */
    pid_t pid;
    int stdinPipe;
    int stdoutPipe;
    int stderrPipe;
};

/* Characters that never need quoting for a POSIX shell. */
#define CMD_SHELL_SAFE \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" \
    "@%+=:,./_-"

cmdDef *cmdNew(const char *argv0)
{
    cmdDef *cmd = g_new0(cmdDef, 1);

    cmd->args = g_ptr_array_new_with_free_func(g_free);
    cmd->envNames = g_ptr_array_new_with_free_func(g_free);
    cmd->envValues = g_ptr_array_new_with_free_func(g_free);
    cmd->passFds = g_array_new(FALSE, FALSE, sizeof(int));
    cmd->outFd = -1;
    cmd->errFd = -1;
    cmd->stdinPipe = -1;
    cmd->stdoutPipe = -1;
    cmd->stderrPipe = -1;
    g_ptr_array_add(cmd->args, g_strdup(argv0));
    return cmd;
}

cmdDef *cmdNewArgv(const char *const *argv)
{
    cmdDef *cmd = cmdNew(argv[0]);

    for (size_t i = 1; argv[i]; i++)
        cmdAddArg(cmd, argv[i]);
    return cmd;
}

static void cmdClosePipe(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void cmdFree(cmdDef *cmd)
{
    if (!cmd)
        return;
    cmdClosePipe(&cmd->stdinPipe);
    cmdClosePipe(&cmd->stdoutPipe);
    cmdClosePipe(&cmd->stderrPipe);
    g_ptr_array_unref(cmd->args);
    g_ptr_array_unref(cmd->envNames);
    g_ptr_array_unref(cmd->envValues);
    g_array_unref(cmd->passFds);
    g_free(cmd->workingDir);
    g_free(cmd->input);
    g_free(cmd->buildError);
    g_free(cmd);
}

/* Keep the first building mistake; cmdRun reports it. */
static void cmdSetBuildError(cmdDef *cmd, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
static void cmdSetBuildError(cmdDef *cmd, const char *fmt, ...)
{
    va_list ap;

    if (cmd->buildError)
        return;
    va_start(ap, fmt);
    cmd->buildError = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

void cmdAddArg(cmdDef *cmd, const char *arg)
{
    g_ptr_array_add(cmd->args, g_strdup(arg));
}

void cmdAddArgFormat(cmdDef *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(cmd->args, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

void cmdAddArgList(cmdDef *cmd, ...)
{
    const char *arg;
    va_list ap;

    va_start(ap, cmd);
    while ((arg = va_arg(ap, const char *)))
        cmdAddArg(cmd, arg);
    va_end(ap);
}

void cmdAddEnvPair(cmdDef *cmd, const char *name, const char *value)
{
    if (!*name || strchr(name, '=')) {
        cmdSetBuildError(cmd, "invalid environment variable name '%s'", name);
        return;
    }
    g_ptr_array_add(cmd->envNames, g_strdup(name));
    g_ptr_array_add(cmd->envValues, g_strdup(value));
}

void cmdClearEnv(cmdDef *cmd)
{
    cmd->clearEnv = true;
}

void cmdSetWorkingDir(cmdDef *cmd, const char *dir)
{
    g_free(cmd->workingDir);
    cmd->workingDir = g_strdup(dir);
}

void cmdSetInputBuffer(cmdDef *cmd, const char *data)
{
    g_free(cmd->input);
    cmd->input = g_strdup(data);
}

void cmdSetOutputBuffer(cmdDef *cmd, char **ret_output)
{
    cmd->outputRet = ret_output;
}

void cmdSetErrorBuffer(cmdDef *cmd, char **ret_errors)
{
    cmd->errorRet = ret_errors;
}

void cmdSetOutputFD(cmdDef *cmd, int fd)
{
    cmd->outFd = fd;
}

void cmdSetErrorFD(cmdDef *cmd, int fd)
{
    cmd->errFd = fd;
}

void cmdPassFD(cmdDef *cmd, int fd)
{
    if (fd <= STDERR_FILENO || fcntl(fd, F_GETFD) < 0) {
        cmdSetBuildError(cmd, "cannot pass descriptor %d to '%s'", fd,
                         (const char *)g_ptr_array_index(cmd->args, 0));
        return;
    }
    for (guint i = 0; i < cmd->passFds->len; i++) {
        if (g_array_index(cmd->passFds, int, i) == fd)
            return;
    }
    g_array_append_val(cmd->passFds, fd);
}

static const char *cmdName(const cmdDef *cmd)
{
    return g_ptr_array_index(cmd->args, 0);
}

static void cmdAppendQuoted(GString *str, const char *arg)
{
    if (*arg && arg[strspn(arg, CMD_SHELL_SAFE)] == '\0') {
        g_string_append(str, arg);
        return;
    }
    g_string_append_c(str, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            g_string_append(str, "'\\''");
        else
            g_string_append_c(str, *p);
    }
    g_string_append_c(str, '\'');
}

char *cmdToString(const cmdDef *cmd)
{
    g_autoptr(GString) str = g_string_new(NULL);

    for (guint i = 0; i < cmd->envNames->len; i++) {
        g_string_append_printf(str, "%s=",
                               (char *)g_ptr_array_index(cmd->envNames, i));
        cmdAppendQuoted(str, g_ptr_array_index(cmd->envValues, i));
        g_string_append_c(str, ' ');
    }
    for (guint i = 0; i < cmd->args->len; i++) {
        if (i)
            g_string_append_c(str, ' ');
        cmdAppendQuoted(str, g_ptr_array_index(cmd->args, i));
    }
    return g_string_free(g_steal_pointer(&str), FALSE);
}

static char **cmdBuildEnv(const cmdDef *cmd)
{
    char **env = cmd->clearEnv ? g_new0(char *, 1) : g_get_environ();

    for (guint i = 0; i < cmd->envNames->len; i++)
        env = g_environ_setenv(env, g_ptr_array_index(cmd->envNames, i),
                               g_ptr_array_index(cmd->envValues, i), TRUE);
    return env;
}

/* Start the child. Pipes are made for the buffers, and for stderr also when
 * @captureStderr (so cmdRun can quote it in an error). */
static int cmdSpawn(cmdDef *cmd, bool captureStderr, pid_t *ret_pid)
{
    /* Borrows the strings of cmd->args. */
    g_autoptr(GPtrArray) argv = g_ptr_array_sized_new(cmd->args->len + 1);
    g_auto(GStrv) env = cmdBuildEnv(cmd);
    g_autoptr(GError) gerr = NULL;
    GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH;
    bool pipeErr = cmd->errorRet || (captureStderr && cmd->errFd < 0);
    const int *fds = (const int *)(void *)cmd->passFds->data;
    g_autofree char *cmdline = NULL;
    GPid pid;

    if (cmd->buildError) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR, "%s",
                    cmd->buildError);
        return -1;
    }
    if (cmd->pid) {
        errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_INVALID,
                    "'%s' is already running as pid %lld", cmdName(cmd),
                    (long long)cmd->pid);
        return -1;
    }
    for (guint i = 0; i < cmd->args->len; i++)
        g_ptr_array_add(argv, g_ptr_array_index(cmd->args, i));
    g_ptr_array_add(argv, NULL);
    if (!cmd->outputRet && cmd->outFd < 0)
        flags |= G_SPAWN_STDOUT_TO_DEV_NULL;
    if (!pipeErr && cmd->errFd < 0)
        flags |= G_SPAWN_STDERR_TO_DEV_NULL;

    if (!g_spawn_async_with_pipes_and_fds(
            cmd->workingDir, (const char *const *)argv->pdata,
            (const char *const *)env, flags, NULL, NULL, -1,
            cmd->outputRet ? -1 : cmd->outFd, pipeErr ? -1 : cmd->errFd,
            fds, fds, cmd->passFds->len, &pid,
            cmd->input ? &cmd->stdinPipe : NULL,
            cmd->outputRet ? &cmd->stdoutPipe : NULL,
            pipeErr ? &cmd->stderrPipe : NULL, &gerr)) {
        errorReport(VMM_FROM_NONE, VMM_ERR_SYSTEM_ERROR, "cannot run '%s': %s",
                    cmdName(cmd), gerr->message);
        return -1;
    }
    /* Never block on a child that reads slowly: the poll loop waits. */
    if (cmd->stdinPipe >= 0)
        g_unix_set_fd_nonblocking(cmd->stdinPipe, TRUE, NULL);
    cmd->pid = pid;
    VMM_DEBUG("started pid %lld: %s", (long long)pid,
              (cmdline = cmdToString(cmd)));
    *ret_pid = pid;
    return 0;
}

int cmdRunAsync(cmdDef *cmd, pid_t *ret_pid)
{
    return cmdSpawn(cmd, false, ret_pid);
}

typedef struct {
    const char *input;
    size_t inputLeft;
    GString *out;
    GString *err;
} cmdIO;

/* Write what the child takes of the input; done (or the child stopped
 * reading, EPIPE): close its stdin so it sees the end. */
static void cmdFeedInput(cmdDef *cmd, cmdIO *io)
{
    ssize_t n = write(cmd->stdinPipe, io->input, io->inputLeft);

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n > 0) {
        io->input += n;
        io->inputLeft -= n;
    }
    if (n <= 0 || io->inputLeft == 0)
        cmdClosePipe(&cmd->stdinPipe);
}

/* Append what @fd has to @buf; at its end close it. */
static int cmdCollect(cmdDef *cmd, int *fd, GString *buf)
{
    char chunk[4096];
    ssize_t n = read(*fd, chunk, sizeof(chunk));

    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return 0;
        errorReportSystem(VMM_FROM_NONE, errno,
                          "cannot read the output of '%s'", cmdName(cmd));
        return -1;
    }
    if (n == 0)
        cmdClosePipe(fd);
    g_string_append_len(buf, chunk, n);
    return 0;
}

static int cmdPollOnce(cmdDef *cmd, cmdIO *io)
{
    int *pipes[3] = { &cmd->stdinPipe, &cmd->stdoutPipe, &cmd->stderrPipe };
    GString *bufs[3] = { NULL, io->out, io->err };
    struct pollfd fds[3];
    size_t which[3];
    nfds_t nfds = 0;

    for (size_t i = 0; i < 3; i++) {
        if (*pipes[i] < 0)
            continue;
        fds[nfds] = (struct pollfd){ .fd = *pipes[i],
                                     .events = i ? POLLIN : POLLOUT };
        which[nfds++] = i;
    }
    if (poll(fds, nfds, -1) < 0) {
        if (errno == EINTR)
            return 0;
        errorReportSystem(VMM_FROM_NONE, errno, "cannot poll '%s'",
                          cmdName(cmd));
        return -1;
    }
    for (nfds_t j = 0; j < nfds; j++) {
        size_t i = which[j];

        if (!fds[j].revents)
            continue;
        if (i == 0)
            cmdFeedInput(cmd, io);
        else if (cmdCollect(cmd, pipes[i], bufs[i]) < 0)
            return -1;
    }
    return 0;
}

/* Feed and drain the child until it has closed all its pipes. A write to a
 * child that exited would raise SIGPIPE, which would kill a process that
 * did not ignore it: keep it blocked here and swallow any we caused. */
static int cmdIOLoop(cmdDef *cmd, cmdIO *io)
{
    sigset_t pipeSet, oldSet, pending;
    bool wasPending;
    int rc = 0;

    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSet, &oldSet);
    sigpending(&pending);
    wasPending = sigismember(&pending, SIGPIPE);

    while (rc == 0 && (cmd->stdinPipe >= 0 || cmd->stdoutPipe >= 0 ||
                       cmd->stderrPipe >= 0))
        rc = cmdPollOnce(cmd, io);

    sigpending(&pending);
    if (!wasPending && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = { 0, 0 };

        sigtimedwait(&pipeSet, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &oldSet, NULL);
    return rc;
}

static int cmdReap(cmdDef *cmd, int *ret_status)
{
    int status;

    while (waitpid(cmd->pid, &status, 0) < 0) {
        if (errno != EINTR) {
            errorReportSystem(VMM_FROM_NONE, errno,
                              "cannot wait for '%s' (pid %lld)", cmdName(cmd),
                              (long long)cmd->pid);
            cmd->pid = 0;
            return -1;
        }
    }
    VMM_DEBUG("pid %lld ended with wait status %d", (long long)cmd->pid,
              status);
    cmd->pid = 0;
    *ret_status = status;
    return 0;
}

/* Turn a wait status into the caller's answer (see cmdRun). */
static int cmdCheckStatus(cmdDef *cmd, int status, const GString *err,
                          int *ret_exitstatus)
{
    g_autofree char *text = g_strstrip(g_strdup(err->str));

    if (WIFSIGNALED(status)) {
        errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_FAILED,
                    "'%s' was killed by signal %d%s%s", cmdName(cmd),
                    WTERMSIG(status), *text ? ": " : "", text);
        return -1;
    }
    if (!ret_exitstatus && WEXITSTATUS(status) != 0) {
        errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_FAILED,
                    "'%s' exited with status %d%s%s", cmdName(cmd),
                    WEXITSTATUS(status), *text ? ": " : "", text);
        return -1;
    }
    return 0;
}

int cmdWait(cmdDef *cmd, int *ret_exitstatus)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) err = g_string_new(NULL);
    cmdIO io = { .input = cmd->input, .out = out, .err = err };
    int status;
    int rc;

    if (!cmd->pid) {
        errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_INVALID,
                    "'%s' is not running", cmdName(cmd));
        return -1;
    }
    io.inputLeft = cmd->input ? strlen(cmd->input) : 0;
    rc = cmdIOLoop(cmd, &io);
    cmdClosePipe(&cmd->stdinPipe);
    cmdClosePipe(&cmd->stdoutPipe);
    cmdClosePipe(&cmd->stderrPipe);
    /* Reap even after an I/O error so no zombie is left behind. */
    if (cmdReap(cmd, &status) < 0 || rc < 0)
        return -1;
    if (cmdCheckStatus(cmd, status, err, ret_exitstatus) < 0)
        return -1;

    if (ret_exitstatus)
        *ret_exitstatus = WEXITSTATUS(status);
    if (cmd->outputRet)
        *cmd->outputRet = g_string_free(g_steal_pointer(&out), FALSE);
    if (cmd->errorRet)
        *cmd->errorRet = g_string_free(g_steal_pointer(&err), FALSE);
    return 0;
}

int cmdRun(cmdDef *cmd, int *ret_exitstatus)
{
    pid_t pid;

    if (cmdSpawn(cmd, true, &pid) < 0)
        return -1;
    return cmdWait(cmd, ret_exitstatus);
}
