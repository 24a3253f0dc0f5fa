/*
 * domain_conf.c: parsing and formatting of the top of a domain definition
 * (identity, memory, vcpus, os, features, cpu, clock, lifecycle actions)
 * and the entry points of domain_conf.h. Devices live in
 * domain_conf_devices.c.
 *
 * Parsing walks the tree element by element and checks each element's
 * attributes and children against what we model (vxmlCheckNode), so an
 * unknown construct is refused instead of dropped.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "util_uuid.h"
#include "util_xml.h"
#include "domain_conf.h"
#include "domain_conf_devices.h"

#define DOM VMM_FROM_DOMAIN

/* Enum tables ------------------------------------------------------------ */

static const char *const virtTypeNames[] = {
    "none", "test", "qemu", "kvm", "xen", "openvz",
};
G_STATIC_ASSERT(G_N_ELEMENTS(virtTypeNames) == DOMAIN_VIRT_LAST);

static const char *const lifecycleNames[] = {
    "", "destroy", "restart", "preserve", "rename-restart",
    "coredump-destroy", "coredump-restart",
};
G_STATIC_ASSERT(G_N_ELEMENTS(lifecycleNames) == DOMAIN_LIFECYCLE_LAST);

static const char *const bootDevNames[] = {
    "fd", "cdrom", "hd", "network",
};
G_STATIC_ASSERT(G_N_ELEMENTS(bootDevNames) == DOMAIN_BOOT_LAST);

static const char *const featureNames[] = {
    "acpi", "apic", "pae", "vmport",
};
G_STATIC_ASSERT(G_N_ELEMENTS(featureNames) == DOMAIN_FEATURE_LAST);

static const char *const cpuModeNames[] = {
    "", "custom", "host-model", "host-passthrough", "maximum",
};
G_STATIC_ASSERT(G_N_ELEMENTS(cpuModeNames) == DOMAIN_CPU_MODE_LAST);

int domainEnumFromString(const char *const *table, size_t n, const char *str)
{
    size_t i;

    for (i = 0; str && i < n; i++) {
        if (table[i][0] && g_str_equal(table[i], str))
            return i;
    }
    return -1;
}

const char *domainEnumToString(const char *const *table, size_t n, int val)
{
    if (val < 0 || (size_t)val >= n)
        return NULL;
    return table[val];
}

const char *domainVirtTypeToString(int type)
{
    return DOMAIN_ENUM_TO_STRING(virtTypeNames, type);
}

int domainVirtTypeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(virtTypeNames, str);
}

const char *domainLifecycleActionToString(int action)
{
    return DOMAIN_ENUM_TO_STRING(lifecycleNames, action);
}

int domainLifecycleActionFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(lifecycleNames, str);
}

static int bootDevFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(bootDevNames, str);
}

static int cpuModeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(cpuModeNames, str);
}

/* Freeing ---------------------------------------------------------------- */

static void domainOSDefClear(domainOSDef *os)
{
    g_free(os->type);
    g_free(os->arch);
    g_free(os->machine);
    g_free(os->kernel);
    g_free(os->initrd);
    g_free(os->cmdline);
    g_free(os->loader);
    g_free(os->loaderType);
    g_free(os->init);
    g_strfreev(os->initargs);
}

static void domainCPUDefClear(domainCPUDef *cpu)
{
    g_free(cpu->match);
    g_free(cpu->check);
    g_free(cpu->model);
    g_free(cpu->fallback);
}

static void domainTimerDefFree(gpointer data)
{
    domainTimerDef *timer = data;

    g_free(timer->name);
    g_free(timer->tickpolicy);
    g_free(timer->track);
    g_free(timer);
}

static void domainClockDefClear(domainClockDef *clock)
{
    g_free(clock->offset);
    g_free(clock->timezone);
    g_free(clock->adjustment);
    g_free(clock->basis);
    if (clock->timers)
        g_ptr_array_unref(clock->timers);
}

void domainDefFree(domainDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->metadata);
    g_free(def->vcpuPlacement);
    g_free(def->cpuset);
    domainOSDefClear(&def->os);
    domainCPUDefClear(&def->cpu);
    domainClockDefClear(&def->clock);
    domainDevicesDefClear(&def->devices);
    g_free(def);
}

static domainDef *domainDefNew(void)
{
    domainDef *def = g_new0(domainDef, 1);

    def->clock.timers = g_ptr_array_new_with_free_func(domainTimerDefFree);
    domainDevicesDefInit(&def->devices);
    return def;
}

/* Small parsing helpers -------------------------------------------------- */

/* The text of the child element @name of @parent, which may carry only
 * @attrs. 0 with *ret_text NULL when absent. */
int domainParseTextChild(const xmlNode *parent, const char *name,
                         const char *const *attrs, char **ret_text)
{
    xmlNode *node = vxmlChild(parent, name);

    *ret_text = NULL;
    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0)
        return -1;
    *ret_text = vxmlNodeContent(node);
    return 0;
}

int domainScaleUnit(const xmlNode *node, unsigned long long value,
                             const char *unit, unsigned long long *ret_kib)
{
    static const char *const binary[] = { "k", "m", "g", "t", "p", "e" };
    static const char *const decimal[] = { "kb", "mb", "gb", "tb", "pb", "eb" };
    unsigned long long base = 1024;
    int power = -1;
    size_t i;

    if (!unit || g_ascii_strcasecmp(unit, "b") == 0 ||
        g_ascii_strcasecmp(unit, "bytes") == 0)
        power = unit ? 0 : 1;
    for (i = 0; power < 0 && i < G_N_ELEMENTS(binary); i++) {
        g_autofree char *iec = g_strdup_printf("%sib", binary[i]);

        if (g_ascii_strcasecmp(unit, binary[i]) == 0 ||
            g_ascii_strcasecmp(unit, iec) == 0) {
            power = i + 1;
        } else if (g_ascii_strcasecmp(unit, decimal[i]) == 0) {
            power = i + 1;
            base = 1000;
        }
    }
    if (power < 0) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown memory unit '%s' in <%s>", unit,
                    (const char *)node->name);
        return -1;
    }
    /* Work in bytes, capped like libvirt at what a signed 64-bit byte count
     * can hold, then round up to KiB. */
    for (i = 0; i < (size_t)power; i++) {
        if (value > (unsigned long long)G_MAXINT64 / base) {
            errorReport(DOM, VMM_ERR_OVERFLOW,
                        "memory size too large in <%s>",
                        (const char *)node->name);
            return -1;
        }
        value *= base;
    }
    *ret_kib = value / 1024 + (value % 1024 ? 1 : 0);
    return 0;
}

/* <memory unit='MiB'>512</memory> and its siblings. 0 when absent. */
static int domainParseMemoryElem(const xmlNode *root, const char *name,
                                 const char *const *attrs,
                                 unsigned long long *ret_kib)
{
    xmlNode *node = vxmlChild(root, name);
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;
    unsigned long long value;

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0)
        return -1;
    text = vxmlNodeContent(node);
    if (text)
        g_strstrip(text);
    if (!text || vxmlStrToULongLong(text, &value) < 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "invalid memory size '%s' in <%s>", text ? text : "",
                    name);
        return -1;
    }
    unit = vxmlGetProp(node, "unit");
    return domainScaleUnit(node, value, unit, ret_kib);
}

/* Identity --------------------------------------------------------------- */

static int domainParseType(const xmlNode *root, domainDef *def)
{
    g_autofree char *type = vxmlGetProp(root, "type");

    if (!type) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "missing domain type attribute");
        return -1;
    }
    if ((def->virtType = domainVirtTypeFromString(type)) < 0) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown domain type '%s'", type);
        return -1;
    }
    return 0;
}

static int domainParseName(const xmlNode *root, domainDef *def)
{
    if (domainParseTextChild(root, "name", NULL, &def->name) < 0)
        return -1;
    if (!def->name) {
        errorReport(DOM, VMM_ERR_NO_NAME, NULL);
        return -1;
    }
    if (strchr(def->name, '/')) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "name '%s' cannot contain '/'",
                    def->name);
        return -1;
    }
    if (strlen(def->name) > DOMAIN_DEF_NAME_MAX) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "name is longer than %d bytes", DOMAIN_DEF_NAME_MAX);
        return -1;
    }
    return 0;
}

static int domainParseUUID(const xmlNode *root, domainDef *def)
{
    g_autofree char *text = NULL;

    if (domainParseTextChild(root, "uuid", NULL, &text) < 0)
        return -1;
    if (!text) {
        uuidGenerate(def->uuid);
        return 0;
    }
    g_strstrip(text);
    if (uuidParse(text, def->uuid) < 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "malformed uuid element '%s'",
                    text);
        return -1;
    }
    return 0;
}

static int domainParseIdentity(const xmlNode *root, domainDef *def)
{
    xmlNode *meta;

    if (domainParseType(root, def) < 0 || domainParseName(root, def) < 0 ||
        domainParseUUID(root, def) < 0)
        return -1;
    if (domainParseTextChild(root, "title", NULL, &def->title) < 0 ||
        domainParseTextChild(root, "description", NULL,
                             &def->description) < 0)
        return -1;
    if (def->title && strchr(def->title, '\n')) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "title can't contain newlines");
        return -1;
    }
    /* <metadata> belongs to applications: kept verbatim, whatever it
     * holds. */
    if ((meta = vxmlChild(root, "metadata"))) {
        if (meta->properties) {
            errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                        "unknown attribute '%s' in <metadata>",
                        (const char *)meta->properties->name);
            return -1;
        }
        if (!(def->metadata = vxmlNodeToString(meta)))
            return -1;
    }
    return 0;
}

/* Memory and vcpus ------------------------------------------------------- */

static int domainParseMemory(const xmlNode *root, domainDef *def)
{
    static const char *const unitAttr[] = { "unit", NULL };
    static const char *const maxAttrs[] = { "unit", "slots", NULL };
    xmlNode *maxNode = vxmlChild(root, "maxMemory");

    if (domainParseMemoryElem(root, "memory", unitAttr, &def->memory) < 0 ||
        domainParseMemoryElem(root, "currentMemory", unitAttr,
                              &def->currentMemory) < 0 ||
        domainParseMemoryElem(root, "maxMemory", maxAttrs,
                              &def->maxMemory) < 0)
        return -1;
    if (maxNode && vxmlPropUInt(maxNode, "slots", &def->maxMemorySlots) < 0)
        return -1;
    if (def->memory == 0) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "memory size must be specified in <memory> and be "
                    "greater than zero");
        return -1;
    }
    if (def->currentMemory == 0)
        def->currentMemory = def->memory;
    if (def->currentMemory > def->memory) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "current memory %llu KiB exceeds memory %llu KiB",
                    def->currentMemory, def->memory);
        return -1;
    }
    if (def->maxMemory && def->maxMemory < def->memory) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "maximum memory size must be equal or greater than the "
                    "actual memory size");
        return -1;
    }
    return 0;
}

#define DOMAIN_VCPUS_MAX 16384

static int domainParseVcpu(const xmlNode *root, domainDef *def)
{
    static const char *const attrs[] = { "placement", "current", "cpuset",
                                         NULL };
    xmlNode *node = vxmlChild(root, "vcpu");
    g_autofree char *text = NULL;
    unsigned long long n;

    def->vcpus = def->vcpusCurrent = 1;
    def->vcpuPlacement = g_strdup("static");
    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0)
        return -1;
    text = vxmlNodeContent(node);
    if (text)
        g_strstrip(text);
    if (!text || vxmlStrToULongLong(text, &n) < 0 || n == 0 ||
        n > DOMAIN_VCPUS_MAX) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "invalid vcpu count '%s': expected 1 to %d",
                    text ? text : "", DOMAIN_VCPUS_MAX);
        return -1;
    }
    def->vcpus = def->vcpusCurrent = n;
    if (vxmlPropUInt(node, "current", &def->vcpusCurrent) < 0)
        return -1;
    if (def->vcpusCurrent == 0 || def->vcpusCurrent > def->vcpus) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "vcpu current='%u' must be between 1 and the maximum %u",
                    def->vcpusCurrent, def->vcpus);
        return -1;
    }
    g_clear_pointer(&def->vcpuPlacement, g_free);
    def->vcpuPlacement = vxmlGetProp(node, "placement");
    def->cpuset = vxmlGetProp(node, "cpuset");
    if (!def->vcpuPlacement)
        def->vcpuPlacement = g_strdup("static");
    if (!g_str_equal(def->vcpuPlacement, "static") &&
        !g_str_equal(def->vcpuPlacement, "auto")) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown vcpu placement '%s'", def->vcpuPlacement);
        return -1;
    }
    return 0;
}

/* <os> ------------------------------------------------------------------- */

static int domainParseOSType(const xmlNode *os, domainOSDef *def)
{
    static const char *const attrs[] = { "arch", "machine", NULL };
    xmlNode *node = vxmlChild(os, "type");

    if (node && vxmlCheckNode(node, DOM, attrs, NULL, true) < 0)
        return -1;
    if (!node || !(def->type = vxmlNodeContent(node))) {
        errorReport(DOM, VMM_ERR_OS_TYPE, "an os <type> must be specified");
        return -1;
    }
    g_strstrip(def->type);
    def->arch = vxmlGetProp(node, "arch");
    def->machine = vxmlGetProp(node, "machine");
    return 0;
}

static int domainParseOSBoot(const xmlNode *os, domainOSDef *def)
{
    static const char *const attrs[] = { "dev", NULL };
    xmlNode *cur;
    int dev;

    for (cur = os->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(cur->name, BAD_CAST "boot"))
            continue;
        if (vxmlCheckNode(cur, DOM, attrs, NULL, false) < 0)
            return -1;
        if (def->nboot == DOMAIN_BOOT_MAX) {
            errorReport(DOM, VMM_ERR_XML_ERROR,
                        "at most %d <boot> elements are allowed",
                        DOMAIN_BOOT_MAX);
            return -1;
        }
        if (vxmlPropEnum(cur, "dev", bootDevFromString, &dev) <= 0) {
            if (!errorIsSet())
                errorReport(DOM, VMM_ERR_XML_ERROR,
                            "missing boot device in <boot>");
            return -1;
        }
        def->boot[def->nboot++] = dev;
    }
    return 0;
}

static int domainParseOSLoader(const xmlNode *os, domainOSDef *def)
{
    static const char *const attrs[] = { "readonly", "type", NULL };
    xmlNode *node = vxmlChild(os, "loader");
    bool ro;
    int rc;

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0)
        return -1;
    def->loader = vxmlNodeContent(node);
    if ((rc = vxmlPropYesNo(node, "readonly", &ro)) < 0)
        return -1;
    if (rc > 0)
        def->loaderReadonly = ro ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    def->loaderType = vxmlGetProp(node, "type");
    if (def->loaderType && !g_str_equal(def->loaderType, "rom") &&
        !g_str_equal(def->loaderType, "pflash")) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown loader type '%s'", def->loaderType);
        return -1;
    }
    return 0;
}

static int domainParseOSInitArgs(const xmlNode *os, domainOSDef *def)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    xmlNode *cur;

    for (cur = os->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(cur->name, BAD_CAST "initarg"))
            continue;
        if (vxmlCheckNode(cur, DOM, NULL, NULL, true) < 0)
            return -1;
        g_ptr_array_add(args, vxmlNodeContent(cur) ?: g_strdup(""));
    }
    if (args->len == 0)
        return 0;
    g_ptr_array_add(args, NULL);
    def->initargs = (char **)g_ptr_array_free(g_steal_pointer(&args), FALSE);
    return 0;
}

static int domainParseOS(const xmlNode *root, domainDef *def)
{
    static const char *const children[] = {
        "type", "loader", "kernel", "initrd", "cmdline", "init",
        "initarg*", "boot*", NULL
    };
    xmlNode *os = vxmlChild(root, "os");
    domainOSDef *o = &def->os;

    if (!os) {
        errorReport(DOM, VMM_ERR_OS_TYPE, "an os <type> must be specified");
        return -1;
    }
    if (vxmlCheckNode(os, DOM, NULL, children, false) < 0 ||
        domainParseOSType(os, o) < 0 || domainParseOSBoot(os, o) < 0 ||
        domainParseOSLoader(os, o) < 0 || domainParseOSInitArgs(os, o) < 0)
        return -1;
    if (domainParseTextChild(os, "kernel", NULL, &o->kernel) < 0 ||
        domainParseTextChild(os, "initrd", NULL, &o->initrd) < 0 ||
        domainParseTextChild(os, "cmdline", NULL, &o->cmdline) < 0 ||
        domainParseTextChild(os, "init", NULL, &o->init) < 0)
        return -1;
    return 0;
}

/* Features, cpu, clock, lifecycle ----------------------------------------- */

/* <vmport state='on|off'/> is the one feature with a state. */
static int domainParseFeature(const xmlNode *node, int feature,
                              int *ret_state)
{
    static const char *const stateAttr[] = { "state", NULL };
    bool on;
    int rc;

    if (feature != DOMAIN_FEATURE_VMPORT) {
        if (vxmlCheckNode(node, DOM, NULL, NULL, false) < 0)
            return -1;
        *ret_state = DOMAIN_TRISTATE_YES;
        return 0;
    }
    if (vxmlCheckNode(node, DOM, stateAttr, NULL, false) < 0 ||
        (rc = vxmlPropOnOff(node, "state", &on)) < 0)
        return -1;
    if (rc == 0)
        return domainMissingAttr(node, "state");
    *ret_state = on ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    return 0;
}

static int domainParseFeatures(const xmlNode *root, domainDef *def)
{
    static const char *const children[] = { "acpi", "apic", "pae", "vmport",
                                            NULL };
    xmlNode *node = vxmlChild(root, "features");
    size_t i;

    if (!node)
        return 0;
    def->featuresPresent = true;
    if (vxmlCheckNode(node, DOM, NULL, children, false) < 0)
        return -1;
    for (i = 0; i < DOMAIN_FEATURE_LAST; i++) {
        xmlNode *f = vxmlChild(node, featureNames[i]);

        if (f && domainParseFeature(f, i, &def->features[i]) < 0)
            return -1;
    }
    return 0;
}

static int domainParseCPUModel(const xmlNode *cpu, domainCPUDef *def)
{
    static const char *const attrs[] = { "fallback", NULL };
    xmlNode *node = vxmlChild(cpu, "model");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0)
        return -1;
    def->model = vxmlNodeContent(node);
    def->fallback = vxmlGetProp(node, "fallback");
    return 0;
}

static int domainParseCPUTopology(const xmlNode *cpu, domainCPUDef *def)
{
    static const char *const attrs[] = { "sockets", "dies", "cores",
                                         "threads", NULL };
    xmlNode *node = vxmlChild(cpu, "topology");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropUInt(node, "sockets", &def->sockets) < 0 ||
        vxmlPropUInt(node, "dies", &def->dies) < 0 ||
        vxmlPropUInt(node, "cores", &def->cores) < 0 ||
        vxmlPropUInt(node, "threads", &def->threads) < 0)
        return -1;
    if (!def->sockets || !def->cores || !def->threads) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<topology> needs non-zero sockets, cores and threads");
        return -1;
    }
    return 0;
}

static int domainParseCPU(const xmlNode *root, domainDef *def)
{
    static const char *const attrs[] = { "mode", "match", "check", NULL };
    static const char *const children[] = { "model", "topology", NULL };
    xmlNode *node = vxmlChild(root, "cpu");
    domainCPUDef *cpu = &def->cpu;

    if (!node)
        return 0;
    cpu->present = true;
    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropEnum(node, "mode", cpuModeFromString, &cpu->mode) < 0 ||
        domainParseCPUModel(node, cpu) < 0 ||
        domainParseCPUTopology(node, cpu) < 0)
        return -1;
    cpu->match = vxmlGetProp(node, "match");
    cpu->check = vxmlGetProp(node, "check");
    return 0;
}

static int domainParseTimer(const xmlNode *node, domainClockDef *clock)
{
    static const char *const attrs[] = { "name", "tickpolicy", "track",
                                         "present", NULL };
    g_autofree domainTimerDef *timer = g_new0(domainTimerDef, 1);
    bool present;
    int rc;

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0)
        return -1;
    if ((rc = vxmlPropYesNo(node, "present", &present)) < 0)
        return -1;
    if (!(timer->name = vxmlGetProp(node, "name"))) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "missing timer name");
        return -1;
    }
    if (rc > 0)
        timer->present = present ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    timer->tickpolicy = vxmlGetProp(node, "tickpolicy");
    timer->track = vxmlGetProp(node, "track");
    g_ptr_array_add(clock->timers, g_steal_pointer(&timer));
    return 0;
}

static int domainParseClock(const xmlNode *root, domainDef *def)
{
    static const char *const attrs[] = { "offset", "timezone", "adjustment",
                                         "basis", NULL };
    static const char *const children[] = { "timer*", NULL };
    xmlNode *node = vxmlChild(root, "clock");
    xmlNode *cur;

    def->clock.offset = g_strdup("utc");
    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0)
        return -1;
    g_free(def->clock.offset);
    if (!(def->clock.offset = vxmlGetProp(node, "offset")))
        def->clock.offset = g_strdup("utc");
    def->clock.timezone = vxmlGetProp(node, "timezone");
    def->clock.adjustment = vxmlGetProp(node, "adjustment");
    def->clock.basis = vxmlGetProp(node, "basis");
    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE &&
            domainParseTimer(cur, &def->clock) < 0)
            return -1;
    }
    return 0;
}

static int domainParseLifecycle(const xmlNode *root, const char *name,
                                int fallback, int *ret_action)
{
    g_autofree char *text = NULL;
    int action;

    if (domainParseTextChild(root, name, NULL, &text) < 0)
        return -1;
    if (!text) {
        *ret_action = fallback;
        return 0;
    }
    g_strstrip(text);
    if ((action = domainLifecycleActionFromString(text)) < 0) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown lifecycle action '%s' in <%s>", text, name);
        return -1;
    }
    *ret_action = action;
    return 0;
}

static int domainParsePMState(const xmlNode *pm, const char *name,
                              int *ret_state)
{
    static const char *const attrs[] = { "enabled", NULL };
    xmlNode *node = vxmlChild(pm, name);
    bool enabled;
    int rc;

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        (rc = vxmlPropYesNo(node, "enabled", &enabled)) < 0)
        return -1;
    if (rc > 0)
        *ret_state = enabled ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    return 0;
}

static int domainParsePM(const xmlNode *root, domainDef *def)
{
    static const char *const children[] = { "suspend-to-mem",
                                            "suspend-to-disk", NULL };
    xmlNode *pm = vxmlChild(root, "pm");

    if (!pm)
        return 0;
    def->pmPresent = true;
    if (vxmlCheckNode(pm, DOM, NULL, children, false) < 0 ||
        domainParsePMState(pm, "suspend-to-mem", &def->pmSuspendToMem) < 0 ||
        domainParsePMState(pm, "suspend-to-disk", &def->pmSuspendToDisk) < 0)
        return -1;
    return 0;
}

/* Whole document --------------------------------------------------------- */

static const char *const domainChildren[] = {
    "name", "uuid", "title", "description", "metadata", "maxMemory",
    "memory", "currentMemory", "vcpu", "os", "features", "cpu", "clock",
    "on_poweroff", "on_reboot", "on_crash", "pm", "devices", NULL
};

static domainDef *domainDefParseNode(const xmlNode *root)
{
    static const char *const attrs[] = { "type", "id", NULL };
    g_autoptr(domainDef) def = domainDefNew();

    if (vxmlCheckNode(root, DOM, attrs, domainChildren, false) < 0 ||
        domainParseIdentity(root, def) < 0 ||
        domainParseMemory(root, def) < 0 || domainParseVcpu(root, def) < 0 ||
        domainParseOS(root, def) < 0 || domainParseFeatures(root, def) < 0 ||
        domainParseCPU(root, def) < 0 || domainParseClock(root, def) < 0 ||
        domainParsePM(root, def) < 0)
        return NULL;
    if (domainParseLifecycle(root, "on_poweroff", DOMAIN_LIFECYCLE_DESTROY,
                             &def->onPoweroff) < 0 ||
        domainParseLifecycle(root, "on_reboot", DOMAIN_LIFECYCLE_RESTART,
                             &def->onReboot) < 0 ||
        domainParseLifecycle(root, "on_crash", DOMAIN_LIFECYCLE_DESTROY,
                             &def->onCrash) < 0)
        return NULL;
    if (domainDevicesParse(vxmlChild(root, "devices"), def) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

domainDef *domainDefParseString(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = vxmlParseString(xml, "domain_definition", "domain")))
        return NULL;
    if ((flags & DOMAIN_DEF_PARSE_VALIDATE) &&
        vxmlValidateAgainstSchema(doc, "domain.rng") < 0)
        return NULL;
    return domainDefParseNode(xmlDocGetRootElement(doc));
}

/* Formatting ------------------------------------------------------------- */

static void domainFormatMemory(vxmlBuf *buf, const domainDef *def)
{
    if (def->maxMemory) {
        vxmlBufAdd(buf, "<maxMemory");
        if (def->maxMemorySlots)
            vxmlBufAdd(buf, " slots='%u'", def->maxMemorySlots);
        vxmlBufAdd(buf, " unit='KiB'>%llu</maxMemory>\n", def->maxMemory);
    }
    vxmlBufAdd(buf, "<memory unit='KiB'>%llu</memory>\n", def->memory);
    vxmlBufAdd(buf, "<currentMemory unit='KiB'>%llu</currentMemory>\n",
               def->currentMemory);
    vxmlBufAdd(buf, "<vcpu");
    vxmlBufEscape(buf, " placement='%s'", def->vcpuPlacement);
    vxmlBufEscape(buf, " cpuset='%s'", def->cpuset);
    if (def->vcpusCurrent != def->vcpus)
        vxmlBufAdd(buf, " current='%u'", def->vcpusCurrent);
    vxmlBufAdd(buf, ">%u</vcpu>\n", def->vcpus);
}

static void domainFormatOS(vxmlBuf *buf, const domainOSDef *os)
{
    char **arg;
    size_t i;

    vxmlBufAdd(buf, "<os>\n");
    vxmlBufIndent(buf, 2);
    vxmlBufAdd(buf, "<type");
    vxmlBufEscape(buf, " arch='%s'", os->arch);
    vxmlBufEscape(buf, " machine='%s'", os->machine);
    vxmlBufEscape(buf, ">%s</type>\n", os->type);
    if (os->loader || os->loaderReadonly || os->loaderType) {
        vxmlBufAdd(buf, "<loader");
        if (os->loaderReadonly)
            vxmlBufAdd(buf, " readonly='%s'",
                       os->loaderReadonly == DOMAIN_TRISTATE_YES ? "yes"
                                                                 : "no");
        vxmlBufEscape(buf, " type='%s'", os->loaderType);
        if (os->loader)
            vxmlBufEscape(buf, ">%s</loader>\n", os->loader);
        else
            vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufEscape(buf, "<init>%s</init>\n", os->init);
    for (arg = os->initargs; arg && *arg; arg++)
        vxmlBufEscape(buf, "<initarg>%s</initarg>\n", *arg);
    vxmlBufEscape(buf, "<kernel>%s</kernel>\n", os->kernel);
    vxmlBufEscape(buf, "<initrd>%s</initrd>\n", os->initrd);
    vxmlBufEscape(buf, "<cmdline>%s</cmdline>\n", os->cmdline);
    for (i = 0; i < os->nboot; i++)
        vxmlBufAdd(buf, "<boot dev='%s'/>\n", bootDevNames[os->boot[i]]);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</os>\n");
}

static void domainFormatFeatures(vxmlBuf *buf, const domainDef *def)
{
    size_t i;
    bool any = false;

    for (i = 0; i < DOMAIN_FEATURE_LAST; i++)
        any |= def->features[i] != DOMAIN_TRISTATE_ABSENT;
    if (!any) {
        if (def->featuresPresent)
            vxmlBufAdd(buf, "<features/>\n");
        return;
    }
    vxmlBufAdd(buf, "<features>\n");
    vxmlBufIndent(buf, 2);
    for (i = 0; i < DOMAIN_FEATURE_LAST; i++) {
        if (def->features[i] == DOMAIN_TRISTATE_ABSENT)
            continue;
        if (i == DOMAIN_FEATURE_VMPORT)
            vxmlBufAdd(buf, "<vmport state='%s'/>\n",
                       def->features[i] == DOMAIN_TRISTATE_YES ? "on" : "off");
        else
            vxmlBufAdd(buf, "<%s/>\n", featureNames[i]);
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</features>\n");
}

static void domainFormatCPU(vxmlBuf *buf, const domainCPUDef *cpu)
{
    if (!cpu->present)
        return;
    vxmlBufAdd(buf, "<cpu");
    if (cpu->mode)
        vxmlBufAdd(buf, " mode='%s'", cpuModeNames[cpu->mode]);
    vxmlBufEscape(buf, " match='%s'", cpu->match);
    vxmlBufEscape(buf, " check='%s'", cpu->check);
    if (!cpu->model && !cpu->fallback && !cpu->sockets) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    if (cpu->model || cpu->fallback) {
        vxmlBufAdd(buf, "<model");
        vxmlBufEscape(buf, " fallback='%s'", cpu->fallback);
        if (cpu->model)
            vxmlBufEscape(buf, ">%s</model>\n", cpu->model);
        else
            vxmlBufAdd(buf, "/>\n");
    }
    if (cpu->sockets) {
        vxmlBufAdd(buf, "<topology sockets='%u'", cpu->sockets);
        if (cpu->dies)
            vxmlBufAdd(buf, " dies='%u'", cpu->dies);
        vxmlBufAdd(buf, " cores='%u' threads='%u'/>\n", cpu->cores,
                   cpu->threads);
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cpu>\n");
}

static void domainFormatClock(vxmlBuf *buf, const domainClockDef *clock)
{
    size_t i;

    vxmlBufEscape(buf, "<clock offset='%s'", clock->offset);
    vxmlBufEscape(buf, " timezone='%s'", clock->timezone);
    vxmlBufEscape(buf, " adjustment='%s'", clock->adjustment);
    vxmlBufEscape(buf, " basis='%s'", clock->basis);
    if (clock->timers->len == 0) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    for (i = 0; i < clock->timers->len; i++) {
        const domainTimerDef *t = g_ptr_array_index(clock->timers, i);

        vxmlBufEscape(buf, "<timer name='%s'", t->name);
        vxmlBufEscape(buf, " tickpolicy='%s'", t->tickpolicy);
        vxmlBufEscape(buf, " track='%s'", t->track);
        if (t->present)
            vxmlBufAdd(buf, " present='%s'",
                       t->present == DOMAIN_TRISTATE_YES ? "yes" : "no");
        vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</clock>\n");
}

static void domainFormatLifecycle(vxmlBuf *buf, const domainDef *def)
{
    vxmlBufAdd(buf, "<on_poweroff>%s</on_poweroff>\n",
               domainLifecycleActionToString(def->onPoweroff));
    vxmlBufAdd(buf, "<on_reboot>%s</on_reboot>\n",
               domainLifecycleActionToString(def->onReboot));
    vxmlBufAdd(buf, "<on_crash>%s</on_crash>\n",
               domainLifecycleActionToString(def->onCrash));
}

static void domainFormatPMState(vxmlBuf *buf, const char *name, int state)
{
    vxmlBufAdd(buf, "<%s", name);
    if (state)
        vxmlBufAdd(buf, " enabled='%s'",
                   state == DOMAIN_TRISTATE_YES ? "yes" : "no");
    vxmlBufAdd(buf, "/>\n");
}

static void domainFormatPM(vxmlBuf *buf, const domainDef *def)
{
    if (!def->pmPresent)
        return;
    if (!def->pmSuspendToMem && !def->pmSuspendToDisk) {
        vxmlBufAdd(buf, "<pm/>\n");
        return;
    }
    vxmlBufAdd(buf, "<pm>\n");
    vxmlBufIndent(buf, 2);
    if (def->pmSuspendToMem)
        domainFormatPMState(buf, "suspend-to-mem", def->pmSuspendToMem);
    if (def->pmSuspendToDisk)
        domainFormatPMState(buf, "suspend-to-disk", def->pmSuspendToDisk);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</pm>\n");
}

static void domainFormatIdentity(vxmlBuf *buf, const domainDef *def)
{
    char uuid[VMM_UUID_STRING_BUFLEN];

    uuidFormat(def->uuid, uuid);
    vxmlBufEscape(buf, "<name>%s</name>\n", def->name);
    vxmlBufAdd(buf, "<uuid>%s</uuid>\n", uuid);
    vxmlBufEscape(buf, "<title>%s</title>\n", def->title);
    vxmlBufEscape(buf, "<description>%s</description>\n", def->description);
    if (def->metadata)
        vxmlBufAddLines(buf, def->metadata);
}

char *domainDefFormat(const domainDef *def, int id, unsigned int flags)
{
    g_auto(vxmlBuf) buf = { 0 };

    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<domain type='%s'",
               domainVirtTypeToString(def->virtType));
    if (id >= 0)
        vxmlBufAdd(&buf, " id='%d'", id);
    vxmlBufAdd(&buf, ">\n");
    vxmlBufIndent(&buf, 2);
    domainFormatIdentity(&buf, def);
    domainFormatMemory(&buf, def);
    domainFormatOS(&buf, &def->os);
    domainFormatFeatures(&buf, def);
    domainFormatCPU(&buf, &def->cpu);
    domainFormatClock(&buf, &def->clock);
    domainFormatLifecycle(&buf, def);
    domainFormatPM(&buf, def);
    domainDevicesFormat(&buf, &def->devices, flags);
    vxmlBufIndent(&buf, -2);
    vxmlBufAdd(&buf, "</domain>\n");
    return vxmlBufFinish(&buf);
}

domainDef *domainDefCopy(const domainDef *def)
{
    g_autofree char *xml = domainDefFormat(def, -1, DOMAIN_DEF_FORMAT_SECURE);

    /* The formatter and parser are exact inverses (the xml2xml tests hold
     * them to it), so a round trip is a deep copy that cannot forget a
     * field added later. */
    return domainDefParseString(xml, 0);
}
