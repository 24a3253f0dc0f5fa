/*
 * util_event.h: the process's event loop as a handful of calls: timers and
 * file descriptor watches named by int ids, one loop iteration, a wakeup.
 *
 * It is a thin facade over glib's default GMainContext, so vmmd's main loop
 * and vmmEventRunDefaultImpl() drive the same sources, and nothing above
 * src/util touches glib's loop directly. Every call is thread safe; the
 * callbacks run in the thread that iterates the loop.
 */
#pragma once

#include <stdbool.h>

/* Conditions of a watch; the values are libvirt's VIR_EVENT_HANDLE_*. */
typedef enum {
    EVENT_READABLE = 1 << 0,
    EVENT_WRITABLE = 1 << 1,
    EVENT_ERROR = 1 << 2,
    EVENT_HANGUP = 1 << 3,
} eventCondition;

typedef void (*eventTimerFunc)(int timer, void *opaque);
typedef void (*eventWatchFunc)(int watch, int fd, int events, void *opaque);
/* Releases @opaque. It runs once the timer or watch is removed and no
 * longer dispatching, possibly inside the eventRemove* call itself, so it
 * must not take a lock the remover may hold. */
typedef void (*eventFreeFunc)(void *opaque);

/* Marks the default loop as in use (vmmEventRegisterDefaultImpl, vmmd).
 * Code that needs someone to iterate the loop checks eventIsRegistered. */
void eventRegisterDefault(void);
bool eventIsRegistered(void);

/* @frequency in ms: -1 disabled, 0 on every iteration, N every N ms.
 * Returns the timer id (>= 1). Never fails. */
int eventAddTimer(int frequency, eventTimerFunc cb, void *opaque,
                  eventFreeFunc ff);
/* Changes the frequency; the period restarts now. Unknown ids are
 * ignored, as libvirt does. */
void eventUpdateTimer(int timer, int frequency);
/* Returns 0, or -1 when @timer is not a timer that exists (no error
 * raised: the caller decides whether that is a failure). */
int eventRemoveTimer(int timer);

/* Watches @fd for @events (eventCondition); errors and hangups are always
 * reported. Returns the watch id (>= 1). Never fails. */
int eventAddWatch(int fd, int events, eventWatchFunc cb, void *opaque,
                  eventFreeFunc ff);
void eventUpdateWatch(int watch, int events);
int eventRemoveWatch(int watch);

/* One iteration of the default loop: waits until something is ready, then
 * dispatches it. Returns 0. */
int eventRunOnce(void);
/* Makes a thread blocked in eventRunOnce return. */
void eventWakeup(void);
