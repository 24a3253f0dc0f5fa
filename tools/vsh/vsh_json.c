/*
 * vsh_json.c: JSON trees for `vsh --json` (see vsh_json.h).
 */
#include <config.h>

#include <string.h>

#include "vsh_json.h"

typedef enum {
    VSH_JSON_NULL,
    VSH_JSON_BOOL,
    VSH_JSON_INT,
    VSH_JSON_UINT,
    VSH_JSON_STRING,
    VSH_JSON_ARRAY,
    VSH_JSON_OBJECT,
} vshJsonType;

struct _vshJson {
    vshJsonType type;
    gboolean b;
    gint64 i;
    guint64 u;
    char *str;
    GPtrArray *items; /* array values; object values */
    GPtrArray *keys;  /* object keys, parallel to items */
};

static vshJson *vshJsonNew(vshJsonType type)
{
    vshJson *v = g_new0(vshJson, 1);

    v->type = type;
    if (type == VSH_JSON_ARRAY || type == VSH_JSON_OBJECT)
        v->items = g_ptr_array_new_with_free_func((GDestroyNotify)vshJsonFree);
    if (type == VSH_JSON_OBJECT)
        v->keys = g_ptr_array_new_with_free_func(g_free);
    return v;
}

vshJson *vshJsonNewNull(void)
{
    return vshJsonNew(VSH_JSON_NULL);
}

vshJson *vshJsonNewBool(gboolean value)
{
    vshJson *v = vshJsonNew(VSH_JSON_BOOL);

    v->b = value;
    return v;
}

vshJson *vshJsonNewInt(gint64 value)
{
    vshJson *v = vshJsonNew(VSH_JSON_INT);

    v->i = value;
    return v;
}

vshJson *vshJsonNewUInt(guint64 value)
{
    vshJson *v = vshJsonNew(VSH_JSON_UINT);

    v->u = value;
    return v;
}

vshJson *vshJsonNewString(const char *value)
{
    vshJson *v;

    if (!value)
        return vshJsonNewNull();
    v = vshJsonNew(VSH_JSON_STRING);
    v->str = g_strdup(value);
    return v;
}

vshJson *vshJsonNewArray(void)
{
    return vshJsonNew(VSH_JSON_ARRAY);
}

vshJson *vshJsonNewObject(void)
{
    return vshJsonNew(VSH_JSON_OBJECT);
}

void vshJsonFree(vshJson *value)
{
    if (!value)
        return;
    g_free(value->str);
    if (value->items)
        g_ptr_array_unref(value->items);
    if (value->keys)
        g_ptr_array_unref(value->keys);
    g_free(value);
}

void vshJsonArrayAppend(vshJson *array, vshJson *value)
{
    g_return_if_fail(array->type == VSH_JSON_ARRAY);
    g_ptr_array_add(array->items, value);
}

void vshJsonObjectAdd(vshJson *object, const char *key, vshJson *value)
{
    g_return_if_fail(object->type == VSH_JSON_OBJECT);
    g_ptr_array_add(object->keys, g_strdup(key));
    g_ptr_array_add(object->items, value);
}

void vshJsonObjectAddString(vshJson *object, const char *key,
                            const char *value)
{
    vshJsonObjectAdd(object, key, vshJsonNewString(value));
}

void vshJsonObjectAddInt(vshJson *object, const char *key, gint64 value)
{
    vshJsonObjectAdd(object, key, vshJsonNewInt(value));
}

void vshJsonObjectAddUInt(vshJson *object, const char *key, guint64 value)
{
    vshJsonObjectAdd(object, key, vshJsonNewUInt(value));
}

void vshJsonObjectAddBool(vshJson *object, const char *key, gboolean value)
{
    vshJsonObjectAdd(object, key, vshJsonNewBool(value));
}

static gssize vshJsonObjectIndex(const vshJson *object, const char *key)
{
    guint i;

    if (object->type != VSH_JSON_OBJECT)
        return -1;
    for (i = 0; i < object->keys->len; i++) {
        if (strcmp(g_ptr_array_index(object->keys, i), key) == 0)
            return i;
    }
    return -1;
}

vshJson *vshJsonObjectGet(vshJson *object, const char *key)
{
    gssize i = vshJsonObjectIndex(object, key);

    return i < 0 ? NULL : g_ptr_array_index(object->items, i);
}

vshJson *vshJsonObjectSteal(vshJson *object, const char *key)
{
    gssize i = vshJsonObjectIndex(object, key);
    vshJson *v;

    if (i < 0)
        return NULL;
    v = g_ptr_array_steal_index(object->items, i);
    g_ptr_array_remove_index(object->keys, i);
    return v;
}

guint vshJsonArrayLength(const vshJson *array)
{
    return array->type == VSH_JSON_ARRAY ? array->items->len : 0;
}

vshJson *vshJsonArrayGet(vshJson *array, guint index)
{
    if (array->type != VSH_JSON_ARRAY || index >= array->items->len)
        return NULL;
    return g_ptr_array_index(array->items, index);
}

static void vshJsonEscapeByte(GString *out, unsigned char c)
{
    switch (c) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\r': g_string_append(out, "\\r"); break;
    case '\t': g_string_append(out, "\\t"); break;
    case '\b': g_string_append(out, "\\b"); break;
    case '\f': g_string_append(out, "\\f"); break;
    default:
        if (c < 0x20)
            g_string_append_printf(out, "\\u%04x", c);
        else
            g_string_append_c(out, c);
    }
}

void vshJsonEscapeString(GString *out, const char *str)
{
    const char *p = str;

    while (*p) {
        const char *end = NULL;

        /* [p, end) is the longest valid UTF-8 run; a bad byte stops it */
        if (!g_utf8_validate(p, -1, &end) && end == p) {
            g_string_append(out, "\\ufffd");
            p++;
            continue;
        }
        for (; p < end; p++)
            vshJsonEscapeByte(out, *p);
    }
}

static void vshJsonIndent(GString *out, guint depth)
{
    g_string_append_c(out, '\n');
    for (guint i = 0; i < depth; i++)
        g_string_append(out, "  ");
}

static void vshJsonFormatValue(GString *out, const vshJson *v, guint depth);

static void vshJsonFormatContainer(GString *out, const vshJson *v,
                                   guint depth)
{
    gboolean object = v->type == VSH_JSON_OBJECT;
    guint i;

    g_string_append_c(out, object ? '{' : '[');
    for (i = 0; i < v->items->len; i++) {
        if (i > 0)
            g_string_append_c(out, ',');
        vshJsonIndent(out, depth + 1);
        if (object) {
            g_string_append_c(out, '"');
            vshJsonEscapeString(out, g_ptr_array_index(v->keys, i));
            g_string_append(out, "\": ");
        }
        vshJsonFormatValue(out, g_ptr_array_index(v->items, i), depth + 1);
    }
    if (v->items->len > 0)
        vshJsonIndent(out, depth);
    g_string_append_c(out, object ? '}' : ']');
}

static void vshJsonFormatValue(GString *out, const vshJson *v, guint depth)
{
    switch (v->type) {
    case VSH_JSON_NULL:
        g_string_append(out, "null");
        break;
    case VSH_JSON_BOOL:
        g_string_append(out, v->b ? "true" : "false");
        break;
    case VSH_JSON_INT:
        g_string_append_printf(out, "%" G_GINT64_FORMAT, v->i);
        break;
    case VSH_JSON_UINT:
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, v->u);
        break;
    case VSH_JSON_STRING:
        g_string_append_c(out, '"');
        vshJsonEscapeString(out, v->str);
        g_string_append_c(out, '"');
        break;
    case VSH_JSON_ARRAY:
    case VSH_JSON_OBJECT:
        vshJsonFormatContainer(out, v, depth);
        break;
    }
}

char *vshJsonFormat(const vshJson *value)
{
    GString *out = g_string_new(NULL);

    vshJsonFormatValue(out, value, 0);
    g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}
