/*
 * kvm_driver_node.c: host figures and the security model of the QEMU
 * driver (see kvm_driver_node.h). QEMU runs unconfined here: the model is
 * libvirt's "none" driver (model "none", DOI "0") and labels are empty,
 * which virsh dominfo shows as a model without a label line.
 */
#include <config.h>

#include <string.h>

#include "domain_obj.h"
#include "kvm_driver_node.h"
#include "kvm_driver_state.h"
#include "node_stats.h"

int kvmNodeGetCPUStats(vmmConnectPtr conn, int cpuNum,
                       vmmNodeCPUStatsPtr params, int *nparams,
                       unsigned int flags)
{
    if (kvmCheckFlags(flags, 0) < 0)
        return -1;
    return nodeGetCPUStats(cpuNum, params, nparams);
}

int kvmNodeGetCellsFreeMemory(vmmConnectPtr conn, unsigned long long *freeMems,
                              int startCell, int maxCells)
{
    return nodeGetCellsFreeMemory(freeMems, startCell, maxCells);
}

unsigned long long kvmNodeGetFreeMemory(vmmConnectPtr conn)
{
    return nodeGetFreeMemory();
}

int kvmNodeGetSecurityModel(vmmConnectPtr conn, vmmSecurityModelPtr secmodel)
{
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "none", sizeof(secmodel->model));
    g_strlcpy(secmodel->doi, "0", sizeof(secmodel->doi));
    return 0;
}

int kvmDomainGetSecurityLabel(vmmDomainPtr dom, vmmSecurityLabelPtr seclabel)
{
    domainObj *obj;

    if (!(obj = kvmDomainObjFromHandle(dom)))
        return -1;
    domainObjEndAPI(&obj);
    memset(seclabel, 0, sizeof(*seclabel));
    return 0;
}
