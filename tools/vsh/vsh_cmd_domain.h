/*
 * vsh_cmd_domain.h: commands that manage domains: define, undefine,
 * create, start, destroy, shutdown, reboot, suspend, resume, save,
 * restore, managedsave, managedsave-remove, autostart, setmem, setmaxmem, setvcpus, vcpucount, desc,
 * dumpxml, domid, domname, domuuid.
 */
#ifndef VSH_CMD_DOMAIN_H
#define VSH_CMD_DOMAIN_H

#include "vsh_parse.h"

extern const vshCmdDef vshDomainCmds[];

#endif /* VSH_CMD_DOMAIN_H */
