/*
 * vsh_cmd_node.c: `nodecpustats [--cpu N] [--percent]` and `freecell
 * [--cellno N] [--all]`, printed as virsh prints them: one counter a
 * line in the order the driver gives them (kernel time named "system"),
 * or with --percent the shares of two samples a second apart; free
 * memory in KiB of the host, of one NUMA cell, or of each with a total.
 */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "vsh.h"
#include "vsh_cmd_node.h"
#include "vsh_output.h"

/* The counters virsh knows, in its order, with its labels. */
enum { VSH_CPU_USER, VSH_CPU_SYSTEM, VSH_CPU_IDLE, VSH_CPU_IOWAIT, VSH_CPU_N };

static const char *const vshCPUFields[VSH_CPU_N] = {
    VMM_NODE_CPU_STATS_USER,
    VMM_NODE_CPU_STATS_KERNEL,
    VMM_NODE_CPU_STATS_IDLE,
    VMM_NODE_CPU_STATS_IOWAIT,
};
static const char *const vshCPULabels[VSH_CPU_N] = {
    "user:",
    "system:",
    "idle:",
    "iowait:",
};

static int vshCPUField(const char *field)
{
    for (int i = 0; i < VSH_CPU_N; i++) {
        if (strcmp(field, vshCPUFields[i]) == 0)
            return i;
    }
    return -1;
}

/* One sample of the counters of @cpu into @ret_values (indexed as
 * vshCPUFields); prints them as they come unless @quiet. */
static gboolean vshCPUSample(vshControl *ctl, int cpu, int nparams,
                             gboolean quiet,
                             unsigned long long ret_values[VSH_CPU_N])
{
    g_autofree vmmNodeCPUStats *params = g_new0(vmmNodeCPUStats, nparams);

    if (vmmNodeGetCPUStats(ctl->conn, cpu, params, &nparams, 0) != 0) {
        vshError(ctl, "Unable to get node cpu stats");
        return FALSE;
    }
    for (int i = 0; i < nparams; i++) {
        int field = vshCPUField(params[i].field);

        if (field < 0)
            continue;
        ret_values[field] = params[i].value;
        if (!quiet)
            vshPrint(ctl, "%-15s %20llu\n", vshCPULabels[field],
                     params[i].value);
    }
    return TRUE;
}

static void vshCPUPercent(vshControl *ctl, const unsigned long long *before,
                          const unsigned long long *after)
{
    double delta[VSH_CPU_N];
    double total = 0;

    for (int i = 0; i < VSH_CPU_N; i++) {
        delta[i] = (double)(after[i] - before[i]);
        total += delta[i];
    }
    vshPrint(ctl, "%-15s %5.1lf%%\n", "usage:",
             (delta[VSH_CPU_USER] + delta[VSH_CPU_SYSTEM]) / total * 100);
    for (int i = 0; i < VSH_CPU_N; i++)
        vshPrint(ctl, "%-15s %5.1lf%%\n", vshCPULabels[i],
                 delta[i] / total * 100);
}

static gboolean cmdNodecpustats(vshControl *ctl, const vshCmd *cmd)
{
    unsigned long long before[VSH_CPU_N] = {0};
    unsigned long long after[VSH_CPU_N] = {0};
    gboolean percent = vshCmdOptBool(cmd, "percent");
    unsigned int cpu = 0;
    int nparams = 0;
    int got;

    if ((got = vshCommandOptUInt(ctl, cmd, "cpu", &cpu)) < 0)
        return FALSE;
    if (!vshConn(ctl))
        return FALSE;
    if (vmmNodeGetCPUStats(ctl->conn,
                           got ? (int)cpu : VMM_NODE_CPU_STATS_ALL_CPUS, NULL,
                           &nparams, 0) != 0) {
        vshError(ctl, "Unable to get number of cpu stats");
        return FALSE;
    }
    if (nparams == 0)
        return TRUE;
    if (!vshCPUSample(ctl, got ? (int)cpu : -1, nparams, percent, before))
        return FALSE;
    if (!percent)
        return TRUE;
    sleep(1);
    if (!vshCPUSample(ctl, got ? (int)cpu : -1, nparams, TRUE, after))
        return FALSE;
    vshCPUPercent(ctl, before, after);
    return TRUE;
}

/* Every cell with its free memory, and their total. */
static gboolean vshFreecellAll(vshControl *ctl)
{
    g_autofree unsigned long long *cells = NULL;
    unsigned long long total = 0;
    vmmNodeInfo info;
    int n;

    if (vmmNodeGetInfo(ctl->conn, &info) < 0)
        return FALSE;
    cells = g_new0(unsigned long long, MAX(info.nodes, 1));
    if ((n = vmmNodeGetCellsFreeMemory(ctl->conn, cells, 0,
                                       MAX(info.nodes, 1))) < 0)
        return FALSE;
    for (int i = 0; i < n; i++) {
        vshPrint(ctl, "%5d: %10llu KiB\n", i, cells[i] / 1024);
        total += cells[i];
    }
    vshPrintExtra(ctl, "--------------------\n");
    vshPrintExtra(ctl, "%5s: %10llu KiB\n", "Total", total / 1024);
    return TRUE;
}

static gboolean cmdFreecell(vshControl *ctl, const vshCmd *cmd)
{
    unsigned long long memory = 0;
    unsigned int cell = 0;
    int got;

    if ((got = vshCommandOptUInt(ctl, cmd, "cellno", &cell)) < 0)
        return FALSE;
    if (got && vshCmdOptBool(cmd, "all")) {
        vshError(ctl, "--cellno and --all are mutually exclusive. "
                      "Please choose only one.");
        return FALSE;
    }
    if (!vshConn(ctl))
        return FALSE;
    if (vshCmdOptBool(cmd, "all"))
        return vshFreecellAll(ctl);
    if (!got) {
        if ((memory = vmmNodeGetFreeMemory(ctl->conn)) == 0)
            return FALSE;
        vshPrint(ctl, "%s: %llu KiB\n", "Total", memory / 1024);
        return TRUE;
    }
    if (vmmNodeGetCellsFreeMemory(ctl->conn, &memory, (int)cell, 1) != 1)
        return FALSE;
    vshPrint(ctl, "%u: %llu KiB\n", cell, memory / 1024);
    return TRUE;
}

static const vshOptDef optsNodecpustats[] = {
    {.name = "cpu",
     .type = VSH_OT_INT,
     .help = "one host CPU; without it, all of them"},
    VSH_OPT_FLAG("percent", "the shares of each counter over one second"),
    VSH_OPT_END,
};

static const vshOptDef optsFreecell[] = {
    {.name = "cellno",
     .type = VSH_OT_INT,
     .help = "one NUMA cell; without it, the whole host"},
    VSH_OPT_FLAG("all", "each NUMA cell, then the total"),
    VSH_OPT_END,
};

const vshCmdDef vshNodeCmds[] = {
    {.name = "nodecpustats",
     .handler = cmdNodecpustats,
     .opts = optsNodecpustats,
     .help = "Prints cpu stats of the node.",
     .desc = "The host's CPU time counters (ns): user, system, idle, "
             "iowait, of all CPUs or of one; with --percent, their shares."},
    {.name = "freecell",
     .handler = cmdFreecell,
     .opts = optsFreecell,
     .help = "NUMA free memory",
     .desc = "Free memory of the host, of one NUMA cell, or of each cell "
             "with --all."},
    {.name = NULL},
};
