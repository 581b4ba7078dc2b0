import ResponderCore

extension PoolReport {
    /// The image pool's report (`/status`, `/metrics`): its routes, and the drops of prepare_jpeg's second reader.
    static let images: PoolReport = PoolReport(pool: "remote-worker", labels: Routes.table.labels, counters: [
        Counter(statusKey: "location_detector_drops", metricName: "remote_worker_location_detector_drops_total",
                help: "Segments prepare_jpeg's independent detector still found a position in, and dropped.") {
            $0.locationDetectorDrops
        },
    ])
}
