/// Runs a process's previews on the thread that runs its event loop: every task
/// started with this executor as its preference runs here, one job at a time,
/// between two waits of the loop. Nothing runs in parallel, so what the tasks
/// share (the loop, the connections, the admission counts) needs no lock, and a
/// preview waiting on the network is a suspended task, not a thread.
public final class LoopExecutor: TaskExecutor, @unchecked Sendable {
    private var queued: [UnownedJob] = []

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        queued.append(UnownedJob(job))
    }

    /// Whether a job waits to run.
    public var hasWork: Bool { !queued.isEmpty }

    /// Runs every job queued, and those they queue, until none is left.
    public func runQueued() {
        while !queued.isEmpty {
            let batch = queued
            queued.removeAll(keepingCapacity: true)
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
