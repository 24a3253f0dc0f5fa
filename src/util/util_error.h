/*
 * util_error.h: the thread-local last error, and how code inside vmm raises
 * it.
 *
 * Every layer reports a failure exactly once, where it happens, with
 * errorReport(); callers just return -1 / NULL. The numbers are libvirt's
 * (include/vmm/vmm-error.h) so the daemon can put them on the wire as they
 * are. This file knows nothing about connections: per-connection errors
 * live in src/api.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include <vmm/vmm.h>

/* Raise an error: the message is the code's standard phrase followed by
 * ": " and the formatted text (the phrase alone when @fmt is NULL), e.g.
 * "Domain not found: no domain with matching name 'web1'". */
void errorReport(int domain, int code, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Like errorReport with code VMM_ERR_SYSTEM_ERROR, appending
 * ": strerror(errnum)" to the text. */
void errorReportSystem(int domain, int errnum, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Raise an error whose every field is given, message verbatim (used to
 * re-raise an error received from elsewhere, e.g. the wire). */
void errorReportFull(const vmmError *err);

/* Shorthands for the most common reports. */
#define errorReportOOM() \
    errorReport(VMM_FROM_NONE, VMM_ERR_NO_MEMORY, NULL)
#define errorReportInvalidArg(domain, name) \
    errorReport(domain, VMM_ERR_INVALID_ARG, "argument '%s' is invalid", name)
#define errorReportInternal(domain, ...) \
    errorReport(domain, VMM_ERR_INTERNAL_ERROR, __VA_ARGS__)

/* The calling thread's last error, or NULL when none is set. */
const vmmError *errorGetLast(void);
bool errorIsSet(void);
void errorReset(void);

/* Deep copies; errorClear frees the strings of @err and zeroes it. */
void errorCopy(const vmmError *from, vmmError *to);
void errorClear(vmmError *err);

/* Keep the last error across cleanup code that may raise another one:
 *   g_autoptr(vmmError) saved = errorSave();  ...cleanup...
 *   errorRestore(&saved);
 * errorSave returns NULL when no error is set. */
vmmError *errorSave(void);
void errorRestore(vmmError **saved);
void errorFree(vmmError *err);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmmError, errorFree)

/* The phrase errorReport puts in front of messages of @code, e.g.
 * "Domain not found". Never NULL. */
const char *errorCodePhrase(int code);

/* A handler called with every error raised in any thread (after it is
 * stored). NULL removes it. Used by vmmSetErrorFunc. */
typedef void (*errorHandlerFunc)(const vmmError *err, void *opaque);
void errorSetGlobalHandler(errorHandlerFunc handler, void *opaque);
