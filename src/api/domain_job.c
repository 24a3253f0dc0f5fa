/*
 * domain_job.c: the public entry points of domain jobs (vmm-domain.h)
 * and the conversion of a job's progress into typed parameters that
 * drivers and the API layer share (domain_job.h).
 */
#include <config.h>

#include "api_entry.h"
#include "domain_job.h"
#include "driver.h"

#define JOB_STATS_FLAGS                                                        \
    (VMM_DOMAIN_JOB_STATS_COMPLETED | VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED)

void domainJobInfoToParams(const vmmDomainJobInfo *info, int operation,
                           typedParamList *list)
{
    if (info->type == VMM_DOMAIN_JOB_NONE)
        return;
    if (operation != VMM_DOMAIN_JOB_OPERATION_UNKNOWN)
        typedParamListAddInt(list, operation, VMM_DOMAIN_JOB_OPERATION);
    typedParamListAddULLong(list, info->timeElapsed,
                            VMM_DOMAIN_JOB_TIME_ELAPSED);
    /* Only a bounded job that can tell (not 0) has a time remaining. */
    if (info->type == VMM_DOMAIN_JOB_BOUNDED && info->timeRemaining)
        typedParamListAddULLong(list, info->timeRemaining,
                                VMM_DOMAIN_JOB_TIME_REMAINING);
    if (info->dataTotal || info->dataProcessed) {
        typedParamListAddULLong(list, info->dataTotal,
                                VMM_DOMAIN_JOB_DATA_TOTAL);
        typedParamListAddULLong(list, info->dataProcessed,
                                VMM_DOMAIN_JOB_DATA_PROCESSED);
        typedParamListAddULLong(list, info->dataRemaining,
                                VMM_DOMAIN_JOB_DATA_REMAINING);
    }
    if (info->memTotal || info->memProcessed) {
        typedParamListAddULLong(list, info->memTotal,
                                VMM_DOMAIN_JOB_MEMORY_TOTAL);
        typedParamListAddULLong(list, info->memProcessed,
                                VMM_DOMAIN_JOB_MEMORY_PROCESSED);
        typedParamListAddULLong(list, info->memRemaining,
                                VMM_DOMAIN_JOB_MEMORY_REMAINING);
    }
    if (info->fileTotal || info->fileProcessed) {
        typedParamListAddULLong(list, info->fileTotal,
                                VMM_DOMAIN_JOB_DISK_TOTAL);
        typedParamListAddULLong(list, info->fileProcessed,
                                VMM_DOMAIN_JOB_DISK_PROCESSED);
        typedParamListAddULLong(list, info->fileRemaining,
                                VMM_DOMAIN_JOB_DISK_REMAINING);
    }
}

/* The driver fills a zeroed copy, so fields it does not know are 0 and
 * @ret_info stays untouched on failure. */
static int domainGetJobInfoZeroed(vmmDomainPtr domain,
                                  vmmDomainJobInfoPtr ret_info)
{
    vmmDomainJobInfo info = {0};

    if (domain->conn->driver->domainGetJobInfo(domain, &info) < 0)
        return -1;
    *ret_info = info;
    return 0;
}

int vmmDomainGetJobInfo(vmmDomainPtr domain, vmmDomainJobInfoPtr info)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, info, -1);
    if (!domain->conn->driver->domainGetJobInfo) {
        apiReportNoSupport(domain->conn, __func__);
        return -1;
    }
    if (domainGetJobInfoZeroed(domain, info) < 0) {
        apiDispatchError(domain->conn);
        return -1;
    }
    return 0;
}

/* vmmDomainGetJobStats for a driver that only knows domainGetJobInfo. */
static int domainJobStatsFromInfo(vmmDomainPtr domain, int *type,
                                  vmmTypedParameterPtr *params, int *nparams)
{
    vmmDomainJobInfo info = {0};
    typedParamList list = {0};

    if (domainGetJobInfoZeroed(domain, &info) < 0) {
        apiDispatchError(domain->conn);
        return -1;
    }
    domainJobInfoToParams(&info, VMM_DOMAIN_JOB_OPERATION_UNKNOWN, &list);
    *type = info.type;
    *params = typedParamListSteal(&list, nparams);
    return 0;
}

int vmmDomainGetJobStats(vmmDomainPtr domain, int *type,
                         vmmTypedParameterPtr *params, int *nparams,
                         unsigned int flags)
{
    const vmmHypervisorDriver *drv;

    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, type, -1);
    API_CHECK_NONNULL(domain->conn, params, -1);
    API_CHECK_NONNULL(domain->conn, nparams, -1);
    API_CHECK_FLAGS(domain->conn, flags, JOB_STATS_FLAGS, -1);
    API_CHECK_ARG(domain->conn,
                  !(flags & VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED) ||
                      (flags & VMM_DOMAIN_JOB_STATS_COMPLETED),
                  flags, "must hold 'completed' with 'keep completed'", -1);
    drv = domain->conn->driver;
    if (!drv->domainGetJobStats && drv->domainGetJobInfo && flags == 0)
        return domainJobStatsFromInfo(domain, type, params, nparams);
    API_RETURN_INT(domain->conn, domainGetJobStats, domain, type, params,
                   nparams, flags);
}

int vmmDomainAbortJob(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_RW(domain->conn, -1);
    API_RETURN_INT(domain->conn, domainAbortJob, domain);
}

char *vmmDomainSaveImageGetXMLDesc(vmmConnectPtr conn, const char *file,
                                   unsigned int flags)
{
    API_ENTER_CONN(conn, NULL);
    API_CHECK_NONNULL(conn, file, NULL);
    API_CHECK_FLAGS(conn, flags, VMM_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);
    if (flags & VMM_DOMAIN_SAVE_IMAGE_XML_SECURE)
        API_CHECK_RW(conn, NULL);
    API_RETURN_PTR(conn, domainSaveImageGetXMLDesc, conn, file, flags);
}
