/*
 * node_info.h: facts about the host machine, read from /proc and /sys:
 * vmmNodeInfo for vmmNodeGetInfo, free memory, and the host half of the
 * capabilities (capabilities.h). Every driver that runs guests on this
 * machine uses these; the test driver has its own fixed host.
 *
 * The ...FromRoot variants read the same files under another directory
 * (a copied /proc and /sys tree) so tests can check the arithmetic on
 * machines with a known shape.
 */
#pragma once

#include <vmm/vmm.h>

#include "capabilities.h"

/* The host architecture as libvirt names it ("x86_64", "i686",
 * "aarch64", ...), from uname(2). */
char *nodeGetHostArch(void);

/* Fills @ret_info (model = architecture, memory in KiB, online cpus, MHz,
 * NUMA nodes, sockets per node, cores per socket, threads per core). When
 * the topology does not multiply out to the CPU count, it reports the flat
 * shape libvirt falls back to (1 node, 1 socket, cpus cores, 1 thread). */
int nodeGetInfo(vmmNodeInfo *ret_info);
int nodeGetInfoFromRoot(const char *root, const char *arch,
                        vmmNodeInfo *ret_info);

/* Parses a kernel CPU list ("0-3,8,10-11") into ids (guint), NULL when
 * malformed. */
GArray *nodeParseCPUList(const char *str);

/* The value in kB of @key ("MemTotal") in a meminfo text, which may
 * carry a "Node N " prefix per line (a NUMA node's meminfo). */
bool nodeMeminfoValue(const char *text, const char *key,
                      unsigned long long *ret_kib);

/* Total and free memory in KiB (MemTotal, MemAvailable or MemFree). */
int nodeGetMemory(unsigned long long *ret_total, unsigned long long *ret_free);

/* Capabilities whose host part describes this machine (arch, uuid, cpu
 * vendor / model / topology, NUMA cells with their CPUs, live migration
 * over tcp); the caller adds guests. */
caps *nodeCapsNewHost(void);
caps *nodeCapsNewHostFromRoot(const char *root, const char *arch);
