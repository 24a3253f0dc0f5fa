/*
 * vmmd_remote_snapshot.h: hand-written handlers of the remote program's
 * snapshot procedures (185, 186, 189, 191, 192, 193, 274), whose snapshot
 * objects the generator does not map. Signature of vmmdRemoteHandler
 * (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteDomainSnapshotCreateXML(vmmdClient *client, vmmConnectPtr conn,
                                      void *argsp, void *retp);
int vmmdRemoteDomainSnapshotGetXMLDesc(vmmdClient *client, vmmConnectPtr conn,
                                       void *argsp, void *retp);
int vmmdRemoteDomainSnapshotLookupByName(vmmdClient *client, vmmConnectPtr conn,
                                         void *argsp, void *retp);
int vmmdRemoteDomainSnapshotCurrent(vmmdClient *client, vmmConnectPtr conn,
                                    void *argsp, void *retp);
int vmmdRemoteDomainRevertToSnapshot(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp);
int vmmdRemoteDomainSnapshotDelete(vmmdClient *client, vmmConnectPtr conn,
                                   void *argsp, void *retp);
int vmmdRemoteDomainListAllSnapshots(vmmdClient *client, vmmConnectPtr conn,
                                     void *argsp, void *retp);
