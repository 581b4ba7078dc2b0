import Foundation
import Testing

/// What a hostile upload or a compromised decoder can reach: its own request, nothing more.
@Suite(.serialized) struct ContainmentTests {
    @Test func respondersCannotOpenSockets_norWriteOutsideTheirTemp() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "1"])
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
        let stack = WorkerStack.start(flags: ["--responders", "1", "--max-rss-mb", "96"])
        let before = stack.responderPIDs
        #expect(try await stack.get("/debug/leak/128").status == 200)
        let after = await stack.waitForResponders { $0.count == 1 && $0 != before }
        #expect(after.count == 1 && after != before, "the leaking responder was not replaced")
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func allocationPastTheMemoryCeiling_killsOnlyThatRequest() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "2", "--memory-limit-mb", "512"])
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        async let greedy = stack.get("/debug/leak/1024")
        let good = try await stack.load("/images/fit/50", file: png, clients: 8, requestsEach: 1)
        let refused = try await greedy
        #expect(refused.status == 503, "\(refused.status)")
        #expect(good.allSatisfy { $0 == 200 }, "\(good)")
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func stuckRequest_isKilledByTheSupervisor_afterNginxAnsweredTimeout() async throws {
        let stack = WorkerStack.start(flags: ["--responders", "1", "--time-limit", "1"], nginxReadTimeout: "2s")
        let before = stack.responderPIDs
        let (response, seconds) = try #require(try stack.timedGets(["/debug/sleep/20000"]).first)
        #expect(response.status == 503)
        #expect(response.json["code"] as? String == "timeout")
        #expect(seconds < 5)
        let after = await stack.waitForResponders { $0.count == 1 && $0 != before }
        #expect(after.count == 1 && after != before)
        #expect(stack.poolLog.contains("request deadline passed"), "the supervisor did not kill the stuck responder")
        #expect(try await stack.get("/ping").status == 200)
    }

    @Test func fullPool_answersOverloaded_withinASecond() async throws {
        // One responder and a backlog of one: the third concurrent request has nowhere to wait.
        let stack = WorkerStack.start(flags: ["--responders", "1", "--backlog", "1"])
        let results = try stack.timedGets(Array(repeating: "/debug/sleep/1500", count: 8))
        let refused = results.filter { $0.response.status == 503 }
        #expect(results.contains { $0.response.status == 200 })
        #expect(!refused.isEmpty, "nothing was refused: \(results.map { ($0.response.status, $0.seconds) })")
        for (response, seconds) in refused {
            #expect(response.json["code"] as? String == "overloaded")
            #expect(response.headers["retry-after"] == "1")
            #expect(seconds < 1, "refusal took \(seconds) s")
        }
    }
}

/// Every hostile file of ../shared/corpus/bad (when present) gets a status its manifest allows, and the pool lives on.
@Suite(.enabled(if: Manifest.corpusExists, "../shared/corpus is not present"))
struct HostileCorpusTests {
    static let rows = Manifest.corpus.filter { $0["path"].hasPrefix("bad/") }

    @Test("corpus/bad through fit and avatars", arguments: rows)
    func hostileFile(_ row: ManifestRow) async throws {
        let stack = WorkerStack.shared
        let data = try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(row["path"]))
        let allowed = Self.allowedStatuses(row["expected"])
        for path in ["/images/fit/300", "/images/rescale_avatar"] {
            let response = try await stack.post(path, file: data)
            #expect(allowed.contains(response.status), "\(path) gave \(response.status) for \(row); allowed \(allowed)")
            #expect(response.json["success"] != nil, "not the JSON shape")
            let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?.prefix(20) ?? "root:x:0:0"
            #expect(!String(decoding: response.body, as: UTF8.self).contains(passwd))
        }
        #expect(try await stack.get("/ping").status == 200)
    }

    /// "ok (...)", "reject 400 ...", "reject 413/422 ... / 400 corrupt", "ok or reject 400": every status named.
    static func allowedStatuses(_ expected: String) -> Set<Int> {
        var allowed = Set<Int>()
        if expected.hasPrefix("ok") || expected.contains("or ok") { allowed.insert(200) }
        let pattern = try! NSRegularExpression(pattern: "\\b(400|413|422)\\b")
        for match in pattern.matches(in: expected, range: NSRange(expected.startIndex..., in: expected)) {
            allowed.insert(Int((expected as NSString).substring(with: match.range))!)
        }
        return allowed
    }
}
