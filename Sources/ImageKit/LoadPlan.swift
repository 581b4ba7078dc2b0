/// What to hand libvips for an upload: the bytes (for containers, the image
/// inside), the loader that must claim them, and the loader options.
struct LoadPlan {
    /// The upload's own format, as reported to clients.
    let format: ImageFormat
    /// The bytes the loader reads.
    let bytes: ImageBytes
    /// The format whose loader must claim `bytes`.
    let loaderFormat: ImageFormat
    /// libvips option string for the loader.
    let loadOptions: String
}

/// Decoding stops at the first error instead of filling the rest with grey.
let strictLoadOption = "fail_on=truncated"
