/*
 * vmmd_remote_device.h: hand-written handlers of the device statistics
 * procedures (DOMAIN_BLOCK_STATS, DOMAIN_INTERFACE_STATS), whose C
 * functions fill a structure the generator does not map. Signature of
 * vmmdRemoteHandler (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteDomainBlockStats(vmmdClient *client, vmmConnectPtr conn,
                               void *args, void *ret);
int vmmdRemoteDomainInterfaceStats(vmmdClient *client, vmmConnectPtr conn,
                                   void *args, void *ret);
