/*
 * vsh_cmd_monitor.h: commands that look at domains without changing
 * them: list, dominfo, domstate. Also the state and reason names shared
 * with other commands.
 */
#ifndef VSH_CMD_MONITOR_H
#define VSH_CMD_MONITOR_H

#include "vsh.h"

extern const vshCmdDef vshMonitorCmds[];

/* "running", "shut off"... as virsh names them. */
const char *vshDomainStateToString(int state);
/* "booted", "destroyed"... */
const char *vshDomainStateReasonToString(int state, int reason);

#endif /* VSH_CMD_MONITOR_H */
