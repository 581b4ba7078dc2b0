/// What of a frame an APNG needs to store: only the rectangle that changed since
/// the previous frame, which stays on the canvas (dispose op NONE). Where every
/// changed pixel is opaque, the rectangle is blended OVER the canvas and its
/// unchanged pixels are made fully transparent, which compresses to almost
/// nothing; otherwise it replaces the canvas there (blend op SOURCE).
enum FrameDelta {
    enum Blend: UInt8 {
        case source = 0
        case over = 1
    }

    struct Region: Equatable {
        let pixels: FramePixels
        let rectangle: FramePixels.Rectangle
        let blend: Blend
    }

    static func region(of frame: FramePixels, after previous: FramePixels?) -> Region {
        let whole = FramePixels.Rectangle(x: 0, y: 0, width: frame.width, height: frame.height)
        guard let previous else { return Region(pixels: frame, rectangle: whole, blend: .source) }
        guard let changed = frame.changedRectangle(since: previous) else {
            // Nothing changed: one unchanged pixel carries the frame's delay.
            let one = FramePixels.Rectangle(x: 0, y: 0, width: 1, height: 1)
            return Region(pixels: frame.cropped(to: one), rectangle: one, blend: .source)
        }
        var pixels = frame.cropped(to: changed)
        let before = previous.cropped(to: changed)
        let bands = pixels.bands
        var offset = 0
        var changedAreOpaque = true
        while offset < pixels.bytes.count && changedAreOpaque {
            if !pixels.samePixel(before, at: offset) { changedAreOpaque = isOpaque(pixels.bytes, offset, bands: bands) }
            offset += bands
        }
        guard changedAreOpaque else { return Region(pixels: pixels, rectangle: changed, blend: .source) }
        offset = 0
        while offset < pixels.bytes.count {
            if pixels.samePixel(before, at: offset) {
                for band in 0..<bands { pixels.bytes[offset + band] = 0 }
            }
            offset += bands
        }
        return Region(pixels: pixels, rectangle: changed, blend: .over)
    }

    /// RGBA: alpha 255. Palette indices: any entry but the transparent one (the others are opaque).
    private static func isOpaque(_ bytes: [UInt8], _ offset: Int, bands: Int) -> Bool {
        bands == 4 ? bytes[offset + 3] == 255 : bytes[offset] != IndexedPalette.transparent
    }
}
