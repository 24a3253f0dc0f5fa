/*
 * domain_event.h: per-driver bookkeeping of domain event callbacks and the
 * queue that delivers events to them.
 *
 * A driver keeps one domainEventState for all its connections. Events are
 * queued from any thread and delivered later, in order, from the default
 * event loop (vmmEventRunDefaultImpl, or vmmd's main loop), never from
 * inside the call that caused them, so callbacks may call the API freely.
 */
#pragma once

#include <vmm/vmm.h>

typedef struct _domainEventState domainEventState;

domainEventState *domainEventStateNew(void);
void domainEventStateFree(domainEventState *state);

/* Adds a callback; @dom NULL means every domain. Returns the callback id
 * (>= 0), or -1 with VMM_ERR_INVALID_ARG for an @eventID this file cannot
 * deliver, or VMM_ERR_OPERATION_INVALID when no event loop is
 * registered. */
int domainEventStateRegister(domainEventState *state, vmmConnectPtr conn,
                             vmmDomainPtr dom, int eventID,
                             vmmConnectDomainEventGenericCallback cb,
                             void *opaque, vmmFreeCallback freecb);

/* Removes a callback that @conn registered; VMM_ERR_INVALID_ARG when
 * there is none with that id. */
int domainEventStateDeregister(domainEventState *state, vmmConnectPtr conn,
                               int callbackID);

/* Drops every callback of @conn (when it closes). Callbacks do not hold
 * their connection, so a driver must call this from its connectClose. */
void domainEventStateDeregisterConn(domainEventState *state,
                                    vmmConnectPtr conn);

/* Queue an event of one id for every matching callback; one function per
 * id, taking what that id's callbacks are given besides the domain. An
 * event nobody registered for is dropped at once. */
void domainEventStateQueueLifecycle(domainEventState *state,
                                    const char *name,
                                    const unsigned char *uuid, int id,
                                    int event, int detail);
void domainEventStateQueueReboot(domainEventState *state, const char *name,
                                 const unsigned char *uuid, int id);
