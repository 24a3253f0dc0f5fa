/*
 * kvm_save_stream.h: the path of a save image's bytes between QEMU and
 * the image file. QEMU migrates to (save) or from (restore) a unix socket
 * of the daemon's, and a thread of ours copies between that socket and
 * the image.
 *
 * Why not let QEMU write the file itself: a socket, unlike a file or a
 * pipe, can be shut down, so migrate_cancel stops QEMU at once even when
 * the image is a FIFO nobody reads; and the thread's copy can always be
 * abandoned (it waits in poll, never in a blocking write), so no save
 * outlives its job. The thread also counts what it moved, which is the
 * progress of a restore.
 *
 * This file only moves bytes; the QMP side is kvm_driver_save.c's.
 */
#pragma once

#include <stddef.h>

#include <glib.h>

typedef struct _kvmSaveStream kvmSaveStream;

/* Save: listens on @sockPath (replacing a stale socket there) and starts
 * the thread, which writes @prefix (@prefixLen bytes, copied) to @fileFd,
 * then accepts QEMU's connection and appends all it sends until QEMU
 * closes it. @fileFd is not owned and must stay open until the stream is
 * freed; it may be non-blocking. */
int kvmSaveStreamListen(const char *sockPath, int fileFd, const void *prefix,
                        size_t prefixLen, kvmSaveStream **ret_stream);

/* Restore: connects to QEMU's socket at @sockPath and starts the thread,
 * which sends @fileFd from its current offset to its end, then closes its
 * side. @fileFd is not owned, as above. */
int kvmSaveStreamFeed(const char *sockPath, int fileFd,
                      kvmSaveStream **ret_stream);

/* Bytes the thread moved so far (prefix included). Any thread. */
guint64 kvmSaveStreamBytes(kvmSaveStream *stream);

/* Waits up to @timeoutMs for the copy to end: 0 it ended well, 1 it still
 * runs, -1 it failed (error reported: @what names the image). */
int kvmSaveStreamWait(kvmSaveStream *stream, int timeoutMs, const char *what);

/* Abandons the copy if it still runs, joins the thread, closes and
 * removes the socket. Accepts NULL. */
void kvmSaveStreamFree(kvmSaveStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(kvmSaveStream, kvmSaveStreamFree)
