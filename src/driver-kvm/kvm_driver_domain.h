/*
 * kvm_driver_domain.h: the QEMU driver's slots that do not start or stop
 * QEMU (kvm_driver_domain.c), for the table in kvm_driver.c.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

#include "domain_conf.h"
#include "domain_obj.h"

/* A definition the driver can run, or NULL with the reason. */
domainDef *kvmParseDef(const char *xml, bool validate);
/* A handle on @obj (found or NULL) for @conn, releasing @obj. */
vmmDomainPtr kvmHandleAndRelease(vmmConnectPtr conn, domainObj *obj);

int kvmConnectListAllDomains(vmmConnectPtr conn, vmmDomainPtr **domains,
                             unsigned int flags);
int kvmConnectNumOfDomains(vmmConnectPtr conn);
int kvmConnectListDomains(vmmConnectPtr conn, int *ids, int maxids);
int kvmConnectNumOfDefinedDomains(vmmConnectPtr conn);
int kvmConnectListDefinedDomains(vmmConnectPtr conn, char **const names,
                                 int maxnames);
int kvmConnectGetMaxVcpus(vmmConnectPtr conn, const char *type);

vmmDomainPtr kvmDomainLookupByName(vmmConnectPtr conn, const char *name);
vmmDomainPtr kvmDomainLookupByUUID(vmmConnectPtr conn,
                                   const unsigned char *uuid);
vmmDomainPtr kvmDomainLookupByID(vmmConnectPtr conn, int id);

vmmDomainPtr kvmDomainDefineXMLFlags(vmmConnectPtr conn, const char *xml,
                                     unsigned int flags);
int kvmDomainUndefineFlags(vmmDomainPtr dom, unsigned int flags);
char *kvmDomainGetXMLDesc(vmmDomainPtr dom, unsigned int flags);
char *kvmDomainGetOSType(vmmDomainPtr dom);
int kvmDomainSetMetadata(vmmDomainPtr dom, int type, const char *metadata,
                         const char *key, const char *uri, unsigned int flags);
char *kvmDomainGetMetadata(vmmDomainPtr dom, int type, const char *uri,
                           unsigned int flags);
int kvmDomainGetAutostart(vmmDomainPtr dom, int *autostart);
int kvmDomainSetAutostart(vmmDomainPtr dom, int autostart);
int kvmDomainIsActive(vmmDomainPtr dom);
int kvmDomainIsPersistent(vmmDomainPtr dom);
int kvmDomainIsUpdated(vmmDomainPtr dom);

int kvmDomainGetInfo(vmmDomainPtr dom, vmmDomainInfoPtr info);
int kvmDomainGetState(vmmDomainPtr dom, int *state, int *reason,
                      unsigned int flags);
unsigned long kvmDomainGetMaxMemory(vmmDomainPtr dom);
int kvmDomainSetMaxMemory(vmmDomainPtr dom, unsigned long memory);
int kvmDomainSetMemoryFlags(vmmDomainPtr dom, unsigned long memory,
                            unsigned int flags);
int kvmDomainSetVcpusFlags(vmmDomainPtr dom, unsigned int nvcpus,
                           unsigned int flags);
int kvmDomainGetVcpusFlags(vmmDomainPtr dom, unsigned int flags);
int kvmDomainGetMaxVcpus(vmmDomainPtr dom);
