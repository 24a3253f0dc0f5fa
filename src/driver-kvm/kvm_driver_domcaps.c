/*
 * kvm_driver_domcaps.c: domain capabilities of the QEMU driver, libvirt's
 * <domainCapabilities> document, made from the probe of kvm_capabilities
 * (machines with their vCPU limits, CPU models, device types) plus what
 * this driver's command line builder can express.
 *
 * What neither the probe nor the driver can vouch for (firmware images,
 * host-model CPUs, host devices) is reported unsupported rather than
 * guessed.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "util_json.h"
#include "util_xml.h"
#include "kvm_driver_domcaps.h"
#include "kvm_driver_state.h"

typedef struct {
    const char *binary;
    const char *arch;
    const char *virttype; /* "qemu" / "kvm" */
    const char *machine;  /* canonical */
    bool q35;
    long long maxCpus;
    const kvmCaps *caps;
    jsonValue *json; /* kvmCapsFormat of caps */
} kvmDomCaps;

/* "x86_64" for ".../qemu-system-x86_64". */
static char *kvmDomCapsArchOf(const char *binary)
{
    const char *base = strrchr(binary, '/');

    base = base ? base + 1 : binary;
    if (!g_str_has_prefix(base, "qemu-system-") ||
        !base[strlen("qemu-system-")])
        return NULL;
    return g_strdup(base + strlen("qemu-system-"));
}

static long long kvmDomCapsMaxCpus(const jsonValue *json, const char *machine)
{
    jsonValue *machines = jsonObjectGetArray(json, "machines");

    for (size_t i = 0; machines && i < jsonArraySize(machines); i++) {
        jsonValue *m = jsonArrayGet(machines, i);
        const char *name = jsonObjectGetString(m, "name");
        gint64 max;

        if (name && g_str_equal(name, machine) &&
            jsonObjectGetNumberInt64(m, "maxCpus", &max) == 0)
            return max;
    }
    errorReset();
    return 1;
}

static void kvmDomCapsEnum(vxmlBuf *buf, const char *name,
                           const char *const *values, size_t n)
{
    vxmlBufEscape(buf, "<enum name='%s'>\n", name);
    vxmlBufIndent(buf, 2);
    for (size_t i = 0; i < n; i++)
        vxmlBufEscape(buf, "<value>%s</value>\n", values[i]);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</enum>\n");
}

static void kvmDomCapsOS(vxmlBuf *buf)
{
    static const char *const types[] = {"rom", "pflash"};
    static const char *const readonly[] = {"yes", "no"};
    static const char *const secure[] = {"no"};

    vxmlBufAdd(buf, "<os supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<loader supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    kvmDomCapsEnum(buf, "type", types, G_N_ELEMENTS(types));
    kvmDomCapsEnum(buf, "readonly", readonly, G_N_ELEMENTS(readonly));
    kvmDomCapsEnum(buf, "secure", secure, G_N_ELEMENTS(secure));
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</loader>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</os>\n");
}

static void kvmDomCapsCPU(vxmlBuf *buf, const kvmDomCaps *dc)
{
    static const char *const onoff[] = {"on", "off"};
    bool kvm = g_str_equal(dc->virttype, "kvm");
    jsonValue *models = jsonObjectGetArray(dc->json, "cpuModels");

    errorReset();
    vxmlBufAdd(buf, "<cpu>\n");
    vxmlBufIndent(buf, 2);
    if (kvm) {
        vxmlBufAdd(buf, "<mode name='host-passthrough' supported='yes'>\n");
        vxmlBufIndent(buf, 2);
        kvmDomCapsEnum(buf, "hostPassthroughMigratable", onoff, 2);
        vxmlBufIndent(buf, -2);
        vxmlBufAdd(buf, "</mode>\n");
    } else {
        vxmlBufAdd(buf, "<mode name='host-passthrough' supported='no'/>\n");
    }
    vxmlBufAdd(buf, "<mode name='maximum' supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    kvmDomCapsEnum(buf, "maximumMigratable", onoff, 2);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</mode>\n");
    vxmlBufAdd(buf, "<mode name='host-model' supported='no'/>\n");
    vxmlBufAdd(buf, "<mode name='custom' supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    /* The probe does not ask which models the host can run. */
    for (size_t i = 0; models && i < jsonArraySize(models); i++) {
        const char *name = jsonValueGetString(jsonArrayGet(models, i));

        if (name)
            vxmlBufEscape(buf, "<model usable='unknown'>%s</model>\n", name);
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</mode>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cpu>\n");
}

/* The values of @table whose QEMU device (second column, NULL: always)
 * the emulator has. */
static void kvmDomCapsDeviceEnum(vxmlBuf *buf, const kvmDomCaps *dc,
                                 const char *name, const char *const (*table)[2],
                                 size_t n)
{
    g_autoptr(GPtrArray) values = g_ptr_array_new();

    for (size_t i = 0; i < n; i++) {
        if (!table[i][1] || kvmCapsHasDevice(dc->caps, table[i][1]))
            g_ptr_array_add(values, (gpointer)table[i][0]);
    }
    kvmDomCapsEnum(buf, name, (const char *const *)values->pdata, values->len);
}

static void kvmDomCapsDevices(vxmlBuf *buf, const kvmDomCaps *dc)
{
    static const char *const diskDevices[] = {"disk", "cdrom", "floppy",
                                              "lun"};
    static const char *const buses[][2] = {
        {"ide", "ide-hd"},   {"fdc", "floppy"}, {"scsi", "scsi-hd"},
        {"virtio", "virtio-blk-pci"}, {"usb", "usb-storage"},
        {"sata", "ide-hd"},
    };
    static const char *const graphics[][2] = {
        {"vnc", NULL},
        {"spice", "qxl-vga"},
    };
    static const char *const videos[][2] = {
        {"vga", "VGA"},         {"cirrus", "cirrus-vga"},
        {"vmvga", "vmware-svga"}, {"qxl", "qxl-vga"},
        {"virtio", "virtio-vga"}, {"bochs", "bochs-display"},
        {"ramfb", "ramfb"},     {"none", NULL},
    };

    vxmlBufAdd(buf, "<devices>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<disk supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    kvmDomCapsEnum(buf, "diskDevice", diskDevices, G_N_ELEMENTS(diskDevices));
    /* q35 has no IDE bus: its disks sit on SATA. */
    kvmDomCapsDeviceEnum(buf, dc, "bus", dc->q35 ? buses + 1 : buses,
                         G_N_ELEMENTS(buses) - (dc->q35 ? 1 : 0));
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</disk>\n");
    vxmlBufAdd(buf, "<graphics supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    kvmDomCapsDeviceEnum(buf, dc, "type", graphics, G_N_ELEMENTS(graphics));
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</graphics>\n");
    vxmlBufAdd(buf, "<video supported='yes'>\n");
    vxmlBufIndent(buf, 2);
    kvmDomCapsDeviceEnum(buf, dc, "modelType", videos, G_N_ELEMENTS(videos));
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</video>\n");
    /* Device assignment is not driven by this driver. */
    vxmlBufAdd(buf, "<hostdev supported='no'/>\n");
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</devices>\n");
}

static char *kvmDomCapsFormat(const kvmDomCaps *dc)
{
    vxmlBuf buf;

    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<domainCapabilities>\n");
    vxmlBufIndent(&buf, 2);
    vxmlBufEscape(&buf, "<path>%s</path>\n", dc->binary);
    vxmlBufEscape(&buf, "<domain>%s</domain>\n", dc->virttype);
    vxmlBufEscape(&buf, "<machine>%s</machine>\n", dc->machine);
    vxmlBufEscape(&buf, "<arch>%s</arch>\n", dc->arch);
    vxmlBufAdd(&buf, "<vcpu max='%lld'/>\n", dc->maxCpus);
    vxmlBufAdd(&buf, "<iothreads supported='no'/>\n");
    kvmDomCapsOS(&buf);
    kvmDomCapsCPU(&buf, dc);
    kvmDomCapsDevices(&buf, dc);
    vxmlBufAdd(&buf, "<features>\n");
    vxmlBufIndent(&buf, 2);
    vxmlBufAdd(&buf, "<gic supported='no'/>\n");
    vxmlBufAdd(&buf, "<vmcoreinfo supported='%s'/>\n",
               kvmCapsHasDevice(dc->caps, "vmcoreinfo") ? "yes" : "no");
    vxmlBufAdd(&buf, "<genid supported='no'/>\n");
    vxmlBufAdd(&buf, "<sev supported='no'/>\n");
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "</features>\n");
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "</domainCapabilities>\n");
    return vxmlBufFinish(&buf);
}

/* The emulator asked for (default: the driver's) and its capabilities. */
static int kvmDomCapsEmulator(kvmDriverState *st, const char *emulatorbin,
                              kvmCaps **ret_caps)
{
    if (!emulatorbin) {
        if (!st->qemuCaps) {
            errorReport(KVM_ERR, VMM_ERR_OPERATION_FAILED,
                        "no usable QEMU emulator was found on this host");
            return -1;
        }
        *ret_caps = kvmCapsRef(st->qemuCaps);
        return 0;
    }
    if (!g_path_is_absolute(emulatorbin) ||
        !g_file_test(emulatorbin, G_FILE_TEST_IS_EXECUTABLE)) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "emulator '%s' is not an executable absolute path",
                    emulatorbin);
        return -1;
    }
    return kvmCapsCacheLookup(st->capsCache, emulatorbin, ret_caps);
}

char *kvmConnectGetDomainCapabilities(vmmConnectPtr conn,
                                      const char *emulatorbin,
                                      const char *arch, const char *machine,
                                      const char *virttype, unsigned int flags)
{
    kvmDriverState *st = kvmDriverStateGet();
    g_autoptr(kvmCaps) qcaps = NULL;
    g_autoptr(jsonValue) json = NULL;
    g_autofree char *text = NULL;
    g_autofree char *binArch = NULL;
    kvmDomCaps dc = {0};

    if (kvmCheckFlags(flags, 0) < 0 ||
        kvmDomCapsEmulator(st, emulatorbin, &qcaps) < 0)
        return NULL;
    dc.caps = qcaps;
    dc.binary = kvmCapsGetBinary(qcaps);
    if (!(binArch = kvmDomCapsArchOf(dc.binary))) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "cannot tell the architecture of emulator '%s'",
                    dc.binary);
        return NULL;
    }
    if (arch && !g_str_equal(arch, binArch)) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "emulator '%s' does not support arch '%s'", dc.binary,
                    arch);
        return NULL;
    }
    dc.arch = binArch;

    if (!virttype)
        virttype = kvmCapsHasKVM(qcaps) ? "kvm" : "qemu";
    if (g_str_equal(virttype, "kvm") && !kvmCapsHasKVM(qcaps)) {
        const char *why = kvmCapsGetKVMProblem(qcaps);

        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "KVM is not supported by '%s' on this host%s%s",
                    dc.binary, why ? ": " : "", why ? why : "");
        return NULL;
    }
    if (!g_str_equal(virttype, "kvm") && !g_str_equal(virttype, "qemu")) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG, "unknown virttype: %s",
                    virttype);
        return NULL;
    }
    dc.virttype = virttype;

    dc.machine = machine ? kvmCapsResolveMachine(qcaps, machine)
                         : kvmCapsGetDefaultMachine(qcaps);
    if (!dc.machine) {
        errorReport(KVM_ERR, VMM_ERR_INVALID_ARG,
                    "the machine '%s' is not supported by emulator '%s'",
                    machine ? machine : "(default)", dc.binary);
        return NULL;
    }
    dc.q35 = strstr(dc.machine, "q35") != NULL;

    text = kvmCapsFormat(qcaps);
    if (!(json = jsonParse(text)))
        return NULL;
    dc.json = json;
    dc.maxCpus = kvmDomCapsMaxCpus(json, dc.machine);
    return kvmDomCapsFormat(&dc);
}
