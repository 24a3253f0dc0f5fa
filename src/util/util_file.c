/*
 * util_file.c: atomic file replacement, bounded reads, mkdir -p and the pid
 * file lock. Every descriptor is opened O_CLOEXEC so spawned helpers never
 * inherit one. Nothing here retries or logs above debug: callers decide.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_error.h"
#include "util_file.h"
#include "util_log.h"

VMM_LOG_INIT("util.file");

/* write(2) until everything went or an error other than EINTR came. */
static int fileWriteFull(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= n;
    }
    return 0;
}

/* A rename is only durable once the directory entry itself hits the disk. */
static int fileSyncDir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot open directory '%s'",
                          dir);
        return -1;
    }
    rc = fsync(fd);
    if (rc < 0 && errno != EINVAL)
        errorReportSystem(VMM_FROM_NONE, errno,
                          "cannot sync directory '%s'", dir);
    else
        rc = 0;
    close(fd);
    return rc;
}

/* Fill the temporary file @fd, named @tmp, on behalf of @path. */
static int fileFillTemp(int fd, const char *tmp, const char *path,
                        const char *data, size_t len, mode_t mode)
{
    if (fchmod(fd, mode) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno,
                          "cannot set mode of '%s' for '%s'", tmp, path);
        return -1;
    }
    if (fileWriteFull(fd, data, len) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot write '%s' for '%s'",
                          tmp, path);
        return -1;
    }
    if (fsync(fd) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot sync '%s' for '%s'",
                          tmp, path);
        return -1;
    }
    return 0;
}

int fileWriteAtomic(const char *path, const char *data, size_t len,
                    mode_t mode)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    /* A dot file so directory scans of *.xml never see a half-written one. */
    g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd;
    int rc;

    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        errorReportSystem(VMM_FROM_NONE, errno,
                          "cannot create a temporary file to write '%s'",
                          path);
        return -1;
    }
    rc = fileFillTemp(fd, tmp, path, data, len, mode);
    /* close() can report a delayed write error (NFS): it counts too. */
    if (close(fd) < 0 && rc == 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot close '%s' for '%s'",
                          tmp, path);
        rc = -1;
    }
    if (rc < 0) {
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot rename '%s' to '%s'",
                          tmp, path);
        unlink(tmp);
        return -1;
    }
    VMM_DEBUG("wrote %zu bytes to '%s'", len, path);
    return fileSyncDir(dir);
}

/* Read @fd until EOF into @buf, failing once more than @maxlen came. */
static int fileReadFd(int fd, const char *path, size_t maxlen, GString *buf)
{
    char chunk[8192];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0) {
            if (errno == EINTR)
                continue;
            errorReportSystem(VMM_FROM_NONE, errno, "cannot read '%s'", path);
            return -1;
        }
        if (n == 0)
            return 0;
        if (buf->len + n > maxlen) {
            errorReport(VMM_FROM_NONE, VMM_ERR_OPERATION_FAILED,
                        "file '%s' is larger than the limit of %zu bytes",
                        path, maxlen);
            return -1;
        }
        g_string_append_len(buf, chunk, n);
    }
}

int fileReadAll(const char *path, size_t maxlen, char **ret_data,
                size_t *ret_len)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot open '%s'", path);
        return -1;
    }
    rc = fileReadFd(fd, path, maxlen, buf);
    close(fd);
    if (rc < 0)
        return -1;
    if (ret_len)
        *ret_len = buf->len;
    *ret_data = g_string_free(g_steal_pointer(&buf), FALSE);
    return 0;
}

int fileMakePath(const char *dir, mode_t mode)
{
    if (g_mkdir_with_parents(dir, mode) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot create directory '%s'",
                          dir);
        return -1;
    }
    return 0;
}

int fileRemoveIfExists(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}

char *fileBuildPath(const char *dir, const char *name)
{
    return g_build_filename(dir, name, NULL);
}

/* The pid written in the pid file @fd, or 0 when it holds none. */
static long long fileReadPidFd(int fd)
{
    char buf[32] = { 0 };
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

    if (n <= 0)
        return 0;
    return g_ascii_strtoll(buf, NULL, 10);
}

/* Lock @fd, which must still be the file called @path: a previous owner may
 * have unlinked it between our open() and our lock. Returns 1 when locked,
 * 0 when @fd is stale (try again), -1 on error. The lock is an
 * open-file-description lock so even a second attempt from the same
 * process is refused. */
static int fileLockPidFd(int fd, const char *path, const char *what)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    struct stat sb_fd, sb_path;

    if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
        if (errno == EAGAIN || errno == EACCES) {
            errorReport(VMM_FROM_NONE, VMM_ERR_RESOURCE_BUSY,
                        "another %s is already running with pid %lld "
                        "(pid file '%s' is locked)",
                        what, fileReadPidFd(fd), path);
        } else {
            errorReportSystem(VMM_FROM_NONE, errno, "cannot lock '%s'", path);
        }
        return -1;
    }
    if (fstat(fd, &sb_fd) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot stat '%s'", path);
        return -1;
    }
    if (stat(path, &sb_path) < 0) {
        if (errno == ENOENT)
            return 0;
        errorReportSystem(VMM_FROM_NONE, errno, "cannot stat '%s'", path);
        return -1;
    }
    return sb_fd.st_dev == sb_path.st_dev && sb_fd.st_ino == sb_path.st_ino;
}

static int fileWritePidFd(int fd, const char *path)
{
    g_autofree char *pid = g_strdup_printf("%lld\n", (long long)getpid());

    if (ftruncate(fd, 0) < 0 ||
        fileWriteFull(fd, pid, strlen(pid)) < 0 ||
        fsync(fd) < 0) {
        errorReportSystem(VMM_FROM_NONE, errno, "cannot write pid file '%s'",
                          path);
        return -1;
    }
    return 0;
}

int fileLockPid(const char *path, const char *what, int *ret_fd)
{
    /* A few rounds are enough: losing the race needs another daemon to
     * start and stop in between each time. */
    for (int attempt = 0; attempt < 10; attempt++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        int rc;

        if (fd < 0) {
            errorReportSystem(VMM_FROM_NONE, errno,
                              "cannot open pid file '%s'", path);
            return -1;
        }
        rc = fileLockPidFd(fd, path, what);
        if (rc == 1) {
            if (fileWritePidFd(fd, path) < 0) {
                close(fd);
                return -1;
            }
            VMM_DEBUG("locked pid file '%s' as fd %d", path, fd);
            *ret_fd = fd;
            return 0;
        }
        close(fd);
        if (rc < 0)
            return -1;
    }
    errorReport(VMM_FROM_NONE, VMM_ERR_RESOURCE_BUSY,
                "pid file '%s' keeps being replaced", path);
    return -1;
}

void fileUnlockPid(const char *path, int fd)
{
    if (fd < 0)
        return;
    /* Unlink while still holding the lock, so nobody locks a file we are
     * about to remove from under them. */
    if (path)
        unlink(path);
    close(fd);
}
