// The temporary folder of an external sort: created on first use, removed with everything in it.
#pragma once

#include <string>
#include <utility>

namespace regelwerk {

// A folder made with mkdtemp inside the folder the caller names (`regelwerk-sort-XXXXXX`), created
// only when the first run is spilled. Run files are anonymous (O_TMPFILE, or a mkstemp name that is
// unlinked at once), so the folder stays empty while in use and nothing is left even after a crash
// but the empty folder; the destructor removes the folder on every path.
class SpillFolder {
 public:
  explicit SpillFolder(std::string parent) : parent_(std::move(parent)) {}
  ~SpillFolder();
  SpillFolder(const SpillFolder&) = delete;
  SpillFolder& operator=(const SpillFolder&) = delete;

  // A new empty file open for reading and writing, with no name. -1 with `error` set on failure.
  int openFile(std::string* error);

  // The folder's path, "" until the first openFile().
  const std::string& path() const { return path_; }
  const std::string& parent() const { return parent_; }

 private:
  bool create(std::string* error);

  std::string parent_;
  std::string path_;
};

}  // namespace regelwerk
