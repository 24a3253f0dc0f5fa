/*
 * vmmd_remote_domain.h: hand-written handlers of the remote program's
 * domain listing procedures, whose lists of objects the generator does
 * not map (CONNECT_LIST_ALL_DOMAINS, CONNECT_LIST_DOMAINS,
 * CONNECT_LIST_DEFINED_DOMAINS). Signature of vmmdRemoteHandler
 * (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteConnectListAllDomains(vmmdClient *client, vmmConnectPtr conn,
                                    void *args, void *ret);
int vmmdRemoteConnectListDomains(vmmdClient *client, vmmConnectPtr conn,
                                 void *args, void *ret);
int vmmdRemoteConnectListDefinedDomains(vmmdClient *client, vmmConnectPtr conn,
                                        void *args, void *ret);
