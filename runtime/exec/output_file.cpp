// Output files written atomically, so a failed run never leaves a half-written result behind.
#include "output_file.hpp"

#include <cerrno>
#include <cstring>

namespace regelwerk {

OutputFile::~OutputFile() { abandon(); }

bool OutputFile::open(const std::string& path, std::string* error) {
  path_ = path;
  if (path == "-") {
    file_ = stdout;
    return true;
  }
  temp_path_ = path + ".tmp";
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) {
    *error = "cannot create output `" + path + "`: " + std::strerror(errno);
    return false;
  }
  buffer_.resize(1 << 16);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  return true;
}

bool OutputFile::write(std::string_view text) {
  if (text.empty() || failed_) return !failed_;
  failed_ = std::fwrite(text.data(), 1, text.size(), file_) != text.size();
  return !failed_;
}

bool OutputFile::commit(std::string* error) {
  if (file_ == stdout) {
    failed_ = std::fflush(stdout) != 0 || failed_;
    file_ = nullptr;
  } else if (file_ != nullptr) {
    failed_ = std::fclose(file_) != 0 || failed_;
    file_ = nullptr;
    if (!failed_ && std::rename(temp_path_.c_str(), path_.c_str()) != 0) failed_ = true;
  }
  if (failed_) *error = "cannot write output `" + path_ + "`: " + std::strerror(errno);
  temp_path_.clear();
  return !failed_;
}

void OutputFile::abandon() {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (file_ == stdout) std::fflush(stdout);
  file_ = nullptr;
  if (!temp_path_.empty()) std::remove(temp_path_.c_str());
  temp_path_.clear();
}

}  // namespace regelwerk
