import CTurboJPEG

/// Rotates or flips a JPEG in the DCT domain with libjpeg-turbo: no decode,
/// no re-encode, so no quality is lost.
enum LosslessTransform {
    /// The libjpeg-turbo operation that undoes an EXIF orientation (2-8).
    static func operation(forOrientation orientation: Int) -> TJXOP? {
        switch orientation {
        case 2: TJXOP_HFLIP
        case 3: TJXOP_ROT180
        case 4: TJXOP_VFLIP
        case 5: TJXOP_TRANSPOSE
        case 6: TJXOP_ROT90
        case 7: TJXOP_TRANSVERSE
        case 8: TJXOP_ROT270
        default: nil
        }
    }

    /// Transforms `jpeg`, trimming partial edge blocks that cannot be moved
    /// losslessly (as `jhead -autorot` and `jpegtran -trim` do). The result holds
    /// no APP or COM segments: the caller keeps the original ones.
    static func apply(_ operation: TJXOP, to jpeg: [UInt8], progressive: Bool) throws(PrepareError) -> [UInt8] {
        guard let handle = tjInitTransform() else { throw .failed("tjInitTransform failed") }
        defer { tjDestroy(handle) }
        var transform = tjtransform()
        transform.op = Int32(operation.rawValue)
        var options = TJXOPT_TRIM | TJXOPT_COPYNONE
        if progressive { options |= TJXOPT_PROGRESSIVE }
        transform.options = Int32(options)
        var output: UnsafeMutablePointer<UInt8>? = nil
        var outputSize: UInt = 0
        let status = jpeg.withUnsafeBufferPointer { input in
            tjTransform(handle, input.baseAddress, UInt(input.count), 1, &output, &outputSize, &transform,
                        TJFLAG_STOPONWARNING)
        }
        defer { if let output { tjFree(output) } }
        guard status == 0, let output else {
            let reason = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown"
            throw .corrupt("lossless transform: \(reason)")
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(outputSize)))
    }
}
