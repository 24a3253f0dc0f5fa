/*
 * drvtest_vcpu_test.c: the vCPU calls through the public API against the
 * test driver: the host CPU map, vmmDomainGetVcpus, live pinning with
 * vmmDomainPinVcpuFlags / vmmDomainPinVcpu seen by vmmDomainGetVcpus and
 * vmmDomainGetVcpuPinInfo, and the argument checks of the API layer.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vmm/vmm.h>

typedef struct {
    vmmConnectPtr conn;
    vmmDomainPtr dom; /* "test", running with 2 vCPUs */
} Fixture;

static void fixtureSetUp(Fixture *f, gconstpointer data)
{
    if (!(f->conn = vmmConnectOpen("test:///default")))
        g_error("cannot open test:///default: %s", vmmGetLastErrorMessage());
    if (!(f->dom = vmmDomainLookupByName(f->conn, "test")))
        g_error("no domain 'test': %s", vmmGetLastErrorMessage());
}

static void fixtureTearDown(Fixture *f, gconstpointer data)
{
    vmmDomainFree(f->dom);
    vmmConnectClose(f->conn);
}

static void testNodeMap(Fixture *f, gconstpointer data)
{
    unsigned char *map = NULL;
    unsigned int online = 0;
    int n;

    n = vmmNodeGetCPUMap(f->conn, &map, &online, 0);
    g_assert_cmpint(n, ==, 8);
    g_assert_cmpuint(online, ==, 3);
    g_assert_cmpint(map[0], ==, 0x15);
    free(map);
    g_assert_cmpint(vmmNodeGetCPUMap(f->conn, NULL, NULL, 0), ==, 8);
    g_assert_cmpint(vmmNodeGetCPUMap(f->conn, NULL, NULL, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
}

static void testGetVcpus(Fixture *f, gconstpointer data)
{
    vmmVcpuInfo info[4];
    unsigned char maps[4];
    int n;

    memset(maps, 0, sizeof(maps));
    n = vmmDomainGetVcpus(f->dom, info, 4, maps, 1);
    g_assert_cmpint(n, ==, 2);
    for (int i = 0; i < n; i++) {
        g_assert_cmpuint(info[i].number, ==, i);
        g_assert_cmpint(info[i].state, ==, VMM_VCPU_RUNNING);
        g_assert_cmpint(maps[i], ==, 0xff);
    }
    /* Fewer asked than there are; no maps. */
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 1, NULL, 0), ==, 1);
}

static void testPin(Fixture *f, gconstpointer data)
{
    unsigned char map = 0x04; /* host CPU 2 */
    unsigned char maps[2];
    vmmVcpuInfo info[2];

    g_assert_cmpint(
        vmmDomainPinVcpuFlags(f->dom, 1, &map, 1, VMM_DOMAIN_AFFECT_LIVE), ==,
        0);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 2, maps, 1), ==, 2);
    g_assert_cmpint(maps[0], ==, 0xff);
    g_assert_cmpint(maps[1], ==, 0x04);
    memset(maps, 0, sizeof(maps));
    g_assert_cmpint(vmmDomainGetVcpuPinInfo(f->dom, 2, maps, 1, 0), ==, 2);
    g_assert_cmpint(maps[1], ==, 0x04);
    /* The stored definition has no pinning. */
    g_assert_cmpint(
        vmmDomainGetVcpuPinInfo(f->dom, 2, maps, 1, VMM_DOMAIN_AFFECT_CONFIG),
        ==, 2);
    g_assert_cmpint(maps[1], ==, 0xff);
    map = 0x01;
    g_assert_cmpint(vmmDomainPinVcpu(f->dom, 1, &map, 1), ==, 0);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 2, maps, 1), ==, 2);
    g_assert_cmpint(maps[1], ==, 0x01);

    g_assert_cmpint(
        vmmDomainPinVcpuFlags(f->dom, 1, &map, 1, VMM_DOMAIN_AFFECT_CONFIG), ==,
        -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpint(vmmDomainPinVcpuFlags(f->dom, 7, &map, 1, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
}

static void testArgs(Fixture *f, gconstpointer data)
{
    vmmVcpuInfo info[2];
    unsigned char maps[2];

    g_assert_cmpint(vmmDomainGetVcpus(NULL, info, 2, maps, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_DOMAIN);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, NULL, 2, maps, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 0, maps, 1), ==, -1);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 2, NULL, 1), ==, -1);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 2, maps, 0), ==, -1);
    g_assert_cmpint(vmmDomainPinVcpuFlags(f->dom, 0, NULL, 1, 0), ==, -1);
    g_assert_cmpint(vmmDomainPinVcpuFlags(f->dom, 0, maps, 0, 0), ==, -1);
    g_assert_cmpint(vmmDomainPinVcpuFlags(f->dom, 0, maps, 1, 1u << 5), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmDomainGetVcpuPinInfo(f->dom, 2, maps, 1,
                                            VMM_DOMAIN_AFFECT_LIVE |
                                                VMM_DOMAIN_AFFECT_CONFIG),
                    ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmDomainGetVcpuPinInfo(f->dom, 0, maps, 1, 0), ==, -1);
}

static void testShutOff(Fixture *f, gconstpointer data)
{
    vmmVcpuInfo info[2];
    unsigned char maps[2];
    unsigned char map = 1;

    g_assert_cmpint(vmmDomainDestroy(f->dom), ==, 0);
    g_assert_cmpint(vmmDomainGetVcpus(f->dom, info, 2, maps, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmDomainPinVcpuFlags(f->dom, 0, &map, 1, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpint(vmmDomainGetVcpuPinInfo(f->dom, 2, maps, 1, 0), ==, 2);
    g_assert_cmpint(vmmDomainCreate(f->dom), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, func)                                                        \
    g_test_add(path, Fixture, NULL, fixtureSetUp, func, fixtureTearDown)
    ADD("/drvtest/vcpu/node-map", testNodeMap);
    ADD("/drvtest/vcpu/get-vcpus", testGetVcpus);
    ADD("/drvtest/vcpu/pin", testPin);
    ADD("/drvtest/vcpu/args", testArgs);
    ADD("/drvtest/vcpu/shut-off", testShutOff);
#undef ADD
    return g_test_run();
}
