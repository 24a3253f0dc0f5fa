/*
 * domain_conf.h: the domain definition (libvirt's domain XML dialect) as C
 * structures, and conversion between the two.
 *
 * CONTRACT (other layers rely on these names; extend, never rename):
 * domainDef.{virtType,id?,name,uuid,title,description,memory,currentMemory,
 * maxMemory,vcpus,vcpusCurrent,os.type,os.arch,os.machine}, and the
 * functions below.
 *
 * Parsing is strict: an element, attribute or value we do not model is
 * refused with VMM_ERR_CONFIG_UNSUPPORTED naming it, so nothing a user
 * wrote is silently lost (<metadata> is kept verbatim). Formatting follows
 * libvirt's canonical layout; parse(format(def)) gives back def.
 *
 * Every string field is g_malloc'd and owned by the structure; NULL means
 * "not given". Enum fields hold 0 (..._DEFAULT / ..._NONE) when the XML did
 * not say, and are then not formatted. Where libvirt fills in defaults the
 * parser does too (uuid, currentMemory, vcpu current and placement, clock
 * offset, lifecycle actions, disk bus from the target name, controller
 * indexes, interface MAC, graphics autoport), so drivers see real values.
 * The id='N' attribute of <domain> is run-time state: accepted, not kept.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include <vmm/vmm.h>

/* Longest accepted domain name, in bytes (names become file names). */
#define DOMAIN_DEF_NAME_MAX 1024

typedef enum {
    DOMAIN_VIRT_NONE = 0,
    DOMAIN_VIRT_TEST,
    DOMAIN_VIRT_QEMU,
    DOMAIN_VIRT_KVM,
    DOMAIN_VIRT_XEN,
    DOMAIN_VIRT_OPENVZ,
    DOMAIN_VIRT_LAST
} domainVirtType;

/* <on_poweroff>, <on_reboot>, <on_crash> */
typedef enum {
    DOMAIN_LIFECYCLE_DEFAULT = 0,
    DOMAIN_LIFECYCLE_DESTROY,
    DOMAIN_LIFECYCLE_RESTART,
    DOMAIN_LIFECYCLE_PRESERVE,
    DOMAIN_LIFECYCLE_RENAME_RESTART,
    DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    DOMAIN_LIFECYCLE_LAST
} domainLifecycleAction;

/* <boot dev='...'/> */
typedef enum {
    DOMAIN_BOOT_FD = 0,
    DOMAIN_BOOT_CDROM,
    DOMAIN_BOOT_HD,
    DOMAIN_BOOT_NETWORK,
    DOMAIN_BOOT_LAST
} domainBootDev;

#define DOMAIN_BOOT_MAX 4

typedef struct {
    char *type;                /* "hvm", "xen", "exe", ... */
    char *arch;                /* NULL when not given */
    char *machine;             /* NULL when not given */
    int boot[DOMAIN_BOOT_MAX]; /* domainBootDev, in order */
    size_t nboot;
    char *kernel;
    char *initrd;
    char *cmdline;
    char *loader;        /* path of <loader> */
    int loaderReadonly;  /* 0 unset, 1 yes, 2 no */
    char *loaderType;    /* "rom" / "pflash" */
    char *init;          /* containers: the init program */
    char **initargs;     /* NULL-terminated, or NULL */
    char *firmware;      /* <os firmware=>: "efi" / "bios" */
    char *nvram;         /* <nvram> path */
    char *nvramTemplate; /* <nvram template=> */
    int bootmenu;        /* <bootmenu enable=>: domainTristate */
    int bootmenuTimeout; /* <bootmenu timeout=> ms, -1 = absent */
} domainOSDef;

/* Tristate used for optional yes/no and on/off attributes. */
typedef enum {
    DOMAIN_TRISTATE_ABSENT = 0,
    DOMAIN_TRISTATE_YES,
    DOMAIN_TRISTATE_NO,
} domainTristate;

typedef enum {
    /* In libvirt's output order. */
    DOMAIN_FEATURE_ACPI = 0,
    DOMAIN_FEATURE_APIC,
    DOMAIN_FEATURE_PAE,
    DOMAIN_FEATURE_HAP,
    DOMAIN_FEATURE_VIRIDIAN,
    DOMAIN_FEATURE_PRIVNET,
    DOMAIN_FEATURE_PVSPINLOCK,
    DOMAIN_FEATURE_PMU,
    DOMAIN_FEATURE_VMPORT,
    DOMAIN_FEATURE_SMM,
    DOMAIN_FEATURE_VMCOREINFO,
    DOMAIN_FEATURE_LAST
} domainFeature;

typedef enum {
    DOMAIN_CPU_MODE_DEFAULT = 0,
    DOMAIN_CPU_MODE_CUSTOM,
    DOMAIN_CPU_MODE_HOST_MODEL,
    DOMAIN_CPU_MODE_HOST_PASSTHROUGH,
    DOMAIN_CPU_MODE_MAXIMUM,
    DOMAIN_CPU_MODE_LAST
} domainCPUMode;

typedef struct {
    char *policy; /* "force", "require", "optional", "disable", "forbid" */
    char *name;
} domainCPUFeatureDef;

typedef struct {
    bool present; /* a <cpu> element was given */
    int mode;     /* domainCPUMode */
    char *match;  /* "minimum" / "exact" / "strict" */
    char *check;  /* "none" / "partial" / "full" */
    char *model;
    char *fallback;                             /* "allow" / "forbid" */
    unsigned int sockets, dies, cores, threads; /* <topology>, 0 = absent */
    int migratable;                             /* domainTristate (on / off) */
    GPtrArray *features;                        /* domainCPUFeatureDef */
} domainCPUDef;

typedef struct {
    char *name;       /* "rtc", "pit", "hpet", "kvmclock", ... */
    char *tickpolicy; /* "delay", "catchup", "merge", "discard" */
    char *track;      /* "boot", "guest", "wall" */
    int present;      /* domainTristate */
} domainTimerDef;

typedef struct {
    char *offset;      /* "utc", "localtime", "timezone", "variable" */
    char *timezone;    /* offset='timezone' */
    char *adjustment;  /* offset='variable', kept as text */
    char *basis;       /* offset='variable': "utc" / "localtime" */
    GPtrArray *timers; /* domainTimerDef */
} domainClockDef;

/* Where a device sits on its bus: <address type='...'/>. */
typedef enum {
    DOMAIN_ADDRESS_NONE = 0,
    DOMAIN_ADDRESS_PCI,
    DOMAIN_ADDRESS_DRIVE,
    DOMAIN_ADDRESS_VIRTIO_SERIAL,
    DOMAIN_ADDRESS_USB,
    DOMAIN_ADDRESS_LAST
} domainAddressType;

typedef struct {
    int type; /* domainAddressType */
    /* pci */
    unsigned int domain, bus, slot, function;
    bool multifunction;
    /* drive (controller, bus, target, unit), virtio-serial (controller,
     * bus, port), usb (bus, usbPort) */
    unsigned int controller, target, unit, port;
    char *usbPort; /* dotted, e.g. "1.2" */
} domainDeviceAddress;

typedef enum {
    DOMAIN_DISK_TYPE_FILE = 0,
    DOMAIN_DISK_TYPE_BLOCK,
    DOMAIN_DISK_TYPE_VOLUME,
    DOMAIN_DISK_TYPE_NETWORK,
    DOMAIN_DISK_TYPE_LAST
} domainDiskType;

typedef enum {
    DOMAIN_DISK_DEVICE_DISK = 0,
    DOMAIN_DISK_DEVICE_CDROM,
    DOMAIN_DISK_DEVICE_FLOPPY,
    DOMAIN_DISK_DEVICE_LUN,
    DOMAIN_DISK_DEVICE_LAST
} domainDiskDevice;

typedef enum {
    DOMAIN_DISK_BUS_NONE = 0,
    DOMAIN_DISK_BUS_IDE,
    DOMAIN_DISK_BUS_FDC,
    DOMAIN_DISK_BUS_SCSI,
    DOMAIN_DISK_BUS_VIRTIO,
    DOMAIN_DISK_BUS_XEN,
    DOMAIN_DISK_BUS_USB,
    DOMAIN_DISK_BUS_SATA,
    DOMAIN_DISK_BUS_SD,
    DOMAIN_DISK_BUS_LAST
} domainDiskBus;

typedef struct {
    int type;            /* domainDiskType */
    int device;          /* domainDiskDevice */
    char *driverName;    /* <driver name=> "qemu", "phy", "tap", ... */
    char *driverType;    /* <driver type=> "raw", "qcow2", ... */
    char *driverCache;   /* "none", "writeback", ... */
    char *driverIo;      /* "native", "threads", "io_uring" */
    char *driverDiscard; /* "unmap", "ignore" */
    char *src;           /* file= or dev=; NULL for an empty cdrom */
    char *srcPool;       /* type='volume' */
    char *srcVolume;
    char *srcMode;     /* volume mode: "host" / "direct" */
    char *srcProtocol; /* type='network': "nbd", "rbd", "iscsi", ... */
    char *srcName;     /* network: name= */
    char *srcHost;     /* network: <host name= port=> */
    char *srcHostPort;
    char *dst; /* <target dev=> */
    int bus;   /* domainDiskBus */
    bool readonly;
    bool shareable;
    unsigned int bootIndex; /* <boot order=>, 0 = none */
    char *serial;
    domainDeviceAddress addr;
} domainDiskDef;

typedef enum {
    DOMAIN_CONTROLLER_TYPE_IDE = 0,
    DOMAIN_CONTROLLER_TYPE_FDC,
    DOMAIN_CONTROLLER_TYPE_SCSI,
    DOMAIN_CONTROLLER_TYPE_SATA,
    DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL,
    DOMAIN_CONTROLLER_TYPE_CCID,
    DOMAIN_CONTROLLER_TYPE_USB,
    DOMAIN_CONTROLLER_TYPE_PCI,
    DOMAIN_CONTROLLER_TYPE_XENBUS,
    DOMAIN_CONTROLLER_TYPE_LAST
} domainControllerType;

typedef struct {
    int type; /* domainControllerType */
    unsigned int index;
    char *model;        /* "piix3-uhci", "pci-root", "virtio-scsi", ... */
    unsigned int ports; /* virtio-serial ports=, 0 = absent */
    unsigned int vectors;
    domainDeviceAddress addr;
} domainControllerDef;

typedef enum {
    DOMAIN_NET_TYPE_NETWORK = 0,
    DOMAIN_NET_TYPE_BRIDGE,
    DOMAIN_NET_TYPE_USER,
    DOMAIN_NET_TYPE_DIRECT,
    DOMAIN_NET_TYPE_ETHERNET,
    DOMAIN_NET_TYPE_LAST
} domainNetType;

typedef struct {
    int type;         /* domainNetType */
    char *mac;        /* "52:54:00:...", lower case; NULL = not given */
    char *srcNetwork; /* type='network' */
    char *srcBridge;  /* type='bridge' */
    char *srcDev;     /* type='direct' */
    char *srcMode;    /* direct: "vepa", "bridge", "private", "passthrough" */
    char *ifname;     /* <target dev=> */
    char *model;      /* <model type=> "virtio", "e1000", ... */
    char *script;     /* <script path=> */
    char *driverName; /* <driver name=> "vhost" / "qemu" */
    unsigned int mtu; /* <mtu size=>, 0 = absent */
    int linkState;    /* <link state=>: domainTristate, YES = up */
    unsigned int bootIndex;
    domainDeviceAddress addr;
} domainNetDef;

typedef enum {
    DOMAIN_CHR_DEVICE_SERIAL = 0,
    DOMAIN_CHR_DEVICE_CONSOLE,
    DOMAIN_CHR_DEVICE_CHANNEL,
    DOMAIN_CHR_DEVICE_LAST
} domainChrDeviceType;

typedef enum {
    DOMAIN_CHR_TYPE_PTY = 0,
    DOMAIN_CHR_TYPE_FILE,
    DOMAIN_CHR_TYPE_UNIX,
    DOMAIN_CHR_TYPE_NULL,
    DOMAIN_CHR_TYPE_VC,
    DOMAIN_CHR_TYPE_STDIO,
    DOMAIN_CHR_TYPE_SPICEVMC,
    DOMAIN_CHR_TYPE_LAST
} domainChrType;

typedef struct {
    int deviceType;    /* domainChrDeviceType: which element */
    int type;          /* domainChrType */
    char *srcPath;     /* pty (live path), file, unix */
    char *srcMode;     /* unix: "bind" / "connect" */
    int srcAppend;     /* file: domainTristate */
    char *targetType;  /* serial: "isa-serial"...; console: "serial",
                        * "virtio", "xen", "openvz"; channel: "virtio",
                        * "xen", "guestfwd" */
    int targetPort;    /* -1 = absent */
    char *targetName;  /* channel name= */
    char *targetModel; /* serial <target><model name=/> */
    char *logFile;     /* <log file=> */
    domainDeviceAddress addr;
} domainChrDef;

typedef enum {
    DOMAIN_GRAPHICS_VNC = 0,
    DOMAIN_GRAPHICS_SDL,
    DOMAIN_GRAPHICS_SPICE,
    DOMAIN_GRAPHICS_LAST
} domainGraphicsType;

typedef struct {
    int type;               /* domainGraphicsType */
    int port;               /* -1 = auto / absent */
    int tlsPort;            /* spice: -1 = auto / absent */
    char *imageCompression; /* spice <image compression=> */
    int autoport;           /* domainTristate */
    char *listen;           /* listen= address (also <listen address=>) */
    char *listenType;       /* <listen type=>: "address" / "none" */
    char *passwd; /* secret: formatted with DOMAIN_DEF_FORMAT_SECURE */
    char *keymap;
    char *display; /* sdl */
} domainGraphicsDef;

typedef struct {
    char *model;        /* <model type=> "vga", "cirrus", "virtio", ... */
    unsigned int vram;  /* KiB, 0 = absent */
    unsigned int heads; /* 0 = absent */
    int primary;        /* domainTristate */
    domainDeviceAddress addr;
} domainVideoDef;

typedef struct {
    char *type; /* "mouse", "tablet", "keyboard" */
    char *bus;  /* "ps2", "usb", "virtio", "xen" */
    domainDeviceAddress addr;
} domainInputDef;

typedef struct {
    char *model;         /* "virtio", "xen", "none" */
    int autodeflate;     /* domainTristate (on/off) */
    unsigned int period; /* <stats period=>, 0 = absent */
    domainDeviceAddress addr;
} domainMemballoonDef;

typedef struct {
    char *model;        /* "virtio" */
    char *backendModel; /* "random" / "egd" */
    char *backendPath;  /* random: the device, e.g. /dev/urandom */
    unsigned int rateBytes, ratePeriod; /* <rate>, 0 = absent */
    domainDeviceAddress addr;
} domainRNGDef;

typedef struct {
    char *model;  /* "i6300esb", "ib700", "diag288", "itco" */
    char *action; /* "reset", "shutdown", "poweroff", ... */
    domainDeviceAddress addr;
} domainWatchdogDef;

typedef struct {
    char *type;       /* "mount" (also "file", "block", "ram", "bind") */
    char *accessmode; /* "passthrough", "mapped", "squash" */
    char *driverType; /* "path", "handle", "virtiofs", "loop", ... */
    char *src;        /* <source dir=> (or file= / dev= / name=) */
    char *dst;        /* <target dir=> */
    bool readonly;
    unsigned long long usage; /* ram: KiB */
    domainDeviceAddress addr;
} domainFSDef;

typedef struct {
    char *model; /* "ich9", "ich6", "ac97", "es1370", "sb16", "usb", ... */
    domainDeviceAddress addr;
} domainSoundDef;

typedef struct {
    unsigned int id; /* >= 1 */
    char *type;      /* "none", "spice", "pulseaudio", "sdl", ... */
} domainAudioDef;

typedef struct {
    char *bus;  /* "usb" */
    char *type; /* "spicevmc" */
    domainDeviceAddress addr;
} domainRedirdevDef;

typedef struct {
    char *model; /* "isa", "pvpanic", "hyperv", "pseries", "s390"; or NULL */
    domainDeviceAddress addr;
} domainPanicDef;

typedef struct {
    char *emulator;
    GPtrArray *disks;       /* domainDiskDef */
    GPtrArray *controllers; /* domainControllerDef */
    GPtrArray *filesystems; /* domainFSDef */
    GPtrArray *nets;        /* domainNetDef */
    GPtrArray *serials;     /* domainChrDef */
    GPtrArray *consoles;    /* domainChrDef */
    GPtrArray *channels;    /* domainChrDef */
    GPtrArray *inputs;      /* domainInputDef */
    GPtrArray *graphics;    /* domainGraphicsDef */
    GPtrArray *sounds;      /* domainSoundDef */
    GPtrArray *audios;      /* domainAudioDef */
    GPtrArray *videos;      /* domainVideoDef */
    GPtrArray *redirdevs;   /* domainRedirdevDef */
    domainWatchdogDef *watchdog;
    domainMemballoonDef *memballoon;
    GPtrArray *rngs;   /* domainRNGDef */
    GPtrArray *panics; /* domainPanicDef */
} domainDevicesDef;

typedef struct {
    char *type;  /* "none", "dynamic", "static" */
    char *model; /* "dac", "selinux", "apparmor", "none"; or NULL */
    int relabel; /* domainTristate (yes / no) */
    char *label;
    char *imagelabel;
    char *baselabel;
} domainSeclabelDef;

/* <memoryBacking> */
typedef struct {
    bool present;   /* the element was given */
    bool hugepages; /* <hugepages/> */
    bool nosharepages;
    bool locked;
    char *source;     /* <source type=>: "file", "anonymous", "memfd" */
    char *access;     /* <access mode=>: "shared", "private" */
    char *allocation; /* <allocation mode=>: "immediate", "ondemand" */
} domainMemoryBackingDef;

/* One <uid> or <gid> line of <idmap>. */
typedef struct {
    unsigned int start, target, count;
} domainIdmapEntry;

typedef struct _domainDef domainDef;
struct _domainDef {
    int virtType; /* domainVirtType */
    char *name;
    unsigned char uuid[VMM_UUID_BUFLEN];
    char *title;       /* NULL when absent */
    char *description; /* NULL when absent */
    char *metadata;    /* the whole <metadata> element as XML text, or NULL */
    unsigned long long memory;        /* KiB, <memory> */
    unsigned long long currentMemory; /* KiB, <currentMemory> */
    unsigned long long maxMemory;     /* KiB, <maxMemory>, 0 when absent */
    unsigned int maxMemorySlots;      /* <maxMemory slots=> */
    unsigned int vcpus;               /* <vcpu>N</vcpu>: the maximum */
    unsigned int vcpusCurrent; /* <vcpu current='M'>, == vcpus when absent */
    char *vcpuPlacement;       /* "static" / "auto", NULL when absent */
    char *cpuset;              /* <vcpu cpuset=>, NULL when absent */
    char *resourcePartition;   /* <resource><partition>, or NULL */
    domainMemoryBackingDef memoryBacking;
    unsigned int iothreads; /* <iothreads>, 0 when absent */
    GArray *idmapUids;      /* domainIdmapEntry; containers */
    GArray *idmapGids;      /* domainIdmapEntry */
    char *bootloader;       /* Xen PV: <bootloader>, or NULL */
    char *bootloaderArgs;   /* <bootloader_args>, or NULL */
    domainOSDef os;
    /* domainTristate per domainFeature: YES = present / state='on',
     * NO = state='off', ABSENT = not given. */
    int features[DOMAIN_FEATURE_LAST];
    bool featuresPresent; /* a <features> element was given */
    domainCPUDef cpu;
    domainClockDef clock;
    int onPoweroff; /* domainLifecycleAction */
    int onReboot;
    int onCrash;
    bool pmPresent;      /* a <pm> element was given */
    int pmSuspendToMem;  /* domainTristate */
    int pmSuspendToDisk; /* domainTristate */
    domainDevicesDef devices;
    GPtrArray *seclabels; /* domainSeclabelDef */
};

typedef enum {
    /* Validate against docs/schemas/domain.rng before parsing. */
    DOMAIN_DEF_PARSE_VALIDATE = 1 << 0,
} domainDefParseFlags;

typedef enum {
    /* Include secrets (VNC/SPICE passwords) in the output, as libvirt's
     * VIR_DOMAIN_XML_SECURE; without it they are omitted. */
    DOMAIN_DEF_FORMAT_SECURE = 1 << 0,
} domainDefFormatFlags;

/* Parses a whole <domain> document. Malformed XML raises VMM_ERR_XML_ERROR
 * with line and reason; an unsupported construct VMM_ERR_CONFIG_UNSUPPORTED
 * naming it. A missing UUID is generated. */
domainDef *domainDefParseString(const char *xml, unsigned int flags);

/* Formats @def; @id >= 0 adds id='N' on <domain> (a running guest). */
char *domainDefFormat(const domainDef *def, int id, unsigned int flags);

/* An empty definition with every container allocated, for code that
 * builds one by hand (fill at least name, uuid, memory, vcpus, os.type
 * and the lifecycle actions before formatting it). */
domainDef *domainDefNew(void);

/* A deep copy (secrets included). */
domainDef *domainDefCopy(const domainDef *def);
void domainDefFree(domainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainDef, domainDefFree)

const char *domainVirtTypeToString(int type);
int domainVirtTypeFromString(const char *str); /* -1 when unknown */

const char *domainLifecycleActionToString(int action);
int domainLifecycleActionFromString(const char *str);
const char *domainDiskBusToString(int bus);
int domainDiskBusFromString(const char *str);
const char *domainDiskDeviceToString(int device);
const char *domainNetTypeToString(int type);
const char *domainChrTypeToString(int type);
const char *domainGraphicsTypeToString(int type);
const char *domainControllerTypeToString(int type);

/* Device lookups used by drivers. NULL when absent. */
domainDiskDef *domainDefFindDisk(const domainDef *def, const char *dst);
domainNetDef *domainDefFindNet(const domainDef *def, const char *mac);
