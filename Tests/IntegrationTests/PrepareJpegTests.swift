import Foundation
import Testing

/// prepare_jpeg: location gone, orientation applied losslessly, everything else as it was.
@Suite struct PrepareJpegTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }

    static let jpegRows = Manifest.testImages.filter { $0["mime"] == "image/jpeg" && $0["status"] == "200" }

    /// Checks one prepared file against its input with exiftool and the vips tools.
    static func verify(input: Data, output: Data, displayWidth: Int?, displayHeight: Int?, name: String) async {
        let tags = await MetadataTools.tags(of: [input, output])
        let (before, after) = (tags[0], tags[1])
        for key in Set(before.keys).union(after.keys) where !MetadataTools.mayDiffer(key) {
            #expect(before[key] == after[key], "\(name): \(key) changed from \(before[key] ?? "-") to \(after[key] ?? "-")")
        }
        #expect(!after.keys.contains { $0.hasPrefix("[GPS]") || $0.contains(" GPS") }, "\(name): GPS left: \(after.keys.filter { $0.contains("GPS") })")
        #expect(after["[IFD0] Orientation"] == nil || after["[IFD0] Orientation"] == "1"
                || before["[IFD0] Orientation"] == after["[IFD0] Orientation"], "\(name): orientation \(after["[IFD0] Orientation"] ?? "-")")
        let prepared = await Decoder.raster(of: output)
        #expect(prepared != nil, "\(name): the output does not decode")
        guard let prepared else { return }
        if let displayWidth, let displayHeight {
            // At most one partial 16-pixel block is trimmed from each edge a transform moves.
            #expect((0...15).contains(displayWidth - prepared.width) && (0...15).contains(displayHeight - prepared.height),
                    "\(name): \(prepared.width)x\(prepared.height), displayed \(displayWidth)x\(displayHeight)")
        }
        // The output read with no orientation handling shows what the input shows with it.
        if let rotated = await Decoder.raster(of: input, autorotate: true) {
            let difference = rotated.meanDifference(prepared)
            #expect(difference != nil && difference! < 1.0, "\(name): mean pixel difference \(difference ?? -1)")
        }
    }

    @Test("TestImages JPEGs", arguments: jpegRows)
    func testImage(_ row: ManifestRow) async throws {
        let input = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent(row["file"]))
        let response = try await stack.post("/images/prepare_jpeg", file: input)
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let json = response.json
        #expect(Set(json.keys).isSuperset(of: ["uploaded", "status", "success", "output"]))
        let output = try #require(Data(base64Encoded: json["output"] as? String ?? ""))
        #expect(json["gps_removed"] as? Bool == (row["gps"] == "yes"))
        #expect(json["orientation_applied"] as? Int == row.int("orientation"))
        await Self.verify(input: input, output: output, displayWidth: row.int("display_width"),
                    displayHeight: row.int("display_height"), name: row["file"])
    }

    @Test func noGPSAndUpright_comesBackByteIdentical() async throws {
        let input = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("orientation-1.jpg"))
        let response = try await stack.post("/images/prepare_jpeg?simple=1", file: input)
        #expect(response.status == 200)
        #expect(response.contentType == "image/jpeg")
        #expect(response.body == input)
    }

    @Test func iccProfileAndComment_survive_stripAll_keepsOnlyTheProfile() async throws {
        let input = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("icc-comment-gps.jpg"))
        let kept = await MetadataTools.tags(of: try await stack.post("/images/prepare_jpeg?simple=1", file: input).body)
        #expect(kept["[File] Comment"] == "taken on holiday")
        #expect(kept["[IFD0] Make"] == "Synthetic")
        #expect(kept.keys.contains { $0.hasPrefix("[ICC") })

        let stripped = await MetadataTools.tags(of: try await stack.post("/images/prepare_jpeg?simple=1&strip=all", file: input).body)
        #expect(stripped["[File] Comment"] == nil && stripped["[IFD0] Make"] == nil)
        #expect(!stripped.keys.contains { $0.contains("GPS") || $0.hasPrefix("[IFD0]") || $0.hasPrefix("[XMP") })
        #expect(stripped.keys.contains { $0.hasPrefix("[ICC") })
    }

    @Test func truncatedJPEG_isCorrupt_andLeaksNothing() async throws {
        let input = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("truncated.jpg"))
        let response = try await stack.post("/images/prepare_jpeg", file: input)
        #expect(response.status == 400)
        #expect(response.json["code"] as? String == "corrupt_image")
    }
}

/// The shared corpus' JPEGs (when present): real cameras, every orientation, and hostile files.
@Suite(.enabled(if: Manifest.corpusExists, "../shared/corpus is not present"))
struct PrepareJpegCorpusTests {
    static let rows = Manifest.corpus.filter { row in
        ["orientation/", "camera/", "edge/", "bad/"].contains { row["path"].hasPrefix($0) }
            && ["JPEG", "MPO"].contains(row["format"])
    }

    @Test("corpus JPEGs through prepare_jpeg", arguments: rows)
    func prepare(_ row: ManifestRow) async throws {
        var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
        let input = try Data(contentsOf: Manifest.corpusDirectory.appendingPathComponent(row["path"]))
        let response = try await stack.post("/images/prepare_jpeg", file: input)
        let expected = row["expected"]
        if expected.hasPrefix("reject") {
            #expect([400, 413, 422].contains(response.status), "\(row): \(response.status)")
            #expect(response.json["output"] == nil)
            return
        }
        #expect(response.status == 200, "\(row): \(String(decoding: response.body, as: UTF8.self))")
        guard let output = Data(base64Encoded: response.json["output"] as? String ?? "") else { return }
        let displayed = row["displayed_wxh"].split(separator: "x").compactMap { Int($0) }
        let exifDropped = response.json["exif_dropped"] as? Bool == true
        if exifDropped {
            let tags = await MetadataTools.tags(of: output)
            #expect(!tags.keys.contains { $0.contains("GPS") }, "\(row): GPS left")
        } else {
            await PrepareJpegTests.verify(input: input, output: output, displayWidth: displayed.first,
                                          displayHeight: displayed.last, name: row["path"])
        }
    }
}
