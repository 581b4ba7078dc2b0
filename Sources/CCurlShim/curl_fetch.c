#define _GNU_SOURCE
#include "curl_fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef struct {
    const rw_fetch_request *request;
    rw_fetch_result *result;
    size_t capacity;
} transfer;

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

static size_t keep_body(char *data, size_t size, size_t count, void *userdata) {
    transfer *state = userdata;
    size_t length = size * count;
    rw_fetch_result *result = state->result;
    if (result->body_length + length > state->request->max_bytes) {
        result->too_large = 1;
        return 0; /* ends the transfer */
    }
    if (result->body_length + length > state->capacity) {
        size_t capacity = state->capacity ? state->capacity : 64 * 1024;
        while (capacity < result->body_length + length) capacity *= 2;
        if (capacity > state->request->max_bytes) capacity = state->request->max_bytes;
        unsigned char *grown = realloc(result->body, capacity);
        if (!grown) return 0;
        result->body = grown;
        state->capacity = capacity;
    }
    memcpy(result->body + result->body_length, data, length);
    result->body_length += length;
    return length;
}

int rw_fetch(const rw_fetch_request *request, rw_fetch_result *result) {
    memset(result, 0, sizeof(*result));
    static int initialised = 0;
    if (!initialised) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        initialised = 1;
    }
    CURL *curl = curl_easy_init();
    if (!curl) return -1;
    transfer state = { .request = request, .result = result, .capacity = 0 };
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, request->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    /* No proxy from the environment: a proxy would resolve names itself, past the check. */
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
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
    return result->status > 0 ? 0 : -1;
}

void rw_fetch_free(rw_fetch_result *result) {
    free(result->body);
    result->body = NULL;
    result->body_length = 0;
}
