/*
 * rpc_program.c: lookup in the generated procedure tables (see
 * rpc_program.h).
 */
#include <config.h>

#include <stdlib.h>

#include "rpc_program.h"

static int procCompare(const void *key, const void *elem)
{
    int number = *(const int *)key;
    const rpcProcInfo *proc = elem;

    return (number > proc->number) - (number < proc->number);
}

const rpcProcInfo *rpcProgramFindProc(const rpcProgramInfo *prog, int number)
{
    return bsearch(&number, prog->procs, prog->nprocs, sizeof(rpcProcInfo),
                   procCompare);
}
