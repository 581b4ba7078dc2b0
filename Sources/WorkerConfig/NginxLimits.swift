/// The limits nginx must hold to the same values as the pool, written as nginx's own
/// directives from the settings, so they are rendered, never copied by hand.
public struct NginxLimits: Equatable, Sendable {
    /// `client_max_body_size`, in bytes: the pool's `RW_MAX_BODY_BYTES`.
    public let maxBodyBytes: Int
    /// `fastcgi_read_timeout` and `fastcgi_send_timeout`: a second past `RW_TIME_LIMIT`,
    /// before the supervisor kills a stuck responder (limit + 2 s), so the client gets the JSON timeout.
    public let readTimeoutSeconds: Int
    /// `fastcgi_next_upstream_timeout`: the time limit itself, so a read timeout is never retried elsewhere.
    public let nextUpstreamTimeoutSeconds: Int

    public init(_ configuration: WorkerConfiguration) {
        maxBodyBytes = configuration.maxBodyBytes
        readTimeoutSeconds = configuration.timeLimitSeconds + 1
        nextUpstreamTimeoutSeconds = configuration.timeLimitSeconds
    }

    /// Each directive as nginx writes it, by name.
    public var directives: [(name: String, value: String)] {
        [
            ("client_max_body_size", String(maxBodyBytes)),
            ("fastcgi_read_timeout", "\(readTimeoutSeconds)s"),
            ("fastcgi_send_timeout", "\(readTimeoutSeconds)s"),
            ("fastcgi_next_upstream_timeout", "\(nextUpstreamTimeoutSeconds)s"),
        ]
    }
}
