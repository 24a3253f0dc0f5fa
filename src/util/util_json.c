/*
 * util_json.c: the JSON value tree, its getters and builders, parsing with
 * yajl's event parser (values are built directly, with an explicit stack and
 * a depth limit, so hostile input cannot exhaust our C stack) and
 * formatting with yajl_gen.
 */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "util_error.h"
#include "util_json.h"

typedef struct {
    char *key;
    jsonValue *value;
} jsonPair;

struct _jsonValue {
    jsonType type;
    union {
        bool boolean;
        char *number;       /* the JSON text, e.g. "-12" or "1.5e3" */
        char *string;
        GPtrArray *array;   /* of jsonValue */
        GPtrArray *object;  /* of jsonPair */
    } u;
};

static const char *const jsonTypeNames[] = {
    [JSON_TYPE_NULL] = "null",
    [JSON_TYPE_BOOLEAN] = "boolean",
    [JSON_TYPE_NUMBER] = "number",
    [JSON_TYPE_STRING] = "string",
    [JSON_TYPE_ARRAY] = "array",
    [JSON_TYPE_OBJECT] = "object",
};
G_STATIC_ASSERT(G_N_ELEMENTS(jsonTypeNames) == JSON_TYPE_LAST);

const char *jsonTypeToString(jsonType type)
{
    if (type >= JSON_TYPE_LAST)
        return "unknown";
    return jsonTypeNames[type];
}

static void jsonPairFree(gpointer data)
{
    jsonPair *pair = data;

    g_free(pair->key);
    jsonValueFree(pair->value);
    g_free(pair);
}

void jsonValueFree(jsonValue *value)
{
    if (!value)
        return;
    switch (value->type) {
    case JSON_TYPE_NUMBER:
        g_free(value->u.number);
        break;
    case JSON_TYPE_STRING:
        g_free(value->u.string);
        break;
    case JSON_TYPE_ARRAY:
        g_ptr_array_unref(value->u.array);
        break;
    case JSON_TYPE_OBJECT:
        g_ptr_array_unref(value->u.object);
        break;
    case JSON_TYPE_NULL:
    case JSON_TYPE_BOOLEAN:
    case JSON_TYPE_LAST:
        break;
    }
    g_free(value);
}

static jsonValue *jsonValueNew(jsonType type)
{
    jsonValue *value = g_new0(jsonValue, 1);

    value->type = type;
    return value;
}

jsonValue *jsonValueNewNull(void)
{
    return jsonValueNew(JSON_TYPE_NULL);
}

jsonValue *jsonValueNewBoolean(bool boolean)
{
    jsonValue *value = jsonValueNew(JSON_TYPE_BOOLEAN);

    value->u.boolean = boolean;
    return value;
}

jsonValue *jsonValueNewString(const char *string)
{
    jsonValue *value = jsonValueNew(JSON_TYPE_STRING);

    value->u.string = g_strdup(string);
    return value;
}

/* @text must already be valid JSON number syntax. */
static jsonValue *jsonValueNewNumberText(char *text)
{
    jsonValue *value = jsonValueNew(JSON_TYPE_NUMBER);

    value->u.number = text;
    return value;
}

jsonValue *jsonValueNewNumberInt64(gint64 number)
{
    return jsonValueNewNumberText(
        g_strdup_printf("%" G_GINT64_FORMAT, number));
}

jsonValue *jsonValueNewNumberUint64(guint64 number)
{
    return jsonValueNewNumberText(
        g_strdup_printf("%" G_GUINT64_FORMAT, number));
}

/* The shortest text that reads back as exactly @number. */
static char *jsonFormatDouble(double number)
{
    static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    /* g_ascii_formatd, unlike printf, ignores the locale's decimal comma. */
    for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_ascii_formatd(buf, sizeof(buf), formats[i], number);
        if (g_ascii_strtod(buf, NULL) == number)
            break;
    }
    return g_strdup(buf);
}

jsonValue *jsonValueNewNumberDouble(double number)
{
    if (!isfinite(number)) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "JSON cannot represent the number %f", number);
        return NULL;
    }
    return jsonValueNewNumberText(jsonFormatDouble(number));
}

jsonValue *jsonValueNewArray(void)
{
    jsonValue *value = jsonValueNew(JSON_TYPE_ARRAY);

    value->u.array = g_ptr_array_new_with_free_func(
        (GDestroyNotify)jsonValueFree);
    return value;
}

jsonValue *jsonValueNewObject(void)
{
    jsonValue *value = jsonValueNew(JSON_TYPE_OBJECT);

    value->u.object = g_ptr_array_new_with_free_func(jsonPairFree);
    return value;
}

/* Add @key and @value, both taken, at the end of @object. */
static void jsonObjectAddPair(jsonValue *object, char *key, jsonValue *value)
{
    jsonPair *pair = g_new0(jsonPair, 1);

    pair->key = key;
    pair->value = value;
    g_ptr_array_add(object->u.object, pair);
}

jsonValue *jsonValueCopy(const jsonValue *value)
{
    jsonValue *copy;

    switch (value->type) {
    case JSON_TYPE_BOOLEAN:
        return jsonValueNewBoolean(value->u.boolean);
    case JSON_TYPE_NUMBER:
        return jsonValueNewNumberText(g_strdup(value->u.number));
    case JSON_TYPE_STRING:
        return jsonValueNewString(value->u.string);
    case JSON_TYPE_ARRAY:
        copy = jsonValueNewArray();
        for (guint i = 0; i < value->u.array->len; i++)
            g_ptr_array_add(copy->u.array,
                            jsonValueCopy(g_ptr_array_index(value->u.array,
                                                            i)));
        return copy;
    case JSON_TYPE_OBJECT:
        copy = jsonValueNewObject();
        for (guint i = 0; i < value->u.object->len; i++) {
            jsonPair *pair = g_ptr_array_index(value->u.object, i);

            jsonObjectAddPair(copy, g_strdup(pair->key),
                              jsonValueCopy(pair->value));
        }
        return copy;
    case JSON_TYPE_NULL:
    case JSON_TYPE_LAST:
        break;
    }
    return jsonValueNewNull();
}

jsonType jsonValueGetType(const jsonValue *value)
{
    return value->type;
}

bool jsonValueIsNull(const jsonValue *value)
{
    return value->type == JSON_TYPE_NULL;
}

/* Reports that @value (under @key when not NULL) is not of type @want. */
static bool jsonCheckType(const jsonValue *value, jsonType want,
                          const char *key)
{
    if (value->type == want)
        return true;
    if (key)
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "JSON value of key '%s' is of type %s, not %s", key,
                    jsonTypeToString(value->type), jsonTypeToString(want));
    else
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "JSON value is of type %s, not %s",
                    jsonTypeToString(value->type), jsonTypeToString(want));
    return false;
}

static const char *jsonGetString(const jsonValue *value, const char *key)
{
    if (!jsonCheckType(value, JSON_TYPE_STRING, key))
        return NULL;
    return value->u.string;
}

const char *jsonValueGetString(const jsonValue *value)
{
    return jsonGetString(value, NULL);
}

static int jsonGetBoolean(const jsonValue *value, const char *key,
                          bool *ret_value)
{
    if (!jsonCheckType(value, JSON_TYPE_BOOLEAN, key))
        return -1;
    *ret_value = value->u.boolean;
    return 0;
}

int jsonValueGetBoolean(const jsonValue *value, bool *ret_value)
{
    return jsonGetBoolean(value, NULL, ret_value);
}

static void jsonReportNumber(const jsonValue *value, const char *key,
                             const char *want, const char *why)
{
    errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                "JSON number %s%s%s is not %s: %s", value->u.number,
                key ? " of key " : "", key ? key : "", want, why);
}

static int jsonGetInt64(const jsonValue *value, const char *key,
                        gint64 *ret_value)
{
    g_autoptr(GError) gerr = NULL;
    gint64 number;

    if (!jsonCheckType(value, JSON_TYPE_NUMBER, key))
        return -1;
    if (!g_ascii_string_to_signed(value->u.number, 10, G_MININT64,
                                  G_MAXINT64, &number, &gerr)) {
        jsonReportNumber(value, key, "a 64-bit integer", gerr->message);
        return -1;
    }
    *ret_value = number;
    return 0;
}

static int jsonGetUint64(const jsonValue *value, const char *key,
                         guint64 *ret_value)
{
    g_autoptr(GError) gerr = NULL;
    guint64 number;

    if (!jsonCheckType(value, JSON_TYPE_NUMBER, key))
        return -1;
    if (!g_ascii_string_to_unsigned(value->u.number, 10, 0, G_MAXUINT64,
                                    &number, &gerr)) {
        jsonReportNumber(value, key, "an unsigned 64-bit integer",
                         gerr->message);
        return -1;
    }
    *ret_value = number;
    return 0;
}

static int jsonGetDouble(const jsonValue *value, const char *key,
                         double *ret_value)
{
    double number;

    if (!jsonCheckType(value, JSON_TYPE_NUMBER, key))
        return -1;
    errno = 0;
    number = g_ascii_strtod(value->u.number, NULL);
    if (errno == ERANGE && isinf(number)) {
        jsonReportNumber(value, key, "a double", "out of range");
        return -1;
    }
    *ret_value = number;
    return 0;
}

int jsonValueGetNumberInt64(const jsonValue *value, gint64 *ret_value)
{
    return jsonGetInt64(value, NULL, ret_value);
}

int jsonValueGetNumberUint64(const jsonValue *value, guint64 *ret_value)
{
    return jsonGetUint64(value, NULL, ret_value);
}

int jsonValueGetNumberDouble(const jsonValue *value, double *ret_value)
{
    return jsonGetDouble(value, NULL, ret_value);
}

int jsonArrayAppend(jsonValue *array, jsonValue **value)
{
    if (!jsonCheckType(array, JSON_TYPE_ARRAY, NULL))
        return -1;
    g_ptr_array_add(array->u.array, g_steal_pointer(value));
    return 0;
}

int jsonArrayAppendString(jsonValue *array, const char *string)
{
    g_autoptr(jsonValue) value = jsonValueNewString(string);

    return jsonArrayAppend(array, &value);
}

size_t jsonArraySize(const jsonValue *array)
{
    return array->type == JSON_TYPE_ARRAY ? array->u.array->len : 0;
}

jsonValue *jsonArrayGet(const jsonValue *array, size_t index)
{
    if (!jsonCheckType(array, JSON_TYPE_ARRAY, NULL))
        return NULL;
    if (index >= array->u.array->len) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "JSON array has no element %zu (it has %u)", index,
                    array->u.array->len);
        return NULL;
    }
    return g_ptr_array_index(array->u.array, index);
}

/* The index of @key in @object, or -1. */
static gssize jsonObjectFind(const jsonValue *object, const char *key)
{
    if (object->type != JSON_TYPE_OBJECT)
        return -1;
    for (guint i = 0; i < object->u.object->len; i++) {
        jsonPair *pair = g_ptr_array_index(object->u.object, i);

        if (g_str_equal(pair->key, key))
            return i;
    }
    return -1;
}

int jsonObjectAppend(jsonValue *object, const char *key, jsonValue **value)
{
    if (!jsonCheckType(object, JSON_TYPE_OBJECT, NULL))
        return -1;
    if (jsonObjectFind(object, key) >= 0) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "JSON object already has a key '%s'", key);
        return -1;
    }
    jsonObjectAddPair(object, g_strdup(key), g_steal_pointer(value));
    return 0;
}

/* Append a new value, freeing it when the append fails. */
static int jsonObjectAppendNew(jsonValue *object, const char *key,
                               jsonValue *newValue)
{
    g_autoptr(jsonValue) value = newValue;

    if (!value)
        return -1;
    return jsonObjectAppend(object, key, &value);
}

int jsonObjectAppendString(jsonValue *object, const char *key,
                           const char *value)
{
    return jsonObjectAppendNew(object, key, jsonValueNewString(value));
}

int jsonObjectAppendNumberInt64(jsonValue *object, const char *key,
                                gint64 value)
{
    return jsonObjectAppendNew(object, key, jsonValueNewNumberInt64(value));
}

int jsonObjectAppendNumberUint64(jsonValue *object, const char *key,
                                 guint64 value)
{
    return jsonObjectAppendNew(object, key, jsonValueNewNumberUint64(value));
}

int jsonObjectAppendNumberDouble(jsonValue *object, const char *key,
                                 double value)
{
    return jsonObjectAppendNew(object, key, jsonValueNewNumberDouble(value));
}

int jsonObjectAppendBoolean(jsonValue *object, const char *key, bool value)
{
    return jsonObjectAppendNew(object, key, jsonValueNewBoolean(value));
}

int jsonObjectAppendNull(jsonValue *object, const char *key)
{
    return jsonObjectAppendNew(object, key, jsonValueNewNull());
}

bool jsonObjectHasKey(const jsonValue *object, const char *key)
{
    return jsonObjectFind(object, key) >= 0;
}

jsonValue *jsonObjectGet(const jsonValue *object, const char *key)
{
    gssize index;

    if (!jsonCheckType(object, JSON_TYPE_OBJECT, NULL))
        return NULL;
    index = jsonObjectFind(object, key);
    if (index < 0) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "JSON object has no key '%s'", key);
        return NULL;
    }
    return ((jsonPair *)g_ptr_array_index(object->u.object, index))->value;
}

const char *jsonObjectGetString(const jsonValue *object, const char *key)
{
    jsonValue *value = jsonObjectGet(object, key);

    return value ? jsonGetString(value, key) : NULL;
}

int jsonObjectGetNumberInt64(const jsonValue *object, const char *key,
                             gint64 *ret_value)
{
    jsonValue *value = jsonObjectGet(object, key);

    return value ? jsonGetInt64(value, key, ret_value) : -1;
}

int jsonObjectGetNumberUint64(const jsonValue *object, const char *key,
                              guint64 *ret_value)
{
    jsonValue *value = jsonObjectGet(object, key);

    return value ? jsonGetUint64(value, key, ret_value) : -1;
}

int jsonObjectGetNumberDouble(const jsonValue *object, const char *key,
                              double *ret_value)
{
    jsonValue *value = jsonObjectGet(object, key);

    return value ? jsonGetDouble(value, key, ret_value) : -1;
}

int jsonObjectGetBoolean(const jsonValue *object, const char *key,
                         bool *ret_value)
{
    jsonValue *value = jsonObjectGet(object, key);

    return value ? jsonGetBoolean(value, key, ret_value) : -1;
}

static jsonValue *jsonObjectGetTyped(const jsonValue *object, const char *key,
                                     jsonType type)
{
    jsonValue *value = jsonObjectGet(object, key);

    if (!value || !jsonCheckType(value, type, key))
        return NULL;
    return value;
}

jsonValue *jsonObjectGetObject(const jsonValue *object, const char *key)
{
    return jsonObjectGetTyped(object, key, JSON_TYPE_OBJECT);
}

jsonValue *jsonObjectGetArray(const jsonValue *object, const char *key)
{
    return jsonObjectGetTyped(object, key, JSON_TYPE_ARRAY);
}

int jsonObjectStealKey(jsonValue *object, const char *key,
                       jsonValue **ret_value)
{
    jsonPair *pair;

    if (!jsonObjectGet(object, key))
        return -1;
    pair = g_ptr_array_steal_index(object->u.object,
                                   jsonObjectFind(object, key));
    *ret_value = g_steal_pointer(&pair->value);
    jsonPairFree(pair);
    return 0;
}

size_t jsonObjectSize(const jsonValue *object)
{
    return object->type == JSON_TYPE_OBJECT ? object->u.object->len : 0;
}

static jsonPair *jsonObjectPairAt(const jsonValue *object, size_t index)
{
    g_return_val_if_fail(index < jsonObjectSize(object), NULL);
    return g_ptr_array_index(object->u.object, index);
}

const char *jsonObjectKeyAt(const jsonValue *object, size_t index)
{
    jsonPair *pair = jsonObjectPairAt(object, index);

    return pair ? pair->key : NULL;
}

jsonValue *jsonObjectValueAt(const jsonValue *object, size_t index)
{
    jsonPair *pair = jsonObjectPairAt(object, index);

    return pair ? pair->value : NULL;
}

/* Parsing: yajl calls back for each token; we keep the open containers on a
 * stack and attach every new value to the innermost one. */
typedef struct {
    jsonValue *root;
    GPtrArray *stack;   /* open arrays and objects, borrowed, innermost last */
    char *key;          /* the key read for the innermost object's next value */
    char *error;        /* why a callback stopped the parse */
} jsonParser;

/* Attach @value (taken) where the parse is; returns it (borrowed), or NULL
 * and sets parser->error. */
static jsonValue *jsonParserAdd(jsonParser *parser, jsonValue *value)
{
    g_autoptr(jsonValue) owned = value;
    jsonValue *parent;

    if (parser->stack->len == 0) {
        parser->root = g_steal_pointer(&owned);
        return value;
    }
    parent = g_ptr_array_index(parser->stack, parser->stack->len - 1);
    if (parent->type == JSON_TYPE_ARRAY) {
        g_ptr_array_add(parent->u.array, g_steal_pointer(&owned));
        return value;
    }
    if (jsonObjectFind(parent, parser->key) >= 0) {
        parser->error = g_strdup_printf("duplicate key '%s'", parser->key);
        return NULL;
    }
    jsonObjectAddPair(parent, g_steal_pointer(&parser->key),
                      g_steal_pointer(&owned));
    return value;
}

static int jsonParseNull(void *ctx)
{
    return jsonParserAdd(ctx, jsonValueNewNull()) != NULL;
}

static int jsonParseBoolean(void *ctx, int boolean)
{
    return jsonParserAdd(ctx, jsonValueNewBoolean(boolean)) != NULL;
}

static int jsonParseNumber(void *ctx, const char *text, size_t len)
{
    return jsonParserAdd(ctx, jsonValueNewNumberText(g_strndup(text, len)))
        != NULL;
}

static int jsonParseString(void *ctx, const unsigned char *text, size_t len)
{
    jsonParser *parser = ctx;
    jsonValue *value;

    if (memchr(text, '\0', len)) {
        parser->error = g_strdup("strings with NUL characters are not "
                                 "supported");
        return 0;
    }
    value = jsonValueNew(JSON_TYPE_STRING);
    value->u.string = g_strndup((const char *)text, len);
    return jsonParserAdd(parser, value) != NULL;
}

static int jsonParseKey(void *ctx, const unsigned char *text, size_t len)
{
    jsonParser *parser = ctx;

    if (memchr(text, '\0', len)) {
        parser->error = g_strdup("keys with NUL characters are not "
                                 "supported");
        return 0;
    }
    g_free(parser->key);
    parser->key = g_strndup((const char *)text, len);
    return 1;
}

static int jsonParseOpen(jsonParser *parser, jsonValue *container)
{
    jsonValue *added;

    if (parser->stack->len >= JSON_MAX_DEPTH) {
        jsonValueFree(container);
        parser->error = g_strdup_printf("nesting deeper than %d levels",
                                        JSON_MAX_DEPTH);
        return 0;
    }
    added = jsonParserAdd(parser, container);
    if (!added)
        return 0;
    g_ptr_array_add(parser->stack, added);
    return 1;
}

static int jsonParseStartMap(void *ctx)
{
    return jsonParseOpen(ctx, jsonValueNewObject());
}

static int jsonParseStartArray(void *ctx)
{
    return jsonParseOpen(ctx, jsonValueNewArray());
}

static int jsonParseClose(void *ctx)
{
    jsonParser *parser = ctx;

    g_ptr_array_remove_index(parser->stack, parser->stack->len - 1);
    return 1;
}

static const yajl_callbacks jsonParseCallbacks = {
    .yajl_null = jsonParseNull,
    .yajl_boolean = jsonParseBoolean,
    .yajl_number = jsonParseNumber,
    .yajl_string = jsonParseString,
    .yajl_start_map = jsonParseStartMap,
    .yajl_map_key = jsonParseKey,
    .yajl_end_map = jsonParseClose,
    .yajl_start_array = jsonParseStartArray,
    .yajl_end_array = jsonParseClose,
};

static void jsonReportParseError(yajl_handle handle, jsonParser *parser,
                                 const char *text, size_t len)
{
    size_t offset = yajl_get_bytes_consumed(handle);
    unsigned char *msg;

    if (parser->error) {
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "cannot parse JSON: %s (near byte %zu)", parser->error,
                    offset);
        return;
    }
    msg = yajl_get_error(handle, 0, (const unsigned char *)text, len);
    errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                "cannot parse JSON: %s (near byte %zu)",
                g_strstrip((char *)msg), offset);
    yajl_free_error(handle, msg);
}

jsonValue *jsonParse(const char *text)
{
    jsonParser parser = { .stack = g_ptr_array_new() };
    yajl_handle handle = yajl_alloc(&jsonParseCallbacks, NULL, &parser);
    size_t len = strlen(text);
    yajl_status status;

    status = yajl_parse(handle, (const unsigned char *)text, len);
    if (status == yajl_status_ok)
        status = yajl_complete_parse(handle);
    if (status == yajl_status_ok && !parser.root)
        parser.error = g_strdup("the text holds no value");
    if (status != yajl_status_ok || parser.error) {
        jsonReportParseError(handle, &parser, text, len);
        g_clear_pointer(&parser.root, jsonValueFree);
    }
    yajl_free(handle);
    g_ptr_array_unref(parser.stack);
    g_free(parser.key);
    g_free(parser.error);
    return parser.root;
}

/* Formatting. */
static yajl_gen_status jsonGen(yajl_gen gen, const jsonValue *value);

static yajl_gen_status jsonGenString(yajl_gen gen, const char *string)
{
    return yajl_gen_string(gen, (const unsigned char *)string,
                           strlen(string));
}

static yajl_gen_status jsonGenArray(yajl_gen gen, const jsonValue *value)
{
    yajl_gen_status status = yajl_gen_array_open(gen);

    for (guint i = 0; status == yajl_gen_status_ok &&
                      i < value->u.array->len; i++)
        status = jsonGen(gen, g_ptr_array_index(value->u.array, i));
    return status == yajl_gen_status_ok ? yajl_gen_array_close(gen) : status;
}

static yajl_gen_status jsonGenObject(yajl_gen gen, const jsonValue *value)
{
    yajl_gen_status status = yajl_gen_map_open(gen);

    for (guint i = 0; status == yajl_gen_status_ok &&
                      i < value->u.object->len; i++) {
        jsonPair *pair = g_ptr_array_index(value->u.object, i);

        status = jsonGenString(gen, pair->key);
        if (status == yajl_gen_status_ok)
            status = jsonGen(gen, pair->value);
    }
    return status == yajl_gen_status_ok ? yajl_gen_map_close(gen) : status;
}

static yajl_gen_status jsonGen(yajl_gen gen, const jsonValue *value)
{
    switch (value->type) {
    case JSON_TYPE_BOOLEAN:
        return yajl_gen_bool(gen, value->u.boolean);
    case JSON_TYPE_NUMBER:
        return yajl_gen_number(gen, value->u.number,
                               strlen(value->u.number));
    case JSON_TYPE_STRING:
        return jsonGenString(gen, value->u.string);
    case JSON_TYPE_ARRAY:
        return jsonGenArray(gen, value);
    case JSON_TYPE_OBJECT:
        return jsonGenObject(gen, value);
    case JSON_TYPE_NULL:
    case JSON_TYPE_LAST:
        break;
    }
    return yajl_gen_null(gen);
}

static const char *jsonGenStatusString(yajl_gen_status status)
{
    switch (status) {
    case yajl_max_depth_exceeded:
        return "nesting too deep";
    case yajl_gen_invalid_string:
        return "a string is not valid UTF-8";
    default:
        return "internal generator error";
    }
}

char *jsonFormat(const jsonValue *value, bool pretty)
{
    yajl_gen gen = yajl_gen_alloc(NULL);
    const unsigned char *buf;
    size_t len;
    yajl_gen_status status;
    char *text = NULL;

    yajl_gen_config(gen, yajl_gen_beautify, pretty ? 1 : 0);
    yajl_gen_config(gen, yajl_gen_indent_string, "  ");
    yajl_gen_config(gen, yajl_gen_validate_utf8, 1);
    status = jsonGen(gen, value);
    if (status == yajl_gen_status_ok &&
        yajl_gen_get_buf(gen, &buf, &len) == yajl_gen_status_ok)
        text = g_strndup((const char *)buf, len);
    else
        errorReport(VMM_FROM_NONE, VMM_ERR_INTERNAL_ERROR,
                    "cannot format JSON: %s", jsonGenStatusString(status));
    yajl_gen_free(gen);
    return text;
}
