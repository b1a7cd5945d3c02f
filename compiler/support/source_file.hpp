// A rule file's text with a line table, so offsets turn into 1-based line and column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace regelwerk {

// A position in a source file. Line and column are 1-based; columns count code points.
struct Location {
  uint32_t file = 0;  // index into the SourceManager; 0 = no file
  uint32_t line = 0;
  uint32_t col = 0;

  bool valid() const { return line != 0; }
  friend bool operator<(const Location& a, const Location& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    return a.col < b.col;
  }
  friend bool operator==(const Location&, const Location&) = default;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The text of 1-based line `line`, without its line break.
  std::string_view lineText(uint32_t line) const;
  uint32_t lineCount() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<size_t> line_starts_;
};

// Owns every loaded file; Location::file indexes into it (1-based).
class SourceManager {
 public:
  uint32_t add(std::string path, std::string text);
  const SourceFile& file(uint32_t id) const { return files_.at(id - 1); }
  size_t size() const { return files_.size(); }

 private:
  std::vector<SourceFile> files_;
};

}  // namespace regelwerk
