import Foundation
import Testing

/// What a hostile upload or a compromised decoder can reach: its own request, nothing more.
@Suite(.serialized) struct ContainmentTests {
    @Test func respondersCannotOpenSockets_norWriteOutsideTheirTemp() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"])
        defer { stack.stop() }
        let probe = try await stack.get("/debug/escape")
        #expect(probe.status == 200)
        let json = probe.json
        #expect(json["tcp_socket"] as? Int == Int(EACCES), "\(json)")
        #expect(json["unix_socket"] as? Int == Int(EACCES), "\(json)")
        #expect((json["write_outside"] as? Int ?? 0) != 0, "\(json)")
        #expect((json["write_var_tmp"] as? Int ?? 0) != 0, "\(json)")
        if getuid() == 0 {
            #expect((json["uid"] as? Int ?? 0) != 0, "a pool started as root must not answer as root")
        }
        // Landlock leaves the private temp directory writable; without it, no file may be written at all.
        if (json["landlock_abi"] as? Int ?? 0) > 0 {
            #expect(json["write_temp"] as? Int == 0, "\(json)")
        } else {
            #expect((json["write_temp"] as? Int ?? 0) != 0, "\(json)")
        }
    }

    @Test func responderOverItsMemoryThreshold_isReplacedAfterTheRequest() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--max-rss-mb", "96"])
        defer { stack.stop() }
        let before = stack.responderPIDs
        #expect(try await stack.get("/debug/leak/128").status == 200)
        let after = await stack.waitForResponders { $0.count == 1 && $0 != before }
        #expect(after.count == 1 && after != before, "the leaking responder was not replaced")
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func allocationPastTheMemoryCeiling_killsOnlyThatRequest() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2", "--memory-limit-mb", "512"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        async let greedy = stack.get("/debug/leak/1024")
        let good = try await stack.load("/images/fit/50", file: png, clients: 8, requestsEach: 1)
        let refused = try await greedy
        // The failed allocation ends the responder from inside: its request gets the 500 it left.
        #expect(refused.status == 500 && refused.json["code"] as? String == "internal", "\(refused.status)")
        #expect(good.allSatisfy { $0 == 200 }, "\(good)")
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func stuckRequest_isKilledByTheSupervisor_afterNginxAnsweredTimeout() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--time-limit", "1"], nginxReadTimeout: "2s")
        defer { stack.stop() }
        let before = stack.responderPIDs
        let response = try #require(try await stack.timedGets(["/debug/sleep/20000"]).first)
        #expect(response.status == 503)
        #expect(response.json["code"] as? String == "timeout")
        #expect(response.seconds < 5, "nginx answered after \(response.seconds) s")
        let after = await stack.waitForResponders { $0.count == 1 && $0 != before }
        #expect(after.count == 1 && after != before)
        #expect(stack.poolLog.contains("request deadline passed"), "the supervisor did not kill the stuck responder")
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func fullPool_answersOverloaded_withinASecond() async throws {
        // One responder and a backlog of one: the third concurrent request has nowhere to wait.
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--backlog", "1"])
        defer { stack.stop() }
        let results = try await stack.timedGets(Array(repeating: "/debug/sleep/1500", count: 8))
        let refused = results.filter { $0.status == 503 }
        #expect(results.contains { $0.status == 200 })
        #expect(!refused.isEmpty, "nothing was refused: \(results.map { ($0.status, $0.seconds) })")
        for response in refused {
            #expect(response.json["code"] as? String == "overloaded")
            #expect(response.headers["retry-after"] == "1")
            #expect(response.seconds < 1, "refusal took \(response.seconds) s")
        }
    }
}
