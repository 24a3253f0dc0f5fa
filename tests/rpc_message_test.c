/*
 * rpc_message_test.c: the RPC framing: exact bytes of known messages
 * (worked out by hand from the XDR rules), round trips of headers,
 * payloads and error records, and refusal of messages that are too short,
 * too long, truncated or carry values out of range.
 */
#include <config.h>

#include <string.h>

#include "rpc_message.h"
#include "util_error.h"
#include "vmm_keepalive_protocol.h"
#include "vmm_remote_protocol.h"

/* CONNECT_OPEN("test:///default", flags 0) as the first call (serial 1)
 * of a connection. */
static const unsigned char connectOpenBytes[] = {
    0x00, 0x00, 0x00, 0x38, /* length: 4 + 24 + 28 = 56 */
    0x20, 0x00, 0x80, 0x86, /* prog: remote */
    0x00, 0x00, 0x00, 0x01, /* vers 1 */
    0x00, 0x00, 0x00, 0x01, /* proc 1: CONNECT_OPEN */
    0x00, 0x00, 0x00, 0x00, /* type: call */
    0x00, 0x00, 0x00, 0x01, /* serial 1 */
    0x00, 0x00, 0x00, 0x00, /* status: ok */
    0x00, 0x00, 0x00, 0x01, /* name present */
    0x00, 0x00, 0x00, 0x0f, /* 15 bytes */
    't',  'e',  's',  't',  ':', '/', '/', '/',
    'd',  'e',  'f',  'a',  'u', 'l', 't', 0x00, /* padded to 16 */
    0x00, 0x00, 0x00, 0x00,                      /* flags 0 */
};

/* An error reply to serial 7: code 42 (no domain), domain 12 (test),
 * message "no such domain", level 2, everything else absent or zero. */
static const unsigned char errorReplyBytes[] = {
    0x00, 0x00, 0x00, 0x5c, /* length: 4 + 24 + 64 = 92 */
    0x20, 0x00, 0x80, 0x86, /* prog: remote */
    0x00, 0x00, 0x00, 0x01, /* vers 1 */
    0x00, 0x00, 0x00, 0x17, /* proc 23: DOMAIN_LOOKUP_BY_NAME */
    0x00, 0x00, 0x00, 0x01, /* type: reply */
    0x00, 0x00, 0x00, 0x07, /* serial 7 */
    0x00, 0x00, 0x00, 0x01, /* status: error */
    0x00, 0x00, 0x00, 0x2a, /* code 42 */
    0x00, 0x00, 0x00, 0x0c, /* domain 12 */
    0x00, 0x00, 0x00, 0x01, /* message present */
    0x00, 0x00, 0x00, 0x0e, /* 14 bytes */
    'n',  'o',  ' ',  's',  'u', 'c', 'h',  ' ',
    'd',  'o',  'm',  'a',  'i', 'n', 0x00, 0x00, /* padded to 16 */
    0x00, 0x00, 0x00, 0x02,                       /* level: error */
    0x00, 0x00, 0x00, 0x00,                       /* dom absent */
    0x00, 0x00, 0x00, 0x00,                       /* str1 absent */
    0x00, 0x00, 0x00, 0x00,                       /* str2 absent */
    0x00, 0x00, 0x00, 0x00,                       /* str3 absent */
    0x00, 0x00, 0x00, 0x00,                       /* int1 */
    0x00, 0x00, 0x00, 0x00,                       /* int2 */
    0x00, 0x00, 0x00, 0x00,                       /* net absent */
};

/* A keepalive PING: a bare header, type message, serial 0. */
static const unsigned char pingBytes[] = {
    0x00, 0x00, 0x00, 0x1c, /* length: 28 */
    0x6b, 0x65, 0x65, 0x70, /* prog: keepalive ("keep") */
    0x00, 0x00, 0x00, 0x01, /* vers 1 */
    0x00, 0x00, 0x00, 0x01, /* proc 1: PING */
    0x00, 0x00, 0x00, 0x02, /* type: message */
    0x00, 0x00, 0x00, 0x00, /* serial 0 */
    0x00, 0x00, 0x00, 0x00, /* status: ok */
};

static void setHeader(rpcMessage *msg, int proc, int type, unsigned serial)
{
    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = proc;
    msg->header.type = type;
    msg->header.serial = serial;
    msg->header.status = VMM_NET_OK;
}

/* Receives @len bytes the way a socket reader would: length word first,
 * then the rest, then the header. */
static rpcMessage *receive(const void *bytes, size_t len)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    rpcMessagePrepareRead(msg);
    memcpy(msg->buffer, bytes, msg->bufferLength);
    if (rpcMessageDecodeLength(msg) < 0)
        return NULL;
    g_assert_cmpuint(msg->bufferLength, ==, len);
    memcpy(msg->buffer + msg->bufferOffset,
           (const char *)bytes + msg->bufferOffset,
           msg->bufferLength - msg->bufferOffset);
    if (rpcMessageDecodeHeader(msg) < 0)
        return NULL;
    return g_steal_pointer(&msg);
}

static void assertRpcError(const char *fragment)
{
    const vmmError *err = errorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VMM_ERR_RPC);
    g_assert_cmpint(err->domain, ==, VMM_FROM_RPC);
    if (!strstr(err->message, fragment))
        g_error("'%s' not in '%s'", fragment, err->message);
    errorReset();
}

static void testEncodeConnectOpenExact(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    char *uri = (char *)"test:///default";
    remote_connect_open_args args = {.name = &uri, .flags = 0};

    setHeader(msg, REMOTE_PROC_CONNECT_OPEN, VMM_NET_CALL, 1);
    g_assert_cmpint(
        rpcMessageEncode(msg, (xdrproc_t)xdr_remote_connect_open_args, &args),
        ==, 0);
    g_assert_cmpuint(msg->bufferOffset, ==, 0);
    g_assert_cmpmem(msg->buffer, msg->bufferLength, connectOpenBytes,
                    sizeof(connectOpenBytes));
}

static void testDecodeConnectOpen(void)
{
    g_autoptr(rpcMessage) msg =
        receive(connectOpenBytes, sizeof(connectOpenBytes));
    remote_connect_open_args args = {0};

    g_assert_nonnull(msg);
    g_assert_cmphex(msg->header.prog, ==, REMOTE_PROGRAM);
    g_assert_cmpuint(msg->header.vers, ==, 1);
    g_assert_cmpint(msg->header.proc, ==, REMOTE_PROC_CONNECT_OPEN);
    g_assert_cmpint(msg->header.type, ==, VMM_NET_CALL);
    g_assert_cmpuint(msg->header.serial, ==, 1);
    g_assert_cmpint(msg->header.status, ==, VMM_NET_OK);
    g_assert_cmpuint(msg->bufferOffset, ==, RPC_MESSAGE_LENGTH_MIN);

    g_assert_cmpint(rpcMessageDecodePayload(
                        msg, (xdrproc_t)xdr_remote_connect_open_args, &args),
                    ==, 0);
    g_assert_nonnull(args.name);
    g_assert_cmpstr(*args.name, ==, "test:///default");
    g_assert_cmpuint(args.flags, ==, 0);
    xdr_free((xdrproc_t)xdr_remote_connect_open_args, (char *)&args);
}

static void testEmptyPayload(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) back = NULL;
    size_t len;

    msg->header.prog = VMM_KEEPALIVE_PROGRAM;
    msg->header.vers = VMM_KEEPALIVE_PROTOCOL_VERSION;
    msg->header.proc = VMM_KEEPALIVE_PROC_PING;
    msg->header.type = VMM_NET_MESSAGE;
    g_assert_cmpint(rpcMessageEncode(msg, NULL, NULL), ==, 0);
    g_assert_cmpuint(msg->bufferLength, ==, RPC_MESSAGE_LENGTH_MIN);

    back = receive(msg->buffer, msg->bufferLength);
    g_assert_nonnull(back);
    g_assert_cmphex(back->header.prog, ==, 0x6b656570);
    g_assert_cmpint(back->header.proc, ==, VMM_KEEPALIVE_PROC_PING);
    g_assert_cmpint(back->header.type, ==, VMM_NET_MESSAGE);
    rpcMessagePayload(back, &len);
    g_assert_cmpuint(len, ==, 0);
}

static void testPingExact(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = VMM_KEEPALIVE_PROGRAM;
    msg->header.vers = VMM_KEEPALIVE_PROTOCOL_VERSION;
    msg->header.proc = VMM_KEEPALIVE_PROC_PING;
    msg->header.type = VMM_NET_MESSAGE;
    g_assert_cmpint(rpcMessageEncode(msg, NULL, NULL), ==, 0);
    g_assert_cmpmem(msg->buffer, msg->bufferLength, pingBytes,
                    sizeof(pingBytes));
}

/* rpcgen's char and short take four bytes each on the wire, as libvirt's
 * peers expect: NODE_GET_INFO's model is 32 x 4 bytes, DOMAIN_GET_INFO's
 * state and nrVirtCpu 4 bytes each. */
static void testCharAndShortLayouts(void)
{
    g_autoptr(rpcMessage) node = rpcMessageNew();
    g_autoptr(rpcMessage) dom = rpcMessageNew();
    remote_node_get_info_ret nodeInfo = {.model = "x86_64", .cpus = 2};
    remote_domain_get_info_ret domInfo = {
        .state = 1, .maxMem = 2, .memory = 3, .nrVirtCpu = 4, .cpuTime = 5};
    static const unsigned char domPayload[] = {
        0, 0, 0, 1,             /* state */
        0, 0, 0, 0, 0, 0, 0, 2, /* maxMem */
        0, 0, 0, 0, 0, 0, 0, 3, /* memory */
        0, 0, 0, 4,             /* nrVirtCpu */
        0, 0, 0, 0, 0, 0, 0, 5, /* cpuTime */
    };
    const char *payload;
    size_t len;

    setHeader(node, REMOTE_PROC_NODE_GET_INFO, VMM_NET_REPLY, 1);
    g_assert_cmpint(rpcMessageEncode(node,
                                     (xdrproc_t)xdr_remote_node_get_info_ret,
                                     &nodeInfo),
                    ==, 0);
    g_assert_cmpuint(node->bufferLength, ==, 28 + 32 * 4 + 8 + 6 * 4);
    g_assert_cmpmem(node->buffer + 28, 8, "\0\0\0x\0\0\0\x38", 8);
    g_assert_cmpmem(node->buffer + 28 + 128 + 8, 4, "\0\0\0\2", 4);

    setHeader(dom, REMOTE_PROC_DOMAIN_GET_INFO, VMM_NET_REPLY, 2);
    g_assert_cmpint(rpcMessageEncode(dom,
                                     (xdrproc_t)xdr_remote_domain_get_info_ret,
                                     &domInfo),
                    ==, 0);
    g_assert_cmpint(rpcMessageDecodeHeader(dom), ==, 0);
    payload = rpcMessagePayload(dom, &len);
    g_assert_cmpmem(payload, len, domPayload, sizeof(domPayload));
}

/* The lifecycle event stock clients decode: DOMAIN_EVENT_CALLBACK_LIFECYCLE
 * for callback 1, domain "a" (id 3) STARTED (2) / BOOTED (0). */
static void testLifecycleEventExact(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    remote_domain_event_callback_lifecycle_msg event = {
        .callbackID = 1,
        .msg = {.dom = {.name = (char *)"a", .id = 3},
                .event = VMM_DOMAIN_EVENT_STARTED,
                .detail = VMM_DOMAIN_EVENT_STARTED_BOOTED},
    };
    static const unsigned char payload[] = {
        0,    0,    0,    1,                         /* callbackID */
        0,    0,    0,    1,    'a',  0,    0,    0, /* name, padded */
        0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
        0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, /* uuid */
        0,    0,    0,    3,                            /* id */
        0,    0,    0,    2,                            /* event: started */
        0,    0,    0,    0,                            /* detail: booted */
    };
    static const unsigned char header[] = {
        0x00, 0x00, 0x00, 0x44, /* length: 28 + 40 = 68 */
        0x20, 0x00, 0x80, 0x86, /* prog: remote */
        0x00, 0x00, 0x00, 0x01, /* vers 1 */
        0x00, 0x00, 0x01, 0x3e, /* proc 318 */
        0x00, 0x00, 0x00, 0x02, /* type: message */
        0x00, 0x00, 0x00, 0x00, /* serial 0 */
        0x00, 0x00, 0x00, 0x00, /* status: ok */
    };

    memset(event.msg.dom.uuid, 0x11, sizeof(event.msg.dom.uuid));
    setHeader(msg, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, VMM_NET_MESSAGE,
              0);
    g_assert_cmpint(
        rpcMessageEncode(
            msg, (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg,
            &event),
        ==, 0);
    g_assert_cmpuint(msg->bufferLength, ==, sizeof(header) + sizeof(payload));
    g_assert_cmpmem(msg->buffer, sizeof(header), header, sizeof(header));
    g_assert_cmpmem(msg->buffer + sizeof(header), sizeof(payload), payload,
                    sizeof(payload));
}

/* Every type and status goes through unchanged, descriptor counts
 * included where the type carries one. */
static void testHeaderRoundTrip(void)
{
    for (int type = VMM_NET_CALL; type <= VMM_NET_STREAM_HOLE; type++) {
        for (int status = VMM_NET_OK; status <= VMM_NET_CONTINUE; status++) {
            g_autoptr(rpcMessage) msg = rpcMessageNew();
            g_autoptr(rpcMessage) back = NULL;

            setHeader(msg, 273, type, 0xfffffff0u + type);
            msg->header.status = status;
            msg->nfds = 3;
            g_assert_cmpint(rpcMessageEncode(msg, NULL, NULL), ==, 0);
            back = receive(msg->buffer, msg->bufferLength);
            g_assert_nonnull(back);
            g_assert_cmpint(back->header.type, ==, type);
            g_assert_cmpint(back->header.status, ==, status);
            g_assert_cmpuint(back->header.serial, ==, 0xfffffff0u + type);
            g_assert_cmpint(back->header.proc, ==, 273);
            if (type == VMM_NET_CALL_WITH_FDS || type == VMM_NET_REPLY_WITH_FDS)
                g_assert_cmpuint(back->nfds, ==, 3);
            else
                g_assert_cmpuint(back->nfds, ==, 0);
        }
    }
}

static void testListRoundTrip(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) back = NULL;
    remote_nonnull_domain doms[2] = {
        {.name = (char *)"web1", .id = 3},
        {.name = (char *)"db", .id = -1},
    };
    remote_connect_list_all_domains_ret ret = {
        .domains = {.domains_len = 2, .domains_val = doms},
        .ret = 2,
    };
    remote_connect_list_all_domains_ret got = {0};

    memset(doms[0].uuid, 0xab, sizeof(doms[0].uuid));
    setHeader(msg, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, VMM_NET_REPLY, 9);
    g_assert_cmpint(
        rpcMessageEncode(
            msg, (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &ret),
        ==, 0);
    back = receive(msg->buffer, msg->bufferLength);
    g_assert_nonnull(back);
    g_assert_cmpint(
        rpcMessageDecodePayload(
            back, (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &got),
        ==, 0);
    g_assert_cmpuint(got.domains.domains_len, ==, 2);
    g_assert_cmpstr(got.domains.domains_val[0].name, ==, "web1");
    g_assert_cmpint(got.domains.domains_val[0].id, ==, 3);
    g_assert_cmpmem(got.domains.domains_val[0].uuid, 16, doms[0].uuid, 16);
    g_assert_cmpstr(got.domains.domains_val[1].name, ==, "db");
    g_assert_cmpint(got.domains.domains_val[1].id, ==, -1);
    g_assert_cmpuint(got.ret, ==, 2);
    xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&got);
}

static void testErrorEncodeExact(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    vmmError err = {.code = VMM_ERR_NO_DOMAIN,
                    .domain = VMM_FROM_TEST,
                    .level = VMM_ERR_ERROR,
                    .message = (char *)"no such domain"};

    setHeader(msg, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, VMM_NET_REPLY, 7);
    g_assert_cmpint(rpcMessageEncodeError(msg, &err), ==, 0);
    g_assert_cmpint(msg->header.status, ==, VMM_NET_ERROR);
    g_assert_cmpmem(msg->buffer, msg->bufferLength, errorReplyBytes,
                    sizeof(errorReplyBytes));
}

static void testErrorRoundTrip(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) back = NULL;
    vmmError err = {.code = VMM_ERR_OPERATION_INVALID,
                    .domain = VMM_FROM_DOMAIN,
                    .level = VMM_ERR_ERROR,
                    .message = (char *)"Requested operation is not valid: "
                                       "domain is not running",
                    .str1 = (char *)"one",
                    .str3 = (char *)"three",
                    .int1 = -5,
                    .int2 = 77};
    vmmError got = {0};

    setHeader(msg, REMOTE_PROC_DOMAIN_DESTROY, VMM_NET_REPLY, 12);
    g_assert_cmpint(rpcMessageEncodeError(msg, &err), ==, 0);
    back = receive(msg->buffer, msg->bufferLength);
    g_assert_nonnull(back);
    g_assert_cmpint(rpcMessageDecodeError(back, &got), ==, 0);
    g_assert_cmpint(got.code, ==, err.code);
    g_assert_cmpint(got.domain, ==, err.domain);
    g_assert_cmpint(got.level, ==, err.level);
    g_assert_cmpstr(got.message, ==, err.message);
    g_assert_cmpstr(got.str1, ==, "one");
    g_assert_null(got.str2);
    g_assert_cmpstr(got.str3, ==, "three");
    g_assert_cmpint(got.int1, ==, -5);
    g_assert_cmpint(got.int2, ==, 77);
    errorClear(&got);
}

/* A failure that reported nothing still gets an answer. */
static void testErrorUnknown(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) back = NULL;
    vmmError got = {0};

    setHeader(msg, REMOTE_PROC_DOMAIN_CREATE, VMM_NET_REPLY, 1);
    g_assert_cmpint(rpcMessageEncodeError(msg, NULL), ==, 0);
    back = receive(msg->buffer, msg->bufferLength);
    g_assert_cmpint(rpcMessageDecodeError(back, &got), ==, 0);
    g_assert_cmpint(got.code, ==, VMM_ERR_INTERNAL_ERROR);
    g_assert_nonnull(got.message);
    errorClear(&got);
}

static void testDecodeErrorNeedsErrorStatus(void)
{
    g_autoptr(rpcMessage) msg =
        receive(connectOpenBytes, sizeof(connectOpenBytes));
    vmmError got = {0};

    g_assert_cmpint(rpcMessageDecodeError(msg, &got), ==, -1);
    assertRpcError("carries no error record");
    g_assert_null(got.message);
}

/* Writes @len as a length word and decodes it. */
static int decodeLength(unsigned int len)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    rpcMessagePrepareRead(msg);
    msg->buffer[0] = (len >> 24) & 0xff;
    msg->buffer[1] = (len >> 16) & 0xff;
    msg->buffer[2] = (len >> 8) & 0xff;
    msg->buffer[3] = len & 0xff;
    return rpcMessageDecodeLength(msg);
}

static void testLengthLimits(void)
{
    g_assert_cmpint(RPC_MESSAGE_LENGTH_MIN, ==, 28);
    g_assert_cmpint(RPC_MESSAGE_LENGTH_MAX, ==, 32 * 1024 * 1024 + 4);

    g_assert_cmpint(decodeLength(28), ==, 0);
    g_assert_cmpint(decodeLength(RPC_MESSAGE_LENGTH_MAX), ==, 0);
    g_assert_false(errorIsSet());

    g_assert_cmpint(decodeLength(27), ==, -1);
    assertRpcError("shorter than a header");
    g_assert_cmpint(decodeLength(0), ==, -1);
    assertRpcError("shorter than a header");
    g_assert_cmpint(decodeLength(RPC_MESSAGE_LENGTH_MAX + 1), ==, -1);
    assertRpcError("over the limit");
    g_assert_cmpint(decodeLength(0xffffffffu), ==, -1);
    assertRpcError("over the limit");
}

/* The length word promises less than the payload needs. */
static void testTruncatedPayload(void)
{
    g_autofree unsigned char *bytes =
        g_memdup2(connectOpenBytes, sizeof(connectOpenBytes));
    g_autoptr(rpcMessage) msg = NULL;
    remote_connect_open_args args = {0};

    bytes[3] = 40; /* cuts the string short */
    msg = receive(bytes, 40);
    g_assert_nonnull(msg);
    g_assert_cmpint(rpcMessageDecodePayload(
                        msg, (xdrproc_t)xdr_remote_connect_open_args, &args),
                    ==, -1);
    assertRpcError("cannot decode payload of procedure 1");
    g_assert_null(args.name);
}

/* A string length over REMOTE_STRING_MAX is refused before anything is
 * allocated for it. */
static void testOversizedString(void)
{
    g_autofree unsigned char *bytes =
        g_memdup2(connectOpenBytes, sizeof(connectOpenBytes));
    g_autoptr(rpcMessage) msg = NULL;
    remote_connect_open_args args = {0};

    bytes[32] = 0x00; /* the string length: 4 MiB + 1 */
    bytes[33] = 0x40;
    bytes[34] = 0x00;
    bytes[35] = 0x01;
    msg = receive(bytes, sizeof(connectOpenBytes));
    g_assert_cmpint(rpcMessageDecodePayload(
                        msg, (xdrproc_t)xdr_remote_connect_open_args, &args),
                    ==, -1);
    assertRpcError("cannot decode payload");
}

static void testHeaderRefusesUnknownValues(void)
{
    g_autofree unsigned char *bytes =
        g_memdup2(connectOpenBytes, sizeof(connectOpenBytes));
    g_autoptr(rpcMessage) msg = NULL;

    bytes[19] = 7; /* type 7 does not exist */
    msg = receive(bytes, sizeof(connectOpenBytes));
    g_assert_null(msg);
    assertRpcError("unknown message type 7");

    bytes[19] = 0;
    bytes[24] = 0x80; /* status 0x80000000 */
    msg = receive(bytes, sizeof(connectOpenBytes));
    g_assert_null(msg);
    assertRpcError("unknown message status");
}

static void testHeaderRefusesTooManyFds(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) back = NULL;

    setHeader(msg, REMOTE_PROC_DOMAIN_CREATE, VMM_NET_CALL_WITH_FDS, 2);
    msg->nfds = VMM_NET_MESSAGE_NUM_FDS_MAX + 1;
    g_assert_cmpint(rpcMessageEncode(msg, NULL, NULL), ==, 0);
    back = receive(msg->buffer, msg->bufferLength);
    g_assert_null(back);
    assertRpcError("descriptors");
}

/* A list over its limit is refused when encoding, not sent. */
static void testEncodeRefusesListOverLimit(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autofree int *ids = g_new0(int, REMOTE_DOMAIN_LIST_MAX + 1);
    remote_connect_list_domains_ret ret = {
        .ids = {.ids_len = REMOTE_DOMAIN_LIST_MAX + 1, .ids_val = ids},
    };

    setHeader(msg, REMOTE_PROC_CONNECT_LIST_DOMAINS, VMM_NET_REPLY, 3);
    g_assert_cmpint(
        rpcMessageEncode(msg, (xdrproc_t)xdr_remote_connect_list_domains_ret,
                         &ret),
        ==, -1);
    assertRpcError("cannot encode message of procedure 37");
    g_assert_null(msg->buffer);

    /* One fewer fits, after the buffer grew past its initial size. */
    ret.ids.ids_len = REMOTE_DOMAIN_LIST_MAX;
    g_assert_cmpint(
        rpcMessageEncode(msg, (xdrproc_t)xdr_remote_connect_list_domains_ret,
                         &ret),
        ==, 0);
    g_assert_cmpuint(msg->bufferLength, ==,
                     28 + 4 + 4 * REMOTE_DOMAIN_LIST_MAX);
}

/* Every element within its limit, but together over 32 MiB. */
static void testEncodeRefusesOversizedMessage(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autofree remote_nonnull_domain *doms =
        g_new0(remote_nonnull_domain, REMOTE_DOMAIN_LIST_MAX);
    g_autofree char *name = g_strnfill(2100, 'x');
    remote_connect_list_all_domains_ret ret = {
        .domains = {.domains_len = REMOTE_DOMAIN_LIST_MAX, .domains_val = doms},
    };

    for (size_t i = 0; i < REMOTE_DOMAIN_LIST_MAX; i++)
        doms[i].name = name;
    setHeader(msg, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, VMM_NET_REPLY, 4);
    g_assert_cmpint(
        rpcMessageEncode(
            msg, (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &ret),
        ==, -1);
    assertRpcError("cannot encode message");
}

static void testRawStreamData(void)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    g_autoptr(rpcMessage) back = NULL;
    const char data[] = "console output\n";
    const char *payload;
    size_t len;

    setHeader(msg, REMOTE_PROC_DOMAIN_OPEN_CONSOLE, VMM_NET_STREAM, 5);
    msg->header.status = VMM_NET_CONTINUE;
    g_assert_cmpint(rpcMessageEncodeRaw(msg, data, strlen(data)), ==, 0);
    g_assert_cmpuint(msg->bufferLength, ==, 28 + strlen(data));
    back = receive(msg->buffer, msg->bufferLength);
    g_assert_nonnull(back);
    g_assert_cmpint(back->header.type, ==, VMM_NET_STREAM);
    g_assert_cmpint(back->header.status, ==, VMM_NET_CONTINUE);
    payload = rpcMessagePayload(back, &len);
    g_assert_cmpmem(payload, len, data, strlen(data));

    g_assert_cmpint(
        rpcMessageEncodeRaw(msg, NULL, VMM_NET_MESSAGE_PAYLOAD_MAX + 1), ==,
        -1);
    assertRpcError("over the limit");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/message/connect-open-exact",
                    testEncodeConnectOpenExact);
    g_test_add_func("/rpc/message/connect-open-decode", testDecodeConnectOpen);
    g_test_add_func("/rpc/message/empty-payload", testEmptyPayload);
    g_test_add_func("/rpc/message/ping-exact", testPingExact);
    g_test_add_func("/rpc/message/lifecycle-event-exact",
                    testLifecycleEventExact);
    g_test_add_func("/rpc/message/char-short-layouts", testCharAndShortLayouts);
    g_test_add_func("/rpc/message/header-round-trip", testHeaderRoundTrip);
    g_test_add_func("/rpc/message/list-round-trip", testListRoundTrip);
    g_test_add_func("/rpc/message/error-exact", testErrorEncodeExact);
    g_test_add_func("/rpc/message/error-round-trip", testErrorRoundTrip);
    g_test_add_func("/rpc/message/error-unknown", testErrorUnknown);
    g_test_add_func("/rpc/message/error-needs-status",
                    testDecodeErrorNeedsErrorStatus);
    g_test_add_func("/rpc/message/length-limits", testLengthLimits);
    g_test_add_func("/rpc/message/truncated-payload", testTruncatedPayload);
    g_test_add_func("/rpc/message/oversized-string", testOversizedString);
    g_test_add_func("/rpc/message/header-unknown-values",
                    testHeaderRefusesUnknownValues);
    g_test_add_func("/rpc/message/header-too-many-fds",
                    testHeaderRefusesTooManyFds);
    g_test_add_func("/rpc/message/list-over-limit",
                    testEncodeRefusesListOverLimit);
    g_test_add_func("/rpc/message/oversized-message",
                    testEncodeRefusesOversizedMessage);
    g_test_add_func("/rpc/message/raw-stream-data", testRawStreamData);
    return g_test_run();
}
