import Foundation
import Testing

/// /status and /metrics: the whole pool, whichever responder answers.
@Suite(.serialized) struct OperatorViewTests {
    @Test func status_showsThePoolAndEveryResponder() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        for _ in 0..<4 { #expect(try await stack.post("/images/fit/50", file: png).status == 200) }
        // A responder counts its request just after answering it: ask until both have.
        var json: [String: Any] = [:]
        let settled = try await eventually(within: 10, every: 0.1) {
            let status = try await stack.get("/status")
            json = status.json
            return status.status == 200 && json["idle_processes"] as? Int == 1 && Self.requestsCounted(json) >= 4
        }
        #expect(settled, "\(json)")
        #expect(json["total_processes"] as? Int == 2)
        // The responder answering is busy with this very request.
        #expect(json["active_processes"] as? Int == 1)
        #expect(json["idle_processes"] as? Int == 1)
        #expect((json["accepted_conn"] as? Int ?? 0) >= 5)
        #expect(json["listen_queue_len"] as? Int == 16)
        let processes = try #require(json["processes"] as? [[String: Any]])
        #expect(Set(processes.compactMap { $0["pid"] as? Int }.map(Int32.init)) == Set(stack.responderPIDs))
        #expect(Self.requestsCounted(json) >= 4)
    }

    /// Requests the responders of a status page have finished, together.
    static func requestsCounted(_ status: [String: Any]) -> Int {
        (status["processes"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }
    }

    @Test func metrics_countRequestsByEndpointAndCode_withHistograms() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        for _ in 0..<3 { _ = try await stack.post("/images/fit/50", file: png) }
        _ = try await stack.post("/images/fit/50", file: Data("not an image".utf8))
        // A responder counts its request just after answering it: ask until all four are counted.
        var metrics = try await stack.get("/metrics")
        _ = try await eventually(within: 10, every: 0.1) {
            metrics = try await stack.get("/metrics")
            return String(decoding: metrics.body, as: UTF8.self).contains("remote_worker_request_duration_seconds_count{endpoint=\"fit\"} 4")
        }
        #expect(metrics.status == 200)
        #expect(metrics.contentType.hasPrefix("text/plain"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("remote_worker_requests_total{code=\"ok\",endpoint=\"fit\"} 3"))
        #expect(text.contains("remote_worker_requests_total{code=\"unsupported_type\",endpoint=\"fit\"} 1"))
        #expect(text.contains("remote_worker_request_duration_seconds_bucket{endpoint=\"fit\",le=\"+Inf\"} 4"))
        #expect(text.contains("remote_worker_request_duration_seconds_count{endpoint=\"fit\"} 4"))
        #expect(text.contains("# TYPE remote_worker_request_duration_seconds histogram"))
    }

    @Test func locationDetectorDrops_areCounted() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"])
        defer { stack.stop() }
        // An APP6 block of a kind the scrubbers do not read, naming GPS: only the detector sees it.
        let input = try Data(contentsOf: Manifest.locationDirectory.appendingPathComponent("unknown-segment-gps.jpg"))
        let prepared = try await stack.post("/images/prepare_jpeg", file: input)
        #expect(prepared.json["location_detector_drops"] as? Int == 1)
        let metrics = String(decoding: try await stack.get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("remote_worker_location_detector_drops_total 1"), "\(metrics)")
        #expect(try await stack.get("/status").json["location_detector_drops"] as? Int == 1)
    }

    @Test func statusAndMetrics_areOnlyForAllowedAddresses() async throws {
        // The standalone stack listens on 127.0.0.1, which is allowed; ask from another loopback address.
        var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
        for path in ["/status", "/metrics"] {
            let response = try await stack.curl(path, from: "127.0.0.7")
            #expect(response.status == 403, "\(path) from a foreign address gave \(response.status)")
            #expect(response.json["code"] as? String == "forbidden")
        }
    }
}
