import Bytes

/// The size a BMP or PSD header declares, read directly from the bytes.
///
/// Those formats go through ImageMagick, which allocates from the header; a
/// size over the limits must be refused before ImageMagick sees the file.
/// Returns nil when the size is within sane bounds (the normal probe then runs).
struct DeclaredSize {
    let width: Int
    let height: Int

    /// Anything larger than this on either side is reported as declared, to fail the pixel limit.
    static let saneSide = 65_535

    init?(_ bytes: ImageBytes, format: ImageFormat) {
        var width = 0
        var height = 0
        switch format {
        case .bmp:
            // BITMAPINFOHEADER: signed 32-bit width and height (negative height means top-down).
            let reader = bytes.reader(.littleEndian)
            guard let w = reader.u32(18), let h = reader.u32(22) else { return nil }
            width = abs(Int(Int32(truncatingIfNeeded: w)))
            height = abs(Int(Int32(truncatingIfNeeded: h)))
        case .psd:
            let reader = bytes.reader(.bigEndian)
            guard let h = reader.u32(14), let w = reader.u32(18) else { return nil }
            width = w
            height = h
        default:
            return nil
        }
        guard width > Self.saneSide || height > Self.saneSide else { return nil }
        self.width = width
        self.height = height
    }
}
