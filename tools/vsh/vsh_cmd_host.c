/*
 * vsh_cmd_host.c: uri, version, hostname, nodeinfo, capabilities (see
 * vsh_cmd_host.h). Layouts are virsh's, with vmm's names.
 */
#include <config.h>

#include "vsh_cmd_host.h"
#include "vsh.h"
#include "vsh_output.h"

static const vshOptDef optsJsonOnly[] = {VSH_OPT_JSON, VSH_OPT_END};
static const vshOptDef optsNone[] = {VSH_OPT_END};

/* Prints one string the connection gave: the line of text, or
 * {@key: value}; a NULL @value reports "failed to get @what". */
static gboolean vshPrintStringResult(vshControl *ctl, const char *key,
                                     const char *value, const char *what)
{
    if (!value) {
        vshError(ctl, "failed to get %s", what);
        return FALSE;
    }
    if (vshWantJson(ctl)) {
        ctl->result = vshJsonNewObject();
        vshJsonObjectAddString(ctl->result, key, value);
        return TRUE;
    }
    vshPrint(ctl, "%s\n", value);
    return TRUE;
}

static gboolean cmdUri(vshControl *ctl, const vshCmd *cmd)
{
    g_autofree char *uri = vmmConnectGetURI(ctl->conn);

    return vshPrintStringResult(ctl, "uri", uri, "URI");
}

static gboolean cmdHostname(vshControl *ctl, const vshCmd *cmd)
{
    g_autofree char *name = vmmConnectGetHostname(ctl->conn);

    return vshPrintStringResult(ctl, "hostname", name, "hostname");
}

static char *vshVersionString(unsigned long v)
{
    return g_strdup_printf("%lu.%lu.%lu", v / 1000000, (v % 1000000) / 1000,
                           v % 1000);
}

static vshJson *vshVersionPair(const char *type, const char *version)
{
    vshJson *obj = vshJsonNewObject();

    vshJsonObjectAddString(obj, "type", type);
    vshJsonObjectAddString(obj, "version", version);
    return obj;
}

static gboolean cmdVersion(vshControl *ctl, const vshCmd *cmd)
{
    const char *type = vmmConnectGetType(ctl->conn);
    unsigned long libVer = 0, apiVer = 0, hvVer = 0;
    g_autofree char *compiled = vshVersionString(VMM_VERSION_NUMBER);
    g_autofree char *lib = NULL;
    g_autofree char *api = NULL;
    g_autofree char *hv = NULL;

    if (!type) {
        vshError(ctl, "failed to get hypervisor type");
        return FALSE;
    }
    if (vmmGetVersion(&libVer, type, &apiVer) < 0) {
        vshError(ctl, "failed to get the library version");
        return FALSE;
    }
    if (vmmConnectGetVersion(ctl->conn, &hvVer) < 0) {
        vshError(ctl, "failed to get the hypervisor version");
        return FALSE;
    }
    lib = vshVersionString(libVer);
    api = vshVersionString(apiVer);
    hv = vshVersionString(hvVer);

    if (vshWantJson(ctl)) {
        ctl->result = vshJsonNewObject();
        vshJsonObjectAddString(ctl->result, "compiled_against", compiled);
        vshJsonObjectAddString(ctl->result, "library", lib);
        vshJsonObjectAdd(ctl->result, "api", vshVersionPair(type, api));
        vshJsonObjectAdd(ctl->result, "hypervisor", vshVersionPair(type, hv));
        return TRUE;
    }
    vshPrint(ctl, "Compiled against library: vmm %s\n", compiled);
    vshPrint(ctl, "Using library: vmm %s\n", lib);
    vshPrint(ctl, "Using API: %s %s\n", type, api);
    vshPrint(ctl, "Running hypervisor: %s %s\n", type, hv);
    return TRUE;
}

static void vshNodeInfoJson(vshControl *ctl, const vmmNodeInfo *info)
{
    vshJson *obj = vshJsonNewObject();

    vshJsonObjectAddString(obj, "cpu_model", info->model);
    vshJsonObjectAddUInt(obj, "cpus", info->cpus);
    vshJsonObjectAddUInt(obj, "cpu_frequency_mhz", info->mhz);
    vshJsonObjectAddUInt(obj, "cpu_sockets", info->sockets);
    vshJsonObjectAddUInt(obj, "cores_per_socket", info->cores);
    vshJsonObjectAddUInt(obj, "threads_per_core", info->threads);
    vshJsonObjectAddUInt(obj, "numa_cells", info->nodes);
    vshJsonObjectAddUInt(obj, "memory_kib", info->memory);
    ctl->result = obj;
}

static gboolean cmdNodeinfo(vshControl *ctl, const vshCmd *cmd)
{
    vmmNodeInfo info = {0};

    if (vmmNodeGetInfo(ctl->conn, &info) < 0) {
        vshError(ctl, "failed to get node information");
        return FALSE;
    }
    info.model[sizeof(info.model) - 1] = '\0';
    if (vshWantJson(ctl)) {
        vshNodeInfoJson(ctl, &info);
        return TRUE;
    }
    vshPrintField(ctl, 20, "CPU model:", "%s", info.model);
    vshPrintField(ctl, 20, "CPU(s):", "%u", info.cpus);
    vshPrintField(ctl, 20, "CPU frequency:", "%u MHz", info.mhz);
    vshPrintField(ctl, 20, "CPU socket(s):", "%u", info.sockets);
    vshPrintField(ctl, 20, "Core(s) per socket:", "%u", info.cores);
    vshPrintField(ctl, 20, "Thread(s) per core:", "%u", info.threads);
    vshPrintField(ctl, 20, "NUMA cell(s):", "%u", info.nodes);
    vshPrintField(ctl, 20, "Memory size:", "%lu KiB", info.memory);
    return TRUE;
}

static gboolean cmdCapabilities(vshControl *ctl, const vshCmd *cmd)
{
    g_autofree char *caps = vmmConnectGetCapabilities(ctl->conn);

    if (!caps) {
        vshError(ctl, "failed to get capabilities");
        return FALSE;
    }
    vshPrint(ctl, "%s%s", caps, g_str_has_suffix(caps, "\n") ? "" : "\n");
    return TRUE;
}

const vshCmdDef vshHostCmds[] = {
    {.name = "capabilities", .handler = cmdCapabilities, .opts = optsNone,
     .help = "print what the host and driver can do",
     .desc = "Print the capabilities XML of the connection: CPU, guest types, features."},
    {.name = "hostname", .handler = cmdHostname, .opts = optsJsonOnly,
     .help = "print the host name",
     .desc = "Returns the hostname of the host the connection reaches."},
    {.name = "nodeinfo", .handler = cmdNodeinfo, .opts = optsJsonOnly,
     .help = "print facts about the host",
     .desc = "Print the CPU model, CPU topology and memory of the host."},
    {.name = "uri", .handler = cmdUri, .opts = optsJsonOnly,
     .help = "print the URI of the connection",
     .desc = "Print the URI the connection was opened with, in its canonical form."},
    {.name = "version", .handler = cmdVersion, .opts = optsJsonOnly,
     .help = "print versions",
     .desc = "Display the version of vmm, of the API and of the hypervisor."},
    {.name = NULL},
};
