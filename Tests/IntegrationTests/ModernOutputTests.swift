import Foundation
import Testing

/// `?format=` (WebP, AVIF, JPEG, PNG, or `auto` from Accept), placeholders on every
/// image answer and perceptual hashes on /images/info, through nginx.
@Suite struct ModernOutputTests {
    func testImage(_ name: String) throws -> Data {
        try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent(name))
    }

    @Test(arguments: ["webp", "avif", "jpeg", "png"])
    func fit_writesTheAskedFormat_stripped_andSized(_ format: String) async throws {
        let stack = try await WorkerStack.shared
        let response = try await stack.post("/images/fit/200?format=\(format)", file: testImage("gps-tagged-orientation-6.jpg"))
        #expect(response.status == 200, "\(response.text)")
        let output = try #require(Data(base64Encoded: response.json["output"] as? String ?? ""))
        let expectedLoader = ["webp": "webpload", "avif": "heifload", "jpeg": "jpegload", "png": "pngload"][format]!
        #expect(ImageSignature.loader(of: output) == expectedLoader)
        #expect(response.json["output_mime"] as? String == "image/\(format)")
        let header = try #require(await Decoder.header(of: output), "the \(format) output does not decode")
        #expect(max(header.width, header.height) == 200 && header.width == response.json["width"] as? Int)
        let tags = await MetadataTools.tags(of: output)
        #expect(!tags.keys.contains { $0.lowercased().contains("gps") || $0.lowercased().contains("orientation") }, "\(format): \(tags)")
        #expect(response.headers["vary"] == nil, "no Vary without format=auto")
    }

    /// JPEG has no alpha: transparency is flattened over white, as the placeholder sees it.
    @Test func transparentInput_asJPEG_isFlattenedOverWhite() async throws {
        let stack = try await WorkerStack.shared
        // alpha.png's top-left pixel is (0, 0, 113) at alpha 128: over white (127, 127, 184), over black (0, 0, 56).
        let response = try await stack.post("/images/fit/320?format=jpeg&simple=1", file: testImage("alpha.png"))
        #expect(response.status == 200 && response.contentType == "image/jpeg")
        let directory = try TemporaryDirectory(prefix: "rw-flatten")
        let file = try directory.file("out.jpg", containing: response.body)
        let pixel = (await ChildProcess.output("/usr/bin/vips", ["getpoint", file.path, "0", "0"]) ?? "")
            .split(separator: " ").compactMap { Double($0) }
        #expect(pixel.count == 3 && pixel.allSatisfy { $0 > 100 }, "\(pixel)")
    }

    @Test func animatedGIF_asAnimatedWebP() async throws {
        let stack = try await WorkerStack.shared
        let response = try await stack.post("/images/fit/100?animated=1&format=webp&simple=1", file: testImage("animated-3-frames.gif"))
        #expect(response.status == 200 && response.contentType == "image/webp")
        let directory = try TemporaryDirectory(prefix: "rw-webp")
        let file = try directory.file("out.webp", containing: response.body)
        let pages = await ChildProcess.output("/usr/bin/vipsheader", ["-f", "n-pages", file.path])
        #expect(pages == "3", "\(pages ?? "no header")")
    }

    @Test func auto_followsAccept_andVaries() async throws {
        let stack = try await WorkerStack.shared
        let photo = try testImage("photo-1024x683.jpg")
        for (accept, type) in [("image/avif,image/webp,*/*", "image/avif"), ("image/webp,*/*;q=0.8", "image/webp"),
                               ("image/avif;q=0,image/webp", "image/webp"), ("*/*", "image/jpeg"), ("", "image/jpeg")] {
            let response = try await stack.post("/images/fit/120?format=auto&simple=1", file: photo,
                                                headers: accept.isEmpty ? [:] : ["Accept": accept])
            #expect(response.status == 200 && response.contentType == type, "Accept \(accept): \(response.contentType)")
            #expect(response.headers["vary"] == "Accept", "Accept \(accept)")
        }
        let avatars = try await stack.post("/images/rescale_avatar?format=auto", file: photo,
                                           headers: ["Accept": "image/avif,image/webp"])
        // Avatars are PNG or WebP: AVIF is not among them.
        #expect(avatars.json["output_mime"] as? String == "image/webp" && avatars.headers["vary"] == "Accept")
    }

    @Test func avatars_asWebP_keepTheirSizes() async throws {
        let stack = try await WorkerStack.shared
        let response = try await stack.post("/images/rescale_avatar?format=webp", file: testImage("photo-1024x683.jpg"))
        #expect(response.status == 200 && response.json["output_mime"] as? String == "image/webp")
        for size in [24, 48, 73, 128, 256, 512] {
            let avatar = try #require(response.json["avatar\(size)"] as? [String: Any])
            let body = try #require(Data(base64Encoded: avatar["body"] as? String ?? ""))
            #expect(ImageSignature.loader(of: body) == "webpload")
            let header = try #require(await Decoder.header(of: body))
            #expect(header.width == size && header.height == size)
        }
        let png = try await stack.post("/images/rescale_avatar", file: testImage("photo-1024x683.jpg"))
        #expect(png.json["output_mime"] as? String == "image/png", "PNG stays the default")
        let bad = try await stack.post("/images/rescale_avatar?format=avif", file: testImage("photo-1024x683.jpg"))
        #expect(bad.status == 400 && bad.json["code"] as? String == "bad_parameter")
    }

    @Test func placeholders_onEveryImageAnswer_hashesOnInfo() async throws {
        let stack = try await WorkerStack.shared
        let photo = try testImage("orientation-6.jpg")
        let info = try await stack.post("/images/info", file: photo)
        let fit = try await stack.post("/images/fit/100", file: photo)
        let avatars = try await stack.post("/images/rescale_avatar", file: photo)
        for (name, json) in [("info", info.json), ("fit", fit.json), ("avatars", avatars.json)] {
            let blurhash = json["blurhash"] as? String ?? ""
            // 4×3 components: 1 + 1 + 4 + 2 × 11 characters.
            #expect(blurhash.count == 28, "\(name): \(blurhash)")
            #expect((json["dominant_color"] as? String ?? "").wholeMatch(of: /#[0-9a-f]{6}/) != nil, "\(name): \(json)")
        }
        for key in ["phash", "dhash"] {
            #expect((info.json[key] as? String ?? "").wholeMatch(of: /[0-9a-f]{16}/) != nil, "\(key): \(info.text)")
        }
        // The old fields are all still there.
        for key in ["width", "height", "mime_type", "binary_size", "frames", "orientation", "display_width", "display_height"] {
            #expect(info.json[key] != nil, "\(key)")
        }
    }

    /// The worker's blurhash, phash and dhash equal PyPI blurhash's and imagehash's on the same
    /// pixels, for every TestImages file (and the shared corpus's photos when present).
    @Test func fingerprints_equalTheReferenceImplementations() async throws {
        var files = try FileManager.default.subpathsOfDirectory(atPath: Manifest.testImagesDirectory.path)
            .filter { !$0.hasSuffix(".tsv") }.map { Manifest.testImagesDirectory.appendingPathComponent($0).path }
            .filter { var directory: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &directory) && !directory.boolValue }
        let corpus = WorkerStack.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        for folder in ["camera", "orientation"] {
            let directory = corpus.appendingPathComponent(folder)
            files += ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).map { directory.appendingPathComponent($0).path }
        }
        let bench = WorkerStack.binary.deletingLastPathComponent().appendingPathComponent("remote-worker-bench").path
        // make test gives the reference packages a virtual environment of their own (RW_PYTHON).
        let python = ProcessInfo.processInfo.environment["RW_PYTHON"] ?? "python3"
        let result = try await ChildProcess.run("/usr/bin/env", [python,
            WorkerStack.repositoryRoot.appendingPathComponent("scripts/check-fingerprints.py").path, bench] + files)
        let lines = result.text.split(separator: "\n")
        #expect(result.status == 0, "\(lines.filter { $0.hasPrefix("DIFF") }.joined(separator: "\n")) \(lines.last ?? "") \(String(decoding: result.errors, as: UTF8.self).suffix(400))")
        #expect(lines.filter { $0.hasPrefix("same") }.count >= 60, "\(lines.last ?? "")")
    }

    /// The same picture resized, re-encoded or stripped gives hashes a few bits apart;
    /// different pictures are far apart.
    @Test func perceptualHashes_matchVariants_andTellPicturesApart() async throws {
        let stack = try await WorkerStack.shared
        let directory = try TemporaryDirectory(prefix: "rw-variants")
        func vips(_ arguments: [String]) async throws {
            let result = try await ChildProcess.run("/usr/bin/vips", arguments)
            try #require(result.status == 0, "vips \(arguments): \(String(decoding: result.errors, as: UTF8.self))")
        }
        func hashes(_ path: String) async throws -> (String, String) {
            let json = try await stack.post("/images/info", file: Data(contentsOf: URL(fileURLWithPath: path))).json
            return (json["phash"] as? String ?? "", json["dhash"] as? String ?? "")
        }
        func distance(_ a: String, _ b: String) -> Int {
            ((UInt64(a, radix: 16) ?? 0) ^ (UInt64(b, radix: 16) ?? 0)).nonzeroBitCount
        }
        var originals: [(String, String)] = []
        for seed in 1...4 {
            // A smooth, photo-like picture from three noise fields of its own seed.
            let base = directory.url.appendingPathComponent("p\(seed)").path
            for band in 0..<3 {
                try await vips(["perlin", "\(base)-\(band).v", "640", "480", "--cell-size", "\(48 + 16 * band)", "--uchar",
                                "--seed", "\(seed * 10 + band)"])
            }
            try await vips(["bandjoin", "\(base)-0.v \(base)-1.v \(base)-2.v", "\(base).v"])
            try await vips(["copy", "\(base).v", "\(base).jpg[Q=92]", "--interpretation", "srgb"])
            let original = try await hashes("\(base).jpg")
            try await vips(["thumbnail", "\(base).jpg", "\(base)-small.png", "300"])
            try await vips(["jpegsave", "\(base).jpg", "\(base)-q40.jpg", "--Q", "40", "--strip"])
            try await vips(["webpsave", "\(base).jpg", "\(base).webp", "--Q", "60"])
            for variant in ["\(base)-small.png", "\(base)-q40.jpg", "\(base).webp"] {
                let hash = try await hashes(variant)
                #expect(distance(original.0, hash.0) <= 6, "phash of \(variant): \(original.0) vs \(hash.0)")
                #expect(distance(original.1, hash.1) <= 8, "dhash of \(variant): \(original.1) vs \(hash.1)")
            }
            originals.append(original)
        }
        for i in originals.indices {
            for j in originals.indices where j > i {
                #expect(distance(originals[i].0, originals[j].0) >= 16, "phash of pictures \(i) and \(j)")
                #expect(distance(originals[i].1, originals[j].1) >= 12, "dhash of pictures \(i) and \(j)")
            }
        }
    }
}
