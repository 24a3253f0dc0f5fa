/*
 * rpc_program.h: what the RPC layer knows about one program (remote,
 * keepalive) and each of its procedures: payload filters and sizes, and
 * the policy the daemon applies before dispatching.
 *
 * The tables themselves are generated from the annotated .x files by
 * scripts/rpcgen (vmm_remote_procs.c, vmm_keepalive_procs.c); this header
 * only gives their shape and the lookup. It knows nothing of sockets or
 * of the public API.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <rpc/rpc.h>

/* Whether a procedure opens a stream, and which way its data flows. */
typedef enum {
    RPC_PROC_STREAM_NONE = 0,
    RPC_PROC_STREAM_READ,  /* data from the daemon to the client */
    RPC_PROC_STREAM_WRITE, /* data from the client to the daemon */
} rpcProcStream;

/* Which side's glue is generated from the .x alone. */
typedef enum {
    RPC_PROC_GENERATE_NONE = 0,
    RPC_PROC_GENERATE_CLIENT = 1 << 0,
    RPC_PROC_GENERATE_SERVER = 1 << 1,
    RPC_PROC_GENERATE_BOTH =
        RPC_PROC_GENERATE_CLIENT | RPC_PROC_GENERATE_SERVER,
} rpcProcGenerate;

/* The filter of an empty payload. xdr_void takes no arguments in
 * libtirpc's prototype; going through void (*)(void) says the cast to the
 * variadic xdrproc_t is meant (XDR filters are all called that way). */
#define RPC_XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

typedef struct {
    int number;
    const char *name; /* e.g. "DOMAIN_CREATE" */
    /* The payload the caller sends: a call's arguments, or for an event
     * its message. RPC_XDR_VOID and 0 when empty. */
    xdrproc_t argsFilter;
    size_t argsSize;
    /* The payload of a successful reply; RPC_XDR_VOID and 0 when empty. */
    xdrproc_t retFilter;
    size_t retSize;
    bool event;        /* sent as VMM_NET_MESSAGE, never answered */
    bool readonly;     /* allowed on a read-only connection */
    bool highPriority; /* never waits on a hypervisor */
    rpcProcStream stream;
    rpcProcGenerate generate;
    /* Access rules "object:permission[:FLAG]", NULL-terminated; empty
     * when none applies. aclFilter rules filter returned lists. */
    const char *const *acl;
    const char *const *aclFilter;
} rpcProcInfo;

typedef struct {
    const char *name; /* e.g. "remote" */
    unsigned int program;
    unsigned int version;
    const rpcProcInfo *procs; /* sorted by number */
    size_t nprocs;
} rpcProgramInfo;

/* The procedure numbered @number, or NULL when @prog has none (which the
 * daemon answers with VMM_ERR_NO_SUPPORT). */
const rpcProcInfo *rpcProgramFindProc(const rpcProgramInfo *prog, int number);
