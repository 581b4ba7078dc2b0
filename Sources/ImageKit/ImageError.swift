/// What can go wrong with an image, in terms a caller can map to a response.
/// `detail` strings are for logs only: they may quote libvips.
public enum ImageError: Error, Equatable, Sendable {
    case unsupportedType(detail: String)
    case corrupt(detail: String)
    case tooManyPixels(limit: Int)
    case tooManyFrames(limit: Int)
    /// The output grew past the configured size while it was being written.
    case outputTooLarge(limit: Int)
    case failed(detail: String)
}
