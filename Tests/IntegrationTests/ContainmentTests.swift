import Foundation
import Testing

/// What a hostile upload or a compromised decoder can reach: its own request, nothing more.
@Suite(.serialized) struct ContainmentTests {
    /// What a compromised decoder would try next, tried from inside a responder: every attempt
    /// fails, and the supervisor and the other responder carry on.
    @Test func compromisedResponder_staysInItsBox() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let before = stack.responderPIDs
        try #require(before.count == 2)
        var json: [String: Any] = [:]
        var prober: Int32 = 0
        let sibling = before[1]
        // Either responder may answer (idle ones tend to take turns): ask until the other one
        // answers, since a responder probing itself would be allowed, and prove nothing.
        // The target stays fixed: alternating it could keep step with the turns.
        for _ in 0..<40 {
            let probe = try await stack.get("/debug/escape?sibling=\(sibling)")
            #expect(probe.status == 200)
            json = probe.json
            prober = Int32(json["pid"] as? Int ?? 0)
            if prober != sibling { break }
        }
        try #require(prober != sibling && before.contains(prober), "no responder probed the other one: \(json)")
        for key in ["tcp_socket", "unix_socket", "write_outside", "write_var_tmp", "read_shadow", "read_passwd",
                    "read_sibling_temp",
                    "ptrace_supervisor", "read_memory_supervisor", "signal_supervisor",
                    "ptrace_sibling", "read_memory_sibling", "signal_sibling", "exec", "fork", "truncate_scoreboard"] {
            #expect((json[key] as? Int ?? 0) != 0, "\(key) worked from inside a responder: \(json)")
        }
        #expect(json["exec"] as? Int == Int(EPERM), "execve was not refused by the filter: \(json)")
        if getuid() == 0 {
            #expect((json["uid"] as? Int ?? 0) != 0, "a pool started as root must not answer as root")
        }
        // Landlock leaves the private temp directory writable; without it, no file may be written at all.
        if (json["landlock_abi"] as? Int ?? 0) > 0 {
            #expect(json["write_temp"] as? Int == 0, "\(json)")
        } else {
            #expect((json["write_temp"] as? Int ?? 0) != 0, "\(json)")
        }
        #expect(isRunning(stack.poolPID), "the supervisor is gone")
        #expect(stack.responderPIDs.sorted() == before.sorted(), "a responder died or was replaced")
        #expect(try await stack.get("/status").json["crashes"] as? Int == 0)
        #expect(try await stack.post("/images/fit/40", file: Data(contentsOf: Manifest.testImagesDirectory
            .appendingPathComponent("plain.png"))).status == 200)
    }

    /// Each responder serves under the allow-list, with no_new_privs, and cannot be traced.
    @Test func respondersRunUnderTheFilter_notDumpable() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        _ = try await stack.get("/ping")
        for pid in stack.responderPIDs {
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            #expect(status.contains("NoNewPrivs:\t1") && status.contains("Seccomp:\t2"), "\(pid): \(status)")
            // Two filters: the start-up one (sockets) and the allow-list installed before the first accept.
            #expect(status.contains("Seccomp_filters:\t2"), "\(pid)")
            // The kernel hands a non-dumpable process's /proc entries to root.
            let owner = try FileManager.default.attributesOfItem(atPath: "/proc/\(pid)/mem")[.ownerAccountID] as? Int
            let uid = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(separator: "\t").dropFirst().first
            if let uid, uid != "0" { #expect(owner == 0, "responder \(pid) is dumpable") }
            // The scoreboard it was handed (descriptor 3) is sealed against shrinking and growing.
            let scoreboard = open("/proc/\(pid)/fd/3", O_RDONLY)
            #expect(scoreboard >= 0)
            if scoreboard >= 0 {
                let seals = fcntl(scoreboard, 1034 /* F_GET_SEALS */)
                close(scoreboard)
                #expect(seals == 0x7, "seals \(seals): want F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW")
            }
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
        // The replacement may still be starting libvips on a saturated machine, past nginx's 2-s read timeout.
        #expect(await eventually(within: 20, every: 0.5) { (try? await stack.get("/ping").status) == 200 })
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

/// The systemd unit's way: a pool that is not root, holding only CAP_SETUID, CAP_SETGID and
/// CAP_KILL, still runs its responders as a user of their own, with no capability left.
@Suite struct SeparateIdentityTests {
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func poolWithCapabilities_runsRespondersAsAnotherUser_andStillSignalsThem() async throws {
        let directory = try TemporaryDirectory(prefix: "rw-identity")
        chmod(directory.url.path, 0o777)
        // The pool starts as nobody, who may not pass through the checkout's parents (a clone
        // in a `mktemp -d` directory is 0700): it runs a copy of the binary in a directory of its
        // own, and its output goes to a log printed when the test fails.
        let home = try TemporaryDirectory(prefix: "rw-identity-home")
        chmod(home.url.path, 0o755)
        let binary = home.url.appendingPathComponent("remote-worker")
        try FileManager.default.copyItem(at: WorkerStack.binary, to: binary)
        chmod(binary.path, 0o755)
        let logURL = home.url.appendingPathComponent("pool.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        func logTail() -> String {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            return "pool log:\n" + text.split(separator: "\n").suffix(20).joined(separator: "\n")
        }
        let port = WorkerStack.freePort()
        let pool = Process()
        pool.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        pool.arguments = ["--reuid", "nobody", "--regid", "nogroup", "--clear-groups",
                          "--inh-caps", "+setuid,+setgid,+kill", "--ambient-caps", "+setuid,+setgid,+kill",
                          "--bounding-set", "-all,+setuid,+setgid,+kill",
                          binary.path, "serve", "--listen", "127.0.0.1:\(port)", "--responders", "2",
                          "--user", "daemon"]
        pool.environment = ["TMPDIR": directory.url.path, "PATH": "/usr/bin:/bin"]
        pool.standardOutput = log
        pool.standardError = log
        try pool.run()
        defer { if pool.isRunning { kill(pool.processIdentifier, SIGKILL) } }
        let supervisor = pool.processIdentifier
        func responders() -> [Int32] {
            let text = (try? String(contentsOfFile: "/proc/\(supervisor)/task/\(supervisor)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }
        func field(_ name: String, of pid: Int32) -> String {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) } ?? ""
        }
        // Generous: a pool starts in well under a second, unless the machine is saturated.
        try #require(await eventually(within: 30) {
            (try? await SlowAndSilentPeerTests.answerIfListening(["get", "127.0.0.1", "\(port)", "/ping"]))??.status == 200
        }, "the pool as nobody never answered /ping; \(logTail())")
        // /ping is answered by the first responder ready; the other may still be starting (it
        // switches user before it reads anything): wait until both are past that point.
        _ = await eventually(within: 30) {
            let now = responders()
            return now.count == 2 && now.allSatisfy { field("Uid", of: $0) != field("Uid", of: supervisor) }
        }
        let first = responders()
        #expect(first.count == 2, "\(logTail())")
        #expect(field("Uid", of: supervisor).hasPrefix("65534"), "supervisor: \(field("Uid", of: supervisor))")
        for pid in first {
            #expect(field("Uid", of: pid) == "1\t1\t1\t1", "responder \(pid) runs as \(field("Uid", of: pid))")
            #expect(field("CapEff", of: pid) == "0000000000000000" && field("CapPrm", of: pid) == "0000000000000000")
            #expect(field("CapAmb", of: pid) == "0000000000000000")
        }
        // Across users, the supervisor can still replace its responders (reload) and stop them.
        kill(supervisor, SIGHUP)
        #expect(await eventually(within: 30) { let now = responders(); return now.count == 2 && Set(now).isDisjoint(with: first) })
        kill(supervisor, SIGTERM)
        #expect(await eventually(within: 15) { !pool.isRunning }, "the pool did not stop; \(logTail())")
        #expect(pool.terminationStatus == 0, "\(logTail())")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(left.isEmpty, "left behind: \(left)")
    }
}

/// A responder that lies on the scoreboard to dodge the deadline is caught by what the
/// supervisor sees for itself.
@Suite(.serialized) struct ScoreboardLieTests {
    @Test func spinningWhileReportingIdle_isKilled() async throws {
        // Deadline 3 s; two threads' worth of CPU budget: 6 s.
        let stack = try await WorkerStack.start(flags: ["--responders", "2", "--time-limit", "1"], nginxReadTimeout: "2s")
        defer { stack.stop() }
        _ = try? await stack.get("/debug/lie/spin", timeout: 1)
        // 6 s of CPU, however long a busy machine takes to give it that.
        #expect(await eventually(within: 100, every: 0.5) {
            (try? await stack.get("/status").json["deadline_kills"] as? Int) == 1
        }, "a responder burning CPU while it reported idle was not killed")
        #expect(stack.poolLog.contains("without finishing a request"))
    }

    @Test func stallingWhileReportingIdle_isKilled_andTheWaitingRequestServed() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"])
        defer { stack.stop() }
        _ = try? await stack.get("/debug/lie/stall", timeout: 1)
        // The only responder says it is idle but takes nothing: this request waits in the queue.
        let waiting = try await stack.get("/ping", timeout: 20)
        #expect(waiting.status == 200, "\(waiting.status) \(waiting.text)")
        #expect(stack.poolLog.contains("said it was idle while"))
    }
}
