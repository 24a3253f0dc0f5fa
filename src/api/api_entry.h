/*
 * api_entry.h: the checks every public entry point makes, in the order
 * STYLE.md gives (reset the last error, check the object, the arguments,
 * read-only, flags, then call the driver slot), as helpers and macros so
 * each entry point states only what is particular to it.
 *
 * Every helper that finds a problem reports it, copies it to the
 * connection (apiDispatchError) and returns false; the entry point just
 * returns its failure value.
 */
#pragma once

#include <stdbool.h>

#include "datatypes.h"
#include "util_error.h"

/* Error domains of the API layer, as libvirt's public API uses them. */
#define API_FROM_CONN VMM_FROM_NONE
#define API_FROM_DOM VMM_FROM_DOMAIN

/* After a failed call on @conn: keeps a copy of the thread's last error
 * in @conn and calls the connection's error handler. A failure that
 * raised nothing gets a generic error here, so none goes unexplained. */
void apiDispatchError(vmmConnectPtr conn);

bool apiCheckConn(vmmConnectPtr conn, const char *func);
bool apiCheckDomain(vmmDomainPtr dom, const char *func);
/* NULL @ptr: "@arg in @func must not be NULL". */
bool apiCheckNonNull(vmmConnectPtr conn, const void *ptr, const char *arg,
                     const char *func);
/* @ok false: "@arg in @func @why", e.g. "... must not be negative". */
bool apiCheckArg(vmmConnectPtr conn, bool ok, const char *arg, const char *why,
                 const char *func);
bool apiCheckReadWrite(vmmConnectPtr conn, const char *func);
bool apiCheckFlags(vmmConnectPtr conn, unsigned int flags, unsigned int allowed,
                   const char *func);
/* Reports VMM_ERR_NO_SUPPORT for @func and dispatches it. */
void apiReportNoSupport(vmmConnectPtr conn, const char *func);

/* Opening lines of an entry point taking a connection / a domain. */
#define API_ENTER(check, obj, fail)                                            \
    do {                                                                       \
        errorReset();                                                          \
        if (!check(obj, __func__))                                             \
            return fail;                                                       \
    } while (0)
#define API_ENTER_CONN(conn, fail) API_ENTER(apiCheckConn, conn, fail)
#define API_ENTER_DOMAIN(dom, fail) API_ENTER(apiCheckDomain, dom, fail)

/* Each returns @fail from the entry point when its check fails. */
#define API_CHECK_NONNULL(conn, arg, fail)                                     \
    do {                                                                       \
        if (!apiCheckNonNull(conn, arg, #arg, __func__))                       \
            return fail;                                                       \
    } while (0)
#define API_CHECK_ARG(conn, cond, arg, why, fail)                              \
    do {                                                                       \
        if (!apiCheckArg(conn, cond, #arg, why, __func__))                     \
            return fail;                                                       \
    } while (0)
#define API_CHECK_RW(conn, fail)                                               \
    do {                                                                       \
        if (!apiCheckReadWrite(conn, __func__))                                \
            return fail;                                                       \
    } while (0)
#define API_CHECK_FLAGS(conn, flags, allowed, fail)                            \
    do {                                                                       \
        if (!apiCheckFlags(conn, flags, allowed, __func__))                    \
            return fail;                                                       \
    } while (0)

/* Returns from the entry point with what driver slot @slot returns for
 * (...); @failed(r) says whether r is a failure. An empty slot reports
 * VMM_ERR_NO_SUPPORT and returns @fail. */
#define API_RETURN_CALL(conn, slot, fail, failed, ...)                         \
    do {                                                                       \
        __typeof__((conn)->driver->slot(__VA_ARGS__)) r_;                      \
        if (!(conn)->driver->slot) {                                           \
            apiReportNoSupport(conn, __func__);                                \
            return fail;                                                       \
        }                                                                      \
        r_ = (conn)->driver->slot(__VA_ARGS__);                                \
        if (failed(r_))                                                        \
            apiDispatchError(conn);                                            \
        return r_;                                                             \
    } while (0)

#define API_FAILED_INT(r) ((r) < 0)
#define API_FAILED_PTR(r) ((r) == NULL)

/* The two common shapes: an int slot failing with -1, a pointer slot
 * failing with NULL. */
#define API_RETURN_INT(conn, slot, ...)                                        \
    API_RETURN_CALL(conn, slot, -1, API_FAILED_INT, __VA_ARGS__)
#define API_RETURN_PTR(conn, slot, ...)                                        \
    API_RETURN_CALL(conn, slot, NULL, API_FAILED_PTR, __VA_ARGS__)
