// Temporary folder and anonymous run files for the external sort.
#include "spill_folder.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace regelwerk {

SpillFolder::~SpillFolder() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

bool SpillFolder::create(std::string* error) {
  std::string pattern = (parent_.empty() ? std::string(".") : parent_) + "/regelwerk-sort-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (!::mkdtemp(name.data())) {
    *error = "cannot create a temporary folder in `" + parent_ + "` for sorting: " + std::strerror(errno);
    return false;
  }
  path_ = name.data();
  return true;
}

// O_TMPFILE when the file system has it; otherwise a mkstemp file unlinked right after it is opened.
int SpillFolder::openFile(std::string* error) {
  if (path_.empty() && !create(error)) return -1;
  int fd = ::open(path_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string pattern = path_ + "/run-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot create a temporary file in `" + path_ + "` for sorting: " + std::strerror(errno);
    return -1;
  }
  ::unlink(name.data());
  return fd;
}

}  // namespace regelwerk
