#include "xml_shim.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Kept apart from xml_shim.c: plain iconv, no libxml2. libxml2's own iconv path stops
   at the first byte it cannot convert; a page's decoder must not. */

static const uint8_t replacement[3] = {0xEF, 0xBF, 0xBD};

static int grow(uint8_t **buffer, size_t *capacity, size_t used, size_t needed) {
    if (*capacity - used >= needed) return 1;
    size_t larger = *capacity * 2 + needed;
    uint8_t *moved = realloc(*buffer, larger);
    if (moved == NULL) return 0;
    *buffer = moved;
    *capacity = larger;
    return 1;
}

uint8_t *rw_convert_to_utf8(const char *from, const uint8_t *bytes, size_t length, size_t *out_length) {
    if (from == NULL || out_length == NULL || (bytes == NULL && length > 0)) return NULL;
    iconv_t converter = iconv_open("UTF-8", from);
    if (converter == (iconv_t) -1) return NULL;
    size_t capacity = length * 2 + 64, used = 0;
    uint8_t *output = malloc(capacity);
    char *in = (char *) bytes;
    size_t in_left = length;
    int failed = output == NULL;
    while (!failed && in_left > 0) {
        char *out = (char *) output + used;
        size_t out_left = capacity - used;
        size_t result = iconv(converter, &in, &in_left, &out, &out_left);
        used = capacity - out_left;
        if (result != (size_t) -1) break;
        if (errno == E2BIG) {
            failed = !grow(&output, &capacity, used, 64);
        } else if (errno == EILSEQ || errno == EINVAL) {
            /* A byte that starts no valid sequence, or a sequence cut by the end: U+FFFD for
               its first byte, then go on with the next (which may start a valid one). */
            failed = !grow(&output, &capacity, used, sizeof replacement);
            if (!failed) {
                memcpy(output + used, replacement, sizeof replacement);
                used += sizeof replacement;
                in++;
                in_left--;
            }
        } else {
            failed = 1;
        }
    }
    /* A stateful charset (ISO-2022-JP) may owe bytes for its final shift. */
    while (!failed) {
        char *out = (char *) output + used;
        size_t out_left = capacity - used;
        size_t result = iconv(converter, NULL, NULL, &out, &out_left);
        used = capacity - out_left;
        if (result != (size_t) -1) break;
        failed = errno != E2BIG || !grow(&output, &capacity, used, 64);
    }
    iconv_close(converter);
    if (failed) {
        free(output);
        return NULL;
    }
    *out_length = used;
    return output;
}

void rw_free_converted(uint8_t *converted) {
    free(converted);
}
