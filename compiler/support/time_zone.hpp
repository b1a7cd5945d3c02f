// IANA time zones from the system's tzdata (TZif files under $TZDIR, else /usr/share/zoneinfo), read
// once per process and shared by every thread: the checker asks whether a literal zone exists, the
// time kernels (runtime/builtins) convert between instants and local wall-clock time.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace regelwerk::tz {

// One zone's rules as a list of UTC offsets by instant. The file's transitions are extended with its
// POSIX rule (the TZif footer) up to the year 9999, so every lookup is one binary search.
class Zone {
 public:
  // Seconds east of UTC in force at `utc` (seconds since 1970-01-01T00:00:00Z).
  int64_t offsetAt(int64_t utc) const;
  // The instant at which the wall clock shows `local` (seconds since 1970-01-01T00:00:00 local).
  // A time that occurs twice (a fold, clocks set back) gives the earlier instant; a time that does
  // not occur (a gap, clocks set forward) is read with the offset before the gap, so it moves forward
  // by the gap's length: Europe/Berlin 2025-03-30 02:30 -> 01:30Z (= 03:30 CEST).
  int64_t utcOf(int64_t local) const;

  int64_t initial_offset_ = 0;
  std::vector<int64_t> transitions_;  // strictly increasing instants
  std::vector<int64_t> offsets_;      // offsets_[k] is in force from transitions_[k]
};

// The zone named `name` ("Europe/Berlin", "UTC"), or nullptr when no readable TZif file has that name.
// Each name is read at most once per process; later calls are a lookup (thread-safe, lock-free on a
// thread's recently used names).
const Zone* findZone(std::string_view name);

}  // namespace regelwerk::tz
