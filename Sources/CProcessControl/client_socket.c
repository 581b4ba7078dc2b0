#define _GNU_SOURCE
#include "client_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int ps_connect_client(const char *path, const char *ipv4, int port, int timeout_ms) {
    struct sockaddr_un unix_address;
    struct sockaddr_in inet_address;
    struct sockaddr *address;
    socklen_t length;
    int family;
    if (path) {
        if (strlen(path) >= sizeof(unix_address.sun_path)) return -ENAMETOOLONG;
        memset(&unix_address, 0, sizeof(unix_address));
        unix_address.sun_family = AF_UNIX;
        strcpy(unix_address.sun_path, path);
        address = (struct sockaddr *) &unix_address;
        length = sizeof(unix_address);
        family = AF_UNIX;
    } else {
        memset(&inet_address, 0, sizeof(inet_address));
        inet_address.sin_family = AF_INET;
        inet_address.sin_port = htons((unsigned short) port);
        if (!ipv4 || inet_pton(AF_INET, ipv4, &inet_address.sin_addr) != 1) return -EINVAL;
        address = (struct sockaddr *) &inet_address;
        length = sizeof(inet_address);
        family = AF_INET;
    }
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct timeval timeout = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0
        || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) < 0
        || connect(fd, address, length) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
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
