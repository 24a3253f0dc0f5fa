/*
 * rpc_dispatch_test.c: the generated server glue, driven the way vmmd
 * will drive it: a call encoded as a client sends it, decoded with the
 * procedure table's filter, handed to the generated handler on a real
 * test:///default connection, the reply (or error) encoded and decoded
 * again. Linked like vmmd: the layers' convenience libraries, not
 * libvmm.so.
 */
#include <config.h>

#include <string.h>

#include "rpc_dispatch.h"
#include "rpc_message.h"
#include "util_error.h"
#include "vmm_remote_dispatch.h"
#include "vmm_remote_procs.h"
#include "vmm_remote_protocol.h"

static vmmConnectPtr conn;

/* Runs procedure @number with @args through encode, decode, handler and
 * the reply's encode; returns the reply with its header decoded, ready
 * for rpcMessageDecodePayload or rpcMessageDecodeError. */
static rpcMessage *call(int number, const void *args)
{
    const rpcProcInfo *proc = rpcProgramFindProc(&remoteProgramInfo, number);
    rpcDispatchFunc func = rpcDispatchFind(&remoteDispatchTable, number);
    g_autoptr(rpcMessage) in = rpcMessageNew();
    g_autoptr(rpcMessage) out = rpcMessageNew();
    g_autofree void *decoded = g_malloc0(MAX(proc->argsSize, 1));
    g_autofree void *ret = g_malloc0(MAX(proc->retSize, 1));
    vmm_net_message_header header = {
        .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION,
        .proc = number, .type = VMM_NET_CALL, .serial = 42,
        .status = VMM_NET_OK,
    };

    g_assert_nonnull(func);
    in->header = header;
    g_assert_cmpint(rpcMessageEncode(in, proc->argsFilter, args), ==, 0);
    g_assert_cmpint(rpcMessageDecodeHeader(in), ==, 0);
    g_assert_cmpint(rpcMessageDecodePayload(in, proc->argsFilter, decoded),
                    ==, 0);

    out->header = in->header;
    out->header.type = VMM_NET_REPLY;
    if (func(conn, decoded, ret) < 0) {
        g_assert_true(errorIsSet());
        g_assert_cmpint(rpcMessageEncodeError(out, errorGetLast()), ==, 0);
        errorReset();
    } else {
        g_assert_false(errorIsSet());
        g_assert_cmpint(rpcMessageEncode(out, proc->retFilter, ret), ==, 0);
    }
    xdr_free(proc->argsFilter, decoded);
    xdr_free(proc->retFilter, ret);

    g_assert_cmpint(rpcMessageDecodeHeader(out), ==, 0);
    g_assert_cmpuint(out->header.serial, ==, 42);
    return g_steal_pointer(&out);
}

/* Runs a call that must succeed and decodes its result into @ret. */
static void callOk(int number, const void *args, void *ret)
{
    const rpcProcInfo *proc = rpcProgramFindProc(&remoteProgramInfo, number);
    g_autoptr(rpcMessage) reply = call(number, args);

    if (reply->header.status != VMM_NET_OK) {
        vmmError err = { 0 };

        rpcMessageDecodeError(reply, &err);
        g_error("procedure %d failed: %s", number, err.message);
    }
    g_assert_cmpint(rpcMessageDecodePayload(reply, proc->retFilter, ret),
                    ==, 0);
}

/* Runs a call that must fail; returns the code of the error it sent. */
static int callFails(int number, const void *args, char **ret_message)
{
    g_autoptr(rpcMessage) reply = call(number, args);
    vmmError err = { 0 };
    int code;

    g_assert_cmpint(reply->header.status, ==, VMM_NET_ERROR);
    g_assert_cmpint(rpcMessageDecodeError(reply, &err), ==, 0);
    code = err.code;
    *ret_message = g_steal_pointer(&err.message);
    errorClear(&err);
    return code;
}

static void lookupTest(remote_nonnull_domain *ret_dom)
{
    remote_domain_lookup_by_name_args args = { .name = (char *)"test" };
    remote_domain_lookup_by_name_ret ret = { 0 };

    callOk(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, &args, &ret);
    *ret_dom = ret.dom;
}

static void testConnectGetType(void)
{
    remote_connect_get_type_ret ret = { 0 };

    callOk(REMOTE_PROC_CONNECT_GET_TYPE, NULL, &ret);
    g_assert_cmpstr(ret.type, ==, vmmConnectGetType(conn));
    xdr_free((xdrproc_t)xdr_remote_connect_get_type_ret, (char *)&ret);
}

static void testLookup(void)
{
    remote_nonnull_domain dom = { 0 };
    vmmDomainPtr direct = vmmDomainLookupByName(conn, "test");
    unsigned char uuid[VMM_UUID_BUFLEN];

    g_assert_nonnull(direct);
    vmmDomainGetUUID(direct, uuid);
    lookupTest(&dom);
    g_assert_cmpstr(dom.name, ==, "test");
    g_assert_cmpmem(dom.uuid, VMM_UUID_BUFLEN, uuid, VMM_UUID_BUFLEN);
    g_assert_cmpint(dom.id, ==, (int)vmmDomainGetID(direct));
    vmmDomainFree(direct);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&dom);
}

static void testLookupUnknown(void)
{
    remote_domain_lookup_by_name_args args = { .name = (char *)"nope" };
    g_autofree char *message = NULL;

    g_assert_cmpint(callFails(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, &args,
                              &message), ==, VMM_ERR_NO_DOMAIN);
    g_assert_nonnull(strstr(message, "nope"));
}

static int domainState(const remote_nonnull_domain *dom)
{
    remote_domain_get_state_args args = { .dom = *dom };
    remote_domain_get_state_ret ret = { 0 };

    callOk(REMOTE_PROC_DOMAIN_GET_STATE, &args, &ret);
    return ret.state;
}

/* Output parameters, and an error that must survive the release of the
 * handle the failing call used. */
static void testLifecycle(void)
{
    remote_nonnull_domain dom = { 0 };
    remote_domain_suspend_args suspend = { 0 };
    remote_domain_resume_args resume = { 0 };
    g_autofree char *message = NULL;

    lookupTest(&dom);
    suspend.dom = dom;
    resume.dom = dom;
    g_assert_cmpint(domainState(&dom), ==, VMM_DOMAIN_RUNNING);
    callOk(REMOTE_PROC_DOMAIN_SUSPEND, &suspend, NULL);
    g_assert_cmpint(domainState(&dom), ==, VMM_DOMAIN_PAUSED);
    callOk(REMOTE_PROC_DOMAIN_RESUME, &resume, NULL);
    g_assert_cmpint(domainState(&dom), ==, VMM_DOMAIN_RUNNING);

    g_assert_cmpint(callFails(REMOTE_PROC_DOMAIN_RESUME, &resume, &message),
                    ==, VMM_ERR_OPERATION_INVALID);
    g_assert_cmpstr(message, !=, "");
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&dom);
}

static void testInfoStructs(void)
{
    remote_nonnull_domain dom = { 0 };
    remote_domain_get_info_args infoArgs = { 0 };
    remote_domain_get_info_ret info = { 0 };
    remote_node_get_info_ret node = { 0 };
    vmmNodeInfo direct;

    lookupTest(&dom);
    infoArgs.dom = dom;
    callOk(REMOTE_PROC_DOMAIN_GET_INFO, &infoArgs, &info);
    g_assert_cmpint(info.state, ==, VMM_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, >, 0);
    g_assert_cmpuint(info.nrVirtCpu, >, 0);

    callOk(REMOTE_PROC_NODE_GET_INFO, NULL, &node);
    g_assert_cmpint(vmmNodeGetInfo(conn, &direct), ==, 0);
    g_assert_cmpstr(node.model, ==, direct.model);
    g_assert_cmpuint(node.memory, ==, direct.memory);
    g_assert_cmpint(node.cpus, ==, direct.cpus);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&dom);
}

static void testXMLDesc(void)
{
    remote_nonnull_domain dom = { 0 };
    remote_domain_get_xml_desc_args args = { 0 };
    remote_domain_get_xml_desc_ret ret = { 0 };

    lookupTest(&dom);
    args.dom = dom;
    callOk(REMOTE_PROC_DOMAIN_GET_XML_DESC, &args, &ret);
    g_assert_nonnull(strstr(ret.xml, "<name>test</name>"));
    xdr_free((xdrproc_t)xdr_remote_domain_get_xml_desc_ret, (char *)&ret);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&dom);
}

/* Every procedure annotated for server generation has a handler; the
 * hand-written ones have none. */
static void testTable(void)
{
    size_t handled = 0;

    for (size_t i = 0; i < remoteProgramInfo.nprocs; i++) {
        const rpcProcInfo *proc = &remoteProgramInfo.procs[i];
        bool generated = (proc->generate & RPC_PROC_GENERATE_SERVER) &&
                         !proc->event;
        rpcDispatchFunc func = rpcDispatchFind(&remoteDispatchTable,
                                               proc->number);

        g_assert_true((func != NULL) == generated);
        handled += generated;
    }
    g_assert_cmpuint(handled, ==, remoteDispatchTable.nentries);
    g_assert_null(rpcDispatchFind(&remoteDispatchTable,
                                  REMOTE_PROC_CONNECT_OPEN));
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    conn = vmmConnectOpen("test:///default");
    g_assert_nonnull(conn);
    g_test_add_func("/rpc/dispatch/table", testTable);
    g_test_add_func("/rpc/dispatch/connect-get-type", testConnectGetType);
    g_test_add_func("/rpc/dispatch/lookup", testLookup);
    g_test_add_func("/rpc/dispatch/lookup-unknown", testLookupUnknown);
    g_test_add_func("/rpc/dispatch/lifecycle", testLifecycle);
    g_test_add_func("/rpc/dispatch/info-structs", testInfoStructs);
    g_test_add_func("/rpc/dispatch/xml-desc", testXMLDesc);
    ret = g_test_run();
    vmmConnectClose(conn);
    return ret;
}
