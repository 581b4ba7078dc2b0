import ResponderCore
import Scoreboard

/// `GET /metrics`: the scoreboard in Prometheus' text format: request counts
/// by endpoint and `code`, latency histograms by endpoint, pool gauges.
struct MetricsEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        // Only through nginx's operator rules: the scoreboard is not for the forum's visitors.
        guard request.operatorAccess else { throw .forbidden }
        guard let scoreboard = context.scoreboard else { throw .notImplemented }
        let board = scoreboard.snapshot()
        var text = PrometheusText()

        text.family("remote_worker_requests_total", "counter", "Requests finished, by endpoint and code (ok or the error code).")
        for (endpoint, label) in Routes.labels.enumerated() {
            for (code, name) in MetricLabels.codes.enumerated() where board.codeCounts[endpoint][code] > 0 {
                text.sample("remote_worker_requests_total", ["endpoint": label, "code": name], board.codeCounts[endpoint][code])
            }
        }

        text.family("remote_worker_request_duration_seconds", "histogram", "Time from accepting a request to finishing its response.")
        for (endpoint, label) in Routes.labels.enumerated() where board.histograms[endpoint].count > 0 {
            let histogram = board.histograms[endpoint]
            var cumulative = 0
            for (index, bound) in LatencyHistogram.boundsSeconds.enumerated() {
                cumulative += histogram.counts[index]
                text.sample("remote_worker_request_duration_seconds_bucket", ["endpoint": label, "le": "\(bound)"], cumulative)
            }
            text.sample("remote_worker_request_duration_seconds_bucket", ["endpoint": label, "le": "+Inf"], histogram.count)
            text.sample("remote_worker_request_duration_seconds_sum", ["endpoint": label], histogram.sumSeconds)
            text.sample("remote_worker_request_duration_seconds_count", ["endpoint": label], histogram.count)
        }

        text.family("remote_worker_responders", "gauge", "Responders by state.")
        for state in [ResponderState.starting, .idle, .busy] {
            text.sample("remote_worker_responders", ["state": state.name], board.responders.count { $0.state == state })
        }
        let gauges: [(String, String, String, Int)] = [
            ("remote_worker_accepted_total", "counter", "Requests accepted by any responder.", board.accepted),
            ("remote_worker_listen_queue", "gauge", "Connections waiting in the listen queue.", board.listenQueue),
            ("remote_worker_listen_queue_max", "gauge", "Most connections seen waiting.", board.listenQueueMax),
            ("remote_worker_listen_queue_length", "gauge", "Size of the listen queue (backlog).", board.listenQueueLength),
            ("remote_worker_max_active_responders", "gauge", "Most responders busy at once.", board.maxActive),
            ("remote_worker_all_busy_total", "counter", "Requests that started with every responder busy.", board.maxActiveReached),
            ("remote_worker_slow_requests_total", "counter", "Requests slower than RW_SLOW_REQUEST_MS.", board.slowRequests),
            ("remote_worker_spawned_total", "counter", "Responders started.", board.spawned),
            ("remote_worker_crashes_total", "counter", "Responders that ended unplanned.", board.crashes),
            ("remote_worker_deadline_kills_total", "counter", "Responders killed for overrunning the time limit.", board.deadlineKills),
            ("remote_worker_memory_retirements_total", "counter", "Responders retired for their memory use.", board.memoryRetirements),
            ("remote_worker_location_detector_drops_total", "counter",
             "Segments prepare_jpeg's independent detector still found a position in, and dropped.", board.locationDetectorDrops),
        ]
        for (name, type, help, value) in gauges {
            text.family(name, type, help)
            text.sample(name, [:], value)
        }
        text.family("remote_worker_start_time_seconds", "gauge", "When the pool started, Unix seconds.")
        text.sample("remote_worker_start_time_seconds", [:], board.startedAt)
        return Response(contentType: "text/plain; version=0.0.4; charset=utf-8", body: text.bytes)
    }
}

/// Prometheus' text exposition format, written line by line.
struct PrometheusText {
    private(set) var bytes: [UInt8] = []

    mutating func family(_ name: String, _ type: String, _ help: String) {
        append("# HELP \(name) \(help)\n# TYPE \(name) \(type)\n")
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Int) {
        append("\(name)\(Self.format(labels)) \(value)\n")
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        append("\(name)\(Self.format(labels)) \(value)\n")
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: Array(text.utf8)) }

    /// Labels sorted by name; values escaped as the format requires.
    private static func format(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                .replacing("\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }
}
