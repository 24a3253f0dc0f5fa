/*
 * util_file.h: the few file operations every layer needs done right once:
 * atomic replacement of a file (what makes an acknowledged define survive
 * kill -9), bounded reads, mkdir -p, and the daemon's pid file lock.
 *
 * Every function reports its own failure with errorReport*() naming the
 * path, and returns -1 / NULL; outputs named ret_ are written only on
 * success.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/* Replace @path with @len bytes of @data and permissions @mode: the data goes
 * to a new temporary file in the same directory, is fsync'ed and renamed over
 * @path, then the directory is fsync'ed. A reader sees the old content or
 * the new one, never a mix; on failure the old file is left as it was and the
 * temporary file is gone. */
int fileWriteAtomic(const char *path, const char *data, size_t len,
                    mode_t mode);

/* Read the whole of @path into a new NUL-terminated buffer. A file holding
 * more than @maxlen bytes is refused. */
int fileReadAll(const char *path, size_t maxlen, char **ret_data,
                size_t *ret_len);

/* mkdir -p: create @dir and its missing parents with @mode. An existing
 * directory is fine; an existing non-directory is an error. */
int fileMakePath(const char *dir, mode_t mode);

/* Remove the file @path; a missing file is not an error. */
int fileRemoveIfExists(const char *path);

/* @dir + "/" + @name, with no doubled slash. Never NULL. */
char *fileBuildPath(const char *dir, const char *name);

/* Take the pid file @path for this process: create it if needed, hold an
 * exclusive lock on it for as long as the returned descriptor stays open,
 * and write our pid into it. When another process holds it the error says
 * "another @what is already running with pid N". */
int fileLockPid(const char *path, const char *what, int *ret_fd);

/* Give the pid file back: remove @path, then close @fd (which releases the
 * lock). Accepts fd -1. */
void fileUnlockPid(const char *path, int fd);
