/// The avatar edge lengths every source gets.
public let mandatoryAvatarSizes = [24, 48, 73]
/// Larger avatars, made only when the source is at least that big in both directions.
public let optionalAvatarSizes = [128, 256, 512]

/// Which avatar sizes a source yields: vector sources render at any size.
public func avatarSizes(width: Int, height: Int, isVector: Bool) -> [Int] {
    let shortSide = min(width, height)
    return mandatoryAvatarSizes + optionalAvatarSizes.filter { isVector || shortSide >= $0 }
}
