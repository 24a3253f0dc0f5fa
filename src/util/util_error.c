/*
 * util_error.c: storage of the thread-local last error and the standard
 * phrase of each error code. It does not print anything: reporting an
 * error to a person is the job of whoever finally gets it (vsh, vmmd's log).
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "util_error.h"
#include "util_log.h"

VMM_LOG_INIT("util.error");

typedef struct {
    vmmError err;
    bool set;
} threadError;

static void threadErrorFree(gpointer data)
{
    threadError *te = data;

    errorClear(&te->err);
    g_free(te);
}

static GPrivate lastErrorKey = G_PRIVATE_INIT(threadErrorFree);

static GMutex handlerLock;
static errorHandlerFunc globalHandler;
static void *globalHandlerOpaque;

static threadError *threadErrorGet(void)
{
    threadError *te = g_private_get(&lastErrorKey);

    if (!te) {
        te = g_new0(threadError, 1);
        g_private_set(&lastErrorKey, te);
    }
    return te;
}

/* Phrases are written to read well in front of ": detail". */
static const struct {
    int code;
    const char *phrase;
} codePhrases[] = {
    { VMM_ERR_OK, "no error" },
    { VMM_ERR_INTERNAL_ERROR, "internal error" },
    { VMM_ERR_NO_MEMORY, "out of memory" },
    { VMM_ERR_NO_SUPPORT, "this function is not supported by the connection driver" },
    { VMM_ERR_UNKNOWN_HOST, "unknown host" },
    { VMM_ERR_NO_CONNECT, "no connection driver available" },
    { VMM_ERR_INVALID_CONN, "invalid connection pointer in" },
    { VMM_ERR_INVALID_DOMAIN, "invalid domain pointer in" },
    { VMM_ERR_INVALID_ARG, "invalid argument" },
    { VMM_ERR_OPERATION_FAILED, "operation failed" },
    { VMM_ERR_OS_TYPE, "unknown OS type" },
    { VMM_ERR_NO_SOURCE, "missing source information for device" },
    { VMM_ERR_NO_TARGET, "missing target information for device" },
    { VMM_ERR_NO_NAME, "missing name information" },
    { VMM_ERR_NO_OS, "missing operating system information" },
    { VMM_ERR_NO_DEVICE, "missing devices information" },
    { VMM_ERR_XML_ERROR, "XML error" },
    { VMM_ERR_DOM_EXIST, "this domain exists already" },
    { VMM_ERR_OPERATION_DENIED, "operation forbidden" },
    { VMM_ERR_OPEN_FAILED, "failed to open configuration file" },
    { VMM_ERR_READ_FAILED, "failed to read configuration file" },
    { VMM_ERR_PARSE_FAILED, "failed to parse configuration file" },
    { VMM_ERR_CONF_SYNTAX, "configuration file syntax error" },
    { VMM_ERR_WRITE_FAILED, "failed to write configuration file" },
    { VMM_ERR_XML_DETAIL, "parser error" },
    { VMM_ERR_SYSTEM_ERROR, "system call error" },
    { VMM_ERR_RPC, "RPC error" },
    { VMM_ERR_GNUTLS_ERROR, "GnuTLS call error" },
    { VMM_ERR_NO_DOMAIN, "Domain not found" },
    { VMM_ERR_NO_NETWORK, "Network not found" },
    { VMM_ERR_INVALID_MAC, "invalid MAC address" },
    { VMM_ERR_AUTH_FAILED, "authentication failed" },
    { VMM_ERR_OPERATION_INVALID, "Requested operation is not valid" },
    { VMM_ERR_CONFIG_UNSUPPORTED, "unsupported configuration" },
    { VMM_ERR_OPERATION_TIMEOUT, "Timed out during operation" },
    { VMM_ERR_INVALID_DOMAIN_SNAPSHOT, "Invalid snapshot" },
    { VMM_ERR_NO_DOMAIN_SNAPSHOT, "Domain snapshot not found" },
    { VMM_ERR_INVALID_STREAM, "invalid stream pointer in" },
    { VMM_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported" },
    { VMM_ERR_OPERATION_ABORTED, "operation aborted" },
    { VMM_ERR_AUTH_CANCELLED, "authentication cancelled" },
    { VMM_ERR_NO_DOMAIN_METADATA, "metadata not found" },
    { VMM_ERR_OVERFLOW, "value too large" },
    { VMM_ERR_OPERATION_UNSUPPORTED, "Operation not supported" },
    { VMM_ERR_RESOURCE_BUSY, "resource busy" },
    { VMM_ERR_ACCESS_DENIED, "access denied" },
    { VMM_ERR_XML_INVALID_SCHEMA, "XML document failed to validate against schema" },
    { VMM_ERR_AUTH_UNAVAILABLE, "authentication unavailable" },
};

const char *errorCodePhrase(int code)
{
    for (size_t i = 0; i < G_N_ELEMENTS(codePhrases); i++) {
        if (codePhrases[i].code == code)
            return codePhrases[i].phrase;
    }
    return "unknown error";
}

void errorClear(vmmError *err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}

void errorFree(vmmError *err)
{
    errorClear(err);
    g_free(err);
}

void errorCopy(const vmmError *from, vmmError *to)
{
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->int1 = from->int1;
    to->int2 = from->int2;
    to->message = g_strdup(from->message);
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
}

/* Stores @err (taking its strings) as the last error and tells the global
 * handler. */
static void errorStore(vmmError *err)
{
    threadError *te = threadErrorGet();
    errorHandlerFunc handler;
    void *opaque;

    errorClear(&te->err);
    te->err = *err;
    te->set = true;
    memset(err, 0, sizeof(*err));
    /* Debug only: the layer that finally handles the error decides whether
     * a person hears of it. */
    VMM_DEBUG("error code=%d domain=%d: %s", te->err.code, te->err.domain,
              te->err.message);

    g_mutex_lock(&handlerLock);
    handler = globalHandler;
    opaque = globalHandlerOpaque;
    g_mutex_unlock(&handlerLock);
    if (handler)
        handler(&te->err, opaque);
}

static void errorReportVa(int domain, int code, const char *suffix,
                          const char *fmt, va_list ap)
{
    const char *phrase = errorCodePhrase(code);
    g_autofree char *detail = NULL;
    vmmError err = { 0 };

    if (fmt)
        detail = g_strdup_vprintf(fmt, ap);

    err.code = code;
    err.domain = domain;
    err.level = VMM_ERR_ERROR;
    if (detail)
        err.message = g_strdup_printf("%s: %s%s", phrase, detail,
                                      suffix ? suffix : "");
    else
        err.message = g_strdup(phrase);
    err.str1 = g_strdup(phrase);
    err.str2 = g_steal_pointer(&detail);
    errorStore(&err);
}

void errorReport(int domain, int code, const char *fmt, ...)
{
    va_list ap;
    int saved = errno;

    va_start(ap, fmt);
    errorReportVa(domain, code, NULL, fmt, ap);
    va_end(ap);
    errno = saved;
}

void errorReportSystem(int domain, int errnum, const char *fmt, ...)
{
    g_autofree char *suffix = g_strdup_printf(": %s", g_strerror(errnum));
    va_list ap;

    va_start(ap, fmt);
    errorReportVa(domain, VMM_ERR_SYSTEM_ERROR, suffix, fmt, ap);
    va_end(ap);
    errno = errnum;
}

void errorReportFull(const vmmError *err)
{
    vmmError copy = { 0 };

    errorCopy(err, &copy);
    if (!copy.message)
        copy.message = g_strdup(errorCodePhrase(copy.code));
    errorStore(&copy);
}

const vmmError *errorGetLast(void)
{
    threadError *te = g_private_get(&lastErrorKey);

    return te && te->set ? &te->err : NULL;
}

bool errorIsSet(void)
{
    return errorGetLast() != NULL;
}

void errorReset(void)
{
    threadError *te = g_private_get(&lastErrorKey);

    if (!te || !te->set)
        return;
    errorClear(&te->err);
    te->set = false;
}

vmmError *errorSave(void)
{
    const vmmError *last = errorGetLast();
    vmmError *copy;

    if (!last)
        return NULL;
    copy = g_new0(vmmError, 1);
    errorCopy(last, copy);
    return copy;
}

void errorRestore(vmmError **saved)
{
    threadError *te;

    if (!saved || !*saved)
        return;
    te = threadErrorGet();
    errorClear(&te->err);
    te->err = **saved;
    te->set = true;
    g_free(*saved);
    *saved = NULL;
}

void errorSetGlobalHandler(errorHandlerFunc handler, void *opaque)
{
    g_mutex_lock(&handlerLock);
    globalHandler = handler;
    globalHandlerOpaque = opaque;
    g_mutex_unlock(&handlerLock);
}
