/*
 * vmmd_remote_node.h: hand-written handlers of the host figures and the
 * security model, whose C functions fill caller-sized arrays or fixed
 * char buffers the generator does not map (NODE_GET_CELLS_FREE_MEMORY,
 * NODE_GET_FREE_MEMORY, DOMAIN_GET_SECURITY_LABEL,
 * NODE_GET_SECURITY_MODEL, NODE_GET_CPU_STATS). Signature of
 * vmmdRemoteHandler (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteNodeGetCellsFreeMemory(vmmdClient *client, vmmConnectPtr conn,
                                     void *args, void *ret);
int vmmdRemoteNodeGetFreeMemory(vmmdClient *client, vmmConnectPtr conn,
                                void *args, void *ret);
int vmmdRemoteDomainGetSecurityLabel(vmmdClient *client, vmmConnectPtr conn,
                                     void *args, void *ret);
int vmmdRemoteNodeGetSecurityModel(vmmdClient *client, vmmConnectPtr conn,
                                   void *args, void *ret);
int vmmdRemoteNodeGetCPUStats(vmmdClient *client, vmmConnectPtr conn,
                              void *args, void *ret);
