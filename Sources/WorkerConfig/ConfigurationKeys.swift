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
        ("UID", .text(\.uid)),
        ("COUNTRY", .text(\.country)),
        ("REGION", .text(\.region)),
    ] }
}
