import Scoreboard

/// The operator's view of a pool, read from its shared scoreboard, so whichever
/// responder answers speaks for the whole pool: `status` as php-fpm's status page
/// shows it, `metrics` in Prometheus' text format.
public struct PoolReport: Sendable {
    /// A total only this kind of pool keeps, shown on both pages.
    public struct Counter: Sendable {
        let statusKey: String
        let metricName: String
        let help: String
        let value: @Sendable (ScoreboardSnapshot) -> Int

        public init(statusKey: String, metricName: String, help: String, value: @escaping @Sendable (ScoreboardSnapshot) -> Int) {
            self.statusKey = statusKey
            self.metricName = metricName
            self.help = help
            self.value = value
        }
    }

    let pool: String
    /// Endpoint labels in scoreboard order.
    let labels: [String]
    let counters: [Counter]

    public init(pool: String, labels: [String], counters: [Counter] = []) {
        self.pool = pool
        self.labels = labels
        self.counters = counters
    }

    /// `GET /status`. Only for requests that passed nginx's operator rules.
    public func status(of scoreboard: Scoreboard?, for request: Request, now: Double) throws(ServiceError) -> Response {
        let board = try snapshot(scoreboard, for: request)
        let monotonicNow = monotonicSeconds()
        var json = JSONWriter(capacity: 512 + board.responders.count * 200)
        json.beginObject()
        json.envelope(ok: true)
        json.field("pool", pool)
        json.field("start_time", board.startedAt)
        json.field("start_since", Int(now - board.startedAt))
        json.field("accepted_conn", board.accepted)
        json.field("listen_queue", board.listenQueue)
        json.field("max_listen_queue", board.listenQueueMax)
        json.field("listen_queue_len", board.listenQueueLength)
        json.field("idle_processes", board.idle)
        json.field("active_processes", board.active)
        json.field("total_processes", board.responders.count)
        json.field("max_active_processes", board.maxActive)
        json.field("max_children_reached", board.maxActiveReached)
        json.field("slow_requests", board.slowRequests)
        json.field("spawned", board.spawned)
        json.field("crashes", board.crashes)
        json.field("deadline_kills", board.deadlineKills)
        json.field("memory_retirements", board.memoryRetirements)
        for counter in counters { json.field(counter.statusKey, counter.value(board)) }
        json.key("processes")
        json.beginArray()
        for responder in board.responders.sorted(by: { $0.slot < $1.slot }) {
            json.beginObject()
            json.field("pid", Int(responder.pid))
            json.field("state", responder.state.name)
            json.field("start_time", responder.spawnedAt)
            json.field("start_since", Int(now - responder.spawnedAt))
            json.field("requests", responder.requests)
            if responder.state == .busy {
                json.field("request_duration_ms", Int((monotonicNow - responder.busySince) * 1000))
            }
            json.field("last_request_ms", Int((responder.lastDuration * 1000).rounded()))
            if labels.indices.contains(responder.endpoint) {
                json.field(responder.state == .busy ? "endpoint" : "last_endpoint", labels[responder.endpoint])
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return .json(json)
    }

    /// `GET /metrics`: request counts by endpoint and `code`, latency histograms by
    /// endpoint, pool gauges. Only for requests that passed nginx's operator rules.
    public func metrics(of scoreboard: Scoreboard?, for request: Request) throws(ServiceError) -> Response {
        let board = try snapshot(scoreboard, for: request)
        var text = PrometheusText()

        text.family("remote_worker_requests_total", "counter", "Requests finished, by endpoint and code (ok or the error code).")
        for (endpoint, label) in labels.enumerated() where board.codeCounts.indices.contains(endpoint) {
            for (code, name) in MetricLabels.codes.enumerated() where board.codeCounts[endpoint][code] > 0 {
                text.sample("remote_worker_requests_total", ["endpoint": label, "code": name], board.codeCounts[endpoint][code])
            }
        }

        text.family("remote_worker_request_duration_seconds", "histogram", "Time from accepting a request to finishing its response.")
        for (endpoint, label) in labels.enumerated() where board.histograms.indices.contains(endpoint) && board.histograms[endpoint].count > 0 {
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
        let totals: [(String, String, String, Int)] = [
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
        ] + counters.map { ($0.metricName, "counter", $0.help, $0.value(board)) }
        for (name, type, help, value) in totals {
            text.family(name, type, help)
            text.sample(name, [:], value)
        }
        text.family("remote_worker_start_time_seconds", "gauge", "When the pool started, Unix seconds.")
        text.sample("remote_worker_start_time_seconds", [:], board.startedAt)
        return Response(contentType: "text/plain; version=0.0.4; charset=utf-8", body: text.bytes)
    }

    private func snapshot(_ scoreboard: Scoreboard?, for request: Request) throws(ServiceError) -> ScoreboardSnapshot {
        // Only through nginx's operator rules: the scoreboard is not for the forum's visitors.
        guard request.operatorAccess else { throw .forbidden }
        guard let scoreboard else { throw .notImplemented }
        return scoreboard.snapshot()
    }
}
