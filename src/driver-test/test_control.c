/*
 * test_control.c: hard reset, control state and memory statistics of the
 * test driver's guests. There is no guest to ask, so the statistics are
 * made up from the balloon size the way libvirt's test driver makes them
 * up (fractions of <currentMemory>), which lets clients' layouts be
 * compared with libvirtd's.
 */
#include <config.h>

#include "datatypes.h"
#include "test_control.h"
#include "test_domain.h"
#include "test_state.h"
#include "util_error.h"

#define TEST_ERR VMM_FROM_TEST

/* The fixed "last update" time libvirt's test driver reports. */
#define TEST_STATS_LAST_UPDATE 627319920ULL

/* Returns @dom's object, locked, when it runs; NULL with an error. */
static domainObj *testActiveObj(vmmDomainPtr dom)
{
    domainObj *obj;

    if (!(obj = testDomainObjFromHandle(dom)))
        return NULL;
    if (domainObjCheckActive(obj) < 0) {
        domainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

/* Nothing to reset in a guest that does not exist: it only has to run. */
int testDomainReset(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = testActiveObj(dom)))
        return -1;
    domainObjEndAPI(&obj);
    return 0;
}

/* Test jobs finish within their call, so the monitor is always free. */
int testDomainGetControlInfo(vmmDomainPtr dom, vmmDomainControlInfoPtr info,
                             unsigned int flags)
{
    domainObj *obj;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = testActiveObj(dom)))
        return -1;
    *info = (vmmDomainControlInfo){.state = VMM_DOMAIN_CONTROL_OK};
    domainObjEndAPI(&obj);
    return 0;
}

static bool testHasBalloon(const domainDef *def)
{
    const domainMemballoonDef *mb = def->devices.memballoon;

    return mb && g_strcmp0(mb->model, "none") != 0;
}

/* Appends tag @tag = @val to @stats when there is room. */
static void testStatAdd(vmmDomainMemoryStatPtr stats, unsigned int nr,
                        unsigned int *n, int tag, unsigned long long val)
{
    if (*n >= nr)
        return;
    stats[*n].tag = tag;
    stats[*n].val = val;
    (*n)++;
}

int testDomainMemoryStats(vmmDomainPtr dom, vmmDomainMemoryStatPtr stats,
                          unsigned int nr, unsigned int flags)
{
    unsigned long long cur;
    unsigned int n = 0;
    domainObj *obj;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = testActiveObj(dom)))
        return -1;
    if (!testHasBalloon(obj->def)) {
        domainObjEndAPI(&obj);
        return 0;
    }
    cur = obj->def->currentMemory ? obj->def->currentMemory : obj->def->memory;
    /* libvirt's order, which virsh prints as is. */
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_SWAP_IN, 0);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_SWAP_OUT, 0);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 0);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_MINOR_FAULT, 0);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_UNUSED, cur / 2);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_AVAILABLE, cur);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_USABLE, cur / 2);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_LAST_UPDATE,
                TEST_STATS_LAST_UPDATE);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_DISK_CACHES, cur / 8);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 0);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 0);
    testStatAdd(stats, nr, &n, VMM_DOMAIN_MEMORY_STAT_RSS, cur / 2);
    domainObjEndAPI(&obj);
    return n;
}

int testDomainSetMemoryStatsPeriod(vmmDomainPtr dom, int period,
                                   unsigned int flags)
{
    domainDef *live = NULL;
    domainDef *config = NULL;
    domainDef *def;
    domainObj *obj;
    int ret = -1;

    if (testCheckFlags(flags,
                       VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    /* As libvirt's: one definition at a time. */
    if (!(def = domainObjGetOneDef(obj, flags)))
        goto out;
    if (!testHasBalloon(def)) {
        errorReport(TEST_ERR, VMM_ERR_INTERNAL_ERROR,
                    "No memory balloon device configured, can not set the "
                    "collection period");
        goto out;
    }
    /* Split the stored definition of a running guest off first. */
    domainObjGetDefs(obj, flags, true, &live, &config);
    def = live ? live : config;
    def->devices.memballoon->period = period;
    ret = 0;
out:
    domainObjEndAPI(&obj);
    return ret;
}
