/*
 * vsh_cmd_control.h: commands on a running domain outside its lifecycle,
 * laid out as virsh's: `reset` (Domain Management) and `domcontrol`,
 * `dommemstat` (Domain Monitoring).
 */
#ifndef VSH_CMD_CONTROL_H
#define VSH_CMD_CONTROL_H

#include "vsh_parse.h"

extern const vshCmdDef vshControlCmds[];
extern const vshCmdDef vshControlMonitorCmds[];

#endif /* VSH_CMD_CONTROL_H */
