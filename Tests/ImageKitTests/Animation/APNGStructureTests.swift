import Foundation
import Testing
@testable import ImageKit

/// The APNG reader on a real APNG (made by apngasm) and on hand-broken ones.
@Suite struct APNGStructureTests {
    func chunks() throws -> [PNGChunk] {
        try #require(PNGChunk.read(try testImageBytes("animated-3-frames-apng.png")))
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
}
