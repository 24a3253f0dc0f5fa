/*
 * test_vcpu.c: vCPUs of the test driver's domains, on its fixed host.
 * A running domain's vCPUs share its CPU time evenly and may run on every
 * host CPU until pinned; pinning is live only, kept in the domain's
 * private data, as definitions here have no <cputune>.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "test_domain.h"
#include "test_state.h"
#include "test_vcpu.h"
#include "util_error.h"

#define TEST_ERR VMM_FROM_TEST

#define TEST_VCPU_AFFECT (VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG)

/* libvirt's test driver sizes CPU maps for 8 host CPUs of which 0, 2 and
 * 4 are online, whatever its node info says; virsh's vcpuinfo and
 * vcpupin print those maps, so ours are the same. */
#define TEST_MAP_CPUS 8
static const unsigned int testOnlineCPUs[] = {0, 2, 4};

static int testHostCPUs(vmmConnectPtr conn)
{
    return TEST_MAP_CPUS;
}

int testNodeGetCPUMap(vmmConnectPtr conn, unsigned char **cpumap,
                      unsigned int *online, unsigned int flags)
{
    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (cpumap) {
        /* The caller frees it with free(); glib's allocator is malloc's. */
        *cpumap = g_malloc0(VMM_CPU_MAPLEN(TEST_MAP_CPUS));
        for (size_t i = 0; i < G_N_ELEMENTS(testOnlineCPUs); i++)
            VMM_USE_CPU(*cpumap, testOnlineCPUs[i]);
    }
    if (online)
        *online = G_N_ELEMENTS(testOnlineCPUs);
    return TEST_MAP_CPUS;
}

/* vCPU @vcpu's map (@maplen bytes) of @obj: its pinning, else every host
 * CPU of @ncpus. */
static void testVcpuMap(domainObj *obj, unsigned int vcpu, int ncpus,
                        unsigned char *map, int maplen)
{
    testDomainPriv *priv = testDomainPrivGet(obj);
    GBytes *pin = priv->vcpuPins ? g_hash_table_lookup(priv->vcpuPins,
                                                       GUINT_TO_POINTER(vcpu))
                                 : NULL;

    memset(map, 0, maplen);
    if (pin) {
        gsize len;
        const void *data = g_bytes_get_data(pin, &len);

        memcpy(map, data, MIN(len, (gsize)maplen));
        return;
    }
    for (int cpu = 0; cpu < ncpus && cpu < maplen * 8; cpu++)
        VMM_USE_CPU(map, cpu);
}

int testDomainGetVcpus(vmmDomainPtr dom, vmmVcpuInfoPtr info, int maxinfo,
                       unsigned char *cpumaps, int maplen)
{
    int ncpus = testHostCPUs(dom->conn);
    domainObj *obj;
    unsigned long long time;
    int n;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    n = MIN(maxinfo, (int)obj->def->vcpusCurrent);
    time = testDomainCPUTime(obj) / MAX(n, 1);
    for (int i = 0; i < n; i++) {
        info[i].number = i;
        info[i].state = VMM_VCPU_RUNNING;
        info[i].cpuTime = time;
        info[i].cpu = i % ncpus;
        if (cpumaps)
            testVcpuMap(obj, i, ncpus, VMM_GET_CPUMAP(cpumaps, maplen, i),
                        maplen);
    }
    domainObjEndAPI(&obj);
    return n;
}

static int testPinLocked(domainObj *obj, unsigned int vcpu,
                         const unsigned char *cpumap, int maplen,
                         unsigned int flags)
{
    testDomainPriv *priv;
    domainDef *live;
    domainDef *config;

    if (domainObjGetDefs(obj, flags, false, &live, &config) < 0)
        return -1;
    if (config) {
        errorReport(TEST_ERR, VMM_ERR_CONFIG_UNSUPPORTED,
                    "vCPU pinning is live only: the stored definition "
                    "cannot hold <cputune>");
        return -1;
    }
    if (vcpu >= live->vcpusCurrent) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "requested vcpu '%u' is not present in the domain", vcpu);
        return -1;
    }
    priv = testDomainPrivGet(obj);
    if (!priv->vcpuPins)
        priv->vcpuPins = g_hash_table_new_full(NULL, NULL, NULL,
                                               (GDestroyNotify)g_bytes_unref);
    g_hash_table_replace(priv->vcpuPins, GUINT_TO_POINTER(vcpu),
                         g_bytes_new(cpumap, maplen));
    return 0;
}

int testDomainPinVcpuFlags(vmmDomainPtr dom, unsigned int vcpu,
                           unsigned char *cpumap, int maplen,
                           unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (testCheckFlags(flags, TEST_VCPU_AFFECT) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    ret = testPinLocked(obj, vcpu, cpumap, maplen, flags);
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainGetVcpuPinInfo(vmmDomainPtr dom, int ncpumaps,
                             unsigned char *cpumaps, int maplen,
                             unsigned int flags)
{
    int ncpus = testHostCPUs(dom->conn);
    domainObj *obj;
    domainDef *def;
    bool live;
    int n = -1;

    if (testCheckFlags(flags, TEST_VCPU_AFFECT) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if ((def = domainObjGetOneDef(obj, flags))) {
        live = (flags & VMM_DOMAIN_AFFECT_LIVE) ||
               (!(flags & VMM_DOMAIN_AFFECT_CONFIG) && domainObjIsActive(obj));
        n = MIN(ncpumaps, (int)def->vcpus);
        for (int i = 0; i < n; i++) {
            unsigned char *map = VMM_GET_CPUMAP(cpumaps, maplen, i);

            if (live)
                testVcpuMap(obj, i, ncpus, map, maplen);
            else
                testVcpuMap(obj, G_MAXUINT, ncpus, map, maplen);
        }
    }
    domainObjEndAPI(&obj);
    return n;
}
