#if canImport(Glibc)
import Glibc
#endif

/// Perceptual hashes with PyPI `imagehash`'s definitions, on greyscale pixels
/// already resized (the caller's choice of resampling): the same picture resized,
/// re-encoded or stripped of metadata lands within a few bits; different pictures do not.
enum PerceptualHash {
    /// imagehash.phash: the 2-D DCT-II (unnormalised, as scipy's) of 32×32 pixels, its
    /// top-left 8×8 compared with their median, row by row, as 16 hex digits.
    static func phash(grey: [UInt8]) -> String {
        precondition(grey.count == 32 * 32)
        let n = 32
        // cos(π k (2m + 1) / 2N), once.
        var table = [Double](repeating: 0, count: n * n)
        for k in 0..<n {
            for m in 0..<n { table[k * n + m] = cos(Double.pi * Double(k) * Double(2 * m + 1) / Double(2 * n)) }
        }
        // Along columns (axis 0), then rows (axis 1); only the first 8 of each are needed.
        var columns = [Double](repeating: 0, count: 8 * n)  // [k][x]
        for k in 0..<8 {
            for x in 0..<n {
                var sum = 0.0
                for y in 0..<n { sum += Double(grey[y * n + x]) * table[k * n + y] }
                columns[k * n + x] = 2 * sum
            }
        }
        var low = [Double](repeating: 0, count: 64)
        for k in 0..<8 {
            for l in 0..<8 {
                var sum = 0.0
                for x in 0..<n { sum += columns[k * n + x] * table[l * n + x] }
                low[k * 8 + l] = 2 * sum
            }
        }
        let sorted = low.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        return hex(low.map { $0 > median })
    }

    /// imagehash.dhash: 9×8 pixels, each compared with its left neighbour, row by row.
    static func dhash(grey: [UInt8]) -> String {
        precondition(grey.count == 9 * 8)
        var bits: [Bool] = []
        for row in 0..<8 {
            for column in 0..<8 { bits.append(grey[row * 9 + column + 1] > grey[row * 9 + column]) }
        }
        return hex(bits)
    }

    /// 64 bits, the first the most significant, as 16 lowercase hex digits.
    static func hex(_ bits: [Bool]) -> String {
        var value: UInt64 = 0
        for bit in bits { value = value << 1 | (bit ? 1 : 0) }
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// Bits that differ between two hashes of the same kind.
    static func distance(_ a: String, _ b: String) -> Int {
        guard let x = UInt64(a, radix: 16), let y = UInt64(b, radix: 16) else { return 64 }
        return (x ^ y).nonzeroBitCount
    }

    /// Greyscale as PIL's `convert("L")`: ITU-R 601-2 luma in 16-bit fixed point.
    static func luma(rgb: [UInt8]) -> [UInt8] {
        stride(from: 0, to: rgb.count, by: 3).map { offset in
            let value = Int(rgb[offset]) * 19595 + Int(rgb[offset + 1]) * 38470 + Int(rgb[offset + 2]) * 7471 + 0x8000
            return UInt8(value >> 16)
        }
    }
}
