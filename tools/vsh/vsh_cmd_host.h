/*
 * vsh_cmd_host.h: commands about the connection and the host: uri,
 * version, hostname, nodeinfo, capabilities.
 */
#ifndef VSH_CMD_HOST_H
#define VSH_CMD_HOST_H

#include "vsh_parse.h"

extern const vshCmdDef vshHostCmds[];

#endif /* VSH_CMD_HOST_H */
