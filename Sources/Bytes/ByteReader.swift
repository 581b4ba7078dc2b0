/// The order of a multi-byte integer's bytes.
public enum ByteOrder: Sendable { case bigEndian, littleEndian }

/// Bounds-checked reads from untrusted bytes, for every binary parser in the package.
///
/// A read names its offset and returns nil when any byte of it lies outside `window`,
/// so a crafted length or offset can never trap or read past the end. Offsets count
/// from the start of `bytes` (for a slice, its first byte), and a narrowed window keeps
/// them, so what a parser finds can be edited in place by the same numbers.
public struct ByteReader<Bytes: RandomAccessCollection>: Sendable
where Bytes.Element == UInt8, Bytes.Index == Int, Bytes: Sendable {
    public let bytes: Bytes
    /// The part of `bytes` this reader may read.
    public let window: Range<Int>
    public var byteOrder: ByteOrder

    @inlinable
    public init(_ bytes: Bytes, window: Range<Int>? = nil, byteOrder: ByteOrder = .bigEndian) {
        self.bytes = bytes
        let whole = 0..<bytes.count
        self.window = window.map { $0.clamped(to: whole) } ?? whole
        self.byteOrder = byteOrder
    }

    /// The byte at `offset`, which the caller has checked lies inside the window.
    @inlinable @inline(__always)
    internal func byte(_ offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }

    /// The byte at `offset`, for scanning loops over `window`; nil outside it.
    @inlinable
    public subscript(_ offset: Int) -> UInt8? { contains(offset, count: 1) ? byte(offset) : nil }

    /// The same bytes seen through a narrower window.
    @inlinable
    public func narrowed(to range: Range<Int>) -> ByteReader {
        ByteReader(bytes, window: range.clamped(to: window), byteOrder: byteOrder)
    }

    /// Whether `count` bytes from `offset` lie inside the window (overflow-safe).
    @inlinable
    public func contains(_ offset: Int, count: Int) -> Bool {
        guard count >= 0, offset >= window.lowerBound else { return false }
        let (end, overflow) = offset.addingReportingOverflow(count)
        return !overflow && end <= window.upperBound
    }

    @inlinable
    public func u8(_ offset: Int) -> Int? {
        contains(offset, count: 1) ? Int(byte(offset)) : nil
    }

    @inlinable
    public func u16(_ offset: Int) -> Int? {
        guard contains(offset, count: 2) else { return nil }
        let (a, b) = (Int(byte(offset)), Int(byte(offset + 1)))
        return byteOrder == .bigEndian ? a << 8 | b : b << 8 | a
    }

    @inlinable
    public func u32(_ offset: Int) -> Int? {
        guard contains(offset, count: 4) else { return nil }
        var value = 0
        for index in 0..<4 {
            value = value << 8 | Int(byte(byteOrder == .bigEndian ? offset + index : offset + 3 - index))
        }
        return value
    }

    /// Whether the bytes at `offset` are exactly `signature`.
    @inlinable
    public func matches<Signature: Collection>(_ signature: Signature, at offset: Int) -> Bool where Signature.Element == UInt8 {
        guard contains(offset, count: signature.count) else { return false }
        var index = offset
        for expected in signature {
            if byte(index) != expected { return false }
            index += 1
        }
        return true
    }

    /// Like `matches`, ignoring ASCII case.
    @inlinable
    public func matchesIgnoringCase<Signature: Collection>(_ signature: Signature, at offset: Int) -> Bool
    where Signature.Element == UInt8 {
        guard contains(offset, count: signature.count) else { return false }
        var index = offset
        for expected in signature {
            if asciiLowercase(byte(index)) != asciiLowercase(expected) { return false }
            index += 1
        }
        return true
    }

    /// `count` bytes from `offset`, without copying, or nil when they are not all there.
    @inlinable
    public func slice(_ offset: Int, count: Int) -> Bytes.SubSequence? {
        contains(offset, count: count) ? bytes[(bytes.startIndex + offset)..<(bytes.startIndex + offset + count)] : nil
    }
}

/// ASCII letters folded to lower case; every other byte as it is.
@inlinable @inline(__always)
public func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
}

extension Array where Element == UInt8 {
    /// A big-endian reader over the whole array.
    @inlinable public var reader: ByteReader<[UInt8]> { ByteReader(self) }
}

extension ArraySlice where Element == UInt8 {
    /// A big-endian reader over the slice, its offsets counted from the slice's first byte.
    @inlinable public var reader: ByteReader<ArraySlice<UInt8>> { ByteReader(self) }
}
