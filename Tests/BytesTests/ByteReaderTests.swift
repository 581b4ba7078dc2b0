import Testing
import Bytes

@Suite struct ByteReaderTests {
    let bytes: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9A]

    @Test func integers_readInEitherOrder() {
        var reader = ByteReader(bytes)
        #expect(reader.u16(0) == 0x1234 && reader.u32(1) == 0x3456_789A)
        reader.byteOrder = .littleEndian
        #expect(reader.u16(0) == 0x3412 && reader.u32(0) == 0x7856_3412)
    }

    @Test func readsOutsideTheWindow_areNil_neverATrap() {
        let reader = ByteReader(bytes, window: 1..<4)
        #expect(reader.u8(0) == nil && reader.u8(4) == nil && reader.u8(3) == 0x78)
        #expect(reader.u32(1) == nil && reader.u16(2) == 0x5678)
        #expect(reader.u16(Int.max) == nil && reader.u16(-1) == nil && reader.u32(Int.max - 1) == nil)
        #expect(!reader.contains(2, count: Int.max) && !reader.contains(2, count: -1))
        #expect(reader.slice(1, count: 3).map(Array.init) == [0x34, 0x56, 0x78] && reader.slice(1, count: 4) == nil)
    }

    @Test func windowsNeverWiden() {
        let reader = ByteReader(bytes, window: -5..<100)
        #expect(reader.window == 0..<5)
        #expect(reader.narrowed(to: 3..<50).window == 3..<5)
    }

    @Test func signatures_exactly_orIgnoringCase() {
        let text = Array("xxEXIF\u{0}".utf8).reader
        #expect(text.matches(Array("EXIF".utf8), at: 2) && !text.matches(Array("Exif".utf8), at: 2))
        #expect(text.matchesIgnoringCase(Array("exif\u{0}".utf8), at: 2))
        #expect(!text.matches(Array("EXIF\u{0}\u{0}".utf8), at: 2))
    }

    @Test func writes_stayInsideTheirWindow() {
        var copy = bytes
        let wrote16 = copy.store16(0xBEEF, at: 0, .littleEndian, within: 0..<2)
        #expect(wrote16 && copy[0] == 0xEF && copy[1] == 0xBE)
        let wrote32 = copy.store32(1, at: 2, .bigEndian, within: 0..<5)
        let zeroedPastTheEnd = copy.zero(3, count: 3, within: 0..<5)
        #expect(!wrote32 && !zeroedPastTheEnd && copy == [0xEF, 0xBE, 0x56, 0x78, 0x9A])
        let zeroed = copy.zero(3, count: 2, within: 0..<5)
        #expect(zeroed && copy[3] == 0 && copy[4] == 0)
    }
}
