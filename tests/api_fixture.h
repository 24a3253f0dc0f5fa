/*
 * api_fixture.h: a small real driver for the "apitest" scheme, linked into
 * the API tests that exercise the entry points without the test driver.
 * It knows one domain, "dom1" (id 1), and fills some slots on purpose
 * and leaves others empty, so every path of the API skeleton can be hit.
 */
#pragma once

#include "datatypes.h"
#include "domain_event.h"

#define FIXTURE_DOM "dom1"
#define FIXTURE_UUID "c7a5fdbd-edaf-9455-926a-d65c16db1809"

/* Events of every "apitest" connection go through this state. */
domainEventState *fixtureEvents(void);
/* Frees what the fixture holds (at the end of main, for valgrind). */
void fixtureCleanup(void);
