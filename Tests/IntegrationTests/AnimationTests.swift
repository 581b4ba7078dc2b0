import Foundation
import Testing

/// What an animation says about itself: frames, per-frame delays (ms), loop count, frame size.
struct AnimationFacts: Equatable, CustomStringConvertible {
    let frames: Int
    let delays: [Int]
    let loops: Int
    let width: Int
    let height: Int
    var description: String { "\(frames) frames \(width)x\(height), delays \(delays), loops \(loops)" }

    /// GIF and WebP through `vipsheader -a`; APNG through its own chunks.
    static func of(_ data: Data) -> AnimationFacts? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return apng(data) }
        let file = MetadataTools.temporaryFile(data, suffix: "")
        defer { try? FileManager.default.removeItem(at: file) }
        guard let text = MetadataTools.run("/usr/bin/vipsheader", ["-a", file.path]) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let frames = Int(fields["n-pages"] ?? "1") ?? 1
        return AnimationFacts(frames: frames,
                              delays: (fields["delay"] ?? "").split(separator: " ").compactMap { Int($0) },
                              loops: Int(fields["loop"] ?? "0") ?? 0,
                              width: Int(fields["width"] ?? "") ?? 0,
                              height: Int(fields["page-height"] ?? fields["height"] ?? "") ?? 0)
    }

    private static func apng(_ data: Data) -> AnimationFacts? {
        let bytes = [UInt8](data)
        func be32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        func be16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        var offset = 8
        var frames = 0, loops = 0, width = 0, height = 0
        var delays: [Int] = []
        while offset + 12 <= bytes.count {
            let length = be32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = offset + 8
            switch type {
            case "IHDR": width = be32(body); height = be32(body + 4)
            case "acTL": frames = be32(body); loops = be32(body + 4)
            case "fcTL":
                let denominator = be16(body + 22)
                delays.append(be16(body + 20) * 1000 / (denominator == 0 ? 100 : denominator))
            default: break
            }
            offset = body + length + 4
        }
        return AnimationFacts(frames: max(frames, 1), delays: delays, loops: loops, width: width, height: height)
    }
}

/// `?animated=1`: animations stay animations, with their frames, timings and loop count.
@Suite struct AnimationTests {
    let stack = WorkerStack.shared

    static var inputs: [String] {
        var names = ["TestImages/animated-3-frames.gif", "TestImages/animated-3-frames.webp",
                     "TestImages/animated-3-frames-apng.png"]
        if Manifest.corpusExists {
            names += Manifest.corpus.filter { $0["path"].hasPrefix("formats/") && (Int($0["frames"]) ?? 1) > 1
                && ["GIF", "Extended WEBP", "APNG"].contains($0["format"]) }.map { "corpus/\($0["path"])" }
        }
        return names
    }

    static func load(_ name: String) throws -> Data {
        if name.hasPrefix("corpus/") {
            return try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(String(name.dropFirst(7))))
        }
        return try Data(contentsOf: WorkerStack.repositoryRoot.appendingPathComponent(name))
    }

    @Test("fit?animated=1 keeps format, frames, delays and loops", arguments: inputs)
    func fitKeepsTheAnimation(_ name: String) async throws {
        let input = try Self.load(name)
        let before = try #require(AnimationFacts.of(input))
        let response = try await stack.post("/images/fit/100?animated=1&simple=1", file: input)
        #expect(response.status == 200, "\(String(decoding: response.body.prefix(300), as: UTF8.self))")
        let after = try #require(AnimationFacts.of(response.body), "\(name): output is not readable")
        #expect(after.frames == before.frames, "\(name): \(before) -> \(after)")
        #expect(after.loops == before.loops, "\(name): \(before) -> \(after)")
        // libvips' WebP writer shows frames of 10 ms or less for 100 ms, as browsers do.
        let isWebP = input.count > 12 && input[8..<12].elementsEqual("WEBP".utf8)
        let expectedDelays = isWebP ? before.delays.map { $0 <= 10 ? 100 : $0 } : before.delays
        #expect(after.delays == expectedDelays, "\(name): \(before) -> \(after)")
        #expect(max(after.width, after.height) == min(100, max(before.width, before.height)), "\(name): \(after)")
        #expect(response.body.prefix(4) == input.prefix(4), "\(name): format changed")
        #expect(Decoder.header(of: response.body) != nil)
    }

    @Test("rescale_avatar?animated=1 gives APNGs with every frame", arguments: inputs)
    func avatarsAreAnimated(_ name: String) async throws {
        let input = try Self.load(name)
        let before = try #require(AnimationFacts.of(input))
        let json = try await stack.post("/images/rescale_avatar?animated=1", file: input).json
        for size in [24, 48, 73] {
            let avatar = try #require(json["avatar\(size)"] as? [String: Any], "\(name): no avatar\(size)")
            let png = try #require(Data(base64Encoded: avatar["body"] as? String ?? ""))
            let facts = try #require(AnimationFacts.of(png))
            #expect(facts.frames == before.frames && facts.width == size && facts.height == size, "\(name): avatar\(size) \(facts)")
            #expect(facts.delays == before.delays && facts.loops == before.loops, "\(name): avatar\(size) \(facts)")
        }
    }

    @Test("without animated=1 the first frame comes back as a still", arguments: inputs)
    func stillByDefault(_ name: String) async throws {
        let input = try Self.load(name)
        let response = try await stack.post("/images/fit/100?simple=1", file: input)
        #expect(response.status == 200)
        let facts = try #require(AnimationFacts.of(response.body))
        #expect(facts.frames == 1, "\(name): \(facts)")
    }
}

/// Hostile GIF and PNG files of the shared corpus (when present) through the animated paths.
@Suite(.enabled(if: Manifest.corpusExists, "../shared/corpus is not present"))
struct HostileAnimationTests {
    static let rows = Manifest.corpus.filter { $0["path"].hasPrefix("bad/") && ["GIF", "PNG", "APNG"].contains($0["format"]) }

    @Test("hostile GIF and PNG with ?animated=1 get their expected status, never a 500", arguments: rows)
    func hostile(_ row: ManifestRow) async throws {
        let stack = WorkerStack.shared
        let input = try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(row["path"]))
        for path in ["/images/fit/100?animated=1", "/images/rescale_avatar?animated=1"] {
            let response = try await stack.post(path, file: input)
            // Some rows allow either answer ("reject ... -- or ok only if the server clamps ...").
            if row["expected"].hasPrefix("reject") && row["expected"].contains("or ok") {
                #expect([200, 400, 413, 422].contains(response.status), "\(row) \(path): \(response.status)")
            } else if row["expected"].hasPrefix("reject") {
                #expect([400, 413, 422].contains(response.status), "\(row) \(path): \(response.status)")
                #expect(response.json["code"] is String)
            } else {
                #expect(response.status == 200, "\(row) \(path): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
            }
            #expect(try await stack.get("/ping").status == 200)
        }
    }
}
