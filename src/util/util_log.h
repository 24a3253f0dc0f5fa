/*
 * util_log.h: debug and operational logging, configured the way libvirt's
 * is: a default priority, filters that give categories their own priority,
 * and outputs with their own minimum priority.
 *
 * Each .c file names its category once, then logs through the macros:
 *
 *   VMM_LOG_INIT("util.file");
 *   ...
 *   VMM_DEBUG("opened '%s' as fd %d", path, fd);
 *
 * A message whose priority no output would take costs one comparison: the
 * arguments are not even evaluated. Logging never raises an error and never
 * changes errno; a failed write to an output is dropped.
 *
 * Strings, as in libvirt:
 *   filters  "1:rpc 3:util.file 4:*"   priority:match, where match is a
 *            substring of the category ("util" matches "util.file"), or a
 *            glob when it holds a '*'; the first matching filter wins.
 *   outputs  "1:stderr 2:file:/var/log/vmm/vmmd.log 3:journald"
 *            (journald is written to stderr, which systemd sends to the
 *            journal anyway).
 * Priorities: 1 debug, 2 info, 3 warning, 4 error.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
    VMM_LOG_DEBUG = 1,
    VMM_LOG_INFO = 2,
    VMM_LOG_WARN = 3,
    VMM_LOG_ERROR = 4,
} logPriority;

/* One per source file, made by VMM_LOG_INIT. It caches the lowest priority
 * that would be written for its name, recomputed when the configuration
 * changes (serial differs). */
typedef struct {
    const char *name;
    int priority;
    int serial;
} logCategory;

#define VMM_LOG_INIT(catname) \
    static logCategory logCategoryOfFile = { .name = catname }

#define VMM_LOG(prio, ...) \
    do { \
        if (logIsEnabled(&logCategoryOfFile, prio)) \
            logMessage(&logCategoryOfFile, prio, __VA_ARGS__); \
    } while (0)

#define VMM_DEBUG(...) VMM_LOG(VMM_LOG_DEBUG, __VA_ARGS__)
#define VMM_INFO(...) VMM_LOG(VMM_LOG_INFO, __VA_ARGS__)
#define VMM_WARN(...) VMM_LOG(VMM_LOG_WARN, __VA_ARGS__)
#define VMM_ERROR(...) VMM_LOG(VMM_LOG_ERROR, __VA_ARGS__)

/* Configure from VMM_LOG_LEVEL, VMM_LOG_FILTERS and VMM_LOG_OUTPUTS. Only
 * the first call does anything; later ones return what it returned (and
 * raise its error again). A bad variable raises VMM_ERR_CONF_SYNTAX naming
 * it; the other variables still apply. */
int logSetupFromEnv(void);

/* Replace one part of the configuration. NULL or "" means the built-in
 * default (no filters; output stderr; priority warning). A bad string
 * raises VMM_ERR_CONF_SYNTAX saying what is wrong and changes nothing. */
int logSetFilters(const char *filters);
int logSetOutputs(const char *outputs);
int logSetDefaultPriority(int priority);

/* The configuration in force, in the same syntax (new strings). */
char *logGetFilters(void);
char *logGetOutputs(void);
int logGetDefaultPriority(void);

/* "debug", "info", "warning", "error"; NULL for anything else. */
const char *logPriorityToString(int priority);

/* Used by the macros; call them directly only to log under a category
 * chosen at run time. */
bool logIsEnabled(logCategory *cat, int priority);
void logMessage(logCategory *cat, int priority, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
