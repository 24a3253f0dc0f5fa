/*
 * vsh_table.h: the command set of vsh, in groups as virsh presents them,
 * and the help that is generated from the option tables. The commands of
 * the shell itself (help, quit, exit, connect) live here too.
 */
#ifndef VSH_TABLE_H
#define VSH_TABLE_H

#include "vsh.h"

/* The command called @name, or NULL. */
const vshCmdDef *vshTableLookup(const char *name);
/* Every command, sorted by name (the array owns nothing). */
GPtrArray *vshTableAllCommands(void);
/* Prints help for a group keyword, a command, or everything. */
gboolean vshTableHelp(vshControl *ctl, const char *topic);

#endif /* VSH_TABLE_H */
