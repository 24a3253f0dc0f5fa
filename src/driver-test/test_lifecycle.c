/*
 * test_lifecycle.c: starting, stopping, pausing and saving test guests.
 * Nothing runs: a guest is a state, a run-time id and a CPU clock. The
 * events and errors are libvirt's test driver's, so programs tested
 * against test:///default see what they will see on a real host.
 *
 * A save image is a small text file: a header line that names the format,
 * a line with the state to come back in, then the guest's XML.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "test_domain.h"
#include "test_lifecycle.h"
#include "test_state.h"
#include "util_error.h"
#include "util_file.h"

#define TEST_ERR VMM_FROM_TEST

#define TEST_SAVE_MAGIC "vmm test driver save image, version 1\n"
#define TEST_SAVE_RUNNING "state running\n"
#define TEST_SAVE_PAUSED "state paused\n"
#define TEST_SAVE_MAX (16 * 1024 * 1024)

static testState *testStateOf(vmmConnectPtr conn)
{
    return conn->privateData;
}

/* Ends a call on @obj: a transient guest that stopped leaves the list. */
static void testEndStopped(testState *state, domainObj **obj)
{
    if (!(*obj)->persistent && !domainObjIsActive(*obj))
        domainObjListRemove(state->domains, *obj);
    domainObjEndAPI(obj);
}

/* Stops @obj (locked); the caller's handle @dom follows, as in libvirt. */
static void testStop(testState *state, vmmDomainPtr dom, domainObj *obj,
                     int reason, int detail)
{
    domainObjStopped(obj, reason);
    dom->id = -1;
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_STOPPED, detail);
}

/* Starts @obj (locked, inactive) running, or paused when @paused; the
 * events say how (booted or restored). */
static void testStartObj(testState *state, domainObj *obj, bool restored,
                         bool paused)
{
    testDomainStart(state, obj,
                    restored ? VMM_DOMAIN_RUNNING_RESTORED
                             : VMM_DOMAIN_RUNNING_BOOTED);
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_STARTED,
                  restored ? VMM_DOMAIN_EVENT_STARTED_RESTORED
                           : VMM_DOMAIN_EVENT_STARTED_BOOTED);
    if (!paused)
        return;
    testDomainClockPause(obj);
    domainObjSetState(obj, VMM_DOMAIN_PAUSED,
                      restored ? VMM_DOMAIN_PAUSED_SAVE
                               : VMM_DOMAIN_PAUSED_USER);
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_SUSPENDED,
                  restored ? VMM_DOMAIN_EVENT_SUSPENDED_RESTORED
                           : VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

static int testCheckInactive(const domainObj *obj)
{
    if (domainObjIsActive(obj)) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain is already running");
        return -1;
    }
    return 0;
}

int testDomainCreateWithFlags(vmmDomainPtr dom, unsigned int flags)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;
    bool restore;
    bool paused;

    if (testCheckFlags(flags, VMM_DOMAIN_START_PAUSED |
                                  VMM_DOMAIN_START_BYPASS_CACHE |
                                  VMM_DOMAIN_START_FORCE_BOOT) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (testCheckInactive(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    /* A managed save image is resumed unless FORCE_BOOT throws it away. */
    restore = obj->hasManagedSave && !(flags & VMM_DOMAIN_START_FORCE_BOOT);
    paused = (flags & VMM_DOMAIN_START_PAUSED) ||
             (restore && testDomainPrivGet(obj)->managedSavePaused);
    obj->hasManagedSave = false;
    testStartObj(state, obj, restore, paused);
    dom->id = obj->id; /* the caller's handle follows, as in libvirt */
    domainObjEndAPI(&obj);
    return 0;
}

vmmDomainPtr testDomainCreateXML(vmmConnectPtr conn, const char *xml,
                                 unsigned int flags)
{
    testState *state = testStateOf(conn);
    g_autoptr(domainDef) def = NULL;
    domainObj *obj;
    vmmDomainPtr dom;

    if (testCheckFlags(flags,
                       VMM_DOMAIN_START_PAUSED | VMM_DOMAIN_START_VALIDATE) < 0)
        return NULL;
    if (!(def = domainDefParseString(xml, (flags & VMM_DOMAIN_START_VALIDATE)
                                              ? DOMAIN_DEF_PARSE_VALIDATE
                                              : 0)))
        return NULL;
    if (!(obj = domainObjListAdd(
              state->domains, &def,
              DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return NULL;
    testStartObj(state, obj, false, flags & VMM_DOMAIN_START_PAUSED);
    dom = testDomainHandle(conn, obj);
    domainObjEndAPI(&obj);
    return dom;
}

/* Destroy and shutdown differ only in what they accept and the reason
 * they leave: the test guest stops at once either way. */
static int testDomainStop(vmmDomainPtr dom, unsigned int flags,
                          unsigned int allowed, int reason, int detail)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;

    if (testCheckFlags(flags, allowed) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    testStop(state, dom, obj, reason, detail);
    testEndStopped(state, &obj);
    return 0;
}

int testDomainDestroyFlags(vmmDomainPtr dom, unsigned int flags)
{
    return testDomainStop(dom, flags, VMM_DOMAIN_DESTROY_GRACEFUL,
                          VMM_DOMAIN_SHUTOFF_DESTROYED,
                          VMM_DOMAIN_EVENT_STOPPED_DESTROYED);
}

#define TEST_SHUTDOWN_MODES                                                    \
    (VMM_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VMM_DOMAIN_SHUTDOWN_GUEST_AGENT |    \
     VMM_DOMAIN_SHUTDOWN_INITCTL | VMM_DOMAIN_SHUTDOWN_SIGNAL |                \
     VMM_DOMAIN_SHUTDOWN_PARAVIRT)

int testDomainShutdownFlags(vmmDomainPtr dom, unsigned int flags)
{
    /* Every way of asking works the same on a guest that does not exist. */
    return testDomainStop(dom, flags, TEST_SHUTDOWN_MODES,
                          VMM_DOMAIN_SHUTOFF_SHUTDOWN,
                          VMM_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

int testDomainReboot(vmmDomainPtr dom, unsigned int flags)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;

    if (testCheckFlags(flags, TEST_SHUTDOWN_MODES) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    /* The guest comes straight back up: no lifecycle event, as libvirt.
     * It was reset, though, which the QEMU driver reports as a REBOOT
     * event; libvirt's test driver sends none, we send it so clients can
     * be tested against the test driver. */
    if (obj->state != VMM_DOMAIN_RUNNING)
        testDomainClockResume(obj);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    domainEventStateQueueReboot(state->events, obj->name, obj->uuid, obj->id);
    domainObjEndAPI(&obj);
    return 0;
}

int testDomainSuspend(vmmDomainPtr dom)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;
    int ret = -1;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0)
        goto out;
    if (obj->state == VMM_DOMAIN_PAUSED) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain is already paused");
        goto out;
    }
    testDomainClockPause(obj);
    domainObjSetState(obj, VMM_DOMAIN_PAUSED, VMM_DOMAIN_PAUSED_USER);
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_SUSPENDED,
                  VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
    ret = 0;
out:
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainResume(vmmDomainPtr dom)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;
    int ret = -1;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0)
        goto out;
    if (obj->state != VMM_DOMAIN_PAUSED) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain is not paused");
        goto out;
    }
    testDomainClockResume(obj);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_UNPAUSED);
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_RESUMED,
                  VMM_DOMAIN_EVENT_RESUMED_UNPAUSED);
    ret = 0;
out:
    domainObjEndAPI(&obj);
    return ret;
}

/* RUNNING and PAUSED of vmmDomainSaveRestoreFlags exclude each other. */
static int testCheckSaveFlags(unsigned int flags)
{
    if (testCheckFlags(flags, VMM_DOMAIN_SAVE_BYPASS_CACHE |
                                  VMM_DOMAIN_SAVE_RUNNING |
                                  VMM_DOMAIN_SAVE_PAUSED) < 0)
        return -1;
    if ((flags & VMM_DOMAIN_SAVE_RUNNING) && (flags & VMM_DOMAIN_SAVE_PAUSED)) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "'running' and 'paused' flags are mutually exclusive");
        return -1;
    }
    return 0;
}

/* Whether a guest saved in state @paused comes back paused. */
static bool testSavePaused(bool paused, unsigned int flags)
{
    if (flags & VMM_DOMAIN_SAVE_RUNNING)
        return false;
    return paused || (flags & VMM_DOMAIN_SAVE_PAUSED);
}

/* @dxml parsed, when it describes the same guest as @def. */
static domainDef *testParseReplacementXML(const char *dxml,
                                          const domainDef *def)
{
    g_autoptr(domainDef) repl = domainDefParseString(dxml, 0);

    if (!repl)
        return NULL;
    if (strcmp(repl->name, def->name) != 0 ||
        memcmp(repl->uuid, def->uuid, VMM_UUID_BUFLEN) != 0) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "the replacement XML must describe domain '%s' with the "
                    "same uuid",
                    def->name);
        return NULL;
    }
    return g_steal_pointer(&repl);
}

static int testWriteSaveImage(const char *to, const domainDef *def, bool paused)
{
    g_autofree char *xml = domainDefFormat(def, -1, 0);
    g_autofree char *image = NULL;

    if (!xml)
        return -1;
    image =
        g_strconcat(TEST_SAVE_MAGIC,
                    paused ? TEST_SAVE_PAUSED : TEST_SAVE_RUNNING, xml, NULL);
    return fileWriteAtomic(to, image, strlen(image), 0600);
}

int testDomainSaveFlags(vmmDomainPtr dom, const char *to, const char *dxml,
                        unsigned int flags)
{
    testState *state = testStateOf(dom->conn);
    g_autoptr(domainDef) repl = NULL;
    domainObj *obj;
    int ret = -1;

    if (testCheckSaveFlags(flags) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0)
        goto out;
    if (dxml && !(repl = testParseReplacementXML(dxml, obj->def)))
        goto out;
    if (testWriteSaveImage(
            to, repl ? repl : obj->def,
            testSavePaused(obj->state == VMM_DOMAIN_PAUSED, flags)) < 0)
        goto out;
    testStop(state, dom, obj, VMM_DOMAIN_SHUTOFF_SAVED,
             VMM_DOMAIN_EVENT_STOPPED_SAVED);
    ret = 0;
out:
    testEndStopped(state, &obj);
    return ret;
}

/* Splits the image read from @from into its paused flag and its XML
 * (pointing into @image). */
static int testParseSaveImage(const char *from, const char *image,
                              bool *ret_paused, const char **ret_xml)
{
    const char *rest;

    if (!g_str_has_prefix(image, TEST_SAVE_MAGIC)) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_FAILED,
                    "'%s' is not a vmm test driver save image", from);
        return -1;
    }
    rest = image + strlen(TEST_SAVE_MAGIC);
    if (g_str_has_prefix(rest, TEST_SAVE_RUNNING)) {
        *ret_paused = false;
        *ret_xml = rest + strlen(TEST_SAVE_RUNNING);
    } else if (g_str_has_prefix(rest, TEST_SAVE_PAUSED)) {
        *ret_paused = true;
        *ret_xml = rest + strlen(TEST_SAVE_PAUSED);
    } else {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_FAILED,
                    "save image '%s' is damaged: no state line", from);
        return -1;
    }
    return 0;
}

int testDomainRestoreFlags(vmmConnectPtr conn, const char *from,
                           const char *dxml, unsigned int flags)
{
    testState *state = testStateOf(conn);
    g_autofree char *image = NULL;
    g_autoptr(domainDef) def = NULL;
    const char *xml;
    domainObj *obj;
    bool paused;

    if (testCheckSaveFlags(flags) < 0)
        return -1;
    if (fileReadAll(from, TEST_SAVE_MAX, &image, NULL) < 0 ||
        testParseSaveImage(from, image, &paused, &xml) < 0)
        return -1;
    if (!(def = domainDefParseString(xml, 0)))
        return -1;
    if (dxml) {
        domainDef *repl = testParseReplacementXML(dxml, def);

        if (!repl)
            return -1;
        domainDefFree(def);
        def = repl;
    }
    if (!(obj = domainObjListAdd(
              state->domains, &def,
              DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE, NULL)))
        return -1;
    obj->hasManagedSave = false;
    testStartObj(state, obj, true, testSavePaused(paused, flags));
    domainObjEndAPI(&obj);
    return 0;
}

int testDomainManagedSave(vmmDomainPtr dom, unsigned int flags)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;
    int ret = -1;

    if (testCheckSaveFlags(flags) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjCheckActive(obj) < 0)
        goto out;
    if (!obj->persistent) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot do managed save for transient domain");
        goto out;
    }
    /* The image lives in memory: all a restart needs is how it was. */
    testDomainPrivGet(obj)->managedSavePaused =
        testSavePaused(obj->state == VMM_DOMAIN_PAUSED, flags);
    testStop(state, dom, obj, VMM_DOMAIN_SHUTOFF_SAVED,
             VMM_DOMAIN_EVENT_STOPPED_SAVED);
    obj->hasManagedSave = true;
    ret = 0;
out:
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainHasManagedSaveImage(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    int ret;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    ret = obj->hasManagedSave ? 1 : 0;
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainManagedSaveRemove(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;

    if (testCheckFlags(flags, 0) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    obj->hasManagedSave = false;
    domainObjEndAPI(&obj);
    return 0;
}

char *testDomainSaveImageGetXMLDesc(vmmConnectPtr conn, const char *file,
                                    unsigned int flags)
{
    g_autofree char *image = NULL;
    g_autoptr(domainDef) def = NULL;
    const char *xml;
    bool paused;

    if (testCheckFlags(flags, VMM_DOMAIN_SAVE_IMAGE_XML_SECURE) < 0)
        return NULL;
    if (fileReadAll(file, TEST_SAVE_MAX, &image, NULL) < 0 ||
        testParseSaveImage(file, image, &paused, &xml) < 0)
        return NULL;
    if (!(def = domainDefParseString(xml, 0)))
        return NULL;
    return domainDefFormat(def, -1, 0);
}

/* Test guests do everything at once: there is never a job to see. */
int testDomainGetJobInfo(vmmDomainPtr dom, vmmDomainJobInfoPtr info)
{
    domainObj *obj;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    memset(info, 0, sizeof(*info));
    info->type = VMM_DOMAIN_JOB_NONE;
    domainObjEndAPI(&obj);
    return 0;
}

/* Neither a current job nor a finished one is ever recorded: both answers
 * are "None" without fields, which `virsh domjobinfo [--completed]`
 * prints as "Job type: None". */
int testDomainGetJobStats(vmmDomainPtr dom, int *type,
                          vmmTypedParameterPtr *params, int *nparams,
                          unsigned int flags)
{
    domainObj *obj;

    if (testCheckFlags(flags, VMM_DOMAIN_JOB_STATS_COMPLETED |
                                  VMM_DOMAIN_JOB_STATS_KEEP_COMPLETED) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    domainObjEndAPI(&obj);
    *type = VMM_DOMAIN_JOB_NONE;
    *params = NULL;
    *nparams = 0;
    return 0;
}

int testDomainAbortJob(vmmDomainPtr dom)
{
    domainObj *obj;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                "no job is active on the domain");
    domainObjEndAPI(&obj);
    return -1;
}
