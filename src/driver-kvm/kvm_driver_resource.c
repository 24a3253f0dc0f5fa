/*
 * kvm_driver_resource.c: memory of a running QEMU guest through its
 * virtio balloon (QMP "balloon", in bytes). The guest gives the memory
 * back at its own pace; the domain reports the target it was given, as
 * its <currentMemory>. Changes of the stored definition (--config, the
 * maximum) are kvm_driver_domain.c's, called from here.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "kvm_driver_domain.h"
#include "kvm_driver_lifecycle.h"
#include "kvm_driver_resource.h"
#include "kvm_driver_state.h"
#include "util_error.h"

/* Whether @flags (vmmDomainMemoryModFlags) affect the running QEMU of
 * @obj (locked): LIVE, or CURRENT while it runs. */
static bool kvmResourceAffectsLive(domainObj *obj, unsigned int flags)
{
    if (flags & VMM_DOMAIN_MEM_LIVE)
        return true;
    return !(flags & VMM_DOMAIN_MEM_CONFIG) && domainObjIsActive(obj);
}

static bool kvmResourceHasBalloon(const domainDef *def)
{
    const domainMemballoonDef *mb = def->devices.memballoon;

    return mb && mb->model && strcmp(mb->model, "virtio") == 0;
}

/* Sets the balloon target of @obj (locked, job held, active) to @memory
 * KiB. */
static int kvmResourceBalloonLocked(domainObj *obj, unsigned long memory)
{
    g_autoptr(jsonValue) args = jsonValueNewObject();

    if (!kvmResourceHasBalloon(obj->def)) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "Unable to change memory of active domain without the "
                    "balloon device: add <memballoon model='virtio'/>");
        return -1;
    }
    if (memory > obj->def->memory) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "cannot set memory higher than max memory");
        return -1;
    }
    jsonObjectAppendNumberUint64(args, "value", (guint64)memory * 1024);
    if (kvmLifecycleMonitorRun(obj, "balloon", args, NULL) < 0)
        return -1;
    obj->def->currentMemory = memory;
    kvmLifecycleSaveStatus(obj);
    return 0;
}

static int kvmResourceSetLiveMemory(vmmDomainPtr dom, unsigned long memory,
                                    unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (flags & VMM_DOMAIN_MEM_MAXIMUM) {
        errorReport(KVM_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot resize the maximum memory on an active domain");
        return -1;
    }
    if (!(obj = kvmLifecycleBeginActive(dom)))
        return -1;
    ret = kvmResourceBalloonLocked(obj, memory);
    kvmLifecycleEndAPI(&obj, true);
    return ret;
}

int kvmResourceSetMemoryFlags(vmmDomainPtr dom, unsigned long memory,
                              unsigned int flags)
{
    domainObj *obj;
    bool live;

    if (kvmCheckFlags(flags, VMM_DOMAIN_MEM_LIVE | VMM_DOMAIN_MEM_CONFIG |
                                 VMM_DOMAIN_MEM_MAXIMUM) < 0)
        return -1;
    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    live = kvmResourceAffectsLive(obj, flags);
    domainObjEndAPI(&obj);
    if (!live)
        return kvmDomainSetMemoryFlags(dom, memory, flags);
    /* The running guest first: when it refuses, the config stays. */
    if (kvmResourceSetLiveMemory(dom, memory, flags) < 0)
        return -1;
    if (flags & VMM_DOMAIN_MEM_CONFIG)
        return kvmDomainSetMemoryFlags(dom, memory,
                                       flags & ~VMM_DOMAIN_MEM_LIVE);
    return 0;
}
