import Scoreboard

/// What a pool's context gives its operator pages.
public protocol PoolContext: SendableMetatype {
    /// The pool's shared state, when this responder belongs to a supervised pool.
    var scoreboard: Scoreboard? { get }
    /// Unix seconds now.
    var clock: @Sendable () -> Double { get }
}

public extension Route where Context: PoolContext {
    /// `GET {prefix}/status` and `GET {prefix}/metrics`: the pool's scoreboard as php-fpm's
    /// status page and as Prometheus text, the same two pages for every pool.
    static func operatorPages(under prefix: String = "", report: @escaping @Sendable () -> PoolReport) -> [Route] {
        [
            Route("status", ["GET", "HEAD"], .exact(prefix + "/status")) { request, context throws(ServiceError) in
                try report().status(of: context.scoreboard, for: request, now: context.clock())
            },
            Route("metrics", ["GET", "HEAD"], .exact(prefix + "/metrics")) { request, context throws(ServiceError) in
                try report().metrics(of: context.scoreboard, for: request)
            },
        ]
    }
}
