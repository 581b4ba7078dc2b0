/// A palette of at most 256 entries shared by every frame of an animation, for
/// sources that are palette images already (GIF). Entry 0 is transparent; the
/// others are opaque colours, learnt from the full-size source frames as they
/// arrive. A resized pixel maps to the entry nearest its colour, looked up by the
/// colour's top six bits per channel (an error of at most 3 levels, which no one
/// sees); an entry once given never changes, so frames written earlier stay right.
struct IndexedPalette {
    static let transparent: UInt8 = 0
    /// RGB of each entry; entry 0's is unused (black).
    private(set) var colours: [(UInt8, UInt8, UInt8)] = [(0, 0, 0)]
    /// One bit per 24-bit colour already taken (2 MiB, made on first use).
    private var taken: [UInt64] = []
    /// Nearest entry per 18-bit colour; 0 for not yet known (0 is never an opaque pixel's entry).
    private var nearest = [UInt8](repeating: 0, count: 1 << 18)

    var isFull: Bool { colours.count == 256 }

    /// Takes the opaque colours of a source frame (RGBA) while there is room.
    mutating func learn(from frame: FramePixels) {
        precondition(frame.bands == 4)
        if taken.isEmpty { taken = [UInt64](repeating: 0, count: (1 << 24) / 64) }
        let before = colours.count
        var offset = 0
        while offset < frame.bytes.count, !isFull {
            if frame.bytes[offset + 3] >= 128 {
                let colour = Int(frame.bytes[offset]) << 16 | Int(frame.bytes[offset + 1]) << 8 | Int(frame.bytes[offset + 2])
                let bit = UInt64(1) << UInt64(colour & 63)
                if taken[colour >> 6] & bit == 0 {
                    taken[colour >> 6] |= bit
                    colours.append((frame.bytes[offset], frame.bytes[offset + 1], frame.bytes[offset + 2]))
                }
            }
            offset += 4
        }
        // New entries may be nearer than the ones found so far.
        if colours.count != before { nearest = [UInt8](repeating: 0, count: 1 << 18) }
    }

    /// The frame (RGBA) as palette indices: alpha under half is transparent.
    mutating func indices(of frame: FramePixels) -> FramePixels {
        precondition(frame.bands == 4)
        if colours.count == 1 { learn(from: frame) }
        var out = [UInt8](repeating: Self.transparent, count: frame.width * frame.height)
        for pixel in 0..<out.count where frame.bytes[pixel * 4 + 3] >= 128 {
            let offset = pixel * 4
            let key = Int(frame.bytes[offset] >> 2) << 12 | Int(frame.bytes[offset + 1] >> 2) << 6 | Int(frame.bytes[offset + 2] >> 2)
            var entry = nearest[key]
            if entry == 0 {
                entry = nearestEntry(to: key)
                nearest[key] = entry
            }
            out[pixel] = entry
        }
        return FramePixels(bytes: out, width: frame.width, height: frame.height, bands: 1)
    }

    /// PLTE and tRNS chunk data: only entry 0 is transparent, so tRNS holds one byte.
    var plte: [UInt8] { colours.flatMap { [$0.0, $0.1, $0.2] } }
    var trns: [UInt8] { [0] }

    /// The opaque entry nearest the centre of an 18-bit colour's cell, weighted as the eye weighs the channels.
    private func nearestEntry(to key: Int) -> UInt8 {
        let r = (key >> 12) << 2 | 2, g = (key >> 6 & 63) << 2 | 2, b = (key & 63) << 2 | 2
        var best = 1, bestDistance = Int.max
        for entry in 1..<colours.count {
            let (er, eg, eb) = colours[entry]
            let dr = Int(er) - r, dg = Int(eg) - g, db = Int(eb) - b
            let distance = 2 * dr * dr + 4 * dg * dg + 3 * db * db
            if distance < bestDistance { bestDistance = distance; best = entry }
        }
        return UInt8(best)
    }
}
