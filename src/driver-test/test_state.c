/*
 * test_state.c: building the host of a test:/// connection, either the
 * built-in default one (shared by every test:///default connection of the
 * process while at least one is open) or one described by a file in
 * libvirt's test driver format:
 *
 *   <node>
 *     <cpu> <mhz/> <model/> <nodes/> <sockets/> <cores/> <threads/>
 *           <active/> </cpu>
 *     <memory>KiB</memory>
 *     <domain type='test'>...</domain>  or  <domain file='relative.xml'/>
 *   </node>
 *
 * Guests of a host file start out running and persistent, as in libvirt.
 * Also the small per-guest bookkeeping (CPU clock, start) the domain calls
 * share.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "test_state.h"
#include "util_error.h"
#include "util_file.h"
#include "util_xml.h"

#define TEST_ERR VMM_FROM_TEST

/* Host description files are small; refuse anything silly. */
#define TEST_HOST_FILE_MAX (16 * 1024 * 1024)
/* The capabilities list every CPU: keep a typo from making that huge. */
#define TEST_HOST_CPUS_MAX 4096

/* The default host, libvirt's test driver numbers: a 2-node, 16-thread i686
 * box with 3 GiB of memory and one running guest called "test". */
static const vmmNodeInfo testDefaultNodeInfo = {
    .model = "i686",
    .memory = 3 * 1024 * 1024,
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

static const char testDefaultDomainXML[] =
    "<domain type='test'>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os>\n"
    "    <type>hvm</type>\n"
    "  </os>\n"
    "  <devices>\n"
    "    <memballoon model='virtio'/>\n"
    "  </devices>\n"
    "</domain>\n";

static GMutex testDefaultLock;
static testState *testDefault; /* guarded by testDefaultLock */

static void testDomainPrivFree(void *data)
{
    testDomainPriv *priv = data;

    if (priv && priv->vcpuPins)
        g_hash_table_unref(priv->vcpuPins);
    g_free(priv);
}

testDomainPriv *testDomainPrivGet(domainObj *obj)
{
    if (!obj->privateData) {
        obj->privateData = g_new0(testDomainPriv, 1);
        obj->privateDataFree = testDomainPrivFree;
    }
    return obj->privateData;
}

domainObj *testDomainObjFromHandle(vmmDomainPtr dom)
{
    testState *state = dom->conn->privateData;

    return domainObjListFindByUUID(state->domains, dom->uuid);
}

vmmDomainPtr testDomainHandle(vmmConnectPtr conn, domainObj *obj)
{
    return domainHandleNew(conn, obj->name, obj->uuid, obj->id);
}

void testStateEmit(testState *state, domainObj *obj, int event, int detail)
{
    domainEventStateQueueLifecycle(state->events, obj->name, obj->uuid, obj->id,
                                   event, detail);
}

void testDomainStart(testState *state, domainObj *obj, int reason)
{
    testDomainPriv *priv = testDomainPrivGet(obj);

    obj->id = domainObjListNewID(state->domains);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING, reason);
    priv->cpuTime = 0;
    priv->runningSince = g_get_monotonic_time();
}

unsigned long long testDomainCPUTime(domainObj *obj)
{
    testDomainPriv *priv = testDomainPrivGet(obj);

    if (!domainObjIsActive(obj))
        return 0;
    if (obj->state != VMM_DOMAIN_RUNNING)
        return priv->cpuTime;
    return priv->cpuTime +
           (unsigned long long)(g_get_monotonic_time() - priv->runningSince) *
               1000ULL;
}

void testDomainClockPause(domainObj *obj)
{
    testDomainPriv *priv = testDomainPrivGet(obj);

    priv->cpuTime = testDomainCPUTime(obj);
}

void testDomainClockResume(domainObj *obj)
{
    testDomainPrivGet(obj)->runningSince = g_get_monotonic_time();
}

static testState *testStateNew(const vmmNodeInfo *info)
{
    testState *state = g_new0(testState, 1);

    state->refs = 1;
    state->nodeInfo = *info;
    state->domains = domainObjListNew();
    state->events = domainEventStateNew();
    return state;
}

static void testStateFree(testState *state)
{
    if (!state)
        return;
    domainEventStateFree(state->events);
    domainObjListFree(state->domains);
    g_free(state);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(testState, testStateFree)

/* Adds @def as a running persistent guest, as libvirt does with the
 * guests of a host description. */
static int testStateAddRunning(testState *state, domainDef **def)
{
    domainObj *obj;

    if (!(obj = domainObjListAdd(state->domains, def, 0, NULL)))
        return -1;
    obj->persistent = true;
    if (!domainObjIsActive(obj))
        testDomainStart(state, obj, VMM_DOMAIN_RUNNING_BOOTED);
    domainObjEndAPI(&obj);
    return 0;
}

testState *testStateGetDefault(void)
{
    g_autoptr(testState) state = NULL;
    g_autoptr(domainDef) def = NULL;
    testState *ret;

    g_mutex_lock(&testDefaultLock);
    if (testDefault) {
        g_atomic_int_inc(&testDefault->refs);
        ret = testDefault;
        g_mutex_unlock(&testDefaultLock);
        return ret;
    }
    state = testStateNew(&testDefaultNodeInfo);
    if (!(def = domainDefParseString(testDefaultDomainXML, 0)) ||
        testStateAddRunning(state, &def) < 0) {
        g_mutex_unlock(&testDefaultLock);
        return NULL;
    }
    testDefault = g_steal_pointer(&state);
    ret = testDefault;
    g_mutex_unlock(&testDefaultLock);
    return ret;
}

void testStateUnref(testState *state)
{
    bool last;

    if (!state)
        return;
    /* The default state is looked up under its lock, so its last reference
     * is dropped under it too: nobody can pick it up between 1 -> 0 and
     * the moment it is forgotten. */
    g_mutex_lock(&testDefaultLock);
    last = g_atomic_int_dec_and_test(&state->refs);
    if (last && state == testDefault)
        testDefault = NULL;
    g_mutex_unlock(&testDefaultLock);
    if (last)
        testStateFree(state);
}

/* Re-raises the last error with @path in front, so a bad guest definition
 * in a host file says which file it came from. */
static void testReportInFile(const char *path)
{
    g_autoptr(vmmError) saved = errorSave();

    if (!saved)
        return;
    errorReport(saved->domain, saved->code, "in '%s': %s", path,
                saved->str2 ? saved->str2 : saved->message);
}

/* One number of <cpu>; 0 (absent) keeps the default. */
static int testParseCPUField(xmlXPathContext *ctxt, const char *path,
                             const char *field, unsigned int *value)
{
    g_autofree char *expr = g_strdup_printf("./cpu/%s", field);
    unsigned long long v;
    int rc = vxmlXPathULongLong(ctxt, expr, &v);

    if (rc < 0) {
        testReportInFile(path);
        return -1;
    }
    if (rc == 0)
        return 0;
    if (v == 0 || v > G_MAXINT) {
        errorReport(TEST_ERR, VMM_ERR_XML_ERROR,
                    "in '%s': invalid value %llu of <cpu>/<%s>", path, v,
                    field);
        return -1;
    }
    *value = v;
    return 0;
}

static int testParseNodeInfo(xmlXPathContext *ctxt, const char *path,
                             vmmNodeInfo *info)
{
    g_autofree char *model = NULL;
    unsigned long long memory;
    unsigned int active = 0;
    guint64 total64;
    unsigned int total;
    int rc;

    if (testParseCPUField(ctxt, path, "nodes", &info->nodes) < 0 ||
        testParseCPUField(ctxt, path, "sockets", &info->sockets) < 0 ||
        testParseCPUField(ctxt, path, "cores", &info->cores) < 0 ||
        testParseCPUField(ctxt, path, "threads", &info->threads) < 0 ||
        testParseCPUField(ctxt, path, "mhz", &info->mhz) < 0 ||
        testParseCPUField(ctxt, path, "active", &active) < 0)
        return -1;
    total64 =
        (guint64)info->nodes * info->sockets * info->cores * info->threads;
    if (total64 > TEST_HOST_CPUS_MAX) {
        errorReport(TEST_ERR, VMM_ERR_XML_ERROR,
                    "in '%s': too many CPUs (%" G_GUINT64_FORMAT
                    ", at most %d)",
                    path, total64, TEST_HOST_CPUS_MAX);
        return -1;
    }
    total = total64;
    info->cpus = (active && active < total) ? active : total;

    if ((model = vxmlXPathString(ctxt, "./cpu/model")))
        g_strlcpy(info->model, model, sizeof(info->model));

    if ((rc = vxmlXPathULongLong(ctxt, "./memory", &memory)) < 0) {
        testReportInFile(path);
        return -1;
    }
    if (rc > 0)
        info->memory = memory;
    return 0;
}

/* The definition of one <domain> of a host file: inline, or in the file
 * named by its 'file' attribute (relative to the host file's directory). */
static domainDef *testParseDomain(xmlNode *node, const char *path)
{
    g_autofree char *file = vxmlGetProp(node, "file");
    g_autofree char *xml = NULL;
    g_autofree char *where = NULL;
    domainDef *def;

    if (file) {
        if (g_path_is_absolute(file)) {
            where = g_strdup(file);
        } else {
            g_autofree char *dir = g_path_get_dirname(path);

            where = fileBuildPath(dir, file);
        }
        if (fileReadAll(where, TEST_HOST_FILE_MAX, &xml, NULL) < 0) {
            testReportInFile(path);
            return NULL;
        }
    } else {
        where = g_strdup(path);
        if (!(xml = vxmlNodeToString(node)))
            return NULL;
    }
    if (!(def = domainDefParseString(xml, 0)))
        testReportInFile(where);
    return def;
}

static int testParseDomains(testState *state, xmlXPathContext *ctxt,
                            const char *path)
{
    g_autofree xmlNode **nodes = NULL;
    int n = vxmlXPathNodeList(ctxt, "./domain", &nodes);

    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        g_autoptr(domainDef) def = testParseDomain(nodes[i], path);

        if (!def)
            return -1;
        if (testStateAddRunning(state, &def) < 0) {
            testReportInFile(path);
            return -1;
        }
    }
    return 0;
}

testState *testStateNewFromFile(const char *path)
{
    g_autoptr(testState) state = NULL;
    g_autofree char *content = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    vmmNodeInfo info = testDefaultNodeInfo;

    if (fileReadAll(path, TEST_HOST_FILE_MAX, &content, NULL) < 0)
        return NULL;
    if (!(doc = vxmlParseString(content, path, "node")) ||
        !(ctxt = vxmlNewXPathContext(doc)))
        return NULL;
    if (testParseNodeInfo(ctxt, path, &info) < 0)
        return NULL;
    state = testStateNew(&info);
    if (testParseDomains(state, ctxt, path) < 0)
        return NULL;
    return g_steal_pointer(&state);
}
