#define _GNU_SOURCE
#include "crash_report.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPORT_CAPACITY 4096

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };

static atomic_int armed_connection = -1;
static char record[REPORT_CAPACITY];
static size_t record_length;
/* Two copies of the line: a note is written to the one not in use, then published. */
static char lines[2][REPORT_CAPACITY];
static size_t lines_length[2];
static int lines_iso_millis[2];
static atomic_int line_current = -1;

static void write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes += n;
        length -= (size_t) n;
    }
}

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case SIGTRAP: return "SIGTRAP";
    default: return "unknown";
    }
}

/* Writes `value` as `width` decimal digits at `out`. */
static void digits(char *out, long value, int width) {
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char) ('0' + value % 10);
        value /= 10;
    }
}

/* UTC time as the other log lines have it: the civil date from days since
   1970 (gmtime_r is not async-signal-safe). Writes 24 bytes. */
static void timestamp(char *out, int iso_millis) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long days = now.tv_sec / 86400, seconds = now.tv_sec % 86400;
    long z = days + 719468, era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2);
    digits(out, year, 4); out[4] = '-';
    digits(out + 5, month, 2); out[7] = '-';
    digits(out + 8, day, 2); out[10] = 'T';
    digits(out + 11, seconds / 3600, 2); out[13] = ':';
    digits(out + 14, seconds / 60 % 60, 2); out[16] = ':';
    digits(out + 17, seconds % 60, 2);
    if (iso_millis) {
        out[19] = '.';
        digits(out + 20, now.tv_nsec / 1000000, 3);
        out[23] = 'Z';
    } else {
        memcpy(out + 19, "+0000", 5);
    }
}

/* The published line, with the time and the signal's name put in, in one write. */
static void write_log_line(int sig) {
    int current = atomic_load(&line_current);
    if (current < 0) return;
    static char out[REPORT_CAPACITY + 64];
    const char *name = signal_name(sig);
    size_t used = 0;
    for (size_t i = 0; i < lines_length[current] && used < REPORT_CAPACITY; i++) {
        char byte = lines[current][i];
        if (byte == 1) {
            timestamp(out + used, lines_iso_millis[current]);
            used += 24;
        } else if (byte == 2) {
            size_t length = strlen(name);
            memcpy(out + used, name, length);
            used += length;
        } else {
            out[used++] = byte;
        }
    }
    write_all(2, out, used);
}

static void crash_handler(int sig, siginfo_t *info, void *context) {
    (void) context;
    /* Sent by another process (kill): not a crash of this request; end as the sender asked. */
    int from_outside = info->si_code <= 0 && info->si_pid != getpid();
    int connection = atomic_exchange(&armed_connection, -1);
    if (connection >= 0 && !from_outside) {
        write_all(connection, record, record_length);
        write_log_line(sig);
    }
    /* Die of the same signal, so the supervisor sees the real cause: it is blocked
       while this runs, and is delivered with the default action on return. */
    signal(sig, SIG_DFL);
    raise(sig);
}

int ps_crash_report_install(void) {
    static char *alternate_stack;
    if (!alternate_stack) {
        size_t size = 64 * 1024;
        alternate_stack = malloc(size);
        if (!alternate_stack) return -ENOMEM;
        stack_t stack = { .ss_sp = alternate_stack, .ss_size = size, .ss_flags = 0 };
        if (sigaltstack(&stack, NULL) < 0) return -errno;
    }
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = crash_handler;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++) {
        if (sigaction(crash_signals[i], &action, NULL) < 0) return -errno;
    }
    return 0;
}

int ps_crash_report_arm(int connection, const void *bytes, size_t length) {
    if (length > REPORT_CAPACITY) return -EMSGSIZE;
    atomic_store(&armed_connection, -1);
    memcpy(record, bytes, length);
    record_length = length;
    atomic_store(&armed_connection, connection);
    return 0;
}

int ps_crash_report_note(const char *line, size_t length, int iso_millis) {
    if (length > REPORT_CAPACITY) return -EMSGSIZE;
    int next = atomic_load(&line_current) == 0 ? 1 : 0;
    memcpy(lines[next], line, length);
    lines_length[next] = length;
    lines_iso_millis[next] = iso_millis;
    atomic_store(&line_current, next);
    return 0;
}

void ps_crash_report_disarm(void) {
    atomic_store(&armed_connection, -1);
}
