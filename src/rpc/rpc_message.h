/*
 * rpc_message.h: one RPC message and its wire framing.
 *
 * On the wire a message is a 4-byte big-endian length that counts itself,
 * the XDR header (vmm_net_message_header), then the XDR payload. An
 * rpcMessage holds the decoded header and a buffer with the whole wire
 * form.
 *
 * Sending: fill msg->header, then rpcMessageEncode* builds the buffer;
 * write buffer[bufferOffset..bufferLength) as the socket accepts it.
 * Receiving: rpcMessagePrepareRead, read until bufferOffset reaches
 * bufferLength (4 bytes), rpcMessageDecodeLength (which sets the full
 * length), read the rest, rpcMessageDecodeHeader, then decode the payload
 * with the procedure's filter. Every decoder refuses bad input with an
 * error instead of trusting it.
 *
 * Sockets, queues, dispatch and streams' flow control live elsewhere.
 */
#pragma once

#include <glib.h>
#include <rpc/rpc.h>
#include <stdbool.h>

#include <vmm/vmm.h>

#include "vmm_net_protocol.h"

/* Bounds of the length word, which counts itself: a bare header at least,
 * a header plus the largest payload at most. */
#define RPC_MESSAGE_LENGTH_MIN                                                 \
    (VMM_NET_MESSAGE_LEN_MAX + VMM_NET_MESSAGE_HEADER_MAX)
#define RPC_MESSAGE_LENGTH_MAX (VMM_NET_MESSAGE_LEN_MAX + VMM_NET_MESSAGE_MAX)

typedef struct _rpcMessage rpcMessage;
struct _rpcMessage {
    vmm_net_message_header header;
    /* Descriptors announced by a *_WITH_FDS message; the descriptors
     * themselves travel beside the bytes (SCM_RIGHTS). */
    unsigned int nfds;
    char *buffer;        /* the wire form, length word first */
    size_t bufferLength; /* bytes of the wire form */
    size_t bufferOffset; /* bytes already read or written; after
                            rpcMessageDecodeHeader, the payload's
                            start */
};

rpcMessage *rpcMessageNew(void);
void rpcMessageFree(rpcMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rpcMessage, rpcMessageFree)

/* Empties @msg (header, buffer, counters) for reuse. */
void rpcMessageClear(rpcMessage *msg);

/* Encodes msg->header then @data with @filter (NULL: empty payload) into
 * msg->buffer, ready to send from offset 0. The buffer starts at
 * VMM_NET_MESSAGE_INITIAL bytes and grows up to RPC_MESSAGE_LENGTH_MAX;
 * a payload that fits in none, or that @filter refuses (a string or list
 * over its limit), is an error. @data is not modified. */
int rpcMessageEncode(rpcMessage *msg, xdrproc_t filter, const void *data);

/* Encodes msg->header followed by @len raw bytes (stream data). */
int rpcMessageEncodeRaw(rpcMessage *msg, const char *data, size_t len);

/* Turns @msg into an error answer: status VMM_NET_ERROR, payload the
 * error record of @err. A NULL @err (a failure that reported nothing)
 * sends a generic internal error, so the peer is never left without an
 * answer. */
int rpcMessageEncodeError(rpcMessage *msg, const vmmError *err);

/* Sets the buffer up to receive the 4-byte length word. */
void rpcMessagePrepareRead(rpcMessage *msg);

/* Decodes the length word in buffer[0..4), refusing lengths outside
 * [RPC_MESSAGE_LENGTH_MIN, RPC_MESSAGE_LENGTH_MAX], and grows the buffer
 * to take the whole message: bufferLength becomes the total, bufferOffset
 * stays at 4. */
int rpcMessageDecodeLength(rpcMessage *msg);

/* Decodes the header (and the descriptor count of *_WITH_FDS types) from
 * a complete message; refuses unknown types and statuses. Leaves
 * bufferOffset at the start of the payload. */
int rpcMessageDecodeHeader(rpcMessage *msg);

/* Decodes the payload into @ret_data, which the caller zeroed; release it
 * with xdr_free(filter, ret_data). On failure @ret_data holds nothing. */
int rpcMessageDecodePayload(rpcMessage *msg, xdrproc_t filter, void *ret_data);

/* The raw payload of a decoded message (stream data). */
const char *rpcMessagePayload(const rpcMessage *msg, size_t *ret_len);

/* Decodes the error record of a status VMM_NET_ERROR message into
 * @ret_err (release with errorClear). */
int rpcMessageDecodeError(rpcMessage *msg, vmmError *ret_err);

/* Copies between our error and its wire record. The wire record's
 * strings are heap copies: release with
 * xdr_free((xdrproc_t)xdr_vmm_net_error, wire). The dom and net members
 * are never filled (clients ignore them). */
void rpcErrorToWire(const vmmError *err, vmm_net_error *ret_wire);
void rpcErrorFromWire(const vmm_net_error *wire, vmmError *ret_err);
