/*
 * util_json.h: a small JSON value type for QMP (the QEMU monitor) and
 * vsh --json, parsed and formatted with yajl.
 *
 * A jsonValue is null, a boolean, a number, a string, an array or an object.
 * Objects keep their keys in insertion order (so output is stable for
 * golden files) and refuse duplicate keys. Numbers keep their JSON text, so
 * a uint64 or int64 round-trips exactly and is converted only when asked
 * for as a given C type. Strings are UTF-8 without NUL characters.
 *
 * Getters report a missing key or a wrong type as VMM_ERR_INTERNAL_ERROR
 * naming the key and return -1 / NULL. Pointers they return belong to the
 * value they came from.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
    JSON_TYPE_NULL,
    JSON_TYPE_BOOLEAN,
    JSON_TYPE_NUMBER,
    JSON_TYPE_STRING,
    JSON_TYPE_ARRAY,
    JSON_TYPE_OBJECT,
    JSON_TYPE_LAST
} jsonType;

/* "null", "boolean", "number", "string", "array", "object". */
const char *jsonTypeToString(jsonType type);

typedef struct _jsonValue jsonValue;

/* Nesting deeper than this is refused by the parser (and by yajl when
 * formatting). */
#define JSON_MAX_DEPTH 100

jsonValue *jsonValueNewNull(void);
jsonValue *jsonValueNewBoolean(bool value);
jsonValue *jsonValueNewString(const char *value);
jsonValue *jsonValueNewNumberInt64(gint64 value);
jsonValue *jsonValueNewNumberUint64(guint64 value);
/* NULL with an error for NaN and infinities, which JSON cannot carry. */
jsonValue *jsonValueNewNumberDouble(double value);
jsonValue *jsonValueNewArray(void);
jsonValue *jsonValueNewObject(void);

void jsonValueFree(jsonValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(jsonValue, jsonValueFree)

/* A deep copy. */
jsonValue *jsonValueCopy(const jsonValue *value);

jsonType jsonValueGetType(const jsonValue *value);
bool jsonValueIsNull(const jsonValue *value);
const char *jsonValueGetString(const jsonValue *value);
int jsonValueGetBoolean(const jsonValue *value, bool *ret_value);
/* Fails when the number is not an integer or does not fit. */
int jsonValueGetNumberInt64(const jsonValue *value, gint64 *ret_value);
int jsonValueGetNumberUint64(const jsonValue *value, guint64 *ret_value);
int jsonValueGetNumberDouble(const jsonValue *value, double *ret_value);

/* Arrays. jsonArrayAppend takes *@value and clears it on success; on
 * failure the caller still owns it. */
int jsonArrayAppend(jsonValue *array, jsonValue **value);
int jsonArrayAppendString(jsonValue *array, const char *value);
size_t jsonArraySize(const jsonValue *array);
jsonValue *jsonArrayGet(const jsonValue *array, size_t index);

/* Objects. jsonObjectAppend takes *@value and clears it on success; an
 * existing @key is an error. */
int jsonObjectAppend(jsonValue *object, const char *key, jsonValue **value);
int jsonObjectAppendString(jsonValue *object, const char *key,
                           const char *value);
int jsonObjectAppendNumberInt64(jsonValue *object, const char *key,
                                gint64 value);
int jsonObjectAppendNumberUint64(jsonValue *object, const char *key,
                                 guint64 value);
int jsonObjectAppendNumberDouble(jsonValue *object, const char *key,
                                 double value);
int jsonObjectAppendBoolean(jsonValue *object, const char *key, bool value);
int jsonObjectAppendNull(jsonValue *object, const char *key);

bool jsonObjectHasKey(const jsonValue *object, const char *key);
jsonValue *jsonObjectGet(const jsonValue *object, const char *key);
const char *jsonObjectGetString(const jsonValue *object, const char *key);
int jsonObjectGetNumberInt64(const jsonValue *object, const char *key,
                             gint64 *ret_value);
int jsonObjectGetNumberUint64(const jsonValue *object, const char *key,
                              guint64 *ret_value);
int jsonObjectGetNumberDouble(const jsonValue *object, const char *key,
                              double *ret_value);
int jsonObjectGetBoolean(const jsonValue *object, const char *key,
                         bool *ret_value);
jsonValue *jsonObjectGetObject(const jsonValue *object, const char *key);
jsonValue *jsonObjectGetArray(const jsonValue *object, const char *key);
/* Take @key's value out of @object (e.g. "return" of a QMP reply). */
int jsonObjectStealKey(jsonValue *object, const char *key,
                       jsonValue **ret_value);

/* Walking an object in order: keys and values at 0 .. size-1. */
size_t jsonObjectSize(const jsonValue *object);
const char *jsonObjectKeyAt(const jsonValue *object, size_t index);
jsonValue *jsonObjectValueAt(const jsonValue *object, size_t index);

/* Parse one JSON document (surrounding whitespace allowed, nothing else).
 * A syntax error says what and at which byte. */
jsonValue *jsonParse(const char *text);

/* The JSON text of @value: compact on one line, or @pretty with two-space
 * indentation and a final newline. */
char *jsonFormat(const jsonValue *value, bool pretty);
