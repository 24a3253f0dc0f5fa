/*
 * util_uuid.c: generating, parsing and formatting UUIDs. Randomness comes
 * from the kernel (getrandom), never from a seeded PRNG, so two daemons
 * started at the same instant cannot collide.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <glib.h>

#include "util_uuid.h"

void uuidGenerate(unsigned char ret_uuid[VMM_UUID_BUFLEN])
{
    unsigned char buf[VMM_UUID_BUFLEN];
    size_t got = 0;

    while (got < sizeof(buf)) {
        ssize_t n = getrandom(buf + got, sizeof(buf) - got, 0);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* getrandom cannot fail on Linux >= 3.17 once the pool is
             * ready; fall back to glib rather than return garbage. */
            for (size_t i = got; i < sizeof(buf); i++)
                buf[i] = (unsigned char)g_random_int_range(0, 256);
            break;
        }
        got += (size_t)n;
    }
    buf[6] = (buf[6] & 0x0f) | 0x40; /* version 4 */
    buf[8] = (buf[8] & 0x3f) | 0x80; /* RFC 4122 variant */
    memcpy(ret_uuid, buf, sizeof(buf));
}

int uuidParse(const char *str, unsigned char ret_uuid[VMM_UUID_BUFLEN])
{
    unsigned char buf[VMM_UUID_BUFLEN];
    size_t n = 0;
    const char *p = str;

    if (!str)
        return -1;
    while (*p == ' ')
        p++;
    while (n < VMM_UUID_BUFLEN) {
        int hi, lo;

        if (*p == '-') {
            p++;
            continue;
        }
        hi = g_ascii_xdigit_value(p[0]);
        lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[1]);
        if (hi < 0 || lo < 0)
            return -1;
        buf[n++] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    while (*p == ' ')
        p++;
    if (*p != '\0')
        return -1;
    memcpy(ret_uuid, buf, sizeof(buf));
    return 0;
}

void uuidFormat(const unsigned char uuid[VMM_UUID_BUFLEN],
                char ret_str[VMM_UUID_STRING_BUFLEN])
{
    snprintf(ret_str, VMM_UUID_STRING_BUFLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6],
             uuid[7], uuid[8], uuid[9], uuid[10], uuid[11], uuid[12],
             uuid[13], uuid[14], uuid[15]);
}

bool uuidIsNull(const unsigned char uuid[VMM_UUID_BUFLEN])
{
    for (size_t i = 0; i < VMM_UUID_BUFLEN; i++) {
        if (uuid[i])
            return false;
    }
    return true;
}
