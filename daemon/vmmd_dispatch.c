/*
 * vmmd_dispatch.c: routing and checking of every client message (see
 * vmmd_dispatch.h).
 */
#include <config.h>

#include <stdlib.h>

#include "util_error.h"
#include "util_log.h"
#include "vmm_keepalive_protocol.h"
#include "vmm_remote_dispatch.h"
#include "vmm_remote_procs.h"
#include "vmmd_access.h"
#include "vmmd_dispatch.h"
#include "vmmd_keepalive.h"
#include "vmmd_remote_connect.h"
#include "vmmd_remote_stats.h"
#include "vmmd_remote_domain.h"
#include "vmmd_remote_event.h"
#include "vmmd_remote_control.h"
#include "vmmd_remote_node.h"
#include "vmmd_remote_vcpu.h"
#include "vmmd_stream.h"

VMM_LOG_INIT("daemon.dispatch");

typedef struct {
    int number;
    vmmdRemoteHandler func;
    bool needsConn; /* refused before CONNECT_OPEN */
} vmmdRemoteEntry;

/* The procedures annotated "@generate: none" or "client" that the daemon
 * implements by hand, sorted by number. */
static const vmmdRemoteEntry remoteHandlers[] = {
    {REMOTE_PROC_CONNECT_OPEN, vmmdRemoteConnectOpen, false},
    {REMOTE_PROC_CONNECT_CLOSE, vmmdRemoteConnectClose, false},
    {REMOTE_PROC_DOMAIN_GET_VCPUS, vmmdRemoteDomainGetVcpus, true},
    {REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS,
     vmmdRemoteConnectListDefinedDomains, true},
    {REMOTE_PROC_DOMAIN_PIN_VCPU, vmmdRemoteDomainPinVcpu, true},
    {REMOTE_PROC_CONNECT_LIST_DOMAINS, vmmdRemoteConnectListDomains, true},
    {REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, vmmdRemoteConnectSupportsFeature,
     false},
    {REMOTE_PROC_AUTH_LIST, vmmdRemoteAuthList, false},
    {REMOTE_PROC_AUTH_POLKIT, vmmdRemoteAuthPolkit, false},
    {REMOTE_PROC_NODE_GET_CELLS_FREE_MEMORY,
     vmmdRemoteNodeGetCellsFreeMemory, true},
    {REMOTE_PROC_NODE_GET_FREE_MEMORY, vmmdRemoteNodeGetFreeMemory, true},
    {REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL,
     vmmdRemoteDomainGetSecurityLabel, true},
    {REMOTE_PROC_NODE_GET_SECURITY_MODEL, vmmdRemoteNodeGetSecurityModel,
     true},
    {REMOTE_PROC_CONNECT_IS_SECURE, vmmdRemoteConnectIsSecure, false},
    {REMOTE_PROC_DOMAIN_MEMORY_STATS, vmmdRemoteDomainMemoryStats, true},
    {REMOTE_PROC_DOMAIN_PIN_VCPU_FLAGS, vmmdRemoteDomainPinVcpuFlags, true},
    {REMOTE_PROC_NODE_GET_CPU_STATS, vmmdRemoteNodeGetCPUStats, true},
    {REMOTE_PROC_DOMAIN_GET_VCPU_PIN_INFO, vmmdRemoteDomainGetVcpuPinInfo,
     true},
    {REMOTE_PROC_NODE_GET_CPU_MAP, vmmdRemoteNodeGetCPUMap, true},
    {REMOTE_PROC_DOMAIN_GET_JOB_STATS, vmmdRemoteDomainGetJobStats, true},
    {REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
     vmmdRemoteDomainEventCallbackRegisterAny, true},
    {REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
     vmmdRemoteDomainEventCallbackDeregisterAny, true},
    {REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
     vmmdRemoteConnectGetAllDomainStats, true},
    {REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK,
     vmmdRemoteConnectRegisterCloseCallback, true},
    {REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK,
     vmmdRemoteConnectUnregisterCloseCallback, true},
};

static int remoteEntryCompare(const void *key, const void *elem)
{
    int number = *(const int *)key;
    const vmmdRemoteEntry *entry = elem;

    return (number > entry->number) - (number < entry->number);
}

static const vmmdRemoteEntry *remoteHandlerFind(int number)
{
    return bsearch(&number, remoteHandlers, G_N_ELEMENTS(remoteHandlers),
                   sizeof(remoteHandlers[0]), remoteEntryCompare);
}

typedef struct {
    vmmdClient *client; /* a reference */
    rpcMessage *msg;
} vmmdDispatchJob;

static void dispatchJobFree(vmmdDispatchJob *job)
{
    vmmdClientUnref(job->client);
    rpcMessageFree(job->msg);
    g_free(job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmdDispatchJob, dispatchJobFree)

/* ---- On the main loop ---- */

static bool dispatchIsHighPriority(const rpcMessage *msg)
{
    const rpcProcInfo *info;

    /* What is refused without running anything never waits either. */
    if (msg->header.prog != REMOTE_PROGRAM ||
        msg->header.vers != REMOTE_PROTOCOL_VERSION)
        return true;
    info = rpcProgramFindProc(&remoteProgramInfo, msg->header.proc);
    return !info || info->highPriority;
}

void vmmdDispatchMessage(vmmdWorkerPool *pool, vmmdClient *client,
                         rpcMessage *msg)
{
    g_autoptr(vmmdDispatchJob) job = NULL;
    bool prio;

    vmmdKeepaliveNoteActivity(client);
    if (msg->header.prog == VMM_KEEPALIVE_PROGRAM) {
        vmmdKeepaliveHandle(client, msg);
        return;
    }
    if (msg->header.type == VMM_NET_STREAM ||
        msg->header.type == VMM_NET_STREAM_HOLE) {
        vmmdStreamHandleMessage(client, msg);
        return;
    }
    if (msg->header.type != VMM_NET_CALL &&
        msg->header.type != VMM_NET_CALL_WITH_FDS) {
        /* Replies and events from a client: nothing they could belong
         * to. */
        VMM_DEBUG("client %llu: message type %d of procedure %d dropped",
                  vmmdClientGetId(client), msg->header.type, msg->header.proc);
        rpcMessageFree(msg);
        return;
    }

    job = g_new0(vmmdDispatchJob, 1);
    job->client = vmmdClientRef(client);
    job->msg = msg;
    prio = dispatchIsHighPriority(msg);
    vmmdClientCallBegin(client);
    if (vmmdWorkerPoolSubmit(pool, job, prio) < 0) {
        /* Shutting down: the call is not run, the client goes soon. */
        vmmdClientCallEnd(client);
        return;
    }
    job = NULL; /* the pool's now */
}

/* ---- In a worker ---- */

/* The public API function a procedure stands for, as error messages
 * name it: DOMAIN_DESTROY -> vmmDomainDestroy. */
static char *dispatchApiName(const char *proc)
{
    g_auto(GStrv) words = g_strsplit(proc, "_", -1);
    GString *name = g_string_new("vmm");

    for (char **w = words; *w; w++) {
        g_autofree char *lower = g_ascii_strdown(*w, -1);

        lower[0] = g_ascii_toupper(lower[0]);
        g_string_append(name, lower);
    }
    return g_string_free(name, FALSE);
}

/* The checks before a call runs; on success the procedure's description
 * and handlers (one of them NULL). */
static int dispatchCheck(vmmdClient *client, const rpcMessage *msg,
                         vmmConnectPtr conn, const rpcProcInfo **ret_info,
                         const vmmdRemoteEntry **ret_own,
                         rpcDispatchFunc *ret_generated)
{
    const vmm_net_message_header *hdr = &msg->header;
    const rpcProcInfo *info;
    const vmmdRemoteEntry *own;
    rpcDispatchFunc generated = NULL;

    if (hdr->prog != REMOTE_PROGRAM || hdr->vers != REMOTE_PROTOCOL_VERSION) {
        errorReport(VMM_FROM_RPC, VMM_ERR_RPC,
                    "cannot find program 0x%x version %u", hdr->prog,
                    hdr->vers);
        return -1;
    }
    if (hdr->type != VMM_NET_CALL || hdr->status != VMM_NET_OK) {
        errorReport(VMM_FROM_RPC, VMM_ERR_RPC,
                    "unexpected message type %d status %d for a call "
                    "(descriptor passing is not supported)",
                    hdr->type, hdr->status);
        return -1;
    }
    info = rpcProgramFindProc(&remoteProgramInfo, hdr->proc);
    if (!info || info->event) {
        errorReport(VMM_FROM_RPC, VMM_ERR_NO_SUPPORT, "unknown procedure: %d",
                    hdr->proc);
        return -1;
    }
    own = remoteHandlerFind(hdr->proc);
    if (!own)
        generated = rpcDispatchFind(&remoteDispatchTable, hdr->proc);
    if (!own && !generated && info->stream == RPC_PROC_STREAM_NONE) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_NO_SUPPORT,
                    "procedure %s (%d) is not implemented by vmmd", info->name,
                    hdr->proc);
        return -1;
    }
    if ((!own || own->needsConn) && !conn) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_INTERNAL_ERROR,
                    "connection not open");
        return -1;
    }
    if (!info->readonly && vmmdRemoteIsReadOnly(client)) {
        g_autofree char *api = dispatchApiName(info->name);

        errorReport(VMM_FROM_REMOTE, VMM_ERR_OPERATION_DENIED,
                    "read only access prevents %s", api);
        return -1;
    }
    *ret_info = info;
    *ret_own = own;
    *ret_generated = generated;
    return 0;
}

/* Runs the call in @msg and encodes its answer into @reply; -1 with the
 * last error set when the answer is an error. A call that opens a stream
 * gives it in @ret_stream, to start once the reply is queued. */
static int dispatchRun(vmmdClient *client, rpcMessage *msg, vmmConnectPtr conn,
                       rpcMessage *reply, vmmdStream **ret_stream)
{
    const rpcProcInfo *info;
    const vmmdRemoteEntry *own;
    rpcDispatchFunc generated;
    g_autofree void *args = NULL;
    g_autofree void *ret = NULL;
    int rc;

    if (dispatchCheck(client, msg, conn, &info, &own, &generated) < 0)
        return -1;

    args = g_malloc0(MAX(info->argsSize, 1));
    ret = g_malloc0(MAX(info->retSize, 1));
    if (info->argsSize &&
        rpcMessageDecodePayload(msg, info->argsFilter, args) < 0)
        return -1;

    /* Access control, before and after (lookups, list filters). */
    rc = vmmdAccessCheckCall(client, conn, info, msg, args);
    if (rc == 0 && info->stream != RPC_PROC_STREAM_NONE)
        rc = vmmdStreamRunCall(client, conn, info, msg, args, ret_stream);
    else if (rc == 0)
        rc = own ? own->func(client, conn, args, ret)
                 : generated(conn, args, ret);
    if (rc == 0)
        rc = vmmdAccessCheckResult(client, conn, info, ret);
    if (rc == 0)
        rc = rpcMessageEncode(reply, info->retSize ? info->retFilter : NULL,
                              ret);

    if (info->argsSize)
        xdr_free(info->argsFilter, args);
    if (info->retSize)
        xdr_free(info->retFilter, ret);
    return rc;
}

void vmmdDispatchWorker(void *data, void *opaque)
{
    g_autoptr(vmmdDispatchJob) job = data;
    g_autoptr(rpcMessage) reply = rpcMessageNew();
    vmmConnectPtr conn = vmmdRemoteGetConn(job->client);
    vmmdStream *stream = NULL;
    int rc;

    errorReset();
    reply->header = job->msg->header;
    reply->header.type = VMM_NET_REPLY;
    reply->header.status = VMM_NET_OK;

    rc = dispatchRun(job->client, job->msg, conn, reply, &stream);
    VMM_DEBUG("client %llu: call %d serial %u %s", vmmdClientGetId(job->client),
              job->msg->header.proc, job->msg->header.serial,
              rc < 0 ? "failed" : "done");
    if (rc < 0 && rpcMessageEncodeError(reply, errorGetLast()) < 0) {
        /* An error record always fits; this is a bug, not the peer's. */
        VMM_ERROR("cannot encode the error reply of procedure %d",
                  job->msg->header.proc);
        vmmdClientClose(job->client);
    } else {
        vmmdClientQueue(job->client, g_steal_pointer(&reply));
    }
    if (stream && rc == 0)
        vmmdStreamStart(stream);
    else if (stream)
        vmmdStreamDiscard(stream);
    /* Closing drops a reference, which resets the last error. */
    if (conn)
        vmmConnectClose(conn);
    errorReset();
    vmmdClientCallEnd(job->client);
}
