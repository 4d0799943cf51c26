/* The exporter's HTTP client: libcurl's easy interface on the exporter's one thread, one
 * handle reused so that the connection stays open between requests. */
#include <akt/akt.h>
#include <curl/curl.h>
#include <pthread.h>

#include "otlp.h"

static pthread_once_t akt__curl_once = PTHREAD_ONCE_INIT;
static CURLcode akt__curl_init_rc = CURLE_FAILED_INIT;

/* curl_global_init is not safe to run twice at once: once per process, never cleaned up
 * (other users of libcurl in the process may hold handles). */
static void akt__curl_init(void) { akt__curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* The collector's answer is read and thrown away. */
static size_t akt__discard(char *p, size_t size, size_t n, void *data) {
    (void)p;
    (void)data;
    return size * n;
}

int akt__otlp_http_init(akt__otlp_http *h, const char *const *headers, size_t n,
                        int64_t timeout_ms) {
    pthread_once(&akt__curl_once, akt__curl_init);
    if (akt__curl_init_rc != CURLE_OK) return AKT_ENOMEM;
    h->headers = curl_slist_append(NULL, "Content-Type: application/x-protobuf");
    for (size_t i = 0; h->headers && i < n; i++) {
        struct curl_slist *l = curl_slist_append(h->headers, headers[i]);
        if (!l) {
            curl_slist_free_all(h->headers);
            h->headers = NULL;
        }
        h->headers = l ? l : NULL;
    }
    CURL *c = h->headers ? curl_easy_init() : NULL;
    if (!c) {
        curl_slist_free_all(h->headers);
        h->headers = NULL;
        return AKT_ENOMEM;
    }
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, akt__discard);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    h->curl = c;
    return 0;
}

long akt__otlp_http_post(akt__otlp_http *h, const char *url, const uint8_t *body, size_t len) {
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    if (curl_easy_perform(c) != CURLE_OK) return 0;
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

void akt__otlp_http_free(akt__otlp_http *h) {
    if (h->curl) curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    h->curl = NULL;
    h->headers = NULL;
}
