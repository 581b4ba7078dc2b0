import Foundation
import Testing

/// Link previews through nginx, the preview pool and the image pool, against a real
/// origin (scripts/preview-origin.py) on 127.0.0.2, which only the stack's test-only
/// allow list lets previews reach.
@Suite(.serialized) struct LinkPreviewTests {
    /// One origin and one stack for the suite: the allow list names the origin; the budget is
    /// short enough to test, long enough for a busy machine to fit the images in it.
    static let shared = Task { () throws -> (PreviewOrigin, WorkerStack) in
        let origin = try await PreviewOrigin.start()
        var environment = origin.allowingEnvironment
        environment["RW_PREVIEW_TIMEOUT_MS"] = "8000"
        environment["RW_PREVIEW_IMAGE_BOX"] = "300"
        let stack = try await WorkerStack.start(flags: ["--responders", "2"], environment: environment)
        return (origin, stack)
    }

    func preview(_ link: String) async throws -> (HTTPExchange.Response, [String: Any]) {
        let (_, stack) = try await Self.shared.value
        let encoded = link.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? link
        let response = try await stack.get("/links/preview?url=\(encoded)")
        return (response, response.json)
    }

    @Test func pageWithEveryKindOfTag_givesTheFullCard() async throws {
        let (origin, _) = try await Self.shared.value
        let (response, json) = try await preview(origin.link("/card.html"))
        #expect(response.status == 200, "\(response.text)")
        #expect(json["url"] as? String == origin.link("/card.html"))
        #expect(json["final_url"] as? String == origin.link("/card.html"))
        #expect(json["canonical_url"] as? String == origin.link("/canonical"))
        // Whitespace normalised, entity decoded; OpenGraph wins over Twitter and <title>.
        #expect(json["title"] as? String == "A fixture card & more")
        #expect(json["description"] as? String == "What the card says.")
        #expect(json["site_name"] as? String == "Fixture Site")
        #expect(json["type"] as? String == "article")
        #expect(json["locale"] as? String == "en_GB")
        #expect(json["content_type"] as? String == "text/html")
        #expect(json["redirects"] as? Int == 0)
        #expect((json["fetched_bytes"] as? Int ?? 0) > 1000)
        for key in ["start", "end", "cost"] { #expect(json[key] != nil, "\(key) missing") }
        let image = try #require(json["image"] as? [String: Any])
        #expect(image["url"] as? String == origin.link("/photo.jpg"))
        #expect(image["mime_type"] as? String == "image/jpeg")
        #expect(image["output_mime"] as? String == "image/jpeg")
        // 1024×683 fitted in the 300 box.
        #expect(image["width"] as? Int == 300 && image["height"] as? Int == 200, "\(image)")
        let output = try #require(Data(base64Encoded: image["output"] as? String ?? ""))
        #expect(output.starts(with: [0xFF, 0xD8, 0xFF]))
        let oembed = try #require(json["oembed"] as? [String: Any])
        #expect(oembed["title"] as? String == "An oEmbed title")
        #expect(oembed["type"] as? String == "video" && oembed["width"] as? Int == 640)
        #expect(oembed["html"] == nil && oembed["unknown"] == nil, "markup and unknown fields must be dropped: \(oembed)")
        // The bot says who it is.
        #expect(origin.requests.contains { $0.contains("ForumLinkPreview") })
    }

    @Test func postedAsJSONOrForm_andTheUsageDocument() async throws {
        let (origin, stack) = try await Self.shared.value
        let json = try await stack.post("/links/preview", body: Data("{\"url\": \"\(origin.link("/plain.html"))\"}".utf8),
                                        contentType: "application/json")
        #expect(json.status == 200 && json.json["title"] as? String == "Just a title", "\(json.text)")
        #expect(json.json["description"] as? String == "The description meta")
        #expect(json.json["image"] is NSNull && json.json["oembed"] is NSNull)
        let form = try await stack.post("/links/preview", body: Data("url=\(origin.link("/plain.html").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)".utf8),
                                        contentType: "application/x-www-form-urlencoded")
        #expect(form.status == 200 && form.json["title"] as? String == "Just a title", "\(form.text)")
        let usage = try await stack.get("/links/preview")
        #expect(usage.status == 200 && (usage.json["usage"] as? String ?? "").contains("/links/preview"))
        let notJSON = try await stack.post("/links/preview", body: Data("{url:".utf8), contentType: "application/json")
        #expect(notJSON.status == 400 && notJSON.json["code"] as? String == "bad_parameter")
        let noURL = try await stack.post("/links/preview", body: Data("{\"link\": 1}".utf8), contentType: "application/json")
        #expect(noURL.status == 400 && noURL.json["code"] as? String == "bad_url")
    }

    @Test func redirectsAreFollowedAndChecked_atMostFive() async throws {
        let (origin, _) = try await Self.shared.value
        let (one, oneJSON) = try await preview(origin.link("/redirect"))
        #expect(one.status == 200 && oneJSON["final_url"] as? String == origin.link("/card.html") && oneJSON["redirects"] as? Int == 1)
        let (five, fiveJSON) = try await preview(origin.link("/chain2"))
        #expect(five.status == 200 && fiveJSON["redirects"] as? Int == 5, "\(five.text)")
        for path in ["/chain1", "/loop"] {
            let (response, json) = try await preview(origin.link(path))
            #expect(response.status == 502 && json["code"] as? String == "fetch_failed", "\(path): \(response.text)")
        }
        for (path, code) in [("/to-loopback", "blocked_address"), ("/to-localhost", "blocked_address"),
                             ("/to-mapped", "blocked_address"), ("/to-metadata", "blocked_address"),
                             ("/to-credentials", "bad_url"), ("/to-ftp", "bad_url"), ("/to-other-port", "bad_url")] {
            let (response, json) = try await preview(origin.link(path))
            #expect(json["code"] as? String == code, "\(path): \(response.text)")
            #expect(response.status == (code == "bad_url" ? 400 : 403), "\(path)")
        }
        #expect(origin.loopbackRequests.isEmpty, "a redirect reached loopback: \(origin.loopbackRequests)")
    }

    /// Internal targets in the spellings attackers use: each refused with a JSON 4xx, and
    /// the origin's loopback side (same port) never sees a connection.
    @Test func internalTargets_inManySpellings_areRefusedBeforeAnyConnection() async throws {
        let (origin, _) = try await Self.shared.value
        let port = origin.port
        let blocked = [
            "http://127.0.0.1:\(port)/secret.html", "http://localhost:\(port)/secret.html", "http://LOCALHOST.:\(port)/",
            "http://[::1]:\(port)/", "http://[::ffff:127.0.0.1]:\(port)/", "http://[::ffff:7f00:1]:\(port)/",
            "http://[0:0:0:0:0:ffff:7f00:1]:\(port)/", "http://0.0.0.0:\(port)/", "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/", "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/",
            "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://224.0.0.1/", "http://255.255.255.255/",
            "http://198.18.0.1/", "http://192.0.2.1/", "http://[64:ff9b::7f00:1]:\(port)/", "http://[2002:7f00:1::]:\(port)/",
            "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
        ]
        for link in blocked {
            let (response, json) = try await preview(link)
            #expect(response.status == 403 && json["code"] as? String == "blocked_address", "\(link): \(response.text)")
            #expect((json["message"] as? String ?? "").contains("127") == false, "the refusal names no address")
        }
        let malformed = [
            "http://2130706433:\(port)/", "http://0x7f.1:\(port)/", "http://127.1:\(port)/", "http://0177.0.0.1:\(port)/",
            "file:///etc/passwd", "gopher://127.0.0.2:\(port)/", "ftp://127.0.0.2/", "dict://127.0.0.1:11211/",
            "http://user:pass@127.0.0.2:\(port)/card.html", "http://127.0.0.2:22/", "https://example.org:8443/",
            "javascript:alert(1)", "", "http://", "http://[::1/", "http://exa mple.org/", "http://a\\@127.0.0.1/",
        ]
        for link in malformed {
            let (response, json) = try await preview(link)
            #expect(response.status == 400 && json["code"] as? String == "bad_url", "\(link): \(response.text)")
        }
        #expect(origin.loopbackRequests.isEmpty, "a refused link reached loopback: \(origin.loopbackRequests)")
    }

    @Test func bounds_bytesAfterDecompression_andTime() async throws {
        let (origin, _) = try await Self.shared.value
        // 20 MB of gzip (20 KB on the wire), 2 MB of head, 52 MB sent at 1 MB/s: all stop at 1 MiB.
        for path in ["/bomb.html", "/big.html", "/endless.html"] {
            let (response, json) = try await preview(origin.link(path))
            #expect(response.status == 413 && json["code"] as? String == "too_large", "\(path): \(response.text)")
            #expect((json["message"] as? String ?? "").contains("1048576"))
            // Stopped at the cap, long before the 8 s budget (the endless body would take 52 s).
            #expect(response.seconds < 6, "\(path) took \(response.seconds) s")
        }
        // 20 bytes a second: the preview's 8 s budget ends it.
        let (slow, slowJSON) = try await preview(origin.link("/slow.html"))
        #expect(slow.status == 504 && slowJSON["code"] as? String == "fetch_timeout", "\(slow.text)")
        #expect(slow.seconds > 7.5 && slow.seconds < 11, "the budget is 8 s: \(slow.seconds)")
    }

    @Test func charsets_fromHeaderMetaAndBOM_becomeUTF8() async throws {
        let (origin, _) = try await Self.shared.value
        for (path, title) in [("/latin1.html", "Café crème"), ("/sjis.html", "日本語のページ"), ("/cp1251.html", "Привет, мир"),
                              ("/bom.html", "Zürich mit BOM"), ("/broken.html", "Unquoted"), ("/untyped", "Just a title")] {
            let (response, json) = try await preview(origin.link(path))
            #expect(response.status == 200 && json["title"] as? String == title, "\(path): \(response.text)")
        }
        let (broken, brokenJSON) = try await preview(origin.link("/broken.html"))
        #expect(broken.status == 200 && brokenJSON["description"] as? String == "line one line two")
        // Only http(s) links survive in a card.
        let (scripted, scriptedJSON) = try await preview(origin.link("/scripted.html"))
        #expect(scripted.status == 200 && scriptedJSON["image"] is NSNull && scriptedJSON["canonical_url"] is NSNull)
    }

    @Test func targetFailures_areToldApartFromTheWorkers() async throws {
        let (origin, _) = try await Self.shared.value
        let (missing, missingJSON) = try await preview(origin.link("/missing"))
        #expect(missing.status == 502 && missingJSON["code"] as? String == "fetch_failed" && missingJSON["target_status"] as? Int == 404)
        let (failing, failingJSON) = try await preview(origin.link("/failing"))
        #expect(failing.status == 502 && failingJSON["target_status"] as? Int == 503)
        let (text, textJSON) = try await preview(origin.link("/text.txt"))
        #expect(text.status == 422 && textJSON["code"] as? String == "unsupported_content")
        // TLS is verified: a certificate nobody signed is the target's failure.
        let (tls, tlsJSON) = try await preview("https://127.0.0.2:\(origin.port + 1)/card.html")
        #expect(tls.status == 502 && tlsJSON["code"] as? String == "fetch_failed", "\(tls.text)")
        // A port nothing listens on (allowed by the test's list): the connection is refused.
        let (refused, refusedJSON) = try await preview("http://127.0.0.2:\(origin.closedPort)/")
        #expect(refused.status == 502 && refusedJSON["code"] as? String == "fetch_failed", "\(refused.text)")
    }

    /// A direct link to an image, and a page's image: fitted by the image pool, with no location left.
    @Test func images_areFittedByTheImagePool_withoutTheirLocation() async throws {
        let (origin, stack) = try await Self.shared.value
        let (direct, directJSON) = try await preview(origin.link("/gps.jpg"))
        #expect(direct.status == 200, "\(direct.text)")
        #expect(directJSON["content_type"] as? String == "image/jpeg" && directJSON["title"] is NSNull)
        let image = try #require(directJSON["image"] as? [String: Any])
        let output = try #require(Data(base64Encoded: image["output"] as? String ?? ""))
        let tags = await MetadataTools.tags(of: output)
        #expect(!tags.keys.contains { $0.lowercased().contains("gps") }, "location left in a preview image: \(tags)")
        #expect(max(image["width"] as? Int ?? 0, image["height"] as? Int ?? 0) <= 300)
        let (page, pageJSON) = try await preview(origin.link("/twitter.html"))
        #expect(page.status == 200 && (pageJSON["image"] as? [String: Any])?["url"] as? String == origin.link("/gps.jpg"))
        // An image that does not decode leaves the card without one.
        let (broken, brokenJSON) = try await preview(origin.link("/broken-image.html"))
        #expect(broken.status == 200 && brokenJSON["image"] is NSNull && brokenJSON["title"] as? String == "Bad image")
        // The decoding happened in the image pool: its log has the fit under the preview's request id.
        let requestIDs = stack.previewLog.split(separator: "\n").filter { $0.contains("GET /links/preview") && $0.contains("status=200") }
            .compactMap { $0.split(separator: " ").first { $0.hasPrefix("request_id=") } }
        let fits = stack.poolLog.split(separator: "\n").filter { $0.contains("POST /images/fit/300") }
        #expect(requestIDs.contains { id in fits.contains { $0.contains(id) } }, "no fit in the image pool for a preview")
    }

    /// No process both decodes images and has sockets: fetchers load no image library and
    /// serve under their own filter; image responders cannot open a socket (ContainmentTests).
    @Test func fetchers_loadNoImageLibrary_andServeUnderTheirFilter() async throws {
        let (origin, stack) = try await Self.shared.value
        _ = try await preview(origin.link("/card.html"))
        let fetchers = stack.previewResponderPIDs
        try #require(!fetchers.isEmpty)
        for pid in fetchers {
            // /proc files report no size: read them through cat, to their end.
            let maps = await ChildProcess.output("/bin/cat", ["/proc/\(pid)/maps"]) ?? ""
            for library in ["libvips", "libjpeg", "libpng", "libheif", "libwebp", "libtiff", "libexif", "libMagick", "libgif"] {
                #expect(!maps.contains(library), "fetcher \(pid) has \(library) mapped")
            }
            #expect(maps.contains("libcurl"), "fetcher \(pid) should be the one with libcurl")
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            #expect(status.contains("NoNewPrivs:\t1") && status.contains("Seccomp:\t2"), "\(pid): \(status)")
        }
        for pid in stack.responderPIDs {
            let maps = await ChildProcess.output("/bin/cat", ["/proc/\(pid)/maps"]) ?? ""
            // (Debian's libvips brings libcurl along, through cfitsio and HDF5: mapped, but its
            // socket() is refused by the image responders' filter.)
            #expect(maps.contains("libvips"), "image responder \(pid) should be the one with libvips")
        }
    }

    /// The same origin, without the test-only allow list: refused.
    @Test func withoutTheTestAllowList_theOriginIsRefused() async throws {
        let (origin, _) = try await Self.shared.value
        var environment = origin.allowingEnvironment
        environment["RW_PREVIEW_ALLOW"] = nil
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        defer { stack.stop() }
        let before = origin.requests.count
        for path in ["/card.html", "/redirect", "/gps.jpg"] {
            let response = try await stack.get("/links/preview?url=\(origin.link(path).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(response.status == 403 && response.json["code"] as? String == "blocked_address", "\(path): \(response.text)")
        }
        #expect(origin.requests.count == before, "a refused preview reached the origin")
    }

    /// An image pool the fetchers cannot reach is the worker's trouble (503), not the link's (422);
    /// a page still gets its card, without the image.
    @Test func anUnreachableImagePool_isTheWorkersFailure() async throws {
        let (origin, _) = try await Self.shared.value
        var environment = origin.allowingEnvironment
        environment["PREVIEW_FLAGS"] = "--preview-images /nonexistent/image-pool.sock"
        let stack = try await WorkerStack.start(flags: ["--responders", "1"], environment: environment)
        defer { stack.stop() }
        func preview(_ path: String) async throws -> HTTPExchange.Response {
            try await stack.get("/links/preview?url=\(origin.link(path).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        }
        let image = try await preview("/gps.jpg")
        #expect(image.status == 503 && image.json["code"] as? String == "overloaded", "\(image.text)")
        let page = try await preview("/card.html")
        #expect(page.status == 200 && page.json["title"] as? String == "A fixture card & more" && page.json["image"] is NSNull,
                "\(page.text)")
    }

    @Test func thePreviewPool_hasOperatorPagesOfItsOwn() async throws {
        let (origin, stack) = try await Self.shared.value
        #expect(try await preview(origin.link("/card.html")).0.status == 200)
        #expect(try await preview("http://127.0.0.1/").0.status == 403)
        let status = try await stack.get("/links/status")
        #expect(status.status == 200, "\(status.text)")
        let json = status.json
        let processes = try #require(json["processes"] as? [[String: Any]])
        #expect(json["pool"] as? String == "remote-worker-preview")
        #expect(json["location_detector_drops"] == nil, "an image pool's counter on the preview pool's page")
        #expect(Set(processes.compactMap { $0["pid"] as? Int }.map(Int32.init)) == Set(stack.previewResponderPIDs))
        #expect(try await stack.get("/status").json["pool"] as? String == "remote-worker", "the image pool's page changed hands")

        // A fetcher counts its request just after answering it: ask until the refusal is counted.
        var metrics = try await stack.get("/links/metrics")
        let counted = try await eventually(within: 10, every: 0.1) {
            metrics = try await stack.get("/links/metrics")
            return String(decoding: metrics.body, as: UTF8.self)
                .contains("remote_worker_requests_total{code=\"blocked_address\",endpoint=\"preview\"}")
        }
        #expect(counted && metrics.status == 200 && metrics.contentType.hasPrefix("text/plain"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains("remote_worker_requests_total{code=\"ok\",endpoint=\"preview\"}"), "\(text)")
        #expect(text.contains("remote_worker_request_duration_seconds_count{endpoint=\"preview\"}"))
        #expect(!text.contains("location_detector"))

        for path in ["/links/status", "/links/metrics"] {
            let foreign = try await stack.curl(path, from: "127.0.0.7")
            #expect(foreign.status == 403 && foreign.json["code"] as? String == "forbidden", "\(path) from a foreign address")
        }
        #expect(try await stack.post("/links/status", file: Data("x".utf8)).status == 405)
    }
}
