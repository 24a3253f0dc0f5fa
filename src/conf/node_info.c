/*
 * node_info.c: reads the host's shape from /proc and /sys (see
 * node_info.h). Missing optional files (cpufreq, die_id, NUMA nodes on
 * kernels without NUMA) are normal and give defaults; only /proc/meminfo
 * and the list of online CPUs are required.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "util_error.h"
#include "util_uuid.h"
#include "util_xml.h"
#include "node_info.h"

#define NODE_ERR VMM_FROM_CONF

typedef struct {
    unsigned int id;
    unsigned int socket, die, core;
    char *siblings;
} nodeCPU;

static void nodeCPUFree(gpointer data)
{
    nodeCPU *cpu = data;

    g_free(cpu->siblings);
    g_free(cpu);
}

/* Files ------------------------------------------------------------------ */

/* The content of @root/@rel, NULL (no error) when unreadable. */
static char *nodeReadFile(const char *root, const char *rel)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

/* An unsigned number alone in a file; @fallback when absent or bad. */
static unsigned int nodeReadUInt(const char *root, const char *rel,
                                 unsigned int fallback)
{
    g_autofree char *text = nodeReadFile(root, rel);
    unsigned long long v;

    if (!text || vxmlStrToULongLong(g_strstrip(text), &v) < 0 || v > G_MAXUINT)
        return fallback;
    return v;
}

GArray *nodeParseCPUList(const char *str)
{
    g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
    g_auto(GStrv) parts = g_strsplit(str, ",", 0);
    GStrv p;

    for (p = parts; *p; p++) {
        g_auto(GStrv) range = g_strsplit(g_strstrip(*p), "-", 2);
        unsigned long long lo, hi, i;

        if (!range[0] || !range[0][0])
            continue;
        if (vxmlStrToULongLong(range[0], &lo) < 0)
            return NULL;
        hi = lo;
        if (range[1] && vxmlStrToULongLong(range[1], &hi) < 0)
            return NULL;
        if (hi < lo || hi - lo > 65536)
            return NULL;
        for (i = lo; i <= hi; i++) {
            guint id = i;

            g_array_append_val(ids, id);
        }
    }
    return g_steal_pointer(&ids);
}

bool nodeMeminfoValue(const char *text, const char *key,
                      unsigned long long *ret_kib)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", 0);
    GStrv l;

    for (l = lines; *l; l++) {
        const char *p = strstr(*l, key);
        char *end;

        if (!p || p[strlen(key)] != ':')
            continue;
        p += strlen(key) + 1;
        *ret_kib = g_ascii_strtoull(p, &end, 10);
        return end != p;
    }
    return false;
}

/* CPUs ------------------------------------------------------------------- */

static GArray *nodeOnlineCPUs(const char *root)
{
    g_autofree char *text = nodeReadFile(root, "sys/devices/system/cpu/online");
    g_autoptr(GArray) ids = NULL;

    if (text)
        ids = nodeParseCPUList(g_strstrip(text));
    if (!ids || ids->len == 0) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot read the online CPUs from %s/sys/devices/system/"
                    "cpu/online",
                    root);
        return NULL;
    }
    return g_steal_pointer(&ids);
}

static nodeCPU *nodeReadCPU(const char *root, unsigned int id)
{
    g_autofree char *dir = g_strdup_printf("sys/devices/system/cpu/cpu%u/"
                                           "topology",
                                           id);
    g_autofree char *pkg = g_build_filename(dir, "physical_package_id", NULL);
    g_autofree char *die = g_build_filename(dir, "die_id", NULL);
    g_autofree char *core = g_build_filename(dir, "core_id", NULL);
    g_autofree char *sib = g_build_filename(dir, "thread_siblings_list", NULL);
    nodeCPU *cpu = g_new0(nodeCPU, 1);

    cpu->id = id;
    cpu->socket = nodeReadUInt(root, pkg, 0);
    cpu->die = nodeReadUInt(root, die, 0);
    cpu->core = nodeReadUInt(root, core, id);
    if ((cpu->siblings = nodeReadFile(root, sib)))
        g_strstrip(cpu->siblings);
    return cpu;
}

static GPtrArray *nodeReadCPUs(const char *root)
{
    g_autoptr(GArray) ids = nodeOnlineCPUs(root);
    GPtrArray *cpus;
    guint i;

    if (!ids)
        return NULL;
    cpus = g_ptr_array_new_with_free_func(nodeCPUFree);
    for (i = 0; i < ids->len; i++)
        g_ptr_array_add(cpus, nodeReadCPU(root, g_array_index(ids, guint, i)));
    return cpus;
}

static gint nodeCompareUInt(gconstpointer a, gconstpointer b)
{
    guint x = *(const guint *)a, y = *(const guint *)b;

    return x < y ? -1 : x > y;
}

/* NUMA node ids, sorted; empty without NUMA support. */
static GArray *nodeReadNodeIds(const char *root)
{
    g_autofree char *path =
        g_build_filename(root, "sys/devices/system/node", NULL);
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(guint));
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        unsigned long long id;
        guint v;

        if (!g_str_has_prefix(name, "node") ||
            vxmlStrToULongLong(name + 4, &id) < 0 || id > G_MAXUINT)
            continue;
        v = id;
        g_array_append_val(ids, v);
    }
    g_array_sort(ids, nodeCompareUInt);
    return ids;
}

/* Node info -------------------------------------------------------------- */

char *nodeGetHostArch(void)
{
    struct utsname u;

    if (uname(&u) < 0)
        return g_strdup("unknown");
    /* libvirt folds the 32-bit x86 variants into i686. */
    if (g_str_equal(u.machine, "i386") || g_str_equal(u.machine, "i486") ||
        g_str_equal(u.machine, "i586"))
        return g_strdup("i686");
    return g_strdup(u.machine);
}

static unsigned int nodeReadMHz(const char *root)
{
    g_autofree char *cpuinfo = nodeReadFile(root, "proc/cpuinfo");
    const char *p;

    if (cpuinfo && (p = strstr(cpuinfo, "cpu MHz")) && (p = strchr(p, ':')))
        return (unsigned int)g_ascii_strtod(p + 1, NULL);
    /* Architectures without "cpu MHz" (arm, s390) publish cpufreq in kHz. */
    return nodeReadUInt(root,
                        "sys/devices/system/cpu/cpu0/cpufreq/"
                        "cpuinfo_max_freq",
                        0) /
           1000;
}

static int nodeReadMemTotal(const char *root, unsigned long long *ret_kib)
{
    g_autofree char *meminfo = nodeReadFile(root, "proc/meminfo");

    if (!meminfo || !nodeMeminfoValue(meminfo, "MemTotal", ret_kib)) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot read MemTotal from %s/proc/meminfo", root);
        return -1;
    }
    return 0;
}

/* Counts distinct sockets and distinct (socket, die, core) triples. */
static void nodeCountTopology(const GPtrArray *cpus, unsigned int *ret_sockets,
                              unsigned int *ret_cores)
{
    g_autoptr(GHashTable) sockets = g_hash_table_new(NULL, NULL);
    g_autoptr(GHashTable) cores =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    guint i;

    for (i = 0; i < cpus->len; i++) {
        const nodeCPU *cpu = g_ptr_array_index(cpus, i);

        g_hash_table_add(sockets, GUINT_TO_POINTER(cpu->socket + 1));
        g_hash_table_add(cores, g_strdup_printf("%u/%u/%u", cpu->socket,
                                                cpu->die, cpu->core));
    }
    *ret_sockets = g_hash_table_size(sockets);
    *ret_cores = g_hash_table_size(cores);
}

static void nodeFillTopology(const GPtrArray *cpus, unsigned int nodes,
                             vmmNodeInfo *info)
{
    unsigned int sockets, cores;

    nodeCountTopology(cpus, &sockets, &cores);
    info->cpus = cpus->len;
    info->nodes = nodes ? nodes : 1;
    info->sockets = sockets % info->nodes == 0 ? sockets / info->nodes : 0;
    info->cores = sockets && cores % sockets == 0 ? cores / sockets : 0;
    info->threads = cores && cpus->len % cores == 0 ? cpus->len / cores : 0;
    if (info->nodes * info->sockets * info->cores * info->threads !=
        info->cpus) {
        info->nodes = info->sockets = info->threads = 1;
        info->cores = info->cpus;
    }
}

int nodeGetInfoFromRoot(const char *root, const char *arch,
                        vmmNodeInfo *ret_info)
{
    g_autoptr(GPtrArray) cpus = nodeReadCPUs(root);
    g_autoptr(GArray) nodes = nodeReadNodeIds(root);
    unsigned long long mem;
    vmmNodeInfo info = {{0}};

    if (!cpus || nodeReadMemTotal(root, &mem) < 0)
        return -1;
    g_strlcpy(info.model, arch, sizeof(info.model));
    info.memory = mem;
    info.mhz = nodeReadMHz(root);
    nodeFillTopology(cpus, nodes->len, &info);
    *ret_info = info;
    return 0;
}

int nodeGetInfo(vmmNodeInfo *ret_info)
{
    g_autofree char *arch = nodeGetHostArch();

    return nodeGetInfoFromRoot("/", arch, ret_info);
}

int nodeGetMemory(unsigned long long *ret_total, unsigned long long *ret_free)
{
    g_autofree char *meminfo = nodeReadFile("/", "proc/meminfo");
    unsigned long long total, avail;

    if (!meminfo || !nodeMeminfoValue(meminfo, "MemTotal", &total) ||
        (!nodeMeminfoValue(meminfo, "MemAvailable", &avail) &&
         !nodeMeminfoValue(meminfo, "MemFree", &avail))) {
        errorReport(NODE_ERR, VMM_ERR_INTERNAL_ERROR,
                    "cannot read /proc/meminfo");
        return -1;
    }
    if (ret_total)
        *ret_total = total;
    if (ret_free)
        *ret_free = avail;
    return 0;
}

/* Host capabilities ------------------------------------------------------ */

/* The machine's UUID: SMBIOS when readable, else systemd's machine id. */
static void nodeCapsReadUUID(const char *root, capsHost *host)
{
    g_autofree char *smbios =
        nodeReadFile(root, "sys/class/dmi/id/product_uuid");
    g_autofree char *machineId = nodeReadFile(root, "etc/machine-id");

    if (smbios && uuidParse(g_strstrip(smbios), host->uuid) == 0)
        host->hasUUID = true;
    else if (machineId && uuidParse(g_strstrip(machineId), host->uuid) == 0)
        host->hasUUID = true;
}

static char *nodeCpuinfoField(const char *cpuinfo, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(cpuinfo, "\n", 0);
    GStrv l;

    for (l = lines; *l; l++) {
        char *colon = strchr(*l, ':');

        if (!colon)
            continue;
        *colon = '\0';
        if (g_str_equal(g_strstrip(*l), key))
            return g_strdup(g_strstrip(colon + 1));
    }
    return NULL;
}

static void nodeCapsReadCPU(const char *root, capsHost *host)
{
    g_autofree char *cpuinfo = nodeReadFile(root, "proc/cpuinfo");
    g_autofree char *vendor = NULL;

    if (!cpuinfo)
        return;
    vendor = nodeCpuinfoField(cpuinfo, "vendor_id");
    if (g_strcmp0(vendor, "GenuineIntel") == 0)
        host->cpuVendor = g_strdup("Intel");
    else if (g_strcmp0(vendor, "AuthenticAMD") == 0)
        host->cpuVendor = g_strdup("AMD");
    else
        host->cpuVendor = g_steal_pointer(&vendor);
    host->cpuModel = nodeCpuinfoField(cpuinfo, "model name");
}

static unsigned long long nodeCellMemory(const char *root, unsigned int id,
                                         unsigned long long fallback)
{
    g_autofree char *rel = g_strdup_printf("sys/devices/system/node/node%u/"
                                           "meminfo",
                                           id);
    g_autofree char *text = nodeReadFile(root, rel);
    unsigned long long kib;

    if (text && nodeMeminfoValue(text, "MemTotal", &kib))
        return kib;
    return fallback;
}

static void nodeCapsAddCellCPUs(capsHostCell *cell, const GPtrArray *cpus,
                                const GArray *only)
{
    guint i, j;

    for (i = 0; i < cpus->len; i++) {
        const nodeCPU *cpu = g_ptr_array_index(cpus, i);
        bool in = !only;

        for (j = 0; only && j < only->len && !in; j++)
            in = g_array_index(only, guint, j) == cpu->id;
        if (in)
            capsHostCellAddCPU(cell, cpu->id, cpu->socket, cpu->die, cpu->core,
                               cpu->siblings);
    }
}

static void nodeCapsAddCells(const char *root, caps *c, const GPtrArray *cpus,
                             unsigned long long mem)
{
    g_autoptr(GArray) nodes = nodeReadNodeIds(root);
    guint i;

    if (nodes->len == 0) {
        nodeCapsAddCellCPUs(capsHostAddCell(c, 0, mem), cpus, NULL);
        return;
    }
    for (i = 0; i < nodes->len; i++) {
        guint id = g_array_index(nodes, guint, i);
        g_autofree char *rel = g_strdup_printf("sys/devices/system/node/"
                                               "node%u/cpulist",
                                               id);
        g_autofree char *list = nodeReadFile(root, rel);
        g_autoptr(GArray) ids =
            list ? nodeParseCPUList(g_strstrip(list)) : NULL;
        capsHostCell *cell = capsHostAddCell(
            c, id, nodeCellMemory(root, id, nodes->len == 1 ? mem : 0));

        if (ids)
            nodeCapsAddCellCPUs(cell, cpus, ids);
    }
}

caps *nodeCapsNewHostFromRoot(const char *root, const char *arch)
{
    g_autoptr(caps) c = capsNew(arch);
    g_autoptr(GPtrArray) cpus = nodeReadCPUs(root);
    vmmNodeInfo info;

    if (!cpus || nodeGetInfoFromRoot(root, arch, &info) < 0)
        return NULL;
    nodeCapsReadUUID(root, &c->host);
    nodeCapsReadCPU(root, &c->host);
    c->host.sockets = info.sockets * info.nodes;
    c->host.dies = 1;
    c->host.cores = info.cores;
    c->host.threads = info.threads;
    c->host.liveMigration = true;
    g_ptr_array_add(c->host.migrationTransports, g_strdup("tcp"));
    nodeCapsAddCells(root, c, cpus, info.memory);
    return g_steal_pointer(&c);
}

caps *nodeCapsNewHost(void)
{
    g_autofree char *arch = nodeGetHostArch();

    return nodeCapsNewHostFromRoot("/", arch);
}
