/// The environment variable of every setting, in one table, so loading,
/// exporting to responders and the README cannot drift apart.
extension WorkerConfiguration {
    enum Value {
        case text(WritableKeyPath<WorkerConfiguration, String>)
        case number(WritableKeyPath<WorkerConfiguration, Int>)
    }

    static var keys: [(env: String, value: Value)] { [
        ("RW_LISTEN", .text(\.listen)),
        ("RW_SOCKET_MODE", .text(\.socketMode)),
        ("RW_ALLOWED_CLIENTS", .text(\.allowedClients)),
        ("RW_BACKLOG", .number(\.backlog)),
        ("RW_RESPONDERS", .number(\.responders)),
        ("RW_MAX_REQUESTS", .number(\.maxRequests)),
        ("RW_MAX_REQUESTS_JITTER", .number(\.maxRequestsJitter)),
        ("RW_MAX_BODY_BYTES", .number(\.maxBodyBytes)),
        ("RW_MAX_PIXELS", .number(\.maxPixels)),
        ("RW_MAX_FRAMES", .number(\.maxFrames)),
        ("RW_MAX_TOTAL_PIXELS", .number(\.maxTotalPixels)),
        ("RW_MAX_JPEG_SCANS", .number(\.maxJPEGScans)),
        ("RW_MAX_OUTPUT_BYTES", .number(\.maxOutputBytes)),
        ("RW_MAX_BOX", .number(\.maxBox)),
        ("RW_TIME_LIMIT", .number(\.timeLimitSeconds)),
        ("RW_IDLE_TIMEOUT", .number(\.idleTimeoutSeconds)),
        ("RW_GRACEFUL_TIMEOUT", .number(\.gracefulTimeoutSeconds)),
        ("RW_MEMORY_LIMIT_MB", .number(\.memoryLimitMiB)),
        ("RW_MAX_RSS_MB", .number(\.maxRSSMiB)),
        ("RW_USER", .text(\.user)),
        ("RW_SANDBOX", .text(\.sandbox)),
        ("RW_SLOW_REQUEST_MS", .number(\.slowRequestMilliseconds)),
        ("RW_VIPS_CONCURRENCY", .number(\.vipsConcurrency)),
        ("RW_SHARED_SECRET", .text(\.sharedSecret)),
        ("RW_LOG_LEVEL", .text(\.logLevel)),
        ("RW_LOG_FORMAT", .text(\.logFormat)),
        ("RW_PREVIEW_LISTEN", .text(\.previewListen)),
        ("RW_PREVIEW_RESPONDERS", .number(\.previewResponders)),
        ("RW_PREVIEW_USER", .text(\.previewUser)),
        ("RW_PREVIEW_IMAGES", .text(\.previewImages)),
        ("RW_PREVIEW_ALLOW", .text(\.previewAllow)),
        ("RW_PREVIEW_DENY", .text(\.previewDeny)),
        ("RW_PREVIEW_PORTS", .text(\.previewPorts)),
        ("RW_PREVIEW_MAX_BYTES", .number(\.previewMaxBytes)),
        ("RW_PREVIEW_IMAGE_MAX_BYTES", .number(\.previewImageMaxBytes)),
        ("RW_PREVIEW_CONNECT_TIMEOUT_MS", .number(\.previewConnectTimeoutMilliseconds)),
        ("RW_PREVIEW_TIMEOUT_MS", .number(\.previewTimeoutMilliseconds)),
        ("RW_PREVIEW_USER_AGENT", .text(\.previewUserAgent)),
        ("RW_PREVIEW_PROXY", .text(\.previewProxy)),
        ("RW_PREVIEW_IMAGE_BOX", .number(\.previewImageBox)),
        ("UID", .text(\.uid)),
        ("COUNTRY", .text(\.country)),
        ("REGION", .text(\.region)),
    ] }
}
