/*
 * vsh_cmd_control.c: `reset DOMAIN`, `domcontrol DOMAIN` and `dommemstat
 * DOMAIN [--period N [--config|--live|--current]]`, printed as virsh
 * prints them: one line for reset and domcontrol ("ok", or the state and
 * how long it lasts), one "name value" line per memory statistic in the
 * order the hypervisor gave them.
 */
#include <config.h>

#include "vsh.h"
#include "vsh_cmd_control.h"
#include "vsh_output.h"

static gboolean cmdReset(vshControl *ctl, const vshCmd *cmd)
{
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, &name);

    if (!dom)
        return FALSE;
    if (vmmDomainReset(dom, 0) < 0) {
        vshError(ctl, "Failed to reset domain '%s'", name);
        return FALSE;
    }
    vshPrintExtra(ctl, "Domain '%s' was reset\n", name);
    return TRUE;
}

/* virsh's words for vmmDomainControlState and its error reasons. */
static const char *const vshControlStates[] = {
    "ok",
    "background job",
    "occupied",
    "error",
};
static const char *const vshControlErrorReasons[] = {
    "none",
    "unknown",
    "monitor error",
    "internal (locking) error",
};

static const char *vshWord(const char *const *words, size_t n,
                           unsigned int value)
{
    return value < n ? words[value] : "unknown";
}

static gboolean cmdDomcontrol(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = vshCommandOptDomain(ctl, cmd, NULL);
    vmmDomainControlInfo info;
    const char *state;

    if (!dom)
        return FALSE;
    if (vmmDomainGetControlInfo(dom, &info, 0) < 0)
        return FALSE;
    state =
        vshWord(vshControlStates, G_N_ELEMENTS(vshControlStates), info.state);
    if (info.state == VMM_DOMAIN_CONTROL_ERROR && info.details > 0)
        vshPrint(ctl, "%s: %s\n", state,
                 vshWord(vshControlErrorReasons,
                         G_N_ELEMENTS(vshControlErrorReasons), info.details));
    else if (info.state != VMM_DOMAIN_CONTROL_OK &&
             info.state != VMM_DOMAIN_CONTROL_ERROR)
        vshPrint(ctl, "%s (%0.3fs)\n", state, info.stateTime / 1000.0);
    else
        vshPrint(ctl, "%s\n", state);
    return TRUE;
}

/* virsh's names of vmmDomainMemoryStatTags, by tag. */
static const char *const vshMemStatNames[VMM_DOMAIN_MEMORY_STAT_NR] = {
    [VMM_DOMAIN_MEMORY_STAT_SWAP_IN] = "swap_in",
    [VMM_DOMAIN_MEMORY_STAT_SWAP_OUT] = "swap_out",
    [VMM_DOMAIN_MEMORY_STAT_MAJOR_FAULT] = "major_fault",
    [VMM_DOMAIN_MEMORY_STAT_MINOR_FAULT] = "minor_fault",
    [VMM_DOMAIN_MEMORY_STAT_UNUSED] = "unused",
    [VMM_DOMAIN_MEMORY_STAT_AVAILABLE] = "available",
    [VMM_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON] = "actual",
    [VMM_DOMAIN_MEMORY_STAT_RSS] = "rss",
    [VMM_DOMAIN_MEMORY_STAT_USABLE] = "usable",
    [VMM_DOMAIN_MEMORY_STAT_LAST_UPDATE] = "last_update",
    [VMM_DOMAIN_MEMORY_STAT_DISK_CACHES] = "disk_caches",
    [VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC] = "hugetlb_pgalloc",
    [VMM_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL] = "hugetlb_pgfail",
};

static gboolean vshMemStatPeriod(vshControl *ctl, const vshCmd *cmd,
                                 vmmDomainPtr dom, unsigned int period)
{
    unsigned int flags = 0;

    if (!vshCommandOptImpact(ctl, cmd, &flags))
        return FALSE;
    if (period > G_MAXINT) {
        vshError(ctl, "Invalid collection period value '%u'", period);
        return FALSE;
    }
    if (vmmDomainSetMemoryStatsPeriod(dom, (int)period, flags) < 0) {
        vshError(ctl, "Unable to change balloon collection period.");
        return FALSE;
    }
    return TRUE;
}

static gboolean cmdDommemstat(vshControl *ctl, const vshCmd *cmd)
{
    vmmDomainMemoryStat stats[VMM_DOMAIN_MEMORY_STAT_NR];
    const char *name = NULL;
    g_autoptr(vmmDomain) dom = NULL;
    unsigned int period = 0;
    int got;
    int n;

    if ((got = vshCommandOptUInt(ctl, cmd, "period", &period)) < 0)
        return FALSE;
    if (!(dom = vshCommandOptDomain(ctl, cmd, &name)))
        return FALSE;
    if (got)
        return vshMemStatPeriod(ctl, cmd, dom, period);
    if ((n = vmmDomainMemoryStats(dom, stats, G_N_ELEMENTS(stats), 0)) < 0) {
        vshError(ctl, "Failed to get memory statistics for domain %s", name);
        return FALSE;
    }
    for (int i = 0; i < n; i++) {
        if (stats[i].tag >= 0 && stats[i].tag < VMM_DOMAIN_MEMORY_STAT_NR)
            vshPrint(ctl, "%s %llu\n", vshMemStatNames[stats[i].tag],
                     stats[i].val);
    }
    return TRUE;
}

static const vshOptDef optsDomainOnly[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_END,
};

static const vshOptDef optsDommemstat[] = {
    VSH_OPT_DOMAIN,
    {.name = "period",
     .type = VSH_OT_INT,
     .help = "seconds between the guest's statistics updates (0 stops "
             "them); nothing is printed then"},
    VSH_OPT_FLAG("config", "change the stored definition"),
    VSH_OPT_FLAG("live", "change the running domain"),
    VSH_OPT_FLAG("current",
                 "change the running domain if it runs, else the definition"),
    VSH_OPT_END,
};

const vshCmdDef vshControlCmds[] = {
    {.name = "reset",
     .handler = cmdReset,
     .opts = optsDomainOnly,
     .help = "reset a domain",
     .desc = "Reset the domain at once, as its reset button would: the "
             "guest is not asked."},
    {.name = NULL},
};

const vshCmdDef vshControlMonitorCmds[] = {
    {.name = "domcontrol",
     .handler = cmdDomcontrol,
     .opts = optsDomainOnly,
     .help = "domain control interface state",
     .desc = "Whether the domain can be controlled now, or a job or a "
             "monitor call keeps it busy, and for how long."},
    {.name = "dommemstat",
     .handler = cmdDommemstat,
     .opts = optsDommemstat,
     .help = "get memory statistics for a domain",
     .desc = "Memory statistics of a running domain, in KiB: the balloon "
             "size, what the guest reports, the host's resident size. "
             "With --period, set how often the guest reports instead."},
    {.name = NULL},
};
