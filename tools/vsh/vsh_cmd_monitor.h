/*
 * vsh_cmd_monitor.h: commands that look at domains without changing
 * them: list, dominfo, domstate.
 */
#ifndef VSH_CMD_MONITOR_H
#define VSH_CMD_MONITOR_H

#include "vsh_parse.h"

extern const vshCmdDef vshMonitorCmds[];

#endif /* VSH_CMD_MONITOR_H */
