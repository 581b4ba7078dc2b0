/// What `prepare_jpeg` did to a file.
public struct PreparedJPEG: Sendable {
    public var bytes: [UInt8]
    /// GPS data was found and removed (EXIF directory, XMP properties or a whole segment).
    public var gpsRemoved: Bool
    /// The EXIF orientation that was applied to the pixels (1 when none was needed).
    public var orientationApplied: Int
    /// Pixels trimmed from the right and bottom edges by the lossless transform.
    public var trimmedWidth: Int
    public var trimmedHeight: Int
    /// An EXIF block was dropped whole because it could not be edited safely.
    public var exifDropped: Bool
    /// Metadata segments removed by `strip=all`, plus metadata between scans and non-image data after the end.
    public var segmentsStripped: Int
    /// Segments in which the independent location detector still found a sign of a position, and dropped.
    public var detectorDrops: Int
    public var width: Int
    public var height: Int
}

/// Which metadata `prepare_jpeg` keeps.
public enum MetadataPolicy: Sendable {
    /// Remove only location data (the default).
    case removeLocation
    /// Remove every metadata segment except the colour profile (and plain JFIF and
    /// Adobe markers, which say how to decode the pixels).
    case keepColourProfileOnly
}

/// Why a file could not be prepared.
public enum PrepareError: Error, Equatable {
    case notJPEG
    /// The file's own structure is broken.
    case corrupt(String)
    /// Our side failed on a file that looked whole.
    case failed(String)
}
