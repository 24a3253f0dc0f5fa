/*
 * kvm_capabilities_test.c: probing a real qemu-system-x86_64 and the
 * capability cache: what a probe finds, a second lookup served from memory,
 * a new cache served from the file the first one wrote (but not when it
 * was written on another host), a changed mtime probing again, and a
 * binary that is not QEMU. Skips without QEMU. The decision whether KVM
 * can run guests (kvmCapsCheckHostModel) is tested with canned
 * /proc/cpuinfo text and QEMU answers, QEMU or not.
 */
#include <config.h>

#include <string.h>
#include <unistd.h>
#include <utime.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "util_error.h"
#include "domain_conf.h"
#include "kvm_capabilities.h"
#include "kvm_command.h"
#include "kvm_testlib.h"

typedef struct {
    char *qemu;
    char *dir;
    char *cacheDir;
} Fixture;

static void setup(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    f->qemu = kvmTestFindQemu();
    f->dir = g_dir_make_tmp("vmm-kvm-caps-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    f->cacheDir = g_build_filename(f->dir, "cache", NULL);
}

static void removeTree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
            !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            removeTree(path);
        else
            g_unlink(path);
    }
    g_rmdir(dir);
}

static void teardown(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    removeTree(f->dir);
    g_free(f->qemu);
    g_free(f->dir);
    g_free(f->cacheDir);
}

#define SKIP_WITHOUT_QEMU(f)                                                   \
    do {                                                                       \
        if (!(f)->qemu) {                                                      \
            g_test_skip("qemu-system-x86_64 not found");                       \
            return;                                                            \
        }                                                                      \
    } while (0)

static kvmCaps *lookup(kvmCapsCache *cache, const char *binary)
{
    kvmCaps *caps = NULL;

    if (kvmCapsCacheLookup(cache, binary, &caps) < 0)
        g_error("lookup %s: %s", binary, errorGetLast()->message);
    return caps;
}

static void checkCaps(const kvmCaps *caps)
{
    const char *pc = kvmCapsResolveMachine(caps, "pc");

    g_assert_cmpuint(kvmCapsGetVersion(caps), >=, 2000000);
    g_assert_nonnull(pc);
    g_assert_true(g_str_has_prefix(pc, "pc-i440fx-"));
    g_assert_nonnull(kvmCapsResolveMachine(caps, "q35"));
    g_assert_null(kvmCapsResolveMachine(caps, "no-such-machine"));
    g_assert_nonnull(kvmCapsGetDefaultMachine(caps));
    g_assert_true(kvmCapsHasCPUModel(caps, "qemu64"));
    g_assert_false(kvmCapsHasCPUModel(caps, "no-such-cpu"));
    g_assert_true(kvmCapsHasDevice(caps, "virtio-blk-pci"));
    g_assert_true(kvmCapsHasDevice(caps, "isa-serial"));
    g_assert_false(kvmCapsHasDevice(caps, "no-such-device"));
    /* Whatever this host says, the two agree. */
    g_assert_true(kvmCapsHasKVM(caps) == !kvmCapsGetKVMProblem(caps));
}

/* Makes the one cache file in @f's cache directory claim another host. */
static void otherHost(Fixture *f)
{
    g_autoptr(GDir) dir = g_dir_open(f->cacheDir, 0, NULL);
    const char *name = dir ? g_dir_read_name(dir) : NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_autofree char *changed = NULL;
    g_auto(GStrv) parts = NULL;

    g_assert_nonnull(name);
    path = g_build_filename(f->cacheDir, name, NULL);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    parts = g_strsplit(text, "\"host\": \"", 2);
    g_assert_nonnull(parts[1]);
    changed = g_strjoin("\"host\": \"elsewhere ", parts[0], parts[1], NULL);
    g_assert_true(g_file_set_contents(path, changed, -1, NULL));
}

static void testProbeAndCache(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(kvmCapsCache) cache = NULL;
    g_autoptr(kvmCapsCache) cache2 = NULL;
    g_autoptr(kvmCaps) caps = NULL;
    g_autoptr(kvmCaps) again = NULL;
    g_autoptr(kvmCaps) loaded = NULL;
    g_autoptr(kvmCapsCache) cache3 = NULL;
    g_autoptr(kvmCaps) other = NULL;
    g_autofree char *json = NULL;
    g_autofree char *json2 = NULL;

    SKIP_WITHOUT_QEMU(f);
    cache = kvmCapsCacheNew(f->cacheDir);
    caps = lookup(cache, f->qemu);
    g_assert_cmpuint(kvmCapsCacheGetProbeCount(cache), ==, 1);
    g_assert_cmpstr(kvmCapsGetBinary(caps), ==, f->qemu);
    checkCaps(caps);

    /* Memory hit: the same object, no probe. */
    again = lookup(cache, f->qemu);
    g_assert_true(again == caps);
    g_assert_cmpuint(kvmCapsCacheGetProbeCount(cache), ==, 1);

    /* A new cache (a restarted daemon) reads the file instead. */
    cache2 = kvmCapsCacheNew(f->cacheDir);
    loaded = lookup(cache2, f->qemu);
    g_assert_cmpuint(kvmCapsCacheGetProbeCount(cache2), ==, 0);
    json = kvmCapsFormat(caps);
    json2 = kvmCapsFormat(loaded);
    g_assert_cmpstr(json, ==, json2);
    checkCaps(loaded);
    g_assert_nonnull(strstr(json, "\"kvmProblem\""));

    /* A file written on another host (kernel, /dev/kvm) is probed again:
     * whether KVM works depends on them, not only on QEMU. */
    otherHost(f);
    cache3 = kvmCapsCacheNew(f->cacheDir);
    other = lookup(cache3, f->qemu);
    g_assert_cmpuint(kvmCapsCacheGetProbeCount(cache3), ==, 1);
}

static void testMtimeChange(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(kvmCapsCache) cache = NULL;
    g_autoptr(kvmCaps) first = NULL;
    g_autoptr(kvmCaps) second = NULL;
    g_autoptr(kvmCaps) third = NULL;
    g_autofree char *copy = NULL;
    g_autofree char *bindir = NULL;
    g_autofree char *qemuDir = NULL;
    g_autofree char *modules = NULL;
    g_autofree char *libdir = NULL;
    g_autofree char *link = NULL;
    g_autofree char *content = NULL;
    gsize len = 0;
    struct utimbuf times = {.actime = 1000000000, .modtime = 1000000000};

    SKIP_WITHOUT_QEMU(f);
    /* A copy of the binary whose mtime we may change. QEMU looks for its
     * modules (accelerators) relative to its own path, so the copy gets
     * the same layout. */
    bindir = g_build_filename(f->dir, "bin", NULL);
    g_assert_cmpint(g_mkdir(bindir, 0755), ==, 0);
    qemuDir = g_path_get_dirname(f->qemu);
    modules = g_build_filename(qemuDir, "..", "lib", "x86_64-linux-gnu", "qemu",
                               NULL);
    if (g_file_test(modules, G_FILE_TEST_IS_DIR)) {
        libdir = g_build_filename(f->dir, "lib", "x86_64-linux-gnu", NULL);
        g_assert_cmpint(g_mkdir_with_parents(libdir, 0755), ==, 0);
        link = g_build_filename(libdir, "qemu", NULL);
        g_assert_cmpint(symlink(modules, link), ==, 0);
    }
    copy = g_build_filename(bindir, "qemu-copy", NULL);
    g_assert_true(g_file_get_contents(f->qemu, &content, &len, NULL));
    g_assert_true(g_file_set_contents(copy, content, len, NULL));
    g_assert_cmpint(g_chmod(copy, 0755), ==, 0);

    cache = kvmCapsCacheNew(f->cacheDir);
    first = lookup(cache, copy);
    second = lookup(cache, copy);
    g_assert_cmpuint(kvmCapsCacheGetProbeCount(cache), ==, 1);
    g_assert_cmpint(utime(copy, &times), ==, 0);
    third = lookup(cache, copy);
    g_assert_cmpuint(kvmCapsCacheGetProbeCount(cache), ==, 2);
    g_assert_true(third != first);
    checkCaps(third);
}

static void buildWithCaps(const kvmCaps *caps, const char *machine,
                          const char *cpu, bool ok, const char *errpart)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='qemu'><name>c</name><memory>131072</memory>"
        "<os><type machine='%s'>hvm</type></os>"
        "<cpu><model>%s</model></cpu>"
        "<devices><input type='tablet' bus='usb'/>"
        "<memballoon model='virtio'/></devices></domain>",
        machine, cpu);
    g_autoptr(domainDef) def = domainDefParseString(xml, 0);
    g_autoptr(cmdDef) cmd = NULL;
    kvmCommandParams params = {
        .monitorPath = "/run/m.sock",
        .defaultEmulator = kvmCapsGetBinary(caps),
        .caps = caps,
    };

    g_assert_nonnull(def);
    errorReset();
    cmd = kvmCommandBuild(def, &params);
    if (ok) {
        if (!cmd)
            g_error("%s", errorGetLast()->message);
        return;
    }
    g_assert_null(cmd);
    g_assert_nonnull(strstr(errorGetLast()->message, errpart));
}

static void testCommandChecks(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(kvmCapsCache) cache = NULL;
    g_autoptr(kvmCaps) caps = NULL;

    SKIP_WITHOUT_QEMU(f);
    cache = kvmCapsCacheNew(NULL);
    caps = lookup(cache, f->qemu);
    buildWithCaps(caps, "pc", "qemu64", true, NULL);
    buildWithCaps(caps, "q35", "Haswell", true, NULL);
    buildWithCaps(caps, "pc-i440fx-99.0", "qemu64", false,
                  "machine type 'pc-i440fx-99.0' is not supported by");
    buildWithCaps(caps, "pc", "NoSuchCPU", false,
                  "CPU model 'NoSuchCPU' is not supported by");
}

static void testNotQemu(Fixture *f, gconstpointer data G_GNUC_UNUSED)
{
    g_autoptr(kvmCapsCache) cache = kvmCapsCacheNew(NULL);
    kvmCaps *caps = NULL;

    errorReset();
    g_assert_cmpint(kvmCapsCacheLookup(cache, "/bin/true", &caps), ==, -1);
    g_assert_null(caps);
    g_assert_nonnull(strstr(errorGetLast()->message, "is it QEMU?"));

    g_assert_cmpint(kvmCapsCacheLookup(cache, "/nonexistent/qemu", &caps), ==,
                    -1);
    g_assert_cmpint(kvmCapsCacheLookup(cache, "qemu-system-x86_64", &caps), ==,
                    -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    (void)f;
}

/* /proc/cpuinfo of a host with all of x86-64-v2 (two CPUs). */
static const char cpuinfoV2[] =
    "processor\t: 0\n"
    "vendor_id\t: GenuineIntel\n"
    "flags\t\t: fpu vme de pse tsc msr pae cx8 sse sse2 lm pni pclmulqdq "
    "ssse3 fma cx16 sse4_1 sse4_2 popcnt aes avx hypervisor lahf_lm\n"
    "\n"
    "processor\t: 1\n"
    "flags\t\t: fpu\n";

/* An old CPU: SSE3 and SSSE3, no SSE4, no popcnt. */
static const char cpuinfoOld[] =
    "processor\t: 0\n"
    "flags\t\t: fpu sse sse2 lm pni ssse3 cx16 lahf_lm\n";

static char *checkModel(const char *cpuinfo, const char *propsJSON)
{
    g_autoptr(jsonValue) props = jsonParse(propsJSON);

    g_assert_nonnull(props);
    return kvmCapsCheckHostModel(cpuinfo, props);
}

static void testHostModel(void)
{
    /* As a working KVM expands "host" (aliases included, as QEMU does). */
    const char *good = "{\"pni\": true, \"sse3\": true, \"ssse3\": true, "
                       "\"sse4.1\": true, \"sse4_1\": true, \"sse4.2\": true, "
                       "\"cx16\": true, \"popcnt\": true, \"lahf-lm\": true, "
                       "\"vmx\": false, \"model-id\": \"x\"}";
    /* As this project's broken nested KVM does. */
    const char *broken =
        "{\"pni\": false, \"sse3\": false, \"ssse3\": false, "
        "\"sse4.1\": false, \"sse4.2\": false, \"cx16\": true, "
        "\"popcnt\": false, \"lahf-lm\": true, \"model-id\": \"x\"}";
    /* No SSE4 offered, and no popcnt property at all. */
    const char *noSSE4 =
        "{\"pni\": true, \"ssse3\": true, \"sse4.1\": false, "
        "\"sse4.2\": false, \"cx16\": true, \"lahf-lm\": true}";
    g_autofree char *ok = checkModel(cpuinfoV2, good);
    g_autofree char *bad = checkModel(cpuinfoV2, broken);
    g_autofree char *oldOk = checkModel(cpuinfoOld, noSSE4);
    g_autofree char *v2NoSSE4 = checkModel(cpuinfoV2, noSSE4);
    g_autofree char *noFlags = checkModel("processor\t: 0\n", broken);
    g_autofree char *empty = checkModel(cpuinfoV2, "{}");

    g_assert_null(ok);
    g_assert_cmpstr(bad, ==,
                    "its CPU model lacks pni, ssse3, sse4.1, sse4.2, popcnt, "
                    "which the host CPU has");
    /* What the host itself lacks is not asked of KVM. */
    g_assert_null(oldOk);
    /* A property QEMU does not report (popcnt here) is no evidence. */
    g_assert_cmpstr(v2NoSSE4, ==,
                    "its CPU model lacks sse4.1, sse4.2, which the host CPU "
                    "has");
    /* Without a flags line (not x86) there is nothing to compare. */
    g_assert_null(noFlags);
    g_assert_null(empty);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    ADD("/kvm/capabilities/probe-and-cache", testProbeAndCache);
    ADD("/kvm/capabilities/mtime-change", testMtimeChange);
    ADD("/kvm/capabilities/command-checks", testCommandChecks);
    ADD("/kvm/capabilities/not-qemu", testNotQemu);
#undef ADD
    g_test_add_func("/kvm/capabilities/host-model", testHostModel);
    return g_test_run();
}
