// An output file that appears only when the run succeeds: written to NAME.tmp, renamed at the end.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace regelwerk {

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // "-" is standard output (written directly). False with `error` when the file cannot be created.
  bool open(const std::string& path, std::string* error);
  bool write(std::string_view text);
  // Flushes and renames the temporary file to its name. False with `error` on a write failure.
  bool commit(std::string* error);
  // Removes the temporary file (called by the destructor if not committed).
  void abandon();

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  std::vector<char> buffer_;  // stdio buffer of this file
};

}  // namespace regelwerk
