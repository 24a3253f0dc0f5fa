/*
 * domain_conf.h: the domain definition (libvirt's domain XML dialect) as C
 * structures, and conversion between the two.
 *
 * CONTRACT (other layers rely on these names; extend, never rename):
 * domainDef.{virtType,id?,name,uuid,title,description,memory,currentMemory,
 * maxMemory,vcpus,vcpusCurrent,os.type,os.arch,os.machine}, and the
 * functions below.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include <vmm/vmm.h>

typedef enum {
    DOMAIN_VIRT_NONE = 0,
    DOMAIN_VIRT_TEST,
    DOMAIN_VIRT_QEMU,
    DOMAIN_VIRT_KVM,
    DOMAIN_VIRT_XEN,
    DOMAIN_VIRT_OPENVZ,
    DOMAIN_VIRT_LAST
} domainVirtType;

typedef struct {
    char *type;    /* "hvm", "xen", "exe", ... */
    char *arch;    /* NULL when not given */
    char *machine; /* NULL when not given */
    /* ... boot order, kernel, initrd, cmdline, loader, init ... */
} domainOSDef;

typedef struct _domainDef domainDef;
struct _domainDef {
    int virtType; /* domainVirtType */
    char *name;
    unsigned char uuid[VMM_UUID_BUFLEN];
    char *title;       /* NULL when absent */
    char *description; /* NULL when absent */
    unsigned long long memory;        /* KiB, <memory> */
    unsigned long long currentMemory; /* KiB, <currentMemory> */
    unsigned long long maxMemory;     /* KiB, <maxMemory>, 0 when absent */
    unsigned int vcpus;        /* <vcpu>N</vcpu>: the maximum */
    unsigned int vcpusCurrent; /* <vcpu current='M'>, == vcpus when absent */
    domainOSDef os;
    /* ... the rest is conf's business ... */
};

typedef enum {
    /* Validate against docs/schemas/domain.rng before parsing. */
    DOMAIN_DEF_PARSE_VALIDATE = 1 << 0,
} domainDefParseFlags;

typedef enum {
    /* Omit secrets (passwords) from the output. */
    DOMAIN_DEF_FORMAT_SECURE = 1 << 0,
} domainDefFormatFlags;

/* Parses a whole <domain> document. Malformed XML raises VMM_ERR_XML_ERROR
 * with line and reason; an unsupported construct VMM_ERR_CONFIG_UNSUPPORTED
 * naming it. A missing UUID is generated. */
domainDef *domainDefParseString(const char *xml, unsigned int flags);

/* Formats @def; @id >= 0 adds id='N' on <domain> (a running guest). */
char *domainDefFormat(const domainDef *def, int id, unsigned int flags);

domainDef *domainDefCopy(const domainDef *def);
void domainDefFree(domainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainDef, domainDefFree)

const char *domainVirtTypeToString(int type);
int domainVirtTypeFromString(const char *str); /* -1 when unknown */
