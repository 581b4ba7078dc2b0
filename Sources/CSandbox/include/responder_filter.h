// Why this file exists: the allow-list a responder serves under is a seccomp
// BPF program: instruction arrays and syscall numbers, which belong in C.
#ifndef RESPONDER_FILTER_H
#define RESPONDER_FILTER_H

#include <sys/types.h>

/// From now on every thread of this process may make only the system calls
/// serving requests was measured to need (responder_syscalls.h, made by
/// scripts/derive-syscalls.py) plus the few a crash or a slow path needs;
/// any other fails with EPERM. Some are narrowed by argument: clone only for
/// threads (clone3 answers ENOSYS, so the C library falls back to clone),
/// tgkill only within this process, prctl only to name threads, ioctl only
/// to ask whether a descriptor is a terminal, ftruncate never on descriptor
/// `protected_fd` (the scoreboard). Needs no_new_privs (set by the sandbox).
/// `role` picks the measured list: the image responders' (no sockets at all)
/// or the link fetchers' (fetcher_syscalls.inc), whose socket() is narrowed to
/// AF_INET, AF_INET6 and AF_UNIX (the image pool's socket).
/// Returns 0 or -errno.
typedef enum { PS_ROLE_IMAGES = 0, PS_ROLE_FETCHER = 1 } ps_role;
int ps_allow_only_serving_calls(int protected_fd, ps_role role);

#endif
