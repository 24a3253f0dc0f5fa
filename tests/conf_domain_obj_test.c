/*
 * conf_domain_obj_test.c: the guest object list: adding, updating,
 * refusing duplicates, finding, removing, filtering and locking under
 * threads.
 */
#include <config.h>

#include <string.h>

#include <glib.h>

#include "domain_obj.h"
#include "util_error.h"
#include "util_uuid.h"

#define UUID_A "11111111-2222-3333-4444-555555555555"
#define UUID_B "66666666-7777-8888-9999-aaaaaaaaaaaa"

static domainDef *makeDef(const char *name, const char *uuid)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='test'><name>%s</name><uuid>%s</uuid>"
        "<memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
        "</domain>",
        name, uuid);
    domainDef *def = domainDefParseString(xml, 0);

    if (!def)
        g_error("parse failed: %s", errorGetLast()->message);
    return def;
}

/* Adds a new persistent object, held by the list only. */
static void addNew(domainObjList *list, const char *name, const char *uuid)
{
    g_autoptr(domainDef) def = makeDef(name, uuid);
    domainDef *old = (domainDef *)0x1;
    domainObj *obj = domainObjListAdd(list, &def, 0, &old);

    g_assert_nonnull(obj);
    g_assert_null(def);
    g_assert_null(old);
    obj->persistent = true;
    domainObjEndAPI(&obj);
}

static void assertError(int code, const char *message)
{
    const vmmError *err = errorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpstr(err->message, ==, message);
    errorReset();
}

static void testAddFind(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    unsigned char uuid[VMM_UUID_BUFLEN];
    domainObj *obj;

    addNew(list, "a", UUID_A);
    obj = domainObjListFindByName(list, "a");
    g_assert_nonnull(obj);
    g_assert_cmpstr(obj->def->name, ==, "a");
    g_assert_cmpint(obj->id, ==, -1);
    g_assert_cmpint(obj->state, ==, VMM_DOMAIN_SHUTOFF);
    domainObjEndAPI(&obj);
    g_assert_null(obj);

    g_assert_cmpint(uuidParse(UUID_A, uuid), ==, 0);
    obj = domainObjListFindByUUID(list, uuid);
    g_assert_nonnull(obj);
    obj->id = domainObjListNewID(list);
    g_assert_cmpint(obj->id, ==, 1);
    domainObjEndAPI(&obj);

    obj = domainObjListFindByID(list, 1);
    g_assert_nonnull(obj);
    g_assert_cmpstr(obj->name, ==, "a");
    domainObjEndAPI(&obj);
    g_assert_cmpint(domainObjListNewID(list), ==, 2);

    g_assert_null(domainObjListFindByName(list, "b"));
    assertError(VMM_ERR_NO_DOMAIN,
                "Domain not found: no domain with matching name 'b'");
    g_assert_cmpint(uuidParse(UUID_B, uuid), ==, 0);
    g_assert_null(domainObjListFindByUUID(list, uuid));
    assertError(VMM_ERR_NO_DOMAIN, "Domain not found: no domain with "
                                   "matching uuid '" UUID_B "'");
    g_assert_null(domainObjListFindByID(list, 7));
    assertError(VMM_ERR_NO_DOMAIN,
                "Domain not found: no domain with matching id 7");
}

static void testHas(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    domainObj *obj;

    addNew(list, "a", UUID_A);
    obj = domainObjListFindByName(list, "a");
    g_assert_false(domainObjHas(obj, DOMAIN_OBJ_ACTIVE));
    g_assert_true(domainObjHas(obj, DOMAIN_OBJ_PERSISTENT));
    g_assert_false(domainObjHas(obj, DOMAIN_OBJ_UPDATED));
    obj->id = domainObjListNewID(list);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    obj->persistent = false;
    obj->updated = true;
    g_assert_true(domainObjHas(obj, DOMAIN_OBJ_ACTIVE));
    g_assert_false(domainObjHas(obj, DOMAIN_OBJ_PERSISTENT));
    g_assert_true(domainObjHas(obj, DOMAIN_OBJ_UPDATED));
    domainObjEndAPI(&obj);
}

static void testDuplicates(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    g_autoptr(domainDef) sameName = makeDef("a", UUID_B);
    g_autoptr(domainDef) sameUUID = makeDef("b", UUID_A);
    domainObj *obj;

    addNew(list, "a", UUID_A);
    g_assert_null(domainObjListAdd(list, &sameName, 0, NULL));
    assertError(
        VMM_ERR_OPERATION_FAILED,
        "operation failed: domain 'a' already exists with uuid " UUID_A);
    g_assert_nonnull(sameName);

    g_assert_null(domainObjListAdd(list, &sameUUID, 0, NULL));
    assertError(
        VMM_ERR_OPERATION_FAILED,
        "operation failed: domain 'a' is already defined with uuid " UUID_A);
    g_assert_nonnull(sameUUID);

    /* Nothing changed. */
    g_assert_cmpint(domainObjListCount(list, false), ==, 1);
    g_assert_null(domainObjListFindByName(list, "b"));
    errorReset();
    obj = domainObjListFindByName(list, "a");
    g_assert_nonnull(obj);
    g_assert_cmpstr(obj->def->name, ==, "a");
    domainObjEndAPI(&obj);
}

static void testUpdate(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    g_autoptr(domainDef) def = makeDef("a", UUID_A);
    g_autoptr(domainDef) def2 = makeDef("a", UUID_A);
    g_autoptr(domainDef) def3 = makeDef("a", UUID_A);
    domainDef *old = NULL;
    domainObj *obj;

    addNew(list, "a", UUID_A);
    /* Inactive: the definition is replaced. */
    obj = domainObjListAdd(list, &def, 0, &old);
    g_assert_nonnull(obj);
    g_assert_nonnull(old);
    g_clear_pointer(&old, domainDefFree);
    g_assert_null(obj->newDef);

    /* Running: the new one waits in newDef until the guest stops. */
    obj->id = domainObjListNewID(list);
    domainObjSetState(obj, VMM_DOMAIN_RUNNING, VMM_DOMAIN_RUNNING_BOOTED);
    domainObjEndAPI(&obj);
    obj = domainObjListAdd(list, &def2, 0, &old);
    g_assert_nonnull(obj);
    g_assert_nonnull(old); /* a copy of the live one, which was stored */
    g_clear_pointer(&old, domainDefFree);
    g_assert_nonnull(obj->newDef);
    g_assert_true(obj->updated);
    g_assert_true(domainObjGetPersistentDef(obj) == obj->newDef);
    domainObjEndAPI(&obj);

    /* Starting it again is refused while it runs. */
    g_assert_null(domainObjListAdd(
        list, &def3, DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE,
        NULL));
    assertError(VMM_ERR_OPERATION_INVALID,
                "Requested operation is not "
                "valid: domain 'a' is already active");

    obj = domainObjListFindByName(list, "a");
    domainObjStopped(obj, VMM_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_null(obj->newDef);
    g_assert_false(obj->updated);
    g_assert_cmpint(obj->id, ==, -1);
    g_assert_cmpint(obj->reason, ==, VMM_DOMAIN_SHUTOFF_DESTROYED);
    domainObjEndAPI(&obj);
}

static void testRemove(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    domainObj *obj;

    addNew(list, "a", UUID_A);
    addNew(list, "b", UUID_B);
    obj = domainObjListFindByName(list, "a");
    domainObjListRemove(list, obj);
    g_assert_true(obj->removed);
    domainObjEndAPI(&obj);
    g_assert_null(domainObjListFindByName(list, "a"));
    errorReset();
    g_assert_cmpint(domainObjListCount(list, false), ==, 1);

    /* The name and UUID are free again. */
    addNew(list, "a", UUID_A);
    g_assert_cmpint(domainObjListCount(list, false), ==, 2);
}

static void testNameLimit(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    g_autoptr(domainDef) def = makeDef("x", UUID_A);

    g_free(def->name);
    def->name = g_strnfill(DOMAIN_OBJ_NAME_MAX + 1, 'n');
    g_assert_null(domainObjListAdd(list, &def, 0, NULL));
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();
    g_assert_cmpint(domainObjListCount(list, false), ==, 0);
}

/* Names of the objects @flags selects, comma-separated. */
static char *collectNames(domainObjList *list, unsigned int flags)
{
    g_autoptr(GPtrArray) objs = NULL;
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_cmpint(domainObjListCollect(list, flags, &objs), ==, 0);
    for (guint i = 0; i < objs->len; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        g_string_append_printf(out, "%s%s", i ? "," : "", obj->name);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void setObj(domainObjList *list, const char *name, int state,
                   bool persistent, bool autostart, bool managedSave)
{
    domainObj *obj = domainObjListFindByName(list, name);

    domainObjSetState(obj, state, 0);
    if (state != VMM_DOMAIN_SHUTOFF)
        obj->id = domainObjListNewID(list);
    obj->persistent = persistent;
    obj->autostart = autostart;
    obj->hasManagedSave = managedSave;
    domainObjEndAPI(&obj);
}

#define CHECK_COLLECT(flags, expect)                                           \
    do {                                                                       \
        g_autofree char *got = collectNames(list, flags);                      \
        g_assert_cmpstr(got, ==, expect);                                      \
    } while (0)

static void testCollect(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    g_autoptr(GPtrArray) objs = NULL;
    int ids[8];
    char *names[8];

    addNew(list, "run", "00000000-0000-0000-0000-000000000001");
    addNew(list, "pause", "00000000-0000-0000-0000-000000000002");
    addNew(list, "off", "00000000-0000-0000-0000-000000000003");
    addNew(list, "crash", "00000000-0000-0000-0000-000000000004");
    setObj(list, "run", VMM_DOMAIN_RUNNING, false, false, false);
    setObj(list, "pause", VMM_DOMAIN_PAUSED, true, true, false);
    setObj(list, "off", VMM_DOMAIN_SHUTOFF, true, false, true);
    setObj(list, "crash", VMM_DOMAIN_CRASHED, true, false, false);

    CHECK_COLLECT(0, "crash,off,pause,run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_ACTIVE, "crash,pause,run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_INACTIVE, "off");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_ACTIVE |
                      VMM_CONNECT_LIST_DOMAINS_INACTIVE,
                  "crash,off,pause,run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_TRANSIENT, "run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_PERSISTENT, "crash,off,pause");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_RUNNING, "run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_PAUSED |
                      VMM_CONNECT_LIST_DOMAINS_SHUTOFF,
                  "off,pause");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_OTHER, "crash");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_AUTOSTART, "pause");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "crash,off,run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "off");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, "crash,pause,run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, "crash,off,pause,run");
    CHECK_COLLECT(VMM_CONNECT_LIST_DOMAINS_ACTIVE |
                      VMM_CONNECT_LIST_DOMAINS_PERSISTENT,
                  "crash,pause");

    g_assert_cmpint(domainObjListCollect(list, 1u << 20, &objs), ==, -1);
    g_assert_null(objs);
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();

    g_assert_cmpint(domainObjListCount(list, true), ==, 3);
    g_assert_cmpint(domainObjListCount(list, false), ==, 1);
    g_assert_cmpint(domainObjListGetActiveIDs(list, ids, 2), ==, 2);
    g_assert_cmpint(domainObjListGetActiveIDs(list, ids, 8), ==, 3);
    g_assert_cmpint(domainObjListGetInactiveNames(list, names, 8), ==, 1);
    g_assert_cmpstr(names[0], ==, "off");
    g_free(names[0]);
}

static void testGetDefs(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    domainDef *live;
    domainDef *config;
    domainObj *obj;

    addNew(list, "a", UUID_A);
    obj = domainObjListFindByName(list, "a");
    g_assert_cmpint(
        domainObjGetDefs(obj, VMM_DOMAIN_AFFECT_LIVE, true, &live, &config), ==,
        -1);
    assertError(VMM_ERR_OPERATION_INVALID,
                "Requested operation is not valid: domain is not running");
    g_assert_cmpint(domainObjGetDefs(obj, 0, true, &live, &config), ==, 0);
    g_assert_null(live);
    g_assert_true(config == obj->def);

    obj->id = 1;
    g_assert_cmpint(domainObjGetDefs(obj, 0, false, &live, &config), ==, 0);
    g_assert_true(live == obj->def);
    g_assert_null(config);
    g_assert_cmpint(
        domainObjGetDefs(obj, VMM_DOMAIN_AFFECT_CONFIG, false, &live, &config),
        ==, 0);
    g_assert_null(obj->newDef);
    g_assert_true(config == obj->def);
    /* Changing the live definition splits the stored one off, unchanged. */
    g_assert_cmpint(domainObjGetDefs(obj, 0, true, &live, &config), ==, 0);
    g_assert_nonnull(obj->newDef);
    g_assert_true(live == obj->def);
    g_assert_false(obj->updated);
    g_assert_cmpint(
        domainObjGetDefs(obj, VMM_DOMAIN_AFFECT_CONFIG, true, &live, &config),
        ==, 0);
    g_assert_true(config == obj->newDef);
    g_assert_true(obj->updated);
    g_assert_null(domainObjGetOneDef(obj, VMM_DOMAIN_AFFECT_LIVE |
                                              VMM_DOMAIN_AFFECT_CONFIG));
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_INVALID_ARG);
    errorReset();

    obj->persistent = false;
    g_assert_null(domainObjGetOneDef(obj, VMM_DOMAIN_AFFECT_CONFIG));
    assertError(VMM_ERR_OPERATION_INVALID,
                "Requested operation is not valid: transient domains do not "
                "have any persistent config");
    domainObjEndAPI(&obj);
}

#define THREADS 8
#define ROUNDS 200

static gpointer threadWork(gpointer data)
{
    domainObjList *list = data;
    for (int i = 0; i < ROUNDS; i++) {
        unsigned char uuid[VMM_UUID_BUFLEN];
        char uuidstr[VMM_UUID_STRING_BUFLEN];
        g_autofree char *name = g_strdup_printf("t%p-%d", g_thread_self(), i);
        g_autoptr(domainDef) def = NULL;
        g_autoptr(GPtrArray) objs = NULL;
        domainObj *obj;

        uuidGenerate(uuid);
        uuidFormat(uuid, uuidstr);
        def = makeDef(name, uuidstr);
        obj = domainObjListAdd(list, &def, 0, NULL);
        g_assert_nonnull(obj);
        obj->id = domainObjListNewID(list);
        domainObjEndAPI(&obj);

        g_assert_cmpint(domainObjListCollect(list, 0, &objs), ==, 0);
        obj = domainObjListFindByName(list, "shared");
        g_assert_nonnull(obj);
        obj->autostart = !obj->autostart;
        domainObjEndAPI(&obj);

        obj = domainObjListFindByUUID(list, uuid);
        g_assert_nonnull(obj);
        domainObjListRemove(list, obj);
        domainObjEndAPI(&obj);
    }
    return NULL;
}

static void testThreads(void)
{
    g_autoptr(domainObjList) list = domainObjListNew();
    GThread *threads[THREADS];

    addNew(list, "shared", UUID_A);
    for (int i = 0; i < THREADS; i++)
        threads[i] = g_thread_new("worker", threadWork, list);
    for (int i = 0; i < THREADS; i++)
        g_thread_join(threads[i]);
    g_assert_cmpint(domainObjListCount(list, false), ==, 1);
    g_assert_cmpint(domainObjListNewID(list), ==, THREADS * ROUNDS + 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/domain-obj/add-find", testAddFind);
    g_test_add_func("/conf/domain-obj/has", testHas);
    g_test_add_func("/conf/domain-obj/duplicates", testDuplicates);
    g_test_add_func("/conf/domain-obj/update", testUpdate);
    g_test_add_func("/conf/domain-obj/remove", testRemove);
    g_test_add_func("/conf/domain-obj/name-limit", testNameLimit);
    g_test_add_func("/conf/domain-obj/collect", testCollect);
    g_test_add_func("/conf/domain-obj/get-defs", testGetDefs);
    g_test_add_func("/conf/domain-obj/threads", testThreads);
    return g_test_run();
}
