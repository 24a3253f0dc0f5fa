/*
 * capabilities.h: what a host and its hypervisor driver can run, as the
 * model behind libvirt's capabilities XML (<capabilities><host>...
 * <guest>...), which virsh capabilities and virt-install read.
 *
 * A driver builds one caps at start-up (nodeCapsNewHost() in node_info.h
 * fills the host part from the machine), adds the guests it supports, and
 * answers vmmConnectGetCapabilities with capsFormat(). The lookups let it
 * check a domain definition against what it offers and pick defaults.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include <vmm/vmm.h>

typedef struct {
    unsigned int id;
    unsigned int socketId, dieId, coreId;
    char *siblings; /* e.g. "0,2"; NULL when unknown */
} capsHostCPU;

typedef struct {
    unsigned int id;
    unsigned long long memory; /* KiB */
    GPtrArray *cpus;           /* capsHostCPU */
} capsHostCell;

typedef struct {
    char *arch; /* "x86_64", ... */
    bool hasUUID;
    unsigned char uuid[VMM_UUID_BUFLEN];
    char *cpuModel;  /* NULL when unknown */
    char *cpuVendor; /* "Intel", "AMD", ... or NULL */
    unsigned int sockets, dies, cores, threads; /* 0 = unknown */
    bool liveMigration;
    GPtrArray *migrationTransports; /* char *: "tcp", "rdma"... */
    GPtrArray *cells;               /* capsHostCell */
    char *secModel;                 /* NULL: formatted as model 'none', doi 0 */
} capsHost;

typedef struct {
    char *name;           /* e.g. "pc-i440fx-7.2" or the alias "pc" */
    char *canonical;      /* what an alias stands for, or NULL */
    unsigned int maxCpus; /* 0 = not said */
} capsGuestMachine;

typedef struct {
    char *type;          /* domain type: "qemu", "kvm", "xen", "test" ... */
    char *emulator;      /* overrides the guest's, or NULL */
    GPtrArray *machines; /* capsGuestMachine overriding the guest's */
} capsGuestDomain;

typedef struct {
    char *name;         /* "acpi", "apic", "pae", "cpuselection", ... */
    char *defaultState; /* "on" / "off", or NULL */
    char *toggle;       /* "yes" / "no", or NULL */
} capsGuestFeature;

typedef struct {
    char *osType; /* "hvm", "xen", "exe" */
    char *arch;
    unsigned int wordsize;
    char *emulator; /* NULL when none (containers, Xen PV) */
    char *loader;
    GPtrArray *machines; /* capsGuestMachine */
    GPtrArray *domains;  /* capsGuestDomain */
    GPtrArray *features; /* capsGuestFeature */
} capsGuest;

typedef struct {
    capsHost host;
    GPtrArray *guests; /* capsGuest */
} caps;

caps *capsNew(const char *hostArch);
void capsFree(caps *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(caps, capsFree)

/* Adds a host NUMA cell; returns it to add CPUs to. */
capsHostCell *capsHostAddCell(caps *c, unsigned int id,
                              unsigned long long memoryKiB);
void capsHostCellAddCPU(capsHostCell *cell, unsigned int id,
                        unsigned int socketId, unsigned int dieId,
                        unsigned int coreId, const char *siblings);

/* Adds a guest. @machines is a NULL-terminated list (or NULL); an entry
 * "alias=canonical" declares an alias. The returned guest belongs to
 * @c. */
capsGuest *capsAddGuest(caps *c, const char *osType, const char *arch,
                        unsigned int wordsize, const char *emulator,
                        const char *loader, const char *const *machines);
capsGuestDomain *capsGuestAddDomain(capsGuest *guest, const char *type,
                                    const char *emulator,
                                    const char *const *machines);
void capsGuestAddFeature(capsGuest *guest, const char *name,
                         const char *defaultState, const char *toggle);
void capsGuestSetMaxCpus(capsGuest *guest, unsigned int maxCpus);

/* The guest that runs @osType on @arch (NULL: any arch, the host's first)
 * in a domain of @domainType (NULL: any). NULL when none; no error is
 * raised. */
const capsGuest *capsFindGuest(const caps *c, const char *osType,
                               const char *arch, const char *domainType);
/* The emulator and the default (first) machine for that guest; NULL when
 * unknown. */
const char *capsDefaultEmulator(const caps *c, const char *osType,
                                const char *arch, const char *domainType);
const char *capsDefaultMachine(const caps *c, const char *osType,
                               const char *arch, const char *domainType);

/* libvirt's capabilities XML. */
char *capsFormat(const caps *c);
