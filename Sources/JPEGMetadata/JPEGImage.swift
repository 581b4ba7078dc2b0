import Bytes

/// One image of a file (the primary one, or one that follows it) as the
/// preparation steps see it: its header segments as editable values, and its
/// scans as ranges of the source bytes.
struct JPEGImage {
    struct Segment {
        var marker: UInt8
        /// The bytes after the two length bytes.
        var payload: [UInt8]
        var isDropped = false
        var isEdited = false
        var isMetadata: Bool { (0xE0...0xEF).contains(marker) || marker == 0xFE }
        var reader: ByteReader<[UInt8]> { payload.reader }

        func starts(with text: String) -> Bool { reader.matches(Array(text.utf8), at: 0) }
    }

    var segments: [Segment]
    let structure: JPEGSegments
    /// The bytes the image was read from (shared, not copied).
    let source: [UInt8]
    /// Metadata segments between scans are left out of the output.
    var keepsScanMetadata = false

    init(_ source: [UInt8], structure: JPEGSegments) {
        self.source = source
        self.structure = structure
        segments = structure.header.map { Segment(marker: $0.marker, payload: Array(source[$0.payload])) }
    }

    /// Whether anything differs from the source.
    var isChanged: Bool {
        segments.contains { $0.isDropped || $0.isEdited } || (!keepsScanMetadata && !structure.scanMetadata.isEmpty)
    }

    /// The scans from the first SOS through the EOI, without metadata between them.
    var scanBytes: [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = structure.frameStart
        if !keepsScanMetadata {
            for segment in structure.scanMetadata {
                pieces.append(source[start..<segment.start])
                start = segment.end
            }
        }
        pieces.append(source[start..<structure.imageEnd])
        return pieces
    }

    /// Indices of the segments still in the image.
    var keptIndices: [Int] { segments.indices.filter { !segments[$0].isDropped } }
}
