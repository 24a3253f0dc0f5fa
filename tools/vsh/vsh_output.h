/*
 * vsh_output.h: everything vsh writes: plain text (captured instead in
 * JSON mode), chatter that -q silences, errors on stderr, virsh-style
 * tables and "Key:   value" blocks.
 */
#ifndef VSH_OUTPUT_H
#define VSH_OUTPUT_H

#include "vsh.h"

void vshPrint(vshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Like vshPrint, but not with -q (messages such as "Domain 'x' started"). */
void vshPrintExtra(vshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "error: ..." on stderr; the line is also kept for a JSON error. */
void vshError(vshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints the library's last error, if any, and clears it. */
void vshReportLibError(vshControl *ctl);
/* Forgets the library's last error (a failure the command expected). */
void vshResetLibError(vshControl *ctl);
/* The handler given to vmmSetErrorFunc, with the vshControl as data. */
void vshSaveLibError(void *opaque, vmmErrorPtr err);

/* "Key:           value" with the key padded to @width. */
void vshPrintField(vshControl *ctl, int width, const char *key,
                   const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* A table laid out as virsh lays its tables out: a header row, a line of
 * dashes, columns padded to their widest cell. */
typedef struct _vshTable vshTable;
vshTable *vshTableNew(const char *first, ...) G_GNUC_NULL_TERMINATED;
void vshTableAddRow(vshTable *table, const char *first, ...)
    G_GNUC_NULL_TERMINATED;
/* The text of the table; no header with @header FALSE. */
char *vshTableFormat(vshTable *table, gboolean header);
/* Prints it (no header under -q). */
void vshTablePrint(vshControl *ctl, vshTable *table);
void vshTableFree(vshTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vshTable, vshTableFree);

#endif /* VSH_OUTPUT_H */
