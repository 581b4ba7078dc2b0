import Foundation
import Testing

/// One crafted file per route a position can take inside a JPEG (TestImages/location/),
/// through prepare_jpeg in both modes, judged by exiftool: no GPS tag, none of the
/// position's bytes, and everything else as it was.
@Suite struct LocationRouteTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }

    /// 48° 51' 30" N and 2° 17' 40" E as the files write them: EXIF rationals in both byte
    /// orders, and the decimal and XMP forms.
    static let positionBytes: [[UInt8]] = {
        func rationals(_ values: [UInt32], bigEndian: Bool) -> [UInt8] {
            values.flatMap { value in [value, 1].flatMap { part in
                (0..<4).map { UInt8(truncatingIfNeeded: part >> (8 * (bigEndian ? 3 - $0 : $0))) } } }
        }
        return [rationals([48, 51, 30], bigEndian: false), rationals([48, 51, 30], bigEndian: true),
                rationals([2, 17, 40], bigEndian: false), Array("48.8584".utf8), Array("48,51.5N".utf8),
                Array("2.2945".utf8), Array("2,17.6667E".utf8), Array("488584".utf8)]
    }()

    @Test("every route, default mode", arguments: Manifest.locationRoutes)
    func route_losesThePosition_keepsTheRest(_ row: ManifestRow) async throws {
        let (input, response) = try await prepared(row, query: "simple=1")
        let tags = await MetadataTools.tags(of: [input, response.body])
        let (before, after) = (tags[0], tags[1])
        for key in row["kept"].split(separator: ",").map(String.init) {
            #expect(after[key] != nil && after[key] == before[key], "\(row): \(key) was \(before[key] ?? "-"), now \(after[key] ?? "-")")
        }
        // Whatever both sides have is unchanged, but for what the position took with it.
        for (key, value) in after where !MetadataTools.mayDiffer(key) && !key.hasPrefix("[MPImage") {
            if let old = before[key] { #expect(old == value, "\(row): \(key) changed from \(old) to \(value)") }
        }
        let pixelsBefore = try #require(await Decoder.raster(of: input))
        let pixelsAfter = try #require(await Decoder.raster(of: response.body), "\(row): the output does not decode")
        #expect(pixelsBefore.meanDifference(pixelsAfter) == 0, "\(row): pixels changed")
    }

    @Test("every route, strip=all", arguments: Manifest.locationRoutes)
    func route_stripAll_keepsOnlyTheProfile(_ row: ManifestRow) async throws {
        let (_, response) = try await prepared(row, query: "simple=1&strip=all")
        let after = await MetadataTools.tags(of: response.body)
        let unexpected = after.keys.filter { key in
            ["[IFD0]", "[ExifIFD]", "[XMP", "[IPTC", "[Photoshop]", "[MPF", "[JFXX]"].contains { key.hasPrefix($0) }
        }
        #expect(unexpected.isEmpty, "\(row): \(unexpected.sorted())")
        if row["kept"].contains("ProfileDescription") {
            #expect(after["[ICC_Profile] ProfileDescription"] != nil, "\(row): the colour profile went")
        }
    }

    /// The row's file and what prepare_jpeg made of it, checked for any sign of the position.
    func prepared(_ row: ManifestRow, query: String) async throws -> (input: Data, response: WorkerStack.HTTPResponse) {
        let input = try Data(contentsOf: Manifest.locationDirectory.appendingPathComponent(row["file"]))
        let response = try await stack.post("/images/prepare_jpeg?\(query)", file: input, filename: row["file"])
        #expect(response.status == 200, "\(row): \(response.text.prefix(200))")
        try await expectNoPosition(in: response.body, row)
        return (input, response)
    }

    func expectNoPosition(in output: Data, _ row: ManifestRow, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let tags = (await MetadataTools.tags(of: [output], embedded: true))[0]
        let leaked = tags.filter { $0.key.lowercased().contains("gps") }
        #expect(leaked.isEmpty, "\(row): exiftool still reads \(leaked)", sourceLocation: sourceLocation)
        let bytes = [UInt8](output)
        for needle in Self.positionBytes {
            #expect(!contains(bytes, needle), "\(row): the position's bytes \(needle) remain", sourceLocation: sourceLocation)
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
