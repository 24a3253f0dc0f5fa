/*
 * vmmd_remote_stats.h: hand-written handlers of CONNECT_GET_ALL_DOMAIN_STATS
 * (virsh domstats) and DOMAIN_GET_JOB_STATS (virsh domjobinfo), whose
 * typed parameters the generator does not map. Signature of
 * vmmdRemoteHandler (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteConnectGetAllDomainStats(vmmdClient *client, vmmConnectPtr conn,
                                       void *args, void *ret);
int vmmdRemoteDomainGetJobStats(vmmdClient *client, vmmConnectPtr conn,
                                void *args, void *ret);
