/*
 * kvm_driver_device.h: the QEMU driver's device slots: attaching and
 * detaching disks and interfaces (live through QMP, and in the stored
 * definition) and their I/O counters. Signatures of driver.h.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

#include "domain_conf.h"
#include "domain_obj.h"
#include "util_json.h"

int kvmDomainAttachDeviceFlags(vmmDomainPtr dom, const char *xml,
                               unsigned int flags);
int kvmDomainDetachDeviceFlags(vmmDomainPtr dom, const char *xml,
                               unsigned int flags);
int kvmDomainBlockStats(vmmDomainPtr dom, const char *path,
                        vmmDomainBlockStatsPtr stats);
int kvmDomainInterfaceStats(vmmDomainPtr dom, const char *device,
                            vmmDomainInterfaceStatsPtr stats);

/* QEMU's DEVICE_DELETED about @obj's QEMU (@data: its "data"), from the
 * monitor's thread: wakes a detach waiting for it. */
void kvmDeviceDeletedEvent(domainObj *obj, const jsonValue *data);

/* device_del of device @id of @obj (locked, job held), then waits up to
 * @timeoutMs for QEMU's DEVICE_DELETED (the guest has released it): 1
 * when it is gone, 0 (no error raised) when it is still there. */
int kvmDeviceDeleteWait(domainObj *obj, const char *id, int timeoutMs);

/* The qdev id QEMU knows @disk of @def by ("virtio-disk1"). */
char *kvmDeviceDiskId(const domainDef *def, const domainDiskDef *disk);
/* Whether @qdev (query-block / query-blockstats) is device @id: QEMU
 * names it by id or by its QOM path. NULL @qdev: false. */
bool kvmDeviceQdevIs(const char *qdev, const char *id);
