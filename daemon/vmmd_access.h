/*
 * vmmd_access.h: fine-grained access control of every call, by polkit,
 * when vmmd.conf says access_drivers = [ "polkit" ].
 *
 * Each procedure of the remote program carries access rules from its .x
 * annotation ("domain:start", "domain:save:VIR_DOMAIN_AFFECT_CONFIG";
 * rpcProcInfo.acl). The dispatcher calls vmmdAccessCheckCall before the
 * handler runs and vmmdAccessCheckResult after it succeeded; nothing
 * else in the daemon decides access. A rule "OBJECT:PERM" becomes the
 * polkit action org.vmm.api.OBJECT.PERM ('_' written '-', as libvirt
 * does: org.vmm.api.domain.read-secure), asked for the caller's process
 * with the details connect_driver, and per object domain_name /
 * domain_uuid, network_name / network_uuid, pool_name / pool_uuid,
 * pool_name / vol_name / vol_key, so rules can tell objects apart.
 *
 * Where the object of a rule comes from: the call's first argument for
 * most procedures; the definition's <name> and <uuid> for *_CREATE_XML
 * and *_DEFINE_XML*; the answer for *_LOOKUP_BY_* (checked before the
 * answer is sent). A rule whose object cannot be known is refused (fail
 * closed). A rule with a flag condition applies only when the call's
 * flags argument (its last, by the protocol's convention) matches.
 * aclFilter rules drop the objects the caller may not see from the lists
 * CONNECT_LIST_ALL_DOMAINS, CONNECT_LIST_DOMAINS and
 * CONNECT_LIST_DEFINED_DOMAINS return, and from the counts of
 * CONNECT_NUM_OF_DOMAINS and CONNECT_NUM_OF_DEFINED_DOMAINS. Domain
 * events are not filtered yet.
 *
 * Root is checked like everybody else, so rules files can restrict it.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

#include "rpc_message.h"
#include "rpc_program.h"
#include "vmmd_client.h"

#define VMMD_ACCESS_ACTION_PREFIX "org.vmm.api"

/* Turns the checks on when @drivers (access_drivers, NULL-terminated,
 * may be NULL) names "polkit". Called once by main() before any client
 * exists. */
void vmmdAccessConfigure(const char *const *drivers);

bool vmmdAccessEnabled(void);

/* Before the handler of @info runs with the decoded @args of @msg on
 * @conn (NULL before CONNECT_OPEN). 0 when every applicable rule is
 * allowed (or access control is off), -1 with the error set
 * (VMM_ERR_ACCESS_DENIED, or polkit's when it cannot be asked). */
int vmmdAccessCheckCall(vmmdClient *client, vmmConnectPtr conn,
                        const rpcProcInfo *info, const rpcMessage *msg,
                        const void *args);

/* After the handler succeeded with answer @ret: checks the rules whose
 * object is in the answer, and drops from lists what the caller may not
 * see (freeing it). -1 with the error set when the answer must not be
 * sent; @ret is still complete then and freed by the caller. */
int vmmdAccessCheckResult(vmmdClient *client, vmmConnectPtr conn,
                          const rpcProcInfo *info, void *ret);

/* The polkit action of @object and @perm, e.g. "storage_pool",
 * "getattr" -> "org.vmm.api.storage-pool.getattr". */
char *vmmdAccessActionName(const char *object, const char *perm);
