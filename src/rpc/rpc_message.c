/*
 * rpc_message.c: encoding and decoding of the RPC framing (see
 * rpc_message.h). XDR work is done by the rpcgen filters over a memory
 * stream; this file owns the buffer, the length word and the limits.
 */
#include <config.h>

#include <string.h>

#include "rpc_message.h"
#include "util_error.h"

#define RPC_ERROR(...) errorReport(VMM_FROM_RPC, VMM_ERR_RPC, __VA_ARGS__)

/* Words the error record carries when the failing code reported nothing. */
#define RPC_UNKNOWN_ERROR "an error occurred, but the cause is unknown"

rpcMessage *rpcMessageNew(void)
{
    return g_new0(rpcMessage, 1);
}

void rpcMessageClear(rpcMessage *msg)
{
    g_free(msg->buffer);
    memset(msg, 0, sizeof(*msg));
}

void rpcMessageFree(rpcMessage *msg)
{
    if (!msg)
        return;
    rpcMessageClear(msg);
    g_free(msg);
}

static bool messageIsWithFds(int type)
{
    return type == VMM_NET_CALL_WITH_FDS || type == VMM_NET_REPLY_WITH_FDS;
}

/* Writes the length word (big endian, as XDR's unsigned int) in front of
 * the @len bytes of @buffer. */
static void messageWriteLength(char *buffer, unsigned int len)
{
    XDR xdr;

    xdrmem_create(&xdr, buffer, VMM_NET_MESSAGE_LEN_MAX, XDR_ENCODE);
    xdr_u_int(&xdr, &len);
    xdr_destroy(&xdr);
}

/* Encodes the header (and descriptor count) at the current position of
 * @xdr, then the payload with @filter; false when either does not fit or
 * @filter refuses the data. */
static bool messageEncodeInto(rpcMessage *msg, XDR *xdr, xdrproc_t filter,
                              const void *data)
{
    if (!xdr_vmm_net_message_header(xdr, &msg->header))
        return false;
    if (messageIsWithFds(msg->header.type) && !xdr_u_int(xdr, &msg->nfds))
        return false;
    return !filter || filter(xdr, (void *)data);
}

int rpcMessageEncode(rpcMessage *msg, xdrproc_t filter, const void *data)
{
    size_t size = VMM_NET_MESSAGE_LEN_MAX + VMM_NET_MESSAGE_INITIAL;
    g_autofree char *buffer = NULL;
    unsigned int len;

    for (;;) {
        XDR xdr;
        bool done;

        g_free(buffer);
        buffer = g_malloc(size);
        xdrmem_create(&xdr, buffer, size, XDR_ENCODE);
        xdr_setpos(&xdr, VMM_NET_MESSAGE_LEN_MAX);
        done = messageEncodeInto(msg, &xdr, filter, data);
        len = xdr_getpos(&xdr);
        xdr_destroy(&xdr);
        if (done)
            break;
        /* Failing at the largest size means the data itself is refused
         * (over a limit) or really too big; retrying cannot help. */
        if (size >= RPC_MESSAGE_LENGTH_MAX) {
            RPC_ERROR("cannot encode message of procedure %d: payload over "
                      "%d bytes or a string or list over its limit",
                      msg->header.proc, VMM_NET_MESSAGE_PAYLOAD_MAX);
            return -1;
        }
        size = MIN(size * 4, (size_t)RPC_MESSAGE_LENGTH_MAX);
    }

    messageWriteLength(buffer, len);
    g_free(msg->buffer);
    /* Messages wait in queues (events for slow clients): keep only what
     * they use, not the 64 KiB the encoding started with. */
    msg->buffer = g_realloc(g_steal_pointer(&buffer), len);
    msg->bufferLength = len;
    msg->bufferOffset = 0;
    return 0;
}

int rpcMessageEncodeRaw(rpcMessage *msg, const char *data, size_t len)
{
    size_t headerLen = VMM_NET_MESSAGE_LEN_MAX + VMM_NET_MESSAGE_HEADER_MAX;
    g_autofree char *buffer = NULL;
    XDR xdr;
    bool done;

    if (len > VMM_NET_MESSAGE_PAYLOAD_MAX) {
        RPC_ERROR("stream data of %zu bytes is over the limit of %d", len,
                  VMM_NET_MESSAGE_PAYLOAD_MAX);
        return -1;
    }
    buffer = g_malloc(headerLen + len);
    xdrmem_create(&xdr, buffer, headerLen, XDR_ENCODE);
    xdr_setpos(&xdr, VMM_NET_MESSAGE_LEN_MAX);
    done = xdr_vmm_net_message_header(&xdr, &msg->header);
    xdr_destroy(&xdr);
    if (!done || messageIsWithFds(msg->header.type)) {
        RPC_ERROR("cannot encode header of raw message");
        return -1;
    }
    if (len > 0)
        memcpy(buffer + headerLen, data, len);

    messageWriteLength(buffer, headerLen + len);
    g_free(msg->buffer);
    msg->buffer = g_steal_pointer(&buffer);
    msg->bufferLength = headerLen + len;
    msg->bufferOffset = 0;
    return 0;
}

/* A heap copy of @s in an XDR optional string (NULL stays absent). */
static vmm_net_string wireStringNew(const char *s)
{
    vmm_net_string box;

    if (!s)
        return NULL;
    box = g_new0(vmm_net_nonnull_string, 1);
    *box = g_strdup(s);
    return box;
}

void rpcErrorToWire(const vmmError *err, vmm_net_error *ret_wire)
{
    vmm_net_error wire = {
        .code = err->code,
        .domain = err->domain,
        .message = wireStringNew(err->message),
        .level = err->level,
        .str1 = wireStringNew(err->str1),
        .str2 = wireStringNew(err->str2),
        .str3 = wireStringNew(err->str3),
        .int1 = err->int1,
        .int2 = err->int2,
    };

    *ret_wire = wire;
}

static char *wireStringDup(vmm_net_string s)
{
    return s ? g_strdup(*s) : NULL;
}

void rpcErrorFromWire(const vmm_net_error *wire, vmmError *ret_err)
{
    vmmError err = {
        .code = wire->code,
        .domain = wire->domain,
        .level = wire->level,
        .message = wire->message ? g_strdup(*wire->message)
                                 : g_strdup(RPC_UNKNOWN_ERROR),
        .str1 = wireStringDup(wire->str1),
        .str2 = wireStringDup(wire->str2),
        .str3 = wireStringDup(wire->str3),
        .int1 = wire->int1,
        .int2 = wire->int2,
    };

    *ret_err = err;
}

int rpcMessageEncodeError(rpcMessage *msg, const vmmError *err)
{
    vmmError unknown = {
        .code = VMM_ERR_INTERNAL_ERROR,
        .domain = VMM_FROM_RPC,
        .level = VMM_ERR_ERROR,
        .message = (char *)RPC_UNKNOWN_ERROR,
    };
    vmm_net_error wire;
    int ret;

    rpcErrorToWire(err ? err : &unknown, &wire);
    msg->header.status = VMM_NET_ERROR;
    ret = rpcMessageEncode(msg, (xdrproc_t)xdr_vmm_net_error, &wire);
    xdr_free((xdrproc_t)xdr_vmm_net_error, (char *)&wire);
    return ret;
}

void rpcMessagePrepareRead(rpcMessage *msg)
{
    rpcMessageClear(msg);
    msg->buffer = g_malloc0(VMM_NET_MESSAGE_LEN_MAX);
    msg->bufferLength = VMM_NET_MESSAGE_LEN_MAX;
}

int rpcMessageDecodeLength(rpcMessage *msg)
{
    unsigned int len = 0;
    XDR xdr;
    bool done;

    if (msg->bufferLength < VMM_NET_MESSAGE_LEN_MAX) {
        RPC_ERROR("message length word is incomplete");
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer, VMM_NET_MESSAGE_LEN_MAX, XDR_DECODE);
    done = xdr_u_int(&xdr, &len);
    xdr_destroy(&xdr);
    if (!done) {
        RPC_ERROR("cannot decode message length");
        return -1;
    }
    if (len < RPC_MESSAGE_LENGTH_MIN) {
        RPC_ERROR("message length %u is shorter than a header (%d bytes)", len,
                  RPC_MESSAGE_LENGTH_MIN);
        return -1;
    }
    if (len > RPC_MESSAGE_LENGTH_MAX) {
        RPC_ERROR("message length %u is over the limit of %d bytes", len,
                  RPC_MESSAGE_LENGTH_MAX);
        return -1;
    }
    msg->buffer = g_realloc(msg->buffer, len);
    msg->bufferLength = len;
    msg->bufferOffset = VMM_NET_MESSAGE_LEN_MAX;
    return 0;
}

static int messageCheckHeader(const rpcMessage *msg)
{
    /* The enums are decoded from any 32-bit value a peer sends. */
    int type = (int)msg->header.type;
    int status = (int)msg->header.status;

    if (type < VMM_NET_CALL || type > VMM_NET_STREAM_HOLE) {
        RPC_ERROR("unknown message type %d", type);
        return -1;
    }
    if (status < VMM_NET_OK || status > VMM_NET_CONTINUE) {
        RPC_ERROR("unknown message status %d", status);
        return -1;
    }
    if (msg->nfds > VMM_NET_MESSAGE_NUM_FDS_MAX) {
        RPC_ERROR("message passes %u descriptors, over the limit of %d",
                  msg->nfds, VMM_NET_MESSAGE_NUM_FDS_MAX);
        return -1;
    }
    return 0;
}

int rpcMessageDecodeHeader(rpcMessage *msg)
{
    vmm_net_message_header header = {0};
    unsigned int nfds = 0;
    XDR xdr;
    bool done;
    size_t pos;

    if (!msg->buffer || msg->bufferLength < RPC_MESSAGE_LENGTH_MIN) {
        RPC_ERROR("message is shorter than a header");
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + VMM_NET_MESSAGE_LEN_MAX,
                  msg->bufferLength - VMM_NET_MESSAGE_LEN_MAX, XDR_DECODE);
    done = xdr_vmm_net_message_header(&xdr, &header);
    if (done && messageIsWithFds(header.type))
        done = xdr_u_int(&xdr, &nfds);
    pos = xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    if (!done) {
        RPC_ERROR("cannot decode message header");
        return -1;
    }

    msg->header = header;
    msg->nfds = nfds;
    if (messageCheckHeader(msg) < 0)
        return -1;
    msg->bufferOffset = VMM_NET_MESSAGE_LEN_MAX + pos;
    return 0;
}

int rpcMessageDecodePayload(rpcMessage *msg, xdrproc_t filter, void *ret_data)
{
    XDR xdr;
    bool done;

    if (!msg->buffer || msg->bufferOffset > msg->bufferLength) {
        RPC_ERROR("message has no decoded header");
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    done = filter(&xdr, ret_data);
    xdr_destroy(&xdr);
    if (!done) {
        /* A filter that fails half way may have allocated members. */
        xdr_free(filter, ret_data);
        RPC_ERROR("cannot decode payload of procedure %d (program 0x%x): "
                  "truncated, or a string or list over its limit",
                  msg->header.proc, msg->header.prog);
        return -1;
    }
    return 0;
}

const char *rpcMessagePayload(const rpcMessage *msg, size_t *ret_len)
{
    *ret_len = msg->bufferLength - msg->bufferOffset;
    return msg->buffer + msg->bufferOffset;
}

int rpcMessageDecodeError(rpcMessage *msg, vmmError *ret_err)
{
    vmm_net_error wire = {0};

    if (msg->header.status != VMM_NET_ERROR) {
        RPC_ERROR("message of procedure %d carries no error record",
                  msg->header.proc);
        return -1;
    }
    if (rpcMessageDecodePayload(msg, (xdrproc_t)xdr_vmm_net_error, &wire) < 0)
        return -1;
    rpcErrorFromWire(&wire, ret_err);
    xdr_free((xdrproc_t)xdr_vmm_net_error, (char *)&wire);
    return 0;
}
