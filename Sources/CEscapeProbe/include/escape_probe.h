// Why this file exists: the debug build's escape probe tries, from inside a
// responder, what a compromised decoder would try next. ptrace is variadic,
// fork and execve are unavailable to Swift, process_vm_readv takes iovecs:
// C calls, kept here and used by nothing but that probe.
#ifndef ESCAPE_PROBE_H
#define ESCAPE_PROBE_H

#include <sys/types.h>

typedef enum {
    PS_ESCAPE_PTRACE,        /* PTRACE_ATTACH to `target` (detached again if it worked) */
    PS_ESCAPE_READ_MEMORY,   /* process_vm_readv of 8 bytes at `target`'s stack pointer page */
    PS_ESCAPE_SIGNAL,        /* kill(target, 0): may a signal be sent at all */
    PS_ESCAPE_EXEC,          /* execve of a path that does not exist: EPERM when refused, ENOENT when allowed */
    PS_ESCAPE_FORK,          /* fork (a child that did start exits at once) */
    PS_ESCAPE_TRUNCATE,      /* ftruncate(target, 0): target is a descriptor here */
} ps_escape;

/// 0 when the act worked, else the errno it failed with. Defined in debug builds only,
/// for the debug build's /debug/escape.
int ps_escape_attempt(ps_escape what, int target);

#endif
