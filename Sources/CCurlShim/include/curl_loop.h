// Why this module is C: libcurl is configured through curl_easy_setopt, a
// variadic function Swift cannot call, and its socket, timer and write
// callbacks take raw pointers. One loop per process: epoll over libcurl's
// sockets (its multi interface, driven by socket actions, so a wake-up costs
// the sockets that are ready, not every transfer in flight) and over the
// caller's own descriptors (the FastCGI side). A transfer fetches one URL,
// never following redirects (the caller checks each Location itself), with
// every address a connection is about to use put to the caller's check first.
#ifndef CURL_LOOP_H
#define CURL_LOOP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/// Says whether a connection to `address` (4 bytes for IPv4, 16 for IPv6,
/// network order) and `port` may be made: nonzero allows.
typedef int (*rw_allow_address)(void *context, int family, const unsigned char *address, int port);

typedef struct {
    const char *url;
    const char *user_agent;
    /// The Accept header, or NULL for libcurl's.
    const char *accept;
    /// A `Via` header sent with the request (the worker's mark), or NULL.
    const char *via;
    /// An HTTP proxy to tunnel through (`http://IP:port`), or NULL. Its address is
    /// passed to allow_address like any other.
    const char *proxy;
    /// `host:port:IP:port`: connect (or have the proxy CONNECT) to IP for host, which
    /// stays the Host header and the TLS name; NULL to let libcurl resolve.
    const char *connect_to;
    long connect_timeout_ms;
    long total_timeout_ms;
    /// Body bytes kept at most for a body whose Content-Type says image/*, counted
    /// after content decoding (a compression bomb stops here).
    size_t max_bytes;
    /// The same for any other body, a body without a Content-Type included: it is
    /// read as HTML (0: max_bytes).
    size_t max_html_bytes;
    /// Ends a 2xx HTML body's transfer, as complete, once `</head` has arrived.
    int stop_after_head;
    rw_allow_address allow_address;
    void *context;
} rw_fetch_request;

typedef struct {
    /// libcurl's result code (0: the transfer completed).
    int curl_code;
    /// The HTTP status, 0 when no response came.
    long status;
    /// 1 when a connection was refused by allow_address (no connection was made).
    int refused_address;
    /// 1 when the name did not resolve.
    int unresolved;
    /// 1 when the body went past its limit after decoding; `limit` says which.
    int too_large;
    size_t limit;
    /// 1 when a timeout ended the transfer.
    int timed_out;
    /// 1 when the transfer was ended after the page's head (stop_after_head).
    int stopped_after_head;
    /// 1 when the redirect's target was longer than `location` holds (it is then empty).
    int location_too_long;
    char content_type[256];
    /// The response's Cache-Control header (its first 255 bytes), for how long a card may be kept.
    char cache_control[256];
    /// A redirect's target, resolved against the URL, when the response was one.
    char location[2048];
    char error[256];
    /// Bytes received (malloc'd; rw_fetch_free releases them).
    unsigned char *body;
    size_t body_length;
} rw_fetch_result;

typedef struct rw_loop rw_loop;
typedef struct rw_transfer rw_transfer;

enum { RW_EVENT_DESCRIPTOR = 0, RW_EVENT_TRANSFER = 1 };

typedef struct {
    int kind;
    /// The caller's token: of the descriptor, or of the transfer that ended.
    uint64_t token;
    int readable;
    int writable;
    /// The peer hung up or the descriptor failed.
    int hangup;
} rw_loop_event;

/// Sets libcurl up for the process: call once, before a sandbox narrows system calls.
void rw_fetch_init(void);

/// A loop, or NULL when epoll or libcurl cannot start.
rw_loop *rw_loop_new(void);
/// Ends every transfer still running and frees the loop.
void rw_loop_free(rw_loop *loop);

/// Watches one of the caller's descriptors (added, or changed when already watched).
/// `token` must be below 2^63. Returns 0, or -errno.
int rw_loop_watch(rw_loop *loop, int descriptor, int readable, int writable, uint64_t token);
void rw_loop_unwatch(rw_loop *loop, int descriptor);

/// Waits at most `max_wait_ms` (less when libcurl has a timeout due) and returns the
/// events that happened: caller descriptors ready, transfers ended. Signals are taken
/// with `mask` in force while waiting (NULL: the thread's own). Returns the count,
/// or -errno (0 when a signal ended the wait).
int rw_loop_wait(rw_loop *loop, int max_wait_ms, rw_loop_event *events, int capacity, const sigset_t *mask);

/// Transfers running now.
int rw_loop_transfers(const rw_loop *loop);

/// Starts a transfer; its end comes as an event with `token`. The request's strings are
/// copied; its context must live until the transfer ends or is cancelled. NULL on failure.
rw_transfer *rw_transfer_start(rw_loop *loop, const rw_fetch_request *request, uint64_t token);
/// After the transfer's end event: fills `result` (whose body the caller then owns) and
/// frees the transfer.
void rw_transfer_finish(rw_transfer *transfer, rw_fetch_result *result);
/// Ends a transfer before its end (its connection is closed), and frees it.
void rw_transfer_cancel(rw_transfer *transfer);

/// Resolves `host` as the system does (getaddrinfo, blocking): up to `capacity`
/// addresses, each 16 bytes in `addresses` (IPv4 in the first 4) with its family in
/// `families`. Returns the count, or -1 when the name does not resolve.
int rw_resolve(const char *host, unsigned char *addresses, int *families, int capacity);

void rw_fetch_free(rw_fetch_result *result);

#endif
