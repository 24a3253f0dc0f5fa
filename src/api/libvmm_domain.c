/*
 * libvmm_domain.c: the public API of domains (vmm-domain.h). Each entry
 * point checks what it is given (api_entry.h) and calls the driver slot;
 * the convenience forms (vmmDomainCreate, vmmDomainSave...) are reduced
 * here to the one flags-taking slot drivers implement.
 */
#include <config.h>

#include <string.h>

#include "api_entry.h"
#include "util_uuid.h"

/* Flag masks the API layer knows; drivers refuse what they do not do. */
#define LIST_ALL_FLAGS 0x3fffu /* every vmmConnectListAllDomainsFlags */
#define START_FLAGS                                                            \
    (VMM_DOMAIN_START_PAUSED | VMM_DOMAIN_START_AUTODESTROY |                  \
     VMM_DOMAIN_START_BYPASS_CACHE | VMM_DOMAIN_START_FORCE_BOOT |             \
     VMM_DOMAIN_START_VALIDATE)
#define CREATE_XML_FLAGS (START_FLAGS & ~VMM_DOMAIN_START_FORCE_BOOT)
#define UNDEFINE_FLAGS                                                         \
    (VMM_DOMAIN_UNDEFINE_MANAGED_SAVE |                                        \
     VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VMM_DOMAIN_UNDEFINE_NVRAM |      \
     VMM_DOMAIN_UNDEFINE_KEEP_NVRAM |                                          \
     VMM_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA)
#define XML_FLAGS                                                              \
    (VMM_DOMAIN_XML_SECURE | VMM_DOMAIN_XML_INACTIVE |                         \
     VMM_DOMAIN_XML_UPDATE_CPU | VMM_DOMAIN_XML_MIGRATABLE)
#define AFFECT_FLAGS (VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG)
#define SHUTDOWN_FLAGS                                                         \
    (VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VMM_DOMAIN_SHUTDOWN_GUEST_AGENT |    \
     VMM_DOMAIN_SHUTDOWN_INITCTL | VMM_DOMAIN_SHUTDOWN_SIGNAL |                \
     VMM_DOMAIN_SHUTDOWN_PARAVIRT)
#define REBOOT_FLAGS                                                           \
    (VMM_DOMAIN_REBOOT_ACPI_POWER_BTN | VMM_DOMAIN_REBOOT_GUEST_AGENT |        \
     VMM_DOMAIN_REBOOT_INITCTL | VMM_DOMAIN_REBOOT_SIGNAL |                    \
     VMM_DOMAIN_REBOOT_PARAVIRT)
#define SAVE_FLAGS                                                             \
    (VMM_DOMAIN_SAVE_BYPASS_CACHE | VMM_DOMAIN_SAVE_RUNNING |                  \
     VMM_DOMAIN_SAVE_PAUSED)
#define MEMORY_FLAGS (AFFECT_FLAGS | VMM_DOMAIN_MEM_MAXIMUM)
#define VCPU_FLAGS                                                             \
    (AFFECT_FLAGS | VMM_DOMAIN_VCPU_MAXIMUM | VMM_DOMAIN_VCPU_GUEST |          \
     VMM_DOMAIN_VCPU_HOTPLUGGABLE)
#define GET_VCPU_FLAGS                                                         \
    (AFFECT_FLAGS | VMM_DOMAIN_VCPU_MAXIMUM | VMM_DOMAIN_VCPU_GUEST)

/* The opening lines of a write on a domain: object, read-only, flags. */
#define API_ENTER_DOMAIN_WRITE(dom, flags, allowed)                            \
    do {                                                                       \
        API_ENTER_DOMAIN(dom, -1);                                             \
        API_CHECK_RW((dom)->conn, -1);                                         \
        API_CHECK_FLAGS((dom)->conn, flags, allowed, -1);                      \
    } while (0)

/* The opening lines of a write through a connection that names what to
 * read (a definition, a file): object, that argument, read-only, flags. */
#define API_ENTER_CONN_WRITE(conn, arg, flags, allowed, fail)                  \
    do {                                                                       \
        API_ENTER_CONN(conn, fail);                                            \
        API_CHECK_NONNULL(conn, arg, fail);                                    \
        API_CHECK_RW(conn, fail);                                              \
        API_CHECK_FLAGS(conn, flags, allowed, fail);                           \
    } while (0)

/* Listing. */

int vmmConnectListAllDomains(vmmConnectPtr conn, vmmDomainPtr **domains,
                             unsigned int flags)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_FLAGS(conn, flags, LIST_ALL_FLAGS, -1);
    API_RETURN_INT(conn, connectListAllDomains, conn, domains, flags);
}

int vmmConnectNumOfDomains(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    API_RETURN_INT(conn, connectNumOfDomains, conn);
}

int vmmConnectListDomains(vmmConnectPtr conn, int *ids, int maxids)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_ARG(conn, maxids >= 0, maxids, "must not be negative", -1);
    API_CHECK_ARG(conn, ids || maxids == 0, ids, "must not be NULL", -1);
    API_RETURN_INT(conn, connectListDomains, conn, ids, maxids);
}

int vmmConnectNumOfDefinedDomains(vmmConnectPtr conn)
{
    API_ENTER_CONN(conn, -1);
    API_RETURN_INT(conn, connectNumOfDefinedDomains, conn);
}

int vmmConnectListDefinedDomains(vmmConnectPtr conn, char **const names,
                                 int maxnames)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_ARG(conn, maxnames >= 0, maxnames, "must not be negative", -1);
    API_CHECK_ARG(conn, names || maxnames == 0, names, "must not be NULL", -1);
    API_RETURN_INT(conn, connectListDefinedDomains, conn, names, maxnames);
}

/* Lookup. */

vmmDomainPtr vmmDomainLookupByName(vmmConnectPtr conn, const char *name)
{
    API_ENTER_CONN(conn, NULL);
    API_CHECK_NONNULL(conn, name, NULL);
    API_RETURN_PTR(conn, domainLookupByName, conn, name);
}

vmmDomainPtr vmmDomainLookupByUUID(vmmConnectPtr conn,
                                   const unsigned char *uuid)
{
    API_ENTER_CONN(conn, NULL);
    API_CHECK_NONNULL(conn, uuid, NULL);
    API_RETURN_PTR(conn, domainLookupByUUID, conn, uuid);
}

vmmDomainPtr vmmDomainLookupByUUIDString(vmmConnectPtr conn,
                                         const char *uuidstr)
{
    unsigned char uuid[VMM_UUID_BUFLEN];

    API_ENTER_CONN(conn, NULL);
    API_CHECK_NONNULL(conn, uuidstr, NULL);
    API_CHECK_ARG(conn, uuidParse(uuidstr, uuid) == 0, uuidstr,
                  "must be a valid UUID", NULL);
    API_RETURN_PTR(conn, domainLookupByUUID, conn, uuid);
}

vmmDomainPtr vmmDomainLookupByID(vmmConnectPtr conn, int id)
{
    API_ENTER_CONN(conn, NULL);
    API_CHECK_ARG(conn, id >= 0, id, "must not be negative", NULL);
    API_RETURN_PTR(conn, domainLookupByID, conn, id);
}

/* The handle itself: nothing here reaches the driver. */

int vmmDomainRef(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    g_atomic_int_inc(&domain->refs);
    return 0;
}

int vmmDomainFree(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    domainHandleUnref(domain);
    return 0;
}

const char *vmmDomainGetName(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, NULL);
    return domain->name;
}

int vmmDomainGetUUID(vmmDomainPtr domain, unsigned char *uuid)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, uuid, -1);
    memcpy(uuid, domain->uuid, VMM_UUID_BUFLEN);
    return 0;
}

int vmmDomainGetUUIDString(vmmDomainPtr domain, char *buf)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, buf, -1);
    uuidFormat(domain->uuid, buf);
    return 0;
}

unsigned int vmmDomainGetID(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, (unsigned int)-1);
    return domain->id < 0 ? (unsigned int)-1 : (unsigned int)domain->id;
}

vmmConnectPtr vmmDomainGetConnect(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, NULL);
    return domain->conn;
}

/* Definition. */

vmmDomainPtr vmmDomainDefineXMLFlags(vmmConnectPtr conn, const char *xml,
                                     unsigned int flags)
{
    API_ENTER_CONN_WRITE(conn, xml, flags, VMM_DOMAIN_DEFINE_VALIDATE, NULL);
    API_RETURN_PTR(conn, domainDefineXMLFlags, conn, xml, flags);
}

vmmDomainPtr vmmDomainDefineXML(vmmConnectPtr conn, const char *xml)
{
    return vmmDomainDefineXMLFlags(conn, xml, 0);
}

int vmmDomainUndefineFlags(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, UNDEFINE_FLAGS);
    API_RETURN_INT(domain->conn, domainUndefineFlags, domain, flags);
}

int vmmDomainUndefine(vmmDomainPtr domain)
{
    return vmmDomainUndefineFlags(domain, 0);
}

char *vmmDomainGetXMLDesc(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN(domain, NULL);
    API_CHECK_FLAGS(domain->conn, flags, XML_FLAGS, NULL);
    /* Secrets (passwords) are for read-write clients only. */
    if (flags & VMM_DOMAIN_XML_SECURE)
        API_CHECK_RW(domain->conn, NULL);
    API_RETURN_PTR(domain->conn, domainGetXMLDesc, domain, flags);
}

char *vmmDomainGetOSType(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, NULL);
    API_RETURN_PTR(domain->conn, domainGetOSType, domain);
}

static bool domainCheckMetadataType(vmmConnectPtr conn, int type,
                                    const char *func)
{
    return apiCheckArg(conn,
                       type >= VMM_DOMAIN_METADATA_DESCRIPTION &&
                           type <= VMM_DOMAIN_METADATA_ELEMENT,
                       "type", "is not a known metadata type", func);
}

int vmmDomainSetMetadata(vmmDomainPtr domain, int type, const char *metadata,
                         const char *key, const char *uri, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, AFFECT_FLAGS);
    if (!domainCheckMetadataType(domain->conn, type, __func__))
        return -1;
    if (type == VMM_DOMAIN_METADATA_ELEMENT) {
        API_CHECK_NONNULL(domain->conn, uri, -1);
        /* Removing an element needs no key; adding one does. */
        API_CHECK_ARG(domain->conn, key || !metadata, key,
                      "must not be NULL when metadata is given", -1);
    }
    API_RETURN_INT(domain->conn, domainSetMetadata, domain, type, metadata, key,
                   uri, flags);
}

char *vmmDomainGetMetadata(vmmDomainPtr domain, int type, const char *uri,
                           unsigned int flags)
{
    API_ENTER_DOMAIN(domain, NULL);
    API_CHECK_FLAGS(domain->conn, flags, AFFECT_FLAGS, NULL);
    if (!domainCheckMetadataType(domain->conn, type, __func__))
        return NULL;
    if (type == VMM_DOMAIN_METADATA_ELEMENT)
        API_CHECK_NONNULL(domain->conn, uri, NULL);
    API_RETURN_PTR(domain->conn, domainGetMetadata, domain, type, uri, flags);
}

/* Lifecycle. */

int vmmDomainCreateWithFlags(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, START_FLAGS);
    API_RETURN_INT(domain->conn, domainCreateWithFlags, domain, flags);
}

int vmmDomainCreate(vmmDomainPtr domain)
{
    return vmmDomainCreateWithFlags(domain, 0);
}

vmmDomainPtr vmmDomainCreateXML(vmmConnectPtr conn, const char *xml,
                                unsigned int flags)
{
    API_ENTER_CONN_WRITE(conn, xml, flags, CREATE_XML_FLAGS, NULL);
    API_RETURN_PTR(conn, domainCreateXML, conn, xml, flags);
}

int vmmDomainDestroyFlags(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, VMM_DOMAIN_DESTROY_GRACEFUL);
    API_RETURN_INT(domain->conn, domainDestroyFlags, domain, flags);
}

int vmmDomainDestroy(vmmDomainPtr domain)
{
    return vmmDomainDestroyFlags(domain, 0);
}

int vmmDomainShutdownFlags(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, SHUTDOWN_FLAGS);
    API_RETURN_INT(domain->conn, domainShutdownFlags, domain, flags);
}

int vmmDomainShutdown(vmmDomainPtr domain)
{
    return vmmDomainShutdownFlags(domain, 0);
}

int vmmDomainReboot(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, REBOOT_FLAGS);
    API_RETURN_INT(domain->conn, domainReboot, domain, flags);
}

int vmmDomainSuspend(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN_WRITE(domain, 0, 0);
    API_RETURN_INT(domain->conn, domainSuspend, domain);
}

int vmmDomainResume(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN_WRITE(domain, 0, 0);
    API_RETURN_INT(domain->conn, domainResume, domain);
}

/* RUNNING and PAUSED ask for opposite states after a restore. */
static bool domainCheckSaveFlags(vmmConnectPtr conn, unsigned int flags,
                                 const char *func)
{
    return apiCheckArg(
        conn,
        !(flags & VMM_DOMAIN_SAVE_RUNNING) || !(flags & VMM_DOMAIN_SAVE_PAUSED),
        "flags", "must not hold both 'running' and 'paused'", func);
}

int vmmDomainSaveFlags(vmmDomainPtr domain, const char *to, const char *dxml,
                       unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, SAVE_FLAGS);
    API_CHECK_NONNULL(domain->conn, to, -1);
    if (!domainCheckSaveFlags(domain->conn, flags, __func__))
        return -1;
    API_RETURN_INT(domain->conn, domainSaveFlags, domain, to, dxml, flags);
}

int vmmDomainSave(vmmDomainPtr domain, const char *to)
{
    return vmmDomainSaveFlags(domain, to, NULL, 0);
}

int vmmDomainRestoreFlags(vmmConnectPtr conn, const char *from,
                          const char *dxml, unsigned int flags)
{
    API_ENTER_CONN_WRITE(conn, from, flags, SAVE_FLAGS, -1);
    if (!domainCheckSaveFlags(conn, flags, __func__))
        return -1;
    API_RETURN_INT(conn, domainRestoreFlags, conn, from, dxml, flags);
}

int vmmDomainRestore(vmmConnectPtr conn, const char *from)
{
    return vmmDomainRestoreFlags(conn, from, NULL, 0);
}

int vmmDomainManagedSave(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, SAVE_FLAGS);
    if (!domainCheckSaveFlags(domain->conn, flags, __func__))
        return -1;
    API_RETURN_INT(domain->conn, domainManagedSave, domain, flags);
}

int vmmDomainHasManagedSaveImage(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_FLAGS(domain->conn, flags, 0, -1);
    API_RETURN_INT(domain->conn, domainHasManagedSaveImage, domain, flags);
}

int vmmDomainManagedSaveRemove(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, 0);
    API_RETURN_INT(domain->conn, domainManagedSaveRemove, domain, flags);
}

/* State and resources. */

int vmmDomainGetInfo(vmmDomainPtr domain, vmmDomainInfoPtr info)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, info, -1);
    API_RETURN_INT(domain->conn, domainGetInfo, domain, info);
}

int vmmDomainGetState(vmmDomainPtr domain, int *state, int *reason,
                      unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, state, -1);
    API_CHECK_FLAGS(domain->conn, flags, 0, -1);
    API_RETURN_INT(domain->conn, domainGetState, domain, state, reason, flags);
}

static bool domainFailedMaxMemory(unsigned long memory)
{
    return memory == 0;
}

unsigned long vmmDomainGetMaxMemory(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, 0);
    API_RETURN_CALL(domain->conn, domainGetMaxMemory, 0, domainFailedMaxMemory,
                    domain);
}

int vmmDomainSetMaxMemory(vmmDomainPtr domain, unsigned long memory)
{
    API_ENTER_DOMAIN_WRITE(domain, 0, 0);
    API_CHECK_ARG(domain->conn, memory > 0, memory, "must not be zero", -1);
    API_RETURN_INT(domain->conn, domainSetMaxMemory, domain, memory);
}

int vmmDomainSetMemoryFlags(vmmDomainPtr domain, unsigned long memory,
                            unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, MEMORY_FLAGS);
    API_CHECK_ARG(domain->conn, memory > 0, memory, "must not be zero", -1);
    API_RETURN_INT(domain->conn, domainSetMemoryFlags, domain, memory, flags);
}

int vmmDomainSetMemory(vmmDomainPtr domain, unsigned long memory)
{
    return vmmDomainSetMemoryFlags(domain, memory, VMM_DOMAIN_MEM_LIVE);
}

/* The guest agent sees the running guest only. */
static bool domainCheckVcpuGuest(vmmConnectPtr conn, unsigned int flags,
                                 const char *func)
{
    return apiCheckArg(
        conn,
        !(flags & VMM_DOMAIN_VCPU_GUEST) || !(flags & VMM_DOMAIN_VCPU_CONFIG),
        "flags", "must not hold both 'guest' and 'config'", func);
}

int vmmDomainSetVcpusFlags(vmmDomainPtr domain, unsigned int nvcpus,
                           unsigned int flags)
{
    API_ENTER_DOMAIN_WRITE(domain, flags, VCPU_FLAGS);
    API_CHECK_ARG(domain->conn, nvcpus > 0, nvcpus, "must not be zero", -1);
    if (!domainCheckVcpuGuest(domain->conn, flags, __func__))
        return -1;
    API_RETURN_INT(domain->conn, domainSetVcpusFlags, domain, nvcpus, flags);
}

int vmmDomainSetVcpus(vmmDomainPtr domain, unsigned int nvcpus)
{
    return vmmDomainSetVcpusFlags(domain, nvcpus, VMM_DOMAIN_VCPU_LIVE);
}

int vmmDomainGetVcpusFlags(vmmDomainPtr domain, unsigned int flags)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_FLAGS(domain->conn, flags, GET_VCPU_FLAGS, -1);
    if (!domainCheckVcpuGuest(domain->conn, flags, __func__))
        return -1;
    API_RETURN_INT(domain->conn, domainGetVcpusFlags, domain, flags);
}

int vmmDomainGetMaxVcpus(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    API_RETURN_INT(domain->conn, domainGetMaxVcpus, domain);
}

int vmmDomainGetAutostart(vmmDomainPtr domain, int *autostart)
{
    API_ENTER_DOMAIN(domain, -1);
    API_CHECK_NONNULL(domain->conn, autostart, -1);
    API_RETURN_INT(domain->conn, domainGetAutostart, domain, autostart);
}

int vmmDomainSetAutostart(vmmDomainPtr domain, int autostart)
{
    API_ENTER_DOMAIN_WRITE(domain, 0, 0);
    API_RETURN_INT(domain->conn, domainSetAutostart, domain, autostart);
}

int vmmDomainIsActive(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    API_RETURN_INT(domain->conn, domainIsActive, domain);
}

int vmmDomainIsPersistent(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    API_RETURN_INT(domain->conn, domainIsPersistent, domain);
}

int vmmDomainIsUpdated(vmmDomainPtr domain)
{
    API_ENTER_DOMAIN(domain, -1);
    API_RETURN_INT(domain->conn, domainIsUpdated, domain);
}

int vmmDomainSnapshotNum(vmmDomainPtr domain, unsigned int flags)
{
    /* Snapshot listing flags belong to the snapshot API, which is not
     * public yet: the driver checks them. */
    API_ENTER_DOMAIN(domain, -1);
    API_RETURN_INT(domain->conn, domainSnapshotNum, domain, flags);
}

/* Events. */

int vmmConnectDomainEventRegisterAny(vmmConnectPtr conn, vmmDomainPtr dom,
                                     int eventID,
                                     vmmConnectDomainEventGenericCallback cb,
                                     void *opaque, vmmFreeCallback freecb)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_NONNULL(conn, cb, -1);
    API_CHECK_ARG(conn, !dom || dom->conn == conn, dom,
                  "must belong to the connection", -1);
    API_CHECK_ARG(conn, eventID >= 0 && eventID < VMM_DOMAIN_EVENT_ID_LAST,
                  eventID, "is not a known event id", -1);
    API_RETURN_INT(conn, connectDomainEventRegisterAny, conn, dom, eventID, cb,
                   opaque, freecb);
}

int vmmConnectDomainEventDeregisterAny(vmmConnectPtr conn, int callbackID)
{
    API_ENTER_CONN(conn, -1);
    API_CHECK_ARG(conn, callbackID >= 0, callbackID, "must not be negative",
                  -1);
    API_RETURN_INT(conn, connectDomainEventDeregisterAny, conn, callbackID);
}
