// The longest CSV record the engine reads, and so the longest line it writes.
#pragma once

#include <cstddef>
#include <string>

namespace regelwerk {

// A record, counting its line end, may be at most this many bytes. The reader rejects a longer one
// (so an unclosed quote cannot make it buffer a whole file), and the writer rejects the row of an
// output line that would be longer, so every file the engine writes reads back.
inline constexpr size_t kDefaultMaxRecordSize = size_t{64} << 20;

// "64 MiB" for whole mebibytes, else "1024 bytes" (tests use small limits).
inline std::string describeRecordLimit(size_t bytes) {
  if (bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace regelwerk
