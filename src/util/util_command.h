/*
 * util_command.h: running helper programs (qemu-img, dnsmasq, QEMU itself).
 *
 * A cmdDef is built up (program, arguments, environment, descriptors,
 * buffers), then run synchronously with cmdRun or started with cmdRunAsync
 * and reaped with cmdWait. Children are spawned with fork+exec at once
 * (g_spawn), never forked to run our own code, so this is safe in threaded
 * processes. Only stdin, stdout, stderr and the descriptors given to
 * cmdPassFD reach the child: everything else is closed in it, whether or
 * not it had O_CLOEXEC.
 *
 * The builder functions cannot fail; a mistake made while building (a bad
 * descriptor, a bad variable name) is kept and reported by the run.
 * By default the child's stdin, stdout and stderr are /dev/null.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct _cmdDef cmdDef;

/* A command running @argv0 (found in PATH when it has no '/'). */
cmdDef *cmdNew(const char *argv0);
/* A command running the NULL-terminated @argv. */
cmdDef *cmdNewArgv(const char *const *argv);

void cmdAddArg(cmdDef *cmd, const char *arg);
void cmdAddArgFormat(cmdDef *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Add every argument up to the NULL. */
void cmdAddArgList(cmdDef *cmd, ...) G_GNUC_NULL_TERMINATED;

/* The child inherits our environment unless cmdClearEnv was called; pairs
 * added (before or after that call) are set on top of it. */
void cmdAddEnvPair(cmdDef *cmd, const char *name, const char *value);
void cmdClearEnv(cmdDef *cmd);

void cmdSetWorkingDir(cmdDef *cmd, const char *dir);

/* Feed @data (copied) to the child's stdin. */
void cmdSetInputBuffer(cmdDef *cmd, const char *data);
/* When the command succeeds, *@ret_output / *@ret_errors get everything the
 * child wrote to stdout / stderr (a new string, possibly ""). Collecting
 * needs cmdRun, or cmdRunAsync followed by cmdWait. */
void cmdSetOutputBuffer(cmdDef *cmd, char **ret_output);
void cmdSetErrorBuffer(cmdDef *cmd, char **ret_errors);
/* Send the child's stdout / stderr to @fd (e.g. a log file); the caller
 * keeps owning @fd. */
void cmdSetOutputFD(cmdDef *cmd, int fd);
void cmdSetErrorFD(cmdDef *cmd, int fd);

/* Keep @fd (> 2) open in the child, under the same number. The caller keeps
 * owning it. */
void cmdPassFD(cmdDef *cmd, int fd);

/* Run and wait. With @ret_exitstatus NULL any exit other than 0 is an error
 * naming the program, its status and what it wrote to stderr; otherwise the
 * exit status is stored there. Death by a signal is always an error. */
int cmdRun(cmdDef *cmd, int *ret_exitstatus);

/* Start the command and return at once. The caller then either calls
 * cmdWait (needed when buffers are set) or reaps @ret_pid itself; in the
 * latter case this cmdDef cannot be started again. */
int cmdRunAsync(cmdDef *cmd, pid_t *ret_pid);
/* Finish a command started by cmdRunAsync: feed and collect the buffers,
 * reap the child; @ret_exitstatus as for cmdRun. */
int cmdWait(cmdDef *cmd, int *ret_exitstatus);

/* The command as a shell would read it: added environment pairs, then the
 * arguments, separated by spaces and quoted where needed, e.g.
 *   LC_ALL=C /usr/bin/qemu-system-x86_64 -name 'guest=web 1'
 * Never NULL. */
char *cmdToString(const cmdDef *cmd);

/* Frees the definition; a child still running is left alone. Accepts
 * NULL. */
void cmdFree(cmdDef *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(cmdDef, cmdFree)
