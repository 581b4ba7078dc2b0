import Foundation

/// One HTTP request run by curl, in a process of its own: the client a forum's operator
/// would reach for, with its own clock (`time_total`) and a hard `--max-time`.
struct HTTPExchange: Sendable {
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        /// curl's own measure of the exchange, from connect to the last byte.
        let seconds: Double

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        var contentType: String { headers["content-type"] ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Why an exchange gave no response.
    enum Failure: Error {
        case timedOut(seconds: Double)
        case curl(exitCode: Int32, message: String)
    }

    var method = "GET"
    let url: String
    var headers: [String: String] = [:]
    var body: Data?
    /// A local address to send from (the loopback network is 127.0.0.0/8).
    var source: String?
    var timeout: Double = 45

    func run() async throws -> Response {
        let directory = try TemporaryDirectory(prefix: "rw-http")
        let headerFile = directory.url.appendingPathComponent("headers")
        let bodyFile = directory.url.appendingPathComponent("body")
        var arguments = ["-s", "-S", "-o", bodyFile.path, "-D", headerFile.path, "-w", "%{http_code} %{time_total}",
                         "--max-time", String(timeout), "-X", method,
                         // Large bodies go at once: nothing waits for "100 Continue".
                         "-H", "Expect:"]
        if let source { arguments += ["--interface", source] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if let body { arguments += ["--data-binary", "@" + (try directory.file("request", containing: body)).path] }
        arguments.append(url)

        let started = Date()
        let result = try await ChildProcess.run("/usr/bin/curl", arguments)
        switch result.status {
        case 0: break
        case 28: throw Failure.timedOut(seconds: Date().timeIntervalSince(started))
        default: throw Failure.curl(exitCode: result.status, message: String(decoding: result.errors, as: UTF8.self))
        }
        let trailer = result.text.split(separator: " ")
        return Response(status: trailer.first.flatMap { Int($0) } ?? 0,
                        headers: Self.lastHeaderBlock(String(decoding: (try? Data(contentsOf: headerFile)) ?? Data(), as: UTF8.self)),
                        body: (try? Data(contentsOf: bodyFile)) ?? Data(),
                        seconds: trailer.count > 1 ? Double(trailer[1]) ?? 0 : 0)
    }

    /// The final response's headers, lower-cased; interim responses (100 Continue) come first.
    private static func lastHeaderBlock(_ text: String) -> [String: String] {
        let block = text.components(separatedBy: "\r\n\r\n").last { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? ""
        var fields: [String: String] = [:]
        for line in block.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
}
