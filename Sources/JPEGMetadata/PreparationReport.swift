/// What the preparation steps did, gathered as they run.
struct PreparationReport {
    var gpsRemoved = false
    var exifDropped = false
    var segmentsStripped = 0
    var detectorDrops = 0
}
