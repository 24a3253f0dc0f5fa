/*
 * vmmd_remote_vcpu.h: hand-written handlers of the vCPU procedures whose
 * C functions fill caller-sized buffers of CPU maps the generator does
 * not map (DOMAIN_GET_VCPUS, DOMAIN_PIN_VCPU, DOMAIN_PIN_VCPU_FLAGS,
 * DOMAIN_GET_VCPU_PIN_INFO), and the host's CPU map (NODE_GET_CPU_MAP)
 * they are sized by. Signature of vmmdRemoteHandler
 * (vmmd_dispatch.h).
 */
#pragma once

#include <vmm/vmm.h>

#include "vmmd_client.h"

int vmmdRemoteDomainGetVcpus(vmmdClient *client, vmmConnectPtr conn, void *args,
                             void *ret);
int vmmdRemoteDomainPinVcpu(vmmdClient *client, vmmConnectPtr conn, void *args,
                            void *ret);
int vmmdRemoteDomainPinVcpuFlags(vmmdClient *client, vmmConnectPtr conn,
                                 void *args, void *ret);
int vmmdRemoteDomainGetVcpuPinInfo(vmmdClient *client, vmmConnectPtr conn,
                                   void *args, void *ret);
int vmmdRemoteNodeGetCPUMap(vmmdClient *client, vmmConnectPtr conn, void *args,
                            void *ret);
