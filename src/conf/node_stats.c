/*
 * node_stats.c: CPU counters and free memory of the host (see
 * node_stats.h), as libvirt computes them: user time includes nice,
 * kernel time includes hard and soft interrupts, ticks become
 * nanoseconds by the kernel's clock tick; free memory is summed over the
 * NUMA nodes when sysfs has them, else /proc/meminfo's MemFree.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "node_info.h"
#include "node_stats.h"
#include "util_error.h"

#define NODE_ERR VMM_FROM_CONF
#define NODE_SYSFS "/sys/devices/system/node"

/* The "cpu" / "cpuN" line of /proc/stat, NULL after reporting. */
static char *nodeStatLine(int cpuNum)
{
    g_autofree char *text = NULL;
    g_autofree char *prefix =
        cpuNum < 0 ? g_strdup("cpu ") : g_strdup_printf("cpu%d ", cpuNum);
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents("/proc/stat", &text, NULL, NULL)) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR, "cannot read /proc/stat");
        return NULL;
    }
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, prefix))
            return g_strdup(*l + strlen(prefix));
    }
    errorReport(NODE_ERR, VMM_ERR_INVALID_ARG, "Invalid cpuNum in %s",
                "nodeGetCPUStats");
    return NULL;
}

static void nodeStatSet(vmmNodeCPUStats *param, const char *field,
                        unsigned long long value)
{
    g_strlcpy(param->field, field, sizeof(param->field));
    param->value = value;
}

int nodeGetCPUStats(int cpuNum, vmmNodeCPUStats *params, int *nparams)
{
    unsigned long long user, nice, sys, idle, iowait, irq, softirq;
    vmmNodeCPUStats all[NODE_CPU_STATS_COUNT];
    g_autofree char *line = NULL;
    long tick = sysconf(_SC_CLK_TCK);
    unsigned long long ns;
    int n;

    if (!params) {
        *nparams = NODE_CPU_STATS_COUNT;
        return 0;
    }
    if (!(line = nodeStatLine(cpuNum)))
        return -1;
    if (sscanf(line, "%llu %llu %llu %llu %llu %llu %llu", &user, &nice, &sys,
               &idle, &iowait, &irq, &softirq) != 7 ||
        tick <= 0) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot parse /proc/stat");
        return -1;
    }
    ns = 1000000000ULL / tick;
    nodeStatSet(&all[0], VMM_NODE_CPU_STATS_KERNEL, (sys + irq + softirq) * ns);
    nodeStatSet(&all[1], VMM_NODE_CPU_STATS_USER, (user + nice) * ns);
    nodeStatSet(&all[2], VMM_NODE_CPU_STATS_IDLE, idle * ns);
    nodeStatSet(&all[3], VMM_NODE_CPU_STATS_IOWAIT, iowait * ns);
    n = MIN(*nparams, NODE_CPU_STATS_COUNT);
    memcpy(params, all, sizeof(all[0]) * n);
    *nparams = n;
    return 0;
}

/* How many NUMA nodes sysfs lists (0 when it lists none). */
static int nodeCellCount(void)
{
    int n = 0;

    for (;; n++) {
        g_autofree char *dir = g_strdup_printf(NODE_SYSFS "/node%d", n);

        if (!g_file_test(dir, G_FILE_TEST_IS_DIR))
            return n;
    }
}

/* Free bytes of cell @cell, or of the host when sysfs has no cells. */
static int nodeCellFree(int cell, bool numa, unsigned long long *ret_free)
{
    g_autofree char *path =
        numa ? g_strdup_printf(NODE_SYSFS "/node%d/meminfo", cell)
             : g_strdup("/proc/meminfo");
    g_autofree char *text = NULL;
    unsigned long long kib;

    /* A node's meminfo prefixes each line with "Node N ". */
    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !nodeMeminfoValue(text, "MemFree", &kib)) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot read the free memory of NUMA cell %d", cell);
        return -1;
    }
    *ret_free = kib * 1024;
    return 0;
}

int nodeGetCellsFreeMemory(unsigned long long *freeMems, int startCell,
                           int maxCells)
{
    int cells = nodeCellCount();
    bool numa = cells > 0;
    int n = 0;

    if (!numa)
        cells = 1;
    if (startCell >= cells) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR,
                    "start cell %d out of range (0-%d)", startCell, cells - 1);
        return -1;
    }
    for (int cell = startCell; cell < cells && n < maxCells; cell++, n++) {
        if (nodeCellFree(cell, numa, &freeMems[n]) < 0)
            return -1;
    }
    return n;
}

unsigned long long nodeGetFreeMemory(void)
{
    int cells = nodeCellCount();
    unsigned long long total = 0;
    unsigned long long cell;

    if (cells == 0)
        return nodeCellFree(0, false, &total) < 0 ? 0 : total;
    for (int i = 0; i < cells; i++) {
        if (nodeCellFree(i, true, &cell) < 0)
            return 0;
        total += cell;
    }
    return total;
}
