/*
 * node_stats.h: the host's running figures, read from /proc/stat and
 * /sys/devices/system/node: CPU time counters and free memory per NUMA
 * cell, in the units and with the names of vmmNodeGetCPUStats and
 * vmmNodeGetCellsFreeMemory. Static facts are node_info.h's.
 */
#pragma once

#include <vmm/vmm.h>

/* How many counters nodeGetCPUStats gives. */
#define NODE_CPU_STATS_COUNT 4

/* Counters (ns) of CPU @cpuNum or of all (VMM_NODE_CPU_STATS_ALL_CPUS):
 * kernel, user, idle, iowait. Fills at most *@nparams of @params and sets
 * *@nparams to that count; with @params NULL sets it to
 * NODE_CPU_STATS_COUNT. */
int nodeGetCPUStats(int cpuNum, vmmNodeCPUStats *params, int *nparams);

/* Free bytes of NUMA cells @startCell on, at most @maxCells; returns how
 * many were filled. A host without NUMA in sysfs is one cell. */
int nodeGetCellsFreeMemory(unsigned long long *freeMems, int startCell,
                           int maxCells);

/* Free bytes of the whole host; 0 with an error. */
unsigned long long nodeGetFreeMemory(void);
