/*
 * vsh_cmd_monitor.c: list, dominfo, domstate (see vsh_cmd_monitor.h),
 * and the names virsh gives to states and their reasons.
 */
#include <config.h>

#include <string.h>

#include "vsh_cmd_monitor.h"
#include "vsh_names.h"
#include "vsh_output.h"

typedef struct {
    vmmDomainPtr *doms;
    int n;
} vshDomainList;

static void vshDomainListFree(vshDomainList *list)
{
    int i;

    if (!list)
        return;
    for (i = 0; i < list->n; i++)
        vmmDomainFree(list->doms[i]);
    g_free(list->doms);
    g_free(list);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshDomainList, vshDomainListFree);

/* Running domains by id first, then the others by name, as virsh. */
static int vshDomainSort(const void *a, const void *b)
{
    vmmDomainPtr da = *(vmmDomainPtr const *)a;
    vmmDomainPtr db = *(vmmDomainPtr const *)b;
    unsigned int ida = vmmDomainGetID(da);
    unsigned int idb = vmmDomainGetID(db);

    if (ida != (unsigned int)-1 && idb != (unsigned int)-1)
        return ida < idb ? -1 : ida > idb;
    if (ida != (unsigned int)-1)
        return -1;
    if (idb != (unsigned int)-1)
        return 1;
    return g_ascii_strcasecmp(vmmDomainGetName(da), vmmDomainGetName(db));
}

static const vshOptFlag vshListFilters[] = {
    {"persistent", VMM_CONNECT_LIST_DOMAINS_PERSISTENT},
    {"transient", VMM_CONNECT_LIST_DOMAINS_TRANSIENT},
    {"with-managed-save", VMM_CONNECT_LIST_DOMAINS_MANAGEDSAVE},
    {"without-managed-save", VMM_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE},
    {"autostart", VMM_CONNECT_LIST_DOMAINS_AUTOSTART},
    {"no-autostart", VMM_CONNECT_LIST_DOMAINS_NO_AUTOSTART},
    {"state-running", VMM_CONNECT_LIST_DOMAINS_RUNNING},
    {"state-paused", VMM_CONNECT_LIST_DOMAINS_PAUSED},
    {"state-shutoff", VMM_CONNECT_LIST_DOMAINS_SHUTOFF},
    {"state-other", VMM_CONNECT_LIST_DOMAINS_OTHER},
    {"with-snapshot", VMM_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT},
    {"without-snapshot", VMM_CONNECT_LIST_DOMAINS_NO_SNAPSHOT},
    {NULL, 0},
};

#define VSH_LIST_STATE_FILTERS \
    (VMM_CONNECT_LIST_DOMAINS_RUNNING | VMM_CONNECT_LIST_DOMAINS_PAUSED | \
     VMM_CONNECT_LIST_DOMAINS_SHUTOFF | VMM_CONNECT_LIST_DOMAINS_OTHER)

static unsigned int vshListFlags(const vshCmd *cmd)
{
    unsigned int flags = VMM_CONNECT_LIST_DOMAINS_ACTIVE;

    if (vshCmdOptBool(cmd, "inactive"))
        flags = VMM_CONNECT_LIST_DOMAINS_INACTIVE;
    if (vshCmdOptBool(cmd, "all"))
        flags = VMM_CONNECT_LIST_DOMAINS_ACTIVE |
                VMM_CONNECT_LIST_DOMAINS_INACTIVE;
    flags |= vshCommandOptFlags(cmd, vshListFilters);
    /* a state filter names the states wanted: --state-shutoff alone
     * must not be limited to running domains */
    if ((flags & VSH_LIST_STATE_FILTERS) && !vshCmdOptBool(cmd, "inactive") &&
        !vshCmdOptBool(cmd, "all"))
        flags &= ~VMM_CONNECT_LIST_DOMAINS_ACTIVE;
    return flags;
}

static vshDomainList *vshListCollect(vshControl *ctl, unsigned int flags)
{
    g_autoptr(vshDomainList) list = g_new0(vshDomainList, 1);

    if ((list->n = vmmConnectListAllDomains(ctl->conn, &list->doms, flags)) < 0) {
        list->n = 0;
        vshError(ctl, "Failed to list domains");
        return NULL;
    }
    if (list->n > 0)
        qsort(list->doms, list->n, sizeof(*list->doms), vshDomainSort);
    return g_steal_pointer(&list);
}

static char *vshDomainIdString(vmmDomainPtr dom)
{
    unsigned int id = vmmDomainGetID(dom);

    if (id == (unsigned int)-1)
        return g_strdup("-");
    return g_strdup_printf("%u", id);
}

/* The title, "" when there is none; NULL after reporting a failure. */
static char *vshDomainTitle(vshControl *ctl, vmmDomainPtr dom)
{
    char *title = vmmDomainGetMetadata(dom, VMM_DOMAIN_METADATA_TITLE, NULL, 0);

    if (title)
        return title;
    if (ctl->savedErrCode == VMM_ERR_NO_DOMAIN_METADATA) {
        vshResetLibError(ctl);
        return g_strdup("");
    }
    return NULL;
}

static int vshDomainStateOf(vmmDomainPtr dom, int *ret_reason)
{
    int state = 0, reason = 0;

    if (vmmDomainGetState(dom, &state, &reason, 0) < 0)
        return -1;
    if (ret_reason)
        *ret_reason = reason;
    return state;
}

static vshJson *vshListEntryJson(vshControl *ctl, vmmDomainPtr dom,
                                 gboolean withTitle)
{
    g_autoptr(vshJson) obj = vshJsonNewObject();
    char uuid[VMM_UUID_STRING_BUFLEN] = "";
    unsigned int id = vmmDomainGetID(dom);
    int state = vshDomainStateOf(dom, NULL);
    int persistent = vmmDomainIsPersistent(dom);
    int autostart = 0;

    if (state < 0 || persistent < 0 || vmmDomainGetUUIDString(dom, uuid) < 0 ||
        vmmDomainGetAutostart(dom, &autostart) < 0)
        return NULL;
    vshJsonObjectAdd(obj, "id", id == (unsigned int)-1 ?
                                    vshJsonNewNull() : vshJsonNewUInt(id));
    vshJsonObjectAddString(obj, "name", vmmDomainGetName(dom));
    vshJsonObjectAddString(obj, "uuid", uuid);
    vshJsonObjectAddString(obj, "state", vshDomainStateToString(state));
    vshJsonObjectAddBool(obj, "persistent", persistent > 0);
    vshJsonObjectAddBool(obj, "autostart", autostart != 0);
    if (withTitle) {
        g_autofree char *title = vshDomainTitle(ctl, dom);

        if (!title)
            return NULL;
        vshJsonObjectAddString(obj, "title", title);
    }
    return g_steal_pointer(&obj);
}

static gboolean vshListJson(vshControl *ctl, vshDomainList *list,
                            gboolean withTitle)
{
    g_autoptr(vshJson) arr = vshJsonNewArray();
    int i;

    for (i = 0; i < list->n; i++) {
        vshJson *entry = vshListEntryJson(ctl, list->doms[i], withTitle);

        if (!entry)
            return FALSE;
        vshJsonArrayAppend(arr, entry);
    }
    ctl->result = g_steal_pointer(&arr);
    return TRUE;
}

/* The State column: with --managed-save, a shut off domain that has a
 * managed save image shows "saved". */
static const char *vshListStateName(vmmDomainPtr dom, int state,
                                    gboolean managed)
{
    if (managed && state == VMM_DOMAIN_SHUTOFF &&
        vmmDomainHasManagedSaveImage(dom, 0) > 0)
        return "saved";
    return vshDomainStateToString(state);
}

static gboolean vshListTable(vshControl *ctl, vshDomainList *list,
                             gboolean withTitle, gboolean managed)
{
    g_autoptr(vshTable) table = NULL;
    int i;

    table = withTitle ? vshTableNew("Id", "Name", "State", "Title", NULL)
                      : vshTableNew("Id", "Name", "State", NULL);
    for (i = 0; i < list->n; i++) {
        vmmDomainPtr dom = list->doms[i];
        g_autofree char *id = vshDomainIdString(dom);
        g_autofree char *title = NULL;
        int state = vshDomainStateOf(dom, NULL);

        if (state < 0)
            continue; /* gone since it was listed */
        if (withTitle && !(title = vshDomainTitle(ctl, dom)))
            return FALSE;
        vshTableAddRow(table, id, vmmDomainGetName(dom),
                       vshListStateName(dom, state, managed), title, NULL);
    }
    vshTablePrint(ctl, table);
    return TRUE;
}

/* --uuid, --id, --name: bare values, one domain per line. */
static gboolean vshListBare(vshControl *ctl, vshDomainList *list,
                            const vshCmd *cmd)
{
    gboolean optUUID = vshCmdOptBool(cmd, "uuid");
    gboolean optID = vshCmdOptBool(cmd, "id");
    gboolean optName = vshCmdOptBool(cmd, "name");
    int i;

    for (i = 0; i < list->n; i++) {
        vmmDomainPtr dom = list->doms[i];
        g_autoptr(GString) line = g_string_new(NULL);
        char uuid[VMM_UUID_STRING_BUFLEN];

        if (optUUID) {
            if (vmmDomainGetUUIDString(dom, uuid) < 0)
                return FALSE;
            g_string_append(line, uuid);
        }
        if (optID) {
            g_autofree char *id = vshDomainIdString(dom);

            /* with --id alone, inactive domains have nothing to show */
            if (strcmp(id, "-") == 0 && !optUUID && !optName)
                continue;
            g_string_append_printf(line, "%s%s", line->len ? " " : "", id);
        }
        if (optName)
            g_string_append_printf(line, "%s%s", line->len ? " " : "",
                                   vmmDomainGetName(dom));
        vshPrint(ctl, "%s\n", line->str);
    }
    return TRUE;
}

static gboolean cmdList(vshControl *ctl, const vshCmd *cmd)
{
    gboolean bare = vshCmdOptBool(cmd, "uuid") || vshCmdOptBool(cmd, "id") ||
                    vshCmdOptBool(cmd, "name");
    gboolean withTitle = vshCmdOptBool(cmd, "title");
    g_autoptr(vshDomainList) list = NULL;

    if (!vshOptionsExclusive(ctl, cmd, "table", "name") ||
        !vshOptionsExclusive(ctl, cmd, "table", "uuid") ||
        !vshOptionsExclusive(ctl, cmd, "table", "id"))
        return FALSE;
    if (!(list = vshListCollect(ctl, vshListFlags(cmd))))
        return FALSE;
    if (vshWantJson(ctl))
        return vshListJson(ctl, list, withTitle);
    if (bare)
        return vshListBare(ctl, list, cmd);
    return vshListTable(ctl, list, withTitle,
                        vshCmdOptBool(cmd, "managed-save"));
}

static const char *vshYesNoUnknown(int value)
{
    if (value < 0)
        return "unknown";
    return value ? "yes" : "no";
}

typedef struct {
    unsigned int id;
    char uuid[VMM_UUID_STRING_BUFLEN];
    char *osType;
    vmmDomainInfo info;
    int persistent;
    int autostart;  /* -1: unknown */
    int managedSave;
} vshDomInfo;

/* Fields a driver cannot give are shown as unknown, not as failure. */
static gboolean vshDomInfoGather(vshControl *ctl, vmmDomainPtr dom,
                                 vshDomInfo *di)
{
    di->id = vmmDomainGetID(dom);
    if (vmmDomainGetUUIDString(dom, di->uuid) < 0 ||
        vmmDomainGetInfo(dom, &di->info) < 0)
        return FALSE;
    di->osType = vmmDomainGetOSType(dom);
    di->persistent = vmmDomainIsPersistent(dom);
    if (vmmDomainGetAutostart(dom, &di->autostart) < 0)
        di->autostart = -1;
    di->managedSave = vmmDomainHasManagedSaveImage(dom, 0);
    vshResetLibError(ctl);
    return TRUE;
}

static void vshDomInfoJson(vshControl *ctl, vmmDomainPtr dom,
                           const vshDomInfo *di)
{
    vshJson *obj = vshJsonNewObject();

    vshJsonObjectAdd(obj, "id", di->id == (unsigned int)-1 ?
                                    vshJsonNewNull() : vshJsonNewUInt(di->id));
    vshJsonObjectAddString(obj, "name", vmmDomainGetName(dom));
    vshJsonObjectAddString(obj, "uuid", di->uuid);
    vshJsonObjectAddString(obj, "os_type", di->osType);
    vshJsonObjectAddString(obj, "state", vshDomainStateToString(di->info.state));
    vshJsonObjectAddUInt(obj, "cpus", di->info.nrVirtCpu);
    vshJsonObjectAddUInt(obj, "cpu_time_ns", di->info.cpuTime);
    vshJsonObjectAddUInt(obj, "max_memory_kib", di->info.maxMem);
    vshJsonObjectAddUInt(obj, "used_memory_kib", di->info.memory);
    vshJsonObjectAdd(obj, "persistent", di->persistent < 0 ?
                     vshJsonNewNull() : vshJsonNewBool(di->persistent > 0));
    vshJsonObjectAdd(obj, "autostart", di->autostart < 0 ?
                     vshJsonNewNull() : vshJsonNewBool(di->autostart > 0));
    vshJsonObjectAdd(obj, "managed_save", di->managedSave < 0 ?
                     vshJsonNewNull() : vshJsonNewBool(di->managedSave > 0));
    ctl->result = obj;
}

static void vshDomInfoText(vshControl *ctl, vmmDomainPtr dom,
                           const vshDomInfo *di)
{
    if (di->id == (unsigned int)-1)
        vshPrintField(ctl, 15, "Id:", "-");
    else
        vshPrintField(ctl, 15, "Id:", "%u", di->id);
    vshPrintField(ctl, 15, "Name:", "%s", vmmDomainGetName(dom));
    vshPrintField(ctl, 15, "UUID:", "%s", di->uuid);
    if (di->osType)
        vshPrintField(ctl, 15, "OS Type:", "%s", di->osType);
    vshPrintField(ctl, 15, "State:", "%s",
                  vshDomainStateToString(di->info.state));
    vshPrintField(ctl, 15, "CPU(s):", "%u", di->info.nrVirtCpu);
    if (di->info.cpuTime != 0)
        vshPrintField(ctl, 15, "CPU time:", "%.1fs",
                      di->info.cpuTime / 1000000000.0);
    vshPrintField(ctl, 15, "Max memory:", "%lu KiB", di->info.maxMem);
    vshPrintField(ctl, 15, "Used memory:", "%lu KiB", di->info.memory);
    vshPrintField(ctl, 15, "Persistent:", "%s", vshYesNoUnknown(di->persistent));
    if (di->autostart >= 0)
        vshPrintField(ctl, 15, "Autostart:", "%s",
                      di->autostart ? "enable" : "disable");
    vshPrintField(ctl, 15, "Managed save:", "%s",
                  vshYesNoUnknown(di->managedSave));
}

/* virsh's security lines: the host's model when there is one, and the
 * label of a guest that has one. A connection without the calls has no
 * lines; any other failure fails dominfo, as in virsh. */
static gboolean vshDomInfoSecurity(vshControl *ctl, vmmDomainPtr dom)
{
    g_autofree vmmSecurityLabel *label = g_new0(vmmSecurityLabel, 1);
    vmmSecurityModel model;

    if (vmmNodeGetSecurityModel(vmmDomainGetConnect(dom), &model) < 0) {
        if (vmmGetLastErrorCode() != VMM_ERR_NO_SUPPORT)
            return FALSE;
        vshResetLibError(ctl);
        return TRUE;
    }
    if (model.model[0] == '\0')
        return TRUE;
    vshPrintField(ctl, 15, "Security model:", "%s", model.model);
    vshPrintField(ctl, 15, "Security DOI:", "%s", model.doi);
    if (vmmDomainGetSecurityLabel(dom, label) < 0)
        return FALSE;
    if (label->label[0] != '\0')
        vshPrintField(ctl, 15, "Security label:", "%s (%s)", label->label,
                      label->enforcing ? "enforcing" : "permissive");
    return TRUE;
}

static gboolean cmdDominfo(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    vshDomInfo di = {0};
    gboolean ok;

    if (!dom)
        return FALSE;
    if ((ok = vshDomInfoGather(ctl, dom, &di))) {
        if (vshWantJson(ctl)) {
            vshDomInfoJson(ctl, dom, &di);
        } else {
            vshDomInfoText(ctl, dom, &di);
            ok = vshDomInfoSecurity(ctl, dom);
        }
    }
    g_free(di.osType);
    return ok;
}

static gboolean cmdDomstate(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    int state, reason = 0;

    if (!dom || (state = vshDomainStateOf(dom, &reason)) < 0)
        return FALSE;
    if (vshWantJson(ctl)) {
        ctl->result = vshJsonNewObject();
        vshJsonObjectAddString(ctl->result, "state",
                               vshDomainStateToString(state));
        vshJsonObjectAddString(ctl->result, "reason",
                               vshDomainStateReasonToString(state, reason));
    } else if (vshCmdOptBool(cmd, "reason")) {
        vshPrint(ctl, "%s (%s)\n", vshDomainStateToString(state),
                 vshDomainStateReasonToString(state, reason));
    } else {
        vshPrint(ctl, "%s\n", vshDomainStateToString(state));
    }
    return TRUE;
}


static const vshOptDef optsList[] = {
    VSH_OPT_FLAG("inactive", "only domains that are not running"),
    VSH_OPT_FLAG("all", "every domain, running or not"),
    VSH_OPT_FLAG("transient", "only domains without a stored definition"),
    VSH_OPT_FLAG("persistent", "only domains with a stored definition"),
    VSH_OPT_FLAG("state-running", "only running domains"),
    VSH_OPT_FLAG("state-paused", "only paused domains"),
    VSH_OPT_FLAG("state-shutoff", "only shut off domains"),
    VSH_OPT_FLAG("state-other", "only domains in any other state"),
    VSH_OPT_FLAG("autostart", "only domains started with the host"),
    VSH_OPT_FLAG("no-autostart", "only domains not started with the host"),
    VSH_OPT_FLAG("with-managed-save", "only domains with a managed save image"),
    VSH_OPT_FLAG("without-managed-save", "only domains without a managed save image"),
    VSH_OPT_FLAG("with-snapshot", "only domains that have snapshots"),
    VSH_OPT_FLAG("without-snapshot", "only domains without snapshots"),
    VSH_OPT_FLAG("managed-save", "show \"saved\" for domains with a managed save image"),
    VSH_OPT_FLAG("uuid", "print UUIDs instead of the table"),
    VSH_OPT_FLAG("name", "print names instead of the table"),
    VSH_OPT_FLAG("id", "print ids of running domains instead of the table"),
    VSH_OPT_FLAG("table", "print the table (the default)"),
    VSH_OPT_FLAG("title", "add a column with the title"),
    VSH_OPT_JSON,
    {.name = NULL},
};

static const vshOptDef optsDominfo[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_JSON,
    {.name = NULL},
};

static const vshOptDef optsDomstate[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("reason", "say why, too"),
    VSH_OPT_JSON,
    {.name = NULL},
};

const vshCmdDef vshMonitorCmds[] = {
    {.name = "dominfo", .handler = cmdDominfo, .opts = optsDominfo,
     .help = "print facts about a domain",
     .desc = "Print the id, UUID, state, CPUs, memory and settings of a domain."},
    {.name = "domstate", .handler = cmdDomstate, .opts = optsDomstate,
     .help = "print the state of a domain",
     .desc = "Print the state of a domain and, with --reason, why it is in it."},
    {.name = "list", .handler = cmdList, .opts = optsList,
     .help = "print a table of domains",
     .desc = "Print the running domains, or with --all every domain, as a table."},
    {.name = NULL},
};
