// Part of process control, in C because of what it does: when a responder
// crashes in the middle of a request, the request should still get its answer
// (a JSON 500) and the log one line saying what was being served. A signal handler may only make
// async-signal-safe calls, so the answer and the line are prepared before
// the work starts, and the handler only writes them.
#ifndef CRASH_REPORT_H
#define CRASH_REPORT_H

#include <stddef.h>

/// Installs the handler for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and
/// SIGTRAP, on an alternate stack (a stack overflow still reaches it). After
/// writing, the handler restores the default action and the signal ends the
/// process as it would have. Returns 0 or -errno.
int ps_crash_report_install(void);

/// Arms the report for the request in hand: `record` (at most 4096 bytes) is
/// written to `connection` if this process crashes before disarm.
/// Returns -EMSGSIZE when the record does not fit.
int ps_crash_report_arm(int connection, const void *record, size_t length);

/// Sets the log line (at most 4096 bytes). The handler writes it to stderr
/// with byte 0x01 replaced by the time and 0x02 by the signal's name. With
/// `iso_millis` the time reads 2026-01-31T12:00:00.000Z, else 2026-01-31T12:00:00+0000.
int ps_crash_report_note(const char *line, size_t length, int iso_millis);

/// The request was answered (or is about to be): a crash now writes nothing.
void ps_crash_report_disarm(void);

#endif
