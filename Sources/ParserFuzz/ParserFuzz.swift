import ImageKit
import JPEGMetadata
import LinkPreview
import ResponderCore
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
        "jpeg-metadata": jpegMetadata,
        "icns": ParserEntryPoints.icns,
        "ico": ParserEntryPoints.ico,
        "apng": ParserEntryPoints.apng,
        "html-metadata": htmlMetadata,
        "oembed-json": oembedJSON,
        "fastcgi-request": fastCGIRequest,
    ]

    /// A FastCGI connection's bytes as the fetchers' reader takes them, in chunks the first
    /// byte sizes: it refuses or gives events, never holds more than its limits, and the same
    /// bytes in one piece give the same events.
    static func fastCGIRequest(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let bytes = Array(input.dropFirst())
        let chunk = Int(first) + 1
        var whole = FastCGIRequestReader(maxParameterBytes: 4096, maxBodyBytes: 1024)
        var pieces = FastCGIRequestReader(maxParameterBytes: 4096, maxBodyBytes: 1024)
        let once = try? whole.take(bytes)
        var inPieces: [FastCGIRequestReader.Event]? = []
        var at = 0
        while at < bytes.count, inPieces != nil {
            let end = min(at + chunk, bytes.count)
            if let events = try? pieces.take(bytes[at..<end]) { inPieces! += events } else { inPieces = nil }
            at = end
        }
        precondition((once == nil) == (inPieces == nil) && (once == nil || once! == inPieces!), "chunking changed the reading")
        for case let .request(_, _, parameters, body, _) in once ?? [] {
            precondition(body.count <= 1024, "a body over its limit was kept")
            precondition(parameters.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count } <= 4096, "parameters over their limit")
        }
    }

    /// The multipart reader with a boundary the input chooses (its first byte gives the
    /// length, the next bytes the characters, from RFC 2046's alphabet, '-' and 'a' most
    /// often so boundaries overlap themselves): a file it returns is part of the body.
    static func multipart(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let length = Int(first % 8) + 1
        guard input.count > length else { return }
        let alphabet = Array("--aa-a'()+_,./:=? b".utf8)
        let boundary = String(decoding: input[1...length].map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
        let body = Array(input[(length + 1)...])
        guard let file = try? UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=\"\(boundary)\"") else {
            return
        }
        precondition(file.bytes.startIndex >= 0 && file.bytes.endIndex <= body.count, "the file is not a part of the body")
    }

    /// A fetched page's card: whatever the bytes, every URL it names is an http(s) link
    /// the preview rules accept, and every text is within its cap. The first byte picks
    /// the charset the header would have named.
    static func htmlMetadata(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let charsets: [String?] = [nil, "utf-8", "utf8", "latin1", "windows-1252", "x-sjis", "euc-kr", "iso-2022-jp", "gb18030",
                                   "big5", "hz-gb-2312", "utf-16", "x-user-defined", "x-unknown"]
        let charset = charsets[Int(first) % charsets.count]
        let bytes = Array(input.dropFirst())
        // Whatever the bytes and the charset, the decoder gives valid UTF-8.
        let decoded = PageEncoding.decodePage(bytes, transportCharset: charset)
        precondition(String(validating: decoded, as: UTF8.self) != nil, "the decoder gave invalid UTF-8")
        let page = try! PreviewURL("https://fuzz.example/dir/page?q=1")
        let rules = LinkRules()
        let card = PageCard.read(html: bytes, charset: charset, pageURL: page, links: rules)
        for url in [card.canonicalURL, card.imageURL, card.oembedURL].compactMap({ $0 }) {
            let parsed = try? PreviewURL(url, allowedPorts: PreviewURL.anyPort)
            precondition(parsed.map { rules.admits($0.host) } == true, "a card URL the rules refuse: \(url)")
        }
        precondition((card.title?.count ?? 0) <= PageCard.maxTitle && (card.description?.count ?? 0) <= PageCard.maxDescription)
    }

    /// A site's oEmbed answer: the JSON reader either refuses or gives a value, and what the
    /// preview keeps of it holds no markup and only links the rules accept.
    static func oembedJSON(_ input: [UInt8]) {
        _ = try? JSONValue(parsing: input)
        guard let answer = OEmbed(input, links: LinkRules()) else { return }
        for (name, value) in answer.fields {
            precondition(name != "html", "markup kept")
            if case .text(let text) = value, OEmbed.linkFields.contains(name) {
                let parsed = try? PreviewURL(text, allowedPorts: PreviewURL.anyPort)
                precondition(parsed.map { LinkRules().admits($0.host) } == true, "a link the rules refuse: \(text)")
            }
        }
    }

    /// prepare_jpeg in both modes: whatever comes out is a whole JPEG in which the
    /// independent detector finds no sign of a position.
    static func jpegMetadata(_ data: [UInt8]) {
        for policy in [MetadataPolicy.removeLocation, .keepColourProfileOnly] {
            guard let prepared = try? prepareJPEG(data, policy: policy) else { continue }
            guard (try? JPEGSegments(prepared.bytes)) != nil else {
                preconditionFailure("prepare_jpeg produced a file its own parser rejects")
            }
            let findings = LocationDetector.findings(in: prepared.bytes)
            precondition(findings.isEmpty, "a sign of a position survived: \(findings)")
        }
    }
}
