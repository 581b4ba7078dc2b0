// Why this module is C: libcurl is configured through curl_easy_setopt, a
// variadic function Swift cannot call, and its socket and write callbacks take
// raw pointers. One call here fetches one URL, never following redirects (the
// caller checks each Location itself), with every address a connection is
// about to use put to the caller's check first.
#ifndef CURL_FETCH_H
#define CURL_FETCH_H

#include <stddef.h>

/// Says whether a connection to `address` (4 bytes for IPv4, 16 for IPv6,
/// network order) and `port` may be made: nonzero allows.
typedef int (*rw_allow_address)(void *context, int family, const unsigned char *address, int port);

typedef struct {
    const char *url;
    const char *user_agent;
    /// The Accept header, or NULL for libcurl's.
    const char *accept;
    /// An HTTP proxy to tunnel through (`http://IP:port`), or NULL. Its address is
    /// passed to allow_address like any other.
    const char *proxy;
    /// `host:port:IP:port`: connect (or have the proxy CONNECT) to IP for host, which
    /// stays the Host header and the TLS name; NULL to let libcurl resolve.
    const char *connect_to;
    long connect_timeout_ms;
    long total_timeout_ms;
    /// Body bytes kept at most, counted after content decoding (a compression bomb stops here).
    size_t max_bytes;
    /// The same for a body whose Content-Type says HTML (0: max_bytes).
    size_t max_html_bytes;
    /// Ends an HTML body's transfer, as complete, once `</head` has arrived (the card is in the head).
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
    /// 1 when the body went past its limit after decoding; `limit` says which.
    int too_large;
    size_t limit;
    /// 1 when a timeout ended the transfer.
    int timed_out;
    /// 1 when the transfer was ended after the page's head (stop_after_head).
    int stopped_after_head;
    char content_type[256];
    /// A redirect's target, resolved against the URL, when the response was one.
    char location[2048];
    char error[256];
    /// Bytes received (malloc'd; rw_fetch_free releases them).
    unsigned char *body;
    size_t body_length;
} rw_fetch_result;

/// Sets libcurl up for the process: call once, before a sandbox narrows system calls.
void rw_fetch_init(void);

/// Resolves `host` as the system does (getaddrinfo): up to `capacity` addresses, each
/// 16 bytes in `addresses` (IPv4 in the first 4) with its family in `families`.
/// Returns the count, or -1 when the name does not resolve.
int rw_resolve(const char *host, unsigned char *addresses, int *families, int capacity);

/// Fetches `request->url` once. Returns 0 when a response came (see status), -1 otherwise.
int rw_fetch(const rw_fetch_request *request, rw_fetch_result *result);

void rw_fetch_free(rw_fetch_result *result);

#endif
