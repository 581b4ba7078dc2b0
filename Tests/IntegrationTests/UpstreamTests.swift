import Foundation
import Testing

/// Two pools on two addresses behind one nginx upstream, as two worker hosts would be.
@Suite(.serialized) struct UpstreamTests {
    @Test func onePoolStoppingMidLoad_costsNoRequest_andComesBackIntoUse() async throws {
        let port = WorkerStack.freePort()
        let addresses = ["127.0.0.2:\(port)", "127.0.0.3:\(port)"]
        let stack = try await WorkerStack.start(flags: ["--responders", "2", "--allowed-clients", "127.0.0.1"],
                                      poolAddresses: addresses)
        defer { stack.stop() }
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))

        async let statuses = stack.load("/images/fit/64", file: png, clients: 4, requestsEach: 30)
        // The second host goes away mid-load, as a host being restarted does: once it has taken requests.
        let secondLog = stack.runDirectory.appendingPathComponent("logs/pool-2.log")
        for _ in 0..<200 {
            let served = ((try? String(contentsOf: secondLog, encoding: .utf8)) ?? "").components(separatedBy: "POST /images/fit/64").count - 1
            if served >= 3 { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let second = stack.poolPID(2)
        kill(second, SIGTERM)
        let results = try await statuses
        #expect(results.count == 120)
        #expect(results.allSatisfy { $0 == 200 }, "failed while a host stopped: \(results.filter { $0 != 200 })")
        #expect(await eventually(within: 15) { !isRunning(second) }, "the stopped host is still running")

        // Back again: nginx sends it work once fail_timeout (2 s) has passed.
        let restarted = Process()
        restarted.executableURL = WorkerStack.binary
        restarted.arguments = ["serve", "--listen", addresses[1], "--responders", "1", "--allowed-clients", "127.0.0.1"]
        let log = stack.runDirectory.appendingPathComponent("logs/pool-2-again.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        restarted.standardOutput = output
        restarted.standardError = output
        try restarted.run()
        defer { restarted.terminate() }
        func logged(_ text: String) -> Bool { (try? String(contentsOf: log, encoding: .utf8))?.contains(text) == true }
        #expect(await eventually(within: 30) { logged("pool ready") }, "the restarted host did not start")
        // A responder logs a request just after answering it.
        var served = false
        let deadline = Date().addingTimeInterval(20)
        repeat {
            #expect(try await stack.post("/images/fit/64", file: png).status == 200)
            served = await eventually(within: 0.3) { logged("POST /images/fit/64") }
        } while !served && Date() < deadline
        #expect(served, "the restarted host took no request")
    }

    @Test func poolRefusesAddressesNotAllowed() async throws {
        let port = WorkerStack.freePort()
        let stack = try await WorkerStack.start(flags: ["--responders", "1", "--allowed-clients", "127.0.0.9"],
                                      poolAddresses: ["127.0.0.2:\(port)"], servesPing: false)
        defer { stack.stop() }
        let response = try await stack.get("/ping")
        #expect(response.status == 503, "nginx at 127.0.0.1 was let in")
        #expect(response.json["code"] as? String == "overloaded")
    }
}
