/*
 * rpc_dispatch.h: what the generated server glue (vmm_remote_dispatch.c)
 * stands on: the shape of a dispatch table, and the conversions between
 * wire objects and public API handles that every handler needs.
 *
 * A handler takes the decoded arguments, calls the public API on the
 * daemon's connection and fills the result; on failure it returns -1 with
 * the API's error left as the thread's last error, for the daemon to send
 * back. Access checks, read-only refusal and the encoding of the reply
 * are the daemon's, done once for every procedure from the tables.
 *
 * This part of src/rpc calls the public API, so only programs that link
 * libvmm (vmmd) link libvmm_rpc_server.la.
 */
#pragma once

#include <stddef.h>

#include <vmm/vmm.h>

#include "vmm_remote_protocol.h"

/* @args and @ret point to the procedure's decoded _args and zeroed _ret
 * structures (or are unused when the procedure has none). */
typedef int (*rpcDispatchFunc)(vmmConnectPtr conn, void *args, void *ret);

typedef struct {
    int number;
    rpcDispatchFunc func;
} rpcDispatchEntry;

typedef struct {
    const rpcDispatchEntry *entries; /* sorted by number */
    size_t nentries;
} rpcDispatchTable;

/* The generated handler of @number, or NULL when the procedure has none
 * (hand-written in the daemon, or not supported). */
rpcDispatchFunc rpcDispatchFind(const rpcDispatchTable *table, int number);

/* A handle on the domain a call names (looked up by UUID on @conn), or
 * NULL with VMM_ERR_NO_DOMAIN set. */
vmmDomainPtr rpcDispatchDomainGet(vmmConnectPtr conn,
                                  const remote_nonnull_domain *wire);

/* Fills @ret_wire from @dom (name copied, for xdr_free to release). */
void rpcDispatchDomainToWire(vmmDomainPtr dom, remote_nonnull_domain *ret_wire);

/* Drops a handle without disturbing the thread's last error, which may
 * hold the failure the caller is about to report. Accepts NULL. */
void rpcDispatchDomainRelease(vmmDomainPtr dom);

/* The answer of a call that lists domains: @n of them in @list (NULL
 * when the client asked for the count only), which this frees in any
 * case. Fills @ret_val and @ret_len (for xdr_free to release) when there
 * is a list; -1 with the error set when @n passes @max. */
int rpcDispatchDomainListToWire(vmmDomainPtr *list, int n, int max,
                                remote_nonnull_domain **ret_val,
                                u_int *ret_len);

/* The same four for snapshots, which travel as their name and their
 * domain: Get looks the domain up by UUID, then the snapshot by name. */
vmmDomainSnapshotPtr
rpcDispatchSnapshotGet(vmmConnectPtr conn,
                       const remote_nonnull_domain_snapshot *wire);
void rpcDispatchSnapshotToWire(vmmDomainSnapshotPtr snap,
                               remote_nonnull_domain_snapshot *ret_wire);
void rpcDispatchSnapshotRelease(vmmDomainSnapshotPtr snap);
int rpcDispatchSnapshotListToWire(vmmDomainSnapshotPtr *list, int n, int max,
                                  remote_nonnull_domain_snapshot **ret_val,
                                  u_int *ret_len);
