/// What the supervisor sees of its responders for itself: CPU time counted by
/// the kernel and the kernel's listen queue, set against what each responder
/// wrote on the scoreboard (which a compromised one can fake). Pure logic: the
/// supervisor feeds it one observation per responder per tick.
struct ResponderWatch {
    struct Observation: Equatable {
        let pid: Int32
        /// From /proc/PID/stat.
        let cpuSeconds: Double
        /// As the responder reported them: requests finished, and whether it says it is busy.
        let requests: Int
        let reportsIdle: Bool
    }

    /// CPU a responder may spend without finishing a request: the request deadline for
    /// each thread it may run (libvips' threads and its own).
    let cpuBudget: Double
    /// How long connections may wait while a responder says it is idle and does nothing.
    let stallLimit: Double

    private var sinceProgress: [Int32: (requests: Int, cpu: Double)] = [:]
    private var stalled: [Int32: (since: Double, cpu: Double, requests: Int)] = [:]

    init(cpuBudget: Double, stallLimit: Double = 2) {
        self.cpuBudget = cpuBudget
        self.stallLimit = stallLimit
    }

    /// The responders to kill, with the reason: CPU spent without a request finished, or
    /// idle by its own account while connections waited and its CPU did not move.
    mutating func misbehaving(_ observations: [Observation], queued: Int, now: Double) -> [(pid: Int32, reason: String)] {
        let present = Set(observations.map(\.pid))
        sinceProgress = sinceProgress.filter { present.contains($0.key) }
        stalled = stalled.filter { present.contains($0.key) }
        var found: [(pid: Int32, reason: String)] = []
        for seen in observations where seen.cpuSeconds >= 0 {
            if let last = sinceProgress[seen.pid], last.requests == seen.requests {
                let spent = seen.cpuSeconds - last.cpu
                if spent > cpuBudget {
                    found.append((seen.pid, "spent \(Int(spent)) s of CPU without finishing a request"))
                    continue
                }
            } else {
                sinceProgress[seen.pid] = (seen.requests, seen.cpuSeconds)
            }
            guard queued > 0, seen.reportsIdle else {
                stalled[seen.pid] = nil
                continue
            }
            if let stall = stalled[seen.pid], stall.cpu == seen.cpuSeconds, stall.requests == seen.requests {
                if now - stall.since > stallLimit {
                    found.append((seen.pid, "said it was idle while \(queued) connections waited for \(Int(now - stall.since)) s"))
                }
            } else {
                stalled[seen.pid] = (now, seen.cpuSeconds, seen.requests)
            }
        }
        return found
    }
}
