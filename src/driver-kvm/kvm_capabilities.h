/*
 * kvm_capabilities.h: what a QEMU binary can do, asked once through QMP.
 *
 * A probe starts the binary with "-machine none" (nothing boots), asks
 * query-version, query-machines, query-cpu-definitions, query-kvm and
 * qom-list-types (devices), and quits. When KVM is present, a second run
 * under -accel kvm expands CPU model "host" to tell whether KVM can really
 * run guests (it may be present and broken). The answer is cached per
 * binary path and its mtime (an upgraded QEMU is probed again): in memory,
 * and as one JSON file per binary in the cache directory, written
 * atomically, so a restarted daemon does not probe again either.
 *
 * kvmCaps are immutable once made and reference counted, so callers may
 * keep one while the cache replaces it.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include "util_json.h"

typedef struct _kvmCaps kvmCaps;
typedef struct _kvmCapsCache kvmCapsCache;

/* @cacheDir (created when missing) may be NULL: memory only. */
kvmCapsCache *kvmCapsCacheNew(const char *cacheDir);
void kvmCapsCacheFree(kvmCapsCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kvmCapsCache, kvmCapsCacheFree)

/* The capabilities of @binary (an absolute path): from memory, else from
 * the cache file, else by probing. *@ret_caps gets a new reference. Thread
 * safe; concurrent lookups of one binary probe it once. */
int kvmCapsCacheLookup(kvmCapsCache *cache, const char *binary,
                       kvmCaps **ret_caps);

/* How many times this cache has run QEMU to probe (for tests and logs). */
unsigned int kvmCapsCacheGetProbeCount(kvmCapsCache *cache);

kvmCaps *kvmCapsRef(kvmCaps *caps);
void kvmCapsUnref(kvmCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kvmCaps, kvmCapsUnref)

const char *kvmCapsGetBinary(const kvmCaps *caps);
/* major * 1000000 + minor * 1000 + micro, e.g. 7002022 for 7.2.22. */
unsigned long kvmCapsGetVersion(const kvmCaps *caps);
/* The machine type used when a definition names none (NULL if QEMU has
 * no default). */
const char *kvmCapsGetDefaultMachine(const kvmCaps *caps);
/* @name may be a machine type or an alias ("pc", "q35"); NULL when
 * unknown, else the canonical name ("pc-i440fx-7.2"). */
const char *kvmCapsResolveMachine(const kvmCaps *caps, const char *name);
bool kvmCapsHasCPUModel(const kvmCaps *caps, const char *model);
bool kvmCapsHasDevice(const kvmCaps *caps, const char *type);
/* KVM can run guests with this QEMU: query-kvm says "present" and KVM's
 * "host" CPU model is sane (kvmCapsCheckHostModel). */
bool kvmCapsHasKVM(const kvmCaps *caps);
/* Why KVM cannot run guests (a clause to follow "KVM cannot run guests on
 * this host: "), NULL when it can. */
const char *kvmCapsGetKVMProblem(const kvmCaps *caps);

/* The decision behind the above, from the text of /proc/cpuinfo and the
 * "props" object of QEMU's full expansion of CPU model "host" under
 * -accel kvm: NULL when KVM's model offers the baseline features (SSE3,
 * SSSE3, SSE4.1, SSE4.2, ...) that the host CPU has, else why not. A
 * broken nested KVM drops them and its guests hang. */
char *kvmCapsCheckHostModel(const char *cpuinfo, const jsonValue *props);

/* The JSON form written to the cache file (for tests). */
char *kvmCapsFormat(const kvmCaps *caps);
