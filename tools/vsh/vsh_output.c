/*
 * vsh_output.c: text output of vsh (see vsh_output.h). In JSON mode the
 * text a command prints is captured, so stdout carries only the JSON
 * document; errors always go to stderr.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "vsh_output.h"

static void vshPrintVa(vshControl *ctl, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);

static void vshPrintVa(vshControl *ctl, const char *fmt, va_list ap)
{
    if (ctl->capture) {
        g_string_append_vprintf(ctl->capture, fmt, ap);
        return;
    }
    vfprintf(stdout, fmt, ap);
}

void vshPrint(vshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vshPrintVa(ctl, fmt, ap);
    va_end(ap);
}

void vshPrintExtra(vshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vshPrintVa(ctl, fmt, ap);
    va_end(ap);
}

static void vshErrorLine(vshControl *ctl, const char *msg)
{
    fflush(stdout); /* keep the order of stdout and stderr on a terminal */
    fprintf(stderr, "error: %s\n", msg);
    fflush(stderr);
    if (ctl->errors)
        g_ptr_array_add(ctl->errors, g_strdup(msg));
}

void vshError(vshControl *ctl, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vshErrorLine(ctl, msg);
}

void vshSaveLibError(void *opaque, vmmErrorPtr err)
{
    vshControl *ctl = opaque;

    if (!err || err->code == VMM_ERR_OK)
        return;
    ctl->savedErrCode = err->code;
    ctl->savedErrDomain = err->domain;
    g_free(ctl->savedErrMessage);
    ctl->savedErrMessage = g_strdup(err->message);
}

void vshResetLibError(vshControl *ctl)
{
    vmmResetLastError();
    ctl->savedErrCode = VMM_ERR_OK;
    ctl->savedErrDomain = 0;
    g_clear_pointer(&ctl->savedErrMessage, g_free);
}

void vshReportLibError(vshControl *ctl)
{
    if (ctl->savedErrCode == VMM_ERR_OK)
        return;
    ctl->libErrCode = ctl->savedErrCode;
    ctl->libErrDomain = ctl->savedErrDomain;
    vshErrorLine(ctl, ctl->savedErrMessage ? ctl->savedErrMessage
                                           : "unknown error");
    vshResetLibError(ctl);
}

void vshPrintField(vshControl *ctl, int width, const char *key,
                   const char *fmt, ...)
{
    g_autofree char *value = NULL;
    va_list ap;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vshPrint(ctl, "%-*s %s\n", width, key, value);
}

struct _vshTable {
    guint ncols;
    GPtrArray *cells; /* row-major, of char *, already escaped */
};

/* A cell as it is shown: control characters and bytes that are not
 * UTF-8 become \xNN, so every cell has a width that can be counted. */
static char *vshTableCellEscape(const char *str, gsize *ret_width)
{
    GString *out = g_string_new(NULL);
    gsize width = 0;
    const char *p = str ? str : "";

    while (*p) {
        gunichar c = g_utf8_get_char_validated(p, -1);

        if (c == (gunichar)-1 || c == (gunichar)-2 || g_unichar_iscntrl(c)) {
            g_string_append_printf(out, "\\x%02x", (unsigned char)*p);
            width += 4;
            p++;
            continue;
        }
        g_string_append_len(out, p, g_utf8_next_char(p) - p);
        if (g_unichar_iswide(c))
            width += 2;
        else if (!g_unichar_iszerowidth(c))
            width += 1;
        p = g_utf8_next_char(p);
    }
    *ret_width = width;
    return g_string_free(out, FALSE);
}

static void vshTableAddRowVa(vshTable *table, const char *first, va_list ap)
{
    const char *cell = first;
    guint n = 0;

    while (cell && n < table->ncols) {
        g_ptr_array_add(table->cells, g_strdup(cell));
        n++;
        cell = va_arg(ap, const char *);
    }
    for (; n < table->ncols; n++)
        g_ptr_array_add(table->cells, g_strdup(""));
}

vshTable *vshTableNew(const char *first, ...)
{
    vshTable *table = g_new0(vshTable, 1);
    const char *name;
    va_list ap;

    va_start(ap, first);
    for (name = first; name; name = va_arg(ap, const char *))
        table->ncols++;
    va_end(ap);

    table->cells = g_ptr_array_new_with_free_func(g_free);
    va_start(ap, first);
    vshTableAddRowVa(table, first, ap);
    va_end(ap);
    return table;
}

void vshTableAddRow(vshTable *table, const char *first, ...)
{
    va_list ap;

    va_start(ap, first);
    vshTableAddRowVa(table, first, ap);
    va_end(ap);
}

void vshTableFree(vshTable *table)
{
    if (!table)
        return;
    g_ptr_array_unref(table->cells);
    g_free(table);
}

/* Each cell is preceded by one space and followed, except in the last
 * column, by padding up to the column's width plus two spaces; the rule
 * under the header is as long as the columns plus three per column. */
char *vshTableFormat(vshTable *table, gboolean header)
{
    guint nrows = table->cells->len / table->ncols;
    g_autofree gsize *maxw = g_new0(gsize, table->ncols);
    g_autofree gsize *widths = g_new0(gsize, table->cells->len);
    g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func(g_free);
    GString *out = g_string_new(NULL);
    guint r, c;

    for (r = 0; r < nrows; r++) {
        for (c = 0; c < table->ncols; c++) {
            guint i = r * table->ncols + c;

            g_ptr_array_add(shown, vshTableCellEscape(
                                       g_ptr_array_index(table->cells, i),
                                       &widths[i]));
            if ((r > 0 || header) && widths[i] > maxw[c])
                maxw[c] = widths[i];
        }
    }

    for (r = header ? 0 : 1; r < nrows; r++) {
        for (c = 0; c < table->ncols; c++) {
            guint i = r * table->ncols + c;

            g_string_append_printf(out, " %s",
                                   (char *)g_ptr_array_index(shown, i));
            if (c + 1 < table->ncols) {
                for (gsize k = widths[i]; k < maxw[c] + 2; k++)
                    g_string_append_c(out, ' ');
            }
        }
        g_string_append_c(out, '\n');
        if (r == 0) {
            for (c = 0; c < table->ncols; c++) {
                for (gsize k = 0; k < maxw[c] + 3; k++)
                    g_string_append_c(out, '-');
            }
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

void vshTablePrint(vshControl *ctl, vshTable *table)
{
    g_autofree char *text = vshTableFormat(table, !ctl->quiet);

    vshPrint(ctl, "%s", text);
}
