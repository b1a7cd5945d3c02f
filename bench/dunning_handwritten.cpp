// The hand-written baseline: mmap the input, cut it into blocks at line breaks, parse and decide each
// block on its own thread into a text buffer, write the buffers in input order.
#include "bench/dunning_handwritten.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace regelwerk::dunning {

namespace {

constexpr size_t kBlockBytes = size_t{4} << 20;  // input bytes per thread per round

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

// A position in one line; each take* consumes a field and the comma after it.
struct Cursor {
  const char* pos;
  const char* end;  // the line break (or end of file) of this line
};

bool takeInt(Cursor& cursor, int64_t* value) {
  const char* pos = cursor.pos;
  const bool negative = pos < cursor.end && *pos == '-';
  pos += negative;
  const char* digits = pos;
  int64_t result = 0;
  while (pos < cursor.end && static_cast<unsigned>(*pos - '0') < 10) result = result * 10 + (*pos++ - '0');
  if (pos == digits || pos - digits > 18 || pos >= cursor.end || *pos != ',') return false;
  *value = negative ? -result : result;
  cursor.pos = pos + 1;
  return true;
}

unsigned twoDigits(const char* text) {
  return static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0'));
}

bool isDigit(char c) {
  return static_cast<unsigned>(c - '0') < 10;
}

// "2026-11-21," -> days; a basic shape and range check, as the workload's dates are generated.
bool takeDate(Cursor& cursor, int64_t* days) {
  const char* text = cursor.pos;
  if (cursor.end - text < 11 || text[4] != '-' || text[7] != '-' || text[10] != ',') return false;
  for (int index : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!isDigit(text[index])) return false;
  }
  const int64_t year = twoDigits(text) * 100 + twoDigits(text + 2);
  const unsigned month = twoDigits(text + 5), day = twoDigits(text + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  *days = daysFromCivil(year, month, day);
  cursor.pos = text + 11;
  return true;
}

bool takeWord(Cursor& cursor, std::string_view word) {
  if (static_cast<size_t>(cursor.end - cursor.pos) <= word.size()) return false;
  if (std::memcmp(cursor.pos, word.data(), word.size()) != 0 || cursor.pos[word.size()] != ',') return false;
  cursor.pos += word.size() + 1;
  return true;
}

// The last cell, `true` or `false`, up to the line break (a '\r' before it is allowed).
bool takeLastBool(Cursor& cursor, bool* value) {
  std::string_view rest(cursor.pos, static_cast<size_t>(cursor.end - cursor.pos));
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  if (rest != "true" && rest != "false") return false;
  *value = rest == "true";
  return true;
}

const char* parseLine(Cursor cursor, Invoice* invoice) {
  if (!takeInt(cursor, &invoice->id)) return "bad id";
  invoice->business = takeWord(cursor, "business");
  if (!invoice->business && !takeWord(cursor, "consumer")) return "bad customer_type";
  if (!takeInt(cursor, &invoice->amount_cents)) return "bad amount_cents";
  if (!takeInt(cursor, &invoice->paid_cents)) return "bad paid_cents";
  if (!takeDate(cursor, &invoice->due_date)) return "bad due_date";
  invoice->has_last_notice = cursor.pos < cursor.end && *cursor.pos != ',';
  if (!invoice->has_last_notice) {
    ++cursor.pos;
  } else if (!takeDate(cursor, &invoice->last_notice_date)) {
    return "bad last_notice_date";
  }
  if (!takeInt(cursor, &invoice->dunning_level)) return "bad dunning_level";
  if (!takeLastBool(cursor, &invoice->disputed)) return "bad disputed";
  return nullptr;
}

// Writes `value` and a separator at `pos`; 21 bytes suffice for any int64 and the separator.
char* putInt(char* pos, int64_t value, char separator) {
  pos = std::to_chars(pos, pos + 20, value).ptr;
  *pos = separator;
  return pos + 1;
}

// Appends "id,action,new_level,fee,interest\n".
void appendOutputLine(int64_t id, const Decision& decision, std::string* output) {
  char line[4 * 21 + 16];
  char* pos = putInt(line, id, ',');
  const std::string_view action = kActionNames[static_cast<size_t>(decision.action)];
  pos = std::copy(action.begin(), action.end(), pos);
  *pos++ = ',';
  pos = putInt(pos, decision.new_level, ',');
  pos = putInt(pos, decision.fee_cents, ',');
  pos = putInt(pos, decision.interest_cents, '\n');
  output->append(line, pos);
}

struct Block {
  const char* begin = nullptr;
  const char* end = nullptr;
  std::string output;
  Checksum checksum;
  int64_t lines = 0;
  int64_t bad_line = -1;  // 0-based line within the block
  const char* why = nullptr;
};

void processBlock(Block* block) {
  block->output.clear();
  block->output.reserve(static_cast<size_t>(block->end - block->begin));
  block->checksum = Checksum{};
  block->lines = 0;
  block->bad_line = -1;
  for (const char* line = block->begin; line < block->end; ++block->lines) {
    const char* line_end = static_cast<const char*>(std::memchr(line, '\n', static_cast<size_t>(block->end - line)));
    if (!line_end) line_end = block->end;
    Invoice invoice;
    if (const char* why = parseLine(Cursor{line, line_end}, &invoice)) {
      block->bad_line = block->lines;
      block->why = why;
      return;
    }
    const Decision decision = decide(invoice);
    block->checksum.add(decision);
    appendOutputLine(invoice.id, decision, &block->output);
    line = line_end + 1;
  }
}

// The end of a block starting at `begin`: about kBlockBytes on, just after a line break.
const char* cutBlock(const char* begin, const char* end) {
  if (static_cast<size_t>(end - begin) <= kBlockBytes) return end;
  const char* newline = static_cast<const char*>(std::memchr(begin + kBlockBytes, '\n', end - begin - kBlockBytes));
  return newline ? newline + 1 : end;
}

void processRound(std::vector<Block>& blocks, size_t count) {
  std::vector<std::thread> helpers;
  for (size_t index = 1; index < count; ++index) helpers.emplace_back(processBlock, &blocks[index]);
  processBlock(&blocks[0]);
  for (std::thread& helper : helpers) helper.join();
}

bool writeAll(int fd, const char* bytes, size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0) return false;
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

// Owns an input file mapped read-only.
class MappedFile {
 public:
  bool open(const std::string& path, std::string* error) {
    fd_ = ::open(path.c_str(), O_RDONLY);
    struct stat info;
    if (fd_ < 0 || ::fstat(fd_, &info) != 0) return fail(error, "cannot read `" + path + "`");
    size_ = static_cast<size_t>(info.st_size);
    if (size_ == 0) return fail(error, path + ": empty file, expected a header");
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (mapped == MAP_FAILED) return fail(error, "cannot map `" + path + "`");
    data_ = static_cast<const char*>(mapped);
    ::madvise(const_cast<char*>(data_), size_, MADV_SEQUENTIAL);
    return true;
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  const char* begin() const { return data_; }
  const char* end() const { return data_ + size_; }

 private:
  static bool fail(std::string* error, std::string message) {
    *error = std::move(message);
    return false;
  }
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// Checks the header line and returns the first byte after it, or null.
const char* skipHeader(const MappedFile& input) {
  const char* newline = static_cast<const char*>(std::memchr(input.begin(), '\n', input.end() - input.begin()));
  std::string_view header(input.begin(), static_cast<size_t>((newline ? newline : input.end()) - input.begin()));
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  if (header != kInputHeader) return nullptr;
  return newline ? newline + 1 : input.end();
}

// Parses, decides and writes everything after the header; line 2 is the first data line.
bool processAll(const char* body, const char* end, int fd, int threads, const std::string& input_path,
                HandwrittenRun* run) {
  std::vector<Block> blocks(static_cast<size_t>(threads));
  int64_t lines_before = 1;
  for (const char* cursor = body; cursor < end;) {
    size_t count = 0;
    for (; count < blocks.size() && cursor < end; ++count) {
      blocks[count].begin = cursor;
      blocks[count].end = cursor = cutBlock(cursor, end);
    }
    processRound(blocks, count);
    for (size_t index = 0; index < count; ++index) {
      const Block& block = blocks[index];
      if (block.bad_line >= 0) {
        run->error = input_path + ":" + std::to_string(lines_before + block.bad_line + 1) + ": " + block.why;
        return false;
      }
      if (!writeAll(fd, block.output.data(), block.output.size())) {
        run->error = "write error";
        return false;
      }
      run->checksum.merge(block.checksum);
      lines_before += block.lines;
    }
  }
  return true;
}

}  // namespace

void evaluateColumns(const InvoiceColumns& input, const DecisionColumns& output, int64_t rows) {
  for (int64_t row = 0; row < rows; ++row) {
    Invoice invoice;
    invoice.business = input.customer_type[row] == 1;
    invoice.amount_cents = input.amount_cents[row];
    invoice.paid_cents = input.paid_cents[row];
    invoice.due_date = input.due_date[row];
    invoice.has_last_notice = input.last_notice_valid[row] != 0;
    invoice.last_notice_date = input.last_notice_date[row];
    invoice.dunning_level = input.dunning_level[row];
    invoice.disputed = input.disputed[row] != 0;
    const Decision decision = decide(invoice);
    output.id[row] = input.id[row];
    output.action[row] = static_cast<int64_t>(decision.action);
    output.new_level[row] = decision.new_level;
    output.fee_cents[row] = decision.fee_cents;
    output.interest_cents[row] = decision.interest_cents;
  }
}

HandwrittenRun runHandwritten(const std::string& input_path, const std::string& output_path, int threads) {
  const auto start = std::chrono::steady_clock::now();
  HandwrittenRun run;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  MappedFile input;
  if (!input.open(input_path, &run.error)) return run;
  const char* body = skipHeader(input);
  if (!body) {
    run.error = input_path + ":1: header is not `" + std::string(kInputHeader) + "`";
    return run;
  }
  const int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    run.error = "cannot write `" + output_path + "`";
    return run;
  }
  const std::string header = std::string(kOutputHeader) + "\n";
  if (!writeAll(fd, header.data(), header.size())) run.error = "write error";
  run.ok = run.error.empty() && processAll(body, input.end(), fd, threads, input_path, &run);
  if (::close(fd) != 0 && run.ok) {
    run.ok = false;
    run.error = "write error";
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace regelwerk::dunning
