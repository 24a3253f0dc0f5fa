/*
 * test_domain.h: the test driver's domain calls that do not change whether
 * a guest runs: listing, lookup, definition, XML, metadata, flags.
 * Each function is one slot of vmmHypervisorDriver.
 */
#pragma once

#include <vmm/vmm.h>

int testConnectListAllDomains(vmmConnectPtr conn, vmmDomainPtr **domains,
                              unsigned int flags);
int testConnectNumOfDomains(vmmConnectPtr conn);
int testConnectListDomains(vmmConnectPtr conn, int *ids, int maxids);
int testConnectNumOfDefinedDomains(vmmConnectPtr conn);
int testConnectListDefinedDomains(vmmConnectPtr conn, char **const names,
                                  int maxnames);

vmmDomainPtr testDomainLookupByName(vmmConnectPtr conn, const char *name);
vmmDomainPtr testDomainLookupByUUID(vmmConnectPtr conn,
                                    const unsigned char *uuid);
vmmDomainPtr testDomainLookupByID(vmmConnectPtr conn, int id);

vmmDomainPtr testDomainDefineXMLFlags(vmmConnectPtr conn, const char *xml,
                                      unsigned int flags);
int testDomainUndefineFlags(vmmDomainPtr dom, unsigned int flags);
char *testDomainGetXMLDesc(vmmDomainPtr dom, unsigned int flags);
char *testDomainGetOSType(vmmDomainPtr dom);
int testDomainSetMetadata(vmmDomainPtr dom, int type, const char *metadata,
                          const char *key, const char *uri, unsigned int flags);
char *testDomainGetMetadata(vmmDomainPtr dom, int type, const char *uri,
                            unsigned int flags);

int testDomainGetAutostart(vmmDomainPtr dom, int *autostart);
int testDomainSetAutostart(vmmDomainPtr dom, int autostart);
int testDomainIsActive(vmmDomainPtr dom);
int testDomainIsPersistent(vmmDomainPtr dom);
int testDomainIsUpdated(vmmDomainPtr dom);
int testDomainSnapshotNum(vmmDomainPtr dom, unsigned int flags);

/* VMM_ERR_INVALID_ARG "unsupported flags (0x..)" when @flags has bits
 * outside @allowed. */
int testCheckFlags(unsigned int flags, unsigned int allowed);
