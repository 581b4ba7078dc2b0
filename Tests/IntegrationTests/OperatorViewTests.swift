import Foundation
import Testing

/// /status and /metrics: the whole pool, whichever responder answers.
@Suite(.serialized) struct OperatorViewTests {
    @Test func status_showsThePoolAndEveryResponder() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "2"])
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        for _ in 0..<4 { #expect(try await stack.post("/images/fit/50", file: png).status == 200) }
        let status = try await stack.get("/status")
        #expect(status.status == 200)
        let json = status.json
        #expect(json["total_processes"] as? Int == 2)
        // The responder answering is busy with this very request.
        #expect(json["active_processes"] as? Int == 1)
        #expect(json["idle_processes"] as? Int == 1)
        #expect((json["accepted_conn"] as? Int ?? 0) >= 5)
        #expect(json["listen_queue_len"] as? Int == 16)
        let processes = try #require(json["processes"] as? [[String: Any]])
        #expect(Set(processes.compactMap { $0["pid"] as? Int }.map(Int32.init)) == Set(stack.responderPIDs))
        #expect(processes.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } >= 4)
    }

    @Test func metrics_countRequestsByEndpointAndCode_withHistograms() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "2"])
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        for _ in 0..<3 { _ = try await stack.post("/images/fit/50", file: png) }
        _ = try await stack.post("/images/fit/50", file: Data("not an image".utf8))
        let metrics = try await stack.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.contentType.hasPrefix("text/plain"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("remote_worker_requests_total{code=\"ok\",endpoint=\"fit\"} 3"))
        #expect(text.contains("remote_worker_requests_total{code=\"unsupported_type\",endpoint=\"fit\"} 1"))
        #expect(text.contains("remote_worker_request_duration_seconds_bucket{endpoint=\"fit\",le=\"+Inf\"} 4"))
        #expect(text.contains("remote_worker_request_duration_seconds_count{endpoint=\"fit\"} 4"))
        #expect(text.contains("# TYPE remote_worker_request_duration_seconds histogram"))
    }

    @Test func statusAndMetrics_areOnlyForAllowedAddresses() async throws {
        // The standalone stack listens on 127.0.0.1, which is allowed; ask from another loopback address.
        let stack = WorkerStack.shared
        for path in ["/status", "/metrics"] {
            let response = try stack.curl(path, from: "127.0.0.7")
            #expect(response.status == 403, "\(path) from a foreign address gave \(response.status)")
            #expect(response.json["code"] as? String == "forbidden")
        }
    }
}

/// RW_SHARED_SECRET: requests without the right X-Remote-Worker-Secret get a JSON 401.
@Suite struct SharedSecretTests {
    @Test func requestsNeedTheSecret_whenOneIsSet() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "1"], environment: ["RW_SHARED_SECRET": "s3cret-value"],
                                      servesPing: false)
        let missing = try await stack.get("/ping")
        #expect(missing.status == 401)
        #expect(missing.json["code"] as? String == "unauthorized")
        let wrong = try await stack.get("/ping", headers: ["X-Remote-Worker-Secret": "s3cret-valuX"])
        #expect(wrong.status == 401)
        let right = try await stack.get("/ping", headers: ["X-Remote-Worker-Secret": "s3cret-value"])
        #expect(right.status == 200)
    }
}

/// Structured logs: one JSON object per line, with nginx's request ID.
@Suite struct StructuredLogTests {
    @Test func jsonLogLines_carryTheRequestID() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "1", "--log-format", "json"])
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        _ = try await stack.post("/images/fit/32", file: png)
        try await Task.sleep(nanoseconds: 200_000_000)
        let lines = stack.poolLog.split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count, "a log line is not JSON")
        let request = try #require(objects.first { ($0["message"] as? String) == "POST /images/fit/32" })
        #expect((request["request_id"] as? String)?.count == 32, "nginx's $request_id is 32 hex digits")
        #expect(request["status"] as? String == "200")
        #expect(request["input_type"] as? String == "image/png")
        #expect(request["level"] as? String == "info")
    }
}
