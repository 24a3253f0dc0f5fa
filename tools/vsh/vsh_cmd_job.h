/*
 * vsh_cmd_job.h: the jobs of domains: the commands domjobinfo,
 * domjobabort and save-image-dumpxml, and the progress bar that save,
 * restore and managedsave show while their job runs.
 */
#ifndef VSH_CMD_JOB_H
#define VSH_CMD_JOB_H

#include "vsh.h"

extern const vshCmdDef vshJobCmds[];

/* The blocking call of a command (vmmDomainSave...); negative: failed. */
typedef int (*vshDomainJobCall)(void *opaque);

/* Runs @call, and while it runs shows the bar "LABEL: [ 42 %]" on stderr
 * when @cmd has --verbose, or when stderr is a terminal and -q was not
 * given; never when the command prints JSON. The progress is that of
 * @dom's job, or when @dom is NULL of the domain named @domName once it
 * exists (a restore creates it). Ctrl-C while the bar runs cancels the
 * job. Returns what @call returned; errors raised by @call are reported
 * as if it had run alone. */
int vshDomainJobRun(vshControl *ctl, const vshCmd *cmd, const char *label,
                    vmmDomainPtr dom, const char *domName,
                    vshDomainJobCall call, void *opaque);

/* Whether vshDomainJobRun would show a bar for @cmd. */
gboolean vshDomainJobWantBar(vshControl *ctl, const vshCmd *cmd);

/* The name of the domain stored in the save image @file, or NULL (and no
 * error left behind) when the image cannot tell. */
char *vshSaveImageDomainName(vshControl *ctl, const char *file);

#endif /* VSH_CMD_JOB_H */
