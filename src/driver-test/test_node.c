/*
 * test_node.c: host figures and security model of the test driver (see
 * test_node.h). The numbers are libvirt's test driver's: four CPU
 * counters, NUMA cell N with (N + 1) * 2 MiB free when asked per cell but
 * (N + 1) MiB counted in the host's total, a model "testSecurity" with an
 * empty DOI, and the label "libvirt-test" (enforcing) on running guests.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "test_domain.h"
#include "test_node.h"
#include "test_state.h"
#include "util_error.h"

#define TEST_ERR VMM_FROM_TEST

static testState *testStateOf(vmmConnectPtr conn)
{
    return conn->privateData;
}

typedef struct {
    const char *field;
    unsigned long long value;
} testCPUStat;

static const testCPUStat testCPUStats[] = {
    {VMM_NODE_CPU_STATS_USER, 9797400000ULL},
    {VMM_NODE_CPU_STATS_KERNEL, 34678723400000ULL},
    {VMM_NODE_CPU_STATS_IDLE, 87264900000ULL},
    {VMM_NODE_CPU_STATS_IOWAIT, 763600000ULL},
};

int testNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                        vmmNodeCPUStatsPtr params, int *nparams,
                        unsigned int flags)
{
    int n = G_N_ELEMENTS(testCPUStats);

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!params) {
        *nparams = n;
        return 0;
    }
    n = MIN(n, *nparams);
    for (int i = 0; i < n; i++) {
        memset(&params[i], 0, sizeof(params[i]));
        g_strlcpy(params[i].field, testCPUStats[i].field,
                  sizeof(params[i].field));
        params[i].value = testCPUStats[i].value;
    }
    *nparams = n;
    return 0;
}

static int testCellCount(vmmConnectPtr conn)
{
    int nodes = (int)testStateOf(conn)->nodeInfo.nodes;

    return nodes > 0 ? nodes : 1;
}

int testNodeGetCellsFreeMemory(vmmConnectPtr conn, unsigned long long *freeMems,
                               int startCell, int maxCells)
{
    int cells = testCellCount(conn);
    int n = 0;

    if (startCell >= cells) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "Range exceeds available cells");
        return -1;
    }
    for (int cell = startCell; cell < cells && n < maxCells; cell++)
        freeMems[n++] = (unsigned long long)(cell + 1) * 2048 * 1024;
    return n;
}

unsigned long long testNodeGetFreeMemory(vmmConnectPtr conn)
{
    unsigned long long total = 0;

    for (int cell = 0; cell < testCellCount(conn); cell++)
        total += (unsigned long long)(cell + 1) * 1024 * 1024;
    return total;
}

int testNodeGetSecurityModel(vmmConnectPtr conn, vmmSecurityModelPtr secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "testSecurity", sizeof(secmodel->model));
    return 0;
}

int testDomainGetSecurityLabel(vmmDomainPtr dom, vmmSecurityLabelPtr seclabel)
{
    domainObj *obj;
    bool active;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    active = domainObjIsActive(obj);
    domainObjEndAPI(&obj);
    memset(seclabel, 0, sizeof(*seclabel));
    if (active) {
        g_strlcpy(seclabel->label, "libvirt-test", sizeof(seclabel->label));
        seclabel->enforcing = 1;
    }
    return 0;
}
