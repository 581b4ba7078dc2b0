// Why this file exists: a link fetcher hands the images it fetched to the image
// pool over FastCGI, as nginx does: a client connection to a Unix or TCP
// socket, with sockaddr structures and socket options that belong in C.
#ifndef CLIENT_SOCKET_H
#define CLIENT_SOCKET_H

#include <stddef.h>
#include <sys/types.h>

/// Connects to a Unix socket (`path` set) or to `ipv4`:`port` (a numeric address:
/// no name is resolved), with send and receive timeouts of `timeout_ms` on the
/// connection. Returns the descriptor or -errno.
int ps_connect_client(const char *path, const char *ipv4, int port, int timeout_ms);

/// Starts connecting, non-blocking: the descriptor (writable once connected; see
/// ps_connect_outcome) or -errno (-EAGAIN: a Unix socket's queue is full).
int ps_connect_nonblocking(const char *path, const char *ipv4, int port);

/// A non-blocking connect's outcome once the descriptor is writable: 0 or -errno.
int ps_connect_outcome(int fd);

/// Writes what the socket takes now (never raising SIGPIPE): the count or -errno.
ssize_t ps_write_some(int fd, const void *bytes, size_t length);

/// Writes all `length` bytes; 0, or -errno (a timeout gives -EAGAIN).
int ps_write_all(int fd, const void *bytes, size_t length);

/// Reads what is there, up to `capacity`: the count, 0 at the end, or -errno.
ssize_t ps_read_some(int fd, void *buffer, size_t capacity);

#endif
