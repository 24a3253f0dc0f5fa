/*
 * vsh_cmd_device.h: commands about a domain's disks and interfaces
 * (attach / detach, listings, I/O counters), domain statistics and
 * domain capabilities, in the help groups virsh puts them in.
 */
#ifndef VSH_CMD_DEVICE_H
#define VSH_CMD_DEVICE_H

#include "vsh_parse.h"

extern const vshCmdDef vshDeviceCmds[];        /* Domain Management */
extern const vshCmdDef vshDeviceMonitorCmds[]; /* Domain Monitoring */
extern const vshCmdDef vshDomcapsCmds[];       /* Host and Hypervisor */

#endif /* VSH_CMD_DEVICE_H */
