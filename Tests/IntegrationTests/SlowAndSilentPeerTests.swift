import Foundation
import Testing

/// Peers on the pool's own socket that nginx never is: silent, stalled, slow.
/// Each must cost at most its own connection, and a reload must not cut a body short.
@Suite(.serialized) struct SlowAndSilentPeerTests {
    struct PeerAnswer: Decodable {
        let seconds: Double
        let status: Int
        let body: String
        var code: String? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["code"] as? String
        }
    }

    static func peer(_ arguments: [String]) async throws -> PeerAnswer {
        let result = try await runPeer(arguments)
        #expect(result.status == 0, "\(String(decoding: result.errors, as: UTF8.self))")
        return try JSONDecoder().decode(PeerAnswer.self, from: result.output)
    }

    /// The peer's answer, or nil when it could not connect (a pool still starting).
    static func answerIfListening(_ arguments: [String]) async throws -> PeerAnswer? {
        let result = try await runPeer(arguments)
        return result.status == 0 ? try JSONDecoder().decode(PeerAnswer.self, from: result.output) : nil
    }

    private static func runPeer(_ arguments: [String]) async throws -> ChildProcess.Result {
        let script = WorkerStack.repositoryRoot.appendingPathComponent("scripts/fastcgi-peer.py").path
        return try await ChildProcess.run("/usr/bin/python3", [script] + arguments)
    }

    @Test func silentAndStalledPeers_areDroppedAtTheIdleTimeout_costingNoResponder() async throws {
        let port = WorkerStack.freePort()
        let stack = try await WorkerStack.start(flags: ["--responders", "2", "--idle-timeout", "1"],
                                                poolAddresses: ["127.0.0.1:\(port)"])
        defer { stack.stop() }
        // Both responders taken: one by a peer that sends nothing, one by a body that stops.
        async let silent = Self.peer(["silent", "127.0.0.1", "\(port)"])
        async let stalled = Self.peer(["stall", "127.0.0.1", "\(port)"])
        let (quiet, half) = try await (silent, stalled)
        #expect(quiet.status == 0 && (0.9...5).contains(quiet.seconds), "silent peer: \(quiet)")
        #expect(half.status == 400 && half.code == "incomplete_body" && (0.9...5).contains(half.seconds), "stalled peer: \(half)")
        #expect(try await stack.get("/ping").status == 200)
        let status = try await stack.get("/status").json
        #expect(status["crashes"] as? Int == 0 && status["deadline_kills"] as? Int == 0, "\(status)")
        #expect(stack.poolLog.contains("connection dropped"))
    }

    @Test func reloadsDuringSlowUploads_cutNoBodyShort() async throws {
        let port = WorkerStack.freePort()
        let stack = try await WorkerStack.start(flags: ["--responders", "2"], poolAddresses: ["127.0.0.1:\(port)"])
        defer { stack.stop() }
        // About 3 MB of noise, so at 1 MB/s each upload takes about three seconds.
        let directory = try TemporaryDirectory(prefix: "rw-slow")
        let image = directory.url.appendingPathComponent("noise.png").path
        let made = try await ChildProcess.run("/usr/bin/vips", ["gaussnoise", image, "1800", "1800"])
        try #require(made.status == 0)
        async let uploads = withThrowingTaskGroup(of: PeerAnswer.self) { group in
            for _ in 0..<3 {
                group.addTask { try await Self.peer(["slow", "127.0.0.1", "\(port)", image, "/images/fit/64", "1000000"]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for _ in 0..<2 {
            try await Task.sleep(nanoseconds: 1_000_000_000)
            kill(stack.poolPID, SIGHUP)
        }
        let answers = try await uploads
        for answer in answers {
            #expect(answer.status == 200, "\(answer.status) \(answer.body.prefix(300))")
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
            #expect(json?["width"] as? Int == 64 && json?["height"] as? Int == 64)
        }
        #expect(!stack.poolLog.contains("incomplete_body"))
    }
}

/// The scoreboard is the operator's: nginx marks requests that passed its access rules,
/// and nothing else gets it, whatever path or location it came through.
@Suite struct OperatorPagesTests {
    @Test func statusAndMetrics_needNginxsMark_andTakeNoTrailingSlash() async throws {
        let port = WorkerStack.freePort()
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], poolAddresses: ["127.0.0.1:\(port)"])
        defer { stack.stop() }
        for path in ["/status", "/metrics"] {
            #expect(try await stack.get(path).status == 200, "\(path) through the operator's location")
            let slash = try await stack.get(path + "/")
            #expect(slash.status == 404 && slash.json["code"] as? String == "not_found", "\(path)/: \(slash.status)")
            // Straight to the pool, without nginx's mark.
            let direct = try await SlowAndSilentPeerTests.peer(["get", "127.0.0.1", "\(port)", path])
            #expect(direct.status == 403 && direct.code == "forbidden", "\(path) without the mark: \(direct)")
            #expect(!direct.body.contains("processes") && !direct.body.contains("remote_worker_"))
        }
    }
}
