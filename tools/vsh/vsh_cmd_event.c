/*
 * vsh_cmd_event.c: `event`, which registers for domain events (one type,
 * or every type vsh knows), runs the library's event loop and prints each
 * event as it arrives, in virsh's words, until the first one (or, with
 * --loop, until --timeout or Ctrl-C).
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

/* An event type vsh can wait for: its name on the command line and in
 * the printed lines (virsh's), its id, and the callback printing it. */
typedef struct {
    const char *name;
    int id;
    vmmConnectDomainEventGenericCallback cb;
} vshEventType;

/* What each callback gets: the shared state and its own type. */
typedef struct {
    vshEventData *data;
    const vshEventType *type;
    int callbackID; /* -1 until registered */
} vshEventReg;

static char *vshEventTimestamp(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *base = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

    return g_strdup_printf("%s.%03d+0000: ", base,
                           g_date_time_get_microsecond(now) / 1000);
}

/* Prints one event line, "event 'TYPE' for domain 'NAME'" and @rest;
 * without --loop only the first event of all counts. */
static void vshEventPrint(const vshEventReg *reg, vmmDomainPtr dom,
                          const char *rest)
{
    vshEventData *data = reg->data;
    g_autofree char *stamp = NULL;

    if (!data->loop && data->count > 0)
        return;
    stamp = data->timestamp ? vshEventTimestamp() : g_strdup("");
    vshPrint(data->ctl, "%sevent '%s' for domain '%s'%s\n", stamp,
             reg->type->name, vmmDomainGetName(dom), rest);
    fflush(stdout);
    data->count++;
    if (!data->loop)
        data->done = TRUE;
}

static void vshEventLifecyclePrint(vmmConnectPtr conn, vmmDomainPtr dom,
                                   int event, int detail, void *opaque)
{
    g_autofree char *rest =
        g_strdup_printf(": %s %s", vshDomainEventToString(event),
                        vshDomainEventDetailToString(event, detail));

    vshEventPrint(opaque, dom, rest);
}

/* Events that say nothing but which domain (reboot). */
static void vshEventGenericPrint(vmmConnectPtr conn, vmmDomainPtr dom,
                                 void *opaque)
{
    vshEventPrint(opaque, dom, "");
}

static const vshEventType vshEventTypes[] = {
    {"lifecycle", VMM_DOMAIN_EVENT_ID_LIFECYCLE,
     VMM_DOMAIN_EVENT_CALLBACK(vshEventLifecyclePrint)},
    {"reboot", VMM_DOMAIN_EVENT_ID_REBOOT,
     VMM_DOMAIN_EVENT_CALLBACK(vshEventGenericPrint)},
};

static const vshEventType *vshEventTypeFind(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(vshEventTypes); i++) {
        if (strcmp(vshEventTypes[i].name, name) == 0)
            return &vshEventTypes[i];
    }
    return NULL;
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

/* Registers @regs[0..n) (callback ids go into them). With @all, as
 * virsh does, only the first must succeed: a server may know fewer
 * event types than we do. */
static gboolean vshEventRegister(vshControl *ctl, vmmDomainPtr dom,
                                 vshEventReg *regs, size_t n, gboolean all)
{
    for (size_t i = 0; i < n; i++) {
        regs[i].callbackID = vmmConnectDomainEventRegisterAny(
            ctl->conn, dom, regs[i].type->id, regs[i].type->cb, &regs[i], NULL);
        if (regs[i].callbackID >= 0)
            continue;
        if (!all || i == 0)
            return FALSE;
        vmmResetLastError();
    }
    return TRUE;
}

static void vshEventDeregister(vshControl *ctl, vshEventReg *regs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (regs[i].callbackID >= 0)
            vmmConnectDomainEventDeregisterAny(ctl->conn, regs[i].callbackID);
    }
}

static gboolean cmdEvent(vshControl *ctl, const vshCmd *cmd)
{
    const char *eventName = vshCmdOptString(cmd, "event");
    gboolean all = vshCmdOptBool(cmd, "all");
    vshEventData data = {
        .ctl = ctl,
        .loop = vshCmdOptBool(cmd, "loop"),
        .timestamp = vshCmdOptBool(cmd, "timestamp"),
    };
    vshEventReg regs[G_N_ELEMENTS(vshEventTypes)];
    size_t nregs = 0;
    g_autoptr(vmmDomain) dom = NULL;
    unsigned int timeout = 0;
    const vshEventType *type = NULL;
    gboolean ok;

    if (vshCmdOptBool(cmd, "list")) {
        for (size_t i = 0; i < G_N_ELEMENTS(vshEventTypes); i++)
            vshPrint(ctl, "%s\n", vshEventTypes[i].name);
        return TRUE;
    }
    if (!eventName && !all) {
        vshError(ctl, "one of --list, --all, or --event <type> is required");
        return FALSE;
    }
    if (eventName && !(type = vshEventTypeFind(eventName))) {
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

    for (size_t i = 0; i < G_N_ELEMENTS(vshEventTypes); i++) {
        if (type && type != &vshEventTypes[i])
            continue;
        regs[nregs++] = (vshEventReg){
            .data = &data, .type = &vshEventTypes[i], .callbackID = -1};
    }
    ok = vshEventRegister(ctl, dom, regs, nregs, !type) &&
         vshEventRun(ctl, &data, (int)timeout * 1000);
    vshEventDeregister(ctl, regs, nregs);
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
