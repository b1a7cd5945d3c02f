// The chunker: buffered read(2), record-boundary search, header parsing.
#include "csv_chunker.hpp"

#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/io/csv_splitter.hpp"

namespace regelwerk {

CsvChunker::CsvChunker(int fd, CsvDialect dialect, size_t chunk_size, size_t max_record_size)
    : fd_(fd),
      dialect_(dialect),
      // A buffer never exceeds the record limit, so any whole record in it is within the limit.
      chunk_size_(std::clamp<size_t>(chunk_size, 1, std::max<size_t>(max_record_size, 1))),
      max_record_size_(max_record_size),
      scanner_(dialect) {}

namespace {

// The header is usually a few dozen bytes: read it with a small first read, so the bytes read
// along with it (carried over into the first chunk) stay small too.
constexpr size_t kHeaderReadSize = 4096;

// '\n' bytes in [pos, end): sixteen at a time with SSE2, because a byte loop costs three
// instructions per input byte and runs over every chunk. Each compare's -1 bytes are subtracted
// into byte counters (at most 255 rounds, so none wraps), which psadbw then sums; no popcount,
// which baseline x86-64 does not have (it became a libgcc call per 16 bytes).
int64_t countLineFeeds(const char* pos, const char* end) {
  int64_t count = 0;
#if defined(__SSE2__)
  const __m128i line_feed = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  __m128i totals = zero;
  while (end - pos >= 16) {
    const int64_t rounds = std::min<int64_t>((end - pos) / 16, 255);
    __m128i counters = zero;
    for (int64_t round = 0; round < rounds; ++round, pos += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pos));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(bytes, line_feed));
    }
    totals = _mm_add_epi64(totals, _mm_sad_epu8(counters, zero));
  }
  count = _mm_cvtsi128_si64(totals) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(totals, totals));
#endif
  for (; pos < end; ++pos) count += *pos == '\n';
  return count;
}

}  // namespace

// Reads until `buffer` holds `target` bytes or the input ends; retries on EINTR and short reads.
// read(2) writes straight into the buffer's uninitialised tail: nothing is zero-filled first.
bool CsvChunker::fill(ByteBuffer* buffer, size_t target, std::string* error) {
  size_t size = buffer->size();
  if (eof_ || size >= target) return true;
  buffer->resizeForOverwrite(target);
  while (size < target) {
    const ssize_t got = ::read(fd_, buffer->data() + size, target - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      buffer->resize(size);
      *error = std::string("cannot read the input: ") + std::strerror(errno);
      return false;
    }
    if (got == 0) {
      eof_ = true;
      break;
    }
    size += static_cast<size_t>(got);
  }
  buffer->resize(size);
  return true;
}

// Reads into `buffer` (which starts at a record start) until it holds a record end, doubling the
// read target while a single record does not fit, but never past max_record_size_: a buffer that
// size with no record end holds the start of a record that is too long (TooLong). Sets *record_end
// to the last record end in the buffer (the first one if `first_only`); at the end of the input
// everything left is one last record.
CsvChunker::Buffered CsvChunker::bufferUntilRecordEnd(ByteBuffer* buffer, bool first_only, size_t* record_end,
                                                      std::string* error) {
  scanner_.reset();
  size_t scanned = 0;
  size_t target = std::max(first_only ? std::min(chunk_size_, kHeaderReadSize) : chunk_size_, buffer->size());
  for (;;) {
    if (!fill(buffer, target, error)) return Buffered::Failed;
    const char* base = buffer->data();
    const char* found = first_only ? scanner_.scanFirst(base + scanned, base + buffer->size())
                                   : scanner_.scanLast(base + scanned, base + buffer->size());
    if (eof_ && !first_only) found = base + buffer->size();
    if (found) {
      *record_end = static_cast<size_t>(found - base);
      return Buffered::RecordEnd;
    }
    scanned = buffer->size();
    if (eof_) {
      *record_end = buffer->size();
      return Buffered::RecordEnd;
    }
    if (buffer->size() >= max_record_size_) return Buffered::TooLong;
    target = std::min(buffer->size() * 2, max_record_size_);
  }
}

std::string CsvChunker::tooLongReason() const {
  return "the record is longer than " + describeRecordLimit(max_record_size_) +
         ", the most a CSV record may have; is a quote left open?";
}

// The too-long record becomes a chunk of its own with one reject: its line, the reason, and its
// first max_record_size_ bytes (all the reader holds of it). The rest is skipped by the next call.
void CsvChunker::rejectTooLong(Chunk* chunk) {
  ByteBuffer& text = chunk->text;
  Reject reject;
  reject.line = next_line_;
  reject.reason = tooLongReason() + " (the record column keeps its first " + describeRecordLimit(max_record_size_) +
                  ")";
  reject.raw_record.assign(text.data(), std::min(text.size(), max_record_size_));
  chunk->rejects.push_back(std::move(reject));
  chunk->first_line = next_line_;
  chunk->sequence = sequence_++;
  next_line_ += countLineFeeds(text.data(), text.data() + text.size());
  text.clear();
  skipping_ = true;
}

// Reads on past a too-long record to its end, one chunk-sized block at a time, counting its line
// feeds. The scanner still knows whether the cut fell inside quotes, so the record ends where the
// reader without a limit would end it (for an unclosed quote: at the end of the input, as for any
// record). What follows the end becomes the carry.
bool CsvChunker::skipRestOfRecord(std::string* error) {
  skipping_ = false;
  for (;;) {
    carry_.clear();
    if (eof_) return true;
    if (!fill(&carry_, chunk_size_, error)) return false;
    const char* base = carry_.data();
    const char* found = scanner_.scanFirst(base, base + carry_.size());
    next_line_ += countLineFeeds(base, found ? found : base + carry_.size());
    if (found) {
      carry_.erasePrefix(static_cast<size_t>(found - base));
      return true;
    }
  }
}

void CsvChunker::stripBom(ByteBuffer* buffer) {
  const size_t bom = bomLength(buffer->data(), buffer->size());
  if (bom) buffer->erasePrefix(bom);
}

bool CsvChunker::readHeader(std::vector<std::string>* fields, std::string* error) {
  *error = checkDialect(dialect_);
  if (!error->empty()) return false;
  ByteBuffer buffer;
  if (!fill(&buffer, 3, error)) return false;
  stripBom(&buffer);
  size_t header_end = 0;
  const Buffered header = bufferUntilRecordEnd(&buffer, true, &header_end, error);
  if (header == Buffered::Failed) return false;
  if (header == Buffered::TooLong) {
    *error = "the header line: " + tooLongReason();
    return false;
  }
  if (buffer.empty()) {
    *error = "input is empty: expected a header line";
    return false;
  }
  carry_.assign(buffer.data() + header_end, buffer.size() - header_end);
  buffer.resize(header_end);
  if (buffer.back() != '\n') buffer.push_back('\n');
  next_line_ = 1 + countLineFeeds(buffer.data(), buffer.data() + buffer.size());
  CsvSplitter splitter(dialect_);
  std::vector<CsvField> split_fields;
  const SplitResult split = splitter.split(buffer.data(), buffer.data() + buffer.size(), &split_fields);
  if (split.error != SplitError::None) {
    *error = "the header line is not valid CSV (field " + std::to_string(split.error_field + 1) +
             (split.error == SplitError::UnterminatedQuote ? " opens a quote that is never closed)"
                                                             : " has a misplaced quote)");
    return false;
  }
  if (split_fields.size() == 1 && split_fields[0].size == 0 && !split_fields[0].quoted) {
    *error = "the header line is empty: expected column names on line 1";
    return false;
  }
  fields->clear();
  for (const CsvField& field : split_fields) {
    std::string name(field.view());
    if (field.escaped) splitter.unescape(field, &name);
    fields->push_back(std::move(name));
  }
  return true;
}

bool CsvChunker::next(Chunk* chunk, std::string* error) {
  error->clear();
  chunk->rejects.clear();
  if (skipping_ && !skipRestOfRecord(error)) return false;
  ByteBuffer& text = chunk->text;
  // The carried-over bytes become the chunk's start without a copy; the old chunk buffer becomes the
  // carry buffer, so with a reused Chunk two buffers alternate and only the partial tail is copied.
  text.swap(carry_);
  carry_.clear();
  size_t record_end = 0;
  switch (bufferUntilRecordEnd(&text, false, &record_end, error)) {
    case Buffered::Failed: return false;
    case Buffered::TooLong: rejectTooLong(chunk); return true;
    case Buffered::RecordEnd: break;
  }
  if (text.empty()) return false;
  carry_.assign(text.data() + record_end, text.size() - record_end);
  text.resize(record_end);
  if (text.back() != '\n') text.push_back('\n');
  chunk->first_line = next_line_;
  chunk->sequence = sequence_++;
  next_line_ += countLineFeeds(text.data(), text.data() + text.size());
  return true;
}

}  // namespace regelwerk
