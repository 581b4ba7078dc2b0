// Why this module is C: the pool's scoreboard is memory shared between the
// supervisor and its responders. Mapping it and touching it atomically needs
// raw pointers; here it is reduced to numbered 64-bit counters, so the Swift
// side lays out its fields by index and never holds a pointer.
#ifndef SHARED_COUNTERS_H
#define SHARED_COUNTERS_H

/// The descriptor number a responder finds the pool's scoreboard at.
#define PS_SHARED_FD 3

typedef struct ps_shared_counters ps_shared_counters;

/// Creates an anonymous shared memory file of `count` zeroed 64-bit counters.
/// The descriptor is close-on-exec and numbered 10 or above, so it can be
/// handed to a child at a fixed number. Returns it, or -errno.
int ps_shared_counters_create(int count);

/// Maps the counters of descriptor `fd` (made by the call above, possibly in
/// another process). Returns NULL on failure.
ps_shared_counters *ps_shared_counters_map(int fd);

/// How many counters there are.
int ps_shared_counters_count(const ps_shared_counters *counters);

/// Atomic access; an index out of range reads 0 and writes nothing.
long long ps_shared_load(const ps_shared_counters *counters, int index);
void ps_shared_store(ps_shared_counters *counters, int index, long long value);
void ps_shared_add(ps_shared_counters *counters, int index, long long delta);
/// Raises the counter to `value` if it is lower.
void ps_shared_raise(ps_shared_counters *counters, int index, long long value);

#endif
