import ResponderCore

extension PoolReport {
    /// The image pool's report: its routes, and the drops of prepare_jpeg's second reader.
    static let images = PoolReport(pool: "remote-worker", labels: Routes.labels, counters: [
        Counter(statusKey: "location_detector_drops", metricName: "remote_worker_location_detector_drops_total",
                help: "Segments prepare_jpeg's independent detector still found a position in, and dropped.") {
            $0.locationDetectorDrops
        },
    ])
}

/// `GET /status`: the image pool as php-fpm's status page shows it.
struct StatusEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        try PoolReport.images.status(of: context.scoreboard, for: request, now: context.clock())
    }
}

/// `GET /metrics`: the image pool in Prometheus' text format.
struct MetricsEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        try PoolReport.images.metrics(of: context.scoreboard, for: request)
    }
}
