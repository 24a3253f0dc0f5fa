/*
 * vsh_cmd_event.c: `event`, which registers for domain events, runs the
 * library's event loop and prints each event as it arrives, until the
 * first one (or, with --loop, until --timeout or Ctrl-C).
 */
#include <config.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "vsh_cmd_event.h"
#include "vsh_names.h"
#include "vsh.h"
#include "vsh_output.h"

/* Set by SIGINT while the event loop runs. */
static volatile sig_atomic_t vshEventInterrupted;

typedef struct {
    vshControl *ctl;
    gboolean loop;
    gboolean timestamp;
    gboolean done;
    gboolean timedOut;
    unsigned int count;
} vshEventData;

static char *vshEventTimestamp(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *base = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

    return g_strdup_printf("%s.%03d+0000: ", base,
                           g_date_time_get_microsecond(now) / 1000);
}

static void vshEventLifecyclePrint(vmmConnectPtr conn, vmmDomainPtr dom,
                                   int event, int detail, void *opaque)
{
    vshEventData *data = opaque;
    g_autofree char *stamp = data->timestamp ? vshEventTimestamp()
                                             : g_strdup("");

    vshPrint(data->ctl, "%sevent 'lifecycle' for domain '%s': %s %s\n", stamp,
             vmmDomainGetName(dom), vshDomainEventToString(event),
             vshDomainEventDetailToString(event, detail));
    fflush(stdout);
    data->count++;
    if (!data->loop)
        data->done = TRUE;
}

static void vshEventTimeout(int timer, void *opaque)
{
    vshEventData *data = opaque;

    data->timedOut = TRUE;
    data->done = TRUE;
}

/* Wakes the loop now and then so Ctrl-C is noticed promptly. */
static void vshEventPoll(int timer, void *opaque)
{
    vshEventData *data = opaque;

    if (vshEventInterrupted)
        data->done = TRUE;
}

static void vshEventSigint(int sig)
{
    vshEventInterrupted = 1;
}

static gboolean vshEventRun(vshControl *ctl, vshEventData *data, int timeoutMs)
{
    struct sigaction sa = {.sa_handler = vshEventSigint};
    struct sigaction old;
    int poll = -1, timer = -1;
    gboolean ok = TRUE;

    vshEventInterrupted = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    if ((poll = vmmEventAddTimeout(200, vshEventPoll, data, NULL)) < 0 ||
        (timeoutMs > 0 &&
         (timer = vmmEventAddTimeout(timeoutMs, vshEventTimeout, data, NULL)) < 0))
        ok = FALSE;
    while (ok && !data->done) {
        if (vmmEventRunDefaultImpl() < 0)
            ok = FALSE;
    }
    if (timer > 0)
        vmmEventRemoveTimeout(timer);
    if (poll > 0)
        vmmEventRemoveTimeout(poll);
    sigaction(SIGINT, &old, NULL);
    return ok;
}

static gboolean cmdEvent(vshControl *ctl, const vshCmd *cmd)
{
    const char *eventName = vshCmdOptString(cmd, "event");
    vshEventData data = {
        .ctl = ctl,
        .loop = vshCmdOptBool(cmd, "loop"),
        .timestamp = vshCmdOptBool(cmd, "timestamp"),
    };
    g_autoptr(vmmDomain) dom = NULL;
    unsigned int timeout = 0;
    int id;
    gboolean ok;

    if (vshCmdOptBool(cmd, "list")) {
        vshPrint(ctl, "lifecycle\n");
        return TRUE;
    }
    if (!eventName && !vshCmdOptBool(cmd, "all")) {
        vshError(ctl, "one of --list, --all, or --event <type> is required");
        return FALSE;
    }
    if (eventName && strcmp(eventName, "lifecycle") != 0) {
        vshError(ctl, "unknown event type %s", eventName);
        return FALSE;
    }
    if (vshCommandOptUInt(ctl, cmd, "timeout", &timeout) < 0)
        return FALSE;
    if (timeout > G_MAXINT / 1000) {
        vshError(ctl, "Numeric value '%u' for <timeout> option is malformed or out of range",
                 timeout);
        return FALSE;
    }
    if (vshCmdOptString(cmd, "domain") &&
        !(dom = vshCommandOptDomain(ctl, cmd, NULL)))
        return FALSE;

    if ((id = vmmConnectDomainEventRegisterAny(
             ctl->conn, dom, VMM_DOMAIN_EVENT_ID_LIFECYCLE,
             VMM_DOMAIN_EVENT_CALLBACK(vshEventLifecyclePrint), &data,
             NULL)) < 0)
        return FALSE;
    ok = vshEventRun(ctl, &data, (int)timeout * 1000);
    vmmConnectDomainEventDeregisterAny(ctl->conn, id);
    if (!ok)
        return FALSE;
    if (data.timedOut)
        vshPrint(ctl, "event loop timed out\n");
    else if (vshEventInterrupted)
        vshPrint(ctl, "event loop interrupted\n");
    vshPrint(ctl, "events received: %u\n", data.count);
    return TRUE;
}

static const vshOptDef optsEvent[] = {
    {.name = "domain", .type = VSH_OT_STRING,
     .help = "only events of this domain (name, id or uuid)",
     .complete = VSH_COMPLETE_DOMAIN},
    {.name = "event", .type = VSH_OT_STRING,
     .help = "which event type to wait for (see --list)"},
    {.name = "all", .type = VSH_OT_BOOL, .help = "wait for every event type"},
    {.name = "loop", .type = VSH_OT_BOOL,
     .help = "go on after the first event, until --timeout or Ctrl-C"},
    {.name = "timeout", .type = VSH_OT_INT,
     .help = "stop after this many seconds"},
    {.name = "list", .type = VSH_OT_BOOL, .help = "print the event types"},
    {.name = "timestamp", .type = VSH_OT_BOOL,
     .help = "start each event line with the time it arrived"},
    {.name = NULL},
};

const vshCmdDef vshEventCmds[] = {
    {.name = "event", .handler = cmdEvent, .opts = optsEvent,
     .help = "wait for domain events",
     .desc = "Wait for domain events and print each one as it arrives."},
    {.name = NULL},
};
