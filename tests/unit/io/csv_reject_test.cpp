// The CSV reader on bad input: every rejected record says where and why; fatal input errors are one line.
#include <catch2/catch.hpp>

#include "csv_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::test;
using ir::Type;
using ir::TypeKind;
using Rows = std::vector<std::vector<std::string>>;

namespace {

std::vector<ir::InputColumn> invoiceInputs() {
  return {inputColumn("id", Type::of(TypeKind::Int)), inputColumn("kind", enumOf({"consumer", "business"})),
          inputColumn("amount", Type::of(TypeKind::Money, 2)), inputColumn("due", Type::of(TypeKind::Date))};
}

const char* kHeader = "id,kind,amount,due\n";

// The single reject of `record` (after kHeader), checked for line and raw text.
Reject onlyReject(const std::string& record, size_t chunk_size = kDefaultChunkSize) {
  const ReadResult result = readText(kHeader + record + "5,consumer,1.00,2025-01-01\n", invoiceInputs(), chunk_size);
  REQUIRE(result.error == "");
  REQUIRE(result.rejects.size() == 1);
  CHECK(result.rows == Rows{{"5", "consumer", "1.00", "2025-01-01"}});
  CHECK(result.rejects[0].line == 2);
  return result.rejects[0];
}

}  // namespace

TEST_CASE("an empty input is an error that says what was expected", "[csv][reject]") {
  CHECK(readText("", invoiceInputs()).error == "input is empty: expected a header line");
  CHECK(readText("\xEF\xBB\xBF", invoiceInputs()).error == "input is empty: expected a header line");
  CHECK(readText("\n1,2\n", invoiceInputs()).error == "the header line is empty: expected column names on line 1");
}

TEST_CASE("a malformed header is an error", "[csv][reject]") {
  CHECK(readText("id,\"kind\nx", invoiceInputs()).error ==
        "the header line is not valid CSV (field 2 opens a quote that is never closed)");
  CHECK(readText("id,\"kind\"x,amount\n", invoiceInputs()).error ==
        "the header line is not valid CSV (field 2 has a misplaced quote)");
}

TEST_CASE("a missing column names the column and lists the header", "[csv][reject]") {
  CHECK(readText("id,kind,due\n", invoiceInputs()).error ==
        "missing column `amount`; the header has: `id`, `kind`, `due`");
  std::vector<ir::InputColumn> inputs = {inputColumn("amount", Type::of(TypeKind::Money, 2), "amount_cents", "cents")};
  CHECK(readText("id,amount\n", inputs).error ==
        "missing column `amount_cents` (read into `amount`); the header has: `id`, `amount`");
  CHECK(readText("ID,kind,amount,due\n", invoiceInputs()).error ==
        "missing column `id`; the header has: `ID`, `kind`, `amount`, `due`");
}

TEST_CASE("a duplicated header name is an error only when the column is needed", "[csv][reject]") {
  CHECK(readText("id,kind,amount,due,kind\n", invoiceInputs()).error ==
        "column `kind` appears 2 times in the header (fields 2 and 5); rename one so `kind` is unambiguous");
  const ReadResult result = readText("x,id,kind,amount,due,x\n1,7,business,2,2025-01-01,2\n", invoiceInputs());
  CHECK(result.error == "");
  CHECK(result.rows == Rows{{"7", "business", "2.00", "2025-01-01"}});
}

TEST_CASE("a wrong type in a cell rejects the row with the column and reason", "[csv][reject]") {
  Reject reject = onlyReject("x1,consumer,1.00,2025-01-01\n");
  CHECK(reject.column == "id");
  CHECK(reject.reason == "`x1` is not an int (write digits, e.g. 42 or -7)");
  CHECK(reject.raw_record == "x1,consumer,1.00,2025-01-01");
  reject = onlyReject("1,consumer,1.005,2025-01-01\n");
  CHECK(reject.column == "amount");
  CHECK(reject.reason == "`1.005` has 3 decimal places; money allows 2");
  reject = onlyReject("1,consumer,1.00,2025-02-30\r\n");
  CHECK(reject.column == "due");
  CHECK(reject.reason == "`2025-02-30` is not a date (February 2025 has 28 days)");
  CHECK(reject.raw_record == "1,consumer,1.00,2025-02-30");
}

TEST_CASE("an unknown enum value rejects the row", "[csv][reject]") {
  const Reject reject = onlyReject("1,premium,1.00,2025-01-01\n");
  CHECK(reject.column == "kind");
  CHECK(reject.reason == "`premium` is not one of consumer, business");
}

TEST_CASE("an empty cell in a required field rejects the row", "[csv][reject]") {
  const Reject reject = onlyReject("1,consumer,,2025-01-01\n");
  CHECK(reject.column == "amount");
  CHECK(reject.reason == "empty cell, but `amount` is not optional (declare it `money?`)");
}

TEST_CASE("ragged rows: too few or too many fields", "[csv][reject]") {
  Reject reject = onlyReject("1,consumer,1.00\n");
  CHECK(reject.column == "");
  CHECK(reject.reason == "row has 3 fields, the header has 4");
  reject = onlyReject("1,consumer,1.00,2025-01-01,extra\n");
  CHECK(reject.reason == "row has 5 fields, the header has 4");
  reject = onlyReject("1\n");
  CHECK(reject.reason == "row has 1 field, the header has 4");
  reject = onlyReject("1,consumer,1.00,2025-01-01,\n");  // a trailing separator is one more (empty) field
  CHECK(reject.reason == "row has 5 fields, the header has 4");
}

TEST_CASE("quote errors reject the row and resume at the next record", "[csv][reject]") {
  for (size_t chunk_size : {2, 16, 1 << 20}) {
    INFO("chunk size " << chunk_size);
    Reject reject = onlyReject("1,cons\"umer,1.00,2025-01-01\n", chunk_size);
    CHECK(reject.column == "kind");
    CHECK(reject.reason == "field 2 has a quote inside unquoted text; quote the whole field and double the inner quote");
    reject = onlyReject("1,\"consumer\"x,1.00,2025-01-01\n", chunk_size);
    CHECK(reject.column == "kind");
    CHECK(reject.reason == "field 2 has text after its closing quote; a quoted field must end at the quote");
    CHECK(reject.raw_record == "1,\"consumer\"x,1.00,2025-01-01");
  }
}

TEST_CASE("an unterminated quote swallows the rest of the input into one rejected record", "[csv][reject]") {
  const std::string text = std::string(kHeader) + "1,consumer,1.00,2025-01-01\n2,\"business,1.00,2025-01-01\n3,x,y,z\n";
  for (size_t chunk_size : {4, 1 << 20}) {
    const ReadResult result = readText(text, invoiceInputs(), chunk_size);
    REQUIRE(result.error == "");
    CHECK(result.rows == Rows{{"1", "consumer", "1.00", "2025-01-01"}});
    REQUIRE(result.rejects.size() == 1);
    CHECK(result.rejects[0].line == 3);
    CHECK(result.rejects[0].column == "kind");
    CHECK(result.rejects[0].reason == "field 2 opens a quote that is never closed (the input ends inside it)");
    CHECK(result.rejects[0].raw_record == "2,\"business,1.00,2025-01-01\n3,x,y,z");
  }
}

TEST_CASE("line numbers of rejects count newlines inside quoted fields", "[csv][reject]") {
  const std::string text = std::string(kHeader) + "1,\"consumer\",\"1\n\",2025-01-01\n" + "2,nope,1.00,2025-01-01\n";
  const ReadResult result = readText(text, invoiceInputs(), 3);
  REQUIRE(result.rejects.size() == 2);
  CHECK(result.rejects[0].line == 2);
  CHECK(result.rejects[0].reason == "`1\\n` is not an amount (write e.g. 12.50 or -3, without currency)");
  CHECK(result.rejects[1].line == 4);
  CHECK(result.rejects[1].reason == "`nope` is not one of consumer, business");
}

TEST_CASE("whitespace is not trimmed, and the reason says so", "[csv][reject]") {
  const Reject reject = onlyReject("1, consumer,1.00,2025-01-01\n");
  CHECK(reject.reason ==
        "` consumer` is not one of consumer, business (note the leading or trailing space: cells are not trimmed)");
}

TEST_CASE("a long rejected record is kept whole in the rejects row", "[csv][reject]") {
  const std::string record = "1,consumer,1.00," + std::string(200000, '9');
  const Reject reject = onlyReject(record + "\n");
  CHECK(reject.raw_record == record);
  CHECK(reject.reason.find("(200000 bytes) is not a date") != std::string::npos);
}

TEST_CASE("control and ill-formed bytes are escaped in reasons, never in the raw record", "[csv][reject]") {
  static const char kRecord[] = "1,con\0sumer\xFF,1.00,2025-01-01";  // a NUL inside: the length is the array's
  const std::string record(kRecord, sizeof kRecord - 1);
  const Reject reject = onlyReject(record + "\n");
  CHECK(reject.reason == "`con\\x00sumer\\xFF` is not one of consumer, business");
  CHECK(reject.raw_record == record);
}

TEST_CASE("an ambiguous dialect is refused before reading", "[csv][reject]") {
  CHECK(readText("a,b\n", invoiceInputs(), kDefaultChunkSize, 2048, CsvDialect{'"', '"'}).error ==
        "the separator and the quote must be different characters");
  CHECK(readText("a,b\n", invoiceInputs(), kDefaultChunkSize, 2048, CsvDialect{'\n', '"'}).error ==
        "the separator and quote cannot be CR or LF");
}
