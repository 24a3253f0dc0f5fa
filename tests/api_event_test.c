/*
 * api_event_test.c: what runs from the event loop: public timers, close
 * callbacks of connections, and domain lifecycle events queued by a driver
 * (domain_event.c), through the "apitest" driver.
 */
#include <config.h>

#include <string.h>

#include "api_fixture.h"

typedef struct {
    int calls;
    int lastEvent;
    int lastDetail;
    int lastReason;
    char *lastName;
    int freed;
    vmmConnectPtr conn;
    int deregisterID; /* deregistered from inside the callback, when >= 0 */
} eventLog;

static void logFree(void *opaque)
{
    eventLog *log = opaque;

    log->freed++;
}

static void logLifecycle(vmmConnectPtr conn, vmmDomainPtr dom, int event,
                         int detail, void *opaque)
{
    eventLog *log = opaque;

    log->calls++;
    log->lastEvent = event;
    log->lastDetail = detail;
    g_free(log->lastName);
    log->lastName = g_strdup(vmmDomainGetName(dom));
    g_assert_true(vmmDomainGetConnect(dom) == conn);
    if (log->deregisterID >= 0)
        g_assert_cmpint(
            vmmConnectDomainEventDeregisterAny(conn, log->deregisterID), ==, 0);
}

static void logClose(vmmConnectPtr conn, int reason, void *opaque)
{
    eventLog *log = opaque;

    log->calls++;
    log->lastReason = reason;
    g_assert_true(conn == log->conn);
}

static void logTimer(int timer, void *opaque)
{
    eventLog *log = opaque;

    if (++log->calls == 3)
        g_assert_cmpint(vmmEventRemoveTimeout(timer), ==, 0);
}

/* Runs the loop until nothing is left to dispatch at once. */
static void drainLoop(void)
{
    while (g_main_context_iteration(NULL, FALSE))
        ;
}

static vmmConnectPtr openFixture(void)
{
    vmmConnectPtr conn = vmmConnectOpen("apitest:///default");

    g_assert_nonnull(conn);
    return conn;
}

static int registerLog(vmmConnectPtr conn, vmmDomainPtr dom, eventLog *log)
{
    return vmmConnectDomainEventRegisterAny(
        conn, dom, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
        VMM_DOMAIN_EVENT_CALLBACK(logLifecycle), log, logFree);
}

static void testNeedsLoop(void)
{
    vmmConnectPtr conn = openFixture();
    eventLog log = {.deregisterID = -1};

    g_assert_cmpint(registerLog(conn, NULL, &log), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    vmmConnectClose(conn);
    g_assert_cmpint(vmmEventRegisterDefaultImpl(), ==, 0);
}

static void testPublicTimer(void)
{
    eventLog log = {0};
    int id = vmmEventAddTimeout(-1, logTimer, &log, logFree);

    g_assert_cmpint(id, >=, 1);
    drainLoop();
    g_assert_cmpint(log.calls, ==, 0);
    vmmEventUpdateTimeout(id, 0);
    while (log.calls < 3)
        vmmEventRunDefaultImpl();
    g_assert_cmpint(log.freed, ==, 1);
    g_assert_cmpint(vmmEventRemoveTimeout(id), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmEventAddTimeout(0, NULL, NULL, NULL), ==, -1);
}

static void testLifecycle(void)
{
    vmmConnectPtr conn = openFixture();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    eventLog all = {.deregisterID = -1}, one = {.deregisterID = -1};
    int allID = registerLog(conn, NULL, &all);
    int oneID = registerLog(conn, dom, &one);

    g_assert_cmpint(allID, >=, 0);
    g_assert_cmpint(oneID, >=, 0);
    g_assert_cmpint(allID, !=, oneID);

    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    /* Never from inside the call that caused the event. */
    g_assert_cmpint(all.calls, ==, 0);
    drainLoop();
    g_assert_cmpint(all.calls, ==, 2);
    g_assert_cmpint(one.calls, ==, 2);
    g_assert_cmpint(all.lastEvent, ==, VMM_DOMAIN_EVENT_SUSPENDED);
    g_assert_cmpint(all.lastDetail, ==, VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
    g_assert_cmpstr(all.lastName, ==, FIXTURE_DOM);

    /* Events for another domain pass the filtered callback by. */
    domainEventStateQueueLifecycle(fixtureEvents(), "other",
                                   (const unsigned char *)"0123456789abcdef",
                                   -1, VMM_DOMAIN_EVENT_DEFINED, 0);
    drainLoop();
    g_assert_cmpint(all.calls, ==, 3);
    g_assert_cmpint(one.calls, ==, 2);
    g_assert_cmpstr(all.lastName, ==, "other");

    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, oneID), ==, 0);
    g_assert_cmpint(one.freed, ==, 1);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, oneID), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_INVALID_ARG);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, allID), ==, 0);

    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    drainLoop();
    g_assert_cmpint(all.calls, ==, 3);
    g_free(all.lastName);
    g_free(one.lastName);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void logReboot(vmmConnectPtr conn, vmmDomainPtr dom, void *opaque)
{
    eventLog *log = opaque;

    log->calls++;
    g_free(log->lastName);
    log->lastName = g_strdup(vmmDomainGetName(dom));
    g_assert_true(vmmDomainGetConnect(dom) == conn);
}

/* Each callback sees the events of its own id only, with its own
 * signature; an event of an id nobody registered for is dropped. */
static void testPerID(void)
{
    vmmConnectPtr conn = openFixture();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    eventLog life = {.deregisterID = -1}, reboot = {.deregisterID = -1};
    unsigned char uuid[VMM_UUID_BUFLEN];
    int lifeID = registerLog(conn, NULL, &life);
    int rebootID;

    g_assert_cmpint(vmmDomainGetUUID(dom, uuid), ==, 0);
    domainEventStateQueueReboot(fixtureEvents(), FIXTURE_DOM, uuid, 1);
    drainLoop();
    g_assert_cmpint(life.calls, ==, 0);

    rebootID = vmmConnectDomainEventRegisterAny(
        conn, dom, VMM_DOMAIN_EVENT_ID_REBOOT,
        VMM_DOMAIN_EVENT_CALLBACK(logReboot), &reboot, logFree);
    g_assert_cmpint(rebootID, >=, 0);
    domainEventStateQueueReboot(fixtureEvents(), FIXTURE_DOM, uuid, 1);
    domainEventStateQueueReboot(fixtureEvents(), "other",
                                (const unsigned char *)"0123456789abcdef", 2);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    drainLoop();
    g_assert_cmpint(reboot.calls, ==, 1);
    g_assert_cmpstr(reboot.lastName, ==, FIXTURE_DOM);
    g_assert_cmpint(life.calls, ==, 1);
    g_assert_cmpint(life.lastEvent, ==, VMM_DOMAIN_EVENT_SUSPENDED);

    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, rebootID), ==, 0);
    g_assert_cmpint(reboot.freed, ==, 1);
    domainEventStateQueueReboot(fixtureEvents(), FIXTURE_DOM, uuid, 1);
    drainLoop();
    g_assert_cmpint(reboot.calls, ==, 1);
    g_assert_cmpint(vmmConnectDomainEventDeregisterAny(conn, lifeID), ==, 0);
    g_free(life.lastName);
    g_free(reboot.lastName);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testDeregisterInsideCallback(void)
{
    vmmConnectPtr conn = openFixture();
    vmmDomainPtr dom = vmmDomainLookupByName(conn, FIXTURE_DOM);
    eventLog log = {0};

    log.deregisterID = registerLog(conn, NULL, &log);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    drainLoop();
    /* The second event found the callback gone; it is freed once. */
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmpint(log.freed, ==, 1);
    g_free(log.lastName);
    vmmDomainFree(dom);
    vmmConnectClose(conn);
}

static void testCloseDropsCallbacks(void)
{
    vmmConnectPtr conn = openFixture();
    vmmConnectPtr other = openFixture();
    vmmDomainPtr dom = vmmDomainLookupByName(other, FIXTURE_DOM);
    eventLog log = {.deregisterID = -1};

    g_assert_cmpint(registerLog(conn, NULL, &log), >=, 0);
    g_assert_cmpint(vmmDomainSuspend(dom), ==, 0);
    /* The event is queued for conn, which goes away before delivery. */
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
    g_assert_cmpint(log.freed, ==, 1);
    drainLoop();
    g_assert_cmpint(log.calls, ==, 0);
    vmmDomainFree(dom);
    vmmConnectClose(other);
}

static void testCloseCallback(void)
{
    vmmConnectPtr conn = openFixture();
    eventLog log = {.conn = conn};

    g_assert_cmpint(
        vmmConnectRegisterCloseCallback(conn, logClose, &log, logFree), ==, 0);
    g_assert_cmpint(
        vmmConnectRegisterCloseCallback(conn, logClose, &log, logFree), ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpint(vmmConnectUnregisterCloseCallback(
                        conn, (vmmConnectCloseFunc)(void (*)(void))logFree),
                    ==, -1);
    g_assert_cmpint(vmmGetLastErrorCode(), ==, VMM_ERR_OPERATION_INVALID);

    connectNotifyClosed(conn, VMM_CONNECT_CLOSE_REASON_EOF);
    g_assert_cmpint(log.calls, ==, 0);
    drainLoop();
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmpint(log.lastReason, ==, VMM_CONNECT_CLOSE_REASON_EOF);
    g_assert_cmpint(log.freed, ==, 1);
    /* Once only. */
    connectNotifyClosed(conn, VMM_CONNECT_CLOSE_REASON_EOF);
    drainLoop();
    g_assert_cmpint(log.calls, ==, 1);
    vmmConnectClose(conn);
}

static void testCloseCallbackNotOnClose(void)
{
    vmmConnectPtr conn = openFixture();
    eventLog log = {.conn = conn};

    g_assert_cmpint(
        vmmConnectRegisterCloseCallback(conn, logClose, &log, logFree), ==, 0);
    g_assert_cmpint(vmmConnectUnregisterCloseCallback(conn, logClose), ==, 0);
    g_assert_cmpint(log.freed, ==, 1);
    g_assert_cmpint(
        vmmConnectRegisterCloseCallback(conn, logClose, &log, logFree), ==, 0);
    g_assert_cmpint(vmmConnectClose(conn), ==, 0);
    drainLoop();
    g_assert_cmpint(log.calls, ==, 0);
    g_assert_cmpint(log.freed, ==, 2);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/api/event/needs-loop", testNeedsLoop);
    g_test_add_func("/api/event/public-timer", testPublicTimer);
    g_test_add_func("/api/event/lifecycle", testLifecycle);
    g_test_add_func("/api/event/per-id", testPerID);
    g_test_add_func("/api/event/deregister-inside",
                    testDeregisterInsideCallback);
    g_test_add_func("/api/event/close-drops-callbacks",
                    testCloseDropsCallbacks);
    g_test_add_func("/api/event/close-callback", testCloseCallback);
    g_test_add_func("/api/event/close-callback-not-on-close",
                    testCloseCallbackNotOnClose);
    ret = g_test_run();
    vmmResetLastError();
    fixtureCleanup();
    drainLoop();
    return ret;
}
