// Fuzz target: bytes → the CSV reader, with a fixed rule file that reads a field of every type.
// Byte 0 picks the chunk size, batch size, separator, a tiny record limit and whether the standard
// header is put in front; the rest is the file. Checked for every input:
//   - every chunk's rows in = rows out + rows rejected, and the total rows in is the number of data
//     records a single scan over the whole text finds (RecordScanner, no chunks);
//   - chunk and batch size change nothing: output, rejects, lines and counts equal the default run's;
//   - rejects come in strictly increasing line order (one per record);
//   - the output reads back with the same types (zero rejects) and writes out byte for byte the same.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "csv_drive.hpp"
#include "fuzz_check.hpp"
#include "runtime/io/csv_writer.hpp"

namespace regelwerk::fuzz {
namespace {

const char* const kRules = R"(ruleset fuzz_reader
input Row
  id: int
  n: int?
  amount: money
  cents: money? from "amount_cents" format "cents"
  dec: decimal(3)
  dec0: decimal(0)?
  rate: percent
  rate2: percent?
  due: date
  last: date?
  wait: days
  flag: bool
  maybe: bool?
  kind: enum(consumer, business, public_body)
  kind2: enum(a, b)?
  name: string
  note: string?
output id: int = id
output n: int? = n
output amount: money = amount
output cents: money? = cents format "cents"
output dec: decimal(3) = dec
output dec0: decimal(0)? = dec0
output rate: percent = rate
output rate2: percent? = rate2
output due: date = due
output last: date? = last
output wait: days = wait
output flag: bool = flag
output maybe: bool? = maybe
output kind: enum(consumer, business, public_body) = kind
output kind2: enum(a, b)? = kind2
output name: string = name
output note: string? = note
output total: money = amount + (cents ?? 0.00 EUR)
output later: date = due + (if wait in -1000 days..1000 days then wait else 0 days)
)";

// Reads what kRules writes, with the same types and formats, and writes it again unchanged.
const char* const kReadBackRules = R"(ruleset fuzz_read_back
input Out
  id: int
  n: int?
  amount: money
  cents: money? format "cents"
  dec: decimal(3)
  dec0: decimal(0)?
  rate: percent
  rate2: percent?
  due: date
  last: date?
  wait: days
  flag: bool
  maybe: bool?
  kind: enum(consumer, business, public_body)
  kind2: enum(a, b)?
  name: string
  note: string?
  total: money
  later: date
output id: int = id
output n: int? = n
output amount: money = amount
output cents: money? = cents format "cents"
output dec: decimal(3) = dec
output dec0: decimal(0)? = dec0
output rate: percent = rate
output rate2: percent? = rate2
output due: date = due
output last: date? = last
output wait: days = wait
output flag: bool = flag
output maybe: bool? = maybe
output kind: enum(consumer, business, public_body) = kind
output kind2: enum(a, b)? = kind2
output name: string = name
output note: string? = note
output total: money = total
output later: date = later
)";

const char* const kHeader = "id,n,amount,amount_cents,dec,dec0,rate,rate2,due,last,wait,flag,maybe,kind,kind2,name,note\n";

struct Harness {
  std::unique_ptr<RuleSet> rules = mustLoad("fuzz_reader.rules", kRules);
  std::unique_ptr<RuleSet> read_back = mustLoad("fuzz_read_back.rules", kReadBackRules);
  std::unique_ptr<Engine> engine = mustCreate(*rules, EngineKind::Interp);
  std::unique_ptr<Engine> read_back_engine = mustCreate(*read_back, EngineKind::Interp);
};

std::string withSeparator(std::string text, char separator) {
  for (char& c : text)
    if (c == ',') c = separator;
  return text;
}

DriveOptions optionsFrom(uint8_t config) {
  static const size_t kChunkSizes[] = {1, 2, 3, 5, 16, 64, 4096, kDefaultChunkSize};
  static const size_t kBatchSizes[] = {1, 2, 7, 2048};
  DriveOptions options;
  options.chunk_size = kChunkSizes[config & 7];
  options.batch_size = kBatchSizes[(config >> 3) & 3];
  options.dialect.separator = (config & 0x20) ? ';' : ',';
  if (config & 0x40) options.max_record_size = 64;
  return options;
}

std::string describe(const DriveResult& result) {
  return "error: " + result.error + "\nrows in " + std::to_string(result.rows_in) + ", out " +
         std::to_string(result.rows_out) + ", rejected " + std::to_string(result.rows_rejected) + "\noutput:\n" +
         result.output + "rejects:\n" + result.rejects;
}

void checkLines(const DriveResult& result) {
  for (size_t index = 1; index < result.reject_lines.size(); ++index) {
    FUZZ_CHECK(result.reject_lines[index - 1] < result.reject_lines[index],
               "rejects out of line order:\n" + describe(result));
  }
}

void checkReadBack(const Harness& harness, const DriveResult& result, CsvDialect dialect) {
  DriveOptions options;
  options.dialect = dialect;
  std::string written;
  CsvWriter(harness.rules->program().outputs, dialect).appendHeader(&written);
  written += result.output;
  DriveResult again = drive(*harness.read_back, *harness.read_back_engine, written, options);
  FUZZ_CHECK(again.error.empty() && again.rows_rejected == 0 && again.rows_out == result.rows_out,
             "the output does not read back:\n" + describe(again) + "\nwritten:\n" + written);
  FUZZ_CHECK(again.output == result.output, "the output changes when read back and written again:\n" +
                                                result.output + "\nthen:\n" + again.output);
}

}  // namespace
}  // namespace regelwerk::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regelwerk;
  using namespace regelwerk::fuzz;
  static const Harness harness;
  if (size == 0) return 0;
  const DriveOptions options = optionsFrom(data[0]);
  std::string csv(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 0x80) csv = withSeparator(kHeader, options.dialect.separator) + csv;

  DriveOptions defaults;
  defaults.dialect = options.dialect;
  const DriveResult reference = drive(*harness.rules, *harness.engine, csv, defaults);
  const DriveResult result = drive(*harness.rules, *harness.engine, csv, options);
  if (std::getenv("REGELWERK_FUZZ_VERBOSE")) std::fprintf(stderr, "%s\n", describe(reference).c_str());
  checkLines(reference);
  if (reference.error.empty()) {
    const int64_t records = countDataRecords(csv, options.dialect);
    FUZZ_CHECK(reference.rows_in == records, "read " + std::to_string(reference.rows_in) + " rows but a scan finds " +
                                                 std::to_string(records) + " records\n" + describe(reference));
    checkReadBack(harness, reference, options.dialect);
  }
  const bool record_limit_hit = options.max_record_size < defaults.max_record_size && !result.error.empty();
  if (!record_limit_hit) {
    FUZZ_CHECK(result == reference, "chunk size " + std::to_string(options.chunk_size) + " / batch size " +
                                        std::to_string(options.batch_size) + " changes the result:\n" +
                                        describe(result) + "\n--- default sizes:\n" + describe(reference));
  }
  return 0;
}
