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
#include "domain_conf_os.h"
#include "domain_conf_tune.h"

#define DOM VMM_FROM_DOMAIN

/* Enum tables ------------------------------------------------------------ */

static const char *const virtTypeNames[] = {
    "none", "test", "qemu", "kvm", "xen", "openvz",
};
G_STATIC_ASSERT(G_N_ELEMENTS(virtTypeNames) == DOMAIN_VIRT_LAST);

static const char *const lifecycleNames[] = {
    "",
    "destroy",
    "restart",
    "preserve",
    "rename-restart",
    "coredump-destroy",
    "coredump-restart",
};
G_STATIC_ASSERT(G_N_ELEMENTS(lifecycleNames) == DOMAIN_LIFECYCLE_LAST);

/* How each feature is written: a bare flag (<acpi/>), a flag that may say
 * state='off' (<hap/>, <hap state='off'/>), or always with its state
 * (<vmport state='on'/>). */
typedef enum {
    FEATURE_FLAG,
    FEATURE_FLAG_OR_STATE,
    FEATURE_STATE,
} featureStyle;

static const struct {
    const char *name;
    featureStyle style;
} features[] = {
    {"acpi", FEATURE_FLAG},
    {"apic", FEATURE_FLAG},
    {"pae", FEATURE_FLAG},
    {"hap", FEATURE_FLAG_OR_STATE},
    {"viridian", FEATURE_FLAG},
    {"privnet", FEATURE_FLAG},
    {"pvspinlock", FEATURE_FLAG_OR_STATE},
    {"pmu", FEATURE_STATE},
    {"vmport", FEATURE_STATE},
    {"smm", FEATURE_STATE},
    {"vmcoreinfo", FEATURE_STATE},
};
G_STATIC_ASSERT(G_N_ELEMENTS(features) == DOMAIN_FEATURE_LAST);

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

/* Freeing ---------------------------------------------------------------- */

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
    g_free(def->resourcePartition);
    domainTuneDefClear(def);
    g_free(def->bootloader);
    g_free(def->bootloaderArgs);
    if (def->seclabels)
        g_ptr_array_unref(def->seclabels);
    domainOSDefClear(&def->os);
    domainCPUDefClear(&def->cpu);
    domainClockDefClear(&def->clock);
    domainDevicesDefClear(&def->devices);
    g_free(def);
}

domainDef *domainDefNew(void)
{
    domainDef *def = g_new0(domainDef, 1);

    def->clock.timers = g_ptr_array_new_with_free_func(domainTimerDefFree);
    def->seclabels = g_ptr_array_new_with_free_func(domainSeclabelDefFree);
    def->os.bootmenuTimeout = -1;
    domainCPUDefInit(&def->cpu);
    domainTuneDefInit(def);
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
    static const char *const binary[] = {"k", "m", "g", "t", "p", "e"};
    static const char *const decimal[] = {"kb", "mb", "gb", "tb", "pb", "eb"};
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
            errorReport(DOM, VMM_ERR_OVERFLOW, "memory size too large in <%s>",
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
        errorReport(DOM, VMM_ERR_XML_ERROR, "invalid memory size '%s' in <%s>",
                    text ? text : "", name);
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
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED, "unknown domain type '%s'",
                    type);
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
        errorReport(DOM, VMM_ERR_XML_ERROR, "name is longer than %d bytes",
                    DOMAIN_DEF_NAME_MAX);
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
        domainParseTextChild(root, "description", NULL, &def->description) < 0)
        return -1;
    if (def->title && strchr(def->title, '\n')) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "title can't contain newlines");
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
    static const char *const unitAttr[] = {"unit", NULL};
    static const char *const maxAttrs[] = {"unit", "slots", NULL};
    xmlNode *maxNode = vxmlChild(root, "maxMemory");

    if (domainParseMemoryElem(root, "memory", unitAttr, &def->memory) < 0 ||
        domainParseMemoryElem(root, "currentMemory", unitAttr,
                              &def->currentMemory) < 0 ||
        domainParseMemoryElem(root, "maxMemory", maxAttrs, &def->maxMemory) < 0)
        return -1;
    if (maxNode && vxmlPropUInt(maxNode, "slots", &def->maxMemorySlots) < 0)
        return -1;
    /* Containers may leave memory to the container's own limits (as
     * OpenVZ definitions commonly do); every other guest needs a size. */
    if (def->virtType == DOMAIN_VIRT_OPENVZ && !vxmlChild(root, "memory") &&
        !def->currentMemory && !def->maxMemory)
        return 0;
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
    static const char *const attrs[] = {"placement", "current", "cpuset", NULL};
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
    if (def->cpuset &&
        (!def->cpuset[0] ||
         strspn(def->cpuset, "0123456789,-^ ") != strlen(def->cpuset))) {
        errorReport(DOM, VMM_ERR_XML_ERROR, "invalid vcpu cpuset '%s'",
                    def->cpuset);
        return -1;
    }
    if (!g_str_equal(def->vcpuPlacement, "static") &&
        !g_str_equal(def->vcpuPlacement, "auto")) {
        errorReport(DOM, VMM_ERR_CONFIG_UNSUPPORTED,
                    "unknown vcpu placement '%s'", def->vcpuPlacement);
        return -1;
    }
    return 0;
}

/* <os> ------------------------------------------------------------------- */

/* <resource><partition>/machine</partition></resource> */
static int domainResourceParse(const xmlNode *root, domainDef *def)
{
    static const char *const children[] = {"partition", NULL};
    xmlNode *node = vxmlChild(root, "resource");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, NULL, children, false) < 0 ||
        domainParseTextChild(node, "partition", NULL, &def->resourcePartition) <
            0)
        return -1;
    if (!def->resourcePartition || def->resourcePartition[0] != '/') {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<resource> needs an absolute <partition>");
        return -1;
    }
    return 0;
}

static void domainFormatResource(vxmlBuf *buf, const domainDef *def)
{
    if (!def->resourcePartition)
        return;
    vxmlBufAdd(buf, "<resource>\n");
    vxmlBufEscape(buf, "  <partition>%s</partition>\n", def->resourcePartition);
    vxmlBufAdd(buf, "</resource>\n");
}

/* Features, cpu, clock, lifecycle ----------------------------------------- */

/* A feature element: present means on unless it says state='off'. */
static int domainParseFeature(const xmlNode *node, int feature, int *ret_state)
{
    static const char *const stateAttr[] = {"state", NULL};
    bool on = true;

    if (vxmlCheckNode(node, DOM,
                      features[feature].style == FEATURE_FLAG ? NULL
                                                              : stateAttr,
                      NULL, false) < 0 ||
        vxmlPropOnOff(node, "state", &on) < 0)
        return -1;
    *ret_state = on ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    return 0;
}

static int domainParseFeatures(const xmlNode *root, domainDef *def)
{
    const char *children[DOMAIN_FEATURE_LAST + 1] = {NULL};
    xmlNode *node = vxmlChild(root, "features");
    size_t i;

    if (!node)
        return 0;
    def->featuresPresent = true;
    for (i = 0; i < DOMAIN_FEATURE_LAST; i++)
        children[i] = features[i].name;
    if (vxmlCheckNode(node, DOM, NULL, children, false) < 0)
        return -1;
    for (i = 0; i < DOMAIN_FEATURE_LAST; i++) {
        xmlNode *f = vxmlChild(node, features[i].name);

        if (f && domainParseFeature(f, i, &def->features[i]) < 0)
            return -1;
    }
    return 0;
}

static int domainParseTimer(const xmlNode *node, domainClockDef *clock)
{
    static const char *const attrs[] = {"name", "tickpolicy", "track",
                                        "present", NULL};
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
    static const char *const attrs[] = {"offset", "timezone", "adjustment",
                                        "basis", NULL};
    static const char *const children[] = {"timer*", NULL};
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
    static const char *const attrs[] = {"enabled", NULL};
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
    static const char *const children[] = {"suspend-to-mem", "suspend-to-disk",
                                           NULL};
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

static const char *const domainChildren[] = {"name",
                                             "uuid",
                                             "title",
                                             "description",
                                             "metadata",
                                             "maxMemory",
                                             "memory",
                                             "currentMemory",
                                             "vcpu",
                                             "os",
                                             "features",
                                             "cpu",
                                             "clock",
                                             "on_poweroff",
                                             "on_reboot",
                                             "on_crash",
                                             "pm",
                                             "devices",
                                             "resource",
                                             "bootloader",
                                             "bootloader_args",
                                             "seclabel*",
                                             "memoryBacking",
                                             "iothreads",
                                             "idmap",
                                             NULL};

static domainDef *domainDefParseNode(const xmlNode *root)
{
    static const char *const attrs[] = {"type", "id", NULL};
    g_autoptr(domainDef) def = domainDefNew();

    if (vxmlCheckNode(root, DOM, attrs, domainChildren, false) < 0 ||
        domainParseIdentity(root, def) < 0 ||
        domainParseMemory(root, def) < 0 || domainParseVcpu(root, def) < 0 ||
        domainBootloaderParse(root, def) < 0 ||
        domainResourceParse(root, def) < 0 ||
        domainMemoryBackingParse(root, def) < 0 ||
        domainIothreadsParse(root, def) < 0 ||
        domainIdmapParse(root, def) < 0 || domainOSParse(root, def) < 0 ||
        domainParseFeatures(root, def) < 0 || domainCPUParse(root, def) < 0 ||
        domainParseClock(root, def) < 0 || domainParsePM(root, def) < 0)
        return NULL;
    if (domainParseLifecycle(root, "on_poweroff", DOMAIN_LIFECYCLE_DESTROY,
                             &def->onPoweroff) < 0 ||
        domainParseLifecycle(root, "on_reboot", DOMAIN_LIFECYCLE_RESTART,
                             &def->onReboot) < 0 ||
        domainParseLifecycle(root, "on_crash", DOMAIN_LIFECYCLE_DESTROY,
                             &def->onCrash) < 0)
        return NULL;
    if (domainDevicesParse(vxmlChild(root, "devices"), def) < 0 ||
        domainSeclabelsParse(root, def) < 0)
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
    if (def->memory) {
        vxmlBufAdd(buf, "<memory unit='KiB'>%llu</memory>\n", def->memory);
        vxmlBufAdd(buf, "<currentMemory unit='KiB'>%llu</currentMemory>\n",
                   def->currentMemory);
    }
    domainMemoryBackingFormat(buf, def);
    vxmlBufAdd(buf, "<vcpu");
    vxmlBufEscape(buf, " placement='%s'", def->vcpuPlacement);
    vxmlBufEscape(buf, " cpuset='%s'", def->cpuset);
    if (def->vcpusCurrent != def->vcpus)
        vxmlBufAdd(buf, " current='%u'", def->vcpusCurrent);
    vxmlBufAdd(buf, ">%u</vcpu>\n", def->vcpus);
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
        int state = def->features[i];

        if (state == DOMAIN_TRISTATE_ABSENT)
            continue;
        if (features[i].style == FEATURE_STATE || state == DOMAIN_TRISTATE_NO)
            vxmlBufAdd(buf, "<%s state='%s'/>\n", features[i].name,
                       state == DOMAIN_TRISTATE_YES ? "on" : "off");
        else
            vxmlBufAdd(buf, "<%s/>\n", features[i].name);
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</features>\n");
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
    g_auto(vxmlBuf) buf = {0};

    vxmlBufInit(&buf);
    vxmlBufAdd(&buf, "<domain type='%s'",
               domainVirtTypeToString(def->virtType));
    if (id >= 0)
        vxmlBufAdd(&buf, " id='%d'", id);
    vxmlBufAdd(&buf, ">\n");
    vxmlBufIndent(&buf, 2);
    domainFormatIdentity(&buf, def);
    domainFormatMemory(&buf, def);
    domainIothreadsFormat(&buf, def);
    domainFormatResource(&buf, def);
    domainBootloaderFormat(&buf, def);
    domainOSFormat(&buf, &def->os);
    domainIdmapFormat(&buf, def);
    domainFormatFeatures(&buf, def);
    domainCPUFormat(&buf, &def->cpu);
    domainFormatClock(&buf, &def->clock);
    domainFormatLifecycle(&buf, def);
    domainFormatPM(&buf, def);
    domainDevicesFormat(&buf, &def->devices, flags);
    domainSeclabelsFormat(&buf, def);
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
