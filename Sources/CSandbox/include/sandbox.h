// Why this module is C: dropping privileges and confining a responder take
// setgroups/setresuid, capability sets, a Landlock ruleset and seccomp BPF
// programs: structs, raw syscalls and instruction arrays that belong on the
// C side. (The allow-list and the debug build's escape probe have headers of
// their own beside this one.)
// Functions return 0, or -errno on failure.
#ifndef SANDBOX_H
#define SANDBOX_H

#include <sys/types.h>

/// Looks up a user by name: its uid and primary gid.
int ps_lookup_user(const char *name, uid_t *uid, gid_t *gid);

/// 1 when this process may change its uid and gid (root, or CAP_SETUID and
/// CAP_SETGID, as the systemd unit grants them) and, with `also_kill`, signal
/// processes of other users (CAP_KILL); 0 when not, -errno.
int ps_has_capabilities(int also_kill);

/// Becomes `uid`/`gid` with no supplementary groups and no capabilities, for
/// good: used by a responder before it reads any input.
int ps_drop_privileges(uid_t uid, gid_t gid);

/// Makes this process non-dumpable: no core file, and no process of the same uid
/// may ptrace it or read its memory (process_vm_readv, /proc/PID/mem). Credential
/// changes reset the flag, so call it after them.
int ps_forbid_tracing(void);

/// Landlock: from now on this process (call it while single-threaded) may
/// create, change or remove files only beneath `writable_dir`, and read or
/// execute only there and beneath the `readable` paths (a list separated by
/// ':', as PATH is; those that do not exist are skipped).
/// -EOPNOTSUPP when the kernel has no Landlock.
int ps_confine_files(const char *writable_dir, const char *readable);

/// The kernel's Landlock ABI version, or 0 without Landlock.
int ps_landlock_abi(void);

/// seccomp: io_uring and, with `deny_sockets`, socket() fail with EACCES from
/// now on, so a compromised decoder cannot reach the network (descriptors
/// already open, such as the FastCGI socket, keep working). With
/// `deny_file_writes`, also every open for writing, creat, mkdir, unlink,
/// rename and link: the fallback where Landlock is missing.
int ps_deny_network(int deny_sockets, int deny_file_writes);

/// Removes a directory tree (the private temp directory when the pool stops).
int ps_remove_tree(const char *path);

#endif
