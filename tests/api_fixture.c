/*
 * api_fixture.c: the "apitest" driver of api_fixture.h. Besides the
 * successes it fails in the two ways drivers fail: with an error raised
 * (domainGetInfo) and, wrongly, without one (domainUndefineFlags), which
 * the API layer must still explain.
 */
#include <config.h>

#include <string.h>

#include "api_fixture.h"
#include "util_error.h"
#include "util_uuid.h"

static domainEventState *fixtureState;

domainEventState *fixtureEvents(void)
{
    return fixtureState;
}

void fixtureCleanup(void)
{
    g_clear_pointer(&fixtureState, domainEventStateFree);
}

static vmmDrvOpenStatus fixtureOpen(vmmConnectPtr conn, const vmmURI *uri,
                                    unsigned int flags)
{
    if (!g_str_equal(uri->driver, "apitest"))
        return VMM_DRV_OPEN_DECLINED;
    if (!g_str_equal(uri->path, "/default")) {
        errorReport(VMM_FROM_TEST, VMM_ERR_INVALID_ARG,
                    "unknown apitest path '%s'", uri->path);
        return VMM_DRV_OPEN_ERROR;
    }
    return VMM_DRV_OPEN_SUCCESS;
}

static int fixtureClose(vmmConnectPtr conn)
{
    domainEventStateDeregisterConn(fixtureState, conn);
    return 0;
}

static int fixtureGetVersion(vmmConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = 42;
    return 0;
}

static vmmDomainPtr fixtureDomain(vmmConnectPtr conn)
{
    unsigned char uuid[VMM_UUID_BUFLEN];

    uuidParse(FIXTURE_UUID, uuid);
    return domainHandleNew(conn, FIXTURE_DOM, uuid, 1);
}

static vmmDomainPtr fixtureLookupByName(vmmConnectPtr conn, const char *name)
{
    if (!g_str_equal(name, FIXTURE_DOM)) {
        errorReport(VMM_FROM_TEST, VMM_ERR_NO_DOMAIN,
                    "no domain with matching name '%s'", name);
        return NULL;
    }
    return fixtureDomain(conn);
}

static vmmDomainPtr fixtureLookupByUUID(vmmConnectPtr conn,
                                        const unsigned char *uuid)
{
    unsigned char known[VMM_UUID_BUFLEN];

    uuidParse(FIXTURE_UUID, known);
    if (memcmp(uuid, known, VMM_UUID_BUFLEN) != 0) {
        errorReport(VMM_FROM_TEST, VMM_ERR_NO_DOMAIN,
                    "no domain with matching uuid");
        return NULL;
    }
    return fixtureDomain(conn);
}

static int fixtureSuspend(vmmDomainPtr dom)
{
    domainEventStateQueueLifecycle(fixtureState, dom->name, dom->uuid, dom->id,
                                   VMM_DOMAIN_EVENT_SUSPENDED,
                                   VMM_DOMAIN_EVENT_SUSPENDED_PAUSED);
    return 0;
}

static int fixtureGetInfo(vmmDomainPtr dom, vmmDomainInfoPtr info)
{
    errorReport(VMM_FROM_TEST, VMM_ERR_OPERATION_FAILED, "no info today");
    return -1;
}

static int fixtureUndefine(vmmDomainPtr dom, unsigned int flags)
{
    return -1; /* a driver bug: fails without saying why */
}

static int fixtureEventRegister(vmmConnectPtr conn, vmmDomainPtr dom,
                                int eventID,
                                vmmConnectDomainEventGenericCallback cb,
                                void *opaque, vmmFreeCallback freecb)
{
    return domainEventStateRegister(fixtureState, conn, dom, eventID, cb,
                                    opaque, freecb);
}

static int fixtureEventDeregister(vmmConnectPtr conn, int callbackID)
{
    return domainEventStateDeregister(fixtureState, conn, callbackID);
}

static const vmmHypervisorDriver fixtureDriver = {
    .name = "APITest",
    .connectOpen = fixtureOpen,
    .connectClose = fixtureClose,
    .connectGetVersion = fixtureGetVersion,
    .domainLookupByName = fixtureLookupByName,
    .domainLookupByUUID = fixtureLookupByUUID,
    .domainSuspend = fixtureSuspend,
    .domainGetInfo = fixtureGetInfo,
    .domainUndefineFlags = fixtureUndefine,
    .connectDomainEventRegisterAny = fixtureEventRegister,
    .connectDomainEventDeregisterAny = fixtureEventDeregister,
};

/* The test programs carry this driver instead of the library's. */
void libvmmRegisterDrivers(void)
{
    fixtureState = domainEventStateNew();
    driverRegisterHypervisor(&fixtureDriver);
}
