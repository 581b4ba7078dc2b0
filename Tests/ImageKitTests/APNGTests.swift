import Foundation
import Testing
@testable import ImageKit

/// The APNG reader and writer on a real APNG (made by apngasm) and on hand-broken ones.
@Suite struct APNGTests {
    func chunks() throws -> [PNGChunk] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("TestImages/animated-3-frames-apng.png")))
        return try #require(PNGChunk.read(bytes))
    }

    /// Rewrites one chunk's data (CRCs are recomputed) and parses the result.
    func reparse(_ chunks: [PNGChunk], maxFrames: Int = 500,
                 _ edit: (inout [PNGChunk]) -> Void) throws(APNGStructure.Problem) -> APNGStructure {
        var edited = chunks
        edit(&edited)
        var bytes = PNGChunk.signature
        for chunk in edited { chunk.write(to: &bytes) }
        return try APNGStructure(PNGChunk.read(bytes) ?? [], maxFrames: maxFrames)
    }

    func replacing(_ chunk: PNGChunk, at offset: Int, with value: [UInt8]) -> PNGChunk {
        var data = Array(chunk.data)
        data.replaceSubrange(offset..<(offset + value.count), with: value)
        return PNGChunk(type: chunk.type, data: data[...])
    }

    @Test func reads_framesDelaysAndLoops() throws {
        let structure = try APNGStructure(try chunks(), maxFrames: 500)
        #expect(structure.frames.count == 3)
        #expect(structure.frames.map(\.delay) == [150, 150, 150])
        #expect(structure.loops == 0)
        #expect(structure.width == 320 && structure.height == 213)
    }

    @Test func stillPNG_isNotAnimated() throws {
        let still = try chunks().filter { !["acTL", "fcTL", "fdAT"].contains($0.type) }
        #expect(throws: APNGStructure.Problem.notAnimated) { try APNGStructure(still, maxFrames: 500) }
    }

    @Test func badSequenceNumber_isMalformed() throws {
        let chunks = try chunks()
        let index = try #require(chunks.lastIndex { $0.type == "fcTL" })
        #expect(throws: APNGStructure.Problem.self) {
            try reparse(chunks) { $0[index] = replacing($0[index], at: 0, with: [0, 0, 0, 99]) }
        }
    }

    @Test func frameOutsideTheCanvas_isMalformed() throws {
        let chunks = try chunks()
        let index = try #require(chunks.lastIndex { $0.type == "fcTL" })
        #expect(throws: APNGStructure.Problem.self) {
            try reparse(chunks) { $0[index] = replacing($0[index], at: 12, with: [0, 0, 1, 0]) } // x = 256
        }
    }

    @Test func missingFrameData_isMalformed() throws {
        #expect(throws: APNGStructure.Problem.self) {
            try reparse(try chunks()) { $0.removeAll { $0.type == "fdAT" } }
        }
    }

    @Test func hugeFrameCount_isRefusedBeforeDecoding() throws {
        let chunks = try chunks()
        let index = try #require(chunks.firstIndex { $0.type == "acTL" })
        #expect(throws: APNGStructure.Problem.tooManyFrames(1_000_000)) {
            try reparse(chunks) { $0[index] = replacing($0[index], at: 0, with: [0, 0x0F, 0x42, 0x40]) }
        }
    }

    @Test func zeroDelays_andZeroDenominators_areRead() throws {
        let chunks = try chunks()
        let first = try #require(chunks.firstIndex { $0.type == "fcTL" })
        let structure = try reparse(chunks) { $0[first] = replacing($0[first], at: 20, with: [0, 7, 0, 0]) }
        #expect(structure.frames[0].delay == 70) // 7/100 s when the denominator is 0
        let zero = try reparse(chunks) { $0[first] = replacing($0[first], at: 20, with: [0, 0, 0, 10]) }
        #expect(zero.frames[0].delay == 0)
    }

    @Test func writer_roundTrips_throughTheReader() throws {
        let source = try APNGStructure(try chunks(), maxFrames: 500)
        var writer = APNGWriter(loops: 3, frames: 3)
        for frame in source.frames { try writer.append(png: source.standalonePNG(of: frame), delay: 40) }
        let written = try #require(PNGChunk.read(try writer.finish()))
        let again = try APNGStructure(written, maxFrames: 500)
        #expect(again.frames.count == 3 && again.loops == 3)
        #expect(again.frames.map(\.delay) == [40, 40, 40])
    }

    @Test func corruptCRC_isRejected() throws {
        var bytes = PNGChunk.signature
        for chunk in try chunks() { chunk.write(to: &bytes) }
        bytes[40] ^= 0xFF
        #expect(PNGChunk.read(bytes) == nil)
    }
}
