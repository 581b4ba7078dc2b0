import Foundation
import Testing

/// Limits, time-outs and faults, each on a pool configured for it.
@Suite(.serialized) struct LimitsAndFaultsTests {
    @Test func framesOverTheLimit_areTooManyFrames() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--max-frames", "2"])
        defer { stack.stop() }
        let gif = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("animated-3-frames.gif"))
        for path in ["/images/info", "/images/fit/100", "/images/rescale_avatar"] {
            let response = try await stack.post(path, file: gif)
            #expect(response.status == 422)
            #expect(response.json["code"] as? String == "too_many_frames")
        }
    }

    @Test func animationOutputPastTheLimit_isOutputTooLarge() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--max-output-bytes", "4096"])
        defer { stack.stop() }
        let gif = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("animated-3-frames.gif"))
        for path in ["/images/rescale_avatar?animated=1", "/images/fit/200?animated=1"] {
            let response = try await stack.post(path, file: gif)
            #expect(response.status == 422, "\(path): \(response.text.prefix(200))")
            #expect(response.json["code"] as? String == "output_too_large")
        }
        // A still output is not an animation's: the limit does not apply to it.
        #expect(try await stack.post("/images/fit/50", file: gif).status == 200)
    }

    @Test func crashingRequest_getsJSON500_alone_whileOthersSucceed() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        async let crash = stack.get("/debug/crash/abort")
        let good = try await stack.load("/images/fit/50", file: png, clients: 12, requestsEach: 1)
        let crashed = try await crash
        #expect(crashed.status == 500 && crashed.json["code"] as? String == "internal", "\(crashed.status) \(crashed.text)")
        #expect(good.allSatisfy { $0 == 200 }, "\(good)")
        #expect(try await stack.get("/ping").status == 200)
    }

    /// Whatever the way a responder dies of its request, the request gets the JSON 500 its
    /// responder left behind, the log one line naming it, and the pool one crash more.
    @Test func everyKindOfCrash_answers500_logsOneLine_andCountsOneCrash() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"])
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        let kinds = ["abort", "segv", "trap", "overflow"]
        for (index, kind) in kinds.enumerated() {
            let response = try await stack.post("/debug/crash/\(kind)", file: png)
            #expect(response.status == 500, "\(kind): \(response.status) \(response.text)")
            #expect(response.json["code"] as? String == "internal", "\(kind)")
            let crashes = try await stack.get("/status").json["crashes"] as? Int
            #expect(crashes == index + 1, "\(kind): crashes \(String(describing: crashes))")
        }
        let log = stack.poolLog
        let lines = log.split(separator: "\n").filter { $0.contains("responder crashed while serving a request") }
        #expect(lines.count == kinds.count, "\(lines)")
        for (line, signal) in zip(lines, ["SIGABRT", "SIGSEGV", "SIGILL", "SIGSEGV"]) {
            #expect(line.contains("signal=\(signal)") && line.contains("input_type=image/png")
                    && line.contains("endpoint=POST /debug/crash/") && line.contains("bytes_in="), "\(line)")
            #expect(!line.contains("request_id=-"), "\(line)")
        }
        // No symbolicated backtrace: seconds of CPU while the request waited.
        #expect(!log.contains("Thread 0 crashed"), "a backtrace was printed")
    }

    /// A responder killed from outside (the operator, the OOM killer) wrote nothing: 503 `overloaded`.
    @Test func responderKilledFromOutsideMidRequest_gives503() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        // Long enough to be still asleep when a busy machine's /status answer arrives and the
        // kill is sent (a 3 s sleep could end first, and answer 200); the kill ends it at once.
        async let slow = stack.get("/debug/sleep/20000")
        var busy: [Int32] = []
        _ = try await eventually(within: 5) {
            busy = try await stack.busyResponders(endpoint: "debug")
            return busy.count == 1
        }
        let responder = try #require(busy.first)
        kill(responder, SIGSEGV)
        let response = try await slow
        #expect(response.status == 503 && response.json["code"] as? String == "overloaded", "\(response.status) \(response.text)")
    }

    @Test func poolDown_givesJSONOverloaded_andNoResponderOutlivesItsSupervisor() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "2"])
        defer { stack.stop() }
        let responders = stack.responderPIDs
        kill(stack.poolPID, SIGKILL)
        // Responders notice their supervisor's death and stop on their own.
        var survivors = responders
        _ = await eventually(within: 5) {
            survivors = survivors.filter(isRunning)
            return survivors.isEmpty
        }
        #expect(survivors.isEmpty, "orphaned responders: \(survivors)")
        let response = try await stack.get("/ping")
        #expect(response.status == 503)
        #expect(response.json["code"] as? String == "overloaded")
        #expect(response.headers["retry-after"] == "1")
    }

    @Test func responderThatCannotStart_stopsThePool() async throws {
        // libmagic reads its database from $MAGIC: a missing one makes every responder fail to boot.
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("rw-boot-\(getpid()).sock").path
        let process = Process()
        process.executableURL = WorkerStack.binary
        process.arguments = ["serve", "--listen", socket, "--responders", "2"]
        process.environment = ProcessInfo.processInfo.environment.merging(["MAGIC": "/nonexistent/magic.mgc"]) { $1 }
        let log = try ProcessLog("boot-failure")
        log.attach(to: process)
        let started = Date()
        // A supervisor that kept respawning would never exit: stop it after 10 s.
        let watchdog = Task {
            try await Task.sleep(nanoseconds: 10_000_000_000)
            process.terminate()
        }
        let status = try await ChildProcess.terminationStatus(of: process)
        watchdog.cancel()
        #expect(status != 0)
        #expect(process.terminationReason == .exit, "the supervisor kept respawning until it was stopped; \(log.tail())")
        #expect(Date().timeIntervalSince(started) < 10, "the supervisor kept respawning; \(log.tail())")
    }
}
