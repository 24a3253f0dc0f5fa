/*
 * vsh_cmd_console.h: the console command, which connects the terminal to
 * a guest's serial console through a stream.
 */
#ifndef VSH_CMD_CONSOLE_H
#define VSH_CMD_CONSOLE_H

#include "vsh_parse.h"

extern const vshCmdDef vshConsoleCmds[];

#endif /* VSH_CMD_CONSOLE_H */
