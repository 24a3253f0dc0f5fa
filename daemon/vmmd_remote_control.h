/*
 * vmmd_remote_control.h: hand-written handler of DOMAIN_MEMORY_STATS,
 * whose C function fills a caller-sized array the generator does not
 * map. Signature of vmmdRemoteHandler (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteDomainMemoryStats(vmmdClient *client, vmmConnectPtr conn,
                                void *args, void *ret);
