import CVips
import CVipsShim

/// One frame's pixels, 8-bit, row by row: RGBA (4 bands) or palette indices (1 band).
/// Plain bytes, so comparing frames and cutting rectangles is ordinary, checked Swift.
struct FramePixels: Equatable {
    var bytes: [UInt8]
    let width: Int
    let height: Int
    let bands: Int

    struct Rectangle: Equatable {
        let x: Int, y: Int, width: Int, height: Int
    }

    /// The smallest rectangle holding every pixel that differs from `previous`; nil when none does.
    func changedRectangle(since previous: FramePixels) -> Rectangle? {
        precondition(previous.width == width && previous.height == height && previous.bands == bands)
        let rowBytes = width * bands
        var top = -1, bottom = -1, left = width, right = -1
        for row in 0..<height {
            let start = row * rowBytes
            var first = -1, last = -1
            for column in 0..<width where !samePixel(previous, at: start + column * bands) {
                if first < 0 { first = column }
                last = column
            }
            guard first >= 0 else { continue }
            if top < 0 { top = row }
            bottom = row
            left = min(left, first)
            right = max(right, last)
        }
        guard top >= 0 else { return nil }
        return Rectangle(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
    }

    /// The pixels inside `rectangle`.
    func cropped(to rectangle: Rectangle) -> FramePixels {
        var out: [UInt8] = []
        out.reserveCapacity(rectangle.width * rectangle.height * bands)
        for row in rectangle.y..<(rectangle.y + rectangle.height) {
            let start = (row * width + rectangle.x) * bands
            out.append(contentsOf: bytes[start..<(start + rectangle.width * bands)])
        }
        return FramePixels(bytes: out, width: rectangle.width, height: rectangle.height, bands: bands)
    }

    /// Whether the pixel at byte `offset` is the same in `other`.
    func samePixel(_ other: FramePixels, at offset: Int) -> Bool {
        for band in 0..<bands where bytes[offset + band] != other.bytes[offset + band] { return false }
        return true
    }
}

extension VipsImageHandle {
    /// The image's pixels (8-bit, as many bands as it has).
    func pixels() throws(ImageError) -> FramePixels {
        var length = 0
        guard let memory = shim_write_to_memory(pointer, &length) else {
            throw .corrupt(detail: "frame pixels: \(VipsErrorBuffer.take())")
        }
        defer { g_free(memory) }
        let bytes = Array(UnsafeRawBufferPointer(start: memory, count: length))
        guard bytes.count == width * height * bands else { throw .failed(detail: "frame pixels: unexpected length") }
        return FramePixels(bytes: bytes, width: width, height: height, bands: bands)
    }

    /// An image over a copy of `frame`'s pixels.
    static func from(_ frame: FramePixels) throws(ImageError) -> VipsImageHandle {
        try wrap(shim_image_from_pixels(frame.bytes, frame.bytes.count, Int32(frame.width), Int32(frame.height),
                                        Int32(frame.bands)), source: nil) { .failed(detail: "frame image: \($0)") }
    }
}
