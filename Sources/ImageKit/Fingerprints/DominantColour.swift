/// The colour most of a picture is: pixels counted in 4096 buckets (4 bits a
/// channel), the fullest bucket's pixels averaged, as `#rrggbb`. Ties go to the
/// lower bucket, so the answer is the same on every run.
enum DominantColour {
    static func of(rgb: [UInt8]) -> String {
        var counts = [Int](repeating: 0, count: 4096)
        var sums = [(Int, Int, Int)](repeating: (0, 0, 0), count: 4096)
        for offset in stride(from: 0, to: rgb.count - 2, by: 3) {
            let (r, g, b) = (Int(rgb[offset]), Int(rgb[offset + 1]), Int(rgb[offset + 2]))
            let bucket = (r >> 4) << 8 | (g >> 4) << 4 | b >> 4
            counts[bucket] += 1
            sums[bucket].0 += r
            sums[bucket].1 += g
            sums[bucket].2 += b
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
              counts[best] > 0 else { return "#000000" }
        let n = counts[best]
        let channels = [sums[best].0, sums[best].1, sums[best].2].map { ($0 + n / 2) / n }
        return "#" + channels.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }
}
