import Foundation
import ResponderCore
import Scoreboard
import Testing

/// Both pools' operator pages come from one report: what a pool keeps of its own
/// shows on its pages only, and nobody outside the operator's rules sees either.
@Suite struct PoolReportTests {
    static let report = PoolReport(pool: "test-pool", labels: ["one", "two", "unrouted"], counters: [
        .init(statusKey: "drops", metricName: "remote_worker_drops_total", help: "Drops.") { $0.locationDetectorDrops },
    ])

    func board() throws -> Scoreboard {
        let board = try #require(Scoreboard.create(startedAt: 1000))
        board.claim(slot: 0, pid: 42, now: 1001)
        board.markIdle(slot: 0)
        board.beginRequest(slot: 0, monotonicNow: monotonicSeconds())
        board.recordEndpoint(slot: 0, endpoint: 1)
        board.endRequest(slot: 0, endpoint: 1, code: 0, seconds: 0.2, slow: false)
        board.countLocationDetectorDrops(3)
        return board
    }

    var operatorRequest: Request {
        var request = Request(method: "GET", path: "/status")
        request.operatorAccess = true
        return request
    }

    @Test func status_namesThePool_andItsOwnCounters() throws {
        let response = try Self.report.status(of: try board(), for: operatorRequest, now: 1010)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["pool"] as? String == "test-pool")
        #expect(json["start_since"] as? Int == 10)
        #expect(json["drops"] as? Int == 3)
        #expect(json["location_detector_drops"] == nil)
        let process = try #require((json["processes"] as? [[String: Any]])?.first)
        #expect(process["pid"] as? Int == 42 && process["requests"] as? Int == 1)
        #expect(process["last_endpoint"] as? String == "two")
    }

    @Test func metrics_labelTheEndpoints_andAddTheCounters() throws {
        let response = try Self.report.metrics(of: try board(), for: operatorRequest)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("remote_worker_requests_total{code=\"\(MetricLabels.codes[0])\",endpoint=\"two\"} 1"), "\(text)")
        #expect(text.contains("remote_worker_request_duration_seconds_count{endpoint=\"two\"} 1"))
        #expect(!text.contains("endpoint=\"one\""), "an endpoint without requests has no samples")
        #expect(text.contains("# TYPE remote_worker_drops_total counter\nremote_worker_drops_total 3\n"))
        #expect(!text.contains("location_detector"))
    }

    @Test func withoutTheOperatorsRules_orAScoreboard_nothingIsShown() throws {
        let visitor = Request(method: "GET", path: "/status")
        #expect(throws: ServiceError.forbidden) { try Self.report.status(of: try board(), for: visitor, now: 0) }
        #expect(throws: ServiceError.forbidden) { try Self.report.metrics(of: try board(), for: visitor) }
        #expect(throws: ServiceError.notImplemented) { try Self.report.metrics(of: nil, for: operatorRequest) }
    }
}
