#define _GNU_SOURCE
#include "shared_counters.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct ps_shared_counters {
    int64_t *words;
    int count;
};

int ps_shared_counters_create(int count) {
    if (count <= 0) return -EINVAL;
    int fd = memfd_create("remote-worker-scoreboard", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -errno;
    /* Sealed at its size before any responder gets it: a compromised responder cannot
       shrink it under the supervisor, whose next read would then die of SIGBUS. */
    if (ftruncate(fd, (off_t) count * (off_t) sizeof(int64_t)) < 0
        || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    int err = errno;
    close(fd);
    return high < 0 ? -err : high;
}

ps_shared_counters *ps_shared_counters_map(int fd) {
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size % (off_t) sizeof(int64_t) != 0) return NULL;
    void *memory = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (memory == MAP_FAILED) return NULL;
    ps_shared_counters *counters = malloc(sizeof(*counters));
    if (!counters) {
        munmap(memory, (size_t) st.st_size);
        return NULL;
    }
    counters->words = memory;
    counters->count = (int) (st.st_size / (off_t) sizeof(int64_t));
    return counters;
}

int ps_shared_counters_count(const ps_shared_counters *counters) { return counters ? counters->count : 0; }

static int in_range(const ps_shared_counters *counters, int index) {
    return counters && index >= 0 && index < counters->count;
}

long long ps_shared_load(const ps_shared_counters *counters, int index) {
    if (!in_range(counters, index)) return 0;
    return __atomic_load_n(&counters->words[index], __ATOMIC_ACQUIRE);
}

void ps_shared_store(ps_shared_counters *counters, int index, long long value) {
    if (in_range(counters, index)) __atomic_store_n(&counters->words[index], value, __ATOMIC_RELEASE);
}

void ps_shared_add(ps_shared_counters *counters, int index, long long delta) {
    if (in_range(counters, index)) __atomic_add_fetch(&counters->words[index], delta, __ATOMIC_ACQ_REL);
}

void ps_shared_raise(ps_shared_counters *counters, int index, long long value) {
    if (!in_range(counters, index)) return;
    int64_t seen = __atomic_load_n(&counters->words[index], __ATOMIC_ACQUIRE);
    while (seen < value
           && !__atomic_compare_exchange_n(&counters->words[index], &seen, value, 1, __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE)) {}
}
