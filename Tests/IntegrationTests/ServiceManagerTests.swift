import Foundation
import Testing

/// What systemd sees: readiness, reload and stop notifications, and a socket it binds itself.
@Suite(.serialized) struct ServiceManagerTests {
    @Test func notifiesReady_reloading_andStopping() async throws {
        let listener = try NotifyListener()
        let socketPath = FileManager.default.temporaryDirectory.appendingPathComponent("rw-notify-\(getpid()).sock").path
        let process = Process()
        process.executableURL = WorkerStack.binary
        process.arguments = ["serve", "--listen", socketPath, "--responders", "2"]
        process.environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": listener.path]) { $1 }
        let log = try ProcessLog("notify")
        log.attach(to: process)
        let exit = Task { try await ChildProcess.terminationStatus(of: process) }
        defer { if process.isRunning { process.terminate() } }

        let ready = await listener.receive(timeout: 30)
        #expect(ready?.contains("READY=1") == true, "\(ready ?? "nothing"); \(log.tail())")
        kill(process.processIdentifier, SIGHUP)
        #expect(await listener.receive(timeout: 5)?.contains("RELOADING=1") == true)
        #expect(await listener.receive(timeout: 30)?.contains("READY=1") == true, "no READY after the reload; \(log.tail())")
        kill(process.processIdentifier, SIGTERM)
        #expect(await listener.receive(timeout: 5)?.contains("STOPPING=1") == true)
        #expect(try await exit.value == 0, "\(log.tail())")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate")))
    func socketPassedBySystemd_isServed() async throws {
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: ["SOCKET_ACTIVATE": "1"])
        defer { stack.stop() }
        #expect(try await stack.get("/ping").status == 200)
        #expect(stack.poolLog.contains("socket from systemd"))
    }
}

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
private final class NotifyListener {
    let path: String
    private let descriptor: Int32

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rw-notify-listener-\(getpid()).sock").path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next message, or nil after `timeout` seconds.
    func receive(timeout: Double) async -> String? {
        var message: String?
        _ = await eventually(within: timeout, every: 0.02) {
            message = receiveNow()
            return message != nil
        }
        return message
    }

    private func receiveNow() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }
}

/// The shipped unit, as systemd rates it.
@Suite struct UnitSecurityTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func shippedUnit_ratesTwoOrBetter() async throws {
        let script = WorkerStack.repositoryRoot.appendingPathComponent("scripts/check-deploy.sh").path
        let result = try await ChildProcess.run("/bin/bash", [script, WorkerStack.binary.path])
        #expect(result.status == 0, "\(result.text) \(String(decoding: result.errors, as: UTF8.self).suffix(800))")
        #expect(result.text.contains("exposure"), "\(result.text)")
    }
}
