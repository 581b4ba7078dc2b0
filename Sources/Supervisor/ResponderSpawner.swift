import CProcessControl
import CSandbox
import Scoreboard

#if canImport(Glibc)
import Glibc
#endif

/// Spawns responders as new processes of this same executable
/// (`remote-worker respond`), with the listening socket as descriptor 0 and
/// the scoreboard as descriptor 3; `RW_SLOT` tells each its scoreboard slot.
///
/// posix_spawn rather than fork: the child starts clean, with no copy of the
/// supervisor's threads or heap, and initialises libvips for itself.
public final class ResponderSpawner: ProcessSpawner {
    private let executable: String
    private let arguments: [String]
    private let environment: [String]
    private let listenDescriptor: Int32
    private let scoreboard: Scoreboard

    /// The variable that gives a responder its scoreboard slot.
    public static let slotVariable = "RW_SLOT"

    public init(executable: String, arguments: [String], environment: [String: String], listenDescriptor: Int32,
                scoreboard: Scoreboard) {
        self.executable = executable
        self.arguments = arguments
        // A crashing responder should not spend seconds of CPU printing a backtrace while
        // its request waits: the crash is logged by the supervisor. SWIFT_BACKTRACE, when set, wins.
        let defaults = ["SWIFT_BACKTRACE": "enable=no"]
        self.environment = defaults.merging(environment) { $1 }.filter { $0.key != Self.slotVariable }
            .map { "\($0.key)=\($0.value)" }.sorted()
        self.listenDescriptor = listenDescriptor
        self.scoreboard = scoreboard
    }

    public func spawn(slot: Int) throws(SpawnError) -> Int32 {
        // Overlapping reloads can want more responders than there are slots: wait for some to end.
        guard Scoreboard.holds(slot) else { throw SpawnError("no free scoreboard slot (all \(Scoreboard.slotCapacity) in use)") }
        let argv = CStringArray([executable] + arguments)
        let envp = CStringArray(environment + ["\(Self.slotVariable)=\(slot)"])
        let pid = ps_spawn(executable, argv.pointers, envp.pointers, listenDescriptor, scoreboard.descriptor)
        guard pid > 0 else { throw SpawnError("posix_spawn \(executable): \(String(cString: strerror(-pid)))") }
        scoreboard.claim(slot: slot, pid: pid, now: unixTime())
        return pid
    }

    public func tookRequest(slot: Int) -> Bool {
        scoreboard.responders().first { $0.slot == slot }.map { $0.requests > 0 || $0.state == .busy } ?? false
    }

    public func released(slot: Int) {
        scoreboard.release(slot: slot)
    }

    public func send(_ signal: Int32, to pid: Int32) {
        kill(pid, signal)
    }

    /// The path of the running executable, so responders run the same build.
    public static var currentExecutable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A NULL-terminated array of C strings that lives as long as this value.
private final class CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit { pointers.forEach { free($0) } }
}
