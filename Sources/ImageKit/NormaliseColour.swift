import CVips
import CVipsShim

/// Step: 8-bit sRGB (or 8-bit grey) for every output, so stripping the
/// colour profile on save loses nothing.
func normaliseColour(_ image: VipsImageHandle) throws(ImageError) -> VipsImageHandle {
    let grey = image.interpretation == VIPS_INTERPRETATION_B_W || image.interpretation == VIPS_INTERPRETATION_GREY16
    let target = grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB
    var result = image
    if result.interpretation != target || result.bandFormat != VIPS_FORMAT_UCHAR {
        result = try result.derive { shim_colourspace($0, target) }
    }
    if result.bandFormat != VIPS_FORMAT_UCHAR {
        result = try result.derive { shim_cast_uchar($0) }
    }
    return result
}

/// Step: centre on a transparent square (vector avatars are contained, not cropped).
func centreOnTransparentSquare(_ image: VipsImageHandle, size: Int) throws(ImageError) -> VipsImageHandle {
    var result = image
    if !result.hasAlpha { result = try result.derive { shim_addalpha($0) } }
    if result.width == size && result.height == size { return result }
    return try result.derive { shim_embed_centre($0, Int32(size), Int32(size)) }
}

/// Step: render the pipeline into memory once, so several outputs can share it.
func materialise(_ image: VipsImageHandle) throws(ImageError) -> VipsImageHandle {
    try image.derive { vips_image_copy_memory($0) }
}

/// Step: keep every strip of the pipeline once computed, so a second reader (the
/// placeholder) reads memory while the first (the encoder) still streams.
func keepPixels(_ image: VipsImageHandle) throws(ImageError) -> VipsImageHandle {
    try image.derive { shim_keep_pixels($0) }
}
