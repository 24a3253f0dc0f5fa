/*
 * rpc_dispatch_test.c: the generated glue of both sides, end to end with
 * everything but the socket. A call (from a generated client stub, or
 * built by hand) is encoded to bytes; a daemon-side loop, as vmmd will
 * run it, decodes them, finds the procedure and its generated handler,
 * runs it on its own test:///default connection and encodes the reply or
 * the error; the client side decodes that and re-raises the daemon's
 * error as its own.
 *
 * Linked like vmmd: the layers' convenience libraries, with only the test
 * driver registered, not libvmm.so.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "rpc_dispatch.h"
#include "rpc_message.h"
#include "test_driver.h"
#include "util_error.h"
#include "vmm_remote_client.h"
#include "vmm_remote_dispatch.h"
#include "vmm_remote_procs.h"
#include "vmm_remote_protocol.h"

static vmmConnectPtr serverConn; /* the daemon's own connection */
static vmmConnectPtr clientConn; /* stands for the remote connection */
static unsigned int lastSerial;

/* The API layer asks for the drivers the program carries: here only the
 * test driver, whatever libvmm itself carries. */
void libvmmRegisterDrivers(void)
{
    testDriverRegister();
}

/* The daemon's answer to @call: always a reply, an error one when the
 * program, procedure or handler is missing or the handler fails. */
static rpcMessage *serve(const rpcMessage *call)
{
    g_autoptr(rpcMessage) in = rpcMessageNew();
    g_autoptr(rpcMessage) out = rpcMessageNew();
    const rpcProcInfo *proc = NULL;
    rpcDispatchFunc func = NULL;
    g_autofree void *args = NULL;
    g_autofree void *ret = NULL;
    int rv = -1;

    /* The length word first, then the rest, as a socket reader would. */
    rpcMessagePrepareRead(in);
    memcpy(in->buffer, call->buffer, in->bufferLength);
    g_assert_cmpint(rpcMessageDecodeLength(in), ==, 0);
    memcpy(in->buffer, call->buffer, in->bufferLength);
    g_assert_cmpint(rpcMessageDecodeHeader(in), ==, 0);

    out->header = in->header;
    out->header.type = VMM_NET_REPLY;
    if (in->header.prog == REMOTE_PROGRAM &&
        in->header.vers == REMOTE_PROTOCOL_VERSION)
        proc = rpcProgramFindProc(&remoteProgramInfo, in->header.proc);
    if (proc)
        func = rpcDispatchFind(&remoteDispatchTable, proc->number);
    if (!func) {
        errorReport(VMM_FROM_REMOTE, VMM_ERR_NO_SUPPORT, "procedure %d",
                    in->header.proc);
    } else {
        args = g_malloc0(MAX(proc->argsSize, 1));
        ret = g_malloc0(MAX(proc->retSize, 1));
        if (rpcMessageDecodePayload(in, proc->argsFilter, args) == 0) {
            rv = func(serverConn, args, ret);
            xdr_free(proc->argsFilter, args);
        }
    }

    if (rv == 0) {
        g_assert_false(errorIsSet());
        g_assert_cmpint(rpcMessageEncode(out, proc->retFilter, ret), ==, 0);
    } else {
        g_assert_true(errorIsSet());
        g_assert_cmpint(rpcMessageEncodeError(out, errorGetLast()), ==, 0);
    }
    if (ret)
        xdr_free(proc->retFilter, ret);
    errorReset();
    return g_steal_pointer(&out);
}

/* The client side, as the generated stubs expect it. */
int remoteClientCall(vmmConnectPtr conn, int proc, xdrproc_t argsFilter,
                     void *args, xdrproc_t retFilter, void *ret)
{
    g_autoptr(rpcMessage) call = rpcMessageNew();
    g_autoptr(rpcMessage) reply = NULL;
    vmm_net_message_header header = {
        .prog = REMOTE_PROGRAM,
        .vers = REMOTE_PROTOCOL_VERSION,
        .proc = proc,
        .type = VMM_NET_CALL,
        .serial = ++lastSerial,
        .status = VMM_NET_OK,
    };

    g_assert_true(conn == clientConn);
    call->header = header;
    if (rpcMessageEncode(call, argsFilter, args) < 0)
        return -1;
    reply = serve(call);
    g_assert_cmpint(rpcMessageDecodeHeader(reply), ==, 0);
    g_assert_cmpint(reply->header.type, ==, VMM_NET_REPLY);
    g_assert_cmpuint(reply->header.serial, ==, lastSerial);
    if (reply->header.status == VMM_NET_ERROR) {
        vmmError err = {0};

        if (rpcMessageDecodeError(reply, &err) < 0)
            return -1;
        errorReportFull(&err);
        errorClear(&err);
        return -1;
    }
    return rpcMessageDecodePayload(reply, retFilter, ret);
}

/* A call by procedure number with the table's filters, for procedures
 * that have no client stub. */
static int callWire(int number, void *args, void *ret)
{
    const rpcProcInfo *proc = rpcProgramFindProc(&remoteProgramInfo, number);

    return remoteClientCall(clientConn, number, proc->argsFilter, args,
                            proc->retFilter, ret);
}

/* Every procedure annotated for server generation has a handler; the
 * hand-written ones have none. */
static void testTable(void)
{
    size_t handled = 0;

    for (size_t i = 0; i < remoteProgramInfo.nprocs; i++) {
        const rpcProcInfo *proc = &remoteProgramInfo.procs[i];
        bool generated =
            (proc->generate & RPC_PROC_GENERATE_SERVER) && !proc->event;
        rpcDispatchFunc func =
            rpcDispatchFind(&remoteDispatchTable, proc->number);

        g_assert_true((func != NULL) == generated);
        handled += generated;
    }
    g_assert_cmpuint(handled, ==, remoteDispatchTable.nentries);
    g_assert_null(
        rpcDispatchFind(&remoteDispatchTable, REMOTE_PROC_CONNECT_OPEN));
}

/* A server-only procedure, and a domain as the wire names it. */
static void testWireStructs(void)
{
    remote_connect_get_type_ret type = {0};
    remote_domain_lookup_by_name_args lookup = {.name = (char *)"test"};
    remote_domain_lookup_by_name_ret found = {0};
    vmmDomainPtr direct = vmmDomainLookupByName(serverConn, "test");
    unsigned char uuid[VMM_UUID_BUFLEN];

    g_assert_cmpint(callWire(REMOTE_PROC_CONNECT_GET_TYPE, NULL, &type), ==, 0);
    g_assert_cmpstr(type.type, ==, vmmConnectGetType(serverConn));
    xdr_free((xdrproc_t)xdr_remote_connect_get_type_ret, (char *)&type);

    g_assert_nonnull(direct);
    vmmDomainGetUUID(direct, uuid);
    g_assert_cmpint(
        callWire(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, &lookup, &found), ==, 0);
    g_assert_cmpstr(found.dom.name, ==, "test");
    g_assert_cmpmem(found.dom.uuid, VMM_UUID_BUFLEN, uuid, VMM_UUID_BUFLEN);
    g_assert_cmpint(found.dom.id, ==, (int)vmmDomainGetID(direct));
    vmmDomainFree(direct);
    xdr_free((xdrproc_t)xdr_remote_domain_lookup_by_name_ret, (char *)&found);
}

static void testConnectStubs(void)
{
    unsigned long version = 0;
    unsigned long direct = 0;
    g_autofree char *caps = NULL;
    vmmNodeInfo info;
    vmmNodeInfo directInfo;

    g_assert_cmpint(remoteConnectGetVersion(clientConn, &version), ==, 0);
    g_assert_cmpint(vmmConnectGetVersion(serverConn, &direct), ==, 0);
    g_assert_cmpuint(version, ==, direct);
    caps = remoteConnectGetCapabilities(clientConn);
    g_assert_nonnull(caps);
    g_assert_nonnull(strstr(caps, "<capabilities>"));
    g_assert_cmpint(remoteNodeGetInfo(clientConn, &info), ==, 0);
    g_assert_cmpint(vmmNodeGetInfo(serverConn, &directInfo), ==, 0);
    g_assert_cmpstr(info.model, ==, directInfo.model);
    g_assert_cmpuint(info.memory, ==, directInfo.memory);
    g_assert_cmpuint(info.threads, ==, directInfo.threads);
}

/* Inputs, output parameters, info structs and returned strings. */
static void testDomainStubs(void)
{
    vmmDomainPtr dom = remoteDomainLookupByName(clientConn, "test");
    g_autofree char *xml = NULL;
    vmmDomainInfo info;
    int state = -1;
    int reason = -1;

    g_assert_nonnull(dom);
    g_assert_cmpstr(dom->name, ==, "test");
    g_assert_true(dom->conn == clientConn);
    g_assert_cmpint(remoteDomainIsActive(dom), ==, 1);
    g_assert_cmpint(remoteDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpuint(remoteDomainGetMaxMemory(dom), >, 0);
    g_assert_cmpint(remoteDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpuint(info.nrVirtCpu, >, 0);

    g_assert_cmpint(remoteDomainSuspend(dom), ==, 0);
    g_assert_cmpint(remoteDomainGetState(dom, &state, &reason, 0), ==, 0);
    g_assert_cmpint(state, ==, VMM_DOMAIN_PAUSED);
    g_assert_cmpint(remoteDomainResume(dom), ==, 0);

    xml = remoteDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(xml);
    g_assert_nonnull(strstr(xml, "<name>test</name>"));
    vmmDomainFree(dom);
}

/* The daemon's error reaches the caller with its code and words, also
 * when the handler released a domain handle after the failure. */
static void testErrorsCrossOver(void)
{
    vmmDomainPtr dom = remoteDomainLookupByName(clientConn, "test");

    g_assert_null(remoteDomainLookupByName(clientConn, "nope"));
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(errorGetLast()->message, "nope"));
    errorReset();

    g_assert_cmpint(remoteDomainResume(dom), ==, -1); /* not paused */
    g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_OPERATION_INVALID);
    errorReset();
    vmmDomainFree(dom);
}

/* A procedure the daemon does not implement gets an error reply, whether
 * the protocol does not carry it (57) or carries it without a handler
 * (174, update-device-flags, until the API has it). */
static void testUnsupported(void)
{
    static const int numbers[] = {57, 174};

    for (size_t i = 0; i < G_N_ELEMENTS(numbers); i++) {
        g_assert_cmpint(remoteClientCall(clientConn, numbers[i], RPC_XDR_VOID,
                                         NULL, RPC_XDR_VOID, NULL),
                        ==, -1);
        g_assert_cmpint(errorGetLast()->code, ==, VMM_ERR_NO_SUPPORT);
        g_assert_cmpint(errorGetLast()->domain, ==, VMM_FROM_REMOTE);
        errorReset();
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    serverConn = vmmConnectOpen("test:///default");
    clientConn = vmmConnectOpen("test:///default");
    g_assert_nonnull(serverConn);
    g_assert_nonnull(clientConn);
    g_test_add_func("/rpc/dispatch/table", testTable);
    g_test_add_func("/rpc/dispatch/wire-structs", testWireStructs);
    g_test_add_func("/rpc/dispatch/connect-stubs", testConnectStubs);
    g_test_add_func("/rpc/dispatch/domain-stubs", testDomainStubs);
    g_test_add_func("/rpc/dispatch/errors", testErrorsCrossOver);
    g_test_add_func("/rpc/dispatch/unsupported", testUnsupported);
    ret = g_test_run();
    vmmConnectClose(clientConn);
    vmmConnectClose(serverConn);
    return ret;
}
