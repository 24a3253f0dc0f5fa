/*
 * vmmd_remote_domain.h: hand-written handlers of the remote program's
 * older domain listing procedures (CONNECT_LIST_DOMAINS,
 * CONNECT_LIST_DEFINED_DOMAINS), which fill a caller-sized array the
 * generator does not map. Signature of vmmdRemoteHandler
 * (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteConnectListDomains(vmmdClient *client, vmmConnectPtr conn,
                                 void *args, void *ret);
int vmmdRemoteConnectListDefinedDomains(vmmdClient *client, vmmConnectPtr conn,
                                        void *args, void *ret);
