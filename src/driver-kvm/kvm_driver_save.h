/*
 * kvm_driver_save.h: saving a running QEMU guest's state to a file and
 * starting it again from there (save / restore, and managed save into the
 * driver's state dir), through QMP migration.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

#include "domain_obj.h"

/* For kvm_driver_lifecycle.c: */
/* Feeds the save image @image to the QEMU of @obj (locked, job held) that
 * was started with -incoming defer, and waits until it is loaded. */
int kvmSaveLoadIncoming(domainObj *obj, const char *image);
/* true when @obj (locked) has a managed save image. */
bool kvmSaveHasManagedImage(domainObj *obj);
/* Starts @obj (locked, job held, inactive) from its managed save image,
 * which is removed once the guest runs. */
int kvmSaveStartManagedLocked(domainObj *obj, bool paused);

/* Sets hasManagedSave of every guest from the images on disk (for the
 * list filters); called once when the driver starts. */
void kvmSaveScanManagedImages(void);

/* For kvm_driver_domain.c: undefine refuses while an image exists unless
 * @removeImage, which then removes it. */
int kvmSaveCheckUndefine(domainObj *obj, bool removeImage);

int kvmDomainSaveFlags(vmmDomainPtr dom, const char *to, const char *dxml,
                       unsigned int flags);
int kvmDomainRestoreFlags(vmmConnectPtr conn, const char *from,
                          const char *dxml, unsigned int flags);
int kvmDomainManagedSave(vmmDomainPtr dom, unsigned int flags);
int kvmDomainHasManagedSaveImage(vmmDomainPtr dom, unsigned int flags);
int kvmDomainManagedSaveRemove(vmmDomainPtr dom, unsigned int flags);
char *kvmDomainSaveImageGetXMLDesc(vmmConnectPtr conn, const char *file,
                                   unsigned int flags);
