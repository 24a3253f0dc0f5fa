/*
 * typed_params.h: building lists of typed parameters (drivers filling
 * domain statistics) and freeing what the public API hands out
 * (vmmTypedParamsFree, vmmDomainStatsRecordListFree).
 *
 * A typedParamList grows as parameters are added; field names longer
 * than VMM_TYPED_PARAM_FIELD_LENGTH - 1 are a programming error and are
 * cut, never overflowed.
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

#include <vmm/vmm.h>

typedef struct {
    vmmTypedParameter *params;
    int n;
    int alloc;
} typedParamList;

void typedParamListAddInt(typedParamList *list, int value, const char *fmt,
                          ...) G_GNUC_PRINTF(3, 4);
void typedParamListAddUInt(typedParamList *list, unsigned int value,
                           const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void typedParamListAddLLong(typedParamList *list, long long value,
                            const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void typedParamListAddULLong(typedParamList *list, unsigned long long value,
                             const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void typedParamListAddBoolean(typedParamList *list, bool value,
                              const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* @value is copied. */
void typedParamListAddString(typedParamList *list, const char *value,
                             const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Hands the parameters out (for a vmmDomainStatsRecord) and empties the
 * list. */
vmmTypedParameter *typedParamListSteal(typedParamList *list, int *ret_n);
void typedParamListClear(typedParamList *list);
