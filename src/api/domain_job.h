/*
 * domain_job.h: what the public job API (vmmDomainGetJobInfo,
 * vmmDomainGetJobStats, vmmDomainAbortJob, vmmDomainSaveImageGetXMLDesc)
 * shares with drivers: turning a vmmDomainJobInfo into the typed
 * parameters of vmmDomainGetJobStats, field by field as libvirt names
 * them.
 */
#pragma once

#include <vmm/vmm.h>

#include "typed_params.h"

/* Appends the fields of @info that its type gives meaning to, preceded
 * by the "operation" field when @operation is not UNKNOWN. A NONE job
 * adds nothing. */
void domainJobInfoToParams(const vmmDomainJobInfo *info, int operation,
                           typedParamList *list);
