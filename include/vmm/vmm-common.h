/*
 * vmm-common.h: the opaque object types and macros shared by every part of
 * the public API. Include <vmm/vmm.h>, not this file.
 *
 * Numeric values of every enum in the public headers are those of libvirt,
 * because they cross the wire unchanged to and from stock libvirt clients.
 */
#ifndef VMM_COMMON_H
#define VMM_COMMON_H

#ifndef VMM_H_INCLUDED
# error "include <vmm/vmm.h> instead of this file"
#endif

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMM_EXPORT __attribute__((visibility("default")))

/* Version of this library: major * 1,000,000 + minor * 1,000 + micro. */
#define VMM_VERSION_NUMBER 1000

#define VMM_UUID_BUFLEN 16
#define VMM_UUID_STRING_BUFLEN 37

/* A connection to one driver (a hypervisor, or the test driver). */
typedef struct _vmmConnect vmmConnect;
typedef vmmConnect *vmmConnectPtr;

/* A handle on one guest; it names the guest, it does not own it. */
typedef struct _vmmDomain vmmDomain;
typedef vmmDomain *vmmDomainPtr;

/* Called to release the opaque pointer given along with a callback. */
typedef void (*vmmFreeCallback)(void *opaque);

#ifdef __cplusplus
}
#endif

#endif /* VMM_COMMON_H */
