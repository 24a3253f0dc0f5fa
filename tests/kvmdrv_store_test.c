/*
 * kvmdrv_store_test.c: src/conf/domain_store on a temporary directory:
 * definitions saved, loaded, deleted; autostart links; files that must be
 * skipped (malformed, misnamed, temporaries of a crashed write) and left
 * alone; status files both ways; and crash safety, with a writer process
 * killed with SIGKILL at random moments.
 */
#include <config.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "domain_store.h"
#include "util_error.h"
#include "util_file.h"

typedef struct {
    char *dir;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("kvmdrv-store-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
}

static void rmTree(const char *path)
{
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *child = g_build_filename(path, name, NULL);

        if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
            !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
            rmTree(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}

static void teardown(Fixture *f, gconstpointer data)
{
    rmTree(f->dir);
    g_free(f->dir);
}

static char *guestXML(const char *name, const char *uuid, unsigned int mib)
{
    return g_strdup_printf("<domain type='qemu'>\n"
                           "  <name>%s</name>\n"
                           "  <uuid>%s</uuid>\n"
                           "  <memory unit='MiB'>%u</memory>\n"
                           "  <vcpu>1</vcpu>\n"
                           "  <os><type arch='x86_64'>hvm</type></os>\n"
                           "</domain>\n",
                           name, uuid, mib);
}

static domainDef *guestDef(const char *name, const char *uuid, unsigned int mib)
{
    g_autofree char *xml = guestXML(name, uuid, mib);
    domainDef *def = domainDefParseString(xml, 0);

    g_assert_nonnull(def);
    return def;
}

#define UUID1 "11111111-2222-3333-4444-555555555501"
#define UUID2 "11111111-2222-3333-4444-555555555502"
#define UUID3 "11111111-2222-3333-4444-555555555503"

static void writeFile(const char *dir, const char *name, const char *text)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static domainObjList *loadAll(const char *dir, guint expectSkipped)
{
    domainObjList *list = domainObjListNew();
    g_autoptr(GPtrArray) skipped = NULL;

    g_assert_cmpint(domainStoreLoadAll(dir, list, NULL, NULL, &skipped), ==, 0);
    for (guint i = 0; i < skipped->len; i++)
        g_test_message("skipped %s", (char *)g_ptr_array_index(skipped, i));
    g_assert_cmpuint(skipped->len, ==, expectSkipped);
    return list;
}

static void testSaveLoad(Fixture *f, gconstpointer data)
{
    g_autoptr(domainDef) def = guestDef("one", UUID1, 256);
    g_autoptr(domainObjList) list = NULL;
    g_autofree char *path = g_build_filename(f->dir, "one.xml", NULL);
    domainObj *obj;
    GStatBuf st;

    g_assert_cmpint(domainStoreSaveDef(f->dir, def), ==, 0);
    g_assert_cmpint(g_stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    list = loadAll(f->dir, 0);
    obj = domainObjListFindByName(list, "one");
    g_assert_nonnull(obj);
    g_assert_true(obj->persistent);
    g_assert_false(obj->autostart);
    g_assert_false(domainObjIsActive(obj));
    g_assert_cmpuint(obj->def->memory, ==, 256 * 1024);
    domainObjEndAPI(&obj);

    g_assert_cmpint(domainStoreDeleteDef(f->dir, "one"), ==, 0);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    /* Deleting what is not there is fine. */
    g_assert_cmpint(domainStoreDeleteDef(f->dir, "one"), ==, 0);
}

static void testMissingDir(Fixture *f, gconstpointer data)
{
    g_autofree char *dir = g_build_filename(f->dir, "nope", NULL);
    g_autoptr(domainObjList) list = loadAll(dir, 0);
    g_autoptr(GPtrArray) names = NULL;

    g_assert_cmpint(domainObjListCount(list, false), ==, 0);
    g_assert_cmpint(domainStoreListStatus(dir, &names), ==, 0);
    g_assert_cmpuint(names->len, ==, 0);
}

static void testAutostart(Fixture *f, gconstpointer data)
{
    g_autoptr(domainDef) def = guestDef("auto", UUID1, 128);
    g_autoptr(domainObjList) list = NULL;
    g_autofree char *link =
        g_build_filename(f->dir, "autostart", "auto.xml", NULL);
    g_autofree char *target = NULL;
    domainObj *obj;

    g_assert_cmpint(domainStoreSaveDef(f->dir, def), ==, 0);
    g_assert_false(domainStoreGetAutostart(f->dir, "auto"));
    g_assert_cmpint(domainStoreSetAutostart(f->dir, "auto", true), ==, 0);
    /* Twice is harmless. */
    g_assert_cmpint(domainStoreSetAutostart(f->dir, "auto", true), ==, 0);
    g_assert_true(domainStoreGetAutostart(f->dir, "auto"));
    target = g_file_read_link(link, NULL);
    g_assert_nonnull(target);
    g_assert_true(g_str_has_suffix(target, "/auto.xml"));

    list = loadAll(f->dir, 0);
    obj = domainObjListFindByName(list, "auto");
    g_assert_nonnull(obj);
    g_assert_true(obj->autostart);
    domainObjEndAPI(&obj);

    g_assert_cmpint(domainStoreSetAutostart(f->dir, "auto", false), ==, 0);
    g_assert_false(domainStoreGetAutostart(f->dir, "auto"));
    g_assert_cmpint(domainStoreSetAutostart(f->dir, "auto", true), ==, 0);
    /* Undefine takes the link with it. */
    g_assert_cmpint(domainStoreDeleteDef(f->dir, "auto"), ==, 0);
    g_assert_false(domainStoreGetAutostart(f->dir, "auto"));
}

static int refuseBig(const domainDef *def, void *opaque)
{
    if (def->memory > 512 * 1024) {
        errorReport(VMM_FROM_CONF, VMM_ERR_CONFIG_UNSUPPORTED, "too big");
        return -1;
    }
    return 0;
}

/* Bad files are skipped, reported, and left on disk; the rest loads. */
static void testSkipBad(Fixture *f, gconstpointer data)
{
    g_autoptr(domainDef) good = guestDef("good", UUID1, 128);
    g_autoptr(domainDef) big = guestDef("big", UUID3, 1024);
    g_autoptr(domainObjList) list = domainObjListNew();
    g_autoptr(GPtrArray) skipped = NULL;
    g_autofree char *other = guestXML("other", UUID2, 128);
    g_autofree char *bad = g_build_filename(f->dir, "broken.xml", NULL);
    domainObj *obj;

    g_assert_cmpint(domainStoreSaveDef(f->dir, good), ==, 0);
    g_assert_cmpint(domainStoreSaveDef(f->dir, big), ==, 0);
    writeFile(f->dir, "broken.xml", "<domain type='qemu'><name>broken");
    /* A definition under the wrong file name. */
    writeFile(f->dir, "misnamed.xml", other);
    /* The temporary of a writer killed mid-write: a dot file. */
    writeFile(f->dir, ".good.xml.Ab12Cd", "<domain type='qemu'><na");
    writeFile(f->dir, "notes.txt", "not a definition");

    g_assert_cmpint(domainStoreLoadAll(f->dir, list, refuseBig, NULL, &skipped),
                    ==, 0);
    g_assert_cmpuint(skipped->len, ==, 3);
    g_assert_true(g_str_has_prefix(g_ptr_array_index(skipped, 0), f->dir));
    g_assert_nonnull(strstr(g_ptr_array_index(skipped, 0), "big.xml: "));
    g_assert_nonnull(strstr(g_ptr_array_index(skipped, 0), "too big"));
    g_assert_nonnull(strstr(g_ptr_array_index(skipped, 1), "broken.xml"));
    g_assert_nonnull(strstr(g_ptr_array_index(skipped, 2), "misnamed.xml"));
    g_assert_cmpint(domainObjListCount(list, false), ==, 1);
    obj = domainObjListFindByName(list, "good");
    g_assert_nonnull(obj);
    domainObjEndAPI(&obj);
    /* Nothing was deleted. */
    g_assert_true(g_file_test(bad, G_FILE_TEST_EXISTS));
    g_assert_null(errorGetLast());
}

static void testStatus(Fixture *f, gconstpointer data)
{
    g_autoptr(domainDef) def = guestDef("run", UUID1, 128);
    g_autoptr(domainStatus) back = NULL;
    g_autoptr(GPtrArray) names = NULL;
    domainStatus status = {
        .def = def,
        .id = 7,
        .state = VMM_DOMAIN_PAUSED,
        .reason = VMM_DOMAIN_PAUSED_USER,
        .pid = 4242,
        .monitorPath = (char *)"/run/x/run.monitor",
    };

    g_assert_cmpint(domainStoreSaveStatus(f->dir, &status), ==, 0);
    g_assert_cmpint(domainStoreLoadStatus(f->dir, "run", &back), ==, 0);
    g_assert_cmpint(back->id, ==, 7);
    g_assert_cmpint(back->state, ==, VMM_DOMAIN_PAUSED);
    g_assert_cmpint(back->reason, ==, VMM_DOMAIN_PAUSED_USER);
    g_assert_cmpint(back->pid, ==, 4242);
    g_assert_cmpstr(back->monitorPath, ==, "/run/x/run.monitor");
    g_assert_cmpstr(back->def->name, ==, "run");
    g_assert_cmpuint(back->def->memory, ==, 128 * 1024);

    g_assert_cmpint(domainStoreListStatus(f->dir, &names), ==, 0);
    g_assert_cmpuint(names->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "run");

    g_assert_cmpint(domainStoreDeleteStatus(f->dir, "run"), ==, 0);
    g_clear_pointer(&back, domainStatusFree);
    g_assert_cmpint(domainStoreLoadStatus(f->dir, "run", &back), ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_NO_DOMAIN);
    g_assert_null(back);
    errorReset();
}

/* The form kvm_process writes: no reason attribute. */
static void testStatusMinimal(Fixture *f, gconstpointer data)
{
    g_autoptr(domainStatus) back = NULL;

    writeFile(f->dir, "mini.xml",
              "<domstatus state='running' pid='99'>\n"
              "  <monitor path='/m' type='unix'/>\n"
              "  <domain type='qemu' id='3'>\n"
              "    <name>mini</name>\n"
              "    <uuid>" UUID2 "</uuid>\n"
              "    <memory unit='MiB'>128</memory>\n"
              "    <vcpu>1</vcpu>\n"
              "    <os><type arch='x86_64'>hvm</type></os>\n"
              "  </domain>\n"
              "</domstatus>\n");
    g_assert_cmpint(domainStoreLoadStatus(f->dir, "mini", &back), ==, 0);
    g_assert_cmpint(back->state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpint(back->reason, ==, 0);
    g_assert_cmpint(back->id, ==, 3);
    g_assert_cmpint(back->pid, ==, 99);
    g_assert_cmpstr(back->monitorPath, ==, "/m");
}

/* A child writes @rounds definitions of "crash", each with a different
 * memory size, reporting each acknowledged size on @fd. */
static G_NORETURN void crashWriter(const char *dir, int fd, int rounds)
{
    for (int i = 1; i <= rounds; i++) {
        g_autoptr(domainDef) def = guestDef("crash", UUID1, i);
        char ack = 'x';

        if (domainStoreSaveDef(dir, def) < 0)
            _exit(2);
        if (write(fd, &ack, 1) != 1)
            _exit(3);
    }
    _exit(0);
}

/* Kills writers at random moments: every time, the file parses, and it
 * holds at least the last definition the writer acknowledged. */
static void testCrashSafety(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "crash.xml", NULL);
    int checked = 0;

    for (int round = 0; round < 20; round++) {
        g_autoptr(domainObjList) list = NULL;
        int fds[2];
        pid_t pid;
        int acked = 0;
        char buf[256];
        ssize_t n;
        domainObj *obj;

        g_assert_cmpint(pipe(fds), ==, 0);
        pid = fork();
        g_assert_cmpint(pid, >=, 0);
        if (pid == 0) {
            close(fds[0]);
            crashWriter(f->dir, fds[1], 100000);
        }
        close(fds[1]);
        g_usleep(g_random_int_range(1000, 30000));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        while ((n = read(fds[0], buf, sizeof(buf))) > 0)
            acked += n;
        close(fds[0]);
        if (acked == 0)
            continue;
        checked++;
        list = loadAll(f->dir, 0);
        obj = domainObjListFindByName(list, "crash");
        g_assert_nonnull(obj);
        /* Acknowledged writes are on disk; one more may have landed. */
        g_assert_cmpuint(obj->def->memory, >=,
                         (unsigned long long)acked * 1024);
        g_assert_cmpuint(obj->def->memory, <=,
                         (unsigned long long)(acked + 1) * 1024);
        domainObjEndAPI(&obj);
        g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
        fileRemoveIfExists(path);
    }
    g_assert_cmpint(checked, >, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(name, fn)                                                          \
    g_test_add("/kvmdrv/store/" name, Fixture, NULL, setup, fn, teardown)
    ADD("save-load", testSaveLoad);
    ADD("missing-dir", testMissingDir);
    ADD("autostart", testAutostart);
    ADD("skip-bad", testSkipBad);
    ADD("status", testStatus);
    ADD("status-minimal", testStatusMinimal);
    ADD("crash-safety", testCrashSafety);
    return g_test_run();
}
