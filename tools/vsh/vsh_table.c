/*
 * vsh_table.c: the groups of commands, lookup, and `help` (see
 * vsh_table.h). Help text is generated from each command's option table,
 * so a new option documents itself.
 */
#include <config.h>

#include <string.h>

#include "vsh_table.h"
#include "vsh_cmd_console.h"
#include "vsh_cmd_control.h"
#include "vsh_cmd_device.h"
#include "vsh_cmd_domain.h"
#include "vsh_cmd_event.h"
#include "vsh_cmd_host.h"
#include "vsh_cmd_job.h"
#include "vsh_cmd_monitor.h"
#include "vsh_cmd_node.h"
#include "vsh_cmd_snapshot.h"
#include "vsh_cmd_vcpu.h"
#include "vsh_output.h"

static gboolean cmdHelp(vshControl *ctl, const vshCmd *cmd)
{
    return vshTableHelp(ctl, vshCmdOptString(cmd, "command"));
}

static gboolean cmdQuit(vshControl *ctl, const vshCmd *cmd)
{
    ctl->quit = TRUE;
    return TRUE;
}

static gboolean cmdConnect(vshControl *ctl, const vshCmd *cmd)
{
    return vshReconnect(ctl, vshCmdOptString(cmd, "name"),
                        vshCmdOptBool(cmd, "readonly"));
}

static const vshOptDef optsHelp[] = {
    {.name = "command", .type = VSH_OT_STRING,
     .help = "a command or a group keyword; without it, every command",
     .complete = VSH_COMPLETE_COMMAND},
    {.name = NULL},
};

static const vshOptDef optsConnect[] = {
    {.name = "name", .type = VSH_OT_STRING,
     .help = "the URI to connect to; without it, the default one"},
    {.name = "readonly", .type = VSH_OT_BOOL,
     .help = "open the connection read-only"},
    {.name = NULL},
};

static const vshOptDef optsNone[] = {
    {.name = NULL},
};

static const vshCmdDef vshSelfCmds[] = {
    {.name = "connect", .handler = cmdConnect, .opts = optsConnect,
     .help = "open a new connection",
     .desc = "Close the current connection, if any, and open one to the given URI.",
     .flags = VSH_CMD_NOCONNECT},
    {.name = "exit", .handler = cmdQuit, .opts = optsNone,
     .help = "leave vsh",
     .desc = "Leave vsh; in a script, the remaining commands do not run.",
     .flags = VSH_CMD_NOCONNECT},
    {.name = "help", .handler = cmdHelp, .opts = optsHelp,
     .help = "print help",
     .desc = "Print every command by group, the commands of a group, or the options of one command.",
     .flags = VSH_CMD_NOCONNECT},
    {.name = "quit", .handler = cmdQuit, .opts = optsNone,
     .help = "leave vsh",
     .desc = "Leave vsh; in a script, the remaining commands do not run.",
     .flags = VSH_CMD_NOCONNECT},
    {.name = NULL},
};

typedef struct {
    const char *name;
    const char *keyword;
    const vshCmdDef *tables[8];
} vshCmdGroup;

static const vshCmdGroup vshGroups[] = {
    {"Domain Management", "domain", {vshDomainCmds, vshEventCmds, vshConsoleCmds, vshDeviceCmds, vshJobCmds, vshVcpuCmds, vshControlCmds, NULL}},
    {"Snapshot", "snapshot", {vshSnapshotCmds, NULL}},
    {"Domain Monitoring", "monitor", {vshMonitorCmds, vshDeviceMonitorCmds, vshControlMonitorCmds, NULL}},
    {"Host and Hypervisor", "host", {vshHostCmds, vshDomcapsCmds, vshNodeCmds, NULL}},
    {"Vsh itself", "vsh", {vshSelfCmds, NULL}},
    {NULL, NULL, {NULL}},
};

static gint vshCmdDefCompare(gconstpointer a, gconstpointer b)
{
    const vshCmdDef *da = *(const vshCmdDef *const *)a;
    const vshCmdDef *db = *(const vshCmdDef *const *)b;

    return strcmp(da->name, db->name);
}

static void vshGroupCollect(const vshCmdGroup *group, GPtrArray *out)
{
    const vshCmdDef *const *table;
    const vshCmdDef *def;

    for (table = group->tables; *table; table++) {
        for (def = *table; def->name; def++)
            g_ptr_array_add(out, (gpointer)def);
    }
}

GPtrArray *vshTableAllCommands(void)
{
    GPtrArray *all = g_ptr_array_new();
    const vshCmdGroup *group;

    for (group = vshGroups; group->name; group++)
        vshGroupCollect(group, all);
    g_ptr_array_sort(all, vshCmdDefCompare);
    return all;
}

const vshCmdDef *vshTableLookup(const char *name)
{
    g_autoptr(GPtrArray) all = vshTableAllCommands();
    guint i;

    for (i = 0; i < all->len; i++) {
        const vshCmdDef *def = g_ptr_array_index(all, i);

        if (strcmp(def->name, name) == 0)
            return def;
    }
    return NULL;
}

static void vshHelpGroup(vshControl *ctl, const vshCmdGroup *group)
{
    g_autoptr(GPtrArray) defs = g_ptr_array_new();
    guint i;

    vshGroupCollect(group, defs);
    g_ptr_array_sort(defs, vshCmdDefCompare);
    vshPrint(ctl, " %s (help keyword '%s'):\n", group->name, group->keyword);
    for (i = 0; i < defs->len; i++) {
        const vshCmdDef *def = g_ptr_array_index(defs, i);

        vshPrint(ctl, "    %-30s %s\n", def->name, def->help);
    }
}

static const char *vshOptValueName(const vshOptDef *opt)
{
    return opt->type == VSH_OT_INT ? "<number>" : "<string>";
}

/* The synopsis form of one option: "<domain>", "[--all]"... */
static char *vshHelpSynopsisOpt(const vshOptDef *opt)
{
    gboolean req = opt->flags & VSH_OPT_REQUIRED;
    gboolean positional = !(opt->flags & VSH_OPT_NO_POSITIONAL);

    if (opt->type == VSH_OT_BOOL)
        return g_strdup_printf("[--%s]", opt->name);
    if (opt->type == VSH_OT_ARGV)
        return g_strdup_printf(req ? "<%s>..." : "[<%s>]...", opt->name);
    if (positional)
        return g_strdup_printf(req ? "<%s>" : "[<%s>]", opt->name);
    return g_strdup_printf(req ? "--%s %s" : "[--%s %s]", opt->name,
                           vshOptValueName(opt));
}

/* The left column of one option in OPTIONS. */
static char *vshHelpOptionName(const vshOptDef *opt)
{
    if (opt->type == VSH_OT_BOOL)
        return g_strdup_printf("--%s", opt->name);
    if (opt->flags & VSH_OPT_NO_POSITIONAL)
        return g_strdup_printf("--%s %s", opt->name, vshOptValueName(opt));
    return g_strdup_printf("[--%s] %s", opt->name, vshOptValueName(opt));
}

static void vshHelpCommand(vshControl *ctl, const vshCmdDef *def)
{
    g_autoptr(GString) synopsis = g_string_new(def->name);
    const vshOptDef *opt;

    for (opt = def->opts; opt && opt->name; opt++) {
        g_autofree char *s = vshHelpSynopsisOpt(opt);

        g_string_append_printf(synopsis, " %s", s);
    }
    vshPrint(ctl, "  NAME\n    %s - %s\n\n", def->name, def->help);
    vshPrint(ctl, "  SYNOPSIS\n    %s\n\n", synopsis->str);
    vshPrint(ctl, "  DESCRIPTION\n    %s\n\n", def->desc);
    if (!def->opts || !def->opts[0].name)
        return;
    vshPrint(ctl, "  OPTIONS\n");
    for (opt = def->opts; opt->name; opt++) {
        g_autofree char *s = vshHelpOptionName(opt);

        vshPrint(ctl, "    %-15s  %s\n", s, opt->help);
    }
    vshPrint(ctl, "\n");
}

gboolean vshTableHelp(vshControl *ctl, const char *topic)
{
    const vshCmdGroup *group;
    const vshCmdDef *def;

    if (!topic) {
        vshPrint(ctl, "Grouped commands:\n\n");
        for (group = vshGroups; group->name; group++) {
            vshHelpGroup(ctl, group);
            vshPrint(ctl, "\n");
        }
        return TRUE;
    }
    for (group = vshGroups; group->name; group++) {
        if (strcmp(group->keyword, topic) == 0) {
            vshHelpGroup(ctl, group);
            return TRUE;
        }
    }
    if ((def = vshTableLookup(topic))) {
        vshHelpCommand(ctl, def);
        return TRUE;
    }
    vshError(ctl, "command or command group '%s' doesn't exist", topic);
    return FALSE;
}
