/// Bounds-checked edits in place, the counterpart of `ByteReader` for parsers that
/// rewrite what they found (EXIF directories): a write outside `window` does nothing.
extension Array where Element == UInt8 {
    @inlinable @discardableResult
    public mutating func store16(_ value: Int, at offset: Int, _ order: ByteOrder, within window: Range<Int>) -> Bool {
        store(value, byteCount: 2, at: offset, order, within: window)
    }

    @inlinable @discardableResult
    public mutating func store32(_ value: Int, at offset: Int, _ order: ByteOrder, within window: Range<Int>) -> Bool {
        store(value, byteCount: 4, at: offset, order, within: window)
    }

    /// Sets `count` bytes from `offset` to zero, when all of them lie inside `window`.
    @inlinable @discardableResult
    public mutating func zero(_ offset: Int, count: Int, within window: Range<Int>) -> Bool {
        guard count > 0, ByteReader(self, window: window).contains(offset, count: count) else { return false }
        for index in offset..<(offset + count) { self[index] = 0 }
        return true
    }

    @inlinable
    internal mutating func store(_ value: Int, byteCount: Int, at offset: Int, _ order: ByteOrder, within window: Range<Int>) -> Bool {
        guard ByteReader(self, window: window).contains(offset, count: byteCount) else { return false }
        for index in 0..<byteCount {
            let shift = 8 * (order == .bigEndian ? byteCount - 1 - index : index)
            self[offset + index] = UInt8(truncatingIfNeeded: value >> shift)
        }
        return true
    }
}
