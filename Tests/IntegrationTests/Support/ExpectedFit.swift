/// The box-fitting arithmetic the API promises: inside box×box, aspect kept, never enlarged.
func expectedFit(width: Int, height: Int, box: Int) -> (Int, Int) {
    guard width > box || height > box else { return (width, height) }
    if width >= height {
        return (box, max(1, Int((Double(height) * Double(box) / Double(width)).rounded())))
    }
    return (max(1, Int((Double(width) * Double(box) / Double(height)).rounded())), box)
}
