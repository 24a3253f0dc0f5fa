/*
 * vmm.h: the public C API of libvmm, the one header programs include.
 *
 * Link with `pkg-config --libs libvmm`. Every function is thread safe.
 * Errors: a function that fails returns -1 or NULL and sets the calling
 * thread's last error (vmm-error.h); one that succeeds leaves it untouched.
 */
#ifndef VMM_H
#define VMM_H

#define VMM_H_INCLUDED

#include <vmm/vmm-common.h>
#include <vmm/vmm-error.h>
#include <vmm/vmm-host.h>
#include <vmm/vmm-domain.h>
#include <vmm/vmm-stream.h>
#include <vmm/vmm-snapshot.h>

#undef VMM_H_INCLUDED

#endif /* VMM_H */
