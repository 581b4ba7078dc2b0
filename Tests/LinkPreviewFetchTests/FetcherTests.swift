import Foundation
import LinkPreview
import NetworkAddress
import Testing

/// A real origin for the fetcher: nginx on 127.0.0.2, an address the guard refuses
/// (loopback) unless a test-only allow list names it.
final class FixtureOrigin: @unchecked Sendable {
    private(set) var port = 0
    let directory: URL
    private var nginx = Process()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rw-origin-\(UUID().uuidString)")
        let root = directory.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try """
            <!doctype html><html><head><meta charset="utf-8"><title>Fixture</title>
            <meta property="og:title" content="A fixture card"><meta property="og:image" content="/pic.png">
            </head><body>hello</body></html>
            """.write(to: root.appendingPathComponent("card.html"), atomically: true, encoding: .utf8)
        try Data(repeating: 0x41, count: 1_000_000).write(to: root.appendingPathComponent("big.html"))
        try "small".write(to: root.appendingPathComponent("bomb.html"), atomically: true, encoding: .utf8)
        // 10 MB of spaces, gzip-compressed to a few KB and served as gzip.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "head -c 10000000 /dev/zero | tr '\\\\0' ' ' | gzip -9 > '\(root.path)/bomb.html.gz'"]
        try gzip.run()
        gzip.waitUntilExit()
        // Below the kernel's ephemeral range (32768 and up), where the other tests' servers
        // get their ports, so a connection accepted here is this nginx's. A port another
        // program holds makes nginx exit: try another. Ready means a connection is
        // accepted, not merely a process that has not exited yet.
        for _ in 0..<5 {
            port = Int.random(in: 20_000...32_000)
            try start(root: root)
            let deadline = Date().addingTimeInterval(10)
            while nginx.isRunning && Date() < deadline {
                if Self.acceptsConnections(port: port) { return }
                usleep(20_000)
            }
            if nginx.isRunning { nginx.terminate(); nginx.waitUntilExit() }
        }
        throw CocoaError(.fileReadUnknown)
    }

    private static func acceptsConnections(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.2")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private func start(root: URL) throws {
        let conf = directory.appendingPathComponent("nginx.conf")
        try """
            daemon off;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log;
            events { worker_connections 64; }
            http {
                access_log \(directory.path)/access.log;
                client_body_temp_path \(directory.path); proxy_temp_path \(directory.path);
                fastcgi_temp_path \(directory.path); uwsgi_temp_path \(directory.path); scgi_temp_path \(directory.path);
                types { text/html html; image/png png; }
                server {
                    listen 127.0.0.2:\(port);
                    root \(root.path);
                    gzip_static on;
                    # The fetches carry the worker's Via entry, which nginx otherwise takes for a proxy not to compress for.
                    gzip_proxied any;
                    location = /redirect { return 302 /card.html; }
                    location = /to-loopback { return 302 http://127.0.0.1:\(port)/card.html; }
                    location = /to-metadata { return 302 http://169.254.169.254/latest/meta-data/; }
                    location = /to-credentials { return 302 http://user:secret@127.0.0.2:\(port)/card.html; }
                    location = /loop { return 302 /loop; }
                    location = /slow.html { alias \(root.path)/big.html; limit_rate 4k; }
                }
            }
            """.write(to: conf, atomically: true, encoding: .utf8)
        nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-p", directory.path, "-c", conf.path]
        nginx.standardOutput = FileHandle.nullDevice
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
    }

    func url(_ path: String) throws -> PreviewURL {
        try PreviewURL("http://127.0.0.2:\(port)\(path)", allowedPorts: [port])
    }

    var requestsSeen: Int {
        ((try? String(contentsOf: directory.appendingPathComponent("access.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    func stop() {
        nginx.terminate()
        nginx.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite(.serialized) struct FetcherTests {
    func fetcher(_ origin: FixtureOrigin, allowTest: Bool = true) -> Fetcher {
        var fetcher = Fetcher(addressGuard: AddressGuard(allowed: allowTest ? [AddressRange("127.0.0.2/32")!] : []))
        fetcher.allowedPorts = [origin.port, 80, 443]
        fetcher.totalTimeoutMilliseconds = 1500
        return fetcher
    }

    @Test func aPage_isFetched_andItsCardRead_afterARedirect() throws {
        let origin = try FixtureOrigin()
        defer { origin.stop() }
        let fetcher = fetcher(origin)
        let page = try fetcher.fetch(origin.url("/redirect"))
        #expect(page.status == 200 && page.redirects == 1 && page.contentType.hasPrefix("text/html"))
        #expect(page.finalURL.description.hasSuffix("/card.html"))
        // The card's links follow the fetcher's rules: the allowed test address is kept.
        let card = PageCard.read(html: page.body, charset: nil, pageURL: page.finalURL, links: fetcher.links)
        #expect(card.title == "A fixture card")
        #expect(card.imageURL == "http://127.0.0.2:\(origin.port)/pic.png")
    }

    @Test func withoutTheTestAllowList_theOriginIsRefused_andNeverContacted() throws {
        let origin = try FixtureOrigin()
        defer { origin.stop() }
        let before = origin.requestsSeen
        #expect(throws: Fetcher.Failure.blockedAddress) { try fetcher(origin, allowTest: false).fetch(origin.url("/card.html")) }
        #expect(origin.requestsSeen == before, "a connection reached the origin")
    }

    @Test func redirectsIntoLoopbackOrMetadata_areRefusedAtTheSocket() throws {
        let origin = try FixtureOrigin()
        defer { origin.stop() }
        #expect(throws: Fetcher.Failure.blockedAddress) { try fetcher(origin).fetch(origin.url("/to-loopback")) }
        // Port 80 is allowed, the address is not.
        #expect(throws: Fetcher.Failure.blockedAddress) { try fetcher(origin).fetch(origin.url("/to-metadata")) }
    }

    @Test func redirectsWithCredentials_andEndlessRedirects_stop() throws {
        let origin = try FixtureOrigin()
        defer { origin.stop() }
        #expect(throws: Fetcher.Failure.self) { try fetcher(origin).fetch(origin.url("/to-credentials")) }
        #expect(throws: Fetcher.Failure.fetchFailed(detail: "more than 5 redirects", status: nil)) {
            try fetcher(origin).fetch(origin.url("/loop"))
        }
    }

    @Test func aCompressionBomb_stopsAtTheCap_countedAfterDecoding() throws {
        let origin = try FixtureOrigin()
        defer { origin.stop() }
        #expect(throws: Fetcher.Failure.tooLarge(limit: 1024 * 1024)) { try fetcher(origin).fetch(origin.url("/bomb.html")) }
    }

    @Test func aSlowBody_endsAtTheTimeout_andAnErrorStatus_isTheSites() throws {
        let origin = try FixtureOrigin()
        defer { origin.stop() }
        let started = Date()
        #expect(throws: Fetcher.Failure.timeout) { try fetcher(origin).fetch(origin.url("/slow.html")) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(throws: Fetcher.Failure.fetchFailed(detail: "the site answered 404", status: 404)) {
            try fetcher(origin).fetch(origin.url("/missing"))
        }
    }
}
