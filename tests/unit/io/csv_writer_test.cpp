// Output and rejects files: header, rows in order, skipped error rows, missing values, quoting.
#include <catch2/catch.hpp>

#include "csv_test_support.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/io/rejects_writer.hpp"

using namespace regelwerk;
using ir::Type;
using ir::TypeKind;

namespace {

ir::Output output(std::string name, Type type, std::string format = "") {
  ir::Output out;
  out.name = std::move(name);
  out.type = std::move(type);
  out.format = std::move(format);
  return out;
}

std::vector<ir::Output> dunningOutputs() {
  Type action = Type::of(TypeKind::Enum);
  action.members = {"none", "reminder", "notice"};
  Type note = Type::of(TypeKind::String);
  note.optional = true;
  Type since = Type::of(TypeKind::Date);
  since.optional = true;
  std::vector<ir::Output> outputs;  // ir::Output is move-only
  outputs.push_back(output("id", Type::of(TypeKind::Int)));
  outputs.push_back(output("action", action));
  outputs.push_back(output("fee_cents", Type::of(TypeKind::Money, 2), "cents"));
  outputs.push_back(output("fee", Type::of(TypeKind::Money, 2)));
  outputs.push_back(output("rate", Type::of(TypeKind::Percent, 4)));
  outputs.push_back(output("since", since));
  outputs.push_back(output("ok", Type::of(TypeKind::Bool)));
  outputs.push_back(output("note", note));
  return outputs;
}

}  // namespace

TEST_CASE("the writer formats the header and evaluated rows only", "[writer]") {
  const std::vector<ir::Output> outputs = dunningOutputs();
  std::vector<Type> types;
  for (const auto& out : outputs) types.push_back(out.type);
  Batch batch(types, 4);
  const int64_t ids[] = {1, 2, 3};
  const int64_t actions[] = {0, 2, 1};
  const int64_t fees[] = {0, 500, 4000};
  const int64_t rates[] = {627, 1027, -88};
  const int64_t since[] = {20778, 0, 0};
  const uint8_t since_valid[] = {1, 0, 1};
  const uint8_t ok[] = {1, 0, 1};
  const std::string notes[] = {"plain", "a,b", "say \"hi\""};
  const uint8_t note_valid[] = {1, 1, 0};
  for (size_t row = 0; row < 3; ++row) {
    batch.column(0).i64()[row] = ids[row];
    batch.column(1).i64()[row] = actions[row];
    batch.column(2).i64()[row] = fees[row];
    batch.column(3).i64()[row] = fees[row];
    batch.column(4).i64()[row] = rates[row];
    batch.column(5).i64()[row] = since[row];
    batch.column(5).valid()[row] = since_valid[row];
    batch.column(6).boolean()[row] = ok[row];
    batch.column(7).str()[row] = batch.intern(notes[row]);
    batch.column(7).valid()[row] = note_valid[row];
  }
  const std::vector<ColumnView> views = batch.views();
  const CsvWriter writer(outputs);
  std::string out;
  writer.appendHeader(&out);
  CHECK(out == "id,action,fee_cents,fee,rate,since,ok,note\n");
  out.clear();
  writer.appendRows(views.data(), nullptr, 3, &out);
  CHECK(out ==
        "1,none,0,0.00,6.27,2026-11-21,true,plain\n"
        "2,notice,500,5.00,10.27,,false,\"a,b\"\n"
        "3,reminder,4000,40.00,-0.88,1970-01-01,true,\n");
  const RowError errors[] = {{0, 0, -1, -1}, {1, 3, -1, -1}, {0, 0, -1, -1}};
  out.clear();
  writer.appendRows(views.data(), errors, 3, &out);
  CHECK(out ==
        "1,none,0,0.00,6.27,2026-11-21,true,plain\n"
        "3,reminder,4000,40.00,-0.88,1970-01-01,true,\n");
}

TEST_CASE("the writer follows the dialect and quotes header names when needed", "[writer]") {
  std::vector<ir::Output> outputs;
  outputs.push_back(output("a;b", Type::of(TypeKind::Int)));
  outputs.push_back(output("c", Type::of(TypeKind::String)));
  Batch batch({Type::of(TypeKind::Int), Type::of(TypeKind::String)}, 1);
  batch.column(0).i64()[0] = -1;
  batch.column(1).str()[0] = batch.intern("x;y");
  const std::vector<ColumnView> views = batch.views();
  const CsvWriter writer(outputs, CsvDialect{';', '"'});
  std::string out;
  writer.appendHeader(&out);
  writer.appendRows(views.data(), nullptr, 1, &out);
  CHECK(out == "\"a;b\";c\n-1;\"x;y\"\n");
}

namespace {

// The dunning outputs as reader inputs of the same types and formats, to read a written file back.
std::vector<ir::InputColumn> asInputs(const std::vector<ir::Output>& outputs) {
  std::vector<ir::InputColumn> inputs;
  for (const ir::Output& out : outputs) inputs.push_back(test::inputColumn(out.name, out.type, "", out.format));
  return inputs;
}

// Four rows of every cell kind; the notes hold separators, quotes and line ends of several dialects.
std::string writeDunningRows(const std::vector<ir::Output>& outputs, CsvDialect dialect) {
  std::vector<Type> types;
  for (const auto& out : outputs) types.push_back(out.type);
  Batch batch(types, 4);
  const std::string notes[] = {"plain", "a,b;c.d-e_f|g h\ti0", "say \"hi\"\r\nthere", ""};
  for (size_t row = 0; row < 4; ++row) {
    batch.column(0).i64()[row] = static_cast<int64_t>(row) * 1000 - 1;
    batch.column(1).i64()[row] = static_cast<int64_t>(row % 3);
    batch.column(2).i64()[row] = -12345 + static_cast<int64_t>(row);
    batch.column(3).i64()[row] = -12345 + static_cast<int64_t>(row);
    batch.column(4).i64()[row] = 1027;
    batch.column(5).i64()[row] = 20778;
    batch.column(5).valid()[row] = row != 1;
    batch.column(6).boolean()[row] = row % 2;
    batch.column(7).str()[row] = batch.intern(notes[row]);
    batch.column(7).valid()[row] = 1;
  }
  const std::vector<ColumnView> views = batch.views();
  const CsvWriter writer(outputs, dialect);
  std::string out;
  writer.appendHeader(&out);
  writer.appendRows(views.data(), nullptr, 4, &out);
  return out;
}

}  // namespace

// With any separator the reader accepts, even one that occurs in numbers, dates or enum names,
// what the writer writes reads back as the same values.
TEST_CASE("every written cell reads back, whatever the separator", "[writer]") {
  std::vector<ir::Output> outputs = dunningOutputs();
  outputs[1].type.members = {"none", "small_business", "notice"};
  const std::vector<ir::InputColumn> inputs = asInputs(outputs);
  const test::ReadResult expected = test::readText(writeDunningRows(outputs, {}), inputs);
  REQUIRE(expected.error == "");
  REQUIRE(expected.rows.size() == 4);
  CHECK(expected.rows[1] == std::vector<std::string>{"999", "small_business", "-12344", "-123.44", "10.27",
                                                     "<missing>", "true", "a,b;c.d-e_f|g h\ti0"});
  for (char separator : {';', '\t', '|', ' ', '.', '-', '_', '0', '9', 'e', 'n', 't', 's'}) {
    const CsvDialect dialect{separator, '"'};
    const std::string text = writeDunningRows(outputs, dialect);
    const test::ReadResult back = test::readText(text, inputs, kDefaultChunkSize, 2048, dialect);
    INFO("separator `" << separator << "`:\n" << text);
    CHECK(back.error == "");
    CHECK(back.rejects.empty());
    CHECK(back.rows == expected.rows);
  }
}

TEST_CASE("numbers, dates and names are quoted only when the separator could occur in them", "[writer]") {
  std::vector<ir::Output> outputs;
  outputs.push_back(output("fee", Type::of(TypeKind::Money, 2)));
  outputs.push_back(output("day", Type::of(TypeKind::Date)));
  Type kind = Type::of(TypeKind::Enum);
  kind.members = {"small_business"};
  outputs.push_back(output("kind", kind));
  Batch batch({outputs[0].type, outputs[1].type, outputs[2].type}, 1);
  batch.column(0).i64()[0] = 1250;
  batch.column(1).i64()[0] = 20089;
  batch.column(2).i64()[0] = 0;
  const std::vector<ColumnView> views = batch.views();
  const std::pair<char, const char*> cases[] = {{';', "12.50;2025-01-01;small_business\n"},
                                                {'.', "\"12.50\".\"2025-01-01\".small_business\n"},
                                                {'_', "12.50_2025-01-01_\"small_business\"\n"}};
  for (const auto& [separator, line] : cases) {
    std::string out;
    CsvWriter(outputs, CsvDialect{separator, '"'}).appendRows(views.data(), nullptr, 1, &out);
    CHECK(out == line);
  }
}

// The writer's line limit is the reader's record limit, line end included: a line of exactly
// max_line bytes is written, one byte more is reported for rejection and not written.
TEST_CASE("a line longer than the record limit is not written but reported", "[writer]") {
  std::vector<ir::Output> outputs;
  outputs.push_back(output("id", Type::of(TypeKind::Int)));
  outputs.push_back(output("note", Type::of(TypeKind::String)));
  Batch batch({Type::of(TypeKind::Int), Type::of(TypeKind::String)}, 4);
  const std::string notes[] = {std::string(29, 'a'), std::string(30, 'b'), "c", std::string(26, 'd') + "\""};
  for (size_t row = 0; row < 4; ++row) {
    batch.column(0).i64()[row] = static_cast<int64_t>(row);
    batch.column(1).str()[row] = batch.intern(notes[row]);
  }
  const std::vector<ColumnView> views = batch.views();
  const CsvWriter writer(outputs, {}, 32);
  ByteBuffer out;
  std::vector<size_t> too_long;
  writer.appendRows(views.data(), nullptr, 4, &out, &too_long);
  CHECK(std::string(out.view()) == "0," + notes[0] + "\n2,c\n");
  CHECK(too_long == std::vector<size_t>{1, 3});
  CHECK(writer.lineSize(views.data(), 0) == 32);
  CHECK(writer.lineSize(views.data(), 1) == 33);
  CHECK(writer.lineSize(views.data(), 3) == 33);  // quoted, the inner quote doubled
}

TEST_CASE("the rejects file: line, column, reason, raw record", "[writer]") {
  std::string out;
  appendRejectsHeader(&out);
  appendReject(Reject{14, "due_date", "`2025-02-30` is not a date (February 2025 has 28 days)",
                      "7,consumer,100,0,2025-02-30,,0,false"},
               &out);
  appendReject(Reject{15, "", "row has 1 field, the header has 8", "x"}, &out);
  appendReject(Reject{16, "note", "field 2 has text after its closing quote; a quoted field must end at the quote",
                      "1,\"a\"b\nc"},
               &out);
  CHECK(out ==
        "line,column,reason,record\n"
        "14,due_date,`2025-02-30` is not a date (February 2025 has 28 days),\"7,consumer,100,0,2025-02-30,,0,false\"\n"
        "15,,\"row has 1 field, the header has 8\",x\n"
        "16,note,field 2 has text after its closing quote; a quoted field must end at the quote,\"1,\"\"a\"\"b\nc\"\n");
}
