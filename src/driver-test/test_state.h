/*
 * test_state.h: the host a test:/// connection sees: node facts, the
 * guests and the event callbacks. test:///default shares one state among
 * all its connections; test:///PATH.xml builds a private one from a host
 * description file.
 */
#pragma once

#include <glib.h>

#include <vmm/vmm.h>

#include "domain_event.h"
#include "domain_obj.h"

typedef struct {
    gint refs;            /* atomic */
    vmmNodeInfo nodeInfo; /* immutable once built */
    domainObjList *domains;
    domainEventState *events;
} testState;

/* Per-guest data of the test driver (domainObj.privateData). */
typedef struct {
    gint64 runningSince;        /* monotonic µs; valid while running */
    unsigned long long cpuTime; /* ns accumulated before runningSince */
    bool managedSavePaused;     /* the managed save image was paused */
    GHashTable *vcpuPins; /* live vCPU pinning (test_vcpu.c): vCPU index
                             -> GBytes CPU map; NULL when none */
} testDomainPriv;

/* The shared default host; each call takes a reference. */
testState *testStateGetDefault(void);

/* A private host built from the description in @path (absolute). Errors
 * name the file. */
testState *testStateNewFromFile(const char *path);

/* Drops a reference; the default host is forgotten with its last one. */
void testStateUnref(testState *state);

/* The driver's data of @obj, created on first use. */
testDomainPriv *testDomainPrivGet(domainObj *obj);

/* Puts @obj (locked, inactive) in the running state with a new id. */
void testDomainStart(testState *state, domainObj *obj, int reason);

/* CPU time used so far by @obj (locked), in ns. */
unsigned long long testDomainCPUTime(domainObj *obj);

/* Keeps the CPU clock right across pause / resume of @obj (locked). */
void testDomainClockPause(domainObj *obj);
void testDomainClockResume(domainObj *obj);

/* The object behind handle @dom (referenced, locked), or NULL with
 * VMM_ERR_NO_DOMAIN. */
domainObj *testDomainObjFromHandle(vmmDomainPtr dom);

/* A new handle on @obj (locked) for @conn. */
vmmDomainPtr testDomainHandle(vmmConnectPtr conn, domainObj *obj);

/* Queues a lifecycle event about @obj (locked). */
void testStateEmit(testState *state, domainObj *obj, int event, int detail);
