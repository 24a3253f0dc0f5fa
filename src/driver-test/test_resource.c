/*
 * test_resource.c: state, memory and vCPU calls of the test driver. The
 * numbers live only in the guest's definitions: the live one while it runs,
 * the stored one otherwise, both when the flags say so
 * (vmmDomainModificationImpact).
 */
#include <config.h>

#include "datatypes.h"
#include "test_domain.h"
#include "test_resource.h"
#include "test_state.h"
#include "util_error.h"

#define TEST_ERR VMM_FROM_TEST

/* <currentMemory> of @def; parsers may leave it 0 when it equals <memory>. */
static unsigned long long testCurrentMemory(const domainDef *def)
{
    return def->currentMemory ? def->currentMemory : def->memory;
}

/* libvirt's test driver gives every guest the host's clock as its CPU
 * time, so virsh shows a "CPU time:" line even for a shut off one (it
 * leaves the line out for 0). Running guests here count from their start;
 * a shut off one has the clock, as there. */
static unsigned long long testInfoCPUTime(domainObj *obj)
{
    if (!domainObjIsActive(obj))
        return (unsigned long long)g_get_real_time() * 1000ULL;
    return testDomainCPUTime(obj);
}

int testDomainGetInfo(vmmDomainPtr dom, vmmDomainInfoPtr info)
{
    domainObj *obj;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    info->state = obj->state;
    info->maxMem = obj->def->memory;
    info->memory = testCurrentMemory(obj->def);
    info->nrVirtCpu = obj->def->vcpusCurrent;
    info->cpuTime = testInfoCPUTime(obj);
    domainObjEndAPI(&obj);
    return 0;
}

int testDomainGetState(vmmDomainPtr dom, int *state, int *reason,
                       unsigned int flags)
{
    domainObj *obj;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    *state = obj->state;
    if (reason)
        *reason = obj->reason;
    domainObjEndAPI(&obj);
    return 0;
}

unsigned long testDomainGetMaxMemory(vmmDomainPtr dom)
{
    domainObj *obj;
    unsigned long memory;

    if (!(obj = testDomainObjFromHandle(dom)))
        return 0;
    memory = obj->def->memory;
    domainObjEndAPI(&obj);
    return memory;
}

/* Checks a new size against @def (NULL: not affected). */
static int testCheckMemory(const domainDef *def, unsigned long memory,
                           unsigned int flags)
{
    if (!def || (flags & VMM_DOMAIN_MEM_MAXIMUM))
        return 0;
    if (memory > def->memory) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "cannot set memory higher than max memory");
        return -1;
    }
    return 0;
}

static void testApplyMemory(domainDef *def, unsigned long memory,
                            unsigned int flags)
{
    if (!def)
        return;
    if (flags & VMM_DOMAIN_MEM_MAXIMUM) {
        def->memory = memory;
        if (testCurrentMemory(def) > memory)
            def->currentMemory = memory;
    } else {
        def->currentMemory = memory;
    }
}

static int testSetMemoryLocked(domainObj *obj, unsigned long memory,
                               unsigned int flags)
{
    domainDef *live;
    domainDef *config;

    if (domainObjGetDefs(obj, flags, false, &live, &config) < 0)
        return -1;
    if ((flags & VMM_DOMAIN_MEM_MAXIMUM) && live) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot resize the maximum memory on an active domain");
        return -1;
    }
    if (testCheckMemory(live, memory, flags) < 0 ||
        testCheckMemory(config, memory, flags) < 0)
        return -1;
    /* Valid: now split the stored definition off if needed and change. */
    domainObjGetDefs(obj, flags, true, &live, &config);
    testApplyMemory(live, memory, flags);
    testApplyMemory(config, memory, flags);
    return 0;
}

int testDomainSetMemoryFlags(vmmDomainPtr dom, unsigned long memory,
                             unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (testCheckFlags(flags, VMM_DOMAIN_MEM_LIVE | VMM_DOMAIN_MEM_CONFIG |
                                  VMM_DOMAIN_MEM_MAXIMUM) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    ret = testSetMemoryLocked(obj, memory, flags);
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainSetMaxMemory(vmmDomainPtr dom, unsigned long memory)
{
    return testDomainSetMemoryFlags(dom, memory, VMM_DOMAIN_MEM_MAXIMUM);
}

static int testCheckVcpus(const domainDef *def, unsigned int nvcpus,
                          unsigned int flags)
{
    if (!def || (flags & VMM_DOMAIN_VCPU_MAXIMUM))
        return 0;
    if (nvcpus > def->vcpus) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "requested cpu amount exceeds maximum (%u > %u)", nvcpus,
                    def->vcpus);
        return -1;
    }
    return 0;
}

static void testApplyVcpus(domainDef *def, unsigned int nvcpus,
                           unsigned int flags)
{
    if (!def)
        return;
    if (flags & VMM_DOMAIN_VCPU_MAXIMUM) {
        def->vcpus = nvcpus;
        if (def->vcpusCurrent > nvcpus)
            def->vcpusCurrent = nvcpus;
    } else {
        def->vcpusCurrent = nvcpus;
    }
}

static int testSetVcpusLocked(domainObj *obj, unsigned int nvcpus,
                              unsigned int flags)
{
    domainDef *live;
    domainDef *config;

    if (domainObjGetDefs(obj, flags, false, &live, &config) < 0)
        return -1;
    if ((flags & VMM_DOMAIN_VCPU_MAXIMUM) && live) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot change the maximum vCPU count of an active "
                    "domain");
        return -1;
    }
    if (testCheckVcpus(live, nvcpus, flags) < 0 ||
        testCheckVcpus(config, nvcpus, flags) < 0)
        return -1;
    domainObjGetDefs(obj, flags, true, &live, &config);
    testApplyVcpus(live, nvcpus, flags);
    testApplyVcpus(config, nvcpus, flags);
    return 0;
}

int testDomainSetVcpusFlags(vmmDomainPtr dom, unsigned int nvcpus,
                            unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (testCheckFlags(flags, VMM_DOMAIN_VCPU_LIVE | VMM_DOMAIN_VCPU_CONFIG |
                                  VMM_DOMAIN_VCPU_MAXIMUM |
                                  VMM_DOMAIN_VCPU_HOTPLUGGABLE) < 0)
        return -1;
    if (nvcpus == 0) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "argument 'nvcpus' must be at least 1");
        return -1;
    }
    if (nvcpus > TEST_MAX_VCPUS) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "requested cpu amount exceeds maximum supported amount "
                    "(%u > %d)",
                    nvcpus, TEST_MAX_VCPUS);
        return -1;
    }
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    ret = testSetVcpusLocked(obj, nvcpus, flags);
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainGetVcpusFlags(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    domainDef *def;
    int ret = -1;

    if (testCheckFlags(flags, VMM_DOMAIN_VCPU_LIVE | VMM_DOMAIN_VCPU_CONFIG |
                                  VMM_DOMAIN_VCPU_MAXIMUM) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if ((def = domainObjGetOneDef(obj, flags)))
        ret =
            (flags & VMM_DOMAIN_VCPU_MAXIMUM) ? def->vcpus : def->vcpusCurrent;
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainGetMaxVcpus(vmmDomainPtr dom)
{
    return testDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_LIVE |
                                            VMM_DOMAIN_VCPU_MAXIMUM);
}
