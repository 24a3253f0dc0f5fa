/*
 * domain_event.c: the callbacks a driver's clients registered for domain
 * events, and the queue that hands events to them from the event loop.
 *
 * Drivers queue events from whatever thread changed the domain; a timer of
 * the default loop (util_event.h), armed only while the queue is not empty,
 * delivers them in order. Callbacks run without the state's lock, so they
 * may register, deregister or call any API. A callback does not hold its
 * connection: the driver drops a connection's callbacks when it closes, and
 * delivery skips a connection whose last reference is already gone.
 *
 * Each event id has its own callback signature and payload: a new id takes
 * a member of domainEvent.data, an entry in domainEventCallers (the
 * function calling that signature) and a domainEventStateQueue* function;
 * the rest (filtering, ordering, delivery) is the same for every id.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "domain_event.h"
#include "util_error.h"
#include "util_event.h"

typedef struct {
    int id;
    vmmConnectPtr conn; /* not a reference, see above */
    bool hasDom;
    unsigned char uuid[VMM_UUID_BUFLEN]; /* when hasDom */
    int eventID;
    vmmConnectDomainEventGenericCallback cb;
    void *opaque;
    vmmFreeCallback freecb;
    bool deleted; /* deregistered while a delivery was running */
} domainEventCallback;

/* One queued event: the domain it is about, and what the callbacks of
 * its id take besides (a member of @data per id that has any). */
typedef struct {
    int eventID;
    char *name;
    unsigned char uuid[VMM_UUID_BUFLEN];
    int id;
    union {
        struct {
            int event;
            int detail;
        } lifecycle;
    } data;
} domainEvent;

/* Calls @cb, registered for @ev's id, with @ev's data. */
typedef void (*domainEventCallFunc)(vmmConnectDomainEventGenericCallback cb,
                                    vmmConnectPtr conn, vmmDomainPtr dom,
                                    const domainEvent *ev, void *opaque);

struct _domainEventState {
    gint refs; /* the owner's, plus one held by the timer */
    GMutex lock;
    GPtrArray *callbacks; /* domainEventCallback */
    GQueue queue;         /* domainEvent */
    int nextCallbackID;
    int timer;     /* 0 until the first callback is registered */
    bool flushing; /* a delivery runs: mark callbacks, do not remove them */
};

static void domainEventFree(domainEvent *ev)
{
    g_free(ev->name);
    g_free(ev);
}

static void domainEventCallbackFree(domainEventCallback *cb)
{
    if (cb->freecb)
        cb->freecb(cb->opaque);
    g_free(cb);
}

domainEventState *domainEventStateNew(void)
{
    domainEventState *state = g_new0(domainEventState, 1);

    state->refs = 1;
    g_mutex_init(&state->lock);
    state->callbacks = g_ptr_array_new();
    g_queue_init(&state->queue);
    return state;
}

static void domainEventStateUnref(void *opaque)
{
    domainEventState *state = opaque;

    if (!g_atomic_int_dec_and_test(&state->refs))
        return;
    for (guint i = 0; i < state->callbacks->len; i++)
        domainEventCallbackFree(g_ptr_array_index(state->callbacks, i));
    g_ptr_array_free(state->callbacks, TRUE);
    g_queue_clear_full(&state->queue, (GDestroyNotify)domainEventFree);
    g_mutex_clear(&state->lock);
    g_free(state);
}

void domainEventStateFree(domainEventState *state)
{
    int timer;

    if (!state)
        return;
    g_mutex_lock(&state->lock);
    timer = state->timer;
    state->timer = 0;
    g_mutex_unlock(&state->lock);
    /* A delivery running right now keeps the timer's reference until it
     * returns. */
    if (timer > 0)
        eventRemoveTimer(timer);
    domainEventStateUnref(state);
}

static bool domainEventMatches(const domainEventCallback *cb,
                               const domainEvent *ev)
{
    return !cb->deleted && cb->eventID == ev->eventID &&
           (!cb->hasDom || memcmp(cb->uuid, ev->uuid, VMM_UUID_BUFLEN) == 0);
}

static void domainEventCallLifecycle(vmmConnectDomainEventGenericCallback cb,
                                     vmmConnectPtr conn, vmmDomainPtr dom,
                                     const domainEvent *ev, void *opaque)
{
    ((vmmConnectDomainEventCallback)(void (*)(void))cb)(
        conn, dom, ev->data.lifecycle.event, ev->data.lifecycle.detail, opaque);
}

/* Events that carry nothing but the domain. */
static void domainEventCallGeneric(vmmConnectDomainEventGenericCallback cb,
                                   vmmConnectPtr conn, vmmDomainPtr dom,
                                   const domainEvent *ev, void *opaque)
{
    cb(conn, dom, opaque);
}

/* The ids callbacks may register for: an id without an entry here is
 * refused at registration, so none is ever queued without a caller. */
static const domainEventCallFunc domainEventCallers[] = {
    [VMM_DOMAIN_EVENT_ID_LIFECYCLE] = domainEventCallLifecycle,
    [VMM_DOMAIN_EVENT_ID_REBOOT] = domainEventCallGeneric,
};
G_STATIC_ASSERT(G_N_ELEMENTS(domainEventCallers) <= VMM_DOMAIN_EVENT_ID_LAST);

static bool domainEventIDKnown(int eventID)
{
    return eventID >= 0 && (size_t)eventID < G_N_ELEMENTS(domainEventCallers) &&
           domainEventCallers[eventID];
}

static void domainEventCall(const domainEventCallback *cb,
                            const domainEvent *ev)
{
    g_autoptr(vmmDomain) dom =
        domainHandleNew(cb->conn, ev->name, ev->uuid, ev->id);

    domainEventCallers[ev->eventID](cb->cb, cb->conn, dom, ev, cb->opaque);
}

/* Delivers @ev to every matching callback; called with the lock held and
 * returns with it held, dropping it around each call. */
static void domainEventDispatch(domainEventState *state, const domainEvent *ev)
{
    /* Callbacks registered meanwhile are appended; only the ones present
     * when the event is delivered see it. */
    guint n = state->callbacks->len;

    for (guint i = 0; i < n; i++) {
        domainEventCallback *cb = g_ptr_array_index(state->callbacks, i);
        domainEventCallback copy;

        if (!domainEventMatches(cb, ev) || !connectRefIfAlive(cb->conn))
            continue;
        copy = *cb;
        g_mutex_unlock(&state->lock);
        domainEventCall(&copy, ev);
        connectUnref(copy.conn);
        g_mutex_lock(&state->lock);
    }
}

/* Removes callbacks marked while a delivery ran; lock held. The returned
 * array frees them (and calls their free functions) outside the lock. */
static GPtrArray *domainEventPurge(domainEventState *state)
{
    GPtrArray *gone =
        g_ptr_array_new_with_free_func((GDestroyNotify)domainEventCallbackFree);

    for (guint i = 0; i < state->callbacks->len;) {
        domainEventCallback *cb = g_ptr_array_index(state->callbacks, i);

        if (cb->deleted) {
            g_ptr_array_add(gone, cb);
            g_ptr_array_remove_index(state->callbacks, i);
        } else {
            i++;
        }
    }
    return gone;
}

static void domainEventFlush(int timer, void *opaque)
{
    domainEventState *state = opaque;
    g_autoptr(GPtrArray) gone = NULL;
    domainEvent *ev;

    g_mutex_lock(&state->lock);
    if (state->flushing) {
        /* Another thread iterating the loop got here first. */
        g_mutex_unlock(&state->lock);
        return;
    }
    state->flushing = true;
    eventUpdateTimer(timer, -1);
    while ((ev = g_queue_pop_head(&state->queue))) {
        domainEventDispatch(state, ev);
        domainEventFree(ev);
    }
    state->flushing = false;
    gone = domainEventPurge(state);
    g_mutex_unlock(&state->lock);
}

int domainEventStateRegister(domainEventState *state, vmmConnectPtr conn,
                             vmmDomainPtr dom, int eventID,
                             vmmConnectDomainEventGenericCallback cb,
                             void *opaque, vmmFreeCallback freecb)
{
    domainEventCallback *entry;
    int id;

    if (!domainEventIDKnown(eventID)) {
        errorReport(VMM_FROM_EVENT, VMM_ERR_INVALID_ARG,
                    "unknown domain event id %d", eventID);
        return -1;
    }
    if (!eventIsRegistered()) {
        errorReport(VMM_FROM_EVENT, VMM_ERR_OPERATION_INVALID,
                    "no event loop is registered; call "
                    "vmmEventRegisterDefaultImpl first");
        return -1;
    }

    entry = g_new0(domainEventCallback, 1);
    entry->conn = conn;
    entry->hasDom = dom != NULL;
    if (dom)
        memcpy(entry->uuid, dom->uuid, VMM_UUID_BUFLEN);
    entry->eventID = eventID;
    entry->cb = cb;
    entry->opaque = opaque;
    entry->freecb = freecb;

    g_mutex_lock(&state->lock);
    if (state->timer == 0) {
        g_atomic_int_inc(&state->refs);
        state->timer =
            eventAddTimer(-1, domainEventFlush, state, domainEventStateUnref);
    }
    id = entry->id = state->nextCallbackID++;
    g_ptr_array_add(state->callbacks, entry);
    g_mutex_unlock(&state->lock);
    return id;
}

/* Takes the callbacks that @match selects out of the list (or marks them,
 * while a delivery runs); lock held. Returns how many it found and puts
 * the ones to free now into @gone. */
static int domainEventRemove(domainEventState *state, vmmConnectPtr conn,
                             int callbackID, GPtrArray *gone)
{
    int found = 0;

    for (guint i = 0; i < state->callbacks->len;) {
        domainEventCallback *cb = g_ptr_array_index(state->callbacks, i);

        if (cb->deleted || cb->conn != conn ||
            (callbackID >= 0 && cb->id != callbackID)) {
            i++;
            continue;
        }
        found++;
        if (state->flushing) {
            cb->deleted = true;
            i++;
        } else {
            g_ptr_array_add(gone, cb);
            g_ptr_array_remove_index(state->callbacks, i);
        }
    }
    return found;
}

int domainEventStateDeregister(domainEventState *state, vmmConnectPtr conn,
                               int callbackID)
{
    g_autoptr(GPtrArray) gone =
        g_ptr_array_new_with_free_func((GDestroyNotify)domainEventCallbackFree);
    int found;

    g_mutex_lock(&state->lock);
    found =
        callbackID >= 0 ? domainEventRemove(state, conn, callbackID, gone) : 0;
    g_mutex_unlock(&state->lock);
    if (!found) {
        errorReport(VMM_FROM_EVENT, VMM_ERR_INVALID_ARG,
                    "no domain event callback with id %d", callbackID);
        return -1;
    }
    return 0;
}

void domainEventStateDeregisterConn(domainEventState *state, vmmConnectPtr conn)
{
    g_autoptr(GPtrArray) gone =
        g_ptr_array_new_with_free_func((GDestroyNotify)domainEventCallbackFree);

    g_mutex_lock(&state->lock);
    domainEventRemove(state, conn, -1, gone);
    g_mutex_unlock(&state->lock);
}

/* Whether a callback wants events of @eventID; lock held. */
static bool domainEventWanted(domainEventState *state, int eventID)
{
    /* Nobody can be listening before the first registration. */
    if (state->timer == 0)
        return false;
    for (guint i = 0; i < state->callbacks->len; i++) {
        const domainEventCallback *cb = g_ptr_array_index(state->callbacks, i);

        if (!cb->deleted && cb->eventID == eventID)
            return true;
    }
    return false;
}

static domainEvent *domainEventNew(int eventID, const char *name,
                                   const unsigned char *uuid, int id)
{
    domainEvent *ev = g_new0(domainEvent, 1);

    ev->eventID = eventID;
    ev->name = g_strdup(name);
    memcpy(ev->uuid, uuid, VMM_UUID_BUFLEN);
    ev->id = id;
    return ev;
}

/* Queues @ev (taking it) when anybody listens for its id, else drops it. */
static void domainEventQueue(domainEventState *state, domainEvent *ev)
{
    g_mutex_lock(&state->lock);
    if (!domainEventWanted(state, ev->eventID)) {
        g_mutex_unlock(&state->lock);
        domainEventFree(ev);
        return;
    }
    g_queue_push_tail(&state->queue, ev);
    eventUpdateTimer(state->timer, 0);
    g_mutex_unlock(&state->lock);
}

void domainEventStateQueueLifecycle(domainEventState *state, const char *name,
                                    const unsigned char *uuid, int id,
                                    int event, int detail)
{
    domainEvent *ev =
        domainEventNew(VMM_DOMAIN_EVENT_ID_LIFECYCLE, name, uuid, id);

    ev->data.lifecycle.event = event;
    ev->data.lifecycle.detail = detail;
    domainEventQueue(state, ev);
}

void domainEventStateQueueReboot(domainEventState *state, const char *name,
                                 const unsigned char *uuid, int id)
{
    domainEventQueue(
        state, domainEventNew(VMM_DOMAIN_EVENT_ID_REBOOT, name, uuid, id));
}
