/// What a fit answered with the image alone (`?simple=1`) says about it in headers: written
/// by the image pool, read (as untrusted) by the link-preview pool. One type for both sides.
public struct FittedImageFacts: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// The uploaded image's type, e.g. `image/jpeg`.
    public let sourceType: String

    static let widthHeader = "X-Image-Width"
    static let heightHeader = "X-Image-Height"
    static let sourceTypeHeader = "X-Source-Type"

    public init(width: Int, height: Int, sourceType: String) {
        self.width = width
        self.height = height
        self.sourceType = sourceType
    }

    /// From an answer's headers, keyed by lower-cased name; nil unless every fact is there and sane.
    public init?(headers: [String: String]) {
        guard let width = headers[Self.widthHeader.lowercased()].flatMap({ Int($0) }), (1...1_000_000).contains(width),
              let height = headers[Self.heightHeader.lowercased()].flatMap({ Int($0) }), (1...1_000_000).contains(height),
              let source = headers[Self.sourceTypeHeader.lowercased()], (1...100).contains(source.count)
        else { return nil }
        self.init(width: width, height: height, sourceType: source)
    }

    public var headers: [(String, String)] {
        [(Self.widthHeader, String(width)), (Self.heightHeader, String(height)), (Self.sourceTypeHeader, sourceType)]
    }
}
