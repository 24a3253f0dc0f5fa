/*
 * test_lifecycle.h: the test driver's calls that start, stop, pause and
 * save guests. Each function is one slot of vmmHypervisorDriver.
 */
#pragma once

#include <vmm/vmm.h>

int testDomainCreateWithFlags(vmmDomainPtr dom, unsigned int flags);
vmmDomainPtr testDomainCreateXML(vmmConnectPtr conn, const char *xml,
                                 unsigned int flags);
int testDomainDestroyFlags(vmmDomainPtr dom, unsigned int flags);
int testDomainShutdownFlags(vmmDomainPtr dom, unsigned int flags);
int testDomainReboot(vmmDomainPtr dom, unsigned int flags);
int testDomainSuspend(vmmDomainPtr dom);
int testDomainResume(vmmDomainPtr dom);
int testDomainSaveFlags(vmmDomainPtr dom, const char *to, const char *dxml,
                        unsigned int flags);
int testDomainRestoreFlags(vmmConnectPtr conn, const char *from,
                           const char *dxml, unsigned int flags);
int testDomainManagedSave(vmmDomainPtr dom, unsigned int flags);
int testDomainHasManagedSaveImage(vmmDomainPtr dom, unsigned int flags);
int testDomainManagedSaveRemove(vmmDomainPtr dom, unsigned int flags);
char *testDomainSaveImageGetXMLDesc(vmmConnectPtr conn, const char *file,
                                    unsigned int flags);
int testDomainGetJobInfo(vmmDomainPtr dom, vmmDomainJobInfoPtr info);
int testDomainGetJobStats(vmmDomainPtr dom, int *type,
                          vmmTypedParameterPtr *params, int *nparams,
                          unsigned int flags);
int testDomainAbortJob(vmmDomainPtr dom);
