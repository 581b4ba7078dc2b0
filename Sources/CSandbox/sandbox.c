#define _GNU_SOURCE
#include "sandbox.h"
#include "install_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int ps_lookup_user(const char *name, uid_t *uid, gid_t *gid) {
    errno = 0;
    struct passwd *entry = getpwnam(name);
    if (!entry) return errno ? -errno : -ENOENT;
    *uid = entry->pw_uid;
    *gid = entry->pw_gid;
    return 0;
}

int ps_has_capabilities(int also_kill) {
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    if (syscall(SYS_capget, &header, data) < 0) return -errno;
    __u32 needed = (1u << CAP_SETUID) | (1u << CAP_SETGID) | (also_kill ? 1u << CAP_KILL : 0);
    return (data[0].effective & needed) == needed;
}

int ps_drop_privileges(uid_t uid, gid_t gid) {
    uid_t before = getuid();
    if (setgroups(0, NULL) < 0) return -errno;
    if (setresgid(gid, gid, gid) < 0) return -errno;
    if (setresuid(uid, uid, uid) < 0) return -errno;
    /* From root the kernel clears the capabilities; from a user holding CAP_SETUID
       (the systemd unit's ambient set) they stay unless dropped here, all of them. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) return -errno;
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct none[2];
    memset(none, 0, sizeof(none));
    if (syscall(SYS_capset, &header, none) < 0) return -errno;
    /* Must be impossible to go back. */
    if (setuid(0) == 0 || (before != uid && setuid(before) == 0)) return -EPERM;
    return 0;
}

int ps_forbid_tracing(void) {
    return prctl(PR_SET_DUMPABLE, 0) < 0 ? -errno : 0;
}

/* Landlock ---------------------------------------------------------------- */

static __u64 write_accesses(int abi) {
    __u64 access = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR
        | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR
        | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO
        | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
#ifdef LANDLOCK_ACCESS_FS_REFER
    if (abi >= 2) access |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
    if (abi >= 3) access |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
    (void) abi;
    return access;
}

int ps_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi > 0 ? (int) abi : 0;
}

static __u64 read_accesses(void) {
    return LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_EXECUTE;
}

/* One rule: `rights` beneath `path` (for a file, only the rights a file can have).
   A path that does not exist is skipped. */
static int add_path_rule(int ruleset_fd, const char *path, __u64 rights) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    /* A rule on a file may hold only the rights a file has; the readable ones are all this asks. */
    if (!S_ISDIR(st.st_mode)) rights &= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE;
    struct landlock_path_beneath_attr beneath = { .allowed_access = rights, .parent_fd = fd };
    int result = syscall(SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) < 0 ? -errno : 0;
    close(fd);
    return result;
}

/* Landlock confines the calling thread and the threads it creates later:
   call this before any other thread exists. */
int ps_confine_files(const char *writable_dir, const char *readable) {
    int abi = ps_landlock_abi();
    if (abi < 1) return -EOPNOTSUPP;
    __u64 handled = write_accesses(abi) | read_accesses();
    struct landlock_ruleset_attr ruleset = { .handled_access_fs = handled };
    int ruleset_fd = (int) syscall(SYS_landlock_create_ruleset, &ruleset, sizeof(ruleset), 0);
    if (ruleset_fd < 0) return -errno;
    int result = add_path_rule(ruleset_fd, writable_dir, handled);
    /* `readable` is a list like PATH: entries separated by ':'. */
    char path[4096];
    for (const char *start = readable; result == 0 && *start; ) {
        const char *end = strchr(start, ':');
        size_t length = end ? (size_t) (end - start) : strlen(start);
        if (length >= sizeof(path)) { result = -ENAMETOOLONG; break; }
        memcpy(path, start, length);
        path[length] = 0;
        if (length > 0) result = add_path_rule(ruleset_fd, path, read_accesses());
        start += length + (end ? 1 : 0);
    }
    if (result == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) result = -errno;
    if (result == 0 && syscall(SYS_landlock_restrict_self, ruleset_fd, 0) < 0) result = -errno;
    close(ruleset_fd);
    return result;
}

/* seccomp ------------------------------------------------------------------ */

#if defined(__x86_64__)
#define PS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define PS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LOAD_ARG(n) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[n]))
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
/* If the syscall number is `nr`, deny; otherwise go on. */
#define DENY_NR(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), DENY
/* If the syscall is `nr` and its argument `arg` has any of `flags`, deny. */
#define DENY_FLAGS(nr, arg, flags) \
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 4), LOAD_ARG(arg), \
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, (flags), 0, 1), DENY, LOAD_NR

#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

int ps_deny_network(int deny_sockets, int deny_file_writes) {
#ifndef PS_AUDIT_ARCH
    (void) deny_sockets;
    (void) deny_file_writes;
    return -EOPNOTSUPP;
#else
    struct sock_filter network[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PS_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        LOAD_NR,
#if defined(__x86_64__)
        /* x32 system calls would bypass the numbers below. */
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1), DENY,
#endif
        DENY_NR(__NR_io_uring_setup),
    };
    struct sock_filter sockets[] = { DENY_NR(__NR_socket) };
    struct sock_filter writes[] = {
        DENY_FLAGS(__NR_openat, 2, WRITE_FLAGS),
#ifdef __NR_open
        DENY_FLAGS(__NR_open, 1, WRITE_FLAGS),
        DENY_NR(__NR_creat),
        DENY_NR(__NR_mkdir),
        DENY_NR(__NR_unlink),
        DENY_NR(__NR_rename),
        DENY_NR(__NR_link),
        DENY_NR(__NR_symlink),
        DENY_NR(__NR_rmdir),
#endif
        DENY_NR(__NR_openat2),
        DENY_NR(__NR_mkdirat),
        DENY_NR(__NR_unlinkat),
        DENY_NR(__NR_renameat),
        DENY_NR(__NR_renameat2),
        DENY_NR(__NR_linkat),
        DENY_NR(__NR_symlinkat),
        DENY_NR(__NR_truncate),
    };
    struct sock_filter allow[] = { ALLOW };

    struct sock_filter program[sizeof(network) / sizeof(network[0]) + sizeof(sockets) / sizeof(sockets[0])
                               + sizeof(writes) / sizeof(writes[0]) + 1];
    size_t length = 0;
    memcpy(program, network, sizeof(network));
    length += sizeof(network) / sizeof(network[0]);
    if (deny_sockets) {
        memcpy(program + length, sockets, sizeof(sockets));
        length += sizeof(sockets) / sizeof(sockets[0]);
    }
    if (deny_file_writes) {
        memcpy(program + length, writes, sizeof(writes));
        length += sizeof(writes) / sizeof(writes[0]);
    }
    memcpy(program + length, allow, sizeof(allow));
    length += 1;

    return ps_install_filter(program, (unsigned short) length);
#endif
}

int ps_install_filter(struct sock_filter *program, unsigned short length) {
    struct sock_fprog fprog = { .len = length, .filter = program };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -errno;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fprog) != 0)
        return errno ? -errno : -EBUSY;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void) st; (void) type; (void) ftw;
    return remove(path) < 0 ? -1 : 0;
}

int ps_remove_tree(const char *path) {
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}
