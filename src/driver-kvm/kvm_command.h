/*
 * kvm_command.h: the QEMU command line of a domain definition.
 *
 * The whole argv is built here, in one place, with QEMU's current syntax
 * (-blockdev, -netdev + -device, -chardev, -accel): a domainDef goes in, a
 * cmdDef comes out, ready for cmdRunAsync, and cmdToString of it is the
 * golden form the xml2argv tests compare. Nothing here runs QEMU or touches
 * the file system; what only exists at run time (the monitor socket path,
 * whether to start paused) comes in kvmCommandParams.
 *
 * A construct QEMU cannot express, or that needs another driver first (a
 * <disk type='volume'>, an <interface type='network'>), is refused with
 * VMM_ERR_CONFIG_UNSUPPORTED naming it, never silently dropped.
 */
#pragma once

#include <stdbool.h>

#include "util_command.h"
#include "domain_conf.h"
#include "kvm_capabilities.h"

typedef struct {
    /* Where QEMU listens for QMP (-chardev socket,server=on). Required. */
    const char *monitorPath;
    /* The emulator when the definition has no <emulator>; NULL to make
     * <emulator> mandatory. */
    const char *defaultEmulator;
    /* -S: start with the vCPUs stopped (the driver then sends "cont"). */
    bool startPaused;
    /* -incoming VALUE when not NULL: QEMU waits for a migration stream
     * (a restore passes "defer", then QMP migrate-incoming). */
    const char *incoming;
    /* What the emulator can do; when given, a machine type, CPU model or
     * device it lacks is refused before QEMU is run. NULL: no checks (the
     * golden tests, which must not depend on the host's QEMU). */
    const kvmCaps *caps;
} kvmCommandParams;

/* The command that starts QEMU for @def. NULL with an error when @def
 * cannot be run by QEMU. */
cmdDef *kvmCommandBuild(const domainDef *def, const kvmCommandParams *params);

/* @value with every ',' doubled, as QEMU's option parser wants inside a
 * "key=value,..." list. Never NULL. */
char *kvmCommandEscape(const char *value);

/* What plugs one device of @def into a running QEMU: the options
 * kvmCommandBuild would give it, as pairs of strings in @ret_options
 * (option, value: "-blockdev", "node-name=...", then "-device", ...).
 * A disk's block nodes are numbered from @node (vmm-NODE-storage /
 * -format); an interface gets ids hostnetN / netN from @n. */
int kvmCommandDiskOptions(const domainDef *def, const domainDiskDef *disk,
                          unsigned int node, GPtrArray **ret_options);
int kvmCommandNetOptions(const domainDef *def, const domainNetDef *net,
                         unsigned int n, GPtrArray **ret_options);
