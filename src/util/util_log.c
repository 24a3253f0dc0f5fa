/*
 * util_log.c: the log configuration (default priority, filters, outputs),
 * the per-category cache that keeps disabled logging to one comparison, and
 * the writing of log lines.
 *
 * One mutex guards the configuration and the writes, so lines from several
 * threads never interleave and an output is never closed while written to.
 * Nothing in here raises an error while holding it: errorReport logs, and
 * would come back for the lock.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util_error.h"
#include "util_log.h"

typedef struct {
    int priority;
    char *match;   /* as written in the configuration */
    char *pattern; /* the glob it stands for */
} logFilter;

typedef enum {
    LOG_DEST_STDERR,
    LOG_DEST_FILE,
    LOG_DEST_JOURNALD,
} logDest;

static const char *const logDestNames[] = {
    [LOG_DEST_STDERR] = "stderr",
    [LOG_DEST_FILE] = "file",
    [LOG_DEST_JOURNALD] = "journald",
};

typedef struct {
    int priority;
    logDest dest;
    char *path; /* LOG_DEST_FILE only */
    int fd;
} logOutput;

#define LOG_DEFAULT_PRIORITY VMM_LOG_WARN

static GMutex logLock;
static int logDefaultPriority = LOG_DEFAULT_PRIORITY;
static GPtrArray *logFilters;  /* of logFilter; NULL when none */
static GPtrArray *logOutputs;  /* of logOutput; NULL for the default */
/* Bumped on every change; categories whose serial differs recompute. Starts
 * above the 0 that a fresh category holds. */
static int logSerial = 1;

static const char *const logPriorityNames[] = {
    [VMM_LOG_DEBUG] = "debug",
    [VMM_LOG_INFO] = "info",
    [VMM_LOG_WARN] = "warning",
    [VMM_LOG_ERROR] = "error",
};

const char *logPriorityToString(int priority)
{
    if (priority < VMM_LOG_DEBUG || priority > VMM_LOG_ERROR)
        return NULL;
    return logPriorityNames[priority];
}

static void logFilterFree(logFilter *filter)
{
    if (!filter)
        return;
    g_free(filter->match);
    g_free(filter->pattern);
    g_free(filter);
}

static void logOutputFree(logOutput *output)
{
    if (!output)
        return;
    if (output->dest == LOG_DEST_FILE && output->fd >= 0)
        close(output->fd);
    g_free(output->path);
    g_free(output);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(logFilter, logFilterFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(logOutput, logOutputFree)

/* Parses "N:rest" of one filter or output @token into its priority and
 * rest. */
static int logParsePriority(const char *token, const char *what,
                            int *ret_priority, const char **ret_rest)
{
    if (token[0] < '1' || token[0] > '4' || token[1] != ':') {
        errorReport(VMM_FROM_LOGGING, VMM_ERR_CONF_SYNTAX,
                    "invalid log %s '%s': it must start with a priority "
                    "from 1 to 4 and ':'", what, token);
        return -1;
    }
    *ret_priority = token[0] - '0';
    *ret_rest = token + 2;
    return 0;
}

/* The words of a filters or outputs string; NULL means none. */
static char **logSplit(const char *str)
{
    g_auto(GStrv) parts = g_strsplit_set(str ? str : "", " \t\n", -1);
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);

    for (size_t i = 0; parts[i]; i++) {
        if (*parts[i])
            g_ptr_array_add(words, g_strdup(parts[i]));
    }
    g_ptr_array_add(words, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&words), FALSE);
}

static logFilter *logFilterParse(const char *token)
{
    g_autoptr(logFilter) filter = g_new0(logFilter, 1);
    const char *match;

    if (logParsePriority(token, "filter", &filter->priority, &match) < 0)
        return NULL;
    /* A leading '+' asked libvirt for stack traces; we accept and ignore it
     * so existing configurations keep working. */
    if (*match == '+')
        match++;
    if (!*match) {
        errorReport(VMM_FROM_LOGGING, VMM_ERR_CONF_SYNTAX,
                    "invalid log filter '%s': the category match is empty",
                    token);
        return NULL;
    }
    filter->match = g_strdup(match);
    /* Without a '*' the match is a substring, as it always was in libvirt. */
    if (strchr(match, '*'))
        filter->pattern = g_strdup(match);
    else
        filter->pattern = g_strdup_printf("*%s*", match);
    return g_steal_pointer(&filter);
}

static int logFiltersParse(const char *str, GPtrArray **ret_filters)
{
    g_auto(GStrv) words = logSplit(str);
    g_autoptr(GPtrArray) filters = NULL;

    if (!words[0]) {
        *ret_filters = NULL;
        return 0;
    }
    filters = g_ptr_array_new_with_free_func((GDestroyNotify)logFilterFree);
    for (size_t i = 0; words[i]; i++) {
        logFilter *filter = logFilterParse(words[i]);

        if (!filter)
            return -1;
        g_ptr_array_add(filters, filter);
    }
    *ret_filters = g_steal_pointer(&filters);
    return 0;
}

static int logOutputOpenFile(logOutput *output, const char *token,
                             const char *path)
{
    if (!g_path_is_absolute(path)) {
        errorReport(VMM_FROM_LOGGING, VMM_ERR_CONF_SYNTAX,
                    "invalid log output '%s': the file must be an absolute "
                    "path", token);
        return -1;
    }
    output->path = g_strdup(path);
    output->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (output->fd < 0) {
        errorReportSystem(VMM_FROM_LOGGING, errno,
                          "cannot open log file '%s'", path);
        return -1;
    }
    return 0;
}

static logOutput *logOutputParse(const char *token)
{
    g_autoptr(logOutput) output = g_new0(logOutput, 1);
    const char *dest;

    output->fd = -1;
    if (logParsePriority(token, "output", &output->priority, &dest) < 0)
        return NULL;
    if (g_str_equal(dest, "stderr") || g_str_equal(dest, "journald")) {
        /* journald: a daemon under systemd has stderr in the journal. */
        output->dest = g_str_equal(dest, "stderr") ? LOG_DEST_STDERR
                                                   : LOG_DEST_JOURNALD;
        output->fd = STDERR_FILENO;
    } else if (g_str_has_prefix(dest, "file:")) {
        output->dest = LOG_DEST_FILE;
        if (logOutputOpenFile(output, token, dest + strlen("file:")) < 0)
            return NULL;
    } else {
        errorReport(VMM_FROM_LOGGING, VMM_ERR_CONF_SYNTAX,
                    "invalid log output '%s': the destination must be "
                    "'stderr', 'file:PATH' or 'journald'", token);
        return NULL;
    }
    return g_steal_pointer(&output);
}

static int logOutputsParse(const char *str, GPtrArray **ret_outputs)
{
    g_auto(GStrv) words = logSplit(str);
    g_autoptr(GPtrArray) outputs = NULL;

    if (!words[0]) {
        *ret_outputs = NULL;
        return 0;
    }
    outputs = g_ptr_array_new_with_free_func((GDestroyNotify)logOutputFree);
    for (size_t i = 0; words[i]; i++) {
        logOutput *output = logOutputParse(words[i]);

        if (!output)
            return -1;
        g_ptr_array_add(outputs, output);
    }
    *ret_outputs = g_steal_pointer(&outputs);
    return 0;
}

/* Swap in a new filter or output list under the lock; the old one is freed
 * after, when no writer can be using it. */
static void logReplace(GPtrArray **slot, GPtrArray *value)
{
    g_autoptr(GPtrArray) old = NULL;

    g_mutex_lock(&logLock);
    old = *slot;
    *slot = value;
    g_atomic_int_inc(&logSerial);
    g_mutex_unlock(&logLock);
}

int logSetFilters(const char *filters)
{
    GPtrArray *parsed = NULL;

    if (logFiltersParse(filters, &parsed) < 0)
        return -1;
    logReplace(&logFilters, parsed);
    return 0;
}

int logSetOutputs(const char *outputs)
{
    GPtrArray *parsed = NULL;

    if (logOutputsParse(outputs, &parsed) < 0)
        return -1;
    logReplace(&logOutputs, parsed);
    return 0;
}

int logSetDefaultPriority(int priority)
{
    if (!logPriorityToString(priority)) {
        errorReport(VMM_FROM_LOGGING, VMM_ERR_CONF_SYNTAX,
                    "invalid log priority %d: it must be from 1 to 4",
                    priority);
        return -1;
    }
    g_mutex_lock(&logLock);
    logDefaultPriority = priority;
    g_atomic_int_inc(&logSerial);
    g_mutex_unlock(&logLock);
    return 0;
}

int logGetDefaultPriority(void)
{
    int priority;

    g_mutex_lock(&logLock);
    priority = logDefaultPriority;
    g_mutex_unlock(&logLock);
    return priority;
}

char *logGetFilters(void)
{
    g_autoptr(GString) str = g_string_new(NULL);

    g_mutex_lock(&logLock);
    for (guint i = 0; logFilters && i < logFilters->len; i++) {
        logFilter *filter = g_ptr_array_index(logFilters, i);

        g_string_append_printf(str, "%s%d:%s", i ? " " : "",
                               filter->priority, filter->match);
    }
    g_mutex_unlock(&logLock);
    return g_string_free(g_steal_pointer(&str), FALSE);
}

char *logGetOutputs(void)
{
    g_autoptr(GString) str = g_string_new(NULL);

    g_mutex_lock(&logLock);
    if (!logOutputs)
        g_string_append(str, "1:stderr");
    for (guint i = 0; logOutputs && i < logOutputs->len; i++) {
        logOutput *output = g_ptr_array_index(logOutputs, i);

        g_string_append_printf(str, "%s%d:%s", i ? " " : "", output->priority,
                               logDestNames[output->dest]);
        if (output->path)
            g_string_append_printf(str, ":%s", output->path);
    }
    g_mutex_unlock(&logLock);
    return g_string_free(g_steal_pointer(&str), FALSE);
}

/* Applies one environment variable with @apply; on failure the error is
 * kept in *ret_error (the first one wins). */
static void logApplyEnv(const char *name, int (*apply)(const char *),
                        vmmError **ret_error)
{
    const char *value = g_getenv(name);

    if (!value || apply(value) == 0)
        return;
    if (!*ret_error) {
        g_autofree char *msg = g_strdup_printf("%s (from environment variable "
                                               "%s)",
                                               errorGetLast()->message, name);
        vmmError *err = errorSave();

        g_free(err->message);
        err->message = g_steal_pointer(&msg);
        *ret_error = err;
    }
}

static int logSetDefaultPriorityString(const char *value)
{
    if (value[0] < '1' || value[0] > '4' || value[1]) {
        errorReport(VMM_FROM_LOGGING, VMM_ERR_CONF_SYNTAX,
                    "invalid log priority '%s': it must be from 1 to 4",
                    value);
        return -1;
    }
    return logSetDefaultPriority(value[0] - '0');
}

int logSetupFromEnv(void)
{
    /* Kept for the life of the process so later calls can say it again. */
    static vmmError *setupError;
    static gsize done;

    if (g_once_init_enter(&done)) {
        logApplyEnv("VMM_LOG_LEVEL", logSetDefaultPriorityString,
                    &setupError);
        logApplyEnv("VMM_LOG_FILTERS", logSetFilters, &setupError);
        logApplyEnv("VMM_LOG_OUTPUTS", logSetOutputs, &setupError);
        g_once_init_leave(&done, 1);
    }
    if (setupError) {
        errorReportFull(setupError);
        return -1;
    }
    return 0;
}

/* The priority from which @name gets logged by the filters (or the
 * default), raised to what the least demanding output takes. Called with
 * logLock held. */
static int logCategoryPriority(const char *name)
{
    int priority = logDefaultPriority;
    int outputMin = VMM_LOG_DEBUG;

    for (guint i = 0; logFilters && i < logFilters->len; i++) {
        logFilter *filter = g_ptr_array_index(logFilters, i);

        if (g_pattern_match_simple(filter->pattern, name)) {
            priority = filter->priority;
            break;
        }
    }
    if (logOutputs) {
        outputMin = VMM_LOG_ERROR + 1;
        for (guint i = 0; i < logOutputs->len; i++) {
            logOutput *output = g_ptr_array_index(logOutputs, i);

            outputMin = MIN(outputMin, output->priority);
        }
    }
    return MAX(priority, outputMin);
}

bool logIsEnabled(logCategory *cat, int priority)
{
    if (g_atomic_int_get(&cat->serial) != g_atomic_int_get(&logSerial)) {
        g_mutex_lock(&logLock);
        /* The priority is stored before the serial that makes it valid. */
        g_atomic_int_set(&cat->priority, logCategoryPriority(cat->name));
        g_atomic_int_set(&cat->serial, g_atomic_int_get(&logSerial));
        g_mutex_unlock(&logLock);
    }
    return priority >= g_atomic_int_get(&cat->priority);
}

static void logWriteFull(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        len -= n;
    }
}

/* "2026-11-23 11:20:01.123+0000", always in UTC. */
static void logFormatTime(char *buf, size_t size)
{
    gint64 now = g_get_real_time();
    time_t secs = now / G_USEC_PER_SEC;
    struct tm tm;
    size_t len;

    gmtime_r(&secs, &tm);
    len = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
    g_snprintf(buf + len, size - len, ".%03d+0000",
               (int)(now % G_USEC_PER_SEC / 1000));
}

void logMessage(logCategory *cat, int priority, const char *fmt, ...)
{
    int saved = errno;
    g_autofree char *msg = NULL;
    g_autofree char *line = NULL;
    char stamp[64];
    size_t len;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    logFormatTime(stamp, sizeof(stamp));
    line = g_strdup_printf("%s: %d: %s : %s : %s\n", stamp, (int)gettid(),
                           logPriorityToString(priority), cat->name, msg);
    len = strlen(line);

    g_mutex_lock(&logLock);
    if (!logOutputs)
        logWriteFull(STDERR_FILENO, line, len);
    for (guint i = 0; logOutputs && i < logOutputs->len; i++) {
        logOutput *output = g_ptr_array_index(logOutputs, i);

        if (priority >= output->priority)
            logWriteFull(output->fd, line, len);
    }
    g_mutex_unlock(&logLock);
    errno = saved;
}
