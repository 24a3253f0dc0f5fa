/*
 * conf_domain_test.c: behaviour of domain_conf.h that golden files cannot
 * show: generated UUIDs and MACs, secrets in the output, id on running
 * guests, schema validation on request, copies, lookups, enum names.
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include "util_error.h"
#include "util_uuid.h"
#include "domain_conf.h"
#include "domain_conf_metadata.h"

#define MINIMAL(extra)                                                         \
    "<domain type='kvm'><name>t</name><memory unit='MiB'>64</memory>"          \
    "<os><type>hvm</type></os>" extra "</domain>"

static domainDef *parseOk(const char *xml, unsigned int flags)
{
    domainDef *def = domainDefParseString(xml, flags);

    if (!def)
        g_error("parse failed: %s", errorGetLast()->message);
    return def;
}

static void testUUIDGenerated(void)
{
    g_autoptr(domainDef) a = parseOk(MINIMAL(""), 0);
    g_autoptr(domainDef) b = parseOk(MINIMAL(""), 0);

    g_assert_false(uuidIsNull(a->uuid));
    g_assert_true(memcmp(a->uuid, b->uuid, VMM_UUID_BUFLEN) != 0);
}

static void testContractFields(void)
{
    g_autoptr(domainDef) def = parseOk(
        "<domain type='xen'><name>n</name>"
        "<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
        "<title>T</title><description>D</description>"
        "<maxMemory slots='2' unit='GiB'>4</maxMemory>"
        "<memory unit='GiB'>1</memory><currentMemory unit='MiB'>512"
        "</currentMemory><vcpu current='2'>3</vcpu>"
        "<os><type arch='x86_64' machine='xenfv'>hvm</type></os></domain>",
        0);
    char uuid[VMM_UUID_STRING_BUFLEN];

    g_assert_cmpint(def->virtType, ==, DOMAIN_VIRT_XEN);
    g_assert_cmpstr(def->name, ==, "n");
    uuidFormat(def->uuid, uuid);
    g_assert_cmpstr(uuid, ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    g_assert_cmpstr(def->title, ==, "T");
    g_assert_cmpstr(def->description, ==, "D");
    g_assert_cmpuint(def->memory, ==, 1024 * 1024);
    g_assert_cmpuint(def->currentMemory, ==, 512 * 1024);
    g_assert_cmpuint(def->maxMemory, ==, 4 * 1024 * 1024);
    g_assert_cmpuint(def->maxMemorySlots, ==, 2);
    g_assert_cmpuint(def->vcpus, ==, 3);
    g_assert_cmpuint(def->vcpusCurrent, ==, 2);
    g_assert_cmpstr(def->os.type, ==, "hvm");
    g_assert_cmpstr(def->os.arch, ==, "x86_64");
    g_assert_cmpstr(def->os.machine, ==, "xenfv");
}

static void testDefaults(void)
{
    g_autoptr(domainDef) def = parseOk(MINIMAL(""), 0);

    g_assert_cmpuint(def->currentMemory, ==, def->memory);
    g_assert_cmpuint(def->vcpus, ==, 1);
    g_assert_cmpuint(def->vcpusCurrent, ==, 1);
    g_assert_cmpuint(def->maxMemory, ==, 0);
    g_assert_null(def->os.arch);
    g_assert_null(def->title);
    g_assert_cmpint(def->onPoweroff, ==, DOMAIN_LIFECYCLE_DESTROY);
    g_assert_cmpint(def->onReboot, ==, DOMAIN_LIFECYCLE_RESTART);
    g_assert_cmpint(def->onCrash, ==, DOMAIN_LIFECYCLE_DESTROY);
}

static void testSecure(void)
{
    g_autoptr(domainDef) def = parseOk(
        MINIMAL("<devices><graphics type='vnc' passwd='hunter2'/></devices>"),
        0);
    g_autofree char *plain = domainDefFormat(def, -1, 0);
    g_autofree char *secure =
        domainDefFormat(def, -1, DOMAIN_DEF_FORMAT_SECURE);
    g_autoptr(domainDef) copy = domainDefCopy(def);
    const domainGraphicsDef *gr = g_ptr_array_index(copy->devices.graphics, 0);

    g_assert_null(strstr(plain, "hunter2"));
    g_assert_nonnull(strstr(secure, "passwd='hunter2'"));
    g_assert_cmpstr(gr->passwd, ==, "hunter2");
}

static void testId(void)
{
    g_autoptr(domainDef) def = parseOk(MINIMAL(""), 0);
    g_autofree char *running = domainDefFormat(def, 7, 0);
    g_autofree char *inactive = domainDefFormat(def, -1, 0);
    g_autoptr(domainDef) again = parseOk(running, 0);

    g_assert_true(g_str_has_prefix(running, "<domain type='kvm' id='7'>\n"));
    g_assert_true(g_str_has_prefix(inactive, "<domain type='kvm'>\n"));
    g_assert_cmpstr(again->name, ==, "t");
}

static void testValidateFlag(void)
{
    /* The parser strips blanks around a UUID; the schema does not allow
     * them, so only a validating parse refuses this. */
    const char *xml = MINIMAL("<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f "
                              "</uuid>");
    g_autoptr(domainDef) lax = parseOk(xml, 0);
    g_autoptr(domainDef) strict =
        domainDefParseString(xml, DOMAIN_DEF_PARSE_VALIDATE);

    g_assert_null(strict);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_XML_INVALID_SCHEMA);
    errorReset();
}

static void testMacGenerated(void)
{
    g_autoptr(domainDef) def =
        parseOk(MINIMAL("<devices><interface type='user'/></devices>"), 0);
    const domainNetDef *net = g_ptr_array_index(def->devices.nets, 0);

    g_assert_nonnull(net->mac);
    g_assert_true(g_str_has_prefix(net->mac, "52:54:00:"));
    g_assert_cmpuint(strlen(net->mac), ==, 17);
    g_assert_true(domainDefFindNet(def, net->mac) == net);
    g_assert_null(domainDefFindNet(def, "52:54:00:ff:ff:ff:ff"));
}

static void testFindDisk(void)
{
    g_autoptr(domainDef) def = parseOk(
        MINIMAL("<devices><disk type='file'><source file='/a'/>"
                "<target dev='vda'/></disk><disk type='file'>"
                "<source file='/b'/><target dev='hdc'/></disk></devices>"),
        0);
    domainDiskDef *disk = domainDefFindDisk(def, "hdc");

    g_assert_nonnull(disk);
    g_assert_cmpstr(disk->src, ==, "/b");
    g_assert_cmpint(disk->bus, ==, DOMAIN_DISK_BUS_IDE);
    g_assert_null(domainDefFindDisk(def, "vdz"));
    g_assert_null(domainDefFindDisk(def, NULL));
}

static void testEnums(void)
{
    int i;

    for (i = 0; i < DOMAIN_VIRT_LAST; i++)
        g_assert_cmpint(domainVirtTypeFromString(domainVirtTypeToString(i)), ==,
                        i);
    g_assert_cmpint(domainVirtTypeFromString("kvm"), ==, DOMAIN_VIRT_KVM);
    g_assert_cmpint(domainVirtTypeFromString("lxc"), ==, -1);
    g_assert_cmpint(domainVirtTypeFromString(NULL), ==, -1);
    g_assert_null(domainVirtTypeToString(DOMAIN_VIRT_LAST));
    g_assert_null(domainVirtTypeToString(-1));
    g_assert_cmpstr(domainLifecycleActionToString(DOMAIN_LIFECYCLE_PRESERVE),
                    ==, "preserve");
    g_assert_cmpint(domainLifecycleActionFromString(""), ==, -1);
    g_assert_cmpstr(domainDiskBusToString(DOMAIN_DISK_BUS_SATA), ==, "sata");
    g_assert_cmpint(domainDiskBusFromString("virtio"), ==,
                    DOMAIN_DISK_BUS_VIRTIO);
}

static void testMetadataElements(void)
{
    g_autoptr(domainDef) def = parseOk(MINIMAL(""), 0);
    g_autofree char *got = NULL;
    g_autofree char *got2 = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(domainDef) again = NULL;

    g_assert_null(domainDefGetMetadataElement(def, "http://a/"));
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_NO_DOMAIN_METADATA);
    errorReset();

    g_assert_cmpint(domainDefSetMetadataElement(def, "<x y='1'><z/></x>", "app",
                                                "http://a/"),
                    ==, 0);
    g_assert_cmpint(
        domainDefSetMetadataElement(def, "<other/>", "b", "http://b/"), ==, 0);
    /* Replacing keeps one element per namespace. */
    g_assert_cmpint(
        domainDefSetMetadataElement(def, "<x y='2'/>", "app", "http://a/"), ==,
        0);
    got = domainDefGetMetadataElement(def, "http://a/");
    g_assert_cmpstr(got, ==, "<app:x xmlns:app=\"http://a/\" y=\"2\"/>");

    /* It survives a format / parse round trip. */
    xml = domainDefFormat(def, -1, 0);
    again = parseOk(xml, DOMAIN_DEF_PARSE_VALIDATE);
    got2 = domainDefGetMetadataElement(again, "http://b/");
    g_assert_cmpstr(got2, ==, "<b:other xmlns:b=\"http://b/\"/>");

    g_assert_cmpint(
        domainDefSetMetadataElement(def, "<bad", "app", "http://a/"), ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_XML_ERROR);
    errorReset();
    g_assert_cmpint(
        domainDefSetMetadataElement(def, "<x/>", "1bad", "http://a/"), ==, -1);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();

    g_assert_cmpint(domainDefSetMetadataElement(def, NULL, NULL, "http://a/"),
                    ==, 0);
    g_assert_cmpint(domainDefSetMetadataElement(def, NULL, NULL, "http://b/"),
                    ==, 0);
    g_assert_null(def->metadata);
}

static void testFreeNull(void)
{
    domainDefFree(NULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (!g_getenv("VMM_SCHEMA_DIR"))
        g_setenv("VMM_SCHEMA_DIR", VMM_SRC_SCHEMA_DIR, TRUE);
    g_test_add_func("/conf/domain/uuid-generated", testUUIDGenerated);
    g_test_add_func("/conf/domain/contract-fields", testContractFields);
    g_test_add_func("/conf/domain/defaults", testDefaults);
    g_test_add_func("/conf/domain/secure", testSecure);
    g_test_add_func("/conf/domain/id", testId);
    g_test_add_func("/conf/domain/validate-flag", testValidateFlag);
    g_test_add_func("/conf/domain/mac-generated", testMacGenerated);
    g_test_add_func("/conf/domain/find-disk", testFindDisk);
    g_test_add_func("/conf/domain/enums", testEnums);
    g_test_add_func("/conf/domain/metadata-elements", testMetadataElements);
    g_test_add_func("/conf/domain/free-null", testFreeNull);
    return g_test_run();
}
