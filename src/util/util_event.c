/*
 * util_event.c: timers and fd watches as custom GSources on glib's default
 * main context, found again by int id in one table.
 *
 * A timer is a source whose ready time is moved by hand (-1 never, 0 now,
 * now + N ms); a watch is a source with one unix fd. The table holds one
 * reference on each source; removing drops it and destroys the source, and
 * glib keeps the source alive until a running dispatch returns, so the free
 * function never runs under a callback.
 */
#include <config.h>

#include <glib-unix.h>

#include "util_event.h"

typedef enum {
    EVENT_KIND_TIMER,
    EVENT_KIND_WATCH,
} eventKind;

typedef struct {
    GSource base;
    eventKind kind;
    int id;
    int frequency;  /* timers; read by dispatch, written under eventLock */
    int fd;         /* watches */
    gpointer fdTag; /* watches; NULL while events are 0 */
    eventTimerFunc timerCb;
    eventWatchFunc watchCb;
    void *opaque;
    eventFreeFunc ff;
} eventSource;

static GMutex eventLock;
static GHashTable *eventSources; /* id -> eventSource (a reference) */
static int eventNextId = 1;
static gint eventRegistered;

void eventRegisterDefault(void)
{
    g_atomic_int_set(&eventRegistered, 1);
}

bool eventIsRegistered(void)
{
    return g_atomic_int_get(&eventRegistered) != 0;
}

static gint64 eventReadyTime(int frequency)
{
    if (frequency < 0)
        return -1;
    if (frequency == 0)
        return 0;
    return g_get_monotonic_time() + (gint64)frequency * 1000;
}

static int eventFromGlib(GIOCondition cond)
{
    return (cond & G_IO_IN ? EVENT_READABLE : 0) |
           (cond & G_IO_OUT ? EVENT_WRITABLE : 0) |
           (cond & G_IO_ERR ? EVENT_ERROR : 0) |
           (cond & G_IO_HUP ? EVENT_HANGUP : 0);
}

static GIOCondition eventToGlib(int events)
{
    return (events & EVENT_READABLE ? G_IO_IN : 0) |
           (events & EVENT_WRITABLE ? G_IO_OUT : 0) |
           (events ? G_IO_ERR | G_IO_HUP : 0);
}

static gboolean eventSourceDispatch(GSource *source, GSourceFunc unused,
                                    gpointer unused2)
{
    eventSource *es = (eventSource *)source;

    if (es->kind == EVENT_KIND_TIMER) {
        int frequency;

        g_mutex_lock(&eventLock);
        frequency = es->frequency;
        /* Re-arm before the call, so an update inside it wins. */
        if (frequency > 0)
            g_source_set_ready_time(source, eventReadyTime(frequency));
        g_mutex_unlock(&eventLock);
        es->timerCb(es->id, es->opaque);
    } else {
        GIOCondition cond = 0;

        g_mutex_lock(&eventLock);
        if (es->fdTag)
            cond = g_source_query_unix_fd(source, es->fdTag);
        g_mutex_unlock(&eventLock);
        if (cond)
            es->watchCb(es->id, es->fd, eventFromGlib(cond), es->opaque);
    }
    return G_SOURCE_CONTINUE;
}

static void eventSourceFinalize(GSource *source)
{
    eventSource *es = (eventSource *)source;

    if (es->ff)
        es->ff(es->opaque);
}

static GSourceFuncs eventSourceFuncs = {
    .dispatch = eventSourceDispatch,
    .finalize = eventSourceFinalize,
};

/* Adds @es to the table and attaches it; returns its id. */
static int eventSourceAttach(eventSource *es)
{
    int id;

    g_mutex_lock(&eventLock);
    if (!eventSources)
        eventSources = g_hash_table_new_full(NULL, NULL, NULL,
                                             (GDestroyNotify)g_source_unref);
    id = eventNextId++;
    es->id = id;
    g_hash_table_insert(eventSources, GINT_TO_POINTER(id), es);
    /* Attaching under the lock keeps an update from seeing a source that
     * has no context yet. */
    g_source_attach(&es->base, NULL);
    g_mutex_unlock(&eventLock);
    return id;
}

/* The source @id of @kind, or NULL; call with eventLock held. */
static eventSource *eventSourceLookup(int id, eventKind kind)
{
    eventSource *es;

    if (!eventSources)
        return NULL;
    es = g_hash_table_lookup(eventSources, GINT_TO_POINTER(id));
    return es && es->kind == kind ? es : NULL;
}

static int eventSourceRemove(int id, eventKind kind)
{
    eventSource *es;

    g_mutex_lock(&eventLock);
    es = eventSourceLookup(id, kind);
    if (es)
        g_hash_table_steal(eventSources, GINT_TO_POINTER(id));
    g_mutex_unlock(&eventLock);
    if (!es)
        return -1;
    /* Outside the lock: finalizing may run the free function. */
    g_source_destroy(&es->base);
    g_source_unref(&es->base);
    return 0;
}

static eventSource *eventSourceNew(eventKind kind, void *opaque,
                                   eventFreeFunc ff)
{
    eventSource *es =
        (eventSource *)g_source_new(&eventSourceFuncs, sizeof(eventSource));

    g_source_set_name(&es->base,
                      kind == EVENT_KIND_TIMER ? "vmm timer" : "vmm watch");
    es->kind = kind;
    es->opaque = opaque;
    es->ff = ff;
    return es;
}

int eventAddTimer(int frequency, eventTimerFunc cb, void *opaque,
                  eventFreeFunc ff)
{
    eventSource *es = eventSourceNew(EVENT_KIND_TIMER, opaque, ff);

    es->frequency = frequency;
    es->timerCb = cb;
    g_source_set_ready_time(&es->base, eventReadyTime(frequency));
    return eventSourceAttach(es);
}

void eventUpdateTimer(int timer, int frequency)
{
    eventSource *es;

    g_mutex_lock(&eventLock);
    es = eventSourceLookup(timer, EVENT_KIND_TIMER);
    if (es) {
        es->frequency = frequency;
        g_source_set_ready_time(&es->base, eventReadyTime(frequency));
    }
    g_mutex_unlock(&eventLock);
}

int eventRemoveTimer(int timer)
{
    return eventSourceRemove(timer, EVENT_KIND_TIMER);
}

/* Call with eventLock held (or before the source is attached). */
static void eventWatchSetEvents(eventSource *es, int events)
{
    GIOCondition cond = eventToGlib(events);

    if (es->fdTag && cond) {
        g_source_modify_unix_fd(&es->base, es->fdTag, cond);
    } else if (es->fdTag) {
        g_source_remove_unix_fd(&es->base, es->fdTag);
        es->fdTag = NULL;
    } else if (cond) {
        es->fdTag = g_source_add_unix_fd(&es->base, es->fd, cond);
    }
}

int eventAddWatch(int fd, int events, eventWatchFunc cb, void *opaque,
                  eventFreeFunc ff)
{
    eventSource *es = eventSourceNew(EVENT_KIND_WATCH, opaque, ff);

    es->fd = fd;
    es->watchCb = cb;
    eventWatchSetEvents(es, events);
    return eventSourceAttach(es);
}

void eventUpdateWatch(int watch, int events)
{
    eventSource *es;

    g_mutex_lock(&eventLock);
    es = eventSourceLookup(watch, EVENT_KIND_WATCH);
    if (es)
        eventWatchSetEvents(es, events);
    g_mutex_unlock(&eventLock);
}

int eventRemoveWatch(int watch)
{
    return eventSourceRemove(watch, EVENT_KIND_WATCH);
}

int eventRunOnce(void)
{
    g_main_context_iteration(NULL, TRUE);
    return 0;
}

void eventWakeup(void)
{
    g_main_context_wakeup(NULL);
}
