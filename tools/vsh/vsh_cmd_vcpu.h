/*
 * vsh_cmd_vcpu.h: the commands about single vCPUs (vcpuinfo, vcpupin),
 * laid out as virsh's. Counting and resizing (vcpucount, setvcpus) are
 * vsh_cmd_domain.c's.
 */
#ifndef VSH_CMD_VCPU_H
#define VSH_CMD_VCPU_H

#include "vsh_parse.h"

extern const vshCmdDef vshVcpuCmds[];

#endif /* VSH_CMD_VCPU_H */
