/*
 * util_conf.h: reader for configuration files in libvirt's syntax
 * (libvirtd.conf, qemu.conf): one `key = value` per line, where a value is an
 * integer, a quoted string or a bracketed list of those, and `#` starts a
 * comment.
 *
 * It only reads: it keeps no comments and cannot write a file back. What a
 * key means, and which keys exist, is the business of the caller (for the
 * daemon, daemon/vmmd_config.c); this file checks syntax and types.
 *
 * Errors name the place: syntax errors are VMM_ERR_CONF_SYNTAX with
 * "FILE:LINE: reason", a value of the wrong type is VMM_ERR_CONFIG_UNSUPPORTED
 * with "FILE:LINE: 'key' reason".
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* A file bigger than this is refused rather than read into memory. */
#define CONF_MAX_FILE_SIZE (10 * 1024 * 1024)

typedef enum {
    CONF_TYPE_NONE = 0, /* the key is not in the file */
    CONF_TYPE_NUMBER,   /* a decimal integer, possibly negative */
    CONF_TYPE_STRING,
    CONF_TYPE_LIST, /* of strings and numbers; lists do not nest */
    CONF_TYPE_LAST
} confType;

/* "number", "string", "list" ("none" for CONF_TYPE_NONE). */
const char *confTypeToString(confType type);

typedef struct _confFile confFile;

/* Parse @len bytes of @data; @name is what error messages call the input
 * (usually the path it came from). Any bytes at all are accepted as input:
 * what is not valid syntax is a syntax error. */
confFile *confParseString(const char *name, const char *data, size_t len);

/* Read and parse @path (at most CONF_MAX_FILE_SIZE bytes). */
confFile *confParseFile(const char *path);

void confFree(confFile *conf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(confFile, confFree)

/* The name given to the parser (the path for confParseFile). */
const char *confGetName(const confFile *conf);

/* Keys in the order they appear in the file. A key appears once: setting
 * it twice is a syntax error. */
size_t confKeyCount(const confFile *conf);
const char *confKeyNth(const confFile *conf, size_t n);

/* Call @func for every key in file order; stops at, and returns, the first
 * negative return value of @func, else returns 0. */
typedef int (*confForEachFunc)(const confFile *conf, const char *key,
                               confType type, unsigned int line, void *opaque);
int confForEach(const confFile *conf, confForEachFunc func, void *opaque);

/* The type of @key, CONF_TYPE_NONE when it is absent. */
confType confGetType(const confFile *conf, const char *key);

/* The line @key was set on, 0 when it is absent. */
unsigned int confGetLine(const confFile *conf, const char *key);

/*
 * Typed getters. Each returns 1 and sets ret_value when @key is present
 * with a fitting value, 0 when @key is absent (ret_value untouched, no
 * error), -1 with an error naming file, line and key when the value has
 * the wrong type or does not fit (ret_value untouched).
 */
int confGetString(const confFile *conf, const char *key, char **ret_value);
int confGetInt(const confFile *conf, const char *key, int *ret_value);
int confGetUInt(const confFile *conf, const char *key, unsigned int *ret_value);
int confGetInt64(const confFile *conf, const char *key, gint64 *ret_value);
/* Only 0 and 1 are booleans, as in libvirt. */
int confGetBool(const confFile *conf, const char *key, bool *ret_value);
/* A list whose items are all strings, as a NULL-terminated array (free with
 * g_strfreev). With @allowString a single string counts as a one-item
 * list. */
int confGetStringList(const confFile *conf, const char *key, bool allowString,
                      char ***ret_value);

/* Report VMM_ERR_CONFIG_UNSUPPORTED about the value of @key:
 * "FILE:LINE: 'key' " followed by the formatted reason. For callers that
 * check what a value means, e.g. "must be an octal file mode". */
void confReportValueError(const confFile *conf, const char *key,
                          const char *fmt, ...) G_GNUC_PRINTF(3, 4);
