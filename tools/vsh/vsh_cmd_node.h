/*
 * vsh_cmd_node.h: the host's running figures, laid out as virsh's:
 * `nodecpustats [CPU] [--percent]` and `freecell [CELL] [--all]`
 * (Host and Hypervisor).
 */
#ifndef VSH_CMD_NODE_H
#define VSH_CMD_NODE_H

#include "vsh_parse.h"

extern const vshCmdDef vshNodeCmds[];

#endif /* VSH_CMD_NODE_H */
