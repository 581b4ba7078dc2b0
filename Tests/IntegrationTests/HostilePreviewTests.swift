import Foundation
import Testing

/// Link previews against sites that fight back (scripts/hostile-origin.py on 127.0.0.3 and
/// 127.0.0.4, the only addresses the stack's test-only allow list names): each attack gets
/// its answer within its bound, and reaches no further than the one request it is.
@Suite(.serialized) struct HostilePreviewTests {
    /// One origin and one stack for the suite: the origin plays the forum's public site too.
    static let fixture = Task { () throws -> (HostileOrigin, WorkerStack) in
        let origin = try await HostileOrigin.start()
        var environment = origin.allowingEnvironment
        environment["RW_PREVIEW_TIMEOUT_MS"] = "3000"
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment, concurrentRequests: 200)
        try origin.front(stack)
        return (origin, stack)
    }

    static func previewPath(_ link: String) -> String {
        "/links/preview?url=\(link.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
    }

    /// Two pages that redirect to the forum's own /links/preview with each other as the link would
    /// make the worker preview itself forever: the worker's mark on its request stops it at once.
    @Test func aPageThatSendsTheWorkerToItself_costsOneFetch() async throws {
        let (origin, stack) = try await Self.fixture.value
        let response = try await stack.get(Self.previewPath(origin.link("/loop")), timeout: 20)
        #expect(response.status == 502 && response.json["target_status"] as? Int == 403, "\(response.text)\n\(stack.logTails())")
        #expect(response.seconds < 3, "took \(response.seconds) s")
        // The forum's site saw the worker's one request (with its mark), which the worker refused.
        try await Task.sleep(for: .milliseconds(300))
        let forwarded = origin.visits(to: "/links/preview")
        #expect(forwarded.count == 1 && forwarded.first?.via?.contains("remote-worker") == true, "\(forwarded)")
        #expect(origin.visits(to: "/loop").count == 1)
    }

    /// Ten redirects of a second each: the preview's one budget (3 s here) covers all of them.
    @Test func aSlowRedirectChain_sharesOneBudget() async throws {
        let (origin, stack) = try await Self.fixture.value
        let response = try await stack.get(Self.previewPath(origin.link("/chain/0?delay=1")), timeout: 20)
        #expect(response.status == 504 && response.json["code"] as? String == "fetch_timeout", "\(response.text)")
        #expect(response.seconds < 4.5, "took \(response.seconds) s for a 3 s budget")
        #expect(origin.visits(to: "/chain/").count <= 4)
    }

    /// 8 MiB of markup without a Content-Type is read as HTML: under the HTML cap (1 MiB), and the
    /// fetchers stay small after it.
    @Test func htmlWithoutAContentType_meetsTheHTMLCap() async throws {
        let (origin, stack) = try await Self.fixture.value
        let response = try await stack.get(Self.previewPath(origin.link("/untyped")), timeout: 20)
        #expect(response.status == 413 && response.json["code"] as? String == "too_large", "\(response.text)")
        #expect(response.text.contains("\(1024 * 1024) bytes"))
        for pid in stack.previewResponderPIDs {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let kib = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            #expect(kib < 120 * 1024, "fetcher \(pid) holds \(kib / 1024) MiB after the flood")
        }
    }

    /// A Location longer than a link may be is refused, never cut and fetched.
    @Test func aLocationTooLongToKeep_isRefused() async throws {
        let (origin, stack) = try await Self.fixture.value
        let response = try await stack.get(Self.previewPath(origin.link("/long-location")), timeout: 20)
        #expect(response.status == 400 && response.json["code"] as? String == "bad_url", "\(response.text)")
        #expect(origin.visits(to: "/fast.html?aaa").isEmpty)
    }

    /// A hundred members open a post with one link at once: one fetch, the rest wait on nginx's
    /// lock and get the cached card, and the next wave never reaches the worker.
    @Test func concurrentPreviewsOfOneLink_makeOneFetch() async throws {
        let (origin, stack) = try await Self.fixture.value
        let path = Self.previewPath(origin.link("/fast.html?popular"))
        let first = try await stack.timedGets(Array(repeating: path, count: 100))
        #expect(first.allSatisfy { $0.status == 200 }, "\(Set(first.map(\.status)))")
        #expect(origin.visits(to: "/fast.html?popular").count == 1, "\(origin.visits(to: "/fast.html?popular").count) fetches")
        #expect(first.first?.headers["cache-control"] == "public, max-age=86400")
        let second = try await stack.timedGets(Array(repeating: path, count: 100))
        #expect(second.allSatisfy { $0.status == 200 && $0.headers["x-preview-cache"] == "HIT" })
        #expect(origin.visits(to: "/fast.html?popular").count == 1)
        // The cached card is where the README's purge line looks for it: MD5 of "GET " and ?url= as sent.
        let sentURL = String(path.split(separator: "=", maxSplits: 1)[1])
        let digest = try Self.md5("GET " + sentURL)
        let entry = stack.runDirectory.appendingPathComponent("preview-cache/\(digest.suffix(1))/\(digest.dropLast().suffix(2))/\(digest)")
        #expect(FileManager.default.fileExists(atPath: entry.path), "no cache file at \(entry.path)")
        // A link in another spelling is sent on to its normal one, which is the cached one.
        let upper = try await stack.get(Self.previewPath(origin.link("/fast.html?popular").replacingOccurrences(of: "http://", with: "HTTP://")))
        #expect(upper.status == 308 && upper.headers["location"] == path.replacingOccurrences(of: "%2E", with: "."), "\(upper.headers)")
    }

    static func md5(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile().prefix(32), as: UTF8.self)
    }

    /// A client that gives up takes its fetch with it: nginx closes the fetcher's connection, the
    /// preview's task is cancelled, and its transfer ends at once, not when the site finishes.
    @Test func aClientThatGoesAway_abandonsItsFetch() async throws {
        let (origin, stack) = try await Self.fixture.value
        _ = try? await HTTPExchange(url: stack.url(Self.previewPath(origin.link("/drip?seconds=20"))), timeout: 1).run()
        #expect(await eventually(within: 8) { !origin.visits(to: "/drip").isEmpty }, "the drip went on after its client left")
        let drip = try #require(origin.visits(to: "/drip").first)
        #expect(drip.aborted && drip.seconds < 5, "\(drip)")
    }

    /// Hundreds of previews waiting on a slow site hold a socket each, and a fast site's previews
    /// beside them all succeed.
    @Test func hundredsWaitingOnASlowSite_leaveTheFastOnesAlone() async throws {
        let origin = try await HostileOrigin.start()
        defer { origin.stop() }
        var environment = origin.allowingEnvironment
        environment["RW_PREVIEW_PER_HOST"] = "1000"
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        defer { stack.stop() }
        let pids = stack.previewResponderPIDs.map(String.init).joined(separator: ",")
        let load = try await ChildProcess.run("/usr/bin/python3", [
            WorkerStack.repositoryRoot.appendingPathComponent("scripts/preview-load.py").path, String(stack.port),
            origin.link("/drip?seconds=6"), "300", origin.link("/fast.html", second: true), "10", "3", "--pids", pids,
        ])
        let report = (try? JSONSerialization.jsonObject(with: load.output)) as? [String: Any] ?? [:]
        let fast = report["fast"] as? [String: Any] ?? [:]
        #expect(fast["count"] as? Int == 30 && fast["ok"] as? Int == 30, "\(load.text) \(String(decoding: load.errors, as: UTF8.self))")
        let slow = (report["slow"] as? [String: Any])?["statuses"] as? [String: Int] ?? [:]
        #expect(slow["200"] == 300, "\(slow)")
        // All 300 were at the site at once: each drip began before the first one ended.
        // Each took its 6 s at the site, all within one preview's budget: they were there at once.
        #expect(origin.visits(to: "/drip").count == 300)
    }

    /// With signing keys set, the public location takes only links the forum signed: an unsigned
    /// or wrongly signed request is refused before any fetch; the forum's backend, with the shared
    /// secret, needs no signature; a key being rotated out still verifies.
    @Test func unsignedPublicRequests_areRefusedBeforeAnyFetch() async throws {
        let origin = try await HostileOrigin.start()
        defer { origin.stop() }
        var environment = origin.allowingEnvironment
        environment["RW_SIGNING_KEYS"] = "the-new-signing-key-0001,the-old-signing-key-0000"
        environment["RW_SHARED_SECRET"] = "backend-secret"
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment, servesPing: false)
        defer { stack.stop() }
        func signature(_ link: String, key: String) async throws -> String {
            let python = "import hmac,hashlib,base64,sys; print(base64.urlsafe_b64encode(hmac.new(sys.argv[1].encode(), "
                + "b'preview\\n' + sys.argv[2].encode(), hashlib.sha256).digest()[:16]).rstrip(b'=').decode())"
            return try await ChildProcess.run("/usr/bin/python3", ["-c", python, key, link]).text
        }
        let link = origin.link("/fast.html?signed")
        let unsigned = try await stack.get(Self.previewPath(link))
        #expect(unsigned.status == 401, "\(unsigned.text)")
        let forged = try await stack.get(Self.previewPath(link) + "&sig=" + (try await signature(link, key: "a-key-nobody-shares-00")))
        #expect(forged.status == 401, "\(forged.text)")
        let forOther = try await stack.get(Self.previewPath(link) + "&sig=" + (try await signature(link + "x", key: "the-new-signing-key-0001")))
        #expect(forOther.status == 401)
        #expect(origin.visits(to: "/fast.html?signed").isEmpty, "a refused request was fetched")
        let signed = try await stack.get(Self.previewPath(link) + "&sig=" + (try await signature(link, key: "the-old-signing-key-0000")))
        #expect(signed.status == 200 && signed.json["title"] as? String == "Fast card", "\(signed.text)")
        let backend = try await stack.get(Self.previewPath(origin.link("/fast.html?backend")), headers: ["X-Remote-Worker-Secret": "backend-secret"])
        #expect(backend.status == 200)
        // Past the cache only with the secret; a member's refresh is refused and not kept.
        let refresh = try await stack.get(Self.previewPath(link) + "&sig=" + (try await signature(link, key: "the-new-signing-key-0001")),
                                          headers: ["X-Preview-Refresh": "1"])
        #expect(refresh.status == 401 && refresh.headers["cache-control"] == "no-store", "\(refresh.headers)")
        #expect(origin.visits(to: "/fast.html?signed").count == 1 && origin.visits(to: "/fast.html?backend").count == 1)
    }
}
