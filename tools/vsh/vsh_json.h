/*
 * vsh_json.h: a small JSON document builder and printer for `vsh --json`.
 * vsh sees only the public API, so it cannot use the library's JSON code;
 * it needs no parser, only trees built by commands and printed once.
 */
#ifndef VSH_JSON_H
#define VSH_JSON_H

#include <glib.h>

typedef struct _vshJson vshJson;

vshJson *vshJsonNewNull(void);
vshJson *vshJsonNewBool(gboolean value);
vshJson *vshJsonNewInt(gint64 value);
vshJson *vshJsonNewUInt(guint64 value);
/* NULL gives a JSON null. */
vshJson *vshJsonNewString(const char *value);
vshJson *vshJsonNewArray(void);
vshJson *vshJsonNewObject(void);
void vshJsonFree(vshJson *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshJson, vshJsonFree);

/* Both take ownership of @value. Keys keep their insertion order. */
void vshJsonArrayAppend(vshJson *array, vshJson *value);
void vshJsonObjectAdd(vshJson *object, const char *key, vshJson *value);
void vshJsonObjectAddString(vshJson *object, const char *key,
                            const char *value);
void vshJsonObjectAddInt(vshJson *object, const char *key, gint64 value);
void vshJsonObjectAddUInt(vshJson *object, const char *key, guint64 value);
void vshJsonObjectAddBool(vshJson *object, const char *key, gboolean value);

/* The member @key of an object, or NULL. */
vshJson *vshJsonObjectGet(vshJson *object, const char *key);
/* Removes and returns the member @key (ownership to the caller). */
vshJson *vshJsonObjectSteal(vshJson *object, const char *key);
guint vshJsonArrayLength(const vshJson *array);
/* Element @index of an array (still owned by it), or NULL. */
vshJson *vshJsonArrayGet(vshJson *array, guint index);

/* Indented text, ending with a newline. Control characters are escaped;
 * bytes that are not valid UTF-8 become U+FFFD so the output always
 * parses. */
char *vshJsonFormat(const vshJson *value);
/* The escaped body of a JSON string (without quotes), appended to @out. */
void vshJsonEscapeString(GString *out, const char *str);

#endif /* VSH_JSON_H */
