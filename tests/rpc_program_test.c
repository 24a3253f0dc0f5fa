/*
 * rpc_program_test.c: the procedure tables generated from the .x files:
 * lookup, order, and that the annotations and payload filters of a few
 * procedures virsh uses in every session arrived intact.
 */
#include <config.h>

#include <string.h>

#include "rpc_message.h"
#include "vmm_keepalive_procs.h"
#include "vmm_keepalive_protocol.h"
#include "vmm_remote_procs.h"
#include "vmm_remote_protocol.h"

static bool hasRule(const char *const *rules, const char *rule)
{
    for (; *rules; rules++) {
        if (strcmp(*rules, rule) == 0)
            return true;
    }
    return false;
}

static void testProgramIdentity(void)
{
    g_assert_cmphex(remoteProgramInfo.program, ==, 0x20008086);
    g_assert_cmpuint(remoteProgramInfo.version, ==, 1);
    g_assert_cmpstr(remoteProgramInfo.name, ==, "remote");
    g_assert_cmphex(vmmKeepaliveProgramInfo.program, ==, 0x6b656570);
    g_assert_cmpuint(vmmKeepaliveProgramInfo.version, ==, 1);
    g_assert_cmpuint(vmmKeepaliveProgramInfo.nprocs, ==, 2);
}

static void testSortedAndFindable(void)
{
    const rpcProgramInfo *prog = &remoteProgramInfo;

    g_assert_cmpuint(prog->nprocs, >=, 70);
    for (size_t i = 0; i < prog->nprocs; i++) {
        if (i > 0)
            g_assert_cmpint(prog->procs[i - 1].number, <,
                            prog->procs[i].number);
        g_assert_true(rpcProgramFindProc(prog, prog->procs[i].number) ==
                      &prog->procs[i]);
    }
    g_assert_null(rpcProgramFindProc(prog, 0));
    g_assert_null(rpcProgramFindProc(prog, 57)); /* not carried */
    g_assert_null(rpcProgramFindProc(prog, -1));
    g_assert_null(rpcProgramFindProc(prog, 100000));
}

/* The calls of a virsh session, by their libvirt numbers. */
static void testSessionProcedures(void)
{
    static const struct {
        int number;
        const char *name;
    } expected[] = {
        {1, "CONNECT_OPEN"},
        {2, "CONNECT_CLOSE"},
        {3, "CONNECT_GET_TYPE"},
        {4, "CONNECT_GET_VERSION"},
        {7, "CONNECT_GET_CAPABILITIES"},
        {9, "DOMAIN_CREATE"},
        {10, "DOMAIN_CREATE_XML"},
        {11, "DOMAIN_DEFINE_XML"},
        {12, "DOMAIN_DESTROY"},
        {14, "DOMAIN_GET_XML_DESC"},
        {16, "DOMAIN_GET_INFO"},
        {23, "DOMAIN_LOOKUP_BY_NAME"},
        {24, "DOMAIN_LOOKUP_BY_UUID"},
        {33, "DOMAIN_SHUTDOWN"},
        {35, "DOMAIN_UNDEFINE"},
        {60, "CONNECT_SUPPORTS_FEATURE"},
        {66, "AUTH_LIST"},
        {150, "DOMAIN_IS_ACTIVE"},
        {157, "CONNECT_GET_LIB_VERSION"},
        {183, "DOMAIN_HAS_MANAGED_SAVE_IMAGE"},
        {187, "DOMAIN_SNAPSHOT_NUM"},
        {196, "DOMAIN_CREATE_WITH_FLAGS"},
        {201, "DOMAIN_OPEN_CONSOLE"},
        {212, "DOMAIN_GET_STATE"},
        {231, "DOMAIN_UNDEFINE_FLAGS"},
        {234, "DOMAIN_DESTROY_FLAGS"},
        {258, "DOMAIN_SHUTDOWN_FLAGS"},
        {273, "CONNECT_LIST_ALL_DOMAINS"},
        {316, "CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY"},
        {317, "CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY"},
        {318, "DOMAIN_EVENT_CALLBACK_LIFECYCLE"},
        {350, "DOMAIN_DEFINE_XML_FLAGS"},
        {360, "CONNECT_REGISTER_CLOSE_CALLBACK"},
        {361, "CONNECT_UNREGISTER_CLOSE_CALLBACK"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(expected); i++) {
        const rpcProcInfo *proc =
            rpcProgramFindProc(&remoteProgramInfo, expected[i].number);

        g_assert_nonnull(proc);
        g_assert_cmpstr(proc->name, ==, expected[i].name);
    }
}

static void testPolicy(void)
{
    const rpcProcInfo *open = rpcProgramFindProc(&remoteProgramInfo, 1);
    const rpcProcInfo *create = rpcProgramFindProc(&remoteProgramInfo, 9);
    const rpcProcInfo *xml = rpcProgramFindProc(&remoteProgramInfo, 14);
    const rpcProcInfo *console = rpcProgramFindProc(&remoteProgramInfo, 201);
    const rpcProcInfo *authList = rpcProgramFindProc(&remoteProgramInfo, 66);
    const rpcProcInfo *listAll = rpcProgramFindProc(&remoteProgramInfo, 273);

    g_assert_true(open->readonly);
    g_assert_true(open->highPriority);
    g_assert_false(create->readonly);
    g_assert_false(create->highPriority);
    g_assert_true(hasRule(create->acl, "domain:start"));
    g_assert_true(xml->readonly);
    g_assert_true(
        hasRule(xml->acl, "domain:read_secure:VIR_DOMAIN_XML_SECURE"));
    g_assert_cmpint(console->stream, ==, RPC_PROC_STREAM_READ);
    g_assert_false(console->readonly);
    g_assert_null(authList->acl[0]);
    g_assert_true(hasRule(listAll->aclFilter, "domain:getattr"));
    g_assert_cmpint(create->stream, ==, RPC_PROC_STREAM_NONE);
}

static void testPayloadFilters(void)
{
    const rpcProcInfo *open = rpcProgramFindProc(&remoteProgramInfo, 1);
    const rpcProcInfo *state = rpcProgramFindProc(&remoteProgramInfo, 212);
    const rpcProcInfo *event = rpcProgramFindProc(&remoteProgramInfo, 318);
    const rpcProcInfo *close = rpcProgramFindProc(&remoteProgramInfo, 2);
    const rpcProcInfo *ping =
        rpcProgramFindProc(&vmmKeepaliveProgramInfo, VMM_KEEPALIVE_PROC_PING);

    g_assert_true(open->argsFilter == (xdrproc_t)xdr_remote_connect_open_args);
    g_assert_cmpuint(open->argsSize, ==, sizeof(remote_connect_open_args));
    g_assert_true(open->retFilter == RPC_XDR_VOID);
    g_assert_cmpuint(open->retSize, ==, 0);
    g_assert_true(state->retFilter ==
                  (xdrproc_t)xdr_remote_domain_get_state_ret);
    g_assert_true(event->event);
    g_assert_true(event->argsFilter ==
                  (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg);
    g_assert_false(close->event);
    g_assert_cmpuint(close->argsSize, ==, 0);
    g_assert_nonnull(ping);
    g_assert_cmpuint(ping->argsSize, ==, 0);
}

/* A payload decoded and re-encoded through the table's filters comes back
 * byte for byte, the way the daemon will handle every call. */
static void testFiltersRoundTrip(void)
{
    const rpcProcInfo *proc = rpcProgramFindProc(&remoteProgramInfo, 350);
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) again = rpcMessageNew();
    remote_domain_define_xml_flags_args args = {
        .xml = (char *)"<domain type='test'><name>a</name></domain>",
        .flags = 1,
    };
    g_autofree void *decoded = g_malloc0(proc->argsSize);

    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = proc->number;
    g_assert_cmpint(rpcMessageEncode(msg, proc->argsFilter, &args), ==, 0);
    g_assert_cmpint(rpcMessageDecodeHeader(msg), ==, 0);
    g_assert_cmpint(rpcMessageDecodePayload(msg, proc->argsFilter, decoded), ==,
                    0);
    again->header = msg->header;
    g_assert_cmpint(rpcMessageEncode(again, proc->argsFilter, decoded), ==, 0);
    g_assert_cmpmem(again->buffer, again->bufferLength, msg->buffer,
                    msg->bufferLength);
    xdr_free(proc->argsFilter, decoded);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/program/identity", testProgramIdentity);
    g_test_add_func("/rpc/program/sorted", testSortedAndFindable);
    g_test_add_func("/rpc/program/session", testSessionProcedures);
    g_test_add_func("/rpc/program/policy", testPolicy);
    g_test_add_func("/rpc/program/filters", testPayloadFilters);
    g_test_add_func("/rpc/program/filters-round-trip", testFiltersRoundTrip);
    return g_test_run();
}
