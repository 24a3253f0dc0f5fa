/*
 * vsh_cmd_snapshot.h: the snapshot commands (snapshot-create-as,
 * snapshot-list, snapshot-revert, snapshot-delete, snapshot-current),
 * laid out as virsh's.
 */
#ifndef VSH_CMD_SNAPSHOT_H
#define VSH_CMD_SNAPSHOT_H

#include "vsh_parse.h"

extern const vshCmdDef vshSnapshotCmds[];

#endif /* VSH_CMD_SNAPSHOT_H */
