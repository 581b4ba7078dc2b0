import ImageKit
import Upload

/// Fuzz targets for the parsers of untrusted input, by name.
///
/// Built with `make fuzz` (`-sanitize=fuzzer -D FUZZING`), libFuzzer drives
/// `LLVMFuzzerTestOneInput` and `FUZZ_TARGET` picks the parser. In ordinary
/// builds this is a replayer: `remote-worker-fuzz TARGET FILE...` runs files
/// (such as a crash the fuzzer saved) through the same code.
enum ParserFuzz {
    static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "multipart": multipart,
        "jpeg-metadata": ParserEntryPoints.prepareJPEG,
        "icns": ParserEntryPoints.icns,
        "ico": ParserEntryPoints.ico,
        "apng": ParserEntryPoints.apng,
    ]

    /// The multipart parser with a fixed boundary: a file it returns is part of the body.
    static func multipart(_ body: [UInt8]) {
        guard let file = try? UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ") else {
            return
        }
        precondition(file.bytes.count <= body.count, "the file is larger than the body it came from")
    }
}
