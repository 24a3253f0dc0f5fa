/*
 * kvm_capabilities.c: probing QEMU binaries and caching what they said.
 *
 * A kvmCaps keeps the probe's answer as the very JSON object the cache
 * file holds (one format, so memory and disk cannot disagree), plus hash
 * tables built from it for the lookups. The file carries a format number:
 * a file of another format, another binary or another mtime is ignored and
 * replaced by a new probe.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_command.h"
#include "util_error.h"
#include "util_file.h"
#include "util_json.h"
#include "util_log.h"
#include "kvm_capabilities.h"
#include "kvm_monitor.h"

VMM_LOG_INIT("kvm.capabilities");

/* 2: "kvmProblem" and "host" added. */
#define KVM_CAPS_FORMAT 2
#define KVM_CAPS_PROBE_TIMEOUT_MS 30000
#define KVM_CAPS_FILE_MAX (16 * 1024 * 1024)

struct _kvmCaps {
    gint ref;
    jsonValue *json; /* the cache file's content */
    char *binary;
    gint64 mtime; /* ns */
    unsigned long version;
    bool kvm;
    char *kvmProblem; /* NULL when KVM can run guests */
    char *defaultMachine;
    GHashTable *machines; /* name or alias -> canonical name */
    GHashTable *cpus;     /* set */
    GHashTable *devices;  /* set */
};

struct _kvmCapsCache {
    GMutex lock; /* held across a probe: one probe per binary at a time */
    char *dir;
    GHashTable *caps; /* binary -> kvmCaps */
    unsigned int probes;
};

kvmCaps *kvmCapsRef(kvmCaps *caps)
{
    g_atomic_int_inc(&caps->ref);
    return caps;
}

void kvmCapsUnref(kvmCaps *caps)
{
    if (!caps || !g_atomic_int_dec_and_test(&caps->ref))
        return;
    jsonValueFree(caps->json);
    g_free(caps->binary);
    g_free(caps->kvmProblem);
    g_free(caps->defaultMachine);
    g_hash_table_unref(caps->machines);
    g_hash_table_unref(caps->cpus);
    g_hash_table_unref(caps->devices);
    g_free(caps);
}

const char *kvmCapsGetBinary(const kvmCaps *caps)
{
    return caps->binary;
}

unsigned long kvmCapsGetVersion(const kvmCaps *caps)
{
    return caps->version;
}

const char *kvmCapsGetDefaultMachine(const kvmCaps *caps)
{
    return caps->defaultMachine;
}

const char *kvmCapsResolveMachine(const kvmCaps *caps, const char *name)
{
    return g_hash_table_lookup(caps->machines, name);
}

bool kvmCapsHasCPUModel(const kvmCaps *caps, const char *model)
{
    return g_hash_table_contains(caps->cpus, model);
}

bool kvmCapsHasDevice(const kvmCaps *caps, const char *type)
{
    return g_hash_table_contains(caps->devices, type);
}

bool kvmCapsHasKVM(const kvmCaps *caps)
{
    return caps->kvm && !caps->kvmProblem;
}

const char *kvmCapsGetKVMProblem(const kvmCaps *caps)
{
    if (!caps->kvm)
        return "QEMU finds no usable /dev/kvm";
    return caps->kvmProblem;
}

char *kvmCapsFormat(const kvmCaps *caps)
{
    return jsonFormat(caps->json, true);
}

/* ---- from the JSON form ----------------------------------------------- */

static int kvmCapsFillSet(GHashTable *set, const jsonValue *json,
                          const char *key)
{
    jsonValue *arr = jsonObjectGetArray(json, key);

    if (!arr)
        return -1;
    for (size_t i = 0; i < jsonArraySize(arr); i++) {
        const char *name = jsonValueGetString(jsonArrayGet(arr, i));

        if (!name)
            return -1;
        g_hash_table_add(set, g_strdup(name));
    }
    return 0;
}

static int kvmCapsFillMachines(kvmCaps *caps)
{
    jsonValue *arr = jsonObjectGetArray(caps->json, "machines");

    if (!arr)
        return -1;
    for (size_t i = 0; i < jsonArraySize(arr); i++) {
        jsonValue *m = jsonArrayGet(arr, i);
        const char *name = jsonObjectGetString(m, "name");
        bool isDefault = false;

        if (!name || jsonObjectGetBoolean(m, "default", &isDefault) < 0)
            return -1;
        g_hash_table_insert(caps->machines, g_strdup(name), g_strdup(name));
        if (jsonObjectHasKey(m, "alias")) {
            const char *alias = jsonObjectGetString(m, "alias");

            if (!alias)
                return -1;
            g_hash_table_insert(caps->machines, g_strdup(alias),
                                g_strdup(name));
        }
        if (isDefault && !caps->defaultMachine)
            caps->defaultMachine = g_strdup(name);
    }
    return 0;
}

/* Takes *@json. */
static kvmCaps *kvmCapsNewFromJSON(jsonValue **json)
{
    g_autoptr(kvmCaps) caps = g_new0(kvmCaps, 1);
    const char *binary;
    const char *problem;
    guint64 version = 0;

    caps->ref = 1;
    caps->json = g_steal_pointer(json);
    caps->machines =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    caps->cpus = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->devices =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!(binary = jsonObjectGetString(caps->json, "binary")) ||
        jsonObjectGetNumberInt64(caps->json, "mtime", &caps->mtime) < 0 ||
        jsonObjectGetNumberUint64(caps->json, "version", &version) < 0 ||
        jsonObjectGetBoolean(caps->json, "kvm", &caps->kvm) < 0 ||
        !(problem = jsonObjectGetString(caps->json, "kvmProblem")) ||
        kvmCapsFillMachines(caps) < 0 ||
        kvmCapsFillSet(caps->cpus, caps->json, "cpuModels") < 0 ||
        kvmCapsFillSet(caps->devices, caps->json, "devices") < 0)
        return NULL;
    caps->binary = g_strdup(binary);
    caps->version = version;
    if (*problem)
        caps->kvmProblem = g_strdup(problem);
    return g_steal_pointer(&caps);
}

/* ---- probing ------------------------------------------------------------ */

static int kvmCapsAddMachines(kvmMonitor *mon, jsonValue *out)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autoptr(jsonValue) list = jsonValueNewArray();

    if (kvmMonitorCommand(mon, "query-machines", NULL, &reply) < 0)
        return -1;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        jsonValue *m = jsonArrayGet(reply, i);
        g_autoptr(jsonValue) entry = jsonValueNewObject();
        const char *name = jsonObjectGetString(m, "name");
        bool isDefault = false;
        gint64 maxCpus = 0;

        if (!name)
            return -1;
        if (jsonObjectHasKey(m, "is-default") &&
            jsonObjectGetBoolean(m, "is-default", &isDefault) < 0)
            return -1;
        if (jsonObjectGetNumberInt64(m, "cpu-max", &maxCpus) < 0 ||
            jsonObjectAppendString(entry, "name", name) < 0 ||
            (jsonObjectHasKey(m, "alias") &&
             jsonObjectAppendString(entry, "alias",
                                    jsonObjectGetString(m, "alias")) < 0) ||
            jsonObjectAppendBoolean(entry, "default", isDefault) < 0 ||
            jsonObjectAppendNumberInt64(entry, "maxCpus", maxCpus) < 0 ||
            jsonArrayAppend(list, &entry) < 0)
            return -1;
    }
    return jsonObjectAppend(out, "machines", &list);
}

/* Appends the "name" of every element of the reply to @command. */
static int kvmCapsAddNames(kvmMonitor *mon, const char *command,
                           const jsonValue *args, jsonValue *out,
                           const char *key)
{
    g_autoptr(jsonValue) reply = NULL;
    g_autoptr(jsonValue) list = jsonValueNewArray();

    if (kvmMonitorCommand(mon, command, args, &reply) < 0)
        return -1;
    for (size_t i = 0; i < jsonArraySize(reply); i++) {
        const char *name = jsonObjectGetString(jsonArrayGet(reply, i), "name");

        if (!name || jsonArrayAppendString(list, name) < 0)
            return -1;
    }
    return jsonObjectAppend(out, key, &list);
}

static int kvmCapsAddVersion(kvmMonitor *mon, jsonValue *out)
{
    g_autoptr(jsonValue) reply = NULL;
    unsigned int major, minor, micro;
    const char *package = "";

    kvmMonitorGetVersion(mon, &major, &minor, &micro);
    if (kvmMonitorCommand(mon, "query-version", NULL, &reply) < 0)
        return -1;
    if (jsonObjectHasKey(reply, "package") &&
        !(package = jsonObjectGetString(reply, "package")))
        return -1;
    if (jsonObjectAppendNumberUint64(
            out, "version", major * 1000000UL + minor * 1000UL + micro) < 0 ||
        jsonObjectAppendString(out, "package", package) < 0)
        return -1;
    return 0;
}

static int kvmCapsAddKVM(kvmMonitor *mon, jsonValue *out)
{
    g_autoptr(jsonValue) reply = NULL;
    bool present = false;

    if (kvmMonitorCommand(mon, "query-kvm", NULL, &reply) < 0 ||
        jsonObjectGetBoolean(reply, "present", &present) < 0)
        return -1;
    return jsonObjectAppendBoolean(out, "kvm", present);
}

static int kvmCapsQuery(kvmMonitor *mon, jsonValue *out)
{
    g_autoptr(jsonValue) typeArgs = jsonValueNewObject();

    if (jsonObjectAppendString(typeArgs, "implements", "device") < 0 ||
        jsonObjectAppendBoolean(typeArgs, "abstract", false) < 0)
        return -1;
    if (kvmCapsAddVersion(mon, out) < 0 || kvmCapsAddKVM(mon, out) < 0 ||
        kvmCapsAddMachines(mon, out) < 0 ||
        kvmCapsAddNames(mon, "query-cpu-definitions", NULL, out, "cpuModels") <
            0 ||
        kvmCapsAddNames(mon, "qom-list-types", typeArgs, out, "devices") < 0)
        return -1;
    return 0;
}

/* Connects to the probing QEMU, giving up as soon as it has exited. */
static int kvmCapsConnect(const char *binary, const char *sock, pid_t pid,
                          kvmMonitor **ret_mon)
{
    gint64 deadline =
        g_get_monotonic_time() + (gint64)KVM_CAPS_PROBE_TIMEOUT_MS * 1000;

    for (;;) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            errorReport(VMM_FROM_QEMU, VMM_ERR_INTERNAL_ERROR,
                        "'%s' exited while being probed; is it QEMU?", binary);
            return -1;
        }
        if (kvmMonitorOpen(sock, 100, NULL, NULL, ret_mon) == 0)
            return 0;
        if (g_get_monotonic_time() >= deadline)
            return -1;
        errorReset();
    }
}

static void kvmCapsEndProbe(pid_t pid, const char *dir, const char *sock)
{
    /* Already told to quit; SIGKILL covers a QEMU that did not. */
    if (kill(pid, SIGKILL) == 0 || errno != ESRCH)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    unlink(sock);
    rmdir(dir);
}

typedef int (*kvmCapsQueryFunc)(kvmMonitor *mon, jsonValue *out);

/* Runs @binary without a machine under @accel and lets @query ask it
 * what goes into @out. */
static int kvmCapsRunQEMU(const char *binary, const char *accel,
                          kvmCapsQueryFunc query, jsonValue *out)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *dir = g_dir_make_tmp("vmm-qemu-probe-XXXXXX", &gerr);
    g_autofree char *sock = NULL;
    g_autoptr(cmdDef) cmd = NULL;
    g_autoptr(kvmMonitor) mon = NULL;
    pid_t pid;
    int rc;

    if (!dir) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_SYSTEM_ERROR,
                    "cannot create a probe directory: %s", gerr->message);
        return -1;
    }
    sock = g_build_filename(dir, "qmp.sock", NULL);
    cmd = cmdNew(binary);
    cmdClearEnv(cmd);
    cmdAddEnvPair(cmd, "LC_ALL", "C");
    cmdAddArgList(cmd, "-machine", "none", "-accel", accel, "-nodefaults",
                  "-no-user-config", "-display", "none", "-S", "-qmp", NULL);
    cmdAddArgFormat(cmd, "unix:%s,server=on,wait=off", sock);
    if (cmdRunAsync(cmd, &pid) < 0) {
        rmdir(dir);
        return -1;
    }
    rc = kvmCapsConnect(binary, sock, pid, &mon);
    if (rc == 0 && query(mon, out) < 0)
        rc = -1;
    if (mon && kvmMonitorCommand(mon, "quit", NULL, NULL) < 0 && rc == 0)
        errorReset(); /* it is killed below anyway */
    g_clear_pointer(&mon, kvmMonitorClose);
    kvmCapsEndProbe(pid, dir, sock);
    return rc;
}

/* Features of x86-64-v2 beyond the first x86-64 CPUs, by their name in
 * /proc/cpuinfo and in QEMU. A KVM whose "host" CPU model drops any of
 * them that the host CPU has cannot be trusted: a broken nested KVM does
 * exactly that, and Linux guests then hang early in boot. */
static const struct {
    const char *cpuinfo;
    const char *qemu;
} kvmCapsBaseline[] = {
    {"pni", "pni"},         {"ssse3", "ssse3"}, {"sse4_1", "sse4.1"},
    {"sse4_2", "sse4.2"},   {"cx16", "cx16"},   {"popcnt", "popcnt"},
    {"lahf_lm", "lahf-lm"},
};

/* The words of the first "flags" line of @cpuinfo (a set). */
static GHashTable *kvmCapsHostFlags(const char *cpuinfo)
{
    GHashTable *flags =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_auto(GStrv) lines = g_strsplit(cpuinfo, "\n", -1);

    for (size_t i = 0; lines[i]; i++) {
        const char *colon = strchr(lines[i], ':');
        g_auto(GStrv) words = NULL;

        if (!g_str_has_prefix(lines[i], "flags") || !colon)
            continue;
        words = g_strsplit_set(colon + 1, " \t", -1);
        for (size_t j = 0; words[j]; j++)
            if (*words[j])
                g_hash_table_add(flags, g_strdup(words[j]));
        break;
    }
    return flags;
}

char *kvmCapsCheckHostModel(const char *cpuinfo, const jsonValue *props)
{
    g_autoptr(GHashTable) flags = kvmCapsHostFlags(cpuinfo);
    g_autoptr(GString) lacking = g_string_new(NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(kvmCapsBaseline); i++) {
        const char *name = kvmCapsBaseline[i].qemu;
        jsonValue *prop;
        bool offered = true;

        /* A property QEMU does not know is no evidence either way. */
        if (!g_hash_table_contains(flags, kvmCapsBaseline[i].cpuinfo) ||
            !jsonObjectHasKey(props, name))
            continue;
        prop = jsonObjectGet(props, name);
        if (jsonValueGetType(prop) != JSON_TYPE_BOOLEAN ||
            jsonValueGetBoolean(prop, &offered) < 0 || offered)
            continue;
        g_string_append_printf(lacking, "%s%s", lacking->len ? ", " : "",
                               kvmCapsBaseline[i].qemu);
    }
    if (!lacking->len)
        return NULL;
    return g_strdup_printf("its CPU model lacks %s, which the host CPU has",
                           lacking->str);
}

/* Under -accel kvm: what KVM makes of the host CPU. */
static int kvmCapsQueryKVMHost(kvmMonitor *mon, jsonValue *out)
{
    g_autoptr(jsonValue) args = jsonValueNewObject();
    g_autoptr(jsonValue) model = jsonValueNewObject();
    g_autoptr(jsonValue) reply = NULL;
    g_autofree char *cpuinfo = NULL;
    g_autofree char *problem = NULL;
    jsonValue *expanded;
    jsonValue *props;

    if (jsonObjectAppendString(model, "name", "host") < 0 ||
        jsonObjectAppendString(args, "type", "full") < 0 ||
        jsonObjectAppend(args, "model", &model) < 0 ||
        kvmMonitorCommand(mon, "query-cpu-model-expansion", args, &reply) < 0)
        return -1;
    if (!(expanded = jsonObjectGetObject(reply, "model")) ||
        !(props = jsonObjectGetObject(expanded, "props")))
        return -1;
    if (!g_file_get_contents("/proc/cpuinfo", &cpuinfo, NULL, NULL))
        cpuinfo = g_strdup("");
    problem = kvmCapsCheckHostModel(cpuinfo, props);
    return jsonObjectAppendString(out, "kvmProblem", problem ? problem : "");
}

/* Adds "kvmProblem" to @out: "" when KVM can run guests (or is absent,
 * which "kvm" says), else why not. */
static int kvmCapsProbeKVM(const char *binary, jsonValue *out)
{
    g_autoptr(jsonValue) kvmOut = jsonValueNewObject();
    const vmmError *err;
    bool present = false;

    if (jsonObjectGetBoolean(out, "kvm", &present) < 0)
        return -1;
    if (!present)
        return jsonObjectAppendString(out, "kvmProblem", "");
    if (kvmCapsRunQEMU(binary, "kvm", kvmCapsQueryKVMHost, kvmOut) == 0)
        return jsonObjectAppendString(
            out, "kvmProblem", jsonObjectGetString(kvmOut, "kvmProblem"));
    /* Not a failed probe: the answer is that KVM does not work. The
     * error (often just "exited") is for the log. */
    err = errorGetLast();
    VMM_DEBUG("%s under -accel kvm: %s", binary,
              err && err->message ? err->message : "failed");
    errorReset();
    return jsonObjectAppendString(out, "kvmProblem",
                                  "QEMU does not run under -accel kvm");
}

/* What KVM's answer depends on besides QEMU: the kernel, and /dev/kvm
 * (its ctime changes when the module is loaded again, e.g. with nested
 * virtualization turned on). A cache file of another host is not used. */
static char *kvmCapsHostKey(void)
{
    struct utsname uts;
    struct stat sb;
    gint64 ctime = -1;

    if (uname(&uts) < 0)
        g_strlcpy(uts.release, "?", sizeof(uts.release));
    if (stat("/dev/kvm", &sb) == 0)
        ctime = sb.st_ctim.tv_sec;
    return g_strdup_printf("%s kvm=%" G_GINT64_FORMAT, uts.release, ctime);
}

static jsonValue *kvmCapsProbe(const char *binary, gint64 mtime)
{
    g_autoptr(jsonValue) out = jsonValueNewObject();
    g_autofree char *host = kvmCapsHostKey();

    if (jsonObjectAppendNumberInt64(out, "format", KVM_CAPS_FORMAT) < 0 ||
        jsonObjectAppendString(out, "binary", binary) < 0 ||
        jsonObjectAppendNumberInt64(out, "mtime", mtime) < 0 ||
        jsonObjectAppendString(out, "host", host) < 0 ||
        kvmCapsRunQEMU(binary, "tcg", kvmCapsQuery, out) < 0 ||
        kvmCapsProbeKVM(binary, out) < 0)
        return NULL;
    return g_steal_pointer(&out);
}

/* ---- the cache ---------------------------------------------------------- */

kvmCapsCache *kvmCapsCacheNew(const char *cacheDir)
{
    kvmCapsCache *cache = g_new0(kvmCapsCache, 1);

    g_mutex_init(&cache->lock);
    cache->dir = g_strdup(cacheDir);
    cache->caps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)kvmCapsUnref);
    return cache;
}

void kvmCapsCacheFree(kvmCapsCache *cache)
{
    if (!cache)
        return;
    g_hash_table_unref(cache->caps);
    g_free(cache->dir);
    g_mutex_clear(&cache->lock);
    g_free(cache);
}

unsigned int kvmCapsCacheGetProbeCount(kvmCapsCache *cache)
{
    unsigned int n;

    g_mutex_lock(&cache->lock);
    n = cache->probes;
    g_mutex_unlock(&cache->lock);
    return n;
}

static int kvmCapsBinaryMtime(const char *binary, gint64 *ret_mtime)
{
    struct stat sb;

    if (!g_path_is_absolute(binary)) {
        errorReport(VMM_FROM_QEMU, VMM_ERR_INVALID_ARG,
                    "emulator '%s' is not an absolute path", binary);
        return -1;
    }
    if (stat(binary, &sb) < 0) {
        errorReportSystem(VMM_FROM_QEMU, errno, "cannot find emulator '%s'",
                          binary);
        return -1;
    }
    *ret_mtime = (gint64)sb.st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) +
                 sb.st_mtim.tv_nsec;
    return 0;
}

/* The cache file of @binary: its path with '/' made '_', plus ".json". */
static char *kvmCapsCachePath(kvmCapsCache *cache, const char *binary)
{
    g_autofree char *name = g_strdup(binary + 1);

    g_strdelimit(name, "/", '_');
    return g_strdup_printf("%s/%s.json", cache->dir, name);
}

/* The cached file's caps when they still describe @binary at @mtime on
 * this host; NULL (and no error) otherwise. */
static kvmCaps *kvmCapsCacheLoad(kvmCapsCache *cache, const char *binary,
                                 gint64 mtime)
{
    g_autofree char *host = kvmCapsHostKey();
    g_autofree char *path = kvmCapsCachePath(cache, binary);
    g_autofree char *data = NULL;
    g_autoptr(jsonValue) json = NULL;
    g_autoptr(kvmCaps) caps = NULL;
    gint64 format = 0;

    if (!g_file_test(path, G_FILE_TEST_EXISTS) ||
        fileReadAll(path, KVM_CAPS_FILE_MAX, &data, NULL) < 0 ||
        !(json = jsonParse(data)) ||
        jsonValueGetType(json) != JSON_TYPE_OBJECT ||
        jsonObjectGetNumberInt64(json, "format", &format) < 0 ||
        format != KVM_CAPS_FORMAT ||
        g_strcmp0(jsonObjectGetString(json, "host"), host) != 0 ||
        !(caps = kvmCapsNewFromJSON(&json)) ||
        !g_str_equal(caps->binary, binary) || caps->mtime != mtime) {
        VMM_DEBUG("no usable cache file %s", path);
        errorReset();
        return NULL;
    }
    return g_steal_pointer(&caps);
}

static int kvmCapsCacheSave(kvmCapsCache *cache, const kvmCaps *caps)
{
    g_autofree char *path = kvmCapsCachePath(cache, caps->binary);
    g_autofree char *text = kvmCapsFormat(caps);

    if (!text || fileMakePath(cache->dir, 0755) < 0)
        return -1;
    return fileWriteAtomic(path, text, strlen(text), 0644);
}

/* Called with the lock held. */
static kvmCaps *kvmCapsCacheFill(kvmCapsCache *cache, const char *binary,
                                 gint64 mtime)
{
    g_autoptr(jsonValue) json = NULL;
    kvmCaps *caps = NULL;

    if (cache->dir && (caps = kvmCapsCacheLoad(cache, binary, mtime)))
        return caps;
    VMM_DEBUG("probing %s", binary);
    cache->probes++;
    if (!(json = kvmCapsProbe(binary, mtime)) ||
        !(caps = kvmCapsNewFromJSON(&json)))
        return NULL;
    if (cache->dir && kvmCapsCacheSave(cache, caps) < 0) {
        kvmCapsUnref(caps);
        return NULL;
    }
    return caps;
}

int kvmCapsCacheLookup(kvmCapsCache *cache, const char *binary,
                       kvmCaps **ret_caps)
{
    kvmCaps *caps;
    gint64 mtime;

    if (kvmCapsBinaryMtime(binary, &mtime) < 0)
        return -1;
    g_mutex_lock(&cache->lock);
    caps = g_hash_table_lookup(cache->caps, binary);
    if (!caps || caps->mtime != mtime) {
        if (!(caps = kvmCapsCacheFill(cache, binary, mtime))) {
            g_mutex_unlock(&cache->lock);
            return -1;
        }
        g_hash_table_insert(cache->caps, g_strdup(binary), caps);
    }
    *ret_caps = kvmCapsRef(caps);
    g_mutex_unlock(&cache->lock);
    return 0;
}
