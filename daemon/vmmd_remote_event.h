/*
 * vmmd_remote_event.h: domain events for remote clients. A client
 * registers with CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY; the daemon
 * registers the same on the client's hypervisor connection and forwards
 * each event as a DOMAIN_EVENT_CALLBACK_* message carrying the callback id
 * it answered. Callbacks fire on the main loop; the handlers run in
 * workers (signature of vmmdRemoteHandler, vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"
#include "vmmd_remote_connect.h"

int vmmdRemoteDomainEventCallbackRegisterAny(vmmdClient *client,
                                             vmmConnectPtr conn, void *args,
                                             void *ret);
int vmmdRemoteDomainEventCallbackDeregisterAny(vmmdClient *client,
                                               vmmConnectPtr conn, void *args,
                                               void *ret);

/* Undoes every registration of @priv on @conn (the client is going). */
void vmmdRemoteEventDeregisterAll(vmmdRemoteClient *priv, vmmConnectPtr conn);
