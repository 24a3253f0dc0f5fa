/*
 * domain_obj.c: guest objects and the list that indexes them by name and
 * UUID. Drivers build their state on it; the rules about which operation is
 * allowed in which state live in the drivers, not here.
 */
#include <config.h>

#include <string.h>

#include "domain_obj.h"
#include "util_error.h"
#include "util_uuid.h"

#define DOMAIN_OBJ_ERR VMM_FROM_DOMAIN

struct _domainObjList {
    GMutex lock;
    GHashTable *byName; /* obj->name -> obj, holds a reference */
    GHashTable *byUUID; /* obj->uuid -> obj, holds a reference */
    gint nextID;        /* atomic */
};

domainObj *domainObjNew(domainDef *def)
{
    domainObj *obj = g_new0(domainObj, 1);

    g_mutex_init(&obj->lock);
    obj->refs = 1;
    obj->name = g_strdup(def->name);
    memcpy(obj->uuid, def->uuid, VMM_UUID_BUFLEN);
    obj->def = def;
    obj->state = VMM_DOMAIN_SHUTOFF;
    obj->reason = VMM_DOMAIN_SHUTOFF_UNKNOWN;
    obj->id = -1;
    return obj;
}

domainObj *domainObjRef(domainObj *obj)
{
    g_atomic_int_inc(&obj->refs);
    return obj;
}

void domainObjUnref(domainObj *obj)
{
    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    if (obj->privateDataFree)
        obj->privateDataFree(obj->privateData);
    domainDefFree(obj->def);
    domainDefFree(obj->newDef);
    g_free(obj->name);
    g_mutex_clear(&obj->lock);
    g_free(obj);
}

void domainObjLock(domainObj *obj)
{
    g_mutex_lock(&obj->lock);
}

void domainObjUnlock(domainObj *obj)
{
    g_mutex_unlock(&obj->lock);
}

void domainObjEndAPI(domainObj **obj)
{
    if (!*obj)
        return;
    domainObjUnlock(*obj);
    domainObjUnref(g_steal_pointer(obj));
}

bool domainObjIsActive(const domainObj *obj)
{
    return obj->id >= 0;
}

bool domainObjHas(const domainObj *obj, domainObjProperty what)
{
    switch (what) {
    case DOMAIN_OBJ_ACTIVE:
        return domainObjIsActive(obj);
    case DOMAIN_OBJ_PERSISTENT:
        return obj->persistent;
    case DOMAIN_OBJ_UPDATED:
        return obj->updated;
    }
    return false;
}

void domainObjSetState(domainObj *obj, int state, int reason)
{
    obj->state = state;
    obj->reason = reason;
}

domainDef *domainObjGetPersistentDef(domainObj *obj)
{
    return obj->newDef ? obj->newDef : obj->def;
}

void domainObjStopped(domainObj *obj, int reason)
{
    if (obj->newDef) {
        domainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    obj->id = -1;
    obj->updated = false;
    domainObjSetState(obj, VMM_DOMAIN_SHUTOFF, reason);
}

int domainObjCheckActive(const domainObj *obj)
{
    if (!domainObjIsActive(obj)) {
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_OPERATION_INVALID,
                    "domain is not running");
        return -1;
    }
    return 0;
}

int domainObjGetDefs(domainObj *obj, unsigned int flags, bool modify,
                     domainDef **ret_live, domainDef **ret_config)
{
    bool live = flags & VMM_DOMAIN_AFFECT_LIVE;
    bool config = flags & VMM_DOMAIN_AFFECT_CONFIG;

    if (!live && !config) {
        live = domainObjIsActive(obj);
        config = !live;
    }
    if (live && domainObjCheckActive(obj) < 0)
        return -1;
    if (config && !obj->persistent) {
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_OPERATION_INVALID,
                    "transient domains do not have any persistent config");
        return -1;
    }
    if (modify && domainObjIsActive(obj) && obj->persistent) {
        if (!obj->newDef)
            obj->newDef = domainDefCopy(obj->def);
        if (config)
            obj->updated = true;
    }
    *ret_live = live ? obj->def : NULL;
    *ret_config = config ? domainObjGetPersistentDef(obj) : NULL;
    return 0;
}

domainDef *domainObjGetOneDef(domainObj *obj, unsigned int flags)
{
    domainDef *live;
    domainDef *config;

    if ((flags & VMM_DOMAIN_AFFECT_LIVE) &&
        (flags & VMM_DOMAIN_AFFECT_CONFIG)) {
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_INVALID_ARG,
                    "flags 'affect live' and 'affect config' are mutually "
                    "exclusive");
        return NULL;
    }
    if (domainObjGetDefs(obj, flags, false, &live, &config) < 0)
        return NULL;
    return live ? live : config;
}

static guint uuidHash(gconstpointer key)
{
    const unsigned char *uuid = key;
    guint h = 0;

    for (size_t i = 0; i < VMM_UUID_BUFLEN; i++)
        h = h * 31 + uuid[i];
    return h;
}

static gboolean uuidEqual(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, VMM_UUID_BUFLEN) == 0;
}

static void objUnrefNotify(gpointer data)
{
    domainObjUnref(data);
}

domainObjList *domainObjListNew(void)
{
    domainObjList *list = g_new0(domainObjList, 1);

    g_mutex_init(&list->lock);
    list->byName =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, objUnrefNotify);
    list->byUUID =
        g_hash_table_new_full(uuidHash, uuidEqual, NULL, objUnrefNotify);
    list->nextID = 1;
    return list;
}

void domainObjListFree(domainObjList *list)
{
    if (!list)
        return;
    g_hash_table_destroy(list->byName);
    g_hash_table_destroy(list->byUUID);
    g_mutex_clear(&list->lock);
    g_free(list);
}

int domainObjListNewID(domainObjList *list)
{
    return g_atomic_int_add(&list->nextID, 1);
}

/* Replaces the definition of the existing @obj (locked) by @def. */
static void domainObjReplaceDef(domainObj *obj, domainDef *def,
                                unsigned int flags, domainDef **ret_oldDef)
{
    domainDef *old;

    if (domainObjIsActive(obj) && !(flags & DOMAIN_OBJ_LIST_ADD_LIVE)) {
        /* Without newDef, the stored definition of a persistent guest is
         * its live one: hand out a copy, so callers see an update. */
        old = obj->newDef;
        if (!old && obj->persistent)
            old = domainDefCopy(obj->def);
        obj->newDef = def;
        obj->updated = true;
    } else if ((flags & DOMAIN_OBJ_LIST_ADD_LIVE) && obj->persistent &&
               !obj->newDef) {
        /* Starting a stored guest with other XML: the stored definition
         * comes back when it stops. */
        old = NULL;
        obj->newDef = obj->def;
        obj->def = def;
    } else {
        old = obj->def;
        obj->def = def;
    }
    if (ret_oldDef)
        *ret_oldDef = old;
    else
        domainDefFree(old);
}

/* Checks @def against the objects already listed; list lock held. Returns
 * the object to update (referenced, locked), NULL with *ret_ok true when
 * @def is new, or NULL with an error. */
static domainObj *domainObjListCheckAdd(domainObjList *list,
                                        const domainDef *def,
                                        unsigned int flags, bool *ret_ok)
{
    char uuidstr[VMM_UUID_STRING_BUFLEN];
    domainObj *obj;

    *ret_ok = false;
    if ((obj = g_hash_table_lookup(list->byUUID, def->uuid))) {
        uuidFormat(obj->uuid, uuidstr);
        if (strcmp(obj->name, def->name) != 0) {
            errorReport(DOMAIN_OBJ_ERR, VMM_ERR_OPERATION_FAILED,
                        "domain '%s' is already defined with uuid %s",
                        obj->name, uuidstr);
            return NULL;
        }
        domainObjLock(obj);
        if ((flags &
             (DOMAIN_OBJ_LIST_ADD_LIVE | DOMAIN_OBJ_LIST_ADD_CHECK_LIVE)) &&
            domainObjIsActive(obj)) {
            domainObjUnlock(obj);
            errorReport(DOMAIN_OBJ_ERR, VMM_ERR_OPERATION_INVALID,
                        "domain '%s' is already active", obj->name);
            return NULL;
        }
        *ret_ok = true;
        return domainObjRef(obj);
    }
    if ((obj = g_hash_table_lookup(list->byName, def->name))) {
        uuidFormat(obj->uuid, uuidstr);
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_OPERATION_FAILED,
                    "domain '%s' already exists with uuid %s", obj->name,
                    uuidstr);
        return NULL;
    }
    *ret_ok = true;
    return NULL;
}

static int domainObjListCheckName(const char *name)
{
    size_t len = name ? strlen(name) : 0;

    if (len == 0) {
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_INVALID_ARG,
                    "domain name is empty");
        return -1;
    }
    if (len > DOMAIN_OBJ_NAME_MAX) {
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_INVALID_ARG,
                    "domain name is too long (%zu bytes, at most %d)", len,
                    DOMAIN_OBJ_NAME_MAX);
        return -1;
    }
    return 0;
}

domainObj *domainObjListAdd(domainObjList *list, domainDef **def,
                            unsigned int flags, domainDef **ret_oldDef)
{
    domainObj *obj;
    bool ok;

    if (domainObjListCheckName((*def)->name) < 0)
        return NULL;

    g_mutex_lock(&list->lock);
    obj = domainObjListCheckAdd(list, *def, flags, &ok);
    if (obj) {
        domainObjReplaceDef(obj, g_steal_pointer(def), flags, ret_oldDef);
    } else if (ok) {
        obj = domainObjNew(g_steal_pointer(def));
        domainObjLock(obj);
        g_hash_table_insert(list->byName, obj->name, domainObjRef(obj));
        g_hash_table_insert(list->byUUID, obj->uuid, domainObjRef(obj));
        if (ret_oldDef)
            *ret_oldDef = NULL;
    }
    g_mutex_unlock(&list->lock);
    return obj;
}

void domainObjListRemove(domainObjList *list, domainObj *obj)
{
    /* Respect the lock order: object lock is dropped while the list lock
     * is taken. The caller's reference keeps @obj alive meanwhile. */
    domainObjRef(obj);
    domainObjUnlock(obj);
    g_mutex_lock(&list->lock);
    domainObjLock(obj);
    if (!obj->removed) {
        obj->removed = true;
        g_hash_table_remove(list->byName, obj->name);
        g_hash_table_remove(list->byUUID, obj->uuid);
    }
    g_mutex_unlock(&list->lock);
    domainObjUnref(obj);
}

/* Locks @obj (referenced, unlocked); NULL when it left the list meanwhile. */
static domainObj *domainObjLockListed(domainObj *obj)
{
    if (!obj)
        return NULL;
    domainObjLock(obj);
    if (obj->removed) {
        domainObjEndAPI(&obj);
        return NULL;
    }
    return obj;
}

static domainObj *domainObjListLookup(domainObjList *list, GHashTable *table,
                                      gconstpointer key)
{
    domainObj *obj;

    g_mutex_lock(&list->lock);
    obj = g_hash_table_lookup(table, key);
    if (obj)
        domainObjRef(obj);
    g_mutex_unlock(&list->lock);
    return domainObjLockListed(obj);
}

domainObj *domainObjListFindByName(domainObjList *list, const char *name)
{
    domainObj *obj = domainObjListLookup(list, list->byName, name);

    if (!obj)
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_NO_DOMAIN,
                    "no domain with matching name '%s'", name);
    return obj;
}

domainObj *domainObjListFindByUUID(domainObjList *list,
                                   const unsigned char *uuid)
{
    domainObj *obj = domainObjListLookup(list, list->byUUID, uuid);
    char uuidstr[VMM_UUID_STRING_BUFLEN];

    if (!obj) {
        uuidFormat(uuid, uuidstr);
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_NO_DOMAIN,
                    "no domain with matching uuid '%s'", uuidstr);
    }
    return obj;
}

domainObj *domainObjListFindByID(domainObjList *list, int id)
{
    GHashTableIter iter;
    gpointer value;
    domainObj *found = NULL;

    g_mutex_lock(&list->lock);
    g_hash_table_iter_init(&iter, list->byName);
    while (!found && g_hash_table_iter_next(&iter, NULL, &value)) {
        domainObj *obj = value;

        domainObjLock(obj);
        if (id >= 0 && obj->id == id)
            found = domainObjRef(obj);
        else
            domainObjUnlock(obj);
    }
    g_mutex_unlock(&list->lock);
    if (!found)
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_NO_DOMAIN,
                    "no domain with matching id %d", id);
    return found;
}

/* Whether a pair of opposite filter flags (@yes, @no) in @flags rules out
 * an object for which the property is @has. Only one of a pair filters. */
static bool domainObjPairRejects(unsigned int flags, unsigned int yes,
                                 unsigned int no, bool has)
{
    unsigned int both = yes | no;

    if ((flags & both) == 0 || (flags & both) == both)
        return false;
    return ((flags & yes) != 0) != has;
}

/* Whether @obj (locked) passes the VMM_CONNECT_LIST_DOMAINS_* @flags. */
static bool domainObjMatches(const domainObj *obj, unsigned int flags)
{
    const unsigned int states =
        VMM_CONNECT_LIST_DOMAINS_RUNNING | VMM_CONNECT_LIST_DOMAINS_PAUSED |
        VMM_CONNECT_LIST_DOMAINS_SHUTOFF | VMM_CONNECT_LIST_DOMAINS_OTHER;
    unsigned int mine;

    if (domainObjPairRejects(flags, VMM_CONNECT_LIST_DOMAINS_ACTIVE,
                             VMM_CONNECT_LIST_DOMAINS_INACTIVE,
                             domainObjIsActive(obj)) ||
        domainObjPairRejects(flags, VMM_CONNECT_LIST_DOMAINS_PERSISTENT,
                             VMM_CONNECT_LIST_DOMAINS_TRANSIENT,
                             obj->persistent) ||
        domainObjPairRejects(flags, VMM_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
                             VMM_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
                             obj->hasManagedSave) ||
        domainObjPairRejects(flags, VMM_CONNECT_LIST_DOMAINS_AUTOSTART,
                             VMM_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
                             obj->autostart) ||
        domainObjPairRejects(flags, VMM_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
                             VMM_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
                             obj->nsnapshots > 0))
        return false;

    if (!(flags & states))
        return true;
    switch (obj->state) {
    case VMM_DOMAIN_RUNNING:
        mine = VMM_CONNECT_LIST_DOMAINS_RUNNING;
        break;
    case VMM_DOMAIN_PAUSED:
        mine = VMM_CONNECT_LIST_DOMAINS_PAUSED;
        break;
    case VMM_DOMAIN_SHUTOFF:
        mine = VMM_CONNECT_LIST_DOMAINS_SHUTOFF;
        break;
    default:
        mine = VMM_CONNECT_LIST_DOMAINS_OTHER;
        break;
    }
    return (flags & mine) != 0;
}

static gint domainObjCompareName(gconstpointer a, gconstpointer b)
{
    const domainObj *x = *(domainObj *const *)a;
    const domainObj *y = *(domainObj *const *)b;

    return strcmp(x->name, y->name);
}

/* Every listed object, referenced, sorted by name; list lock held. */
static GPtrArray *domainObjListSnapshot(domainObjList *list)
{
    GPtrArray *all = g_ptr_array_new_with_free_func(objUnrefNotify);
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, list->byName);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(all, domainObjRef(value));
    g_ptr_array_sort(all, domainObjCompareName);
    return all;
}

/* Every VMM_CONNECT_LIST_DOMAINS_* flag, ACTIVE (1 << 0) to NO_SNAPSHOT. */
#define DOMAIN_OBJ_LIST_FLAGS_ALL                                              \
    ((VMM_CONNECT_LIST_DOMAINS_NO_SNAPSHOT << 1) - 1)

int domainObjListCollect(domainObjList *list, unsigned int flags,
                         GPtrArray **ret_objs)
{
    g_autoptr(GPtrArray) all = NULL;
    GPtrArray *out;

    if (flags & ~DOMAIN_OBJ_LIST_FLAGS_ALL) {
        errorReport(DOMAIN_OBJ_ERR, VMM_ERR_INVALID_ARG,
                    "unsupported flags (0x%x)",
                    flags & ~DOMAIN_OBJ_LIST_FLAGS_ALL);
        return -1;
    }
    g_mutex_lock(&list->lock);
    all = domainObjListSnapshot(list);
    g_mutex_unlock(&list->lock);

    out = g_ptr_array_new_with_free_func(objUnrefNotify);
    for (guint i = 0; i < all->len; i++) {
        domainObj *obj = g_ptr_array_index(all, i);
        bool keep;

        domainObjLock(obj);
        keep = !obj->removed && domainObjMatches(obj, flags);
        domainObjUnlock(obj);
        if (keep)
            g_ptr_array_add(out, domainObjRef(obj));
    }
    *ret_objs = out;
    return 0;
}

int domainObjListCount(domainObjList *list, bool active)
{
    g_autoptr(GPtrArray) objs = NULL;

    domainObjListCollect(list,
                         active ? VMM_CONNECT_LIST_DOMAINS_ACTIVE
                                : VMM_CONNECT_LIST_DOMAINS_INACTIVE,
                         &objs);
    return objs->len;
}

int domainObjListGetActiveIDs(domainObjList *list, int *ids, int maxids)
{
    g_autoptr(GPtrArray) objs = NULL;
    int n = 0;

    domainObjListCollect(list, VMM_CONNECT_LIST_DOMAINS_ACTIVE, &objs);
    for (guint i = 0; i < objs->len && n < maxids; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        domainObjLock(obj);
        if (domainObjIsActive(obj))
            ids[n++] = obj->id;
        domainObjUnlock(obj);
    }
    return n;
}

int domainObjListGetInactiveNames(domainObjList *list, char **const names,
                                  int maxnames)
{
    g_autoptr(GPtrArray) objs = NULL;
    int n = 0;

    domainObjListCollect(list, VMM_CONNECT_LIST_DOMAINS_INACTIVE, &objs);
    for (guint i = 0; i < objs->len && n < maxnames; i++) {
        domainObj *obj = g_ptr_array_index(objs, i);

        names[n++] = g_strdup(obj->name);
    }
    return n;
}
