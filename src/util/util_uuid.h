/*
 * util_uuid.h: RFC 4122 UUIDs as 16 raw bytes and as 36-character strings.
 */
#pragma once

#include <stdbool.h>

#include <vmm/vmm.h>

/* A random (version 4) UUID into @ret_uuid. */
void uuidGenerate(unsigned char ret_uuid[VMM_UUID_BUFLEN]);

/* Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; like libvirt it also takes
 * the 32 hex digits without dashes. Returns 0, or -1 (no error raised,
 * @ret_uuid untouched) when @str is not a UUID. */
int uuidParse(const char *str, unsigned char ret_uuid[VMM_UUID_BUFLEN]);

/* Lower-case dashed form into @ret_str (VMM_UUID_STRING_BUFLEN bytes). */
void uuidFormat(const unsigned char uuid[VMM_UUID_BUFLEN],
                char ret_str[VMM_UUID_STRING_BUFLEN]);

bool uuidIsNull(const unsigned char uuid[VMM_UUID_BUFLEN]);
