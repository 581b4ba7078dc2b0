import CVips
import CVipsShim

/// Owns one libvips image reference and the bytes it may still read from.
final class VipsImageHandle {
    let pointer: UnsafeMutablePointer<VipsImage>
    /// Loaded images read their source lazily: keep it alive as long as the image.
    private let source: ImageBytes?

    init(_ pointer: UnsafeMutablePointer<VipsImage>, source: ImageBytes?) {
        self.pointer = pointer
        self.source = source
    }

    /// Wraps the result of a shim call, turning NULL into an error carrying libvips' message.
    static func wrap(
        _ result: UnsafeMutablePointer<VipsImage>?, source: ImageBytes?,
        failure: (String) -> ImageError
    ) throws(ImageError) -> VipsImageHandle {
        guard let result else { throw failure(VipsErrorBuffer.take()) }
        return VipsImageHandle(result, source: source)
    }

    deinit { shim_unref(pointer) }

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }
    var bands: Int { Int(vips_image_get_bands(pointer)) }
    var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    var interpretation: VipsInterpretation { vips_image_get_interpretation(pointer) }
    var bandFormat: VipsBandFormat { vips_image_get_format(pointer) }

    func int(_ field: String) -> Int? {
        var value: Int32 = 0
        return shim_get_int(pointer, field, &value) == 0 ? Int(value) : nil
    }

    /// An int-array header field (such as "delay"), or empty.
    func intArray(_ field: String) -> [Int] {
        guard vips_image_get_typeof(pointer, field) != 0 else { return [] }
        var values: UnsafeMutablePointer<Int32>? = nil
        var count: Int32 = 0
        guard vips_image_get_array_int(pointer, field, &values, &count) == 0, let values else { return [] }
        return (0..<Int(count)).map { Int(values[$0]) }
    }

    /// Derives a new image; the derived one keeps what this one keeps alive.
    func derive(
        _ operation: (UnsafeMutablePointer<VipsImage>) -> UnsafeMutablePointer<VipsImage>?
    ) throws(ImageError) -> VipsImageHandle {
        try Self.wrap(operation(pointer), source: source) { .corrupt(detail: $0) }
    }
}
