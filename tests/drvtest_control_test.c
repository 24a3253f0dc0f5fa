/*
 * drvtest_control_test.c: reset, control state and memory statistics
 * through the public API against the test driver: the made-up statistics
 * of a guest with a balloon (libvirt's test driver figures), none without
 * one, the stats period in the live and stored definitions, and what a
 * shut off guest answers; the host's CPU counters, free memory per NUMA
 * cell and security model, and a guest's security label.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vmm/vmm.h>

typedef struct {
    vmmConnectPtr conn;
    vmmDomainPtr dom; /* "test", running, 2 GiB balloon */
} Fixture;

static const char noBalloonXML[] =
    "<domain type='test'><name>nob</name>"
    "<memory unit='KiB'>131072</memory><vcpu>1</vcpu>"
    "<os><type>hvm</type></os></domain>";

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

static void testReset(Fixture *f, gconstpointer data)
{
    int state = -1, reason = -1;

    g_assert_cmpint(vmmDomainReset(f->dom, 0), ==, 0);
    g_assert_cmpint(vmmDomainGetState(f->dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpint(vmmDomainReset(f->dom, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
}

static void testControlInfo(Fixture *f, gconstpointer data)
{
    vmmDomainControlInfo info = {.state = 99, .details = 99, .stateTime = 9};

    g_assert_cmpint(vmmDomainGetControlInfo(f->dom, &info, 0), ==, 0);
    g_assert_cmpuint(info.state, ==, VMM_DOMAIN_CONTROL_OK);
    g_assert_cmpuint(info.details, ==, 0);
    g_assert_cmpuint(info.stateTime, ==, 0);
}

static void testMemoryStats(Fixture *f, gconstpointer data)
{
    vmmDomainMemoryStat stats[VMM_DOMAIN_MEMORY_STAT_NR + 3];
    int n;

    n = vmmDomainMemoryStats(f->dom, stats, G_N_ELEMENTS(stats), 0);
    g_assert_cmpint(n, ==, VMM_DOMAIN_MEMORY_STAT_NR);
    g_assert_cmpint(stats[0].tag, ==, VMM_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON);
    g_assert_cmpuint(stats[0].val, ==, 2097152);
    g_assert_cmpint(stats[n - 1].tag, ==, VMM_DOMAIN_MEMORY_STAT_RSS);
    g_assert_cmpuint(stats[n - 1].val, ==, 1048576);
    /* A smaller buffer gets the first ones. */
    memset(stats, 0, sizeof(stats));
    g_assert_cmpint(vmmDomainMemoryStats(f->dom, stats, 2, 0), ==, 2);
    g_assert_cmpint(stats[1].tag, ==, VMM_DOMAIN_MEMORY_STAT_SWAP_IN);
    g_assert_cmpint(stats[2].tag, ==, 0);
    g_assert_cmpuint(stats[2].val, ==, 0);
}

static void testNoBalloon(Fixture *f, gconstpointer data)
{
    vmmDomainMemoryStat stats[VMM_DOMAIN_MEMORY_STAT_NR];
    vmmDomainPtr dom = vmmDomainCreateXML(f->conn, noBalloonXML, 0);

    g_assert_nonnull(dom);
    g_assert_cmpint(vmmDomainMemoryStats(dom, stats, G_N_ELEMENTS(stats), 0),
                    ==, 0);
    g_assert_cmpint(vmmDomainSetMemoryStatsPeriod(dom, 5, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INTERNAL_ERROR);
    g_assert_cmpint(vmmDomainDestroy(dom), ==, 0);
    vmmDomainFree(dom);
}

static void testPeriod(Fixture *f, gconstpointer data)
{
    g_autofree char *live = NULL;
    g_autofree char *config = NULL;

    g_assert_cmpint(
        vmmDomainSetMemoryStatsPeriod(f->dom, 4, VMM_DOMAIN_AFFECT_LIVE), ==,
        0);
    live = vmmDomainGetXMLDesc(f->dom, 0);
    g_assert_nonnull(strstr(live, "<stats period='4'/>"));
    config = vmmDomainGetXMLDesc(f->dom, VMM_DOMAIN_XML_INACTIVE);
    g_assert_null(strstr(config, "<stats period="));
    /* LIVE and CONFIG at once name two definitions. */
    g_assert_cmpint(vmmDomainSetMemoryStatsPeriod(f->dom, 4,
                                                  VMM_DOMAIN_AFFECT_LIVE |
                                                      VMM_DOMAIN_AFFECT_CONFIG),
                    ==, -1);
    g_assert_cmpint(
        vmmDomainSetMemoryStatsPeriod(f->dom, 0, VMM_DOMAIN_AFFECT_LIVE), ==,
        0);
}

static void testShutOff(Fixture *f, gconstpointer data)
{
    vmmDomainMemoryStat stats[2];
    vmmDomainControlInfo info;

    g_assert_cmpint(vmmDomainDestroy(f->dom), ==, 0);
    g_assert_cmpint(vmmDomainReset(f->dom, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmDomainGetControlInfo(f->dom, &info, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmDomainMemoryStats(f->dom, stats, 2, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmDomainCreate(f->dom), ==, 0);
}

static void testCPUStats(Fixture *f, gconstpointer data)
{
    vmmNodeCPUStats params[8];
    int n = 0;

    g_assert_cmpint(vmmNodeGetCPUStats(f->conn, -1, NULL, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 4);
    n = G_N_ELEMENTS(params);
    g_assert_cmpint(vmmNodeGetCPUStats(f->conn, 0, params, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpstr(params[0].field, ==, VMM_NODE_CPU_STATS_USER);
    g_assert_cmpuint(params[0].value, ==, 9797400000ULL);
    g_assert_cmpstr(params[1].field, ==, VMM_NODE_CPU_STATS_KERNEL);
    n = 2;
    g_assert_cmpint(vmmNodeGetCPUStats(f->conn, -1, params, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 2);
    /* params and *nparams must agree. */
    g_assert_cmpint(vmmNodeGetCPUStats(f->conn, -1, NULL, &n, 0), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
}

static void testFreeMemory(Fixture *f, gconstpointer data)
{
    unsigned long long cells[4] = {0};

    g_assert_cmpint(vmmNodeGetCellsFreeMemory(f->conn, cells, 0, 4), ==, 2);
    g_assert_cmpuint(cells[0], ==, 2048 * 1024);
    g_assert_cmpuint(cells[1], ==, 4096 * 1024);
    g_assert_cmpint(vmmNodeGetCellsFreeMemory(f->conn, cells, 1, 1), ==, 1);
    g_assert_cmpuint(cells[0], ==, 4096 * 1024);
    g_assert_cmpint(vmmNodeGetCellsFreeMemory(f->conn, cells, 2, 1), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    /* libvirt's test driver counts 1 + 2 MiB here. */
    g_assert_cmpuint(vmmNodeGetFreeMemory(f->conn), ==, 3 * 1024 * 1024);
}

static void testSecurity(Fixture *f, gconstpointer data)
{
    vmmSecurityModel model;
    vmmSecurityLabel label;

    g_assert_cmpint(vmmNodeGetSecurityModel(f->conn, &model), ==, 0);
    g_assert_cmpstr(model.model, ==, "testSecurity");
    g_assert_cmpstr(model.doi, ==, "");
    g_assert_cmpint(vmmDomainGetSecurityLabel(f->dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "libvirt-test");
    g_assert_cmpint(label.enforcing, ==, 1);
    /* A guest that does not run has no label. */
    g_assert_cmpint(vmmDomainDestroy(f->dom), ==, 0);
    g_assert_cmpint(vmmDomainGetSecurityLabel(f->dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "");
    g_assert_cmpint(vmmDomainCreate(f->dom), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, func)                                                        \
    g_test_add(path, Fixture, NULL, fixtureSetUp, func, fixtureTearDown)
    ADD("/drvtest/control/reset", testReset);
    ADD("/drvtest/control/control-info", testControlInfo);
    ADD("/drvtest/control/memory-stats", testMemoryStats);
    ADD("/drvtest/control/no-balloon", testNoBalloon);
    ADD("/drvtest/control/period", testPeriod);
    ADD("/drvtest/control/shut-off", testShutOff);
    ADD("/drvtest/node/cpu-stats", testCPUStats);
    ADD("/drvtest/node/free-memory", testFreeMemory);
    ADD("/drvtest/node/security", testSecurity);
#undef ADD
    return g_test_run();
}
