/*
 * libvmm_domcaps.c: the public entry point for domain capabilities, the
 * per-emulator description of what a new guest may use (as opposed to
 * vmmConnectGetCapabilities, which describes the host).
 */
#include <config.h>

#include "api_entry.h"
#include "driver.h"

char *vmmConnectGetDomainCapabilities(vmmConnectPtr conn,
                                      const char *emulatorbin,
                                      const char *arch, const char *machine,
                                      const char *virttype, unsigned int flags)
{
    API_ENTER_CONN(conn, NULL);
    API_CHECK_FLAGS(conn, flags, 0, NULL);
    API_RETURN_PTR(conn, connectGetDomainCapabilities, conn, emulatorbin,
                   arch, machine, virttype, flags);
}
