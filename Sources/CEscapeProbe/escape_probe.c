#define _GNU_SOURCE
#include "escape_probe.h"

/* Debug builds only: a release build has no /debug routes and none of this code. */
#ifdef RW_DEBUG_ROUTES

#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int ps_escape_attempt(ps_escape what, int target) {
    switch (what) {
    case PS_ESCAPE_PTRACE:
        if (ptrace(PTRACE_ATTACH, (pid_t) target, NULL, NULL) < 0) return errno;
        ptrace(PTRACE_DETACH, (pid_t) target, NULL, NULL);
        return 0;
    case PS_ESCAPE_READ_MEMORY: {
        char buffer[8];
        /* Any address will do: refusal comes before the address is looked at. */
        struct iovec local = { .iov_base = buffer, .iov_len = sizeof(buffer) };
        struct iovec remote = { .iov_base = (void *) 0x400000, .iov_len = sizeof(buffer) };
        if (process_vm_readv((pid_t) target, &local, 1, &remote, 1, 0) < 0) return errno == EFAULT ? 0 : errno;
        return 0;
    }
    case PS_ESCAPE_SIGNAL:
        return kill((pid_t) target, 0) < 0 ? errno : 0;
    case PS_ESCAPE_EXEC: {
        char *argv[] = { "/nonexistent/remote-worker-escape", NULL };
        char *envp[] = { NULL };
        execve(argv[0], argv, envp);
        return errno;
    }
    case PS_ESCAPE_FORK: {
        pid_t child = fork();
        if (child < 0) return errno;
        if (child == 0) _exit(0);
        waitpid(child, NULL, 0);
        return 0;
    }
    case PS_ESCAPE_TRUNCATE:
        return ftruncate(target, 0) < 0 ? errno : 0;
    }
    return EINVAL;
}

#endif
