/*
 * test_domain.c: the test driver's domain calls that leave the run state
 * alone: listing, lookup, define / undefine, XML, metadata, autostart and
 * the is-* questions, with libvirt's semantics. Lifecycle changes are in
 * test_lifecycle.c, resources in test_resource.c.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "test_domain.h"
#include "test_state.h"
#include "util_error.h"

#define TEST_ERR VMM_FROM_TEST

int testCheckFlags(unsigned int flags, unsigned int allowed)
{
    if (flags & ~allowed) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG, "unsupported flags (0x%x)",
                    flags & ~allowed);
        return -1;
    }
    return 0;
}

static testState *testStateOf(vmmConnectPtr conn)
{
    return conn->privateData;
}

int testConnectListAllDomains(vmmConnectPtr conn, vmmDomainPtr **domains,
                              unsigned int flags)
{
    g_autoptr(GPtrArray) objs = NULL;
    vmmDomainPtr *list;

    if (domainObjListCollect(testStateOf(conn)->domains, flags, &objs) < 0)
        return -1;
    if (!domains)
        return objs->len;
    list = g_new0(vmmDomainPtr, objs->len + 1);
    for (guint i = 0; i < objs->len; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        domainObjLock(obj);
        list[i] = testDomainHandle(conn, obj);
        domainObjUnlock(obj);
    }
    *domains = list;
    return objs->len;
}

int testConnectNumOfDomains(vmmConnectPtr conn)
{
    return domainObjListCount(testStateOf(conn)->domains, true);
}

int testConnectListDomains(vmmConnectPtr conn, int *ids, int maxids)
{
    return domainObjListGetActiveIDs(testStateOf(conn)->domains, ids, maxids);
}

int testConnectNumOfDefinedDomains(vmmConnectPtr conn)
{
    return domainObjListCount(testStateOf(conn)->domains, false);
}

int testConnectListDefinedDomains(vmmConnectPtr conn, char **const names,
                                  int maxnames)
{
    return domainObjListGetInactiveNames(testStateOf(conn)->domains, names,
                                         maxnames);
}

/* A handle on @obj (found or NULL) for @conn, releasing @obj. */
static vmmDomainPtr testHandleAndRelease(vmmConnectPtr conn, domainObj *obj)
{
    vmmDomainPtr dom;

    if (!obj)
        return NULL;
    dom = testDomainHandle(conn, obj);
    domainObjEndAPI(&obj);
    return dom;
}

vmmDomainPtr testDomainLookupByName(vmmConnectPtr conn, const char *name)
{
    return testHandleAndRelease(
        conn, domainObjListFindByName(testStateOf(conn)->domains, name));
}

vmmDomainPtr testDomainLookupByUUID(vmmConnectPtr conn,
                                    const unsigned char *uuid)
{
    return testHandleAndRelease(
        conn, domainObjListFindByUUID(testStateOf(conn)->domains, uuid));
}

vmmDomainPtr testDomainLookupByID(vmmConnectPtr conn, int id)
{
    return testHandleAndRelease(
        conn, domainObjListFindByID(testStateOf(conn)->domains, id));
}

vmmDomainPtr testDomainDefineXMLFlags(vmmConnectPtr conn, const char *xml,
                                      unsigned int flags)
{
    testState *state = testStateOf(conn);
    g_autoptr(domainDef) def = NULL;
    g_autoptr(domainDef) oldDef = NULL;
    domainObj *obj;

    if (testCheckFlags(flags, VMM_DOMAIN_DEFINE_VALIDATE) < 0)
        return NULL;
    if (!(def = domainDefParseString(xml, (flags & VMM_DOMAIN_DEFINE_VALIDATE)
                                              ? DOMAIN_DEF_PARSE_VALIDATE
                                              : 0)))
        return NULL;
    if (!(obj = domainObjListAdd(state->domains, &def, 0, &oldDef)))
        return NULL;
    obj->persistent = true;
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_DEFINED,
                  oldDef ? VMM_DOMAIN_EVENT_DEFINED_UPDATED
                         : VMM_DOMAIN_EVENT_DEFINED_ADDED);
    return testHandleAndRelease(conn, obj);
}

int testDomainUndefineFlags(vmmDomainPtr dom, unsigned int flags)
{
    testState *state = testStateOf(dom->conn);
    domainObj *obj;

    if (testCheckFlags(flags, VMM_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                  VMM_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                  VMM_DOMAIN_UNDEFINE_NVRAM |
                                  VMM_DOMAIN_UNDEFINE_KEEP_NVRAM |
                                  VMM_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (!obj->persistent) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot undefine transient domain");
        domainObjEndAPI(&obj);
        return -1;
    }
    if (obj->hasManagedSave && !(flags & VMM_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "Refusing to undefine while domain managed save image "
                    "exists");
        domainObjEndAPI(&obj);
        return -1;
    }
    obj->hasManagedSave = false;
    obj->autostart = false;
    testStateEmit(state, obj, VMM_DOMAIN_EVENT_UNDEFINED,
                  VMM_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (domainObjIsActive(obj)) {
        /* A running guest keeps running, now without a stored config. */
        obj->persistent = false;
        obj->updated = false;
        g_clear_pointer(&obj->newDef, domainDefFree);
    } else {
        domainObjListRemove(state->domains, obj);
    }
    domainObjEndAPI(&obj);
    return 0;
}

char *testDomainGetXMLDesc(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;
    const domainDef *def;
    int id;
    char *xml;

    if (testCheckFlags(flags, VMM_DOMAIN_XML_SECURE | VMM_DOMAIN_XML_INACTIVE |
                                  VMM_DOMAIN_XML_UPDATE_CPU |
                                  VMM_DOMAIN_XML_MIGRATABLE) < 0)
        return NULL;
    if (!(obj = testDomainObjFromHandle(dom)))
        return NULL;
    if (flags & VMM_DOMAIN_XML_INACTIVE) {
        def = domainObjGetPersistentDef(obj);
        id = -1;
    } else {
        def = obj->def;
        id = obj->id;
    }
    xml = domainDefFormat(
        def, id,
        (flags & VMM_DOMAIN_XML_SECURE) ? DOMAIN_DEF_FORMAT_SECURE : 0);
    domainObjEndAPI(&obj);
    return xml;
}

char *testDomainGetOSType(vmmDomainPtr dom)
{
    domainObj *obj;
    char *type;

    if (!(obj = testDomainObjFromHandle(dom)))
        return NULL;
    type = g_strdup(obj->def->os.type ? obj->def->os.type : "hvm");
    domainObjEndAPI(&obj);
    return type;
}

/* The title or description field of @def that @type names. */
static char **testMetadataField(domainDef *def, int type)
{
    return type == VMM_DOMAIN_METADATA_TITLE ? &def->title : &def->description;
}

static int testCheckMetadataType(int type, const char *metadata)
{
    if (type == VMM_DOMAIN_METADATA_ELEMENT) {
        errorReport(TEST_ERR, VMM_ERR_ARGUMENT_UNSUPPORTED,
                    "metadata elements are not supported by the test driver");
        return -1;
    }
    if (type != VMM_DOMAIN_METADATA_TITLE &&
        type != VMM_DOMAIN_METADATA_DESCRIPTION) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG, "unknown metadata type '%d'",
                    type);
        return -1;
    }
    if (type == VMM_DOMAIN_METADATA_TITLE && metadata &&
        strchr(metadata, '\n')) {
        errorReport(TEST_ERR, VMM_ERR_INVALID_ARG,
                    "Domain title can't contain newlines");
        return -1;
    }
    return 0;
}

static void testSetMetadataField(domainDef *def, int type, const char *metadata)
{
    char **field;

    if (!def)
        return;
    field = testMetadataField(def, type);
    g_free(*field);
    *field = (metadata && *metadata) ? g_strdup(metadata) : NULL;
}

int testDomainSetMetadata(vmmDomainPtr dom, int type, const char *metadata,
                          const char *key, const char *uri, unsigned int flags)
{
    domainObj *obj;
    domainDef *live;
    domainDef *config;

    if (testCheckFlags(flags,
                       VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG) < 0 ||
        testCheckMetadataType(type, metadata) < 0)
        return -1;
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (domainObjGetDefs(obj, flags, true, &live, &config) < 0) {
        domainObjEndAPI(&obj);
        return -1;
    }
    testSetMetadataField(live, type, metadata);
    testSetMetadataField(config, type, metadata);
    domainObjEndAPI(&obj);
    return 0;
}

char *testDomainGetMetadata(vmmDomainPtr dom, int type, const char *uri,
                            unsigned int flags)
{
    domainObj *obj;
    domainDef *def;
    char *value = NULL;

    if (testCheckFlags(flags,
                       VMM_DOMAIN_AFFECT_LIVE | VMM_DOMAIN_AFFECT_CONFIG) < 0 ||
        testCheckMetadataType(type, NULL) < 0)
        return NULL;
    if (!(obj = testDomainObjFromHandle(dom)))
        return NULL;
    if ((def = domainObjGetOneDef(obj, flags))) {
        value = g_strdup(*testMetadataField(def, type));
        if (!value)
            errorReport(TEST_ERR, VMM_ERR_NO_DOMAIN_METADATA,
                        "Requested metadata element is not present");
    }
    domainObjEndAPI(&obj);
    return value;
}

int testDomainGetAutostart(vmmDomainPtr dom, int *autostart)
{
    domainObj *obj;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    *autostart = obj->autostart;
    domainObjEndAPI(&obj);
    return 0;
}

int testDomainSetAutostart(vmmDomainPtr dom, int autostart)
{
    domainObj *obj;
    int ret = -1;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    if (!obj->persistent) {
        errorReport(TEST_ERR, VMM_ERR_OPERATION_INVALID,
                    "cannot set autostart for transient domain");
    } else {
        obj->autostart = autostart != 0;
        ret = 0;
    }
    domainObjEndAPI(&obj);
    return ret;
}

/* Reads one boolean property of the guest behind @dom. */
static int testDomainAsk(vmmDomainPtr dom, domainObjProperty what)
{
    domainObj *obj;
    int ret;

    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    ret = domainObjHas(obj, what) ? 1 : 0;
    domainObjEndAPI(&obj);
    return ret;
}

int testDomainIsActive(vmmDomainPtr dom)
{
    return testDomainAsk(dom, DOMAIN_OBJ_ACTIVE);
}

int testDomainIsPersistent(vmmDomainPtr dom)
{
    return testDomainAsk(dom, DOMAIN_OBJ_PERSISTENT);
}

int testDomainIsUpdated(vmmDomainPtr dom)
{
    return testDomainAsk(dom, DOMAIN_OBJ_UPDATED);
}

int testDomainSnapshotNum(vmmDomainPtr dom, unsigned int flags)
{
    domainObj *obj;

    /* Every listing filter of snapshots gives the same answer: there are
     * none, so the flags need no checking beyond the API layer's. */
    if (!(obj = testDomainObjFromHandle(dom)))
        return -1;
    domainObjEndAPI(&obj);
    return 0;
}
