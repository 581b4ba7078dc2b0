import Foundation

/// The real thing, as the forum sees it: nginx on a free loopback port in front
/// of a FastCGI pool, both started from this checkout, in a temporary directory.
///
/// A stack lives until `stop()` or until the test process ends, whichever comes first:
/// its start script holds the read end of a pipe whose write end only this process has.
final class WorkerStack: @unchecked Sendable {
    let port: Int
    let runDirectory: URL
    let baseURL: URL
    /// How many pools the stack runs (one per address of a multi-host stack).
    let poolCount: Int
    private let gate: RequestGate
    private let lifeline: Pipe

    /// The stack most tests share: two responders, as a small host would run.
    static var shared: WorkerStack {
        get async throws { try await standard.value }
    }

    private static let standard = Task {
        // Two responders, two queued: as much as two cores serve without queueing inside nginx.
        try await WorkerStack.start(flags: ["--responders", "2", "--max-body-bytes", "\(6 * 1024 * 1024)"],
                                    concurrentRequests: 4)
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL {
        if let dir = ProcessInfo.processInfo.environment["RW_BIN_DIR"] {
            return URL(fileURLWithPath: dir).appendingPathComponent("remote-worker")
        }
        return repositoryRoot.appendingPathComponent(".build/debug/remote-worker")
    }

    private init(port: Int, runDirectory: URL, poolCount: Int, concurrentRequests: Int, lifeline: Pipe) {
        self.port = port
        self.runDirectory = runDirectory
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
        self.poolCount = poolCount
        self.gate = RequestGate(capacity: concurrentRequests)
        self.lifeline = lifeline
    }

    /// Starts a stack and returns once it serves.
    /// - Parameters:
    ///   - flags: extra `remote-worker serve` flags.
    ///   - nginxReadTimeout: shortens nginx's wait for a response (e.g. "2s").
    ///   - poolAddresses: one pool per TCP address behind one nginx upstream, instead of one on a Unix socket.
    ///   - servesPing: false for a pool meant to refuse nginx: nginx answering and the pool ready are enough.
    ///   - concurrentRequests: requests in flight at once through `get`, `post` and `load`.
    static func start(flags: [String], nginxReadTimeout: String? = nil, environment: [String: String] = [:],
                      poolAddresses: [String] = [], servesPing: Bool = true,
                      concurrentRequests: Int = 6) async throws -> WorkerStack {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("rw-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let port = freePort()
        var extra = environment
        if !poolAddresses.isEmpty { extra["POOL_ADDRESSES"] = poolAddresses.joined(separator: " ") }
        if let nginxReadTimeout { extra["NGINX_READ_TIMEOUT"] = nginxReadTimeout }

        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [repositoryRoot.appendingPathComponent("scripts/test-stack.sh").path,
                            binary.path, run.path, String(port)] + flags
        script.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let lifeline = Pipe()
        script.standardInput = lifeline
        // The stack must not hold the test runner's output open, or the runner waits for it forever.
        script.standardOutput = FileHandle.nullDevice
        script.standardError = FileHandle.nullDevice
        try script.run()

        let stack = WorkerStack(port: port, runDirectory: run, poolCount: max(1, poolAddresses.count),
                                concurrentRequests: concurrentRequests, lifeline: lifeline)
        try await stack.waitUntilReady(servesPing: servesPing)
        return stack
    }

    /// Stops nginx and the pools and removes the run directory, in the background.
    func stop() {
        try? lifeline.fileHandleForWriting.close()
    }

    private func waitUntilReady(servesPing: Bool) async throws {
        var poolsExited = false
        // Generous: at the suite's start a dozen stacks boot at once on two cores.
        let ready = await eventually(within: 60, every: 0.2) {
            // A pool that could not start stops; waiting longer would only hide why.
            poolsExited = (1...poolCount).contains { index in
                let pid = poolPID(index)
                return pid > 0 && !isRunning(pid)
            }
            if poolsExited { return true }
            guard let ping = try? await HTTPExchange(url: url("/ping"), timeout: 2).run() else { return false }
            // A socket-activated pool starts on the first connection, so its log says nothing before.
            return servesPing ? ping.status == 200 : ping.status != 0 && poolLog.contains("pool ready")
        }
        guard ready && !poolsExited else {
            let logs = logTails()
            stop()
            throw StackFailure.didNotStart(runDirectory: runDirectory.path,
                                           reason: poolsExited ? "a pool exited" : "nothing served within 60 s", logs: logs)
        }
    }

    // MARK: Processes and logs

    /// The supervisor's pid, written by the stack script.
    var poolPID: Int32 { poolPID(1) }

    /// The supervisor of the `index`th pool (1-based) of a stack with several addresses.
    func poolPID(_ index: Int) -> Int32 {
        let name = index == 1 ? "pool.pid" : "pool-\(index).pid"
        return Int32(String(decoding: FileManager.default.contents(atPath: runDirectory.appendingPathComponent(name).path) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The responders' pids: the supervisor's children.
    var responderPIDs: [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(poolPID)/task/\(poolPID)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0) }
    }

    /// Responders busy with a request to the endpoint labelled `endpoint` now, as `/status`
    /// tells (another responder answers it).
    func busyResponders(endpoint: String) async throws -> [Int32] {
        let processes = try await get("/status").json["processes"] as? [[String: Any]] ?? []
        return processes.filter { $0["state"] as? String == "busy" && $0["endpoint"] as? String == endpoint }
            .compactMap { ($0["pid"] as? Int).map(Int32.init) }
    }

    /// The supervisor's log so far.
    var poolLog: String { poolLog(1) }

    /// The link-preview pool's log so far.
    var previewLog: String {
        (try? String(contentsOf: runDirectory.appendingPathComponent("logs/preview.log"), encoding: .utf8)) ?? ""
    }

    /// The link fetchers' pids: the preview supervisor's children.
    var previewResponderPIDs: [Int32] {
        let text = (try? String(contentsOf: runDirectory.appendingPathComponent("preview.pid"), encoding: .utf8)) ?? ""
        guard let supervisor = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return [] }
        let children = (try? String(contentsOfFile: "/proc/\(supervisor)/task/\(supervisor)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }
    }

    func poolLog(_ index: Int) -> String {
        let name = index == 1 ? "logs/pool.log" : "logs/pool-\(index).log"
        return (try? String(contentsOf: runDirectory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// The last lines of every log the stack writes, for a failure message.
    func logTails(lines: Int = 15) -> String {
        let logs = runDirectory.appendingPathComponent("logs")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? []).sorted()
        var text = ""
        for url in names.map({ logs.appendingPathComponent($0) }) + [runDirectory.appendingPathComponent("nginx-error.log")] {
            guard let content = try? String(contentsOf: url, encoding: .utf8), !content.isEmpty else { continue }
            let tail = content.split(separator: "\n").suffix(lines).joined(separator: "\n")
            text += "\n--- \(url.lastPathComponent) (last \(lines) lines)\n\(tail)"
        }
        return text
    }

    /// Polls the responder pids until `condition` holds or `seconds` pass; returns the last seen.
    func waitForResponders(seconds: Double = 8, until condition: ([Int32]) -> Bool) async -> [Int32] {
        var pids = responderPIDs
        _ = await eventually(within: seconds, every: 0.05) {
            pids = responderPIDs
            return condition(pids)
        }
        return pids
    }

    static func freePort() -> Int { TestPorts.free() }

    // MARK: HTTP

    typealias HTTPResponse = HTTPExchange.Response

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path.hasPrefix("/") ? path : "/" + path)" }

    func get(_ path: String, headers: [String: String] = [:], timeout: Double = 45) async throws -> HTTPResponse {
        try await send(HTTPExchange(url: url(path), headers: headers, timeout: timeout), label: "GET \(path)")
    }

    /// POSTs `file` as the multipart field `file`, as the forum does.
    func post(_ path: String, file: Data, field: String = "file", filename: String = "upload.bin",
              headers: [String: String] = [:]) async throws -> HTTPResponse {
        let boundary = "----remote-worker-test-\(UUID().uuidString)"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n".utf8))
        body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await send(
            HTTPExchange(method: "POST", url: url(path),
                         headers: headers.merging(["Content-Type": "multipart/form-data; boundary=\(boundary)"]) { $1 }, body: body),
            label: "POST \(path) with \(filename) (\(file.count) bytes)")
    }

    func post(_ path: String, body: Data, contentType: String?) async throws -> HTTPResponse {
        try await send(HTTPExchange(method: "POST", url: url(path), headers: contentType.map { ["Content-Type": $0] } ?? [:],
                                    body: body),
                       label: "POST \(path) (\(body.count) bytes, \(contentType ?? "no content type"))")
    }

    /// A GET from a chosen local source address, outside the request gate.
    func curl(_ path: String, from source: String) async throws -> HTTPResponse {
        try await HTTPExchange(url: url(path), source: source).run()
    }

    /// GETs `paths` all at once, outside the request gate: for tests that mean to overfill the pool.
    /// curl measures each latency itself, so a busy test process cannot stretch the figures.
    func timedGets(_ paths: [String]) async throws -> [HTTPResponse] {
        try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
            for (index, path) in paths.enumerated() {
                group.addTask { (index, try await HTTPExchange(url: self.url(path)).run()) }
            }
            var responses = [(Int, HTTPResponse)]()
            for try await response in group { responses.append(response) }
            return responses.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// `clients` concurrent clients, each POSTing `file` to `path` `requestsEach` times
    /// one after another; returns every status.
    func load(_ path: String, file: Data, clients: Int, requestsEach: Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var seen: [Int] = []
                    for _ in 0..<requestsEach { seen.append(try await self.post(path, file: file).status) }
                    return seen
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    /// Runs one exchange once the gate admits it; a failure says what was asked, how long
    /// it waited and what the pool was doing at that moment.
    private func send(_ exchange: HTTPExchange, label: String) async throws -> HTTPResponse {
        let queued = Date()
        return try await gate.admit {
            let admitted = Date()
            do {
                return try await exchange.run()
            } catch let failure as HTTPExchange.Failure {
                throw StackFailure.request(
                    label, failure: failure, queuedSeconds: admitted.timeIntervalSince(queued),
                    poolStatus: await self.statusSnapshot(), logs: self.logTails(lines: 8))
            }
        }
    }

    /// `/status` as the operator sees it, or why it could not be had.
    private func statusSnapshot() async -> String {
        do {
            return try await HTTPExchange(url: url("/status"), timeout: 5).run().text
        } catch {
            return "unavailable (\(error))"
        }
    }
}

/// What went wrong with a stack, said so that the failure explains itself.
enum StackFailure: Error, CustomStringConvertible {
    case didNotStart(runDirectory: String, reason: String, logs: String)
    case request(String, failure: HTTPExchange.Failure, queuedSeconds: Double, poolStatus: String, logs: String)

    var description: String {
        switch self {
        case let .didNotStart(runDirectory, reason, logs):
            return "the worker stack in \(runDirectory) did not start: \(reason)\(logs)"
        case let .request(label, failure, queued, status, logs):
            let what: String
            switch failure {
            case .timedOut(let seconds): what = "no answer after \(String(format: "%.1f", seconds)) s"
            case let .curl(code, message): what = "curl failed with exit code \(code): \(message)"
            }
            return "\(label): \(what) (it had queued \(String(format: "%.1f", queued)) s behind other tests' requests);"
                + " pool status: \(status)\(logs)"
        }
    }
}

/// Whether `pid` is a process that has not exited (a zombie has).
func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return !status.contains("State:\tZ")
}
