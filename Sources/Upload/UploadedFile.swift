/// The image bytes of a request, and what the client said about them
/// (kept for logs only: names and part types are never trusted).
public struct UploadedFile: Sendable {
    /// A slice of the request body: taking the file out copies nothing.
    public var bytes: ArraySlice<UInt8>
    public var filename: String?
    public var declaredType: String?

    public init(bytes: ArraySlice<UInt8>, filename: String? = nil, declaredType: String? = nil) {
        self.bytes = bytes
        self.filename = filename
        self.declaredType = declaredType
    }
}

/// Why no file could be taken from a body.
public enum UploadError: Error, Equatable, Sendable {
    /// No `file` part, or an empty body.
    case noFile
    /// The body is not well-formed multipart, or its boundary is missing or invalid.
    case malformed(String)
}
