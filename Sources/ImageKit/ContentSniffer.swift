import CMagic

/// Decides an upload's type from its bytes with libmagic.
///
/// One sniffer per process: loading the magic database takes milliseconds,
/// sniffing a buffer takes microseconds.
final class ContentSniffer {
    private let cookie: magic_t

    /// libmagic only needs the start of a file; bounding the input bounds its work.
    private static let sniffLength = 256 * 1024

    init() throws(ImageError) {
        let flags = MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_TAR
            | MAGIC_NO_CHECK_CDF | MAGIC_NO_CHECK_ENCODING
        guard let cookie = magic_open(flags) else {
            throw .failed(detail: "magic_open failed")
        }
        guard magic_load(cookie, nil) == 0 else {
            let reason = magic_error(cookie).map { String(cString: $0) } ?? "unknown"
            magic_close(cookie)
            throw .failed(detail: "magic_load failed: \(reason)")
        }
        self.cookie = cookie
    }

    deinit { magic_close(cookie) }

    /// The MIME type libmagic reports, e.g. `image/png`.
    func mimeType(of bytes: ImageBytes) -> String {
        mimeType(bytes.baseAddress, count: bytes.count)
    }

    func mimeType(of bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { mimeType($0.baseAddress, count: $0.count) }
    }

    private func mimeType(_ base: UnsafeRawPointer?, count: Int) -> String {
        guard let base, let result = magic_buffer(cookie, base, min(count, Self.sniffLength)) else {
            return "application/octet-stream"
        }
        return String(cString: result)
    }
}
