/*
 * vsh_cmd_domain.c: commands that define, run and change domains (see
 * vsh_cmd_domain.h). Messages are virsh's: "Domain 'x' started" on
 * success (silenced by -q), "Failed to start domain 'x'" then the
 * library's own words on failure.
 */
#include <config.h>

#include <string.h>

#include "vsh_cmd_domain.h"
#include "vsh.h"
#include "vsh_cmd_job.h"
#include "vsh_output.h"

/* ---- identity ---- */

static gboolean cmdDomid(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    unsigned int id;

    if (!dom)
        return FALSE;
    id = vmmDomainGetID(dom);
    if (vshWantJson(ctl)) {
        ctl->result = vshJsonNewObject();
        vshJsonObjectAdd(ctl->result, "id", id == (unsigned int)-1 ?
                         vshJsonNewNull() : vshJsonNewUInt(id));
    } else if (id == (unsigned int)-1) {
        vshPrint(ctl, "-\n");
    } else {
        vshPrint(ctl, "%u\n", id);
    }
    return TRUE;
}

static gboolean cmdDomname(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);

    if (!dom)
        return FALSE;
    if (vshWantJson(ctl)) {
        ctl->result = vshJsonNewObject();
        vshJsonObjectAddString(ctl->result, "name", vmmDomainGetName(dom));
    } else {
        vshPrint(ctl, "%s\n", vmmDomainGetName(dom));
    }
    return TRUE;
}

static gboolean cmdDomuuid(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    char uuid[VMM_UUID_STRING_BUFLEN];

    if (!dom)
        return FALSE;
    if (vmmDomainGetUUIDString(dom, uuid) < 0) {
        vshError(ctl, "failed to get domain UUID");
        return FALSE;
    }
    if (vshWantJson(ctl)) {
        ctl->result = vshJsonNewObject();
        vshJsonObjectAddString(ctl->result, "uuid", uuid);
    } else {
        vshPrint(ctl, "%s\n", uuid);
    }
    return TRUE;
}

static gboolean cmdDumpxml(vshControl *ctl, const vshCmd *cmd)
{
    static const vshOptFlag table[] = {
        {"inactive", VMM_DOMAIN_XML_INACTIVE},
        {"security-info", VMM_DOMAIN_XML_SECURE},
        {"update-cpu", VMM_DOMAIN_XML_UPDATE_CPU},
        {"migratable", VMM_DOMAIN_XML_MIGRATABLE},
        {NULL, 0},
    };
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    g_autofree char *xml = NULL;

    if (!dom)
        return FALSE;
    if (!(xml = vmmDomainGetXMLDesc(dom, vshCommandOptFlags(cmd, table))))
        return FALSE;
    vshPrint(ctl, "%s%s", xml, g_str_has_suffix(xml, "\n") ? "" : "\n");
    return TRUE;
}

/* ---- definition ---- */

/* The shape of define and create: a domain made from the XML file of
 * option "file" with the flags of @table, in virsh's words ("Failed to
 * VERB domain from F" / "Domain 'x' DONE from F"). */
typedef vmmDomainPtr (*vshDomainMake)(vmmConnectPtr conn, const char *xml,
                                      unsigned int flags);

static gboolean vshDomainFromFile(vshControl *ctl, const vshCmd *cmd,
                                  const vshOptFlag *table, vshDomainMake make,
                                  const char *verb, const char *done)
{
    const char *file = vshCmdOptString(cmd, "file");
    g_autofree char *xml = vshReadFile(ctl, file);
    g_autoptr(vmmDomain) dom = NULL;

    if (!xml)
        return FALSE;
    if (!(dom = make(ctl->conn, xml, vshCommandOptFlags(cmd, table)))) {
        vshError(ctl, "Failed to %s domain from %s", verb, file);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain '%s' %s from %s\n", vmmDomainGetName(dom),
                  done, file);
    return TRUE;
}

/* Without flags, the older call, as virsh. */
static vmmDomainPtr vshDefine(vmmConnectPtr conn, const char *xml,
                              unsigned int flags)
{
    return flags ? vmmDomainDefineXMLFlags(conn, xml, flags)
                 : vmmDomainDefineXML(conn, xml);
}

static gboolean cmdDefine(vshControl *ctl, const vshCmd *cmd)
{
    static const vshOptFlag table[] = {
        {"validate", VMM_DOMAIN_DEFINE_VALIDATE},
        {NULL, 0},
    };

    return vshDomainFromFile(ctl, cmd, table, vshDefine, "define", "defined");
}

static gboolean cmdUndefine(vshControl *ctl, const vshCmd *cmd)
{
    static const vshOptFlag table[] = {
        {"managed-save", VMM_DOMAIN_UNDEFINE_MANAGED_SAVE},
        {"snapshots-metadata", VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA},
        {"checkpoints-metadata", VMM_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA},
        {"nvram", VMM_DOMAIN_UNDEFINE_NVRAM},
        {"keep-nvram", VMM_DOMAIN_UNDEFINE_KEEP_NVRAM},
        {NULL, 0},
    };
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, &name);
    g_autofree char *saved = NULL;
    unsigned int flags;
    int rc;

    if (!dom)
        return FALSE;
    if (!vshOptionsExclusive(ctl, cmd, "nvram", "keep-nvram"))
        return FALSE;
    flags = vshCommandOptFlags(cmd, table);
    saved = g_strdup(name);
    rc = flags ? vmmDomainUndefineFlags(dom, flags) : vmmDomainUndefine(dom);
    if (rc < 0) {
        vshError(ctl, "Failed to undefine domain '%s'", saved);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain '%s' has been undefined\n", saved);
    return TRUE;
}

/* ---- lifecycle ---- */

static gboolean cmdCreate(vshControl *ctl, const vshCmd *cmd)
{
    static const vshOptFlag table[] = {
        {"paused", VMM_DOMAIN_START_PAUSED},
        {"autodestroy", VMM_DOMAIN_START_AUTODESTROY},
        {"validate", VMM_DOMAIN_START_VALIDATE},
        {NULL, 0},
    };

    return vshDomainFromFile(ctl, cmd, table, vmmDomainCreateXML, "create",
                             "created");
}

/* The shape of the one-domain actions below: find the domain, act, say
 * what happened in virsh's words ("Failed to VERB domain 'x'" / "Domain
 * 'x' DONE"). */
typedef int (*vshDomainAction)(vmmDomainPtr dom, unsigned int flags);

static gboolean vshDomainAct(vshControl *ctl, const vshCmd *cmd,
                             vshDomainAction act, unsigned int flags,
                             const char *verb, const char *done)
{
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, &name);

    if (!dom)
        return FALSE;
    if (act(dom, flags) < 0) {
        vshError(ctl, "Failed to %s domain '%s'", verb, name);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain '%s' %s\n", name, done);
    return TRUE;
}

/* Without flags, the older call, as virsh. */
static int vshStart(vmmDomainPtr dom, unsigned int flags)
{
    return flags ? vmmDomainCreateWithFlags(dom, flags) : vmmDomainCreate(dom);
}

static gboolean cmdStart(vshControl *ctl, const vshCmd *cmd)
{
    static const vshOptFlag table[] = {
        {"paused", VMM_DOMAIN_START_PAUSED},
        {"autodestroy", VMM_DOMAIN_START_AUTODESTROY},
        {"bypass-cache", VMM_DOMAIN_START_BYPASS_CACHE},
        {"force-boot", VMM_DOMAIN_START_FORCE_BOOT},
        {NULL, 0},
    };

    return vshDomainAct(ctl, cmd, vshStart, vshCommandOptFlags(cmd, table),
                        "start", "started");
}

static gboolean cmdDestroy(vshControl *ctl, const vshCmd *cmd)
{
    unsigned int flags = vshCmdOptBool(cmd, "graceful")
                             ? VMM_DOMAIN_DESTROY_GRACEFUL
                             : 0;

    return vshDomainAct(ctl, cmd, vmmDomainDestroyFlags, flags, "destroy",
                        "destroyed");
}

typedef struct {
    const char *name;
    unsigned int flag; /* the same bit for shutdown and reboot */
} vshPowerMode;

static const vshPowerMode vshPowerModes[] = {
    {"acpi", VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN},
    {"agent", VMM_DOMAIN_SHUTDOWN_GUEST_AGENT},
    {"initctl", VMM_DOMAIN_SHUTDOWN_INITCTL},
    {"signal", VMM_DOMAIN_SHUTDOWN_SIGNAL},
    {"paravirt", VMM_DOMAIN_SHUTDOWN_PARAVIRT},
    {NULL, 0},
};

/* --mode acpi,agent...: FALSE after reporting an unknown mode. */
static gboolean vshPowerModeFlags(vshControl *ctl, const vshCmd *cmd,
                                  unsigned int *ret_flags)
{
    const char *mode = vshCmdOptString(cmd, "mode");
    g_auto(GStrv) parts = NULL;
    unsigned int flags = 0;
    gsize i;

    if (mode) {
        parts = g_strsplit(mode, ",", 0);
        for (i = 0; parts[i]; i++) {
            const vshPowerMode *m;

            for (m = vshPowerModes; m->name; m++) {
                if (strcmp(m->name, parts[i]) == 0)
                    break;
            }
            if (!m->name) {
                vshError(ctl, "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', 'signal' or 'paravirt'",
                         parts[i]);
                return FALSE;
            }
            flags |= m->flag;
        }
    }
    *ret_flags = flags;
    return TRUE;
}

static gboolean cmdShutdown(vshControl *ctl, const vshCmd *cmd)
{
    unsigned int flags = 0;

    if (!vshPowerModeFlags(ctl, cmd, &flags))
        return FALSE;
    return vshDomainAct(ctl, cmd, vmmDomainShutdownFlags, flags, "shutdown",
                        "is being shutdown");
}

static gboolean cmdReboot(vshControl *ctl, const vshCmd *cmd)
{
    unsigned int flags = 0;

    if (!vshPowerModeFlags(ctl, cmd, &flags))
        return FALSE;
    return vshDomainAct(ctl, cmd, vmmDomainReboot, flags, "reboot",
                        "is being rebooted");
}

/* Suspend and resume take no flags; these give them the action shape. */
static int vshSuspend(vmmDomainPtr dom, unsigned int flags)
{
    return vmmDomainSuspend(dom);
}

static int vshResume(vmmDomainPtr dom, unsigned int flags)
{
    return vmmDomainResume(dom);
}

static gboolean cmdSuspend(vshControl *ctl, const vshCmd *cmd)
{
    return vshDomainAct(ctl, cmd, vshSuspend, 0, "suspend", "suspended");
}

static gboolean cmdResume(vshControl *ctl, const vshCmd *cmd)
{
    return vshDomainAct(ctl, cmd, vshResume, 0, "resume", "resumed");
}

static gboolean vshSaveFlags(vshControl *ctl, const vshCmd *cmd,
                             unsigned int *ret_flags)
{
    static const vshOptFlag table[] = {
        {"bypass-cache", VMM_DOMAIN_SAVE_BYPASS_CACHE},
        {"running", VMM_DOMAIN_SAVE_RUNNING},
        {"paused", VMM_DOMAIN_SAVE_PAUSED},
        {NULL, 0},
    };

    if (!vshOptionsExclusive(ctl, cmd, "running", "paused"))
        return FALSE;
    *ret_flags = vshCommandOptFlags(cmd, table);
    return TRUE;
}

/* What the blocking calls of save, restore and managedsave need, as
 * vshDomainJobRun runs them in a thread of their own. */
typedef struct {
    vmmConnectPtr conn;
    vmmDomainPtr dom;
    const char *file;
    unsigned int flags;
} vshSaveCall;

static int vshSaveRun(void *opaque)
{
    vshSaveCall *c = opaque;

    return c->flags ? vmmDomainSaveFlags(c->dom, c->file, NULL, c->flags)
                    : vmmDomainSave(c->dom, c->file);
}

static int vshRestoreRun(void *opaque)
{
    vshSaveCall *c = opaque;

    return c->flags ? vmmDomainRestoreFlags(c->conn, c->file, NULL, c->flags)
                    : vmmDomainRestore(c->conn, c->file);
}

static int vshManagedSaveRun(void *opaque)
{
    vshSaveCall *c = opaque;

    return vmmDomainManagedSave(c->dom, c->flags);
}

static gboolean cmdSave(vshControl *ctl, const vshCmd *cmd)
{
    const char *file = vshCmdOptString(cmd, "file");
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = NULL;
    vshSaveCall call = {.file = file};

    if (!vshSaveFlags(ctl, cmd, &call.flags))
        return FALSE;
    if (!(dom = vshCommandOptDomain(ctl, cmd, &name)))
        return FALSE;
    call.dom = dom;
    if (vshDomainJobRun(ctl, cmd, "Save", dom, NULL, vshSaveRun, &call) < 0) {
        vshError(ctl, "Failed to save domain '%s' to %s", name, file);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain '%s' saved to %s\n", name, file);
    return TRUE;
}

static gboolean cmdRestore(vshControl *ctl, const vshCmd *cmd)
{
    const char *file = vshCmdOptString(cmd, "file");
    g_autofree char *domName = NULL;
    vshSaveCall call = {.conn = ctl->conn, .file = file};

    if (!vshSaveFlags(ctl, cmd, &call.flags))
        return FALSE;
    /* the restore creates the domain: its progress is found by name */
    if (vshDomainJobWantBar(ctl, cmd))
        domName = vshSaveImageDomainName(ctl, file);
    if (vshDomainJobRun(ctl, cmd, "Restore", NULL, domName, vshRestoreRun,
                        &call) < 0) {
        vshError(ctl, "Failed to restore domain from %s", file);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain restored from %s\n", file);
    return TRUE;
}

static gboolean cmdManagedsave(vshControl *ctl, const vshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = NULL;
    vshSaveCall call = {0};

    if (!vshSaveFlags(ctl, cmd, &call.flags))
        return FALSE;
    if (!(dom = vshCommandOptDomain(ctl, cmd, &name)))
        return FALSE;
    call.dom = dom;
    if (vshDomainJobRun(ctl, cmd, "Managed save", dom, NULL,
                        vshManagedSaveRun, &call) < 0) {
        vshError(ctl, "Failed to save domain '%s'", name);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain '%s' state saved by the driver\n", name);
    return TRUE;
}

static gboolean cmdManagedsaveRemove(vshControl *ctl, const vshCmd *cmd)
{
    return vshDomainAct(ctl, cmd, vmmDomainManagedSaveRemove, 0,
                        "remove the managed save image of",
                        "has no managed save image now");
}

static gboolean cmdAutostart(vshControl *ctl, const vshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, &name);
    gboolean disable = vshCmdOptBool(cmd, "disable");

    if (!dom)
        return FALSE;
    if (vmmDomainSetAutostart(dom, !disable) < 0) {
        vshError(ctl, disable ? "Failed to unmark domain '%s' as autostarted"
                              : "Failed to mark domain '%s' as autostarted",
                 name);
        return FALSE;
    }
    vshPrintExtra(ctl, disable ? "Domain '%s' unmarked as autostarted\n"
                               : "Domain '%s' marked as autostarted\n",
                  name);
    return TRUE;
}

/* ---- resources ---- */

static gboolean vshSetMemory(vshControl *ctl, const vshCmd *cmd,
                             unsigned int extra)
{
    g_autoptr(vmmDomain) dom = NULL;
    unsigned long kib = 0;
    unsigned int flags = 0;

    if (!vshCommandOptImpact(ctl, cmd, &flags))
        return FALSE;
    if (vshCommandOptScaledKiB(ctl, cmd, "size", &kib) <= 0)
        return FALSE;
    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    if (vmmDomainSetMemoryFlags(dom, kib, flags | extra) < 0) {
        vshError(ctl, extra ? "Unable to change MaxMemorySize"
                            : "Unable to change memory size");
        return FALSE;
    }
    return TRUE;
}

static gboolean cmdSetmem(vshControl *ctl, const vshCmd *cmd)
{
    return vshSetMemory(ctl, cmd, 0);
}

static gboolean cmdSetmaxmem(vshControl *ctl, const vshCmd *cmd)
{
    return vshSetMemory(ctl, cmd, VMM_DOMAIN_MEM_MAXIMUM);
}

static gboolean cmdSetvcpus(vshControl *ctl, const vshCmd *cmd)
{
    static const vshOptFlag table[] = {
        {"maximum", VMM_DOMAIN_VCPU_MAXIMUM},
        {"guest", VMM_DOMAIN_VCPU_GUEST},
        {"hotpluggable", VMM_DOMAIN_VCPU_HOTPLUGGABLE},
        {NULL, 0},
    };
    g_autoptr(vmmDomain) dom = NULL;
    unsigned int count = 0;
    unsigned int flags = 0;

    if (!vshCommandOptImpact(ctl, cmd, &flags))
        return FALSE;
    flags |= vshCommandOptFlags(cmd, table);
    if (vshCommandOptUInt(ctl, cmd, "count", &count) <= 0)
        return FALSE;
    if (count == 0) {
        vshError(ctl, "Invalid number of virtual CPUs");
        return FALSE;
    }
    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    return vmmDomainSetVcpusFlags(dom, count, flags) == 0;
}

typedef struct {
    const char *row;    /* "maximum" / "current" */
    unsigned int flag;
} vshVcpuRow;

typedef struct {
    const char *column; /* "config" / "live" / "current" */
    unsigned int flag;
} vshVcpuColumn;

static gboolean vshVcpuCountRows(vshControl *ctl, vmmDomainPtr dom,
                                 GArray *rows, GArray *cols)
{
    g_autoptr(vshJson) obj = vshJsonNewObject();
    guint r, c;

    for (r = 0; r < rows->len; r++) {
        vshVcpuRow *row = &g_array_index(rows, vshVcpuRow, r);
        vshJson *sub = vshJsonNewObject();

        vshJsonObjectAdd(obj, row->row, sub);
        for (c = 0; c < cols->len; c++) {
            vshVcpuColumn *col = &g_array_index(cols, vshVcpuColumn, c);
            int n = vmmDomainGetVcpusFlags(dom, row->flag | col->flag);

            if (n < 0)
                return FALSE;
            vshJsonObjectAddInt(sub, col->column, n);
            if (!vshWantJson(ctl))
                vshPrint(ctl, "%-12s %-12s %3d\n", row->row, col->column, n);
        }
    }
    if (vshWantJson(ctl))
        ctl->result = g_steal_pointer(&obj);
    return TRUE;
}

static gboolean cmdVcpucount(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(vshVcpuRow));
    g_autoptr(GArray) cols = g_array_new(FALSE, FALSE, sizeof(vshVcpuColumn));
    gboolean maximum = vshCmdOptBool(cmd, "maximum");
    gboolean active = vshCmdOptBool(cmd, "active");
    gboolean guest = vshCmdOptBool(cmd, "guest");
    int n;

    if (!vshOptionsExclusive(ctl, cmd, "maximum", "active") ||
        !vshOptionsExclusive(ctl, cmd, "current", "live") ||
        !vshOptionsExclusive(ctl, cmd, "current", "config") ||
        !vshOptionsExclusive(ctl, cmd, "live", "config") ||
        !vshOptionsExclusive(ctl, cmd, "guest", "config"))
        return FALSE;
    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;

    if (guest) {
        if ((n = vmmDomainGetVcpusFlags(dom, VMM_DOMAIN_VCPU_GUEST |
                                                 (maximum ? VMM_DOMAIN_VCPU_MAXIMUM : 0))) < 0)
            return FALSE;
        if (vshWantJson(ctl)) {
            ctl->result = vshJsonNewObject();
            vshJsonObjectAddInt(ctl->result, "guest", n);
        } else {
            vshPrint(ctl, "%d\n", n);
        }
        return TRUE;
    }
    if (maximum || !active)
        g_array_append_val(rows, ((vshVcpuRow){"maximum", VMM_DOMAIN_VCPU_MAXIMUM}));
    if (active || !maximum)
        g_array_append_val(rows, ((vshVcpuRow){"current", 0}));
    if (vshCmdOptBool(cmd, "config"))
        g_array_append_val(cols, ((vshVcpuColumn){"config", VMM_DOMAIN_VCPU_CONFIG}));
    if (vshCmdOptBool(cmd, "live"))
        g_array_append_val(cols, ((vshVcpuColumn){"live", VMM_DOMAIN_VCPU_LIVE}));
    if (vshCmdOptBool(cmd, "current"))
        g_array_append_val(cols, ((vshVcpuColumn){"current", VMM_DOMAIN_VCPU_CURRENT}));
    if (cols->len == 0) {
        g_array_append_val(cols, ((vshVcpuColumn){"config", VMM_DOMAIN_VCPU_CONFIG}));
        if (vmmDomainIsActive(dom) == 1)
            g_array_append_val(cols, ((vshVcpuColumn){"live", VMM_DOMAIN_VCPU_LIVE}));
    }
    /* one row and one column asked for: just the number, as virsh */
    if (rows->len == 1 && cols->len == 1 && (maximum || active) &&
        !vshWantJson(ctl)) {
        vshVcpuRow *row = &g_array_index(rows, vshVcpuRow, 0);
        vshVcpuColumn *col = &g_array_index(cols, vshVcpuColumn, 0);

        if ((n = vmmDomainGetVcpusFlags(dom, row->flag | col->flag)) < 0)
            return FALSE;
        vshPrint(ctl, "%d\n", n);
        return TRUE;
    }
    return vshVcpuCountRows(ctl, dom, rows, cols);
}

static gboolean cmdDesc(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    gboolean title = vshCmdOptBool(cmd, "title");
    int type = title ? VMM_DOMAIN_METADATA_TITLE
                     : VMM_DOMAIN_METADATA_DESCRIPTION;
    const char *text = vshCmdOptString(cmd, "new-desc");
    g_autofree char *current = NULL;
    unsigned int flags = 0;

    if (!vshCommandOptImpact(ctl, cmd, &flags))
        return FALSE;
    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    if (text) {
        if (vmmDomainSetMetadata(dom, type, text, NULL, NULL, flags) < 0) {
            vshError(ctl, title ? "Failed to set new domain title"
                                : "Failed to set new domain description");
            return FALSE;
        }
        vshPrintExtra(ctl, title ? "Domain title updated successfully\n"
                                 : "Domain description updated successfully\n");
        return TRUE;
    }
    if (!(current = vmmDomainGetMetadata(dom, type, NULL, flags))) {
        if (ctl->savedErrCode != VMM_ERR_NO_DOMAIN_METADATA)
            return FALSE;
        vshResetLibError(ctl);
        vshPrintExtra(ctl, title ? "No title for domain: %s\n"
                                 : "No description for domain: %s\n",
                      vmmDomainGetName(dom));
        return TRUE;
    }
    vshPrint(ctl, "%s\n", current);
    return TRUE;
}

/* ---- tables ---- */

#define VSH_OPT_FILE(h) \
    {.name = "file", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED, \
     .help = h, .complete = VSH_COMPLETE_FILE}
/* The bar shows by itself on a terminal; --verbose shows it anywhere. */
#define VSH_OPT_VERBOSE \
    VSH_OPT_FLAG("verbose", "show the progress on stderr, even when it is no terminal")
#define VSH_OPTS_IMPACT(what) \
    VSH_OPT_FLAG("config", "change the stored definition"), \
    VSH_OPT_FLAG("live", "change the running domain"), \
    VSH_OPT_FLAG("current", "change the running domain if it runs, else the definition")

static const vshOptDef optsDomainOnly[] = {VSH_OPT_DOMAIN, VSH_OPT_END};
static const vshOptDef optsDomainJson[] = {VSH_OPT_DOMAIN, VSH_OPT_JSON,
                                           VSH_OPT_END};

static const vshOptDef optsDumpxml[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("inactive", "the definition the next start will use"),
    VSH_OPT_FLAG("security-info", "keep secrets such as passwords in the output"),
    VSH_OPT_FLAG("update-cpu", "spell out the guest CPU as this host runs it"),
    VSH_OPT_FLAG("migratable", "only what another host needs to run the domain"),
    VSH_OPT_END,
};

static const vshOptDef optsDefine[] = {
    VSH_OPT_FILE("file containing an XML domain description"),
    VSH_OPT_FLAG("validate", "check the XML against the schema first"),
    VSH_OPT_END,
};

static const vshOptDef optsUndefine[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("managed-save", "also delete the managed save image"),
    VSH_OPT_FLAG("snapshots-metadata", "also forget the snapshots of the domain"),
    VSH_OPT_FLAG("checkpoints-metadata", "also forget the checkpoints of the domain"),
    VSH_OPT_FLAG("nvram", "also delete the UEFI variable store"),
    VSH_OPT_FLAG("keep-nvram", "keep the UEFI variable store"),
    VSH_OPT_END,
};

static const vshOptDef optsCreate[] = {
    VSH_OPT_FILE("file containing an XML domain description"),
    VSH_OPT_FLAG("paused", "do not let the new guest run yet"),
    VSH_OPT_FLAG("autodestroy", "stop the guest when this connection closes"),
    VSH_OPT_FLAG("validate", "check the XML against the schema first"),
    VSH_OPT_END,
};

static const vshOptDef optsStart[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("paused", "start the guest paused"),
    VSH_OPT_FLAG("autodestroy", "stop the guest when this connection closes"),
    VSH_OPT_FLAG("bypass-cache", "read the saved state around the page cache"),
    VSH_OPT_FLAG("force-boot", "boot afresh, dropping any managed save image"),
    VSH_OPT_END,
};

static const vshOptDef optsDestroy[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("graceful", "ask the process to exit before killing it"),
    VSH_OPT_END,
};

static const vshOptDef optsPower[] = {
    VSH_OPT_DOMAIN,
    {.name = "mode", .type = VSH_OT_STRING, .flags = VSH_OPT_NO_POSITIONAL,
     .help = "how to ask: acpi, agent, initctl, signal, paravirt (comma-separated)"},
    VSH_OPT_END,
};

static const vshOptDef optsSave[] = {
    VSH_OPT_DOMAIN,
    {.name = "file", .type = VSH_OT_STRING, .flags = VSH_OPT_REQUIRED,
     .help = "the file to write the state to", .complete = VSH_COMPLETE_FILE},
    VSH_OPT_FLAG("bypass-cache", "write around the page cache"),
    VSH_OPT_FLAG("running", "let it run when restored"),
    VSH_OPT_FLAG("paused", "keep it paused when restored"),
    VSH_OPT_VERBOSE,
    VSH_OPT_END,
};

static const vshOptDef optsRestore[] = {
    VSH_OPT_FILE("the state to restore"),
    VSH_OPT_FLAG("bypass-cache", "read around the page cache"),
    VSH_OPT_FLAG("running", "let it run once restored"),
    VSH_OPT_FLAG("paused", "keep it paused once restored"),
    VSH_OPT_VERBOSE,
    VSH_OPT_END,
};

static const vshOptDef optsManagedsave[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("bypass-cache", "write around the page cache"),
    VSH_OPT_FLAG("running", "let it run when started again"),
    VSH_OPT_FLAG("paused", "keep it paused when started again"),
    VSH_OPT_VERBOSE,
    VSH_OPT_END,
};

static const vshOptDef optsAutostart[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("disable", "no longer start it with the host"),
    VSH_OPT_END,
};

static const vshOptDef optsSetmem[] = {
    VSH_OPT_DOMAIN,
    {.name = "size", .type = VSH_OT_INT, .flags = VSH_OPT_REQUIRED,
     .help = "the new size: KiB, or a number with a unit (M, GiB...)"},
    VSH_OPTS_IMPACT(),
    VSH_OPT_END,
};

static const vshOptDef optsSetvcpus[] = {
    VSH_OPT_DOMAIN,
    {.name = "count", .type = VSH_OT_INT, .flags = VSH_OPT_REQUIRED,
     .help = "how many virtual CPUs"},
    VSH_OPT_FLAG("maximum", "change the most the domain may have"),
    VSH_OPTS_IMPACT(),
    VSH_OPT_FLAG("guest", "ask the guest agent to bring CPUs on or off line"),
    VSH_OPT_FLAG("hotpluggable", "new virtual CPUs can be unplugged again"),
    VSH_OPT_END,
};

static const vshOptDef optsVcpucount[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("maximum", "only the most the domain may have"),
    VSH_OPT_FLAG("active", "only how many it has now"),
    VSH_OPTS_IMPACT(),
    VSH_OPT_FLAG("guest", "as the guest agent counts them"),
    VSH_OPT_JSON,
    VSH_OPT_END,
};

static const vshOptDef optsDesc[] = {
    VSH_OPT_DOMAIN,
    VSH_OPTS_IMPACT(),
    VSH_OPT_FLAG("title", "the short title rather than the description"),
    {.name = "new-desc", .type = VSH_OT_ARGV,
     .help = "the new text; without it, print the current one"},
    VSH_OPT_END,
};

const vshCmdDef vshDomainCmds[] = {
    {.name = "autostart", .handler = cmdAutostart, .opts = optsAutostart,
     .help = "autostart a domain",
     .desc = "Mark a domain to be started when the host starts, or with --disable no longer."},
    {.name = "create", .handler = cmdCreate, .opts = optsCreate,
     .help = "start a transient domain from an XML file",
     .desc = "Start a domain described by an XML file without defining it."},
    {.name = "define", .handler = cmdDefine, .opts = optsDefine,
     .help = "define a domain from an XML file",
     .desc = "Store the definition of a domain read from an XML file; it does not start."},
    {.name = "desc", .handler = cmdDesc, .opts = optsDesc,
     .help = "print or change the description or title",
     .desc = "Print the description (or title) of a domain, or replace it with new text."},
    {.name = "destroy", .handler = cmdDestroy, .opts = optsDestroy,
     .help = "stop a domain at once",
     .desc = "Stop a domain immediately, like pulling the plug; its definition and disks stay."},
    {.name = "domid", .handler = cmdDomid, .opts = optsDomainJson,
     .help = "print the id of a domain",
     .desc = "Print the id of a running domain, or '-'."},
    {.name = "domname", .handler = cmdDomname, .opts = optsDomainJson,
     .help = "print the name of a domain",
     .desc = "Print the name of a domain."},
    {.name = "domuuid", .handler = cmdDomuuid, .opts = optsDomainJson,
     .help = "print the UUID of a domain",
     .desc = "Print the UUID of a domain."},
    {.name = "dumpxml", .handler = cmdDumpxml, .opts = optsDumpxml,
     .help = "print the XML description of a domain",
     .desc = "Print the XML description of a domain as it is now, or with --inactive as it will next start."},
    {.name = "managedsave", .handler = cmdManagedsave,
     .opts = optsManagedsave,
     .help = "save the state of a domain for its next start",
     .desc = "Write the state of a running domain to a file the driver keeps, then stop it; the next start resumes from there."},
    {.name = "managedsave-remove", .handler = cmdManagedsaveRemove,
     .opts = optsDomainOnly,
     .help = "forget the managed save image of a domain",
     .desc = "Remove the managed save image of a domain, so its next start boots it."},
    {.name = "reboot", .handler = cmdReboot, .opts = optsPower,
     .help = "ask a domain to reboot",
     .desc = "Ask the guest to restart, by the means --mode names or the driver's default."},
    {.name = "restore", .handler = cmdRestore, .opts = optsRestore,
     .help = "start a domain again from a saved state",
     .desc = "Start a domain again from the state a save command wrote."},
    {.name = "resume", .handler = cmdResume, .opts = optsDomainOnly,
     .help = "let a paused domain run",
     .desc = "Let a domain that suspend paused run again."},
    {.name = "save", .handler = cmdSave, .opts = optsSave,
     .help = "write the state of a domain to a file and stop it",
     .desc = "Write the memory and device state of a running domain to a file, then stop it; restore starts it again."},
    {.name = "setmaxmem", .handler = cmdSetmaxmem, .opts = optsSetmem,
     .help = "change the most memory a domain may have",
     .desc = "Change the upper limit of the memory of a domain."},
    {.name = "setmem", .handler = cmdSetmem, .opts = optsSetmem,
     .help = "change the memory of a domain",
     .desc = "Change how much memory a domain has, up to its maximum."},
    {.name = "setvcpus", .handler = cmdSetvcpus, .opts = optsSetvcpus,
     .help = "change the virtual CPUs of a domain",
     .desc = "Change how many virtual CPUs a domain has, or may have with --maximum."},
    {.name = "shutdown", .handler = cmdShutdown, .opts = optsPower,
     .help = "ask a domain to power off",
     .desc = "Ask the guest to shut down, by the means --mode names or the driver's default."},
    {.name = "start", .handler = cmdStart, .opts = optsStart,
     .help = "start a defined domain",
     .desc = "Start a defined domain that is not running: from its managed save image when it has one, else by booting it."},
    {.name = "suspend", .handler = cmdSuspend, .opts = optsDomainOnly,
     .help = "pause a running domain",
     .desc = "Pause a running domain; it keeps its memory, resume lets it run."},
    {.name = "undefine", .handler = cmdUndefine, .opts = optsUndefine,
     .help = "remove the definition of a domain",
     .desc = "Forget the stored definition of a domain; a running one goes on as a transient domain."},
    {.name = "vcpucount", .handler = cmdVcpucount, .opts = optsVcpucount,
     .help = "print the virtual CPU counts",
     .desc = "Print how many virtual CPUs a domain has and may have, live and in its definition."},
    {.name = NULL},
};
