/*
 * vsh_cmd_vcpu.c: `vcpuinfo DOMAIN [--pretty]` and `vcpupin DOMAIN [VCPU]
 * [CPULIST] [--config|--live|--current]`, printed as virsh prints them:
 * one "Key:   value" block per vCPU with its affinity as a row of y / -
 * (or a CPU list with --pretty), and a VCPU / CPU Affinity table.
 *
 * CPU maps are sized by the host's CPU count (vmmNodeGetCPUMap, or
 * vmmNodeGetInfo when the connection cannot say). A shut off domain has
 * no vCPU threads: vcpuinfo then shows its stored pinning with "N/A".
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "vsh.h"
#include "vsh_cmd_vcpu.h"
#include "vsh_output.h"

#define VSH_VCPU_FIELD 15

/* How many CPUs the host has; -1 after reporting. */
static int vshHostCPUCount(vshControl *ctl)
{
    vmmNodeInfo info;
    int n;

    if ((n = vmmNodeGetCPUMap(ctl->conn, NULL, NULL, 0)) >= 0)
        return n;
    if (vmmGetLastErrorCode() != VMM_ERR_NO_SUPPORT)
        return -1;
    vshResetLibError(ctl);
    if (vmmNodeGetInfo(ctl->conn, &info) < 0)
        return -1;
    return info.nodes * info.sockets * info.cores * info.threads;
}

/* "0-3,6" for the CPUs set in @map of @ncpus CPUs. */
static char *vshCPUMapFormat(const unsigned char *map, int ncpus)
{
    GString *out = g_string_new(NULL);

    for (int cpu = 0; cpu < ncpus; cpu++) {
        int last = cpu;

        if (!VMM_CPU_USED(map, cpu))
            continue;
        while (last + 1 < ncpus && VMM_CPU_USED(map, last + 1))
            last++;
        g_string_append_printf(out, "%s%d", out->len ? "," : "", cpu);
        if (last > cpu)
            g_string_append_printf(out, "-%d", last);
        cpu = last;
    }
    return g_string_free(out, FALSE);
}

/* "yy-y" for @map of @ncpus CPUs. */
static char *vshCPUMapRow(const unsigned char *map, int ncpus)
{
    char *row = g_malloc0(ncpus + 1);

    for (int cpu = 0; cpu < ncpus; cpu++)
        row[cpu] = VMM_CPU_USED(map, cpu) ? 'y' : '-';
    return row;
}

static const char *vshVcpuStateName(int state)
{
    switch (state) {
    case VMM_VCPU_OFFLINE:
        return "offline";
    case VMM_VCPU_RUNNING:
        return "running";
    case VMM_VCPU_BLOCKED:
        return "idle";
    default:
        return "no state";
    }
}

static void vshVcpuPrintOne(vshControl *ctl, const vmmVcpuInfo *info,
                            const unsigned char *map, int ncpus,
                            gboolean pretty)
{
    g_autofree char *affinity = NULL;

    vshPrintField(ctl, VSH_VCPU_FIELD, "VCPU:", "%u", info->number);
    if (info->state >= 0) {
        vshPrintField(ctl, VSH_VCPU_FIELD, "CPU:", "%d", info->cpu);
        vshPrintField(ctl, VSH_VCPU_FIELD, "State:", "%s",
                      vshVcpuStateName(info->state));
    } else {
        vshPrintField(ctl, VSH_VCPU_FIELD, "CPU:", "N/A");
        vshPrintField(ctl, VSH_VCPU_FIELD, "State:", "N/A");
    }
    if (info->state < 0)
        vshPrintField(ctl, VSH_VCPU_FIELD, "CPU time", "N/A"); /* virsh's */
    else if (info->cpuTime != 0)
        vshPrintField(ctl, VSH_VCPU_FIELD, "CPU time:", "%.1lfs",
                      info->cpuTime / 1e9);
    if (pretty) {
        g_autofree char *list = vshCPUMapFormat(map, ncpus);

        affinity = g_strdup_printf("%s (out of %d)", list, ncpus);
    } else {
        affinity = vshCPUMapRow(map, ncpus);
    }
    vshPrintField(ctl, VSH_VCPU_FIELD, "CPU Affinity:", "%s", affinity);
}

/* The vCPUs of a shut off @dom: their stored pinning, states unknown
 * (state -1). */
static int vshVcpusFromConfig(vshControl *ctl, vmmDomainPtr dom, int nvcpus,
                              vmmVcpuInfo *info, unsigned char *maps,
                              int maplen)
{
    int n = vmmDomainGetVcpuPinInfo(dom, nvcpus, maps, maplen,
                                    VMM_DOMAIN_AFFECT_CONFIG);

    for (int i = 0; i < n; i++) {
        info[i].number = i;
        info[i].state = -1;
    }
    return n;
}

static gboolean cmdVcpuinfo(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autofree vmmVcpuInfo *info = NULL;
    g_autofree unsigned char *maps = NULL;
    gboolean pretty = vshCmdOptBool(cmd, "pretty");
    vmmDomainInfo dominfo;
    int ncpus, maplen, n;

    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    if ((ncpus = vshHostCPUCount(ctl)) < 0 ||
        vmmDomainGetInfo(dom, &dominfo) < 0)
        return FALSE;
    maplen = VMM_CPU_MAPLEN(ncpus);
    info = g_new0(vmmVcpuInfo, MAX(dominfo.nrVirtCpu, 1));
    maps = g_new0(unsigned char, (gsize)MAX(dominfo.nrVirtCpu, 1) * maplen);
    n = vmmDomainGetVcpus(dom, info, dominfo.nrVirtCpu, maps, maplen);
    if (n < 0 && dominfo.state == VMM_DOMAIN_SHUTOFF) {
        vshResetLibError(ctl);
        n = vshVcpusFromConfig(ctl, dom, dominfo.nrVirtCpu, info, maps, maplen);
    }
    if (n < 0)
        return FALSE;
    for (int i = 0; i < n; i++) {
        /* A blank line between blocks; after the last one only without
         * -q, as virsh. */
        if (i > 0)
            vshPrint(ctl, "\n");
        vshVcpuPrintOne(ctl, &info[i], VMM_GET_CPUMAP(maps, maplen, i), ncpus,
                        pretty);
    }
    vshPrintExtra(ctl, "\n");
    return TRUE;
}

/* Parses a CPU list ("0-2,^1", "r" for all) of host CPUs below @ncpus
 * into a new map of VMM_CPU_MAPLEN(@ncpus) bytes; NULL after reporting. */
static unsigned char *vshCPUListParse(vshControl *ctl, const char *text,
                                      int ncpus)
{
    g_autofree unsigned char *map =
        g_new0(unsigned char, VMM_CPU_MAPLEN(ncpus));
    g_auto(GStrv) parts = g_strsplit(text, ",", 0);

    if (strcmp(text, "r") == 0) {
        for (int cpu = 0; cpu < ncpus; cpu++)
            VMM_USE_CPU(map, cpu);
        return g_steal_pointer(&map);
    }
    for (char **p = parts; *p; p++) {
        gboolean exclude = **p == '^';
        const char *s = *p + (exclude ? 1 : 0);
        char *end;
        long lo = strtol(s, &end, 10), hi = lo;

        if (end != s && *end == '-')
            hi = strtol(end + 1, &end, 10);
        if (end == s || *end || lo < 0 || hi < lo) {
            vshError(ctl, "Invalid cpulist '%s'", text);
            return NULL;
        }
        if (hi >= ncpus) {
            vshError(ctl, "Physical CPU %ld doesn't exist.", hi);
            return NULL;
        }
        for (long cpu = lo; cpu <= hi; cpu++) {
            if (exclude)
                VMM_UNUSE_CPU(map, cpu);
            else
                VMM_USE_CPU(map, cpu);
        }
    }
    return g_steal_pointer(&map);
}

/* The VCPU / CPU Affinity table: every vCPU, or only @vcpu (>= 0). */
static gboolean vshVcpuPinQuery(vshControl *ctl, vmmDomainPtr dom, int ncpus,
                                int vcpu, unsigned int flags)
{
    g_autoptr(vshTable) table = vshTableNew("VCPU", "CPU Affinity", NULL);
    g_autofree unsigned char *maps = NULL;
    int maplen = VMM_CPU_MAPLEN(ncpus);
    int nvcpus, n;

    if ((nvcpus =
             vmmDomainGetVcpusFlags(dom, flags | VMM_DOMAIN_VCPU_MAXIMUM)) < 0)
        return FALSE;
    if (vcpu >= nvcpus) {
        vshError(ctl, "vcpu %d is out of range of persistent cpu count %d",
                 vcpu, nvcpus);
        return FALSE;
    }
    maps = g_new0(unsigned char, (gsize)nvcpus *maplen);
    if ((n = vmmDomainGetVcpuPinInfo(dom, nvcpus, maps, maplen, flags)) < 0)
        return FALSE;
    for (int i = 0; i < n; i++) {
        g_autofree char *num = g_strdup_printf("%d", i);
        g_autofree char *list = NULL;

        if (vcpu >= 0 && i != vcpu)
            continue;
        list = vshCPUMapFormat(VMM_GET_CPUMAP(maps, maplen, i), ncpus);
        vshTableAddRow(table, num, list, NULL);
    }
    vshTablePrint(ctl, table);
    return TRUE;
}

static gboolean cmdVcpupin(vshControl *ctl, const vshCmd *cmd)
{
    g_autoptr(vmmDomain) dom = NULL;
    g_autofree unsigned char *map = NULL;
    const char *cpulist = vshCmdOptString(cmd, "cpulist");
    unsigned int flags = 0;
    unsigned int vcpu = 0;
    int got, ncpus;

    if (!vshCommandOptImpact(ctl, cmd, &flags))
        return FALSE;
    if ((got = vshCommandOptUInt(ctl, cmd, "vcpu", &vcpu)) < 0)
        return FALSE;
    if (cpulist && got == 0) {
        vshError(ctl, "vcpupin: Missing vCPU number in pin mode.");
        return FALSE;
    }
    if (!(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;
    if ((ncpus = vshHostCPUCount(ctl)) < 0)
        return FALSE;
    if (!cpulist)
        return vshVcpuPinQuery(ctl, dom, ncpus, got ? (int)vcpu : -1, flags);
    if (!(map = vshCPUListParse(ctl, cpulist, ncpus)))
        return FALSE;
    /* No impact flag at all: the original call, which is live. */
    if (flags == VMM_DOMAIN_AFFECT_CURRENT && !vshCmdOptBool(cmd, "current"))
        return vmmDomainPinVcpu(dom, vcpu, map, VMM_CPU_MAPLEN(ncpus)) == 0;
    return vmmDomainPinVcpuFlags(dom, vcpu, map, VMM_CPU_MAPLEN(ncpus),
                                 flags) == 0;
}

static const vshOptDef optsVcpuinfo[] = {
    VSH_OPT_DOMAIN,
    VSH_OPT_FLAG("pretty", "the affinity as a list of CPUs"),
    VSH_OPT_END,
};

static const vshOptDef optsVcpupin[] = {
    VSH_OPT_DOMAIN,
    {.name = "vcpu",
     .type = VSH_OT_INT,
     .help = "the vCPU; without it, show every vCPU's affinity"},
    {.name = "cpulist",
     .type = VSH_OT_STRING,
     .help = "host CPUs to run on: '0-2,^1', or 'r' for all; without it, "
             "show the affinity"},
    VSH_OPT_FLAG("config", "change the stored definition"),
    VSH_OPT_FLAG("live", "change the running domain"),
    VSH_OPT_FLAG("current",
                 "change the running domain if it runs, else the definition"),
    VSH_OPT_END,
};

const vshCmdDef vshVcpuCmds[] = {
    {.name = "vcpuinfo",
     .handler = cmdVcpuinfo,
     .opts = optsVcpuinfo,
     .help = "show what each virtual CPU runs on",
     .desc = "For each virtual CPU of a running domain: the host CPU it ran "
             "on last, its state, CPU time and the host CPUs it may use."},
    {.name = "vcpupin",
     .handler = cmdVcpupin,
     .opts = optsVcpupin,
     .help = "show or change the host CPUs of virtual CPUs",
     .desc = "Without a CPU list, show which host CPUs each virtual CPU may "
             "use; with one, let virtual CPU VCPU use only those."},
    {.name = NULL},
};
