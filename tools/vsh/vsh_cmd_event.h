/*
 * vsh_cmd_event.h: the event command, which waits for domain events and
 * prints them as they arrive.
 */
#ifndef VSH_CMD_EVENT_H
#define VSH_CMD_EVENT_H

#include "vsh_parse.h"

extern const vshCmdDef vshEventCmds[];

#endif /* VSH_CMD_EVENT_H */
