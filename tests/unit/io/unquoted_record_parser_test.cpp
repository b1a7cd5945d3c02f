// The one-pass record parser against the general path: whatever it accepts, CellParser must accept
// with the same value; whatever is not in the fast shape, it must decline (null).
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "csv_test_support.hpp"
#include "runtime/columnar/cell_parser.hpp"
#include "runtime/io/byte_buffer.hpp"
#include "runtime/io/unquoted_record_parser.hpp"

using namespace regelwerk;
using namespace regelwerk::test;
using ir::Type;
using ir::TypeKind;

namespace {

// Parses `record` (which includes its line end) with a plan over `inputs` bound to fields 0..n-1.
struct FastRun {
  bool accepted = false;
  size_t consumed = 0;
  Batch batch;
};

FastRun runFast(const std::vector<ir::InputColumn>& inputs, const std::string& record, size_t header_size = 0) {
  HeaderBinding binding;
  for (size_t input = 0; input < inputs.size(); ++input) {
    binding.header.push_back(inputs[input].header);
    binding.field_of_input.push_back(static_cast<uint32_t>(input));
  }
  while (binding.header.size() < header_size) binding.header.push_back("extra" + std::to_string(binding.header.size()));
  std::vector<ir::Type> types;
  for (const ir::InputColumn& input : inputs) types.push_back(input.type);
  FastRun run{false, 0, Batch(types, 1)};
  UnquotedRecordParser parser(inputs, binding, CsvDialect{});
  REQUIRE(parser.enabled());
  ByteBuffer text;
  text.assign(record.data(), record.size());
  parser.bind(&run.batch);
  const char* end = parser.parse(text.data(), 0);
  run.accepted = end != nullptr;
  run.consumed = end ? static_cast<size_t>(end - text.data()) : 0;
  return run;
}

// One cell through both paths: an accepted cell must be exactly what CellParser makes of it.
void checkCell(const ir::InputColumn& input, const std::string& cell) {
  INFO("type " << ir::typeName(input.type) << " cell `" << cell << "`");
  const FastRun fast = runFast({input}, cell + "\n");
  CellParser general(input.type, input.format);
  CellValue value;
  const bool general_ok = general.parse(cell, &value);
  if (!fast.accepted) return;
  REQUIRE(general_ok);
  CHECK(fast.consumed == cell.size() + 1);
  const Column& column = fast.batch.column(0);
  CHECK(column.isValid(0) == !value.missing);
  if (value.missing) return;
  switch (column.kind()) {
    case ir::Kind::I64: CHECK(column.i64()[0] == value.i64); break;
    case ir::Kind::Bool: CHECK(column.boolean()[0] == value.i64); break;
    case ir::Kind::Str: CHECK(std::string(column.str()[0].data, column.str()[0].size) == value.str); break;
  }
}

// Accepted and equal to the general path: for cells the fast path exists for.
void checkFastCell(const ir::InputColumn& input, const std::string& cell) {
  INFO("cell `" << cell << "`");
  CHECK(runFast({input}, cell + "\n").accepted);
  checkCell(input, cell);
}

std::string twoDigits(int value) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d", value);
  return text;
}

}  // namespace

TEST_CASE("fast dates agree with parseDate on valid and invalid calendar days", "[fast-parser]") {
  const auto date = inputColumn("d", Type::of(TypeKind::Date));
  for (int year : {1, 2, 4, 100, 400, 1599, 1600, 1900, 1969, 1970, 1972, 2000, 2024, 2025, 2100, 2400, 9999}) {
    char year_text[8];
    std::snprintf(year_text, sizeof year_text, "%04d", year);
    for (int month = 0; month <= 13; ++month)
      for (int day = 0; day <= 32; ++day) checkCell(date, std::string(year_text) + "-" + twoDigits(month) + "-" + twoDigits(day));
  }
  checkFastCell(date, "2026-11-21");
  checkFastCell(date, "2024-02-29");
  for (const char* cell : {"0000-01-01", "2025-1-01", "2025/01/01", "20250101", "2025-01-011", "2025-01-0", " 2025-01-01",
                           "2025-01-01 ", "2025-0a-01", "2025-01-:1", "2025-01-/1", "/025-01-01", ":025-01-01", "2025+01-01",
                           "2025-01+01", "", "-"})
    checkCell(date, cell);
}

TEST_CASE("fast integers agree with the general path up to 18 digits and decline beyond", "[fast-parser]") {
  const auto number = inputColumn("n", Type::of(TypeKind::Int));
  const auto cents = inputColumn("m", Type::of(TypeKind::Money, 4), "", "cents");  // shift 2: multiplies by 100
  for (const char* cell : {"0", "-0", "7", "-7", "42", "12345678", "123456789", "99999999", "100000000",
                           "999999999999999999", "-999999999999999999", "000000000000000007"})
    checkFastCell(number, cell);
  for (const char* cell : {"", "-", "+1", "1-", "1a", "a1", "1.0", "1e3", " 1", "1 ", "--1", "9223372036854775807",
                           "-9223372036854775808", "9223372036854775808", "0000000000000000007", "1234567:", "1234567/",
                           "12345678/9", "12345678:9", "１"})
    checkCell(number, cell);
  for (const char* cell : {"0", "125050", "-500", "92233720368547758", "92233720368547759", "-92233720368547758",
                           "-92233720368547759", "999999999999999999"})
    checkCell(cents, cell);
  CHECK(runFast({cents}, "125050\n").batch.column(0).i64()[0] == 12505000);
  CHECK(runFast({cents}, "92233720368547758\n").accepted);         // 9223372036854775800 fits
  CHECK_FALSE(runFast({cents}, "92233720368547759\n").accepted);  // overflows after the shift
}

TEST_CASE("fast enums and bools match exact names only", "[fast-parser]") {
  const auto kind = inputColumn("k", enumOf({"consumer", "business", "b", "bus", "a_member_name_longer_than_eight"}));
  for (const char* cell : {"consumer", "business", "b", "bus", "a_member_name_longer_than_eight"}) checkFastCell(kind, cell);
  for (const char* cell : {"", "c", "consume", "consumerx", "Consumer", "bu", "busi", "businesss", "a_member_name_longer",
                           "a_member_name_longer_than_eightx", "x"})
    checkCell(kind, cell);
  const auto flag = inputColumn("f", Type::of(TypeKind::Bool));
  checkFastCell(flag, "true");
  checkFastCell(flag, "false");
  for (const char* cell : {"", "True", "tru", "truee", "fals", "falsey", "1", "0"}) checkCell(flag, cell);
}

TEST_CASE("fast missing cells: empty is missing for T? and declined otherwise", "[fast-parser]") {
  checkFastCell(inputColumn("d", optionalType(TypeKind::Date)), "");
  checkFastCell(inputColumn("n", optionalType(TypeKind::Int)), "");
  checkFastCell(inputColumn("s", optionalType(TypeKind::String)), "");
  checkFastCell(inputColumn("s", Type::of(TypeKind::String)), "");
  checkFastCell(inputColumn("p", Type::of(TypeKind::Decimal, 2)), "12.5");
  CHECK_FALSE(runFast({inputColumn("n", Type::of(TypeKind::Int))}, "\n").accepted);
}

TEST_CASE("records outside the fast shape are declined for the general path", "[fast-parser]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("a", Type::of(TypeKind::Int)),
                                               inputColumn("s", Type::of(TypeKind::String))};
  CHECK(runFast(inputs, "1,x,2\n", 3).consumed == 6);
  CHECK(runFast(inputs, "1,x,2\r\n", 3).consumed == 7);
  CHECK(runFast(inputs, "1,,\n", 3).accepted);
  for (const char* record : {"1,\"x\",2\n", "1,x\"y,2\n", "\"1\",x,2\n", "1,x,\"2\"\n", "1,x\n", "1,x,2,3\n", "1,x\ry,2\n",
                             "1,x,2\r\r\n", "1,x,2\rz\n", "1\r,x,2\n"})
    CHECK_FALSE(runFast(inputs, record, 3).accepted);
}
