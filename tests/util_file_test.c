/*
 * util_file_test.c: atomic writes, bounded reads, mkdir -p and the pid file
 * lock, on a private temporary directory.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util_error.h"
#include "util_file.h"

typedef struct {
    char *dir;
} fileFixture;

static void fixtureSetUp(fileFixture *fix, gconstpointer data)
{
    fix->dir = g_dir_make_tmp("vmm-file-test-XXXXXX", NULL);
    g_assert_nonnull(fix->dir);
}

/* Removes the directory tree; the tests make only shallow ones. */
static void removeTree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (!dir) {
        unlink(path);
        return;
    }
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        removeTree(child);
    }
    g_dir_close(dir);
    rmdir(path);
}

static void fixtureTearDown(fileFixture *fix, gconstpointer data)
{
    removeTree(fix->dir);
    g_free(fix->dir);
    errorReset();
}

/* Number of entries in @path, to prove no temporary file was left. */
static guint countEntries(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    guint n = 0;

    g_assert_nonnull(dir);
    while (g_dir_read_name(dir))
        n++;
    g_dir_close(dir);
    return n;
}

static void testWriteAtomicNew(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "a.xml");
    g_autofree char *content = NULL;
    size_t len = 0;
    struct stat sb;

    g_assert_cmpint(fileWriteAtomic(path, "hello\n", 6, 0640), ==, 0);
    g_assert_cmpint(fileReadAll(path, 1024, &content, &len), ==, 0);
    g_assert_cmpstr(content, ==, "hello\n");
    g_assert_cmpuint(len, ==, 6);
    g_assert_cmpint(stat(path, &sb), ==, 0);
    g_assert_cmpint(sb.st_mode & 07777, ==, 0640);
    g_assert_cmpuint(countEntries(fix->dir), ==, 1);
    g_assert_false(errorIsSet());
}

static void testWriteAtomicReplace(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "b.xml");
    g_autofree char *content = NULL;
    struct stat before, after;

    g_assert_cmpint(fileWriteAtomic(path, "old", 3, 0600), ==, 0);
    g_assert_cmpint(stat(path, &before), ==, 0);
    g_assert_cmpint(fileWriteAtomic(path, "new content", 11, 0600), ==, 0);
    g_assert_cmpint(stat(path, &after), ==, 0);
    /* Replaced by rename, not rewritten in place. */
    g_assert_cmpuint(before.st_ino, !=, after.st_ino);
    g_assert_cmpint(fileReadAll(path, 1024, &content, NULL), ==, 0);
    g_assert_cmpstr(content, ==, "new content");
    g_assert_cmpuint(countEntries(fix->dir), ==, 1);
}

static void testWriteAtomicEmpty(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "empty");
    g_autofree char *content = NULL;
    size_t len = 99;

    g_assert_cmpint(fileWriteAtomic(path, "", 0, 0600), ==, 0);
    g_assert_cmpint(fileReadAll(path, 0, &content, &len), ==, 0);
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpstr(content, ==, "");
}

static void testWriteAtomicNoDir(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = g_build_filename(fix->dir, "missing", "c.xml",
                                             NULL);

    g_assert_cmpint(fileWriteAtomic(path, "x", 1, 0600), ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(errorGetLast()->message, path));
    g_assert_cmpuint(countEntries(fix->dir), ==, 0);
}

/* The rename fails because the target is a non-empty directory: the old
 * "file" stays and the temporary file is cleaned away. */
static void testWriteAtomicRenameFails(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "d.xml");
    g_autofree char *inner = fileBuildPath(path, "keep");

    g_assert_cmpint(fileMakePath(path, 0700), ==, 0);
    g_assert_cmpint(fileWriteAtomic(inner, "k", 1, 0600), ==, 0);
    g_assert_cmpint(fileWriteAtomic(path, "x", 1, 0600), ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message, path));
    g_assert_true(g_file_test(inner, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpuint(countEntries(fix->dir), ==, 1);
}

/* /proc/self refuses new files whoever we are, root included. */
static void testWriteAtomicImpossible(fileFixture *fix, gconstpointer data)
{
    g_assert_cmpint(fileWriteAtomic("/proc/self/vmm-test", "x", 1, 0600),
                    ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message, "/proc/self/vmm-test"));
}

static void testReadAllCap(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "big");
    g_autofree char *big = g_strnfill(100000, 'x');
    g_autofree char *content = NULL;
    size_t len = 0;

    g_assert_cmpint(fileWriteAtomic(path, big, 100000, 0600), ==, 0);
    g_assert_cmpint(fileReadAll(path, 99999, &content, &len), ==, -1);
    g_assert_null(content);
    g_assert_cmpuint(len, ==, 0);
    g_assert_nonnull(strstr(errorGetLast()->message, "larger than"));
    g_assert_nonnull(strstr(errorGetLast()->message, path));
    errorReset();
    g_assert_cmpint(fileReadAll(path, 100000, &content, &len), ==, 0);
    g_assert_cmpuint(len, ==, 100000);
    g_assert_cmpmem(content, len, big, 100000);
}

static void testReadAllMissing(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "nothere");
    char *content = NULL;

    g_assert_cmpint(fileReadAll(path, 10, &content, NULL), ==, -1);
    g_assert_null(content);
    g_assert_true(g_str_has_suffix(errorGetLast()->message,
                                   "No such file or directory"));
}

/* Files whose size stat() does not know are read all the same. */
static void testReadAllProc(fileFixture *fix, gconstpointer data)
{
    g_autofree char *content = NULL;
    size_t len = 0;

    g_assert_cmpint(fileReadAll("/proc/self/status", 1 << 20, &content, &len),
                    ==, 0);
    g_assert_cmpuint(len, >, 0);
    g_assert_true(g_str_has_prefix(content, "Name:"));
}

static void testMakePath(fileFixture *fix, gconstpointer data)
{
    g_autofree char *deep = g_build_filename(fix->dir, "a", "b", "c", NULL);
    g_autofree char *file = fileBuildPath(fix->dir, "f");
    g_autofree char *under = fileBuildPath(file, "x");

    g_assert_cmpint(fileMakePath(deep, 0755), ==, 0);
    g_assert_true(g_file_test(deep, G_FILE_TEST_IS_DIR));
    g_assert_cmpint(fileMakePath(deep, 0755), ==, 0);

    g_assert_cmpint(fileWriteAtomic(file, "x", 1, 0600), ==, 0);
    g_assert_cmpint(fileMakePath(file, 0755), ==, -1);
    g_assert_cmpint(fileMakePath(under, 0755), ==, -1);
    g_assert_nonnull(strstr(errorGetLast()->message, under));
}

static void testRemoveIfExists(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "gone");

    g_assert_cmpint(fileWriteAtomic(path, "x", 1, 0600), ==, 0);
    g_assert_cmpint(fileRemoveIfExists(path), ==, 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(fileRemoveIfExists(path), ==, 0);
    g_assert_cmpint(fileRemoveIfExists(fix->dir), ==, -1);
    g_assert_true(errorIsSet());
}

static void testBuildPath(fileFixture *fix, gconstpointer data)
{
    g_autofree char *a = fileBuildPath("/etc/vmm", "qemu");
    g_autofree char *b = fileBuildPath("/etc/vmm/", "qemu");

    g_assert_cmpstr(a, ==, "/etc/vmm/qemu");
    g_assert_cmpstr(b, ==, "/etc/vmm/qemu");
}

static void testLockPid(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "vmmd.pid");
    g_autofree char *content = NULL;
    g_autofree char *expect = g_strdup_printf("%lld\n", (long long)getpid());
    g_autofree char *running = g_strdup_printf(
        "another vmmd is already running with pid %lld", (long long)getpid());
    int fd = -1;
    int fd2 = -1;

    g_assert_cmpint(fileLockPid(path, "vmmd", &fd), ==, 0);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(fcntl(fd, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
    g_assert_cmpint(fileReadAll(path, 64, &content, NULL), ==, 0);
    g_assert_cmpstr(content, ==, expect);

    g_assert_cmpint(fileLockPid(path, "vmmd", &fd2), ==, -1);
    g_assert_cmpint(fd2, ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_RESOURCE_BUSY);
    g_assert_nonnull(strstr(errorGetLast()->message, running));
    errorReset();

    fileUnlockPid(path, fd);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(fileLockPid(path, "vmmd", &fd2), ==, 0);
    fileUnlockPid(path, fd2);
    fileUnlockPid(NULL, -1);
}

/* Another process is refused too, and told our pid. The path comes from
 * the parent in an environment variable. */
static void testLockPidOtherProcess(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "other.pid");
    g_autofree char *running = g_strdup_printf(
        "another vmmd is already running with pid %lld", (long long)getpid());
    int fd = -1;

    if (g_test_subprocess()) {
        const char *lockPath = g_getenv("VMM_TEST_PID_PATH");
        const char *want = g_getenv("VMM_TEST_PID_MESSAGE");

        g_assert_cmpint(fileLockPid(lockPath, "vmmd", &fd), ==, -1);
        g_assert_nonnull(strstr(errorGetLast()->message, want));
        return;
    }
    g_assert_cmpint(fileLockPid(path, "vmmd", &fd), ==, 0);
    g_setenv("VMM_TEST_PID_PATH", path, TRUE);
    g_setenv("VMM_TEST_PID_MESSAGE", running, TRUE);
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
    fileUnlockPid(path, fd);
}

typedef struct {
    const char *path;
    const char *contents[2];
    size_t len;
    gint stop;
} atomicRace;

static gpointer atomicReader(gpointer data)
{
    atomicRace *race = data;
    int torn = 0;

    while (!g_atomic_int_get(&race->stop)) {
        g_autofree char *content = NULL;
        size_t len = 0;

        if (fileReadAll(race->path, race->len, &content, &len) < 0)
            return GINT_TO_POINTER(1);
        if (len != race->len ||
            (memcmp(content, race->contents[0], len) != 0 &&
             memcmp(content, race->contents[1], len) != 0))
            torn++;
    }
    return GINT_TO_POINTER(torn);
}

/* A reader racing with a writer sees one whole version or the other,
 * never a mix or a short file. */
static void testWriteAtomicRace(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "race.xml");
    g_autofree char *a = g_strnfill(256 * 1024, 'a');
    g_autofree char *b = g_strnfill(256 * 1024, 'b');
    atomicRace race = { .path = path, .contents = { a, b },
                        .len = 256 * 1024 };
    GThread *reader;

    g_assert_cmpint(fileWriteAtomic(path, a, race.len, 0600), ==, 0);
    reader = g_thread_new("reader", atomicReader, &race);
    for (int i = 0; i < 50; i++)
        g_assert_cmpint(fileWriteAtomic(path, i % 2 ? a : b, race.len, 0600),
                        ==, 0);
    g_atomic_int_set(&race.stop, 1);
    g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(reader)), ==, 0);
    g_assert_cmpuint(countEntries(fix->dir), ==, 1);
}

/* A stale pid file from a daemon that died is taken over. */
static void testLockPidStale(fileFixture *fix, gconstpointer data)
{
    g_autofree char *path = fileBuildPath(fix->dir, "stale.pid");
    int fd = -1;

    g_assert_cmpint(fileWriteAtomic(path, "999999\n", 7, 0644), ==, 0);
    g_assert_cmpint(fileLockPid(path, "vmmd", &fd), ==, 0);
    fileUnlockPid(path, fd);
}

#define ADD(name, func) \
    g_test_add(name, fileFixture, NULL, fixtureSetUp, func, fixtureTearDown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/util/file/write-atomic/new", testWriteAtomicNew);
    ADD("/util/file/write-atomic/replace", testWriteAtomicReplace);
    ADD("/util/file/write-atomic/empty", testWriteAtomicEmpty);
    ADD("/util/file/write-atomic/no-dir", testWriteAtomicNoDir);
    ADD("/util/file/write-atomic/rename-fails", testWriteAtomicRenameFails);
    ADD("/util/file/write-atomic/impossible", testWriteAtomicImpossible);
    ADD("/util/file/read-all/cap", testReadAllCap);
    ADD("/util/file/read-all/missing", testReadAllMissing);
    ADD("/util/file/read-all/proc", testReadAllProc);
    ADD("/util/file/make-path", testMakePath);
    ADD("/util/file/remove-if-exists", testRemoveIfExists);
    ADD("/util/file/build-path", testBuildPath);
    ADD("/util/file/lock-pid", testLockPid);
    ADD("/util/file/lock-pid-stale", testLockPidStale);
    ADD("/util/file/lock-pid-other-process", testLockPidOtherProcess);
    ADD("/util/file/write-atomic/race", testWriteAtomicRace);
    return g_test_run();
}
