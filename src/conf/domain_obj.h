/*
 * domain_obj.h: the run-time object of one guest (its definitions, state,
 * id, flags) and the thread-safe list a driver keeps them in, keyed by name
 * and UUID. Shared by every hypervisor driver; it knows nothing about
 * connections or handles (that is src/api's business).
 *
 * Locking: the list has one lock, each object its own. The order is always
 * list, then object; code holding an object lock never takes the list lock
 * (domainObjListRemove drops and retakes the object lock to respect this).
 * Finders return the object referenced and locked; release it with
 * domainObjEndAPI().
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include <vmm/vmm.h>

#include "domain_conf.h"

/* Longest domain name accepted into a list, in bytes. Drivers turn names
 * into file names, so anything longer is a client mistake or an attack. */
#define DOMAIN_OBJ_NAME_MAX 1024

typedef struct _domainObj domainObj;
struct _domainObj {
    GMutex lock;
    gint refs; /* atomic */

    /* Immutable for the life of the object, readable without its lock. */
    char *name;
    unsigned char uuid[VMM_UUID_BUFLEN];

    /* Everything below is guarded by @lock. */
    domainDef *def; /* the live definition when running, else the stored one */
    domainDef *newDef; /* stored definition changed while running, or NULL */
    int state;         /* vmmDomainState */
    int reason;        /* reason enum of @state */
    int id;            /* -1 when inactive */
    bool persistent;
    bool autostart;
    bool hasManagedSave;
    bool updated;            /* the stored definition changed while running */
    bool removed;            /* taken out of its list; finders skip it */
    unsigned int nsnapshots; /* kept by drivers that have snapshots */

    void *privateData; /* the driver's */
    GDestroyNotify privateDataFree;
};

/* A new unlisted object owning @def: shut off, inactive, one reference,
 * unlocked. */
domainObj *domainObjNew(domainDef *def);
domainObj *domainObjRef(domainObj *obj);
void domainObjUnref(domainObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainObj, domainObjUnref)
void domainObjLock(domainObj *obj);
void domainObjUnlock(domainObj *obj);
/* Unlocks and unreferences *@obj (when not NULL) and clears it. */
void domainObjEndAPI(domainObj **obj);

bool domainObjIsActive(const domainObj *obj);

/* The yes/no properties every driver reports the same way
 * (vmmDomainIsActive, IsPersistent, IsUpdated). */
typedef enum {
    DOMAIN_OBJ_ACTIVE,
    DOMAIN_OBJ_PERSISTENT,
    DOMAIN_OBJ_UPDATED,
} domainObjProperty;

bool domainObjHas(const domainObj *obj, domainObjProperty what);
void domainObjSetState(domainObj *obj, int state, int reason);
/* The definition that survives a stop: newDef when present, else def. */
domainDef *domainObjGetPersistentDef(domainObj *obj);
/* A running guest stops: newDef (if any) becomes def, id becomes -1,
 * updated is cleared. */
void domainObjStopped(domainObj *obj, int reason);
/* Error VMM_ERR_OPERATION_INVALID "domain is not running" unless active. */
int domainObjCheckActive(const domainObj *obj);

/* Which definitions a change with vmmDomainModificationImpact @flags
 * touches: CURRENT means LIVE when running, else CONFIG. LIVE on an
 * inactive guest, or CONFIG on a transient one, is VMM_ERR_OPERATION_INVALID.
 * *ret_live / *ret_config are set (NULL when not affected). With @modify,
 * the stored definition of a running persistent guest is first split off
 * into newDef, so that changing one leaves the other alone, and a change
 * of the stored one marks the guest updated. */
int domainObjGetDefs(domainObj *obj, unsigned int flags, bool modify,
                     domainDef **ret_live, domainDef **ret_config);
/* For reads: exactly one definition; LIVE together with CONFIG is
 * VMM_ERR_INVALID_ARG. */
domainDef *domainObjGetOneDef(domainObj *obj, unsigned int flags);

typedef struct _domainObjList domainObjList;

domainObjList *domainObjListNew(void);
void domainObjListFree(domainObjList *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domainObjList, domainObjListFree)

typedef enum {
    /* The object is about to start: refuse an existing active one, and
     * put the definition in def (not newDef) of an existing object. */
    DOMAIN_OBJ_LIST_ADD_LIVE = 1 << 0,
    /* Refuse when an object with the UUID exists and is active. */
    DOMAIN_OBJ_LIST_ADD_CHECK_LIVE = 1 << 1,
} domainObjListAddFlags;

/* Adds *@def, taking it (*@def becomes NULL on success). When an object
 * with the same name and UUID exists, its definition is replaced (or its
 * newDef, marking it updated, when it runs and ADD_LIVE is not given) and
 * the replaced one goes
 * to *@ret_oldDef (may be NULL to just free it). A name with another UUID,
 * or a UUID under another name, is refused with VMM_ERR_OPERATION_FAILED
 * and nothing changes. Returns the object referenced and locked. */
domainObj *domainObjListAdd(domainObjList *list, domainDef **def,
                            unsigned int flags, domainDef **ret_oldDef);

/* Takes @obj (locked by the caller, and left locked) out of @list. */
void domainObjListRemove(domainObjList *list, domainObj *obj);

/* Referenced and locked object, or NULL with VMM_ERR_NO_DOMAIN
 * ("no domain with matching name 'x'" etc.). */
domainObj *domainObjListFindByName(domainObjList *list, const char *name);
domainObj *domainObjListFindByUUID(domainObjList *list,
                                   const unsigned char *uuid);
domainObj *domainObjListFindByID(domainObjList *list, int id);

/* The next free run-time id (1, 2, ...). */
int domainObjListNewID(domainObjList *list);

/* Referenced (unlocked) objects matching @flags
 * (VMM_CONNECT_LIST_DOMAINS_*), sorted by name. Free with
 * g_ptr_array_unref. Fails only on unknown flags. */
int domainObjListCollect(domainObjList *list, unsigned int flags,
                         GPtrArray **ret_objs);

/* Number of active or inactive objects. */
int domainObjListCount(domainObjList *list, bool active);

/* Ids of up to @maxids active objects; names of up to @maxnames inactive
 * ones (caller frees each). Return how many were written. */
int domainObjListGetActiveIDs(domainObjList *list, int *ids, int maxids);
int domainObjListGetInactiveNames(domainObjList *list, char **const names,
                                  int maxnames);
