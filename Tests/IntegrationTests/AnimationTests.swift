import Foundation
import Testing

/// `?animated=1`: animations stay animations, with their frames, timings and loop count.
@Suite struct AnimationTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }

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
        let before = try #require(await AnimationFacts.of(input))
        let response = try await stack.post("/images/fit/100?animated=1&simple=1", file: input)
        #expect(response.status == 200, "\(String(decoding: response.body.prefix(300), as: UTF8.self))")
        let after = try #require(await AnimationFacts.of(response.body), "\(name): output is not readable")
        #expect(after.frames == before.frames, "\(name): \(before) -> \(after)")
        #expect(after.loops == before.loops, "\(name): \(before) -> \(after)")
        // libvips' WebP writer shows frames of 10 ms or less for 100 ms, as browsers do.
        let isWebP = input.count > 12 && input[8..<12].elementsEqual("WEBP".utf8)
        let expectedDelays = isWebP ? before.delays.map { $0 <= 10 ? 100 : $0 } : before.delays
        #expect(after.delays == expectedDelays, "\(name): \(before) -> \(after)")
        #expect(max(after.width, after.height) == min(100, max(before.width, before.height)), "\(name): \(after)")
        #expect(response.body.prefix(4) == input.prefix(4), "\(name): format changed")
        #expect(await Decoder.header(of: response.body) != nil)
    }

    @Test("rescale_avatar?animated=1 gives APNGs with every frame", arguments: inputs)
    func avatarsAreAnimated(_ name: String) async throws {
        let input = try Self.load(name)
        let before = try #require(await AnimationFacts.of(input))
        let json = try await stack.post("/images/rescale_avatar?animated=1", file: input).json
        for size in [24, 48, 73] {
            let avatar = try #require(json["avatar\(size)"] as? [String: Any], "\(name): no avatar\(size)")
            let png = try #require(Data(base64Encoded: avatar["body"] as? String ?? ""))
            let facts = try #require(await AnimationFacts.of(png))
            #expect(facts.frames == before.frames && facts.width == size && facts.height == size, "\(name): avatar\(size) \(facts)")
            #expect(facts.delays == before.delays && facts.loops == before.loops, "\(name): avatar\(size) \(facts)")
        }
    }

    @Test("without animated=1 the first frame comes back as a still", arguments: inputs)
    func stillByDefault(_ name: String) async throws {
        let input = try Self.load(name)
        let response = try await stack.post("/images/fit/100?simple=1", file: input)
        #expect(response.status == 200)
        let facts = try #require(await AnimationFacts.of(response.body))
        #expect(facts.frames == 1, "\(name): \(facts)")
    }
}
