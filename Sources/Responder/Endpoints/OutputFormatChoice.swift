import ImageKit
import ResponderCore

/// `?format=`: the output format a request asks for. `auto` reads the `Accept`
/// header (AVIF, then WebP, then the input's own format) and the answer then
/// varies with it (`Vary: Accept`).
struct OutputFormatChoice {
    /// nil: the endpoint's default.
    let format: OutputFormat?
    let variesWithAccept: Bool

    init(_ request: Request, allowed: [OutputFormat]) throws(ServiceError) {
        guard let value = request.query["format"]?.lowercased() else {
            self.format = nil
            self.variesWithAccept = false
            return
        }
        if value == "auto" {
            let accepted = Self.acceptedTypes(request.accept ?? "")
            format = [OutputFormat.avif, .webp].first { allowed.contains($0) && accepted.contains($0.mimeType) }
            variesWithAccept = true
            return
        }
        guard let format = OutputFormat(rawValue: value == "jpg" ? "jpeg" : value), allowed.contains(format) else {
            throw .badParameter("format must be one of \((allowed.map(\.rawValue) + ["auto"]).joined(separator: ", "))")
        }
        self.format = format
        self.variesWithAccept = false
    }

    /// The media types an Accept header names with a quality above zero.
    static func acceptedTypes(_ header: String) -> Set<String> {
        var types = Set<String>()
        for item in header.prefix(2048).split(separator: ",") {
            let parts = item.split(separator: ";").map { String($0.filter { $0 != " " && $0 != "\t" }).lowercased() }
            guard let type = parts.first, !type.isEmpty else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { types.insert(type) }
        }
        return types
    }

    /// `Vary: Accept` when the answer depends on it.
    func headers() -> [(String, String)] {
        variesWithAccept ? [("Vary", "Accept")] : []
    }
}
