#define _GNU_SOURCE
#include "curl_loop.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* epoll's tag for libcurl's own sockets: the top bit, which no caller token has. */
#define CURL_SOCKET_TAG (UINT64_C(1) << 63)

struct rw_loop {
    int epoll;
    CURLM *multi;
    /* When libcurl wants its timeout action, in monotonic milliseconds; -1 for never. */
    long long timer_due;
    int transfers;
    /* Every transfer started and not yet finished or cancelled. */
    struct rw_transfer *first;
};

struct rw_transfer {
    rw_loop *loop;
    struct rw_transfer *previous, *next;
    CURL *curl;
    uint64_t token;
    rw_allow_address allow_address;
    void *context;
    size_t max_bytes;
    size_t max_html_bytes;
    int stop_after_head;
    struct curl_slist *headers;
    struct curl_slist *connect_to;
    /* Decided at the first body bytes: -1 not yet, 0 no, 1 yes. */
    int html;
    size_t capacity;
    int done;
    CURLcode code;
    char error[CURL_ERROR_SIZE];
    rw_fetch_result result;
};

static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* libcurl says which of its sockets to wait for. */
static int on_socket(CURL *easy, curl_socket_t socket, int what, void *userp, void *socketp) {
    (void) easy;
    rw_loop *loop = userp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(loop->epoll, EPOLL_CTL_DEL, socket, NULL);
        curl_multi_assign(loop->multi, socket, NULL);
        return 0;
    }
    struct epoll_event event = { .events = 0, .data.u64 = CURL_SOCKET_TAG | (uint64_t) socket };
    if (what & CURL_POLL_IN) event.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) event.events |= EPOLLOUT;
    /* socketp marks a socket already in the epoll set. */
    if (socketp) {
        epoll_ctl(loop->epoll, EPOLL_CTL_MOD, socket, &event);
    } else if (epoll_ctl(loop->epoll, EPOLL_CTL_ADD, socket, &event) == 0 || errno == EEXIST) {
        if (errno == EEXIST) epoll_ctl(loop->epoll, EPOLL_CTL_MOD, socket, &event);
        curl_multi_assign(loop->multi, socket, loop);
    }
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void) multi;
    rw_loop *loop = userp;
    loop->timer_due = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    return 0;
}

/* Whether the body is read as a page: a type that says HTML, or none at all (browsers sniff
   such a body, and so does the preview); a redirect's own little page is read whole, or its
   Location is lost. */
static void decide_html(rw_transfer *transfer) {
    char *type = NULL;
    int has_type = curl_easy_getinfo(transfer->curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type && type[0];
    transfer->html = !has_type || strcasestr(type, "html") != NULL;
}

static int declared_image(rw_transfer *transfer) {
    char *type = NULL;
    if (curl_easy_getinfo(transfer->curl, CURLINFO_CONTENT_TYPE, &type) != CURLE_OK || !type) return 0;
    while (*type == ' ' || *type == '\t') type++;
    return strncasecmp(type, "image/", 6) == 0;
}

static int is_success(rw_transfer *transfer) {
    long status = 0;
    return curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status >= 200 && status <= 299;
}

static curl_socket_t open_checked_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    rw_transfer *transfer = clientp;
    unsigned char bytes[16];
    int length = 0, port = 0;
    if (purpose == CURLSOCKTYPE_IPCXN && address->family == AF_INET && address->addrlen >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in *in = (struct sockaddr_in *) &address->addr;
        memcpy(bytes, &in->sin_addr, 4);
        length = 4;
        port = ntohs(in->sin_port);
    } else if (purpose == CURLSOCKTYPE_IPCXN && address->family == AF_INET6 && address->addrlen >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &address->addr;
        memcpy(bytes, &in6->sin6_addr, 16);
        length = 16;
        port = ntohs(in6->sin6_port);
    }
    if (length == 0 || !transfer->allow_address(transfer->context, address->family, bytes, port)) {
        transfer->result.refused_address = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

/* Whether `bytes` hold "</head", in any case. */
static int contains_head_end(const unsigned char *bytes, size_t length) {
    static const char end[] = "</head";
    for (size_t at = 0; at + 6 <= length; at++) {
        size_t matched = 0;
        while (matched < 6 && (bytes[at + matched] | (matched >= 2 ? 0x20 : 0)) == (unsigned char) end[matched]) matched++;
        if (matched == 6) return 1;
    }
    return 0;
}

static size_t keep_body(char *data, size_t size, size_t count, void *userdata) {
    rw_transfer *transfer = userdata;
    size_t length = size * count;
    rw_fetch_result *result = &transfer->result;
    if (transfer->html < 0) decide_html(transfer);
    /* Only a body that says it is an image gets the image limit; anything else is read as a page. */
    size_t limit = !declared_image(transfer) && transfer->max_html_bytes ? transfer->max_html_bytes : transfer->max_bytes;
    if (length > limit || result->body_length > limit - length) {
        result->too_large = 1;
        result->limit = limit;
        return 0; /* ends the transfer */
    }
    if (result->body_length + length > transfer->capacity) {
        size_t capacity = transfer->capacity ? transfer->capacity : 16 * 1024;
        while (capacity < result->body_length + length) capacity *= 2;
        if (capacity > limit) capacity = limit;
        unsigned char *grown = realloc(result->body, capacity);
        if (!grown) return 0;
        result->body = grown;
        transfer->capacity = capacity;
    }
    memcpy(result->body + result->body_length, data, length);
    size_t searched = result->body_length > 6 ? result->body_length - 6 : 0;
    result->body_length += length;
    if (transfer->html && transfer->stop_after_head && is_success(transfer)
        && contains_head_end(result->body + searched, result->body_length - searched)) {
        result->stopped_after_head = 1;
        return 0; /* ends the transfer; the caller treats it as complete */
    }
    return length;
}

void rw_fetch_init(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

rw_loop *rw_loop_new(void) {
    rw_loop *loop = calloc(1, sizeof(*loop));
    if (!loop) return NULL;
    loop->epoll = epoll_create1(EPOLL_CLOEXEC);
    loop->multi = curl_multi_init();
    loop->timer_due = -1;
    if (loop->epoll < 0 || !loop->multi) {
        if (loop->epoll >= 0) close(loop->epoll);
        if (loop->multi) curl_multi_cleanup(loop->multi);
        free(loop);
        return NULL;
    }
    curl_multi_setopt(loop->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(loop->multi, CURLMOPT_SOCKETDATA, loop);
    curl_multi_setopt(loop->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(loop->multi, CURLMOPT_TIMERDATA, loop);
    return loop;
}

static void release(rw_transfer *transfer) {
    curl_multi_remove_handle(transfer->loop->multi, transfer->curl);
    curl_easy_cleanup(transfer->curl);
    curl_slist_free_all(transfer->headers);
    curl_slist_free_all(transfer->connect_to);
    rw_loop *loop = transfer->loop;
    if (transfer->previous) transfer->previous->next = transfer->next; else loop->first = transfer->next;
    if (transfer->next) transfer->next->previous = transfer->previous;
    loop->transfers--;
    free(transfer);
}

void rw_loop_free(rw_loop *loop) {
    if (!loop) return;
    while (loop->first) rw_transfer_cancel(loop->first);
    curl_multi_cleanup(loop->multi);
    close(loop->epoll);
    free(loop);
}

int rw_loop_watch(rw_loop *loop, int descriptor, int readable, int writable, uint64_t token) {
    if (token & CURL_SOCKET_TAG) return -EINVAL;
    struct epoll_event event = { .events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0) | EPOLLRDHUP,
                                 .data.u64 = token };
    if (epoll_ctl(loop->epoll, EPOLL_CTL_MOD, descriptor, &event) == 0) return 0;
    if (errno != ENOENT) return -errno;
    return epoll_ctl(loop->epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 ? 0 : -errno;
}

void rw_loop_unwatch(rw_loop *loop, int descriptor) {
    epoll_ctl(loop->epoll, EPOLL_CTL_DEL, descriptor, NULL);
}

int rw_loop_transfers(const rw_loop *loop) {
    return loop->transfers;
}

/* Ended transfers as events, as many as fit; the rest stay queued in libcurl for the next call. */
static int collect_ended(rw_loop *loop, rw_loop_event *events, int count, int capacity) {
    while (count < capacity) {
        int queued = 0;
        CURLMsg *message = curl_multi_info_read(loop->multi, &queued);
        if (!message) break;
        if (message->msg != CURLMSG_DONE) continue;
        rw_transfer *transfer = NULL;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, (char **) &transfer);
        if (!transfer || transfer->done) continue;
        transfer->done = 1;
        transfer->code = message->data.result;
        events[count++] = (rw_loop_event) { .kind = RW_EVENT_TRANSFER, .token = transfer->token };
    }
    return count;
}

int rw_loop_wait(rw_loop *loop, int max_wait_ms, rw_loop_event *events, int capacity, const sigset_t *mask) {
    if (capacity <= 0) return -EINVAL;
    int count = collect_ended(loop, events, 0, capacity);
    if (count > 0) return count;
    int wait = max_wait_ms;
    if (loop->timer_due >= 0) {
        long long left = loop->timer_due - now_ms();
        if (left < 0) left = 0;
        if (wait < 0 || left < wait) wait = (int) left;
    }
    struct epoll_event ready[256];
    int found = epoll_pwait(loop->epoll, ready, capacity < 256 ? capacity : 256, wait, mask);
    if (found < 0) return errno == EINTR ? 0 : -errno;
    int running = 0;
    for (int at = 0; at < found; at++) {
        uint64_t tag = ready[at].data.u64;
        uint32_t flags = ready[at].events;
        if (tag & CURL_SOCKET_TAG) {
            int action = (flags & EPOLLIN ? CURL_CSELECT_IN : 0) | (flags & EPOLLOUT ? CURL_CSELECT_OUT : 0)
                | (flags & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(loop->multi, (curl_socket_t) (tag & ~CURL_SOCKET_TAG), action, &running);
        } else {
            events[count++] = (rw_loop_event) {
                .kind = RW_EVENT_DESCRIPTOR, .token = tag, .readable = (flags & EPOLLIN) != 0,
                .writable = (flags & EPOLLOUT) != 0, .hangup = (flags & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0,
            };
        }
    }
    if (loop->timer_due >= 0 && now_ms() >= loop->timer_due) {
        loop->timer_due = -1;
        curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    return collect_ended(loop, events, count, capacity);
}

rw_transfer *rw_transfer_start(rw_loop *loop, const rw_fetch_request *request, uint64_t token) {
    rw_transfer *transfer = calloc(1, sizeof(*transfer));
    if (!transfer) return NULL;
    CURL *curl = curl_easy_init();
    if (!curl) {
        free(transfer);
        return NULL;
    }
    *transfer = (rw_transfer) {
        .loop = loop, .curl = curl, .token = token, .allow_address = request->allow_address, .context = request->context,
        .max_bytes = request->max_bytes, .max_html_bytes = request->max_html_bytes,
        .stop_after_head = request->stop_after_head, .html = -1,
    };
    /* libcurl copies every string option; the lists are kept here until the end. */
    curl_easy_setopt(curl, CURLOPT_PRIVATE, transfer);
    curl_easy_setopt(curl, CURLOPT_URL, request->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    /* No proxy from the environment: a proxy would resolve names itself, past the check.
       The configured one is only a tunnel, to the address connect_to names. */
    if (request->proxy && request->connect_to) {
        curl_easy_setopt(curl, CURLOPT_PROXY, request->proxy);
        curl_easy_setopt(curl, CURLOPT_HTTPPROXYTUNNEL, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_PROXY, "");
    }
    if (request->connect_to) {
        transfer->connect_to = curl_slist_append(NULL, request->connect_to);
        curl_easy_setopt(curl, CURLOPT_CONNECT_TO, transfer->connect_to);
    }
    char line[512];
    if (request->accept) {
        snprintf(line, sizeof(line), "Accept: %s", request->accept);
        transfer->headers = curl_slist_append(transfer->headers, line);
    }
    if (request->via) {
        snprintf(line, sizeof(line), "Via: %s", request->via);
        transfer->headers = curl_slist_append(transfer->headers, line);
    }
    if (transfer->headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, transfer->headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    /* A name is looked up for every new connection (the system's resolver caches): what the
       guard judges is what the name says now. A kept connection stays with the address judged. */
    curl_easy_setopt(curl, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request->total_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, request->user_agent);
    /* Every encoding libcurl can decode; the body is counted after decoding. */
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, transfer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, transfer->error);
    if (curl_multi_add_handle(loop->multi, curl) != CURLM_OK) {
        curl_easy_cleanup(curl);
        curl_slist_free_all(transfer->headers);
        curl_slist_free_all(transfer->connect_to);
        free(transfer);
        return NULL;
    }
    loop->transfers++;
    transfer->next = loop->first;
    if (loop->first) loop->first->previous = transfer;
    loop->first = transfer;
    return transfer;
}

void rw_transfer_finish(rw_transfer *transfer, rw_fetch_result *result) {
    *result = transfer->result;
    CURL *curl = transfer->curl;
    CURLcode code = transfer->code;
    if (code == CURLE_WRITE_ERROR && result->stopped_after_head) code = CURLE_OK;
    result->curl_code = (int) code;
    result->timed_out = code == CURLE_OPERATION_TIMEDOUT;
    result->unresolved = code == CURLE_COULDNT_RESOLVE_HOST;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result->status);
    char *type = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
        strncpy(result->content_type, type, sizeof(result->content_type) - 1);
    }
    struct curl_header *cache_control = NULL;
    if (curl_easy_header(curl, "Cache-Control", 0, CURLH_HEADER, -1, &cache_control) == CURLHE_OK && cache_control->value) {
        strncpy(result->cache_control, cache_control->value, sizeof(result->cache_control) - 1);
    }
    char *location = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
        /* Never cut: a cut link is another link. */
        if (strlen(location) < sizeof(result->location)) {
            strcpy(result->location, location);
        } else {
            result->location_too_long = 1;
        }
    }
    strncpy(result->error, transfer->error[0] ? transfer->error : curl_easy_strerror(code), sizeof(result->error) - 1);
    release(transfer);
}

void rw_transfer_cancel(rw_transfer *transfer) {
    free(transfer->result.body);
    release(transfer);
}

int rw_resolve(const char *host, unsigned char *addresses, int *families, int capacity) {
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &found) != 0) return -1;
    int count = 0;
    for (struct addrinfo *at = found; at && count < capacity; at = at->ai_next) {
        unsigned char *slot = addresses + 16 * count;
        memset(slot, 0, 16);
        if (at->ai_family == AF_INET && at->ai_addrlen >= sizeof(struct sockaddr_in)) {
            memcpy(slot, &((struct sockaddr_in *) at->ai_addr)->sin_addr, 4);
        } else if (at->ai_family == AF_INET6 && at->ai_addrlen >= sizeof(struct sockaddr_in6)) {
            memcpy(slot, &((struct sockaddr_in6 *) at->ai_addr)->sin6_addr, 16);
        } else {
            continue;
        }
        families[count++] = at->ai_family;
    }
    freeaddrinfo(found);
    return count;
}

void rw_fetch_free(rw_fetch_result *result) {
    free(result->body);
    result->body = NULL;
    result->body_length = 0;
}
