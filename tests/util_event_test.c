/*
 * util_event_test.c: timers and fd watches of the event loop facade, their
 * ids, frequencies, free functions, and use from other threads.
 */
#include <config.h>

#include <fcntl.h>
#include <unistd.h>

#include <glib.h>

#include "util_event.h"

typedef struct {
    int fired;
    int lastId;
    int lastEvents;
    int freed;
    int removeAfter; /* removes itself on this firing, 0 never */
} counter;

static void countTimer(int timer, void *opaque)
{
    counter *c = opaque;
    int fired = g_atomic_int_add(&c->fired, 1) + 1;

    c->lastId = timer;
    if (c->removeAfter && fired == c->removeAfter)
        g_assert_cmpint(eventRemoveTimer(timer), ==, 0);
}

static void countFree(void *opaque)
{
    counter *c = opaque;

    /* Atomic: a free may run in the loop thread or in the remover's. */
    g_atomic_int_inc(&c->freed);
}

/* Iterates until @c fired @n times; the loop must not block forever. */
static void runUntil(counter *c, int n)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (c->fired < n) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        eventRunOnce();
    }
}

static void testRegistered(void)
{
    g_assert_false(eventIsRegistered());
    eventRegisterDefault();
    g_assert_true(eventIsRegistered());
}

static void testTimerEveryIteration(void)
{
    counter c = {.removeAfter = 3};
    int id = eventAddTimer(0, countTimer, &c, countFree);

    g_assert_cmpint(id, >=, 1);
    runUntil(&c, 3);
    g_assert_cmpint(c.lastId, ==, id);
    g_assert_cmpint(c.freed, ==, 1);
    /* Gone: a second removal fails, an update is ignored. */
    g_assert_cmpint(eventRemoveTimer(id), ==, -1);
    eventUpdateTimer(id, 0);
}

static void testTimerPeriod(void)
{
    counter c = {.removeAfter = 2};
    gint64 start = g_get_monotonic_time();

    eventAddTimer(30, countTimer, &c, NULL);
    runUntil(&c, 2);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 60 * 1000);
}

static void testTimerDisabled(void)
{
    counter c = {0};
    counter other = {.removeAfter = 5};
    int id = eventAddTimer(-1, countTimer, &c, countFree);

    eventAddTimer(0, countTimer, &other, NULL);
    runUntil(&other, 5);
    g_assert_cmpint(c.fired, ==, 0);

    c.removeAfter = 1;
    eventUpdateTimer(id, 0);
    runUntil(&c, 1);
    g_assert_cmpint(c.freed, ==, 1);
}

static void testIdsAreKinds(void)
{
    counter c = {0};
    int id = eventAddTimer(-1, countTimer, &c, countFree);

    g_assert_cmpint(eventRemoveWatch(id), ==, -1);
    g_assert_cmpint(eventRemoveTimer(id), ==, 0);
    g_assert_cmpint(c.freed, ==, 1);
    g_assert_cmpint(eventRemoveTimer(123456), ==, -1);
}

static void countWatch(int watch, int fd, int events, void *opaque)
{
    counter *c = opaque;
    char buf[16];

    c->fired++;
    c->lastId = watch;
    c->lastEvents = events;
    if (events & EVENT_READABLE)
        g_assert_cmpint(read(fd, buf, sizeof(buf)), >, 0);
}

static void testWatch(void)
{
    int fds[2];
    counter c = {0};
    int id;

    g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
    id = eventAddWatch(fds[0], EVENT_READABLE, countWatch, &c, countFree);
    g_assert_cmpint(write(fds[1], "x", 1), ==, 1);
    runUntil(&c, 1);
    g_assert_cmpint(c.lastId, ==, id);
    g_assert_true(c.lastEvents & EVENT_READABLE);

    /* Disabled: data waits; enabled again: it is seen. */
    eventUpdateWatch(id, 0);
    g_assert_cmpint(write(fds[1], "y", 1), ==, 1);
    g_main_context_iteration(NULL, FALSE);
    g_assert_cmpint(c.fired, ==, 1);
    eventUpdateWatch(id, EVENT_READABLE);
    runUntil(&c, 2);

    close(fds[1]);
    runUntil(&c, 3);
    g_assert_true(c.lastEvents & EVENT_HANGUP);
    g_assert_cmpint(eventRemoveWatch(id), ==, 0);
    g_assert_cmpint(c.freed, ==, 1);
    close(fds[0]);
}

static gpointer enableLater(gpointer data)
{
    g_usleep(20 * 1000);
    eventUpdateTimer(GPOINTER_TO_INT(data), 0);
    return NULL;
}

static void testUpdateFromThreadWakes(void)
{
    counter c = {.removeAfter = 1};
    int id = eventAddTimer(-1, countTimer, &c, NULL);
    GThread *t = g_thread_new("enabler", enableLater, GINT_TO_POINTER(id));

    /* Blocks in poll until the other thread arms the timer. */
    runUntil(&c, 1);
    g_thread_join(t);
}

static gpointer addRemoveMany(gpointer data)
{
    counter *c = data;

    for (int i = 0; i < 200; i++) {
        int id = eventAddTimer(i % 2 ? 0 : -1, countTimer, c, countFree);

        if (i % 3)
            eventUpdateTimer(id, 1);
        g_assert_cmpint(eventRemoveTimer(id), ==, 0);
    }
    return NULL;
}

static void testThreads(void)
{
    counter cs[4] = {{0}};
    GThread *threads[4];
    bool done = false;

    for (int i = 0; i < 4; i++)
        threads[i] = g_thread_new("event", addRemoveMany, &cs[i]);
    while (!done) {
        done = true;
        g_main_context_iteration(NULL, FALSE);
        for (int i = 0; i < 4; i++)
            done = done && g_atomic_int_get(&cs[i].freed) == 200;
    }
    for (int i = 0; i < 4; i++)
        g_thread_join(threads[i]);
}

static void testWakeup(void)
{
    /* A wakeup with nothing else pending ends the blocking iteration. */
    eventWakeup();
    g_assert_cmpint(eventRunOnce(), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/util/event/registered", testRegistered);
    g_test_add_func("/util/event/timer-every-iteration",
                    testTimerEveryIteration);
    g_test_add_func("/util/event/timer-period", testTimerPeriod);
    g_test_add_func("/util/event/timer-disabled", testTimerDisabled);
    g_test_add_func("/util/event/id-kinds", testIdsAreKinds);
    g_test_add_func("/util/event/watch", testWatch);
    g_test_add_func("/util/event/update-from-thread",
                    testUpdateFromThreadWakes);
    g_test_add_func("/util/event/threads", testThreads);
    g_test_add_func("/util/event/wakeup", testWakeup);
    return g_test_run();
}
