import Foundation

/// Origins that misbehave (scripts/hostile-origin.py): a drip, a slow redirect chain, a page
/// that sends the worker back to the forum's /links/preview, HTML without a Content-Type, a
/// Location too long to keep. On 127.0.0.3:`port` (and 127.0.0.4:`port`, a second site).
final class HostileOrigin: @unchecked Sendable {
    struct Visit: Sendable {
        let path: String
        let host: String
        let via: String?
        let seconds: Double
        let aborted: Bool
    }

    let port: Int
    let directory: TemporaryDirectory
    private let process = Process()
    let log: ProcessLog

    static let address = "127.0.0.3"
    static let secondAddress = "127.0.0.4"

    static func start() async throws -> HostileOrigin {
        let origin = try HostileOrigin()
        guard await eventually(within: 20, { FileManager.default.fileExists(atPath: origin.visitsFile.path) }) else {
            origin.stop()
            throw StackFailure.didNotStart(runDirectory: origin.directory.url.path, reason: "the hostile origin", logs: origin.log.tail())
        }
        return origin
    }

    private init() throws {
        directory = try TemporaryDirectory(prefix: "rw-hostile")
        port = TestPorts.free()
        log = try ProcessLog("hostile-origin")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [WorkerStack.repositoryRoot.appendingPathComponent("scripts/hostile-origin.py").path,
                             visitsFile.path, forumPortFile.path, "\(Self.address):\(port)", "\(Self.secondAddress):\(port)"]
        log.attach(to: process)
        try process.run()
    }

    var visitsFile: URL { directory.url.appendingPathComponent("visits.log") }
    var forumPortFile: URL { directory.url.appendingPathComponent("forum-port") }

    /// Plays the forum's public site for `stack`: its /links/preview goes to the stack's nginx.
    func front(_ stack: WorkerStack) throws {
        try Data(String(stack.port).utf8).write(to: forumPortFile)
    }

    func link(_ path: String, second: Bool = false) -> String {
        "http://\(second ? Self.secondAddress : Self.address):\(port)\(path)"
    }

    /// The environment that lets a stack preview this origin (its two addresses only).
    var allowingEnvironment: [String: String] {
        ["RW_PREVIEW_ALLOW": "\(Self.address),\(Self.secondAddress)", "RW_PREVIEW_PORTS": "80,443,\(port)"]
    }

    /// Every request that has ended, in the order they ended.
    var visits: [Visit] {
        let text = (try? String(contentsOf: visitsFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            return Visit(path: object["path"] as? String ?? "", host: object["host"] as? String ?? "",
                         via: object["via"] as? String, seconds: object["seconds"] as? Double ?? 0,
                         aborted: object["aborted"] as? Bool ?? false)
        }
    }

    func visits(to prefix: String) -> [Visit] { visits.filter { $0.path.hasPrefix(prefix) } }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
