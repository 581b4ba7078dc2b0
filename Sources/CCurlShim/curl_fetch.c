#define _GNU_SOURCE
#include "curl_fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef struct {
    const rw_fetch_request *request;
    rw_fetch_result *result;
    size_t capacity;
    CURL *curl;
    /* Decided at the first body bytes, from the Content-Type: -1 not yet, 0 no, 1 yes. */
    int html;
} transfer;

/* Whether the response is a page worth cutting after its head: a 2xx whose type says HTML
   (a redirect's own little page must be read whole, or its Location is lost). */
static int is_html(CURL *curl) {
    long status = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status < 200 || status > 299) return 0;
    char *type = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) != CURLE_OK || !type) return 0;
    return strcasestr(type, "html") != NULL;
}

static curl_socket_t open_checked_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *address) {
    transfer *state = clientp;
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
    if (length == 0 || !state->request->allow_address(state->request->context, address->family, bytes, port)) {
        state->result->refused_address = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
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
    transfer *state = userdata;
    size_t length = size * count;
    rw_fetch_result *result = state->result;
    if (state->html < 0) state->html = is_html(state->curl);
    size_t limit = state->html && state->request->max_html_bytes ? state->request->max_html_bytes : state->request->max_bytes;
    if (result->body_length + length > limit) {
        result->too_large = 1;
        result->limit = limit;
        return 0; /* ends the transfer */
    }
    if (result->body_length + length > state->capacity) {
        size_t capacity = state->capacity ? state->capacity : 64 * 1024;
        while (capacity < result->body_length + length) capacity *= 2;
        if (capacity > limit) capacity = limit;
        unsigned char *grown = realloc(result->body, capacity);
        if (!grown) return 0;
        result->body = grown;
        state->capacity = capacity;
    }
    memcpy(result->body + result->body_length, data, length);
    size_t searched = result->body_length > 6 ? result->body_length - 6 : 0;
    result->body_length += length;
    if (state->html && state->request->stop_after_head && contains_head_end(result->body + searched, result->body_length - searched)) {
        result->stopped_after_head = 1;
        return 0; /* ends the transfer; the caller treats it as complete */
    }
    return length;
}

void rw_fetch_init(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
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

int rw_fetch(const rw_fetch_request *request, rw_fetch_result *result) {
    memset(result, 0, sizeof(*result));
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    transfer state = { .request = request, .result = result, .capacity = 0, .curl = curl, .html = -1 };
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, request->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    /* No proxy from the environment: a proxy would resolve names itself, past the check.
       The configured one is only a tunnel, to the address connect_to names. */
    struct curl_slist *connect_to = NULL;
    if (request->proxy && request->connect_to) {
        curl_easy_setopt(curl, CURLOPT_PROXY, request->proxy);
        curl_easy_setopt(curl, CURLOPT_HTTPPROXYTUNNEL, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_PROXY, "");
    }
    if (request->connect_to) {
        connect_to = curl_slist_append(NULL, request->connect_to);
        curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to);
    }
    struct curl_slist *headers = NULL;
    if (request->accept) {
        char line[256];
        snprintf(line, sizeof(line), "Accept: %s", request->accept);
        headers = curl_slist_append(NULL, line);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    }
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request->total_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, request->user_agent);
    /* Every encoding libcurl can decode; the body is counted after decoding. */
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &state);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_WRITE_ERROR && result->stopped_after_head) code = CURLE_OK;
    result->curl_code = (int) code;
    result->timed_out = code == CURLE_OPERATION_TIMEDOUT;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result->status);
    char *type = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
        strncpy(result->content_type, type, sizeof(result->content_type) - 1);
    }
    char *location = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
        strncpy(result->location, location, sizeof(result->location) - 1);
    }
    strncpy(result->error, error[0] ? error : curl_easy_strerror(code), sizeof(result->error) - 1);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    curl_slist_free_all(connect_to);
    return result->status > 0 ? 0 : -1;
}

void rw_fetch_free(rw_fetch_result *result) {
    free(result->body);
    result->body = NULL;
    result->body_length = 0;
}
