#define _GNU_SOURCE
#include "client_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The socket address for a Unix path or a numeric IPv4 address; 0 or -errno. */
static int client_address(const char *path, const char *ipv4, int port, struct sockaddr_storage *storage,
                          socklen_t *length, int *family) {
    memset(storage, 0, sizeof(*storage));
    if (path) {
        struct sockaddr_un *unix_address = (struct sockaddr_un *) storage;
        if (strlen(path) >= sizeof(unix_address->sun_path)) return -ENAMETOOLONG;
        unix_address->sun_family = AF_UNIX;
        strcpy(unix_address->sun_path, path);
        *length = sizeof(*unix_address);
        *family = AF_UNIX;
        return 0;
    }
    struct sockaddr_in *inet_address = (struct sockaddr_in *) storage;
    inet_address->sin_family = AF_INET;
    inet_address->sin_port = htons((unsigned short) port);
    if (!ipv4 || inet_pton(AF_INET, ipv4, &inet_address->sin_addr) != 1) return -EINVAL;
    *length = sizeof(*inet_address);
    *family = AF_INET;
    return 0;
}

int ps_connect_client(const char *path, const char *ipv4, int port, int timeout_ms) {
    struct sockaddr_storage address;
    socklen_t length;
    int family;
    int problem = client_address(path, ipv4, port, &address, &length, &family);
    if (problem < 0) return problem;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct timeval timeout = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0
        || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) < 0
        || connect(fd, (struct sockaddr *) &address, length) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int ps_connect_nonblocking(const char *path, const char *ipv4, int port) {
    struct sockaddr_storage address;
    socklen_t length;
    int family;
    int problem = client_address(path, ipv4, port, &address, &length, &family);
    if (problem < 0) return problem;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -errno;
    if (connect(fd, (struct sockaddr *) &address, length) < 0 && errno != EINPROGRESS) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int ps_connect_outcome(int fd) {
    int error = 0;
    socklen_t length = sizeof(error);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) return -errno;
    return -error;
}

ssize_t ps_write_some(int fd, const void *bytes, size_t length) {
    for (;;) {
        ssize_t written = send(fd, bytes, length, MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR) continue;
        return written < 0 ? -errno : written;
    }
}

int ps_write_all(int fd, const void *bytes, size_t length) {
    const char *at = bytes;
    while (length > 0) {
        ssize_t written = write(fd, at, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return written < 0 ? -errno : -EIO;
        at += written;
        length -= (size_t) written;
    }
    return 0;
}

ssize_t ps_read_some(int fd, void *buffer, size_t capacity) {
    for (;;) {
        ssize_t got = read(fd, buffer, capacity);
        if (got < 0 && errno == EINTR) continue;
        return got < 0 ? -errno : got;
    }
}
