import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real thing, as the forum sees it: nginx on a free loopback port in front
/// of a FastCGI pool, both started from this checkout, in a temporary directory.
final class WorkerStack: @unchecked Sendable {
    let port: Int
    let runDirectory: URL
    let baseURL: URL

    /// One stack per configuration, shared by every test that asks for it.
    static let shared = WorkerStack.start(flags: ["--responders", "2", "--max-body-bytes", "\(6 * 1024 * 1024)"])

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binary: URL {
        if let dir = ProcessInfo.processInfo.environment["RW_BIN_DIR"] {
            return URL(fileURLWithPath: dir).appendingPathComponent("remote-worker")
        }
        return repositoryRoot.appendingPathComponent(".build/debug/remote-worker")
    }

    private init(port: Int, runDirectory: URL) {
        self.port = port
        self.runDirectory = runDirectory
        self.baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    /// - Parameters:
    ///   - flags: extra `remote-worker serve` flags.
    ///   - nginxReadTimeout: shortens nginx's wait for a response (e.g. "2s").
    /// - Parameters:
    ///   - poolAddresses: one pool per TCP address behind one nginx upstream, instead of one on a Unix socket.
    static func start(flags: [String], nginxReadTimeout: String? = nil, environment: [String: String] = [:],
                      poolAddresses: [String] = [], servesPing: Bool = true) -> WorkerStack {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("rw-test-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let port = freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/test-stack.sh").path,
                             String(getpid()), binary.path, run.path, String(port)] + flags
        // The stack must not hold the test runner's output open, or the runner waits for it forever.
        var extra = environment
        if !poolAddresses.isEmpty { extra["POOL_ADDRESSES"] = poolAddresses.joined(separator: " ") }
        if let nginxReadTimeout { extra["NGINX_READ_TIMEOUT"] = nginxReadTimeout }
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try! process.run()
        let stack = WorkerStack(port: port, runDirectory: run)
        stack.waitUntilReady(servesPing: servesPing)
        return stack
    }

    /// Polls /ping with curl: a blocking child process, so waiting never holds up Swift's task pool.
    /// - Parameter servesPing: false for a pool meant to refuse nginx: then nginx answering and
    ///   the pool saying it is ready are enough.
    private func waitUntilReady(servesPing: Bool) {
        for _ in 0..<100 {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = [servesPing ? "-fs" : "-s", "-o", "/dev/null", "--max-time", "2",
                              baseURL.appendingPathComponent("ping").absoluteString]
            curl.standardError = FileHandle.nullDevice
            if (try? curl.run()) != nil {
                curl.waitUntilExit()
                if curl.terminationStatus == 0 && (servesPing || poolLog.contains("pool ready")) { return }
            }
            usleep(100_000)
        }
        fatalError("the worker stack did not come up; see \(runDirectory.path)/logs")
    }

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

    /// The supervisor's log so far.
    var poolLog: String {
        (try? String(contentsOf: runDirectory.appendingPathComponent("logs/pool.log"), encoding: .utf8)) ?? ""
    }

    /// Polls the responder pids until `condition` holds or `seconds` pass; returns the last seen.
    func waitForResponders(seconds: Double = 8, until condition: ([Int32]) -> Bool) async -> [Int32] {
        let deadline = Date().addingTimeInterval(seconds)
        var pids = responderPIDs
        while !condition(pids) && Date() < deadline {
            try? await Task.sleep(nanoseconds: 100_000_000)
            pids = responderPIDs
        }
        return pids
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: HTTP

    struct HTTPResponse {
        let status: Int
        let headers: [String: String]
        let body: Data

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        var contentType: String { headers["content-type"] ?? "" }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResponse {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try await send(request)
    }

    /// POSTs `file` as the multipart field `file`, as the forum does.
    func post(_ path: String, file: Data, field: String = "file", filename: String = "upload.bin") async throws -> HTTPResponse {
        let boundary = "----remote-worker-test-\(UUID().uuidString)"
        var body = Data()
        body.append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n".data(using: .utf8)!)
        body.append("Content-Type: application/octet-stream\r\n\r\n".data(using: .utf8)!)
        body.append(file)
        body.append("\r\n--\(boundary)--\r\n".data(using: .utf8)!)
        return try await post(path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func post(_ path: String, body: Data, contentType: String?) async throws -> HTTPResponse {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = "POST"
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        return try await send(request)
    }

    /// A GET with curl from a chosen local source address (the loopback network is 127.0.0.0/8).
    func curl(_ path: String, from source: String) throws -> HTTPResponse {
        try TimedGet(port: port, path: path, source: source).finish().response
    }

    /// GETs `paths` with one curl each, all started at once. curl measures each
    /// latency itself, so a busy test process cannot stretch the figures.
    func timedGets(_ paths: [String]) throws -> [(response: HTTPResponse, seconds: Double)] {
        let requests = try paths.map { try TimedGet(port: port, path: $0, source: nil) }
        return try requests.map { try $0.finish() }
    }

    private func send(_ request: URLRequest) async throws -> HTTPResponse {
        var request = request
        request.timeoutInterval = 60
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

}

/// One GET run by curl, which reports the status, Retry-After and its own timing.
private struct TimedGet {
    let process = Process()
    let output = Pipe()
    let headers = FileManager.default.temporaryDirectory.appendingPathComponent("rw-headers-\(UUID().uuidString)")

    init(port: Int, path: String, source: String?) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = (source.map { ["--interface", $0] } ?? []) + [
            "-s", "-D", headers.path, "-w", "\n%{http_code} %{time_total}", "http://127.0.0.1:\(port)\(path)",
        ]
        process.standardOutput = output
        try process.run()
    }

    func finish() throws -> (response: WorkerStack.HTTPResponse, seconds: Double) {
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: headers) }
        let text = String(decoding: data, as: UTF8.self)
        let split = text.lastIndex(of: "\n") ?? text.startIndex
        let trailer = text[text.index(after: split)...].split(separator: " ")
        var fields: [String: String] = [:]
        for line in ((try? String(contentsOf: headers, encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let response = WorkerStack.HTTPResponse(status: trailer.first.flatMap { Int($0) } ?? 0, headers: fields,
                                                body: Data(text[..<split].utf8))
        return (response, trailer.count > 1 ? Double(trailer[1]) ?? 0 : 0)
    }
}
