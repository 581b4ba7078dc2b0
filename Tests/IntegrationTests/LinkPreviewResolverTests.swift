import Foundation
import Testing

/// Names that change their answer, and an egress proxy: the preview pool runs with
/// a resolver the test starts (scripts/rebinding-resolver.py on 127.83.0.53, put in
/// place of /etc/resolv.conf in a mount namespace of the pool's own), whose name
/// rebind.test answers the allowed origin first and loopback after.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root: port 53 and a mount namespace"))
struct LinkPreviewResolverTests {
    static let resolverAddress = "127.83.0.53"

    /// The resolver and the files it needs; stopped when the test ends.
    final class Resolver: @unchecked Sendable {
        let directory: TemporaryDirectory
        let process = Process()
        let log: ProcessLog

        /// Starts the resolver and waits until it has bound its port (it then creates its log).
        static func start() async throws -> Resolver {
            let resolver = try Resolver()
            guard await eventually(within: 20, { FileManager.default.fileExists(atPath: resolver.queries.path) }) else {
                resolver.stop()
                throw StackFailure.didNotStart(runDirectory: resolver.directory.url.path, reason: "the test resolver", logs: resolver.log.tail())
            }
            return resolver
        }

        private init() throws {
            directory = try TemporaryDirectory(prefix: "rw-resolver")
            log = try ProcessLog("resolver")
            _ = try directory.file("resolv.conf", containing: Data("nameserver \(LinkPreviewResolverTests.resolverAddress)\noptions timeout:3 attempts:1\n".utf8))
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            log.attach(to: process)
            process.arguments = [WorkerStack.repositoryRoot.appendingPathComponent("scripts/rebinding-resolver.py").path,
                                 LinkPreviewResolverTests.resolverAddress, "127.0.0.2", "127.0.0.1",
                                 queries.path] + Self.fixedNames
            try process.run()
        }

        /// Names that always answer one address: a partner's own host and two names under it,
        /// one the partner's, one an attacker's who pointed it at loopback.
        static let fixedNames = ["partner.test=127.0.0.2", "good.partner.test=127.0.0.2", "evil.partner.test=127.0.0.1"]

        /// One line per query the resolver answered.
        var queries: URL { directory.url.appendingPathComponent("queries.log") }

        var answers: [String] {
            ((try? String(contentsOf: queries, encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
        }

        /// The preview pool's wrapper: this resolver in place of the system's.
        var wrapper: String {
            "unshare --mount --propagation private bash \(WorkerStack.repositoryRoot.appendingPathComponent("scripts/with-resolv-conf.sh").path) \(directory.url.appendingPathComponent("resolv.conf").path)"
        }

        /// SIGKILL: a test runner's children may inherit a mask that blocks SIGTERM.
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A name that resolves first to the allowed origin and then to 127.0.0.1 never reaches
    /// 127.0.0.1: the redirect's connection is checked at the socket, after the second lookup.
    @Test func rebindingName_neverReachesLoopback() async throws {
        let origin = try await PreviewOrigin.start()
        defer { origin.stop() }
        let resolver = try await Resolver.start()
        defer { resolver.stop() }
        var environment = origin.allowingEnvironment
        // Names under .test are internal-only by name; these two are let past the name rules (their
        // addresses are still judged), so what is measured is the guard at the socket.
        environment["RW_PREVIEW_ALLOW"] = "127.0.0.2,rebind.test,nowhere.test"
        environment["PREVIEW_WRAPPER"] = resolver.wrapper
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        defer { stack.stop() }
        // /to-rebind answers 302 to http://rebind.test:PORT/secret.html.
        let link = "http://rebind.test:\(origin.port)/to-rebind"
        let response = try await stack.get("/links/preview?url=\(link.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(response.status == 403 && response.json["code"] as? String == "blocked_address", "\(response.text)\n\(stack.logTails())")
        // The name was looked up twice, and answered the allowed address, then loopback.
        #expect(resolver.answers == ["A rebind.test 127.0.0.2", "A rebind.test 127.0.0.1"], "\(resolver.answers)")
        #expect(origin.requests.contains { $0.contains("/to-rebind") }, "the first hop went to the allowed origin")
        #expect(origin.loopbackRequests.isEmpty, "the rebinding name reached loopback: \(origin.loopbackRequests)")
        // Asked again, the name now points at loopback from the start.
        let again = try await stack.get("/links/preview?url=\("http://rebind.test:\(origin.port)/card.html".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(again.status == 403 && again.json["code"] as? String == "blocked_address")
        #expect(origin.loopbackRequests.isEmpty)
        // A name the resolver does not know (NXDOMAIN) gets the answer a name of internal addresses
        // gets, word for word: names cannot be probed.
        let unknown = try await stack.get("/links/preview?url=\("http://nowhere.test:\(origin.port)/".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(unknown.status == 403 && unknown.text == again.text, "\(unknown.text)")
    }

    /// Through an egress proxy the worker still resolves and checks the name itself, and has
    /// the proxy tunnel to the address it checked, never to the name.
    @Test func proxy_tunnelsToTheCheckedAddress_neverToAName() async throws {
        let origin = try await PreviewOrigin.start()
        defer { origin.stop() }
        let resolver = try await Resolver.start()
        defer { resolver.stop() }
        let proxyLog = resolver.directory.url.appendingPathComponent("proxy.log")
        let proxyPort = WorkerStack.freePort()
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        proxy.arguments = [WorkerStack.repositoryRoot.appendingPathComponent("scripts/connect-proxy.py").path,
                           "127.0.0.3", String(proxyPort), proxyLog.path]
        let proxyOutput = try ProcessLog("connect-proxy")
        proxyOutput.attach(to: proxy)
        try proxy.run()
        defer { kill(proxy.processIdentifier, SIGKILL) }
        #expect(await eventually(within: 20) { FileManager.default.fileExists(atPath: proxyLog.path) },
                "the proxy did not start; \(proxyOutput.tail())")
        var environment = origin.allowingEnvironment
        environment["RW_PREVIEW_ALLOW"] = "127.0.0.2,rebind.test"
        environment["PREVIEW_WRAPPER"] = resolver.wrapper
        environment["RW_PREVIEW_PROXY"] = "http://127.0.0.3:\(proxyPort)"
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        defer { stack.stop() }
        func preview(_ link: String) async throws -> HTTPExchange.Response {
            try await stack.get("/links/preview?url=\(link.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        }
        // rebind.test answers 127.0.0.2 the first time: the tunnel goes to that address, by number.
        let named = try await preview("http://rebind.test:\(origin.port)/card.html")
        #expect(named.status == 200 && named.json["title"] as? String == "A fixture card & more", "\(named.text)\n\(stack.logTails())")
        let tunnels = ((try? String(contentsOf: proxyLog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        #expect(tunnels.first == "CONNECT 127.0.0.2:\(origin.port)", "\(tunnels)")
        #expect(!tunnels.contains { $0.contains("rebind.test") || $0.contains("localhost") }, "a name reached the proxy: \(tunnels)")
        // Now the name means loopback, and localhost always does: refused before the proxy hears of them.
        // (Another link than the first: nginx's cache keeps the first one's card.)
        let before = tunnels.count
        for link in ["http://rebind.test:\(origin.port)/card.html?again", "http://localhost:\(origin.port)/secret.html",
                     "http://127.0.0.1:\(origin.port)/secret.html"] {
            let response = try await preview(link)
            #expect(response.status == 403 && response.json["code"] as? String == "blocked_address", "\(link): \(response.text)")
        }
        let after = ((try? String(contentsOf: proxyLog, encoding: .utf8)) ?? "").split(separator: "\n").count
        #expect(after == before, "a refused link reached the proxy")
        #expect(origin.loopbackRequests.isEmpty)
    }

    /// An allowed name exempts its exact host from the name rules, nothing under it; `*.name`
    /// exempts the names under it, whose addresses are still judged at the socket.
    @Test func anAllowedName_doesNotOpenItsSubdomains() async throws {
        let origin = try await PreviewOrigin.start()
        defer { origin.stop() }
        let resolver = try await Resolver.start()
        defer { resolver.stop() }
        func encoded(_ link: String) -> String { link.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        var environment = origin.allowingEnvironment
        environment["PREVIEW_WRAPPER"] = resolver.wrapper

        environment["RW_PREVIEW_ALLOW"] = "127.0.0.2,partner.test"
        let exact = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        let named = try await exact.get("/links/preview?url=\(encoded("http://partner.test:\(origin.port)/card.html"))")
        #expect(named.status == 200 && named.json["title"] as? String == "A fixture card & more", "\(named.text)")
        let sub = try await exact.get("/links/preview?url=\(encoded("http://evil.partner.test:\(origin.port)/secret.html"))")
        #expect(sub.status == 403 && sub.json["code"] as? String == "blocked_address", "\(sub.text)")
        let subGood = try await exact.get("/links/preview?url=\(encoded("http://good.partner.test:\(origin.port)/card.html"))")
        #expect(subGood.status == 403, "a subdomain of an exactly allowed name is judged by the name rules")
        exact.stop()
        #expect(!resolver.answers.contains { $0.contains("evil.partner.test") || $0.contains("good.partner.test") },
                "a subdomain was looked up: \(resolver.answers)")

        environment["RW_PREVIEW_ALLOW"] = "127.0.0.2,*.partner.test"
        let star = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        defer { star.stop() }
        let good = try await star.get("/links/preview?url=\(encoded("http://good.partner.test:\(origin.port)/card.html"))")
        #expect(good.status == 200, "\(good.text)\n\(star.logTails())")
        // The attacker's name passes the name rules and resolves to loopback: refused at the socket.
        let evil = try await star.get("/links/preview?url=\(encoded("http://evil.partner.test:\(origin.port)/secret.html"))")
        #expect(evil.status == 403 && evil.json["code"] as? String == "blocked_address", "\(evil.text)")
        #expect(resolver.answers.contains("A evil.partner.test 127.0.0.1"), "\(resolver.answers)")
        // `*.partner.test` does not cover partner.test itself.
        let bare = try await star.get("/links/preview?url=\(encoded("http://partner.test:\(origin.port)/card.html"))")
        #expect(bare.status == 403)
        #expect(origin.loopbackRequests.isEmpty, "a request reached loopback: \(origin.loopbackRequests)")
    }
}
