/*
 * domain_conf_os.c: how a domain boots and what it runs on: <os>,
 * <bootloader> (Xen PV), <cpu>, and the security labels (<seclabel>).
 * Part of domain_conf; same strictness: what is not modelled is refused.
 */
#include <config.h>

#include <string.h>

#include "util_error.h"
#include "domain_conf_devices.h"
#include "domain_conf_os.h"

#define DOM VMM_FROM_DOMAIN

static const char *const bootDevNames[] = {
    "fd",
    "cdrom",
    "hd",
    "network",
};
G_STATIC_ASSERT(G_N_ELEMENTS(bootDevNames) == DOMAIN_BOOT_LAST);

static const char *const cpuModeNames[] = {
    "", "custom", "host-model", "host-passthrough", "maximum",
};
G_STATIC_ASSERT(G_N_ELEMENTS(cpuModeNames) == DOMAIN_CPU_MODE_LAST);

static int bootDevFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(bootDevNames, str);
}

static int cpuModeFromString(const char *str)
{
    return DOMAIN_ENUM_FROM_STRING(cpuModeNames, str);
}

static const char *tristateName(int state, const char *yes, const char *no)
{
    return state == DOMAIN_TRISTATE_YES ? yes : no;
}

/* An optional yes/no (or on/off) attribute into a domainTristate. */
static int propTristate(const xmlNode *node, const char *name, bool onoff,
                        int *ret_state)
{
    bool value;
    int rc = onoff ? vxmlPropOnOff(node, name, &value)
                   : vxmlPropYesNo(node, name, &value);

    if (rc > 0)
        *ret_state = value ? DOMAIN_TRISTATE_YES : DOMAIN_TRISTATE_NO;
    return rc < 0 ? -1 : 0;
}

/* Freeing ---------------------------------------------------------------- */

void domainOSDefClear(domainOSDef *os)
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
    g_free(os->firmware);
    g_free(os->nvram);
    g_free(os->nvramTemplate);
}

static void domainCPUFeatureFree(gpointer data)
{
    domainCPUFeatureDef *f = data;

    g_free(f->policy);
    g_free(f->name);
    g_free(f);
}

void domainCPUDefInit(domainCPUDef *cpu)
{
    cpu->features = g_ptr_array_new_with_free_func(domainCPUFeatureFree);
}

void domainCPUDefClear(domainCPUDef *cpu)
{
    g_free(cpu->match);
    g_free(cpu->check);
    g_free(cpu->model);
    g_free(cpu->fallback);
    if (cpu->features)
        g_ptr_array_unref(cpu->features);
}

void domainSeclabelDefFree(gpointer data)
{
    domainSeclabelDef *sl = data;

    g_free(sl->type);
    g_free(sl->model);
    g_free(sl->label);
    g_free(sl->imagelabel);
    g_free(sl->baselabel);
    g_free(sl);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainSeclabelDef, domainSeclabelDefFree)

/* <os> ------------------------------------------------------------------- */

static int osParseType(const xmlNode *os, domainOSDef *def)
{
    static const char *const attrs[] = {"arch", "machine", NULL};
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

static int osParseBoot(const xmlNode *os, domainOSDef *def)
{
    static const char *const attrs[] = {"dev", NULL};
    xmlNode *cur;
    int dev, rc;

    for (cur = os->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE ||
            !xmlStrEqual(cur->name, BAD_CAST "boot"))
            continue;
        if (vxmlCheckNode(cur, DOM, attrs, NULL, false) < 0 ||
            (rc = vxmlPropEnum(cur, "dev", bootDevFromString, &dev)) < 0)
            return -1;
        if (rc == 0)
            return domainMissingAttr(cur, "dev");
        if (def->nboot == DOMAIN_BOOT_MAX) {
            errorReport(DOM, VMM_ERR_XML_ERROR,
                        "at most %d <boot> elements are allowed",
                        DOMAIN_BOOT_MAX);
            return -1;
        }
        def->boot[def->nboot++] = dev;
    }
    return 0;
}

static int osParseLoader(const xmlNode *os, domainOSDef *def)
{
    static const char *const attrs[] = {"readonly", "type", NULL};
    static const char *const types[] = {"rom", "pflash", NULL};
    xmlNode *node = vxmlChild(os, "loader");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0 ||
        propTristate(node, "readonly", false, &def->loaderReadonly) < 0 ||
        vxmlPropChoice(node, "type", types, &def->loaderType) < 0)
        return -1;
    def->loader = vxmlNodeContent(node);
    return 0;
}

static int osParseNvramBootmenu(const xmlNode *os, domainOSDef *def)
{
    static const char *const nvramAttrs[] = {"template", NULL};
    static const char *const menuAttrs[] = {"enable", "timeout", NULL};
    xmlNode *nvram = vxmlChild(os, "nvram");
    xmlNode *menu = vxmlChild(os, "bootmenu");
    unsigned int timeout;
    int rc;

    if (nvram) {
        if (vxmlCheckNode(nvram, DOM, nvramAttrs, NULL, true) < 0)
            return -1;
        def->nvram = vxmlNodeContent(nvram);
        def->nvramTemplate = vxmlGetProp(nvram, "template");
    }
    if (!menu)
        return 0;
    if (vxmlCheckNode(menu, DOM, menuAttrs, NULL, false) < 0 ||
        propTristate(menu, "enable", false, &def->bootmenu) < 0 ||
        (rc = vxmlPropUInt(menu, "timeout", &timeout)) < 0)
        return -1;
    if (rc > 0 && timeout > 65535) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "bootmenu timeout %u must be at most 65535 ms", timeout);
        return -1;
    }
    if (rc > 0)
        def->bootmenuTimeout = timeout;
    if (!def->bootmenu)
        return domainMissingAttr(menu, "enable");
    return 0;
}

static int osParseInitArgs(const xmlNode *os, domainOSDef *def)
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

int domainOSParse(const xmlNode *root, domainDef *def)
{
    static const char *const attrs[] = {"firmware", NULL};
    static const char *const children[] = {
        "type", "loader",   "nvram", "kernel",   "initrd", "cmdline",
        "init", "initarg*", "boot*", "bootmenu", NULL};
    static const char *const firmwares[] = {"efi", "bios", NULL};
    xmlNode *os = vxmlChild(root, "os");
    domainOSDef *o = &def->os;

    o->bootmenuTimeout = -1;
    if (!os) {
        errorReport(DOM, VMM_ERR_OS_TYPE, "an os <type> must be specified");
        return -1;
    }
    if (vxmlCheckNode(os, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(os, "firmware", firmwares, &o->firmware) < 0 ||
        osParseType(os, o) < 0 || osParseBoot(os, o) < 0 ||
        osParseLoader(os, o) < 0 || osParseNvramBootmenu(os, o) < 0 ||
        osParseInitArgs(os, o) < 0)
        return -1;
    if (domainParseTextChild(os, "kernel", NULL, &o->kernel) < 0 ||
        domainParseTextChild(os, "initrd", NULL, &o->initrd) < 0 ||
        domainParseTextChild(os, "cmdline", NULL, &o->cmdline) < 0 ||
        domainParseTextChild(os, "init", NULL, &o->init) < 0)
        return -1;
    return 0;
}

static void osFormatLoader(vxmlBuf *buf, const domainOSDef *os)
{
    if (!os->loader && !os->loaderReadonly && !os->loaderType)
        return;
    vxmlBufAdd(buf, "<loader");
    if (os->loaderReadonly)
        vxmlBufAdd(buf, " readonly='%s'",
                   tristateName(os->loaderReadonly, "yes", "no"));
    vxmlBufEscape(buf, " type='%s'", os->loaderType);
    if (os->loader)
        vxmlBufEscape(buf, ">%s</loader>\n", os->loader);
    else
        vxmlBufAdd(buf, "/>\n");
    if (!os->nvram && !os->nvramTemplate)
        return;
    vxmlBufAdd(buf, "<nvram");
    vxmlBufEscape(buf, " template='%s'", os->nvramTemplate);
    if (os->nvram)
        vxmlBufEscape(buf, ">%s</nvram>\n", os->nvram);
    else
        vxmlBufAdd(buf, "/>\n");
}

void domainOSFormat(vxmlBuf *buf, const domainOSDef *os)
{
    char **arg;
    size_t i;

    vxmlBufAdd(buf, "<os");
    vxmlBufEscape(buf, " firmware='%s'", os->firmware);
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    if (os->type) {
        vxmlBufAdd(buf, "<type");
        vxmlBufEscape(buf, " arch='%s'", os->arch);
        vxmlBufEscape(buf, " machine='%s'", os->machine);
        vxmlBufEscape(buf, ">%s</type>\n", os->type);
    }
    osFormatLoader(buf, os);
    vxmlBufEscape(buf, "<init>%s</init>\n", os->init);
    for (arg = os->initargs; arg && *arg; arg++)
        vxmlBufEscape(buf, "<initarg>%s</initarg>\n", *arg);
    vxmlBufEscape(buf, "<kernel>%s</kernel>\n", os->kernel);
    vxmlBufEscape(buf, "<initrd>%s</initrd>\n", os->initrd);
    vxmlBufEscape(buf, "<cmdline>%s</cmdline>\n", os->cmdline);
    for (i = 0; i < os->nboot; i++)
        vxmlBufAdd(buf, "<boot dev='%s'/>\n", bootDevNames[os->boot[i]]);
    if (os->bootmenu) {
        vxmlBufAdd(buf, "<bootmenu enable='%s'",
                   tristateName(os->bootmenu, "yes", "no"));
        if (os->bootmenuTimeout >= 0)
            vxmlBufAdd(buf, " timeout='%d'", os->bootmenuTimeout);
        vxmlBufAdd(buf, "/>\n");
    }
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</os>\n");
}

/* <bootloader> ----------------------------------------------------------- */

int domainBootloaderParse(const xmlNode *root, domainDef *def)
{
    if (domainParseTextChild(root, "bootloader", NULL, &def->bootloader) < 0 ||
        domainParseTextChild(root, "bootloader_args", NULL,
                             &def->bootloaderArgs) < 0)
        return -1;
    if (def->bootloaderArgs && !def->bootloader) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<bootloader_args> needs a <bootloader>");
        return -1;
    }
    return 0;
}

void domainBootloaderFormat(vxmlBuf *buf, const domainDef *def)
{
    vxmlBufEscape(buf, "<bootloader>%s</bootloader>\n", def->bootloader);
    vxmlBufEscape(buf, "<bootloader_args>%s</bootloader_args>\n",
                  def->bootloaderArgs);
}

/* <cpu> ------------------------------------------------------------------ */

static int cpuParseModel(const xmlNode *cpu, domainCPUDef *def)
{
    static const char *const attrs[] = {"fallback", NULL};
    static const char *const fallbacks[] = {"allow", "forbid", NULL};
    xmlNode *node = vxmlChild(cpu, "model");

    if (!node)
        return 0;
    if (vxmlCheckNode(node, DOM, attrs, NULL, true) < 0 ||
        vxmlPropChoice(node, "fallback", fallbacks, &def->fallback) < 0)
        return -1;
    if ((def->model = vxmlNodeContent(node)))
        g_strstrip(def->model);
    return 0;
}

static int cpuParseTopology(const xmlNode *cpu, domainCPUDef *def)
{
    static const char *const attrs[] = {"sockets", "dies", "cores", "threads",
                                        NULL};
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

static int cpuParseFeature(const xmlNode *node, domainCPUDef *def)
{
    static const char *const attrs[] = {"policy", "name", NULL};
    static const char *const policies[] = {"force",   "require", "optional",
                                           "disable", "forbid",  NULL};
    domainCPUFeatureDef *f;
    g_autofree char *policy = NULL;
    g_autofree char *name = NULL;

    if (vxmlCheckNode(node, DOM, attrs, NULL, false) < 0 ||
        vxmlPropChoice(node, "policy", policies, &policy) < 0)
        return -1;
    if (!(name = vxmlGetProp(node, "name")))
        return domainMissingAttr(node, "name");
    f = g_new0(domainCPUFeatureDef, 1);
    f->policy = g_steal_pointer(&policy);
    f->name = g_steal_pointer(&name);
    g_ptr_array_add(def->features, f);
    return 0;
}

int domainCPUParse(const xmlNode *root, domainDef *def)
{
    static const char *const attrs[] = {"mode", "match", "check", "migratable",
                                        NULL};
    static const char *const children[] = {"model", "topology", "feature*",
                                           NULL};
    static const char *const matches[] = {"minimum", "exact", "strict", NULL};
    static const char *const checks[] = {"none", "partial", "full", NULL};
    xmlNode *node = vxmlChild(root, "cpu");
    domainCPUDef *cpu = &def->cpu;
    xmlNode *cur;

    if (!node)
        return 0;
    cpu->present = true;
    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropEnum(node, "mode", cpuModeFromString, &cpu->mode) < 0 ||
        vxmlPropChoice(node, "match", matches, &cpu->match) < 0 ||
        vxmlPropChoice(node, "check", checks, &cpu->check) < 0 ||
        propTristate(node, "migratable", true, &cpu->migratable) < 0 ||
        cpuParseModel(node, cpu) < 0 || cpuParseTopology(node, cpu) < 0)
        return -1;
    for (cur = node->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE &&
            xmlStrEqual(cur->name, BAD_CAST "feature") &&
            cpuParseFeature(cur, cpu) < 0)
            return -1;
    }
    return 0;
}

static void cpuFormatChildren(vxmlBuf *buf, const domainCPUDef *cpu)
{
    size_t i;

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
    for (i = 0; i < cpu->features->len; i++) {
        const domainCPUFeatureDef *f = g_ptr_array_index(cpu->features, i);

        vxmlBufAdd(buf, "<feature");
        vxmlBufEscape(buf, " policy='%s'", f->policy);
        vxmlBufEscape(buf, " name='%s'/>\n", f->name);
    }
}

void domainCPUFormat(vxmlBuf *buf, const domainCPUDef *cpu)
{
    if (!cpu->present)
        return;
    vxmlBufAdd(buf, "<cpu");
    if (cpu->mode)
        vxmlBufAdd(buf, " mode='%s'", cpuModeNames[cpu->mode]);
    vxmlBufEscape(buf, " match='%s'", cpu->match);
    vxmlBufEscape(buf, " check='%s'", cpu->check);
    if (cpu->migratable)
        vxmlBufAdd(buf, " migratable='%s'",
                   tristateName(cpu->migratable, "on", "off"));
    if (!cpu->model && !cpu->fallback && !cpu->sockets &&
        cpu->features->len == 0) {
        vxmlBufAdd(buf, "/>\n");
        return;
    }
    vxmlBufAdd(buf, ">\n");
    vxmlBufIndent(buf, 2);
    cpuFormatChildren(buf, cpu);
    vxmlBufIndent(buf, -2);
    vxmlBufAdd(buf, "</cpu>\n");
}

/* <seclabel> ------------------------------------------------------------- */

static int seclabelParse(const xmlNode *node, GPtrArray *seclabels)
{
    static const char *const attrs[] = {"type", "model", "relabel", NULL};
    static const char *const children[] = {"label", "imagelabel", "baselabel",
                                           NULL};
    static const char *const types[] = {"none", "dynamic", "static", NULL};
    g_autoptr(domainSeclabelDef) sl = g_new0(domainSeclabelDef, 1);

    if (vxmlCheckNode(node, DOM, attrs, children, false) < 0 ||
        vxmlPropChoice(node, "type", types, &sl->type) < 0 ||
        propTristate(node, "relabel", false, &sl->relabel) < 0 ||
        domainParseTextChild(node, "label", NULL, &sl->label) < 0 ||
        domainParseTextChild(node, "imagelabel", NULL, &sl->imagelabel) < 0 ||
        domainParseTextChild(node, "baselabel", NULL, &sl->baselabel) < 0)
        return -1;
    if (!sl->type)
        sl->type = g_strdup("dynamic");
    sl->model = vxmlGetProp(node, "model");
    if (g_str_equal(sl->type, "static") && !sl->label) {
        errorReport(DOM, VMM_ERR_XML_ERROR,
                    "<seclabel type='static'> needs a <label>");
        return -1;
    }
    g_ptr_array_add(seclabels, g_steal_pointer(&sl));
    return 0;
}

int domainSeclabelsParse(const xmlNode *root, domainDef *def)
{
    xmlNode *cur;

    for (cur = root->children; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE &&
            xmlStrEqual(cur->name, BAD_CAST "seclabel") &&
            seclabelParse(cur, def->seclabels) < 0)
            return -1;
    }
    return 0;
}

void domainSeclabelsFormat(vxmlBuf *buf, const domainDef *def)
{
    size_t i;

    for (i = 0; i < def->seclabels->len; i++) {
        const domainSeclabelDef *sl = g_ptr_array_index(def->seclabels, i);

        vxmlBufEscape(buf, "<seclabel type='%s'", sl->type);
        vxmlBufEscape(buf, " model='%s'", sl->model);
        if (sl->relabel)
            vxmlBufAdd(buf, " relabel='%s'",
                       tristateName(sl->relabel, "yes", "no"));
        if (!sl->label && !sl->imagelabel && !sl->baselabel) {
            vxmlBufAdd(buf, "/>\n");
            continue;
        }
        vxmlBufAdd(buf, ">\n");
        vxmlBufIndent(buf, 2);
        vxmlBufEscape(buf, "<label>%s</label>\n", sl->label);
        vxmlBufEscape(buf, "<imagelabel>%s</imagelabel>\n", sl->imagelabel);
        vxmlBufEscape(buf, "<baselabel>%s</baselabel>\n", sl->baselabel);
        vxmlBufIndent(buf, -2);
        vxmlBufAdd(buf, "</seclabel>\n");
    }
}
