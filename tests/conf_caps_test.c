/*
 * conf_caps_test.c: the capabilities model and XML (golden files in
 * tests/capsdata, VMM_TEST_REGENERATE=1 rewrites them), host facts read
 * from copied /proc + /sys trees in tests/nodeinfodata, and sanity of the
 * same facts on the machine running the test.
 */
#include <config.h>

#include <string.h>
#include <sys/utsname.h>

#include <glib.h>

#include "util_error.h"
#include "util_xml.h"
#include "capabilities.h"
#include "node_info.h"

static const char *srcdir;

static void compareGolden(const char *out, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/capsdata/%s.xml", srcdir, name);
    g_autofree char *expected = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (g_getenv("VMM_TEST_REGENERATE"))
        g_assert_true(g_file_set_contents(path, out, -1, NULL));
    g_assert_true(g_file_get_contents(path, &expected, NULL, NULL));
    g_assert_cmpstr(out, ==, expected);
    doc = vxmlParseString(out, "capabilities", "capabilities");
    g_assert_nonnull(doc);
}

/* A fixed x86_64 host with the guests a KVM driver would offer. */
static caps *buildKVMCaps(void)
{
    static const char *const machines[] = {"pc-i440fx-7.2", "pc=pc-i440fx-7.2",
                                           "pc-q35-7.2", "q35=pc-q35-7.2",
                                           NULL};
    caps *c = capsNew("x86_64");
    capsHostCell *cell;
    capsGuest *g;

    c->host.hasUUID = true;
    memset(c->host.uuid, 0xab, sizeof(c->host.uuid));
    c->host.cpuModel = g_strdup("Skylake-Client-IBRS");
    c->host.cpuVendor = g_strdup("Intel");
    c->host.sockets = 1;
    c->host.dies = 1;
    c->host.cores = 2;
    c->host.threads = 1;
    c->host.liveMigration = true;
    g_ptr_array_add(c->host.migrationTransports, g_strdup("tcp"));
    cell = capsHostAddCell(c, 0, 4194304);
    capsHostCellAddCPU(cell, 0, 0, 0, 0, "0");
    capsHostCellAddCPU(cell, 1, 0, 0, 1, "1");

    g = capsAddGuest(c, "hvm", "x86_64", 64, "/usr/bin/qemu-system-x86_64",
                     NULL, machines);
    capsGuestSetMaxCpus(g, 255);
    capsGuestAddDomain(g, "qemu", NULL, NULL);
    capsGuestAddDomain(g, "kvm", "/usr/bin/kvm", NULL);
    capsGuestAddFeature(g, "acpi", "on", "yes");
    capsGuestAddFeature(g, "apic", "on", "no");
    capsGuestAddFeature(g, "cpuselection", NULL, NULL);
    capsGuestAddFeature(g, "deviceboot", NULL, NULL);

    g = capsAddGuest(c, "hvm", "i686", 32, "/usr/bin/qemu-system-i386", NULL,
                     (const char *const[]){"pc", NULL});
    capsGuestAddDomain(g, "qemu", NULL, NULL);
    capsGuestAddFeature(g, "pae", NULL, NULL);
    capsGuestAddFeature(g, "nonpae", NULL, NULL);
    return c;
}

static void testFormatKVM(void)
{
    g_autoptr(caps) c = buildKVMCaps();
    g_autofree char *xml = capsFormat(c);

    compareGolden(xml, "kvm-x86_64");
}

static void testFormatXenAndContainers(void)
{
    g_autoptr(caps) c = capsNew("x86_64");
    g_autofree char *xml = NULL;
    capsGuest *g;

    g = capsAddGuest(c, "xen", "x86_64", 64, NULL, NULL,
                     (const char *const[]){"xenpv", NULL});
    capsGuestAddDomain(g, "xen", NULL, NULL);
    g = capsAddGuest(
        c, "hvm", "x86_64", 64, "/usr/lib/xen/bin/qemu-system-i386",
        "/usr/lib/xen/boot/hvmloader", (const char *const[]){"xenfv", NULL});
    capsGuestAddDomain(g, "xen", NULL, NULL);
    capsGuestAddFeature(g, "pae", NULL, NULL);
    capsGuestAddFeature(g, "hap", "on", "yes");
    g = capsAddGuest(c, "exe", "x86_64", 64, NULL, NULL, NULL);
    capsGuestAddDomain(g, "openvz", NULL, NULL);
    xml = capsFormat(c);

    compareGolden(xml, "xen-openvz");
}

static void testLookups(void)
{
    g_autoptr(caps) c = buildKVMCaps();

    g_assert_cmpstr(capsDefaultEmulator(c, "hvm", NULL, "qemu"), ==,
                    "/usr/bin/qemu-system-x86_64");
    g_assert_cmpstr(capsDefaultEmulator(c, "hvm", "x86_64", "kvm"), ==,
                    "/usr/bin/kvm");
    g_assert_cmpstr(capsDefaultEmulator(c, "hvm", "i686", NULL), ==,
                    "/usr/bin/qemu-system-i386");
    g_assert_cmpstr(capsDefaultMachine(c, "hvm", NULL, "kvm"), ==,
                    "pc-i440fx-7.2");
    g_assert_null(capsFindGuest(c, "hvm", "i686", "kvm"));
    g_assert_null(capsFindGuest(c, "exe", NULL, NULL));
    g_assert_null(capsDefaultEmulator(c, "xen", NULL, NULL));
    g_assert_nonnull(capsFindGuest(c, "hvm", "i686", "qemu"));
}

static void testNodeInfoNuma(void)
{
    g_autofree char *root =
        g_build_filename(srcdir, "nodeinfodata", "numa-2s2c2t", NULL);
    vmmNodeInfo info;
    g_autoptr(caps) c = NULL;
    g_autofree char *xml = NULL;

    g_assert_cmpint(nodeGetInfoFromRoot(root, "x86_64", &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "x86_64");
    g_assert_cmpuint(info.memory, ==, 16384000);
    g_assert_cmpuint(info.cpus, ==, 8);
    g_assert_cmpuint(info.mhz, ==, 3000);
    g_assert_cmpuint(info.nodes, ==, 2);
    g_assert_cmpuint(info.sockets, ==, 1);
    g_assert_cmpuint(info.cores, ==, 2);
    g_assert_cmpuint(info.threads, ==, 2);

    c = nodeCapsNewHostFromRoot(root, "x86_64");
    g_assert_nonnull(c);
    xml = capsFormat(c);
    compareGolden(xml, "host-numa-2s2c2t");
}

static void testNodeInfoFlat(void)
{
    g_autofree char *root =
        g_build_filename(srcdir, "nodeinfodata", "flat-arm", NULL);
    vmmNodeInfo info;
    g_autoptr(caps) c = NULL;
    g_autofree char *xml = NULL;

    g_assert_cmpint(nodeGetInfoFromRoot(root, "aarch64", &info), ==, 0);
    g_assert_cmpuint(info.cpus, ==, 4);
    g_assert_cmpuint(info.mhz, ==, 1800);
    g_assert_cmpuint(info.nodes, ==, 1);
    g_assert_cmpuint(info.sockets, ==, 1);
    g_assert_cmpuint(info.cores, ==, 4);
    g_assert_cmpuint(info.threads, ==, 1);
    c = nodeCapsNewHostFromRoot(root, "aarch64");
    xml = capsFormat(c);
    compareGolden(xml, "host-flat-arm");
}

static void testNodeInfoMissing(void)
{
    vmmNodeInfo info = {{0}};

    g_assert_cmpint(nodeGetInfoFromRoot("/nonexistent", "x86_64", &info), ==,
                    -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INTERNAL_ERROR);
    g_assert_cmpuint(info.cpus, ==, 0);
    errorReset();
    g_assert_null(nodeCapsNewHostFromRoot("/nonexistent", "x86_64"));
    errorReset();
}

/* The real machine: numbers must be plausible and consistent. */
static void testNodeInfoHost(void)
{
    vmmNodeInfo info;
    struct utsname u;
    unsigned long long total = 0, avail = 0;
    g_autoptr(caps) c = nodeCapsNewHost();
    g_autofree char *xml = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    g_assert_cmpint(nodeGetInfo(&info), ==, 0);
    g_assert_cmpint(uname(&u), ==, 0);
    g_assert_cmpstr(info.model, ==, u.machine);
    g_assert_cmpuint(info.cpus, >=, 1);
    g_assert_cmpuint(info.cpus, >=, g_get_num_processors());
    g_assert_cmpuint(info.nodes * info.sockets * info.cores * info.threads, ==,
                     info.cpus);
    g_assert_cmpint(nodeGetMemory(&total, &avail), ==, 0);
    g_assert_cmpuint(info.memory, ==, total);
    g_assert_cmpuint(avail, <=, total);
    g_assert_cmpuint(total, >, 1024);

    g_assert_nonnull(c);
    xml = capsFormat(c);
    doc = vxmlParseString(xml, "capabilities", "capabilities");
    g_assert_nonnull(doc);
    g_assert_nonnull(strstr(xml, u.machine));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    srcdir = g_getenv("VMM_TEST_SRCDIR");
    if (!srcdir)
        srcdir = ".";
    g_test_add_func("/conf/caps/format-kvm", testFormatKVM);
    g_test_add_func("/conf/caps/format-xen-openvz", testFormatXenAndContainers);
    g_test_add_func("/conf/caps/lookups", testLookups);
    g_test_add_func("/conf/nodeinfo/numa", testNodeInfoNuma);
    g_test_add_func("/conf/nodeinfo/flat", testNodeInfoFlat);
    g_test_add_func("/conf/nodeinfo/missing", testNodeInfoMissing);
    g_test_add_func("/conf/nodeinfo/host", testNodeInfoHost);
    return g_test_run();
}
