// Why this module is C: binding sockets, installing signal handlers, spawning
// and reaping processes, accepting connections and reading /proc need
// sockaddr casts, sigaction unions, argv arrays of raw pointers and netlink
// messages. Keeping them here leaves the Swift side free of unsafe pointer
// code. Functions return -errno on failure unless noted.
#ifndef PROCESS_CONTROL_H
#define PROCESS_CONTROL_H

#include <signal.h>
#include <sys/types.h>

/// Binds and listens on a Unix socket at `path` (a stale socket file is
/// replaced) with permissions `mode`. Returns the descriptor.
int ps_listen_unix(const char *path, int backlog, int mode);

/// Binds and listens on TCP `host:port` (IPv4 or IPv6 literal, or a name).
int ps_listen_tcp(const char *host, int port, int backlog);

/// Creates a close-on-exec, non-blocking self-pipe and routes each signal in
/// `signals` to it: the handler only writes the signal number as one byte.
/// Returns the read end.
int ps_signal_pipe(const int *signals, int count);

/// Reads one pending signal number from the self-pipe, or 0 when none.
int ps_signal_pipe_read(int fd);

/// Waits until `fd` is readable or `timeout_ms` passes. Returns 1, 0 or -errno.
int ps_wait_readable(int fd, int timeout_ms);

/// Spawns `path` with `argv`/`envp` (NULL-terminated), the listening socket
/// as its descriptor 0 (the FastCGI convention), `shared_fd` (when not -1)
/// as PS_SHARED_FD (shared_counters.h), a cleared signal mask and default dispositions.
/// Returns the pid.
pid_t ps_spawn(const char *path, char *const argv[], char *const envp[], int listen_fd, int shared_fd);

/// Reaps one exited child without blocking. Returns its pid (0 when none is
/// ready, -errno on error) and stores the exit code, or 128+signal when it
/// was killed, in *status.
pid_t ps_reap(int *status);

/// On `sig`: remember the stop request. The signal is blocked from now on,
/// in this thread and every thread it starts, except while
/// ps_wait_connection waits: a request being read or worked on is never
/// interrupted (socket reads with a receive timeout do not restart).
int ps_install_stop_handler(int sig);

/// 1 once a stop signal arrived.
int ps_stop_requested(void);

/// Makes the listening socket `fd` non-blocking, so an accept that another
/// responder won returns -EAGAIN instead of waiting.
/// The signal mask to wait with: the thread's own, with the stop signals let in.
void ps_waiting_signal_mask(sigset_t *during);

int ps_set_nonblocking(int fd);

/// Waits until `fd` has a connection to accept, with the stop signals let in
/// for the wait only. 1 when readable, 0 when a signal interrupted, -errno.
int ps_wait_connection(int fd);

/// Accepts one connection on `fd` (close-on-exec). Returns it, or -errno
/// (-EAGAIN when none is queued). Stores the peer's address family and, for
/// IPv4 (also IPv4-mapped IPv6), its address in host byte order.
int ps_accept_connection(int fd, int *family, unsigned int *ipv4);

/// A read on connection `fd` that waits longer than `milliseconds` fails.
int ps_set_receive_timeout(int fd, int milliseconds);

/// Asks the kernel to send `sig` to this process when its parent dies, so a
/// responder never outlives a supervisor that was killed outright. Returns -1
/// if the parent is already gone.
int ps_stop_with_parent(int sig, pid_t expected_parent);

/// Connections waiting to be accepted on listening socket `fd`, and the
/// queue's size: TCP_INFO for TCP, a sock_diag query for Unix sockets.
int ps_listen_queue(int fd, int *queued, int *capacity);

/// Caps the address space of this process (bytes; 0 leaves it alone).
int ps_limit_address_space(unsigned long long bytes);

/// CPU time (user and system) process `pid` has used, in seconds, from
/// /proc/PID/stat: what the kernel counted, whatever the process reports. -1
/// when it cannot be read.
double ps_cpu_seconds(pid_t pid);

/// Current resident set size of this process, in bytes.
long long ps_current_rss(void);

/// Gives free heap pages back to the kernel (glibc keeps them otherwise).
void ps_release_free_memory(void);

#endif
