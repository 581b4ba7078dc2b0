/// What `prepare_jpeg` did to a file.
public struct PreparedJPEG: Sendable {
    public var bytes: [UInt8]
    /// GPS data was found and removed (EXIF directory or XMP properties).
    public var gpsRemoved: Bool
    /// The EXIF orientation that was applied to the pixels (1 when none was needed).
    public var orientationApplied: Int
    /// Pixels trimmed from the right and bottom edges by the lossless transform.
    public var trimmedWidth: Int
    public var trimmedHeight: Int
    /// An EXIF block was dropped whole because it could not be edited safely.
    public var exifDropped: Bool
    /// Metadata segments removed by `strip=all`, plus non-image data after the end of the image.
    public var segmentsStripped: Int
    public var width: Int
    public var height: Int
}

/// Which metadata `prepare_jpeg` keeps.
public enum MetadataPolicy: Sendable {
    /// Remove only location data (the default).
    case removeLocation
    /// Remove every metadata segment except the colour profile (and the JFIF and
    /// Adobe markers, which say how to decode the pixels).
    case keepColourProfileOnly
}
