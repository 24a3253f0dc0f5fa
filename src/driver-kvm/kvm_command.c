/*
 * kvm_command.c: builds QEMU's argv from a domain definition.
 *
 * The order of the options is fixed (identity, machine, CPU, memory,
 * monitor, clock, boot, controllers, disks, filesystems, networks,
 * character devices, display, the small devices) so that the golden files
 * only change when the meaning does. Device ids follow one scheme so that
 * later hotplug and QMP queries can find them again: disks are
 * "virtio-diskN" / "ideC-B-U" / "scsiC-0-T-L" / ..., their block nodes
 * "vmm-N-storage" and "vmm-N-format"; NICs "netN" over netdev "hostnetN";
 * character devices "serialN" / "consoleN" / "channelN" over chardev
 * "char<id>".
 *
 * PCI addresses are passed only where the definition gives one; otherwise
 * QEMU places the device itself. Only bus 0 exists (no bridges yet).
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "util_uuid.h"
#include "kvm_command.h"

#define KVM_ERR(...)                                                           \
    errorReport(VMM_FROM_QEMU, VMM_ERR_CONFIG_UNSUPPORTED, __VA_ARGS__)

typedef struct {
    const domainDef *def;
    cmdDef *cmd;
    bool q35;
    const char *pciRoot;    /* "pci.0" or "pcie.0" */
    bool virtioSerialBus;   /* "virtio-serial0" exists */
    unsigned int nodeIndex; /* last block node number given out */
    GPtrArray *devices;     /* the -device drivers used, for caps checks */
    GPtrArray *hotplug;     /* when set, options go here instead of cmd */
} kvmBuilder;

char *kvmCommandEscape(const char *value)
{
    GString *out = g_string_sized_new(strlen(value) + 4);

    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(out, ',');
        g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

/* Appends ",key=value" (no comma at the start), escaping @value. */
static void kvmOpt(GString *opt, const char *key, const char *value)
{
    g_autofree char *esc = kvmCommandEscape(value);

    if (opt->len)
        g_string_append_c(opt, ',');
    g_string_append_printf(opt, "%s=%s", key, esc);
}

static void kvmOptUint(GString *opt, const char *key, unsigned long long v)
{
    if (opt->len)
        g_string_append_c(opt, ',');
    g_string_append_printf(opt, "%s=%llu", key, v);
}

static void kvmOptBool(GString *opt, const char *key, bool on)
{
    kvmOpt(opt, key, on ? "on" : "off");
}

/* Adds "@option @opt" and frees @opt. */
static void kvmAddOption(kvmBuilder *b, const char *option, GString *opt)
{
    if (g_str_equal(option, "-device"))
        g_ptr_array_add(b->devices,
                        g_strndup(opt->str, strcspn(opt->str, ",")));
    if (b->hotplug) {
        g_ptr_array_add(b->hotplug, g_strdup(option));
        g_ptr_array_add(b->hotplug, g_strdup(opt->str));
    } else {
        cmdAddArgList(b->cmd, option, opt->str, NULL);
    }
    g_string_free(opt, TRUE);
}

/* A new "driver,id=ID" -device value. */
static GString *kvmDeviceNew(const char *driver, const char *id)
{
    GString *opt = g_string_new(driver);

    if (id)
        kvmOpt(opt, "id", id);
    return opt;
}

static bool kvmHasController(const domainDef *def, int type, unsigned int idx)
{
    GPtrArray *ctrls = def->devices.controllers;

    for (guint i = 0; ctrls && i < ctrls->len; i++) {
        const domainControllerDef *c = g_ptr_array_index(ctrls, i);

        if (c->type == type && c->index == idx)
            return true;
    }
    return false;
}

static int kvmAddPCIAddress(kvmBuilder *b, GString *opt,
                            const domainDeviceAddress *addr, const char *what)
{
    if (addr->type == DOMAIN_ADDRESS_NONE)
        return 0;
    if (addr->type != DOMAIN_ADDRESS_PCI) {
        KVM_ERR("%s: only a PCI address can be given", what);
        return -1;
    }
    if (addr->domain != 0 ||
        (addr->bus != 0 &&
         !kvmHasController(b->def, DOMAIN_CONTROLLER_TYPE_PCI, addr->bus))) {
        KVM_ERR("%s: PCI bus %04x:%02x has no controller", what, addr->domain,
                addr->bus);
        return -1;
    }
    if (addr->bus == 0)
        kvmOpt(opt, "bus", b->pciRoot);
    else
        g_string_append_printf(opt, ",bus=pci.%u", addr->bus);
    if (addr->function)
        g_string_append_printf(opt, ",addr=0x%x.0x%x", addr->slot,
                               addr->function);
    else
        g_string_append_printf(opt, ",addr=0x%x", addr->slot);
    if (addr->multifunction)
        kvmOptBool(opt, "multifunction", true);
    return 0;
}

/* ---- machine, CPU, memory ------------------------------------------ */

static bool kvmMachineIsQ35(const char *machine)
{
    return g_str_equal(machine, "q35") || g_str_has_prefix(machine, "pc-q35");
}

static bool kvmHPETDisabled(const domainDef *def)
{
    GPtrArray *timers = def->clock.timers;

    for (guint i = 0; timers && i < timers->len; i++) {
        const domainTimerDef *t = g_ptr_array_index(timers, i);

        if (g_str_equal(t->name, "hpet") && t->present == DOMAIN_TRISTATE_NO)
            return true;
    }
    return false;
}

/* Whether guest RAM needs an explicit -object memory-backend-*. */
static bool kvmNeedsMemoryBackend(const domainDef *def)
{
    const domainMemoryBackingDef *mb = &def->memoryBacking;

    return mb->hugepages || mb->source || mb->access ||
           (mb->allocation && g_str_equal(mb->allocation, "immediate"));
}

static int kvmBuildMachine(kvmBuilder *b)
{
    const domainDef *def = b->def;
    const char *machine = def->os.machine ? def->os.machine : "pc";
    GString *opt = g_string_new(NULL);
    int acpi = def->features[DOMAIN_FEATURE_ACPI];

    g_string_append(opt, machine);
    kvmOptBool(opt, "usb", false);
    kvmOptBool(opt, "dump-guest-core", false);
    /* Without <acpi/> the guest has no ACPI, as with libvirt. */
    if (acpi != DOMAIN_TRISTATE_YES)
        kvmOptBool(opt, "acpi", false);
    if (def->features[DOMAIN_FEATURE_VMPORT] != DOMAIN_TRISTATE_ABSENT)
        kvmOptBool(opt, "vmport",
                   def->features[DOMAIN_FEATURE_VMPORT] == DOMAIN_TRISTATE_YES);
    if (def->features[DOMAIN_FEATURE_SMM] != DOMAIN_TRISTATE_ABSENT)
        kvmOptBool(opt, "smm",
                   def->features[DOMAIN_FEATURE_SMM] == DOMAIN_TRISTATE_YES);
    if (kvmHPETDisabled(def))
        kvmOptBool(opt, "hpet", false);
    if (def->memoryBacking.nosharepages)
        kvmOptBool(opt, "mem-merge", false);
    if (kvmNeedsMemoryBackend(def))
        kvmOpt(opt, "memory-backend", "pc.ram");
    kvmAddOption(b, "-machine", opt);
    cmdAddArgList(b->cmd, "-accel",
                  def->virtType == DOMAIN_VIRT_KVM ? "kvm" : "tcg", NULL);
    return 0;
}

static int kvmCheckFeatures(const domainDef *def)
{
    static const int unsupported[] = {
        DOMAIN_FEATURE_HAP,     DOMAIN_FEATURE_VIRIDIAN,
        DOMAIN_FEATURE_PRIVNET, DOMAIN_FEATURE_PVSPINLOCK,
        DOMAIN_FEATURE_PMU,
    };
    static const char *const names[] = {
        "hap", "viridian", "privnet", "pvspinlock", "pmu",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(unsupported); i++) {
        if (def->features[unsupported[i]] != DOMAIN_TRISTATE_ABSENT) {
            KVM_ERR("feature '%s' is not supported by the QEMU driver",
                    names[i]);
            return -1;
        }
    }
    return 0;
}

static const char *kvmCPUFeatureValue(const char *policy)
{
    if (!policy || g_str_equal(policy, "require") ||
        g_str_equal(policy, "force") || g_str_equal(policy, "optional"))
        return "on";
    if (g_str_equal(policy, "disable") || g_str_equal(policy, "forbid"))
        return "off";
    return NULL;
}

static const char *kvmCPUModelName(kvmBuilder *b)
{
    const domainCPUDef *cpu = &b->def->cpu;
    bool kvm = b->def->virtType == DOMAIN_VIRT_KVM;

    switch (cpu->mode) {
    case DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
        if (!kvm) {
            KVM_ERR("CPU mode 'host-passthrough' needs domain type 'kvm'");
            return NULL;
        }
        return "host";
    case DOMAIN_CPU_MODE_HOST_MODEL:
        /* Under TCG the closest thing to the host's model is "max". */
        return kvm ? "host" : "max";
    case DOMAIN_CPU_MODE_MAXIMUM:
        return "max";
    default:
        return cpu->model ? cpu->model : "qemu64";
    }
}

static int kvmBuildCPU(kvmBuilder *b)
{
    const domainCPUDef *cpu = &b->def->cpu;
    const char *model;
    GString *opt;

    if (!cpu->present || (cpu->mode <= DOMAIN_CPU_MODE_CUSTOM && !cpu->model &&
                          (!cpu->features || cpu->features->len == 0)))
        return 0;
    if (!(model = kvmCPUModelName(b)))
        return -1;
    opt = g_string_new(model);
    for (guint i = 0; cpu->features && i < cpu->features->len; i++) {
        const domainCPUFeatureDef *f = g_ptr_array_index(cpu->features, i);
        const char *value = kvmCPUFeatureValue(f->policy);

        if (!value) {
            g_string_free(opt, TRUE);
            KVM_ERR("CPU feature policy '%s'", f->policy);
            return -1;
        }
        kvmOpt(opt, f->name, value);
    }
    if (cpu->migratable == DOMAIN_TRISTATE_NO)
        kvmOptBool(opt, "migratable", false);
    kvmAddOption(b, "-cpu", opt);
    return 0;
}

static int kvmBuildMemoryBackend(kvmBuilder *b)
{
    const domainMemoryBackingDef *mb = &b->def->memoryBacking;
    const char *source = mb->source ? mb->source : "anonymous";
    GString *opt;

    if (!kvmNeedsMemoryBackend(b->def))
        goto lock;
    if (g_str_equal(source, "memfd")) {
        opt = g_string_new("memory-backend-memfd");
    } else if (g_str_equal(source, "file") || mb->hugepages) {
        opt = g_string_new("memory-backend-file");
    } else if (g_str_equal(source, "anonymous")) {
        opt = g_string_new("memory-backend-ram");
    } else {
        KVM_ERR("memory backing source '%s'", source);
        return -1;
    }
    kvmOpt(opt, "id", "pc.ram");
    if (g_str_has_suffix(opt->str, "-file,id=pc.ram"))
        /* Without hugepages a file-backed guest lives in tmpfs. */
        kvmOpt(opt, "mem-path", mb->hugepages ? "/dev/hugepages" : "/dev/shm");
    if (mb->hugepages && g_str_equal(source, "memfd"))
        kvmOptBool(opt, "hugetlb", true);
    if (mb->access)
        kvmOptBool(opt, "share", g_str_equal(mb->access, "shared"));
    if (mb->allocation && g_str_equal(mb->allocation, "immediate"))
        kvmOptBool(opt, "prealloc", true);
    g_string_append_printf(opt, ",size=%lluk", b->def->memory);
    kvmAddOption(b, "-object", opt);
lock:
    if (mb->locked)
        cmdAddArgList(b->cmd, "-overcommit", "mem-lock=on", NULL);
    return 0;
}

static int kvmBuildMemory(kvmBuilder *b)
{
    const domainDef *def = b->def;
    GString *opt = g_string_new(NULL);

    g_string_append_printf(opt, "size=%lluk", def->memory);
    if (def->maxMemory) {
        kvmOptUint(opt, "slots", def->maxMemorySlots);
        g_string_append_printf(opt, ",maxmem=%lluk", def->maxMemory);
    }
    kvmAddOption(b, "-m", opt);
    return kvmBuildMemoryBackend(b);
}

static int kvmBuildSMP(kvmBuilder *b)
{
    const domainDef *def = b->def;
    const domainCPUDef *cpu = &def->cpu;
    unsigned int current = def->vcpusCurrent ? def->vcpusCurrent : def->vcpus;
    GString *opt = g_string_new(NULL);

    g_string_append_printf(opt, "%u", current ? current : 1);
    if (def->vcpus > current)
        kvmOptUint(opt, "maxcpus", def->vcpus);
    if (cpu->sockets)
        kvmOptUint(opt, "sockets", cpu->sockets);
    if (cpu->dies)
        kvmOptUint(opt, "dies", cpu->dies);
    if (cpu->cores)
        kvmOptUint(opt, "cores", cpu->cores);
    if (cpu->threads)
        kvmOptUint(opt, "threads", cpu->threads);
    kvmAddOption(b, "-smp", opt);
    for (unsigned int i = 1; i <= def->iothreads; i++) {
        cmdAddArg(b->cmd, "-object");
        cmdAddArgFormat(b->cmd, "iothread,id=iothread%u", i);
    }
    return 0;
}

/* ---- identity, monitor, clock, lifecycle, boot ----------------------- */

static void kvmBuildIdentity(kvmBuilder *b)
{
    char uuid[VMM_UUID_STRING_BUFLEN];
    GString *opt = g_string_new(NULL);

    kvmOpt(opt, "guest", b->def->name);
    kvmOptBool(opt, "debug-threads", true);
    kvmAddOption(b, "-name", opt);
    uuidFormat(b->def->uuid, uuid);
    cmdAddArgList(b->cmd, "-uuid", uuid, NULL);
}

static void kvmBuildMonitor(kvmBuilder *b, const char *path)
{
    GString *opt = g_string_new("socket,id=charmonitor");

    kvmOpt(opt, "path", path);
    kvmOptBool(opt, "server", true);
    kvmOptBool(opt, "wait", false);
    kvmAddOption(b, "-chardev", opt);
    cmdAddArgList(b->cmd, "-mon", "chardev=charmonitor,id=monitor,mode=control",
                  NULL);
}

static int kvmBuildTimer(kvmBuilder *b, const domainTimerDef *t, GString *rtc)
{
    const char *tick = t->tickpolicy;

    if (g_str_equal(t->name, "rtc")) {
        if (t->track && !g_str_equal(t->track, "boot"))
            kvmOpt(rtc, "clock",
                   g_str_equal(t->track, "guest") ? "vm" : "host");
        if (tick && g_str_equal(tick, "catchup"))
            kvmOpt(rtc, "driftfix", "slew");
        else if (tick && !g_str_equal(tick, "delay"))
            goto unsupported;
        return 0;
    }
    if (g_str_equal(t->name, "pit")) {
        if (tick && g_str_equal(tick, "delay"))
            cmdAddArgList(b->cmd, "-global", "kvm-pit.lost_tick_policy=delay",
                          NULL);
        else if (tick && !g_str_equal(tick, "discard"))
            goto unsupported;
        return 0;
    }
    if (g_str_equal(t->name, "hpet"))
        return 0; /* a machine property: kvmBuildMachine */
    if (g_str_equal(t->name, "kvmclock") && t->present != DOMAIN_TRISTATE_NO)
        return 0;
unsupported:
    KVM_ERR("timer '%s'%s%s is not supported by the QEMU driver", t->name,
            tick ? " with tickpolicy " : "", tick ? tick : "");
    return -1;
}

static int kvmBuildClock(kvmBuilder *b)
{
    const domainClockDef *clock = &b->def->clock;
    const char *offset = clock->offset ? clock->offset : "utc";
    g_autoptr(GString) rtc = g_string_new(NULL);

    if (g_str_equal(offset, "utc")) {
        kvmOpt(rtc, "base", "utc");
    } else if (g_str_equal(offset, "localtime")) {
        kvmOpt(rtc, "base", "localtime");
    } else if (g_str_equal(offset, "timezone") && clock->timezone) {
        /* QEMU's "localtime" is that of its own TZ. */
        cmdAddEnvPair(b->cmd, "TZ", clock->timezone);
        kvmOpt(rtc, "base", "localtime");
    } else {
        KVM_ERR("clock offset '%s' is not supported by the QEMU driver",
                offset);
        return -1;
    }
    /* The rtc options must come first: -global lines of other timers are
     * added as they are met, after -rtc. */
    for (guint i = 0; clock->timers && i < clock->timers->len; i++) {
        const domainTimerDef *t = g_ptr_array_index(clock->timers, i);

        if (g_str_equal(t->name, "rtc") && kvmBuildTimer(b, t, rtc) < 0)
            return -1;
    }
    cmdAddArgList(b->cmd, "-rtc", rtc->str, NULL);
    for (guint i = 0; clock->timers && i < clock->timers->len; i++) {
        const domainTimerDef *t = g_ptr_array_index(clock->timers, i);

        if (!g_str_equal(t->name, "rtc") && kvmBuildTimer(b, t, rtc) < 0)
            return -1;
    }
    return 0;
}

static void kvmBuildLifecycle(kvmBuilder *b)
{
    const domainDef *def = b->def;
    const char *pm = b->q35 ? "ICH9-LPC" : "PIIX4_PM";

    /* QEMU must stay up after a guest shutdown so the driver sees it (the
     * SHUTDOWN event) and decides what <on_poweroff> means. */
    cmdAddArg(b->cmd, "-no-shutdown");
    if (def->onReboot == DOMAIN_LIFECYCLE_DESTROY)
        cmdAddArg(b->cmd, "-no-reboot");
    if (def->pmSuspendToMem != DOMAIN_TRISTATE_ABSENT) {
        cmdAddArg(b->cmd, "-global");
        cmdAddArgFormat(b->cmd, "%s.disable_s3=%d", pm,
                        def->pmSuspendToMem == DOMAIN_TRISTATE_NO);
    }
    if (def->pmSuspendToDisk != DOMAIN_TRISTATE_ABSENT) {
        cmdAddArg(b->cmd, "-global");
        cmdAddArgFormat(b->cmd, "%s.disable_s4=%d", pm,
                        def->pmSuspendToDisk == DOMAIN_TRISTATE_NO);
    }
}

static int kvmBuildBoot(kvmBuilder *b)
{
    static const char letters[DOMAIN_BOOT_LAST] = {'a', 'd', 'c', 'n'};
    const domainOSDef *os = &b->def->os;
    GString *opt = g_string_new(NULL);

    if (os->nboot) {
        g_string_append(opt, "order=");
        for (size_t i = 0; i < os->nboot; i++)
            g_string_append_c(opt, letters[os->boot[i]]);
    }
    if (os->bootmenu != DOMAIN_TRISTATE_ABSENT)
        kvmOptBool(opt, "menu", os->bootmenu == DOMAIN_TRISTATE_YES);
    if (os->bootmenuTimeout >= 0 && os->bootmenu == DOMAIN_TRISTATE_YES)
        kvmOptUint(opt, "splash-time", os->bootmenuTimeout);
    kvmOptBool(opt, "strict", true);
    kvmAddOption(b, "-boot", opt);

    if (os->kernel)
        cmdAddArgList(b->cmd, "-kernel", os->kernel, NULL);
    if (os->initrd)
        cmdAddArgList(b->cmd, "-initrd", os->initrd, NULL);
    if (os->cmdline)
        cmdAddArgList(b->cmd, "-append", os->cmdline, NULL);
    return 0;
}

static int kvmCheckOS(const domainDef *def)
{
    const domainOSDef *os = &def->os;

    if (!os->type || !g_str_equal(os->type, "hvm")) {
        KVM_ERR("OS type '%s' is not supported by the QEMU driver",
                os->type ? os->type : "");
        return -1;
    }
    if (os->arch && !g_str_equal(os->arch, "x86_64") &&
        !g_str_equal(os->arch, "i686")) {
        KVM_ERR("architecture '%s' is not supported by the QEMU driver",
                os->arch);
        return -1;
    }
    if (os->firmware || os->nvram ||
        (os->loaderType && !g_str_equal(os->loaderType, "rom"))) {
        KVM_ERR("UEFI firmware (pflash loader, nvram) is not supported by "
                "the QEMU driver yet");
        return -1;
    }
    if (os->init) {
        KVM_ERR("<init> is for containers, not QEMU guests");
        return -1;
    }
    return 0;
}

static void kvmBuildLoader(kvmBuilder *b)
{
    if (b->def->os.loader)
        cmdAddArgList(b->cmd, "-bios", b->def->os.loader, NULL);
}

/* ---- controllers ------------------------------------------------------ */

static const char *kvmUSBModel(kvmBuilder *b, const char *model)
{
    static const char *const map[][2] = {
        {"piix3-uhci", "piix3-usb-uhci"},
        {"piix4-uhci", "piix4-usb-uhci"},
        {"ehci", "usb-ehci"},
        {"ich9-ehci1", "ich9-usb-ehci1"},
        {"qemu-xhci", "qemu-xhci"},
        {"nec-xhci", "nec-usb-xhci"},
    };

    if (!model)
        return b->q35 ? "qemu-xhci" : "piix3-usb-uhci";
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (g_str_equal(model, map[i][0]))
            return map[i][1];
    }
    KVM_ERR("USB controller model '%s'", model);
    return NULL;
}

static const char *kvmSCSIModel(const char *model)
{
    if (!model || g_str_equal(model, "lsilogic"))
        return "lsi";
    if (g_str_equal(model, "virtio-scsi"))
        return "virtio-scsi-pci";
    if (g_str_equal(model, "lsisas1068"))
        return "mptsas1068";
    if (g_str_equal(model, "lsisas1078"))
        return "megasas";
    KVM_ERR("SCSI controller model '%s'", model);
    return NULL;
}

static int kvmBuildController(kvmBuilder *b, const domainControllerDef *c)
{
    g_autofree char *id = NULL;
    const char *driver = NULL;
    GString *opt;

    switch (c->type) {
    case DOMAIN_CONTROLLER_TYPE_USB:
        if (c->model && g_str_equal(c->model, "none"))
            return 0;
        if (c->index > 0) {
            KVM_ERR("only USB controller index 0 is supported");
            return -1;
        }
        if (!(driver = kvmUSBModel(b, c->model)))
            return -1;
        id = g_strdup("usb");
        break;
    case DOMAIN_CONTROLLER_TYPE_SCSI:
        if (!(driver = kvmSCSIModel(c->model)))
            return -1;
        id = g_strdup_printf("scsi%u", c->index);
        break;
    case DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL:
        driver = "virtio-serial-pci";
        id = g_strdup_printf("virtio-serial%u", c->index);
        if (c->index == 0)
            b->virtioSerialBus = true;
        break;
    case DOMAIN_CONTROLLER_TYPE_SATA:
        /* q35 has its AHCI controller built in as "ide". */
        if (b->q35 && c->index == 0)
            return 0;
        driver = "ahci";
        id = g_strdup_printf("sata%u", c->index);
        break;
    case DOMAIN_CONTROLLER_TYPE_IDE:
    case DOMAIN_CONTROLLER_TYPE_FDC:
        /* Built into the pc machine (q35 has no IDE bus at all; its disks
         * on bus 'sata' use the built-in AHCI). */
        return 0;
    case DOMAIN_CONTROLLER_TYPE_PCI:
        if (c->index == 0 && (!c->model || g_str_equal(c->model, "pci-root") ||
                              g_str_equal(c->model, "pcie-root")))
            return 0;
        if (c->index == 0 || !c->model ||
            (!g_str_equal(c->model, "pcie-root-port") &&
             !g_str_equal(c->model, "pci-bridge"))) {
            KVM_ERR("PCI controller '%s' index %u", c->model ? c->model : "",
                    c->index);
            return -1;
        }
        driver = c->model;
        id = g_strdup_printf("pci.%u", c->index);
        break;
    default:
        KVM_ERR("controller type '%s' is not supported by the QEMU driver",
                domainControllerTypeToString(c->type));
        return -1;
    }
    opt = kvmDeviceNew(driver, id);
    if (c->type == DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL && c->ports)
        kvmOptUint(opt, "max_ports", c->ports);
    if (c->type == DOMAIN_CONTROLLER_TYPE_USB && c->ports &&
        g_str_has_suffix(driver, "xhci")) {
        kvmOptUint(opt, "p2", c->ports);
        kvmOptUint(opt, "p3", c->ports);
    }
    if (c->type == DOMAIN_CONTROLLER_TYPE_PCI)
        kvmOptUint(opt,
                   g_str_equal(driver, "pci-bridge") ? "chassis_nr" : "chassis",
                   c->index);
    if (c->type == DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL && c->vectors)
        kvmOptUint(opt, "vectors", c->vectors);
    if (kvmAddPCIAddress(b, opt, &c->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static bool kvmNeedsUSB(const domainDef *def)
{
    const domainDevicesDef *d = &def->devices;

    for (guint i = 0; d->inputs && i < d->inputs->len; i++) {
        const domainInputDef *in = g_ptr_array_index(d->inputs, i);

        if (in->bus && g_str_equal(in->bus, "usb"))
            return true;
    }
    for (guint i = 0; d->disks && i < d->disks->len; i++) {
        const domainDiskDef *disk = g_ptr_array_index(d->disks, i);

        if (disk->bus == DOMAIN_DISK_BUS_USB)
            return true;
    }
    for (guint i = 0; d->sounds && i < d->sounds->len; i++) {
        const domainSoundDef *s = g_ptr_array_index(d->sounds, i);

        if (g_str_equal(s->model, "usb"))
            return true;
    }
    return d->redirdevs && d->redirdevs->len > 0;
}

static bool kvmHasDiskOnBus(const domainDef *def, int bus)
{
    GPtrArray *disks = def->devices.disks;

    for (guint i = 0; disks && i < disks->len; i++) {
        const domainDiskDef *disk = g_ptr_array_index(disks, i);

        if (disk->bus == bus)
            return true;
    }
    return false;
}

static bool kvmNeedsVirtioSerial(const domainDef *def)
{
    const domainDevicesDef *d = &def->devices;

    for (guint i = 0; d->consoles && i < d->consoles->len; i++) {
        const domainChrDef *c = g_ptr_array_index(d->consoles, i);

        if (c->targetType && g_str_equal(c->targetType, "virtio"))
            return true;
    }
    return d->channels && d->channels->len > 0;
}

static int kvmBuildControllers(kvmBuilder *b)
{
    const domainDef *def = b->def;
    GPtrArray *ctrls = def->devices.controllers;
    domainControllerDef implicit = {0};

    /* PCI buses first: other controllers may sit on them. */
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; ctrls && i < ctrls->len; i++) {
            const domainControllerDef *c = g_ptr_array_index(ctrls, i);

            if ((c->type == DOMAIN_CONTROLLER_TYPE_PCI) != (pass == 0))
                continue;
            if (kvmBuildController(b, c) < 0)
                return -1;
        }
    }
    /* Controllers that devices need but the definition leaves implicit,
     * with their default models. */
    if (kvmNeedsUSB(def) &&
        !kvmHasController(def, DOMAIN_CONTROLLER_TYPE_USB, 0)) {
        implicit.type = DOMAIN_CONTROLLER_TYPE_USB;
        if (kvmBuildController(b, &implicit) < 0)
            return -1;
    }
    if (kvmHasDiskOnBus(def, DOMAIN_DISK_BUS_SATA) && !b->q35 &&
        !kvmHasController(def, DOMAIN_CONTROLLER_TYPE_SATA, 0)) {
        implicit.type = DOMAIN_CONTROLLER_TYPE_SATA;
        if (kvmBuildController(b, &implicit) < 0)
            return -1;
    }
    if (kvmHasDiskOnBus(def, DOMAIN_DISK_BUS_SCSI) &&
        !kvmHasController(def, DOMAIN_CONTROLLER_TYPE_SCSI, 0)) {
        implicit.type = DOMAIN_CONTROLLER_TYPE_SCSI;
        if (kvmBuildController(b, &implicit) < 0)
            return -1;
    }
    if (kvmNeedsVirtioSerial(def) && !b->virtioSerialBus) {
        implicit.type = DOMAIN_CONTROLLER_TYPE_VIRTIO_SERIAL;
        if (kvmBuildController(b, &implicit) < 0)
            return -1;
    }
    return 0;
}

/* ---- disks ------------------------------------------------------------ */

/* The index a target name encodes: "vda" 0, "hdc" 2, "sdaa" 26; -1 when
 * it has none. */
static int kvmDiskIndex(const char *dst)
{
    static const char *const prefixes[] = {"xvd", "hd", "sd", "vd", "fd"};
    const char *p = NULL;
    int idx = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(prefixes) && !p; i++) {
        if (g_str_has_prefix(dst, prefixes[i]))
            p = dst + strlen(prefixes[i]);
    }
    if (!p || !*p)
        return -1;
    for (; *p; p++) {
        if (*p < 'a' || *p > 'z' || idx > 100000)
            return -1;
        idx = idx * 26 + (*p - 'a' + 1);
    }
    return idx - 1;
}

typedef struct {
    const char *direct;     /* cache.direct */
    const char *noFlush;    /* cache.no-flush */
    const char *writeCache; /* the device's write-cache */
} kvmCacheMode;

static int kvmDiskCacheMode(const domainDiskDef *disk, kvmCacheMode *ret_mode)
{
    static const struct {
        const char *name;
        kvmCacheMode mode;
    } modes[] = {
        {"default", {NULL, NULL, NULL}},
        {"none", {"on", "off", "on"}},
        {"writeback", {"off", "off", "on"}},
        {"writethrough", {"off", "off", "off"}},
        {"directsync", {"on", "off", "off"}},
        {"unsafe", {"off", "on", "on"}},
    };

    if (!disk->driverCache) {
        *ret_mode = modes[0].mode;
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(modes); i++) {
        if (g_str_equal(disk->driverCache, modes[i].name)) {
            *ret_mode = modes[i].mode;
            return 0;
        }
    }
    KVM_ERR("disk '%s': cache mode '%s'", disk->dst, disk->driverCache);
    return -1;
}

static void kvmCacheOpts(GString *opt, const kvmCacheMode *mode)
{
    if (mode->direct)
        kvmOpt(opt, "cache.direct", mode->direct);
    if (mode->noFlush)
        kvmOpt(opt, "cache.no-flush", mode->noFlush);
}

/* The protocol node (file, host_device, nbd) of @disk. */
static int kvmDiskStorageNode(const domainDiskDef *disk, GString *opt)
{
    bool cdrom = disk->device == DOMAIN_DISK_DEVICE_CDROM;

    switch (disk->type) {
    case DOMAIN_DISK_TYPE_FILE:
        kvmOpt(opt, "driver", "file");
        kvmOpt(opt, "filename", disk->src);
        return 0;
    case DOMAIN_DISK_TYPE_BLOCK:
        kvmOpt(opt, "driver", cdrom ? "host_cdrom" : "host_device");
        kvmOpt(opt, "filename", disk->src);
        return 0;
    case DOMAIN_DISK_TYPE_NETWORK:
        if (!disk->srcProtocol || !g_str_equal(disk->srcProtocol, "nbd")) {
            KVM_ERR("disk '%s': network protocol '%s'", disk->dst,
                    disk->srcProtocol ? disk->srcProtocol : "");
            return -1;
        }
        if (!disk->srcHost) {
            KVM_ERR("disk '%s': an nbd source needs a <host>", disk->dst);
            return -1;
        }
        kvmOpt(opt, "driver", "nbd");
        kvmOpt(opt, "server.type", "inet");
        kvmOpt(opt, "server.host", disk->srcHost);
        kvmOpt(opt, "server.port",
               disk->srcHostPort ? disk->srcHostPort : "10809");
        if (disk->srcName)
            kvmOpt(opt, "export", disk->srcName);
        return 0;
    default:
        KVM_ERR("disk '%s': a source of type 'volume' must be resolved by "
                "the storage driver first",
                disk->dst);
        return -1;
    }
}

static int kvmBuildDiskNodes(kvmBuilder *b, const domainDiskDef *disk,
                             const kvmCacheMode *cache, unsigned int node)
{
    bool readonly = disk->readonly || disk->device == DOMAIN_DISK_DEVICE_CDROM;
    const char *format = disk->driverType ? disk->driverType : "raw";
    g_autofree char *storage = g_strdup_printf("vmm-%u-storage", node);
    g_autofree char *fmtnode = g_strdup_printf("vmm-%u-format", node);
    GString *opt = g_string_new(NULL);

    if (kvmDiskStorageNode(disk, opt) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmOpt(opt, "node-name", storage);
    if (disk->driverIo)
        kvmOpt(opt, "aio", disk->driverIo);
    kvmCacheOpts(opt, cache);
    kvmOptBool(opt, "auto-read-only", true);
    if (disk->driverDiscard)
        kvmOpt(opt, "discard", disk->driverDiscard);
    kvmAddOption(b, "-blockdev", opt);

    opt = g_string_new(NULL);
    kvmOpt(opt, "node-name", fmtnode);
    kvmOptBool(opt, "read-only", readonly);
    kvmCacheOpts(opt, cache);
    if (disk->driverDiscard)
        kvmOpt(opt, "discard", disk->driverDiscard);
    kvmOpt(opt, "driver", format);
    kvmOpt(opt, "file", storage);
    kvmAddOption(b, "-blockdev", opt);
    return 0;
}

static int kvmCheckDisk(const domainDiskDef *disk)
{
    static const char *const formats[] = {
        "raw",  "qcow2", "qcow",  "qed",   "vmdk", "vdi",       "vpc",
        "vhdx", "luks",  "bochs", "cloop", "dmg",  "parallels",
    };
    bool known = !disk->driverType;

    if (disk->driverName && !g_str_equal(disk->driverName, "qemu")) {
        KVM_ERR("disk '%s': driver name '%s' (QEMU only knows 'qemu')",
                disk->dst, disk->driverName);
        return -1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(formats) && !known; i++)
        known = g_str_equal(disk->driverType, formats[i]);
    if (!known) {
        KVM_ERR("disk '%s': format '%s'", disk->dst, disk->driverType);
        return -1;
    }
    if (disk->driverIo && !g_str_equal(disk->driverIo, "native") &&
        !g_str_equal(disk->driverIo, "threads") &&
        !g_str_equal(disk->driverIo, "io_uring")) {
        KVM_ERR("disk '%s': io mode '%s'", disk->dst, disk->driverIo);
        return -1;
    }
    if (!disk->src && disk->device != DOMAIN_DISK_DEVICE_CDROM &&
        disk->device != DOMAIN_DISK_DEVICE_FLOPPY &&
        disk->type != DOMAIN_DISK_TYPE_NETWORK &&
        disk->type != DOMAIN_DISK_TYPE_VOLUME) {
        KVM_ERR("disk '%s' has no source", disk->dst);
        return -1;
    }
    return 0;
}

static bool kvmSCSIIsVirtio(const domainDef *def, unsigned int idx)
{
    GPtrArray *ctrls = def->devices.controllers;

    for (guint i = 0; ctrls && i < ctrls->len; i++) {
        const domainControllerDef *c = g_ptr_array_index(ctrls, i);

        if (c->type == DOMAIN_CONTROLLER_TYPE_SCSI && c->index == idx)
            return c->model && g_str_equal(c->model, "virtio-scsi");
    }
    return false;
}

/* The device driver and bus placement of @disk, for buses with units. */
static int kvmDiskDevice(kvmBuilder *b, const domainDiskDef *disk, int idx,
                         GString *opt)
{
    bool cdrom = disk->device == DOMAIN_DISK_DEVICE_CDROM;
    bool drive = disk->addr.type == DOMAIN_ADDRESS_DRIVE;
    unsigned int ctrl = drive ? disk->addr.controller : 0;
    unsigned int bus = drive ? disk->addr.bus : (unsigned int)idx / 2;
    unsigned int unit = drive ? disk->addr.unit : (unsigned int)idx % 2;
    g_autofree char *id = NULL;

    switch (disk->bus) {
    case DOMAIN_DISK_BUS_VIRTIO:
        if (cdrom) {
            KVM_ERR("disk '%s': a cdrom cannot sit on bus 'virtio'", disk->dst);
            return -1;
        }
        id = g_strdup_printf("virtio-disk%d", idx);
        g_string_append(opt, "virtio-blk-pci");
        kvmOpt(opt, "id", id);
        return kvmAddPCIAddress(b, opt, &disk->addr, disk->dst);
    case DOMAIN_DISK_BUS_IDE:
        if (b->q35) {
            KVM_ERR("disk '%s': machine q35 has no IDE bus; use bus 'sata'",
                    disk->dst);
            return -1;
        }
        id = g_strdup_printf("ide%u-%u-%u", ctrl, bus, unit);
        g_string_append(opt, cdrom ? "ide-cd" : "ide-hd");
        g_string_append_printf(opt, ",bus=ide.%u,unit=%u", bus, unit);
        kvmOpt(opt, "id", id);
        return 0;
    case DOMAIN_DISK_BUS_SATA:
        unit = drive ? disk->addr.unit : (unsigned int)idx;
        id = g_strdup_printf("sata%u-0-%u", ctrl, unit);
        g_string_append(opt, cdrom ? "ide-cd" : "ide-hd");
        if (b->q35 && ctrl == 0)
            g_string_append_printf(opt, ",bus=ide.%u", unit);
        else
            g_string_append_printf(opt, ",bus=sata%u.%u", ctrl, unit);
        kvmOpt(opt, "id", id);
        return 0;
    case DOMAIN_DISK_BUS_SCSI: {
        /* virtio-scsi addresses target and LUN; the emulated HBAs (lsi
         * and co.) only targets, so their unit is the SCSI id. */
        bool virtio = kvmSCSIIsVirtio(b->def, ctrl);
        unsigned int target = drive ? disk->addr.target : 0;
        unsigned int lun = drive ? disk->addr.unit : (unsigned int)idx;
        const char *driver = cdrom ? "scsi-cd" : "scsi-hd";

        if (!virtio) {
            target = lun;
            lun = 0;
        }

        if (disk->device == DOMAIN_DISK_DEVICE_LUN) {
            if (disk->type != DOMAIN_DISK_TYPE_BLOCK) {
                KVM_ERR("disk '%s': device 'lun' needs a block source",
                        disk->dst);
                return -1;
            }
            driver = "scsi-block";
        }
        id = g_strdup_printf("scsi%u-0-%u-%u", ctrl, target, lun);
        g_string_append_printf(opt,
                               "%s,bus=scsi%u.0,channel=0,scsi-id=%u,"
                               "lun=%u",
                               driver, ctrl, target, lun);
        kvmOpt(opt, "id", id);
        return 0;
    }
    case DOMAIN_DISK_BUS_USB:
        id = g_strdup_printf("usb-disk%d", idx);
        g_string_append(opt, "usb-storage,bus=usb.0");
        kvmOpt(opt, "id", id);
        return 0;
    case DOMAIN_DISK_BUS_FDC:
        id = g_strdup_printf("fdc0-0-%d", idx);
        g_string_append_printf(opt, "floppy,unit=%d", idx);
        kvmOpt(opt, "id", id);
        return 0;
    default:
        KVM_ERR("disk '%s': bus '%s' is not supported by the QEMU driver",
                disk->dst, domainDiskBusToString(disk->bus));
        return -1;
    }
}

static int kvmBuildDisk(kvmBuilder *b, const domainDiskDef *disk)
{
    int idx = kvmDiskIndex(disk->dst);
    bool empty = !disk->src && (disk->type == DOMAIN_DISK_TYPE_FILE ||
                                disk->type == DOMAIN_DISK_TYPE_BLOCK);
    kvmCacheMode cache;
    unsigned int node = 0;
    GString *opt;

    if (idx < 0) {
        KVM_ERR("disk target '%s' is not a disk name like 'vda' or 'hdc'",
                disk->dst);
        return -1;
    }
    if (kvmCheckDisk(disk) < 0 || kvmDiskCacheMode(disk, &cache) < 0)
        return -1;
    if (!empty) {
        node = ++b->nodeIndex;
        if (kvmBuildDiskNodes(b, disk, &cache, node) < 0)
            return -1;
    }
    opt = g_string_new(NULL);
    if (kvmDiskDevice(b, disk, idx, opt) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    if (!empty)
        g_string_append_printf(opt, ",drive=vmm-%u-format", node);
    if (disk->serial)
        kvmOpt(opt, "serial", disk->serial);
    if (disk->shareable)
        kvmOptBool(opt, "share-rw", true);
    if (cache.writeCache && !empty)
        kvmOpt(opt, "write-cache", cache.writeCache);
    if (disk->bootIndex)
        kvmOptUint(opt, "bootindex", disk->bootIndex);
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildDisks(kvmBuilder *b)
{
    GPtrArray *disks = b->def->devices.disks;

    for (guint i = 0; disks && i < disks->len; i++) {
        if (kvmBuildDisk(b, g_ptr_array_index(disks, i)) < 0)
            return -1;
    }
    return 0;
}

/* ---- filesystems -------------------------------------------------------- */

static int kvmBuildFilesystem(kvmBuilder *b, const domainFSDef *fs,
                              unsigned int n)
{
    const char *model = "passthrough";
    g_autofree char *fsdev = g_strdup_printf("fsdev-fs%u", n);
    g_autofree char *id = g_strdup_printf("fs%u", n);
    GString *opt;

    if (fs->type && !g_str_equal(fs->type, "mount")) {
        KVM_ERR("filesystem '%s': type '%s'", fs->dst, fs->type);
        return -1;
    }
    if (fs->driverType && !g_str_equal(fs->driverType, "path")) {
        KVM_ERR("filesystem '%s': driver '%s' (only 9p 'path' for now)",
                fs->dst, fs->driverType);
        return -1;
    }
    if (fs->accessmode && g_str_equal(fs->accessmode, "mapped"))
        model = "mapped";
    else if (fs->accessmode && g_str_equal(fs->accessmode, "squash"))
        model = "none";
    opt = g_string_new("local");
    kvmOpt(opt, "security_model", model);
    kvmOpt(opt, "id", fsdev);
    kvmOpt(opt, "path", fs->src);
    if (fs->readonly)
        kvmOptBool(opt, "readonly", true);
    kvmAddOption(b, "-fsdev", opt);

    opt = kvmDeviceNew("virtio-9p-pci", id);
    kvmOpt(opt, "fsdev", fsdev);
    kvmOpt(opt, "mount_tag", fs->dst);
    if (kvmAddPCIAddress(b, opt, &fs->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildFilesystems(kvmBuilder *b)
{
    GPtrArray *fss = b->def->devices.filesystems;

    for (guint i = 0; fss && i < fss->len; i++) {
        if (kvmBuildFilesystem(b, g_ptr_array_index(fss, i), i) < 0)
            return -1;
    }
    return 0;
}

/* ---- network interfaces ------------------------------------------------ */

static const char *kvmNetModel(const domainNetDef *net)
{
    static const char *const map[][2] = {
        {"virtio", "virtio-net-pci"}, {"e1000", "e1000"},
        {"e1000e", "e1000e"},         {"rtl8139", "rtl8139"},
        {"ne2k_pci", "ne2k_pci"},     {"pcnet", "pcnet"},
        {"vmxnet3", "vmxnet3"},
    };

    if (!net->model)
        return "rtl8139";
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (g_str_equal(net->model, map[i][0]))
            return map[i][1];
    }
    KVM_ERR("interface model '%s'", net->model);
    return NULL;
}

static int kvmNetBackend(const domainNetDef *net, GString *opt)
{
    switch (net->type) {
    case DOMAIN_NET_TYPE_USER:
        g_string_append(opt, "user");
        return 0;
    case DOMAIN_NET_TYPE_BRIDGE:
        /* qemu-bridge-helper makes the tap and enslaves it. */
        g_string_append(opt, "bridge");
        kvmOpt(opt, "br", net->srcBridge);
        return 0;
    case DOMAIN_NET_TYPE_ETHERNET:
        g_string_append(opt, "tap");
        if (net->ifname)
            kvmOpt(opt, "ifname", net->ifname);
        kvmOpt(opt, "script", net->script ? net->script : "no");
        kvmOpt(opt, "downscript", "no");
        if (net->driverName && g_str_equal(net->driverName, "vhost"))
            kvmOptBool(opt, "vhost", true);
        return 0;
    case DOMAIN_NET_TYPE_NETWORK:
        KVM_ERR("interface type 'network' must be resolved by the network "
                "driver first");
        return -1;
    default:
        KVM_ERR("interface type '%s' is not supported by the QEMU driver",
                domainNetTypeToString(net->type));
        return -1;
    }
}

static int kvmBuildNet(kvmBuilder *b, const domainNetDef *net, unsigned int n)
{
    g_autofree char *netdev = g_strdup_printf("hostnet%u", n);
    g_autofree char *id = g_strdup_printf("net%u", n);
    const char *model;
    GString *opt = g_string_new(NULL);

    if (kvmNetBackend(net, opt) < 0 || !(model = kvmNetModel(net))) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmOpt(opt, "id", netdev);
    kvmAddOption(b, "-netdev", opt);

    opt = kvmDeviceNew(model, id);
    kvmOpt(opt, "netdev", netdev);
    if (net->mac)
        kvmOpt(opt, "mac", net->mac);
    if (net->mtu && g_str_equal(model, "virtio-net-pci"))
        kvmOptUint(opt, "host_mtu", net->mtu);
    if (net->bootIndex)
        kvmOptUint(opt, "bootindex", net->bootIndex);
    if (kvmAddPCIAddress(b, opt, &net->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildNets(kvmBuilder *b)
{
    GPtrArray *nets = b->def->devices.nets;

    for (guint i = 0; nets && i < nets->len; i++) {
        if (kvmBuildNet(b, g_ptr_array_index(nets, i), i) < 0)
            return -1;
    }
    return 0;
}

/* ---- character devices ------------------------------------------------- */

/* -chardev for @chr with id "char" + @id. */
static int kvmBuildChardev(kvmBuilder *b, const domainChrDef *chr,
                           const char *id)
{
    g_autofree char *chrid = g_strdup_printf("char%s", id);
    GString *opt = g_string_new(NULL);
    bool server;

    switch (chr->type) {
    case DOMAIN_CHR_TYPE_PTY:
        g_string_append(opt, "pty");
        kvmOpt(opt, "id", chrid);
        break;
    case DOMAIN_CHR_TYPE_FILE:
        if (!chr->srcPath)
            goto nopath;
        g_string_append(opt, "file");
        kvmOpt(opt, "id", chrid);
        kvmOpt(opt, "path", chr->srcPath);
        if (chr->srcAppend != DOMAIN_TRISTATE_ABSENT)
            kvmOptBool(opt, "append", chr->srcAppend == DOMAIN_TRISTATE_YES);
        break;
    case DOMAIN_CHR_TYPE_UNIX:
        if (!chr->srcPath)
            goto nopath;
        server = !chr->srcMode || g_str_equal(chr->srcMode, "bind");
        g_string_append(opt, "socket");
        kvmOpt(opt, "id", chrid);
        kvmOpt(opt, "path", chr->srcPath);
        if (server) {
            kvmOptBool(opt, "server", true);
            kvmOptBool(opt, "wait", false);
        }
        break;
    case DOMAIN_CHR_TYPE_NULL:
    case DOMAIN_CHR_TYPE_VC:
    case DOMAIN_CHR_TYPE_STDIO:
    case DOMAIN_CHR_TYPE_SPICEVMC:
        g_string_append(opt, domainChrTypeToString(chr->type));
        kvmOpt(opt, "id", chrid);
        if (chr->type == DOMAIN_CHR_TYPE_SPICEVMC)
            kvmOpt(opt, "name", "vdagent");
        break;
    default:
        g_string_free(opt, TRUE);
        KVM_ERR("character device type '%s'", domainChrTypeToString(chr->type));
        return -1;
    }
    if (chr->logFile) {
        kvmOpt(opt, "logfile", chr->logFile);
        kvmOptBool(opt, "logappend", false);
    }
    kvmAddOption(b, "-chardev", opt);
    return 0;

nopath:
    g_string_free(opt, TRUE);
    KVM_ERR("character device '%s' has no source path", id);
    return -1;
}

static const char *kvmSerialDriver(const domainChrDef *chr)
{
    const char *model = chr->targetModel ? chr->targetModel : chr->targetType;

    if (!model || g_str_equal(model, "isa-serial") ||
        g_str_equal(model, "serial"))
        return "isa-serial";
    if (g_str_equal(model, "pci-serial") || g_str_equal(model, "pci"))
        return "pci-serial";
    if (g_str_equal(model, "usb-serial") || g_str_equal(model, "usb"))
        return "usb-serial";
    KVM_ERR("serial target '%s' is not supported by the QEMU driver", model);
    return NULL;
}

static int kvmBuildSerial(kvmBuilder *b, const domainChrDef *chr,
                          unsigned int n)
{
    unsigned int port =
        chr->targetPort >= 0 ? (unsigned int)chr->targetPort : n;
    g_autofree char *id = g_strdup_printf("serial%u", port);
    const char *driver;
    GString *opt;

    if (!(driver = kvmSerialDriver(chr)) || kvmBuildChardev(b, chr, id) < 0)
        return -1;
    opt = kvmDeviceNew(driver, NULL);
    g_string_append_printf(opt, ",chardev=char%s", id);
    kvmOpt(opt, "id", id);
    if (g_str_equal(driver, "isa-serial"))
        kvmOptUint(opt, "index", port);
    if (g_str_equal(driver, "usb-serial"))
        kvmOpt(opt, "bus", "usb.0");
    if (kvmAddPCIAddress(b, opt, &chr->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildVirtioPort(kvmBuilder *b, const domainChrDef *chr,
                              const char *driver, const char *id,
                              unsigned int nr)
{
    GString *opt;

    if (kvmBuildChardev(b, chr, id) < 0)
        return -1;
    opt = kvmDeviceNew(driver, NULL);
    if (chr->addr.type == DOMAIN_ADDRESS_VIRTIO_SERIAL) {
        if (chr->addr.controller != 0 || chr->addr.bus != 0) {
            g_string_free(opt, TRUE);
            KVM_ERR("%s: only virtio-serial controller 0, bus 0 exists", id);
            return -1;
        }
        nr = chr->addr.port;
    } else if (chr->addr.type != DOMAIN_ADDRESS_NONE) {
        g_string_free(opt, TRUE);
        KVM_ERR("%s: only a virtio-serial address can be given", id);
        return -1;
    }
    g_string_append_printf(opt, ",bus=virtio-serial0.0,nr=%u,chardev=char%s",
                           nr, id);
    kvmOpt(opt, "id", id);
    if (chr->targetName)
        kvmOpt(opt, "name", chr->targetName);
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildConsole(kvmBuilder *b, const domainChrDef *chr,
                           unsigned int n)
{
    GPtrArray *serials = b->def->devices.serials;
    const char *target = chr->targetType ? chr->targetType : "serial";
    g_autofree char *id = g_strdup_printf("console%u", n);

    if (g_str_equal(target, "serial")) {
        /* The first console mirrors serial 0; without serials it is one. */
        if (serials && serials->len > 0)
            return 0;
        return kvmBuildSerial(b, chr, 0);
    }
    if (g_str_equal(target, "virtio"))
        return kvmBuildVirtioPort(b, chr, "virtconsole", id, n);
    KVM_ERR("console target '%s' is not supported by the QEMU driver", target);
    return -1;
}

static int kvmBuildChannel(kvmBuilder *b, const domainChrDef *chr,
                           unsigned int n)
{
    g_autofree char *id = g_strdup_printf("channel%u", n);

    if (!chr->targetType || !g_str_equal(chr->targetType, "virtio")) {
        KVM_ERR("channel target '%s' is not supported by the QEMU driver",
                chr->targetType ? chr->targetType : "");
        return -1;
    }
    /* Port 0 of virtio-serial is reserved for a console. */
    return kvmBuildVirtioPort(b, chr, "virtserialport", id, n + 1);
}

static int kvmBuildChrDevices(kvmBuilder *b)
{
    const domainDevicesDef *d = &b->def->devices;

    for (guint i = 0; d->serials && i < d->serials->len; i++) {
        if (kvmBuildSerial(b, g_ptr_array_index(d->serials, i), i) < 0)
            return -1;
    }
    for (guint i = 0; d->consoles && i < d->consoles->len; i++) {
        if (kvmBuildConsole(b, g_ptr_array_index(d->consoles, i), i) < 0)
            return -1;
    }
    for (guint i = 0; d->channels && i < d->channels->len; i++) {
        if (kvmBuildChannel(b, g_ptr_array_index(d->channels, i), i) < 0)
            return -1;
    }
    return 0;
}

/* ---- display: graphics, video, input, sound ---------------------------- */

static int kvmBuildVNC(kvmBuilder *b, const domainGraphicsDef *g)
{
    const char *listen = g->listen ? g->listen : "127.0.0.1";
    GString *opt = g_string_new(NULL);
    g_autofree char *host = NULL;

    if (g->listenType && g_str_equal(g->listenType, "none")) {
        g_string_append(opt, "none");
    } else {
        host = strchr(listen, ':') ? g_strdup_printf("[%s]", listen)
                                   : g_strdup(listen);
        /* With autoport QEMU picks the first free display from 5900 up;
         * the driver reads the port back with query-vnc. */
        if (g->port >= 5900 && g->autoport != DOMAIN_TRISTATE_YES)
            g_string_append_printf(opt, "%s:%d", host, g->port - 5900);
        else
            g_string_append_printf(opt, "%s:0,to=99", host);
    }
    if (g->passwd)
        kvmOptBool(opt, "password", true);
    kvmAddOption(b, "-vnc", opt);
    if (g->keymap)
        cmdAddArgList(b->cmd, "-k", g->keymap, NULL);
    return 0;
}

static int kvmBuildSpice(kvmBuilder *b, const domainGraphicsDef *g)
{
    GString *opt = g_string_new(NULL);

    if (g->port > 0)
        kvmOptUint(opt, "port", g->port);
    if (g->tlsPort > 0)
        kvmOptUint(opt, "tls-port", g->tlsPort);
    kvmOpt(opt, "addr", g->listen ? g->listen : "127.0.0.1");
    if (!g->passwd)
        kvmOptBool(opt, "disable-ticketing", true);
    if (g->imageCompression)
        kvmOpt(opt, "image-compression", g->imageCompression);
    kvmOptBool(opt, "seamless-migration", true);
    if (g->port <= 0 && g->tlsPort <= 0) {
        g_string_free(opt, TRUE);
        KVM_ERR("spice graphics need a fixed port for now");
        return -1;
    }
    kvmAddOption(b, "-spice", opt);
    return 0;
}

static int kvmBuildGraphics(kvmBuilder *b)
{
    GPtrArray *gs = b->def->devices.graphics;

    if (!gs || gs->len == 0) {
        cmdAddArgList(b->cmd, "-display", "none", NULL);
        return 0;
    }
    for (guint i = 0; i < gs->len; i++) {
        const domainGraphicsDef *g = g_ptr_array_index(gs, i);
        int rc;

        switch (g->type) {
        case DOMAIN_GRAPHICS_VNC:
            rc = kvmBuildVNC(b, g);
            break;
        case DOMAIN_GRAPHICS_SPICE:
            rc = kvmBuildSpice(b, g);
            break;
        default:
            cmdAddArgList(b->cmd, "-display", "sdl", NULL);
            rc = 0;
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

static const char *kvmVideoDriver(const domainVideoDef *v, bool primary)
{
    static const char *const map[][3] = {
        /* model, primary, secondary */
        {"vga", "VGA", "secondary-vga"},
        {"cirrus", "cirrus-vga", NULL},
        {"virtio", "virtio-vga", "virtio-gpu-pci"},
        {"qxl", "qxl-vga", "qxl"},
        {"bochs", "bochs-display", "bochs-display"},
        {"ramfb", "ramfb", NULL},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (g_str_equal(v->model, map[i][0])) {
            const char *driver = map[i][primary ? 1 : 2];

            if (!driver)
                break;
            return driver;
        }
    }
    KVM_ERR("video model '%s'%s is not supported by the QEMU driver", v->model,
            primary ? "" : " as a secondary card");
    return NULL;
}

static int kvmBuildVideo(kvmBuilder *b, const domainVideoDef *v, unsigned int n)
{
    g_autofree char *id = g_strdup_printf("video%u", n);
    const char *driver;
    GString *opt;

    if (!v->model || g_str_equal(v->model, "none"))
        return 0;
    if (!(driver = kvmVideoDriver(v, n == 0)))
        return -1;
    opt = kvmDeviceNew(driver, id);
    if (v->vram && g_str_has_prefix(v->model, "qxl"))
        kvmOptUint(opt, "vram_size", (unsigned long long)v->vram * 1024);
    else if (v->vram &&
             (g_str_equal(v->model, "vga") || g_str_equal(v->model, "cirrus")))
        kvmOptUint(opt, "vgamem_mb", v->vram / 1024);
    if (v->heads > 1)
        kvmOptUint(opt, "max_outputs", v->heads);
    if (kvmAddPCIAddress(b, opt, &v->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildInput(kvmBuilder *b, const domainInputDef *in,
                         unsigned int n)
{
    const char *bus = in->bus ? in->bus : "ps2";
    g_autofree char *id = g_strdup_printf("input%u", n);
    g_autofree char *driver = NULL;
    GString *opt;

    if (g_str_equal(bus, "ps2")) {
        if (g_str_equal(in->type, "tablet")) {
            KVM_ERR("input 'tablet' cannot sit on bus 'ps2'");
            return -1;
        }
        return 0; /* built into the machine */
    }
    if (g_str_equal(bus, "usb")) {
        driver = g_str_equal(in->type, "keyboard")
                     ? g_strdup("usb-kbd")
                     : g_strdup_printf("usb-%s", in->type);
    } else if (g_str_equal(bus, "virtio")) {
        driver = g_strdup_printf("virtio-%s-pci", in->type);
    } else {
        KVM_ERR("input bus '%s' is not supported by the QEMU driver", bus);
        return -1;
    }
    opt = kvmDeviceNew(driver, id);
    if (g_str_equal(bus, "usb"))
        kvmOpt(opt, "bus", "usb.0");
    else if (kvmAddPCIAddress(b, opt, &in->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildSound(kvmBuilder *b, const domainSoundDef *s, unsigned int n)
{
    static const char *const map[][2] = {
        {"ich6", "intel-hda"}, {"ich9", "ich9-intel-hda"}, {"ac97", "AC97"},
        {"es1370", "ES1370"},  {"sb16", "sb16"},           {"usb", "usb-audio"},
    };
    g_autofree char *id = g_strdup_printf("sound%u", n);
    const char *driver = NULL;
    bool hda;
    GString *opt;

    for (size_t i = 0; i < G_N_ELEMENTS(map) && !driver; i++) {
        if (g_str_equal(s->model, map[i][0]))
            driver = map[i][1];
    }
    if (!driver) {
        KVM_ERR("sound model '%s'", s->model);
        return -1;
    }
    hda = g_str_has_suffix(driver, "intel-hda");
    opt = kvmDeviceNew(driver, id);
    if (!hda)
        kvmOpt(opt, "audiodev", "audio1");
    if (g_str_equal(driver, "usb-audio"))
        kvmOpt(opt, "bus", "usb.0");
    else if (kvmAddPCIAddress(b, opt, &s->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    if (hda) {
        g_autofree char *codec = g_strdup_printf("%s-codec0", id);

        opt = kvmDeviceNew("hda-duplex", codec);
        g_string_append_printf(opt, ",bus=%s.0,cad=0", id);
        kvmOpt(opt, "audiodev", "audio1");
        kvmAddOption(b, "-device", opt);
    }
    return 0;
}

static int kvmBuildAudio(kvmBuilder *b)
{
    const domainDevicesDef *d = &b->def->devices;
    const char *type = "none";
    GString *opt;

    if (!d->sounds || d->sounds->len == 0)
        return 0;
    if (d->audios && d->audios->len > 0) {
        const domainAudioDef *a = g_ptr_array_index(d->audios, 0);

        type = a->type;
        if (d->audios->len > 1 || a->id != 1) {
            KVM_ERR("only one <audio> backend, id 1, is supported");
            return -1;
        }
    }
    if (!g_str_equal(type, "none") && !g_str_equal(type, "spice") &&
        !g_str_equal(type, "sdl") && !g_str_equal(type, "pulseaudio") &&
        !g_str_equal(type, "alsa")) {
        KVM_ERR("audio backend '%s'", type);
        return -1;
    }
    opt = g_string_new(g_str_equal(type, "pulseaudio") ? "pa" : type);
    kvmOpt(opt, "id", "audio1");
    kvmAddOption(b, "-audiodev", opt);
    return 0;
}

static int kvmBuildDisplay(kvmBuilder *b)
{
    const domainDevicesDef *d = &b->def->devices;

    if (kvmBuildAudio(b) < 0 || kvmBuildGraphics(b) < 0)
        return -1;
    for (guint i = 0; d->videos && i < d->videos->len; i++) {
        if (kvmBuildVideo(b, g_ptr_array_index(d->videos, i), i) < 0)
            return -1;
    }
    for (guint i = 0; d->inputs && i < d->inputs->len; i++) {
        if (kvmBuildInput(b, g_ptr_array_index(d->inputs, i), i) < 0)
            return -1;
    }
    for (guint i = 0; d->sounds && i < d->sounds->len; i++) {
        if (kvmBuildSound(b, g_ptr_array_index(d->sounds, i), i) < 0)
            return -1;
    }
    for (guint i = 0; d->redirdevs && i < d->redirdevs->len; i++) {
        const domainRedirdevDef *r = g_ptr_array_index(d->redirdevs, i);

        if (!g_str_equal(r->bus, "usb") || !g_str_equal(r->type, "spicevmc")) {
            KVM_ERR("redirdev bus '%s' type '%s'", r->bus, r->type);
            return -1;
        }
        cmdAddArg(b->cmd, "-chardev");
        cmdAddArgFormat(b->cmd, "spicevmc,id=charredir%u,name=usbredir", i);
        cmdAddArg(b->cmd, "-device");
        cmdAddArgFormat(b->cmd,
                        "usb-redir,chardev=charredir%u,id=redir%u,"
                        "bus=usb.0",
                        i, i);
    }
    return 0;
}

/* ---- memballoon, rng, watchdog, panic ---------------------------------- */

static int kvmBuildMemballoon(kvmBuilder *b)
{
    const domainMemballoonDef *mb = b->def->devices.memballoon;
    GString *opt;

    if (!mb || !mb->model || g_str_equal(mb->model, "none"))
        return 0;
    if (!g_str_equal(mb->model, "virtio")) {
        KVM_ERR("memballoon model '%s'", mb->model);
        return -1;
    }
    opt = kvmDeviceNew("virtio-balloon-pci", "balloon0");
    if (mb->autodeflate != DOMAIN_TRISTATE_ABSENT)
        kvmOptBool(opt, "deflate-on-oom",
                   mb->autodeflate == DOMAIN_TRISTATE_YES);
    if (kvmAddPCIAddress(b, opt, &mb->addr, "balloon0") < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildRNG(kvmBuilder *b, const domainRNGDef *rng, unsigned int n)
{
    g_autofree char *obj = g_strdup_printf("objrng%u", n);
    g_autofree char *id = g_strdup_printf("rng%u", n);
    GString *opt;

    if (!rng->model || !g_str_equal(rng->model, "virtio")) {
        KVM_ERR("rng model '%s'", rng->model ? rng->model : "");
        return -1;
    }
    if (!rng->backendModel || !g_str_equal(rng->backendModel, "random")) {
        KVM_ERR("rng backend '%s' (only 'random' for now)",
                rng->backendModel ? rng->backendModel : "");
        return -1;
    }
    opt = g_string_new("rng-random");
    kvmOpt(opt, "id", obj);
    kvmOpt(opt, "filename",
           rng->backendPath ? rng->backendPath : "/dev/urandom");
    kvmAddOption(b, "-object", opt);

    opt = kvmDeviceNew("virtio-rng-pci", id);
    kvmOpt(opt, "rng", obj);
    if (rng->rateBytes) {
        kvmOptUint(opt, "max-bytes", rng->rateBytes);
        kvmOptUint(opt, "period", rng->ratePeriod ? rng->ratePeriod : 1000);
    }
    if (kvmAddPCIAddress(b, opt, &rng->addr, id) < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    return 0;
}

static int kvmBuildWatchdog(kvmBuilder *b)
{
    static const char *const actions[][2] = {
        {"reset", "reset"},
        {"shutdown", "shutdown"},
        {"poweroff", "poweroff"},
        {"pause", "pause"},
        {"none", "none"},
        {"inject-nmi", "inject-nmi"},
        /* QEMU cannot dump by itself: the driver dumps on the pause. */
        {"dump", "pause"},
    };
    const domainWatchdogDef *wd = b->def->devices.watchdog;
    const char *action = NULL;
    GString *opt;

    if (!wd)
        return 0;
    if (!g_str_equal(wd->model, "i6300esb") &&
        !g_str_equal(wd->model, "ib700")) {
        KVM_ERR("watchdog model '%s'", wd->model);
        return -1;
    }
    for (size_t i = 0; wd->action && i < G_N_ELEMENTS(actions); i++) {
        if (g_str_equal(wd->action, actions[i][0]))
            action = actions[i][1];
    }
    if (wd->action && !action) {
        KVM_ERR("watchdog action '%s'", wd->action);
        return -1;
    }
    opt = kvmDeviceNew(wd->model, "watchdog0");
    if (kvmAddPCIAddress(b, opt, &wd->addr, "watchdog0") < 0) {
        g_string_free(opt, TRUE);
        return -1;
    }
    kvmAddOption(b, "-device", opt);
    if (action)
        cmdAddArgList(b->cmd, "-watchdog-action", action, NULL);
    return 0;
}

static int kvmBuildMisc(kvmBuilder *b)
{
    const domainDevicesDef *d = &b->def->devices;

    if (kvmBuildMemballoon(b) < 0)
        return -1;
    for (guint i = 0; d->rngs && i < d->rngs->len; i++) {
        if (kvmBuildRNG(b, g_ptr_array_index(d->rngs, i), i) < 0)
            return -1;
    }
    if (kvmBuildWatchdog(b) < 0)
        return -1;
    for (guint i = 0; d->panics && i < d->panics->len; i++) {
        const domainPanicDef *p = g_ptr_array_index(d->panics, i);

        if (p->model && !g_str_equal(p->model, "isa") &&
            !g_str_equal(p->model, "pvpanic")) {
            KVM_ERR("panic model '%s'", p->model);
            return -1;
        }
        cmdAddArgList(b->cmd, "-device",
                      p->model && g_str_equal(p->model, "pvpanic")
                          ? "pvpanic-pci"
                          : "pvpanic",
                      NULL);
    }
    if (b->def->features[DOMAIN_FEATURE_VMCOREINFO] == DOMAIN_TRISTATE_YES)
        cmdAddArgList(b->cmd, "-device", "vmcoreinfo", NULL);
    return 0;
}

/* ---- the whole command -------------------------------------------------- */

static int kvmCheckDef(const domainDef *def, const kvmCommandParams *params)
{
    if (def->virtType != DOMAIN_VIRT_QEMU && def->virtType != DOMAIN_VIRT_KVM) {
        KVM_ERR("domain type '%s' is not handled by the QEMU driver",
                domainVirtTypeToString(def->virtType));
        return -1;
    }
    if (!params || !params->monitorPath) {
        errorReportInternal(VMM_FROM_QEMU, "no monitor path for '%s'",
                            def->name);
        return -1;
    }
    if (!def->devices.emulator && !params->defaultEmulator) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_CONFIG_UNSUPPORTED,
                    "domain '%s' names no <emulator> and there is no default",
                    def->name);
        return -1;
    }
    if ((def->idmapUids && def->idmapUids->len) ||
        (def->idmapGids && def->idmapGids->len)) {
        KVM_ERR("<idmap> is for containers, not QEMU guests");
        return -1;
    }
    if (kvmCheckOS(def) < 0 || kvmCheckFeatures(def) < 0)
        return -1;
    return 0;
}

/* Refuses what the emulator of @caps does not have. */
static int kvmCheckCaps(kvmBuilder *b, const kvmCaps *caps)
{
    const domainDef *def = b->def;
    const char *machine = def->os.machine ? def->os.machine : "pc";
    const char *binary = kvmCapsGetBinary(caps);

    if (!kvmCapsResolveMachine(caps, machine)) {
        KVM_ERR("machine type '%s' is not supported by %s", machine, binary);
        return -1;
    }
    if (def->cpu.present && def->cpu.model &&
        def->cpu.mode <= DOMAIN_CPU_MODE_CUSTOM &&
        !kvmCapsHasCPUModel(caps, def->cpu.model)) {
        KVM_ERR("CPU model '%s' is not supported by %s", def->cpu.model,
                binary);
        return -1;
    }
    if (def->virtType == DOMAIN_VIRT_KVM && !kvmCapsHasKVM(caps)) {
        KVM_ERR("domain type 'kvm' needs /dev/kvm, which %s cannot use",
                binary);
        return -1;
    }
    for (guint i = 0; i < b->devices->len; i++) {
        const char *driver = g_ptr_array_index(b->devices, i);

        if (!kvmCapsHasDevice(caps, driver)) {
            KVM_ERR("device '%s' is not supported by %s", driver, binary);
            return -1;
        }
    }
    return 0;
}

cmdDef *kvmCommandBuild(const domainDef *def, const kvmCommandParams *params)
{
    g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
    kvmBuilder b = {.def = def, .devices = devices};
    g_autoptr(cmdDef) cmd = NULL;

    if (kvmCheckDef(def, params) < 0)
        return NULL;
    cmd = cmdNew(def->devices.emulator ? def->devices.emulator
                                       : params->defaultEmulator);
    /* A fixed environment: QEMU's messages in English, nothing inherited
     * from whoever started the daemon. */
    cmdClearEnv(cmd);
    cmdAddEnvPair(cmd, "LC_ALL", "C");
    cmdAddEnvPair(cmd, "PATH",
                  "/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                  "/usr/bin:/sbin:/bin");
    b.cmd = cmd;
    b.q35 = kvmMachineIsQ35(def->os.machine ? def->os.machine : "pc");
    b.pciRoot = b.q35 ? "pcie.0" : "pci.0";

    kvmBuildIdentity(&b);
    if (params->startPaused)
        cmdAddArg(cmd, "-S");
    if (kvmBuildMachine(&b) < 0 || kvmBuildCPU(&b) < 0 ||
        kvmBuildMemory(&b) < 0 || kvmBuildSMP(&b) < 0)
        return NULL;
    cmdAddArgList(cmd, "-no-user-config", "-nodefaults", NULL);
    kvmBuildMonitor(&b, params->monitorPath);
    if (kvmBuildClock(&b) < 0)
        return NULL;
    kvmBuildLifecycle(&b);
    kvmBuildLoader(&b);
    if (kvmBuildBoot(&b) < 0 || kvmBuildControllers(&b) < 0 ||
        kvmBuildDisks(&b) < 0 || kvmBuildFilesystems(&b) < 0 ||
        kvmBuildNets(&b) < 0 || kvmBuildChrDevices(&b) < 0 ||
        kvmBuildDisplay(&b) < 0 || kvmBuildMisc(&b) < 0)
        return NULL;
    cmdAddArgList(cmd, "-msg", "timestamp=on", NULL);
    if (params->incoming)
        cmdAddArgList(cmd, "-incoming", params->incoming, NULL);
    if (params->caps && kvmCheckCaps(&b, params->caps) < 0)
        return NULL;
    return g_steal_pointer(&cmd);
}

/* ---- hotplug ------------------------------------------------------------ */

/* A builder that collects options instead of a command line, set up for
 * the machine of @def as kvmCommandBuild would. */
static void kvmHotplugBuilderInit(kvmBuilder *b, const domainDef *def,
                                  GPtrArray *devices, GPtrArray *options)
{
    *b = (kvmBuilder){.def = def, .devices = devices, .hotplug = options};
    b->q35 = kvmMachineIsQ35(def->os.machine ? def->os.machine : "pc");
    b->pciRoot = b->q35 ? "pcie.0" : "pci.0";
}

int kvmCommandDiskOptions(const domainDef *def, const domainDiskDef *disk,
                          unsigned int node, GPtrArray **ret_options)
{
    g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) options = g_ptr_array_new_with_free_func(g_free);
    kvmBuilder b;

    kvmHotplugBuilderInit(&b, def, devices, options);
    b.nodeIndex = node - 1;
    if (kvmBuildDisk(&b, disk) < 0)
        return -1;
    *ret_options = g_steal_pointer(&options);
    return 0;
}

int kvmCommandNetOptions(const domainDef *def, const domainNetDef *net,
                         unsigned int n, GPtrArray **ret_options)
{
    g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) options = g_ptr_array_new_with_free_func(g_free);
    kvmBuilder b;

    kvmHotplugBuilderInit(&b, def, devices, options);
    if (kvmBuildNet(&b, net, n) < 0)
        return -1;
    *ret_options = g_steal_pointer(&options);
    return 0;
}
