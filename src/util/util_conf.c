/*
 * util_conf.c: a hand-written recursive-descent reader for libvirt-style
 * configuration files, and typed access to what it read.
 *
 * The input is untrusted bytes with an explicit length (NUL bytes included),
 * so the parser never relies on a terminator and every step checks the end
 * of the buffer. Lists do not nest, which keeps the recursion depth fixed
 * whatever the input.
 */
#include <config.h>

#include <stdarg.h>
#include <string.h>

#include "util_conf.h"
#include "util_error.h"
#include "util_file.h"

typedef struct {
    confType type;
    gint64 num;
    char *str;
    GPtrArray *items; /* of confValue, for CONF_TYPE_LIST */
} confValue;

typedef struct {
    char *key;
    unsigned int line;
    confValue *value;
} confEntry;

struct _confFile {
    char *name;
    GPtrArray *entries; /* of confEntry, in file order */
    GHashTable *byKey;  /* key -> confEntry owned by entries */
};

typedef struct {
    const char *name;
    const char *cur;
    const char *end;
    unsigned int line;
} confParser;

static const char *const confTypeNames[CONF_TYPE_LAST] = {
    [CONF_TYPE_NONE] = "none",
    [CONF_TYPE_NUMBER] = "number",
    [CONF_TYPE_STRING] = "string",
    [CONF_TYPE_LIST] = "list",
};

const char *confTypeToString(confType type)
{
    if ((int)type < 0 || type >= CONF_TYPE_LAST)
        return "unknown";
    return confTypeNames[type];
}

static void confValueFree(gpointer data)
{
    confValue *value = data;

    if (!value)
        return;
    g_free(value->str);
    if (value->items)
        g_ptr_array_unref(value->items);
    g_free(value);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(confValue, confValueFree)

static void confEntryFree(gpointer data)
{
    confEntry *entry = data;

    if (!entry)
        return;
    g_free(entry->key);
    confValueFree(entry->value);
    g_free(entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(confEntry, confEntryFree)

void confFree(confFile *conf)
{
    if (!conf)
        return;
    if (conf->byKey)
        g_hash_table_unref(conf->byKey);
    if (conf->entries)
        g_ptr_array_unref(conf->entries);
    g_free(conf->name);
    g_free(conf);
}

static confFile *confNew(const char *name)
{
    confFile *conf = g_new0(confFile, 1);

    conf->name = g_strdup(name ? name : "(string)");
    conf->entries = g_ptr_array_new_with_free_func(confEntryFree);
    conf->byKey = g_hash_table_new(g_str_hash, g_str_equal);
    return conf;
}

/* ---- the parser ---------------------------------------------------- */

static bool parserAtEnd(const confParser *p)
{
    return p->cur >= p->end;
}

static bool parserPeekIs(const confParser *p, char c)
{
    return !parserAtEnd(p) && *p->cur == c;
}

static bool parserPeekIsText(const confParser *p, const char *text)
{
    size_t len = strlen(text);

    return (size_t)(p->end - p->cur) >= len && memcmp(p->cur, text, len) == 0;
}

/* What the parser is looking at, in words, for error messages. */
static char *parserDescribeNext(const confParser *p)
{
    unsigned char c;

    if (parserAtEnd(p))
        return g_strdup("end of file");
    c = (unsigned char)*p->cur;
    if (c == '\n')
        return g_strdup("end of line");
    if (g_ascii_isprint(c))
        return g_strdup_printf("'%c'", c);
    return g_strdup_printf("byte 0x%02x", c);
}

static void parserError(const confParser *p, unsigned int line, const char *fmt,
                        ...) G_GNUC_PRINTF(3, 4);

static void parserError(const confParser *p, unsigned int line, const char *fmt,
                        ...)
{
    g_autofree char *reason = NULL;
    va_list ap;

    va_start(ap, fmt);
    reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    errorReport(VMM_FROM_CONF, VMM_ERR_CONF_SYNTAX, "%s:%u: %s", p->name, line,
                reason);
}

/* Blanks within a line. A '\r' counts as one so that files with CRLF line
 * ends read the same as others. */
static void parserSkipBlanks(confParser *p)
{
    while (!parserAtEnd(p) &&
           (*p->cur == ' ' || *p->cur == '\t' || *p->cur == '\r'))
        p->cur++;
}

/* A comment runs to the end of the line; the newline itself stays. */
static void parserSkipComment(confParser *p)
{
    if (!parserPeekIs(p, '#'))
        return;
    while (!parserAtEnd(p) && *p->cur != '\n')
        p->cur++;
}

/* Blanks, comments and newlines: what may separate statements and the
 * items of a list. */
static void parserSkipSpace(confParser *p)
{
    for (;;) {
        parserSkipBlanks(p);
        parserSkipComment(p);
        if (!parserPeekIs(p, '\n'))
            return;
        p->cur++;
        p->line++;
    }
}

static int parserNumber(confParser *p, gint64 *ret_num)
{
    bool negative = false;
    guint64 limit = G_MAXINT64;
    guint64 magnitude = 0;

    if (*p->cur == '-' || *p->cur == '+') {
        negative = *p->cur == '-';
        p->cur++;
    }
    if (parserAtEnd(p) || !g_ascii_isdigit(*p->cur)) {
        g_autofree char *found = parserDescribeNext(p);

        parserError(p, p->line, "expected a digit after the sign, found %s",
                    found);
        return -1;
    }
    if (negative)
        limit = (guint64)G_MAXINT64 + 1;
    while (!parserAtEnd(p) && g_ascii_isdigit(*p->cur)) {
        unsigned int digit = *p->cur - '0';

        if (magnitude > (limit - digit) / 10) {
            parserError(p, p->line, "number out of range");
            return -1;
        }
        magnitude = magnitude * 10 + digit;
        p->cur++;
    }
    if (!negative)
        *ret_num = (gint64)magnitude;
    else if (magnitude == (guint64)G_MAXINT64 + 1)
        *ret_num = G_MININT64;
    else
        *ret_num = -(gint64)magnitude;
    return 0;
}

/* A """triple-quoted""" string may span lines; its line count moves the
 * parser on. */
static int parserLongString(confParser *p, const char **ret_start,
                            size_t *ret_len)
{
    unsigned int startLine = p->line;
    const char *start;

    p->cur += 3;
    start = p->cur;
    while (!parserAtEnd(p) && !parserPeekIsText(p, "\"\"\"")) {
        if (*p->cur == '\n')
            p->line++;
        p->cur++;
    }
    if (parserAtEnd(p)) {
        parserError(p, startLine, "unterminated string (missing \"\"\")");
        return -1;
    }
    *ret_start = start;
    *ret_len = p->cur - start;
    p->cur += 3;
    return 0;
}

/* '...' or "..." on one line; there are no escapes, so a string cannot
 * hold its own quote character. */
static int parserShortString(confParser *p, const char **ret_start,
                             size_t *ret_len)
{
    char quote = *p->cur++;
    const char *start = p->cur;

    while (!parserAtEnd(p) && *p->cur != quote && *p->cur != '\n')
        p->cur++;
    if (!parserPeekIs(p, quote)) {
        parserError(p, p->line, "unterminated string (missing %c)", quote);
        return -1;
    }
    *ret_start = start;
    *ret_len = p->cur - start;
    p->cur++;
    return 0;
}

static int parserString(confParser *p, char **ret_str)
{
    unsigned int startLine = p->line;
    const char *start;
    size_t len;
    int rc;

    if (parserPeekIsText(p, "\"\"\""))
        rc = parserLongString(p, &start, &len);
    else
        rc = parserShortString(p, &start, &len);
    if (rc < 0)
        return -1;
    /* Values end up in C strings, paths and log lines: refuse NUL bytes
     * and anything that is not text. */
    if (!g_utf8_validate_len(start, len, NULL)) {
        parserError(p, startLine, "string is not valid UTF-8 text");
        return -1;
    }
    *ret_str = g_strndup(start, len);
    return 0;
}

static bool parserAtScalar(const confParser *p)
{
    char c;

    if (parserAtEnd(p))
        return false;
    c = *p->cur;
    return c == '"' || c == '\'' || c == '-' || c == '+' || g_ascii_isdigit(c);
}

/* A string or a number; the caller has checked parserAtScalar(). */
static confValue *parserScalar(confParser *p)
{
    g_autoptr(confValue) value = g_new0(confValue, 1);
    int rc;

    if (*p->cur == '"' || *p->cur == '\'') {
        value->type = CONF_TYPE_STRING;
        rc = parserString(p, &value->str);
    } else {
        value->type = CONF_TYPE_NUMBER;
        rc = parserNumber(p, &value->num);
    }
    if (rc < 0)
        return NULL;
    return g_steal_pointer(&value);
}

/* [ item, item, ... ] over any number of lines, with comments between
 * items and an optional trailing comma. */
static confValue *parserList(confParser *p)
{
    unsigned int startLine = p->line;
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(confValueFree);
    confValue *list;

    p->cur++;
    parserSkipSpace(p);
    while (!parserPeekIs(p, ']')) {
        g_autofree char *found = NULL;
        confValue *item;

        if (parserAtEnd(p))
            break;
        if (!parserAtScalar(p)) {
            found = parserDescribeNext(p);
            parserError(p, p->line, "%s in a list, found %s",
                        *p->cur == '[' ? "lists cannot be nested"
                                       : "expected a string or a number",
                        found);
            return NULL;
        }
        if (!(item = parserScalar(p)))
            return NULL;
        g_ptr_array_add(items, item);
        parserSkipSpace(p);
        if (parserPeekIs(p, ',')) {
            p->cur++;
            parserSkipSpace(p);
        } else if (!parserAtEnd(p) && !parserPeekIs(p, ']')) {
            found = parserDescribeNext(p);
            parserError(p, p->line, "expected ',' or ']' in a list, found %s",
                        found);
            return NULL;
        }
    }
    if (parserAtEnd(p)) {
        parserError(p, startLine, "unterminated list (missing ])");
        return NULL;
    }
    p->cur++;
    list = g_new0(confValue, 1);
    list->type = CONF_TYPE_LIST;
    list->items = g_steal_pointer(&items);
    return list;
}

static confValue *parserValue(confParser *p)
{
    g_autofree char *found = NULL;

    if (parserPeekIs(p, '['))
        return parserList(p);
    if (parserAtScalar(p))
        return parserScalar(p);
    if (parserAtEnd(p) || *p->cur == '\n' || *p->cur == '#' || *p->cur == ';') {
        parserError(p, p->line, "expected a value after '='");
        return NULL;
    }
    found = parserDescribeNext(p);
    parserError(p, p->line,
                "expected a value after '=', found %s (strings need quotes)",
                found);
    return NULL;
}

static char *parserName(confParser *p)
{
    const char *start = p->cur;

    if (parserAtEnd(p) || !g_ascii_isalpha(*p->cur)) {
        g_autofree char *found = parserDescribeNext(p);

        parserError(p, p->line, "expected a key name, found %s", found);
        return NULL;
    }
    while (!parserAtEnd(p) && (g_ascii_isalnum(*p->cur) || *p->cur == '_'))
        p->cur++;
    return g_strndup(start, p->cur - start);
}

/* After a value: blanks, maybe a comment, then the end of the line, a ';'
 * or the end of the input. */
static int parserStatementEnd(confParser *p, const char *key)
{
    g_autofree char *found = NULL;

    parserSkipBlanks(p);
    parserSkipComment(p);
    if (parserAtEnd(p) || parserPeekIs(p, '\n'))
        return 0;
    if (parserPeekIs(p, ';')) {
        p->cur++;
        return 0;
    }
    found = parserDescribeNext(p);
    parserError(p, p->line, "unexpected %s after the value of '%s'", found,
                key);
    return -1;
}

static int parserStatement(confParser *p, confFile *conf)
{
    g_autoptr(confEntry) entry = g_new0(confEntry, 1);
    const confEntry *earlier;

    entry->line = p->line;
    if (!(entry->key = parserName(p)))
        return -1;
    parserSkipBlanks(p);
    if (!parserPeekIs(p, '=')) {
        g_autofree char *found = parserDescribeNext(p);

        parserError(p, p->line, "expected '=' after '%s', found %s", entry->key,
                    found);
        return -1;
    }
    p->cur++;
    parserSkipBlanks(p);
    if (!(entry->value = parserValue(p)))
        return -1;
    /* libvirt silently takes the first of two settings; a daemon that
     * ignores half of what the administrator wrote is worse than one that
     * refuses to start. */
    if ((earlier = g_hash_table_lookup(conf->byKey, entry->key))) {
        parserError(p, entry->line, "'%s' is set twice (first on line %u)",
                    entry->key, earlier->line);
        return -1;
    }
    if (parserStatementEnd(p, entry->key) < 0)
        return -1;
    g_hash_table_insert(conf->byKey, entry->key, entry);
    g_ptr_array_add(conf->entries, g_steal_pointer(&entry));
    return 0;
}

confFile *confParseString(const char *name, const char *data, size_t len)
{
    g_autoptr(confFile) conf = confNew(name);
    confParser p = {
        .name = conf->name,
        .cur = data,
        .end = data + len,
        .line = 1,
    };

    if (!data && len) {
        errorReportInvalidArg(VMM_FROM_CONF, "data");
        return NULL;
    }
    for (;;) {
        parserSkipSpace(&p);
        if (parserAtEnd(&p))
            break;
        if (parserStatement(&p, conf) < 0)
            return NULL;
    }
    return g_steal_pointer(&conf);
}

/* ---- reading files ------------------------------------------------- */

confFile *confParseFile(const char *path)
{
    g_autofree char *data = NULL;
    size_t len = 0;

    if (!path) {
        errorReportInvalidArg(VMM_FROM_CONF, "path");
        return NULL;
    }
    if (fileReadAll(path, CONF_MAX_FILE_SIZE, &data, &len) < 0)
        return NULL;
    return confParseString(path, data, len);
}

/* ---- access -------------------------------------------------------- */

const char *confGetName(const confFile *conf)
{
    return conf->name;
}

size_t confKeyCount(const confFile *conf)
{
    return conf->entries->len;
}

const char *confKeyNth(const confFile *conf, size_t n)
{
    const confEntry *entry;

    if (n >= conf->entries->len)
        return NULL;
    entry = g_ptr_array_index(conf->entries, n);
    return entry->key;
}

int confForEach(const confFile *conf, confForEachFunc func, void *opaque)
{
    for (guint i = 0; i < conf->entries->len; i++) {
        const confEntry *entry = g_ptr_array_index(conf->entries, i);
        int rc =
            func(conf, entry->key, entry->value->type, entry->line, opaque);

        if (rc < 0)
            return rc;
    }
    return 0;
}

static const confEntry *confLookup(const confFile *conf, const char *key)
{
    return g_hash_table_lookup(conf->byKey, key);
}

confType confGetType(const confFile *conf, const char *key)
{
    const confEntry *entry = confLookup(conf, key);

    return entry ? entry->value->type : CONF_TYPE_NONE;
}

unsigned int confGetLine(const confFile *conf, const char *key)
{
    const confEntry *entry = confLookup(conf, key);

    return entry ? entry->line : 0;
}

void confReportValueError(const confFile *conf, const char *key,
                          const char *fmt, ...)
{
    unsigned int line = confGetLine(conf, key);
    g_autofree char *reason = NULL;
    va_list ap;

    va_start(ap, fmt);
    reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (line)
        errorReport(VMM_FROM_CONF, VMM_ERR_CONFIG_UNSUPPORTED, "%s:%u: '%s' %s",
                    conf->name, line, key, reason);
    else
        errorReport(VMM_FROM_CONF, VMM_ERR_CONFIG_UNSUPPORTED, "%s: '%s' %s",
                    conf->name, key, reason);
}

static void confReportWrongType(const confFile *conf, const confEntry *entry,
                                const char *wanted)
{
    confReportValueError(conf, entry->key, "must be %s, not a %s", wanted,
                         confTypeToString(entry->value->type));
}

int confGetString(const confFile *conf, const char *key, char **ret_value)
{
    const confEntry *entry = confLookup(conf, key);

    if (!entry)
        return 0;
    if (entry->value->type != CONF_TYPE_STRING) {
        confReportWrongType(conf, entry, "a string");
        return -1;
    }
    *ret_value = g_strdup(entry->value->str);
    return 1;
}

/* The number @key holds, checked against [@min, @max]. */
static int confGetRanged(const confFile *conf, const char *key, gint64 min,
                         gint64 max, gint64 *ret_value)
{
    const confEntry *entry = confLookup(conf, key);
    gint64 num;

    if (!entry)
        return 0;
    if (entry->value->type != CONF_TYPE_NUMBER) {
        confReportWrongType(conf, entry, "a number");
        return -1;
    }
    num = entry->value->num;
    if (num < min && min == 0) {
        confReportValueError(conf, key, "must not be negative");
        return -1;
    }
    if (num < min || num > max) {
        confReportValueError(conf, key,
                             "must be between %" G_GINT64_FORMAT
                             " and %" G_GINT64_FORMAT,
                             min, max);
        return -1;
    }
    *ret_value = num;
    return 1;
}

int confGetInt64(const confFile *conf, const char *key, gint64 *ret_value)
{
    return confGetRanged(conf, key, G_MININT64, G_MAXINT64, ret_value);
}

int confGetInt(const confFile *conf, const char *key, int *ret_value)
{
    gint64 num;
    int rc = confGetRanged(conf, key, G_MININT, G_MAXINT, &num);

    if (rc == 1)
        *ret_value = (int)num;
    return rc;
}

int confGetUInt(const confFile *conf, const char *key, unsigned int *ret_value)
{
    gint64 num;
    int rc = confGetRanged(conf, key, 0, G_MAXUINT, &num);

    if (rc == 1)
        *ret_value = (unsigned int)num;
    return rc;
}

int confGetBool(const confFile *conf, const char *key, bool *ret_value)
{
    const confEntry *entry = confLookup(conf, key);

    if (!entry)
        return 0;
    if (entry->value->type != CONF_TYPE_NUMBER ||
        (entry->value->num != 0 && entry->value->num != 1)) {
        confReportValueError(conf, key, "must be 0 or 1");
        return -1;
    }
    *ret_value = entry->value->num == 1;
    return 1;
}

int confGetStringList(const confFile *conf, const char *key, bool allowString,
                      char ***ret_value)
{
    const confEntry *entry = confLookup(conf, key);
    const confValue *value;
    g_autoptr(GPtrArray) strs = NULL;

    if (!entry)
        return 0;
    value = entry->value;
    if (value->type == CONF_TYPE_STRING && allowString) {
        char **list = g_new0(char *, 2);

        list[0] = g_strdup(value->str);
        *ret_value = list;
        return 1;
    }
    if (value->type != CONF_TYPE_LIST) {
        confReportWrongType(conf, entry, "a list of strings");
        return -1;
    }
    strs = g_ptr_array_new_full(value->items->len + 1, g_free);
    for (guint i = 0; i < value->items->len; i++) {
        const confValue *item = g_ptr_array_index(value->items, i);

        if (item->type != CONF_TYPE_STRING) {
            confReportValueError(conf, key,
                                 "must be a list of strings, but item %u is "
                                 "a %s",
                                 i + 1, confTypeToString(item->type));
            return -1;
        }
        g_ptr_array_add(strs, g_strdup(item->str));
    }
    g_ptr_array_add(strs, NULL);
    *ret_value = (char **)g_ptr_array_free(g_steal_pointer(&strs), FALSE);
    return 1;
}
