#define _GNU_SOURCE
#include "responder_filter.h"
#include "install_filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <asm/ioctls.h>
#include <unistd.h>

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#endif

#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LOAD_ARG_LOW(n) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[n]))
#define RETURN(action) BPF_STMT(BPF_RET | BPF_K, (action))
#define ALLOWED SECCOMP_RET_ALLOW
#define REFUSED (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define NO_SUCH_CALL (SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA))

#define MAX_PROGRAM 512

int ps_allow_only_serving_calls(int protected_fd, ps_role role) {
#ifndef FILTER_ARCH
    (void) protected_fd;
    (void) role;
    return -EOPNOTSUPP;
#else
    struct sock_filter program[MAX_PROGRAM];
    unsigned length = 0;
#define EMIT(instruction) do { if (length >= MAX_PROGRAM) return -E2BIG; program[length++] = (struct sock_filter) instruction; } while (0)
    /* The calling convention first: another architecture's numbers mean other calls. */
    EMIT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FILTER_ARCH, 1, 0));
    EMIT(RETURN(SECCOMP_RET_KILL_PROCESS));
    EMIT(LOAD_NR);
#if defined(__x86_64__)
    /* x32 calls carry a flag bit in the number. */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));
    EMIT(RETURN(REFUSED));
#endif
    /* Narrowed by argument. Each block: if nr matches, load the argument, decide, else fall through. */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1));
    EMIT(RETURN(NO_SUCH_CALL));
/* If the call is `nr`, argument `arg` tested by `op` (BPF_JEQ, BPF_JSET) against `value`
   decides: `matched` or `otherwise`. Both return, so the next block starts from the number. */
#define DECIDE_BY_ARGUMENT(nr, arg, op, value, matched, otherwise) \
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 4)); \
    EMIT(LOAD_ARG_LOW(arg)); \
    EMIT(BPF_JUMP(BPF_JMP | (op) | BPF_K, (value), 0, 1)); \
    EMIT(RETURN(matched)); \
    EMIT(RETURN(otherwise));
    DECIDE_BY_ARGUMENT(__NR_clone, 0, BPF_JSET, CLONE_THREAD, ALLOWED, REFUSED)
    DECIDE_BY_ARGUMENT(__NR_tgkill, 0, BPF_JEQ, (unsigned) getpid(), ALLOWED, REFUSED)
    DECIDE_BY_ARGUMENT(__NR_ioctl, 1, BPF_JEQ, TCGETS, ALLOWED, REFUSED)
    DECIDE_BY_ARGUMENT(__NR_ftruncate, 0, BPF_JEQ, (unsigned) protected_fd, REFUSED, ALLOWED)
#undef DECIDE_BY_ARGUMENT
    /* prctl: two values allowed. */
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 0, 5));
    EMIT(LOAD_ARG_LOW(0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_NAME, 1, 0));
    EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_GET_NAME, 0, 1));
    EMIT(RETURN(ALLOWED));
    EMIT(RETURN(REFUSED));
    /* The plain allow-list: measured (responder_syscalls.inc), then calls no measured run
       makes but a crash, a signal or a slow path of the C library can: raising a signal in
       this process, restarting an interrupted call, sleeping, the clock without vDSO,
       growing a large allocation in place. */
#define ALLOW(name) EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_##name, 0, 1)); EMIT(RETURN(ALLOWED));
    if (role == PS_ROLE_FETCHER) {
        /* socket: only the families a fetch uses; netlink, packet and the rest refused. */
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 6));
        EMIT(LOAD_ARG_LOW(0));
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0));
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0));
        EMIT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1));
        EMIT(RETURN(ALLOWED));
        EMIT(RETURN(REFUSED));
#include "fetcher_syscalls.inc"
    } else {
#include "responder_syscalls.inc"
    }
    ALLOW(gettid) ALLOW(getpid) ALLOW(restart_syscall) ALLOW(clock_nanosleep) ALLOW(nanosleep)
    ALLOW(clock_gettime) ALLOW(gettimeofday) ALLOW(sched_yield) ALLOW(mremap) ALLOW(fstat)
    ALLOW(newfstatat) ALLOW(statx) ALLOW(pread64) ALLOW(writev) ALLOW(sigaltstack) ALLOW(exit)
    ALLOW(exit_group) ALLOW(rt_sigreturn) ALLOW(fcntl) ALLOW(readlinkat) ALLOW(getuid) ALLOW(geteuid)
    ALLOW(getgid) ALLOW(getegid)
#undef ALLOW
    EMIT(RETURN(REFUSED));
#undef EMIT
    /* The libvips threads already running get it too. */
    return ps_install_filter(program, (unsigned short) length);
#endif
}
