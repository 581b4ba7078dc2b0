#define _GNU_SOURCE
#include "process_control.h"
#include "shared_counters.h"

#include <malloc.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/wait.h>
#include <unistd.h>

int ps_listen_unix(const char *path, int backlog, int mode) {
    struct sockaddr_un addr;
    if (strlen(path) >= sizeof(addr.sun_path)) return -ENAMETOOLONG;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path);
    if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) < 0 || chmod(path, (mode_t) mode) < 0
        || listen(fd, backlog) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

int ps_listen_tcp(const char *host, int port, int backlog) {
    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, service, &hints, &found);
    if (rc != 0) return -EADDRNOTAVAIL;
    int result = -EADDRNOTAVAIL;
    for (struct addrinfo *ai = found; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) { result = -errno; continue; }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, backlog) == 0) {
            result = fd;
            break;
        }
        result = -errno;
        close(fd);
    }
    freeaddrinfo(found);
    return result;
}

static int signal_pipe_write = -1;

static void signal_to_pipe(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char) sig;
    if (write(signal_pipe_write, &byte, 1) < 0) { /* full pipe: the loop is already awake */ }
    errno = saved;
}

int ps_signal_pipe(const int *signals, int count) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) return -errno;
    signal_pipe_write = fds[1];
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = signal_to_pipe;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigset_t handled;
    sigemptyset(&handled);
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) < 0) return -errno;
        sigaddset(&handled, signals[i]);
    }
    /* A parent may have spawned us with these blocked; they must reach the handler. */
    sigprocmask(SIG_UNBLOCK, &handled, NULL);
    return fds[0];
}

int ps_signal_pipe_read(int fd) {
    unsigned char byte;
    ssize_t n = read(fd, &byte, 1);
    return n == 1 ? byte : 0;
}

int ps_wait_readable(int fd, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int n = poll(&p, 1, timeout_ms);
    if (n < 0) return errno == EINTR ? 0 : -errno;
    return n > 0;
}

pid_t ps_spawn(const char *path, char *const argv[], char *const envp[], int listen_fd, int shared_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    if (listen_fd != 0) posix_spawn_file_actions_adddup2(&actions, listen_fd, 0);
    if (shared_fd >= 0) posix_spawn_file_actions_adddup2(&actions, shared_fd, PS_SHARED_FD);

    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = 0;
    int rc = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -rc;
}

pid_t ps_reap(int *status) {
    int raw = 0;
    pid_t pid = waitpid(-1, &raw, WNOHANG);
    if (pid < 0) return errno == ECHILD ? 0 : -errno;
    if (pid == 0) return 0;
    if (WIFEXITED(raw)) *status = WEXITSTATUS(raw);
    else if (WIFSIGNALED(raw)) *status = 128 + WTERMSIG(raw);
    else *status = -1;
    return pid;
}

static volatile sig_atomic_t stop_requested = 0;
/* The stop signals installed so far: blocked except inside ps_wait_connection. */
static sigset_t stop_signals;
static int stop_signals_ready = 0;

static void stop_handler(int sig) {
    (void) sig;
    stop_requested = 1;
}

int ps_install_stop_handler(int sig) {
    if (!stop_signals_ready) {
        sigemptyset(&stop_signals);
        stop_signals_ready = 1;
    }
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = stop_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(sig, &action, NULL) < 0) return -errno;
    sigaddset(&stop_signals, sig);
    return sigprocmask(SIG_BLOCK, &stop_signals, NULL) < 0 ? -errno : 0;
}

int ps_stop_requested(void) { return stop_requested; }

int ps_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -errno;
    return 0;
}

void ps_waiting_signal_mask(sigset_t *during) {
    sigprocmask(SIG_SETMASK, NULL, during);
    if (stop_signals_ready) {
        for (int sig = 1; sig < NSIG; sig++) {
            if (sigismember(&stop_signals, sig) == 1) sigdelset(during, sig);
        }
    }
}

int ps_wait_connection(int fd) {
    if (stop_requested) return 0;
    sigset_t during;
    ps_waiting_signal_mask(&during);
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int n = ppoll(&p, 1, NULL, &during);
    if (n < 0) return errno == EINTR ? 0 : -errno;
    if (p.revents & (POLLNVAL | POLLERR)) return -EBADF;
    return 1;
}

int ps_accept_connection(int fd, int *family, unsigned int *ipv4) {
    struct sockaddr_storage address;
    socklen_t length = sizeof(address);
    int connection = accept4(fd, (struct sockaddr *) &address, &length, SOCK_CLOEXEC);
    if (connection < 0) return -errno;
    *family = address.ss_family;
    *ipv4 = 0;
    if (address.ss_family == AF_INET) {
        *ipv4 = ntohl(((struct sockaddr_in *) &address)->sin_addr.s_addr);
    } else if (address.ss_family == AF_INET6) {
        struct in6_addr *v6 = &((struct sockaddr_in6 *) &address)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(v6)) {
            *family = AF_INET;
            unsigned int network;
            memcpy(&network, &v6->s6_addr[12], 4);
            *ipv4 = ntohl(network);
        }
    }
    if (*family == AF_INET) {
        /* As libfcgi does: answers are written whole, so Nagle only adds delay. */
        int one = 1;
        setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    return connection;
}

int ps_set_receive_timeout(int fd, int milliseconds) {
    struct timeval timeout = { .tv_sec = milliseconds / 1000, .tv_usec = (milliseconds % 1000) * 1000 };
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0 ? -errno : 0;
}

int ps_stop_with_parent(int sig, pid_t expected_parent) {
    if (prctl(PR_SET_PDEATHSIG, sig) < 0) return -errno;
    /* The parent may have died before the request was made. */
    return getppid() == expected_parent ? 0 : -1;
}

static int unix_listen_queue(int fd, int *queued, int *capacity) {
    struct stat st;
    if (fstat(fd, &st) < 0) return -errno;
    int diag = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (diag < 0) return -errno;
    struct {
        struct nlmsghdr header;
        struct unix_diag_req request;
    } message;
    memset(&message, 0, sizeof(message));
    message.header.nlmsg_len = sizeof(message);
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST;
    message.request.sdiag_family = AF_UNIX;
    message.request.udiag_states = 1 << 10; /* TCP_LISTEN */
    message.request.udiag_ino = (unsigned int) st.st_ino;
    message.request.udiag_show = UDIAG_SHOW_RQLEN;
    message.request.udiag_cookie[0] = message.request.udiag_cookie[1] = ~0U;
    int result = -ENOENT;
    if (send(diag, &message, sizeof(message), 0) < 0) {
        result = -errno;
    } else {
        long buffer[1024];
        ssize_t length = recv(diag, buffer, sizeof(buffer), 0);
        struct nlmsghdr *reply = (struct nlmsghdr *) buffer;
        if (length > 0 && NLMSG_OK(reply, (size_t) length) && reply->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
            struct unix_diag_msg *found = NLMSG_DATA(reply);
            struct rtattr *attribute = (struct rtattr *) (found + 1);
            int remaining = (int) (reply->nlmsg_len - NLMSG_LENGTH(sizeof(*found)));
            for (; RTA_OK(attribute, remaining); attribute = RTA_NEXT(attribute, remaining)) {
                if (attribute->rta_type == UNIX_DIAG_RQLEN) {
                    struct unix_diag_rqlen *queue = RTA_DATA(attribute);
                    *queued = (int) queue->udiag_rqueue;
                    *capacity = (int) queue->udiag_wqueue;
                    result = 0;
                }
            }
        }
    }
    close(diag);
    return result;
}

int ps_listen_queue(int fd, int *queued, int *capacity) {
    struct sockaddr_storage address;
    socklen_t length = sizeof(address);
    if (getsockname(fd, (struct sockaddr *) &address, &length) < 0) return -errno;
    if (address.ss_family == AF_UNIX) return unix_listen_queue(fd, queued, capacity);
    struct tcp_info info;
    socklen_t info_length = sizeof(info);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_length) < 0) return -errno;
    /* On a listening socket these two hold the accept queue and its size. */
    *queued = (int) info.tcpi_unacked;
    *capacity = (int) info.tcpi_sacked;
    return 0;
}

int ps_limit_address_space(unsigned long long bytes) {
    if (bytes == 0) return 0;
    struct rlimit limit = { .rlim_cur = bytes, .rlim_max = bytes };
    return setrlimit(RLIMIT_AS, &limit) < 0 ? -errno : 0;
}

double ps_cpu_seconds(pid_t pid) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char text[1024];
    ssize_t length = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (length <= 0) return -1;
    text[length] = 0;
    /* The command name may hold spaces and parentheses: fields count from the last ')'. */
    char *end = strrchr(text, ')');
    if (!end) return -1;
    unsigned long long utime = 0, stime = 0;
    /* After ")": state (3) … utime (14), stime (15). */
    if (sscanf(end + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    long ticks = sysconf(_SC_CLK_TCK);
    return ticks > 0 ? (double) (utime + stime) / (double) ticks : -1;
}

/* Memory of this process ------------------------------------------------ */

long long ps_current_rss(void) {
    FILE *statm = fopen("/proc/self/statm", "r");
    if (!statm) return -errno;
    long long size = 0, resident = 0;
    int fields = fscanf(statm, "%lld %lld", &size, &resident);
    fclose(statm);
    if (fields != 2) return -EIO;
    return resident * sysconf(_SC_PAGESIZE);
}

void ps_release_free_memory(void) { malloc_trim(0); }
