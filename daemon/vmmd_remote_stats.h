/*
 * vmmd_remote_stats.h: hand-written handler of CONNECT_GET_ALL_DOMAIN_STATS
 * (virsh domstats), whose typed parameter records the generator does not
 * map. Signature of vmmdRemoteHandler (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteConnectGetAllDomainStats(vmmdClient *client, vmmConnectPtr conn,
                                       void *args, void *ret);
