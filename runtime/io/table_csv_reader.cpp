// Table files: a bounded read, then the data reader's splitter over every record, with located cells.
#include "table_csv_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime/io/csv_dialect.hpp"
#include "runtime/io/csv_splitter.hpp"

namespace regelwerk {

namespace {

// "16 MiB" for the real limit, "100 bytes" for the small ones the tests use.
std::string sizeText(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string tooLarge(size_t max_bytes) {
  return "is larger than " + sizeText(max_bytes) + ", the limit for a table file";
}

// Reads `fd` to its end into `text`, but never more than max_bytes + 1 bytes (one more tells that
// the file is over the limit). Works for pipes and devices, whose size fstat does not know.
std::string readBounded(int fd, size_t max_bytes, std::string* text) {
  constexpr size_t kStep = size_t{64} << 10;
  size_t size = 0;
  while (size <= max_bytes) {
    text->resize(std::min(size + kStep, max_bytes + 1));
    const ssize_t got = ::read(fd, text->data() + size, text->size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::string("cannot be read: ") + std::strerror(errno);
    if (got == 0) break;
    size += static_cast<size_t>(got);
  }
  text->resize(size);
  return size > max_bytes ? tooLarge(max_bytes) : "";
}

std::string readOpened(int fd, size_t max_bytes, std::string* text) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::string("cannot be read: ") + std::strerror(errno);
  if (S_ISDIR(info.st_mode)) return "is a directory, not a CSV file";
  if (S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) > max_bytes) return tooLarge(max_bytes);
  if (S_ISREG(info.st_mode)) text->reserve(static_cast<size_t>(info.st_size) + 1);
  return readBounded(fd, max_bytes, text);
}

// Line and code-point column of positions in one text, for positions visited in increasing order.
class Positions {
 public:
  Positions(const char* text, uint32_t file) : line_start_(text), scanned_(text), file_(file) {}

  Location at(const char* pos) {
    for (; scanned_ < pos; ++scanned_) {
      if (*scanned_ != '\n') continue;
      ++line_;
      line_start_ = scanned_ + 1;
    }
    uint32_t col = 1;
    for (const char* byte = line_start_; byte < pos; ++byte) col += (static_cast<unsigned char>(*byte) & 0xC0) != 0x80;
    return Location{file_, line_, col};
  }

 private:
  const char* line_start_;
  const char* scanned_;
  uint32_t file_;
  uint32_t line_ = 1;
};

// Where field `field` of a record starts, also when the splitter stopped at it: the fields before it
// are in `fields` (a quoted field's data starts after its opening quote).
const char* fieldStart(const char* record, const std::vector<CsvField>& fields, size_t field) {
  if (field < fields.size()) return fields[field].data - (fields[field].quoted ? 1 : 0);
  if (field == 0 || fields.empty()) return record;
  const CsvField& before = fields[field - 1];
  return before.data + before.size + (before.quoted ? 1 : 0) + 1;
}

// CsvSplitter needs the text to end with a line feed (the last line of a file may lack it).
std::string withLineEnd(std::string_view text) {
  std::string copy(text);
  if (copy.empty() || copy.back() != '\n') copy.push_back('\n');
  return copy;
}

// The tokenizing pass over one table file; see splitTableCsv.
class TableSplitter {
 public:
  TableSplitter(std::string_view text, uint32_t file, DiagnosticSink& sink)
      : text_(withLineEnd(text)), positions_(text_.data(), file), sink_(sink), file_(file), splitter_(CsvDialect{}) {}

  std::optional<CsvRows> run(bool empty_file) {
    if (empty_file) {
      sink_.error("E0705", Location{file_, 1, 1}, "the file is empty; it needs a header line");
      return std::nullopt;
    }
    const char* pos = text_.data();
    const char* end = pos + text_.size();
    if (emptyLineLength(pos, end)) {
      sink_.error("E0705", Location{file_, 1, 1}, "the header line is empty: expected column names on line 1");
      return std::nullopt;
    }
    if (!splitRecord(&pos, end, &rows_.header)) return std::nullopt;
    while (pos < end && errors_ < kMaxTableCsvErrors) {
      if (size_t empty = emptyLineLength(pos, end)) {
        pos += empty;
        continue;
      }
      std::vector<CsvCell> row;
      if (splitRecord(&pos, end, &row) && checkCount(row)) rows_.rows.push_back(std::move(row));
    }
    if (errors_ > 0) return std::nullopt;
    return std::move(rows_);
  }

 private:
  // Splits the record at *pos into `cells` and moves *pos past it; false (reported) on a quoting error.
  bool splitRecord(const char** pos, const char* end, std::vector<CsvCell>* cells) {
    const char* record = *pos;
    const SplitResult split = splitter_.split(record, end, &fields_);
    *pos = split.end;
    if (split.error != SplitError::None) {
      Location loc = positions_.at(fieldStart(record, fields_, split.error_field));
      std::string hint;
      if (split.error_field < rows_.header.size()) hint = "in column `" + rows_.header[split.error_field].text + "`";
      report(loc, describeSplitError(split.error, split.error_field), hint);
      return false;
    }
    for (size_t field = 0; field < fields_.size(); ++field) {
      CsvCell cell{std::string(fields_[field].view()), positions_.at(fieldStart(record, fields_, field))};
      if (fields_[field].escaped) splitter_.unescape(fields_[field], &cell.text);
      cells->push_back(std::move(cell));
    }
    return true;
  }

  // A row with another number of cells than the header: at its first extra cell, or its start.
  bool checkCount(const std::vector<CsvCell>& row) {
    const size_t header_size = rows_.header.size();
    if (row.size() == header_size) return true;
    bool extra = row.size() > header_size;
    report(extra ? row[header_size].loc : row[0].loc, describeFieldCount(row.size(), header_size),
           extra ? "quote a cell that holds a `,`; the header names every column"
                 : "give every row one cell per header column; an empty cell is nothing between two `,`");
    return false;
  }

  void report(Location loc, std::string message, std::string hint) {
    sink_.error("E0712", loc, std::move(message), std::move(hint));
    ++errors_;
  }

  std::string text_;
  Positions positions_;
  DiagnosticSink& sink_;
  uint32_t file_;
  CsvSplitter splitter_;
  std::vector<CsvField> fields_;
  CsvRows rows_;
  size_t errors_ = 0;
};

}  // namespace

TableFile readTableFile(const std::string& path, size_t max_bytes) {
  TableFile result;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    result.open_errno = errno;
    return result;
  }
  result.problem = readOpened(fd, max_bytes, &result.text);
  ::close(fd);
  if (!result.problem.empty()) result.text.clear();
  const size_t bom = bomLength(result.text.data(), result.text.size());
  result.text.erase(0, bom);
  return result;
}

std::optional<CsvRows> splitTableCsv(std::string_view text, uint32_t file, DiagnosticSink& sink) {
  return TableSplitter(text, file, sink).run(text.empty());
}

}  // namespace regelwerk
