/*
 * vsh_names_test.c: the words vsh prints for states, reasons and
 * lifecycle events, which must be virsh's for scripts that parse them.
 */
#include <config.h>

#include <glib.h>

#include "vsh_names.h"

static void testStates(void)
{
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_NOSTATE), ==, "no state");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_RUNNING), ==, "running");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_BLOCKED), ==, "idle");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_PAUSED), ==, "paused");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_SHUTDOWN), ==,
                    "in shutdown");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_SHUTOFF), ==, "shut off");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_CRASHED), ==, "crashed");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_PMSUSPENDED), ==,
                    "pmsuspended");
    g_assert_cmpstr(vshDomainStateToString(VMM_DOMAIN_LAST), ==, "no state");
    g_assert_cmpstr(vshDomainStateToString(-1), ==, "no state");
}

static void testReasons(void)
{
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_RUNNING,
                                                 VMM_DOMAIN_RUNNING_BOOTED),
                    ==, "booted");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_RUNNING,
                                                 VMM_DOMAIN_RUNNING_POSTCOPY),
                    ==, "post-copy");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_PAUSED,
                                                 VMM_DOMAIN_PAUSED_IOERROR),
                    ==, "I/O error");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_PAUSED,
                                                 VMM_DOMAIN_PAUSED_STARTING_UP),
                    ==, "starting up");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_SHUTOFF,
                                                 VMM_DOMAIN_SHUTOFF_DESTROYED),
                    ==, "destroyed");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_SHUTOFF,
                                                 VMM_DOMAIN_SHUTOFF_DAEMON),
                    ==, "daemon");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_CRASHED,
                                                 VMM_DOMAIN_CRASHED_PANICKED),
                    ==, "panicked");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_SHUTDOWN,
                                                 VMM_DOMAIN_SHUTDOWN_USER),
                    ==, "user");
    /* numbers from a newer daemon must not crash an older shell */
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_RUNNING, 99), ==,
                    "unknown");
    g_assert_cmpstr(vshDomainStateReasonToString(VMM_DOMAIN_BLOCKED, 0), ==,
                    "unknown");
    g_assert_cmpstr(vshDomainStateReasonToString(42, 0), ==, "unknown");
}

static void testEvents(void)
{
    g_assert_cmpstr(vshDomainEventToString(VMM_DOMAIN_EVENT_DEFINED), ==,
                    "Defined");
    g_assert_cmpstr(vshDomainEventToString(VMM_DOMAIN_EVENT_STOPPED), ==,
                    "Stopped");
    g_assert_cmpstr(vshDomainEventToString(VMM_DOMAIN_EVENT_PMSUSPENDED), ==,
                    "PMSuspended");
    g_assert_cmpstr(vshDomainEventToString(VMM_DOMAIN_EVENT_LAST), ==,
                    "unknown");
    g_assert_cmpstr(vshDomainEventDetailToString(
                        VMM_DOMAIN_EVENT_STOPPED,
                        VMM_DOMAIN_EVENT_STOPPED_DESTROYED),
                    ==, "Destroyed");
    g_assert_cmpstr(vshDomainEventDetailToString(
                        VMM_DOMAIN_EVENT_STARTED, VMM_DOMAIN_EVENT_STARTED_BOOTED),
                    ==, "Booted");
    g_assert_cmpstr(vshDomainEventDetailToString(
                        VMM_DOMAIN_EVENT_SUSPENDED,
                        VMM_DOMAIN_EVENT_SUSPENDED_IOERROR),
                    ==, "I/O Error");
    g_assert_cmpstr(vshDomainEventDetailToString(
                        VMM_DOMAIN_EVENT_SHUTDOWN,
                        VMM_DOMAIN_EVENT_SHUTDOWN_GUEST),
                    ==, "Finished after guest request");
    g_assert_cmpstr(vshDomainEventDetailToString(
                        VMM_DOMAIN_EVENT_UNDEFINED,
                        VMM_DOMAIN_EVENT_UNDEFINED_REMOVED),
                    ==, "Removed");
    g_assert_cmpstr(vshDomainEventDetailToString(VMM_DOMAIN_EVENT_DEFINED, 9),
                    ==, "unknown");
    g_assert_cmpstr(vshDomainEventDetailToString(-3, 0), ==, "unknown");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vsh/names/states", testStates);
    g_test_add_func("/vsh/names/reasons", testReasons);
    g_test_add_func("/vsh/names/events", testEvents);
    return g_test_run();
}
