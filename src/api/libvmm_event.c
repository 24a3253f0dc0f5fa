/*
 * libvmm_event.c: the public event loop calls of vmm-host.h, on top of the
 * default loop of util_event.c. Programs that run their own glib main loop
 * on the default context get the same callbacks without calling
 * vmmEventRunDefaultImpl.
 */
#include <config.h>

#include "api_entry.h"
#include "util_event.h"

int vmmEventRegisterDefaultImpl(void)
{
    errorReset();
    eventRegisterDefault();
    return 0;
}

int vmmEventRunDefaultImpl(void)
{
    errorReset();
    return eventRunOnce();
}

int vmmEventAddTimeout(int frequency, vmmEventTimeoutCallback cb, void *opaque,
                       vmmFreeCallback ff)
{
    errorReset();
    if (!apiCheckNonNull(NULL, cb, "cb", __func__))
        return -1;
    return eventAddTimer(frequency, cb, opaque, ff);
}

void vmmEventUpdateTimeout(int timer, int frequency)
{
    eventUpdateTimer(timer, frequency);
}

int vmmEventRemoveTimeout(int timer)
{
    errorReset();
    if (eventRemoveTimer(timer) < 0) {
        errorReport(VMM_FROM_EVENT, VMM_ERR_INVALID_ARG, "no timer with id %d",
                    timer);
        return -1;
    }
    return 0;
}
