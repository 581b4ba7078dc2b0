import Foundation

/// The fixture origin of link previews (scripts/preview-origin.py): nginx on
/// 127.0.0.2:`port` (http) and `port`+1 (https, a certificate nobody trusts), and the
/// same pages on 127.0.0.1:`port`, whose log proves nothing reached loopback.
final class PreviewOrigin: @unchecked Sendable {
    let port: Int
    let directory: TemporaryDirectory

    static func start() async throws -> PreviewOrigin {
        let directory = try TemporaryDirectory(prefix: "rw-origin")
        // Two free ports in a row: http, then https.
        var port = 0
        for _ in 0..<20 {
            port = WorkerStack.freePort()
            if port < 65535 && canBind(port + 1) { break }
        }
        // Lives until this process lets go of the pipe (or ends): then the origin's nginx is stopped.
        let script = WorkerStack.repositoryRoot.appendingPathComponent("scripts/preview-origin.py").path
        let pidFile = directory.url.appendingPathComponent("origin/nginx.pid").path
        let keeper = Process()
        keeper.executableURL = URL(fileURLWithPath: "/bin/bash")
        // The pid is read at once: the directory (and the pid file) may be gone when the pipe closes.
        keeper.arguments = ["-c", "python3 '\(script)' '\(directory.url.path)' \(port) || exit 1; pid=$(cat '\(pidFile)'); cat > /dev/null; kill $pid"]
        let lifeline = Pipe()
        keeper.standardInput = lifeline
        keeper.standardOutput = FileHandle.nullDevice
        keeper.standardError = FileHandle.nullDevice
        try keeper.run()
        let started = await eventually(within: 20, every: 0.1) { FileManager.default.fileExists(atPath: pidFile) }
        guard started else { throw StackFailure.didNotStart(runDirectory: directory.url.path, reason: "the fixture origin", logs: "") }
        return PreviewOrigin(port: port, directory: directory, lifeline: lifeline)
    }

    private let lifeline: Pipe

    private init(port: Int, directory: TemporaryDirectory, lifeline: Pipe) {
        self.port = port
        self.directory = directory
        self.lifeline = lifeline
    }

    /// An http link to `path` on the origin.
    func link(_ path: String) -> String { "http://127.0.0.2:\(port)\(path)" }

    /// The environment a stack needs to preview this origin: the test-only allow list and its ports.
    var allowingEnvironment: [String: String] {
        ["RW_PREVIEW_ALLOW": "127.0.0.2", "RW_PREVIEW_PORTS": "80,443,\(port),\(port + 1)"]
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

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.2")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
