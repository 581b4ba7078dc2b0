import Foundation

/// The fixture origin of link previews (scripts/preview-origin.py): nginx on
/// 127.0.0.2:`port` (http) and `port`+1 (https, a certificate nobody trusts), and the
/// same pages on 127.0.0.1:`port`, whose log proves nothing reached loopback.
final class PreviewOrigin: @unchecked Sendable {
    let port: Int
    /// A port no test server ever binds: connections to it are refused.
    let closedPort: Int
    let directory: TemporaryDirectory

    static func start() async throws -> PreviewOrigin {
        let directory = try TemporaryDirectory(prefix: "rw-origin")
        // Two free ports in a row: http, then https.
        let port = TestPorts.freePair()
        let closedPort = TestPorts.free()
        // Lives until this process lets go of the pipe (or ends): then the origin's nginx is stopped.
        let script = WorkerStack.repositoryRoot.appendingPathComponent("scripts/preview-origin.py").path
        let pidFile = directory.url.appendingPathComponent("origin/nginx.pid").path
        let keeper = Process()
        keeper.executableURL = URL(fileURLWithPath: "/bin/bash")
        // The pid is read as soon as nginx's daemon has written it: the directory (and the pid
        // file) may be gone when the pipe closes.
        keeper.arguments = ["-c", "python3 '\(script)' '\(directory.url.path)' \(port) || exit 1; "
            + "for _ in $(seq 400); do [ -s '\(pidFile)' ] && break; sleep 0.05; done; pid=$(cat '\(pidFile)'); cat > /dev/null; kill $pid"]
        let lifeline = Pipe()
        keeper.standardInput = lifeline
        let log = try ProcessLog("origin")
        log.attach(to: keeper)
        try keeper.run()
        // The keeper ends at once if the origin could not start: no point waiting then.
        _ = await eventually(within: 60, every: 0.1) { FileManager.default.fileExists(atPath: pidFile) || !keeper.isRunning }
        guard FileManager.default.fileExists(atPath: pidFile) else { throw StackFailure.didNotStart(runDirectory: directory.url.path, reason: "the fixture origin", logs: log.tail()) }
        return PreviewOrigin(port: port, closedPort: closedPort, directory: directory, lifeline: lifeline, log: log)
    }

    private let lifeline: Pipe
    /// What the origin's starter printed, for a failure message.
    let log: ProcessLog

    private init(port: Int, closedPort: Int, directory: TemporaryDirectory, lifeline: Pipe, log: ProcessLog) {
        self.log = log
        self.port = port
        self.closedPort = closedPort
        self.directory = directory
        self.lifeline = lifeline
    }

    /// An http link to `path` on the origin.
    func link(_ path: String) -> String { "http://127.0.0.2:\(port)\(path)" }

    /// The environment a stack needs to preview this origin: the test-only allow list and its ports.
    var allowingEnvironment: [String: String] {
        ["RW_PREVIEW_ALLOW": "127.0.0.2", "RW_PREVIEW_PORTS": "80,443,\(port),\(port + 1),\(closedPort)"]
    }

    /// Requests the origin's loopback side (127.0.0.1) has seen: none, ever, is the point.
    var loopbackRequests: [String] { lines("loopback.log") }
    /// Requests its 127.0.0.2 side has seen.
    var requests: [String] { lines("access.log") }

    private func lines(_ name: String) -> [String] {
        let text = (try? String(contentsOf: directory.url.appendingPathComponent("origin/\(name)"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    func stop() {
        try? lifeline.fileHandleForWriting.close()
    }
}
