// The CSV reader on good input: values, quoting, CRLF, BOM, line numbers, chunk and batch boundaries.
#include <catch2/catch.hpp>

#include <thread>

#include "csv_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::test;
using ir::Type;
using ir::TypeKind;
using Rows = std::vector<std::vector<std::string>>;

namespace {

std::vector<ir::InputColumn> dunningInputs() {
  return {inputColumn("id", Type::of(TypeKind::Int)),
          inputColumn("customer_type", enumOf({"consumer", "business"})),
          inputColumn("amount", Type::of(TypeKind::Money, 2), "amount_cents", "cents"),
          inputColumn("due_date", Type::of(TypeKind::Date)),
          inputColumn("last_notice_date", optionalType(TypeKind::Date)),
          inputColumn("dunning_level", Type::of(TypeKind::Int)),
          inputColumn("disputed", Type::of(TypeKind::Bool))};
}

const char* kDunning =
    "id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed\n"
    "1,consumer,125050,0,2025-03-01,,0,false\n"
    "2,business,100,100,2026-11-20,2026-11-20,3,true\n"
    "3,consumer,500000,1,2024-02-29,2025-01-01,4,false\n";

std::vector<ir::InputColumn> textInputs() {
  return {inputColumn("id", Type::of(TypeKind::Int)), inputColumn("note", Type::of(TypeKind::String))};
}

// Quoting in every position, CRLF on some lines, an empty line, a multi-line record.
std::string trickyText() {
  return "id,note,extra\r\n"
         "1,plain,x\r\n"
         "2,\"with, comma\",\"\"\n"
         "3,\"say \"\"hi\"\"\",\"a\"\n"
         "\n"
         "4,\"two\nlines\r\nand three\",y\r\n"
         "5,,\"\"\"\"\n"
         "6,\"\",z\n"
         "7,\"ends with quote\"\"\",\n";
}

const Rows kTrickyRows = {{"1", "plain"},        {"2", "with, comma"},
                          {"3", "say \"hi\""},   {"4", "two\nlines\r\nand three"},
                          {"5", ""},             {"6", ""},
                          {"7", "ends with quote\""}};
const std::vector<int64_t> kTrickyLines = {2, 3, 4, 6, 9, 10, 11};

}  // namespace

TEST_CASE("reads the dunning layout into typed columns", "[csv]") {
  const ReadResult result = readText(kDunning, dunningInputs());
  REQUIRE(result.error == "");
  CHECK(result.rejects.empty());
  CHECK(result.header.size() == 8);
  CHECK(result.rows == Rows{{"1", "consumer", "125050", "2025-03-01", "<missing>", "0", "false"},
                            {"2", "business", "100", "2026-11-20", "2026-11-20", "3", "true"},
                            {"3", "consumer", "500000", "2024-02-29", "2025-01-01", "4", "false"}});
  CHECK(result.lines == std::vector<int64_t>{2, 3, 4});
  CHECK(result.record_texts[1] == "2,business,100,100,2026-11-20,2026-11-20,3,true");
}

TEST_CASE("stores physical values: scaled ints, day counts, enum indices", "[csv]") {
  TextFile file(kDunning);
  CsvChunker chunker(file.fd());
  std::vector<std::string> header;
  std::string error;
  REQUIRE(chunker.readHeader(&header, &error));
  const std::vector<ir::InputColumn> inputs = dunningInputs();
  HeaderBinding binding;
  REQUIRE(bindHeader(inputs, header, &binding, &error));
  CHECK(binding.field_of_input == std::vector<uint32_t>{0, 1, 2, 4, 5, 6, 7});
  std::vector<ir::Type> types;
  for (const auto& input : inputs) types.push_back(input.type);
  Batch batch(types, 16);
  RecordParser parser(inputs, binding);
  Chunk chunk;
  REQUIRE(chunker.next(&chunk, &error));
  CHECK(chunk.first_line == 2);
  std::vector<Reject> rejects;
  ChunkCursor cursor = cursorAt(chunk);
  REQUIRE(parser.parse(chunk, &cursor, &batch, &rejects) == 3);
  CHECK(batch.rows() == 3);
  CHECK(batch.column(0).i64()[2] == 3);
  CHECK(batch.column(1).i64()[1] == 1);            // business
  CHECK(batch.column(2).i64()[0] == 125050);       // cents at money scale 2
  CHECK(batch.column(3).i64()[2] == 19782);        // 2024-02-29
  CHECK(batch.column(4).valid()[0] == 0);          // missing
  CHECK(batch.column(4).valid()[1] == 1);
  CHECK(batch.column(4).i64()[1] == 20777);        // 2026-11-20
  CHECK(batch.column(6).boolean()[1] == 1);
  CHECK_FALSE(chunker.next(&chunk, &error));
  CHECK(error == "");
}

TEST_CASE("quoted fields: separators, newlines, doubled quotes, CRLF, empty lines", "[csv]") {
  const ReadResult result = readText(trickyText(), textInputs());
  REQUIRE(result.error == "");
  CHECK(result.rejects.empty());
  CHECK(result.rows == kTrickyRows);
  CHECK(result.lines == kTrickyLines);
  CHECK(result.record_texts[3] == "4,\"two\nlines\r\nand three\",y");
}

TEST_CASE("tiny chunks give the same records as 1 MiB chunks", "[csv][chunks]") {
  const std::string text = trickyText();
  for (size_t chunk_size : {1, 2, 3, 5, 7, 8, 13, 16, 31, 64, 1 << 20}) {
    INFO("chunk size " << chunk_size);
    const ReadResult result = readText(text, textInputs(), chunk_size);
    REQUIRE(result.error == "");
    CHECK(result.rows == kTrickyRows);
    CHECK(result.lines == kTrickyLines);
    CHECK(result.rejects.empty());
    if (chunk_size <= 16) CHECK(result.chunks > 1);
  }
}

TEST_CASE("chunk and batch boundaries do not change results, rejects included", "[csv][chunks]") {
  std::string text = "id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed\n";
  for (int row = 1; row <= 500; ++row) {
    const bool bad = row % 37 == 0;
    text += std::to_string(row) + (row % 3 ? ",consumer," : ",business,") + std::to_string(row * 101) + ",0," +
            (bad ? "2025-02-30" : "2025-01-" + std::to_string(10 + row % 20)) + "," +
            (row % 2 ? "" : "2025-06-01") + "," + std::to_string(row % 5) + (row % 11 ? ",false" : ",true") +
            (row % 4 ? "\n" : "\r\n");
  }
  const ReadResult reference = readText(text, dunningInputs());
  REQUIRE(reference.error == "");
  CHECK(reference.rows.size() == 500 - 13);
  CHECK(reference.rejects.size() == 13);
  CHECK(reference.rejects[0].line == 38);
  CHECK(reference.chunks == 1);
  for (size_t chunk_size : {16, 57, 100, 4096})
    for (size_t capacity : {1, 7, 2048}) {
      INFO("chunk " << chunk_size << " batch " << capacity);
      const ReadResult result = readText(text, dunningInputs(), chunk_size, capacity);
      REQUIRE(result.error == "");
      CHECK(result.rows == reference.rows);
      CHECK(result.lines == reference.lines);
      REQUIRE(result.rejects.size() == reference.rejects.size());
      for (size_t reject = 0; reject < result.rejects.size(); ++reject) {
        CHECK(result.rejects[reject].line == reference.rejects[reject].line);
        CHECK(result.rejects[reject].raw_record == reference.rejects[reject].raw_record);
      }
    }
}

TEST_CASE("a record larger than the chunk size grows that chunk", "[csv][chunks]") {
  const std::string big(100000, 'x');
  const std::string text = "id,note\n1,a\n2,\"" + big + "\n" + big + "\"\n3," + big + "\n4,b\n";
  const ReadResult result = readText(text, textInputs(), 64);
  REQUIRE(result.error == "");
  REQUIRE(result.rows.size() == 4);
  CHECK(result.rows[1][1] == big + "\n" + big);
  CHECK(result.rows[2][1] == big);
  CHECK(result.rows[3] == std::vector<std::string>{"4", "b"});
  CHECK(result.lines == std::vector<int64_t>{2, 3, 5, 6});
}

TEST_CASE("a runaway record beyond the maximum record size is rejected with its first bytes", "[csv][chunks]") {
  const std::string runaway = "1,\"never closed " + std::string(5000, 'x') + "\nmore\n";
  TextFile file("id,note\n" + runaway);
  const ReadResult result = readFd(file.fd(), textInputs(), 64, 2048, {}, 1024);
  CHECK(result.error == "");
  CHECK(result.rows.empty());
  REQUIRE(result.rejects.size() == 1);
  CHECK(result.rejects[0].line == 2);
  CHECK(result.rejects[0].reason ==
        "the record is longer than 1024 bytes, the most a CSV record may have; is a quote left open? "
        "(the record column keeps its first 1024 bytes)");
  CHECK(result.rejects[0].raw_record == runaway.substr(0, 1024));
}

// The limit counts the line end, and it is exact whatever the chunk size: a record of 1023 bytes
// plus its line feed is read, one byte more is rejected; reading resumes after the long record's
// end (its quoted line feeds still count for line numbers).
TEST_CASE("the record limit is exact and reading goes on after a too-long record", "[csv][chunks]") {
  const std::string fits = "1," + std::string(1021, 'a');                    // 1023 bytes + '\n'
  const std::string too_long = "2,\"" + std::string(600, 'b') + "\n" + std::string(600, 'b') + "\"";  // 1206
  const std::string text = "id,note\n" + fits + "\n" + too_long + "\n3,c\n" + "4," + std::string(1022, 'd') + "\n5,e\n";
  for (size_t chunk_size : {size_t{1}, size_t{7}, size_t{64}, size_t{1000}, size_t{4096}}) {
    TextFile file(text);
    const ReadResult result = readFd(file.fd(), textInputs(), chunk_size, 2048, {}, 1024);
    INFO("chunk size " << chunk_size);
    CHECK(result.error == "");
    CHECK(result.lines == std::vector<int64_t>{2, 5, 7});
    REQUIRE(result.rejects.size() == 2);
    CHECK(result.rejects[0].line == 3);
    CHECK(result.rejects[0].raw_record == too_long.substr(0, 1024));
    CHECK(result.rejects[1].line == 6);
  }
}

TEST_CASE("a UTF-8 BOM is stripped from the header", "[csv]") {
  const ReadResult result = readText("\xEF\xBB\xBFid,note\n1,\xC3\xBC\n", textInputs());
  REQUIRE(result.error == "");
  CHECK(result.header == std::vector<std::string>{"id", "note"});
  CHECK(result.rows == Rows{{"1", "\xC3\xBC"}});
  for (size_t chunk_size : {1, 2, 4}) CHECK(readText("\xEF\xBB\xBFid,note\n1,a\n", textInputs(), chunk_size).rows.size() == 1);
}

TEST_CASE("quoted header fields are unquoted, extra and reordered columns are fine", "[csv]") {
  const ReadResult result = readText("\"note\",\"unused, col\",\"i\"\"d\",id\r\nhello,x,y,7\r\n", textInputs());
  REQUIRE(result.error == "");
  CHECK(result.header == std::vector<std::string>{"note", "unused, col", "i\"d", "id"});
  CHECK(result.rows == Rows{{"7", "hello"}});
}

TEST_CASE("header only gives zero rows, so does a header without a newline", "[csv]") {
  for (const char* text : {"id,note\n", "id,note", "id,note\r\n", "id,note\n\n\n"}) {
    const ReadResult result = readText(text, textInputs());
    CHECK(result.error == "");
    CHECK(result.rows.empty());
    CHECK(result.rejects.empty());
  }
}

TEST_CASE("the last record needs no trailing newline", "[csv]") {
  for (size_t chunk_size : {3, 1 << 20}) {
    CHECK(readText("id,note\n1,a\n2,b", textInputs(), chunk_size).rows == Rows{{"1", "a"}, {"2", "b"}});
    CHECK(readText("id,note\n1,a\n2,\"b\"", textInputs(), chunk_size).rows == Rows{{"1", "a"}, {"2", "b"}});
    CHECK(readText("id,note\r\n1,a\r\n2,b\r", textInputs(), chunk_size).rows == Rows{{"1", "a"}, {"2", "b"}});  // a final lone CR is a cut CRLF
  }
}

TEST_CASE("an empty quoted cell in a string? column is the empty string, an empty cell is missing", "[csv]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("id", Type::of(TypeKind::Int)),
                                               inputColumn("note", optionalType(TypeKind::String))};
  const ReadResult result = readText("id,note\n1,\n2,\"\"\n3,x\n", inputs);
  CHECK(result.rows == Rows{{"1", "<missing>"}, {"2", ""}, {"3", "x"}});
}

TEST_CASE("quoted numbers and dates are read like unquoted ones", "[csv]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("id", Type::of(TypeKind::Int)),
                                               inputColumn("when", Type::of(TypeKind::Date))};
  CHECK(readText("id,when\n\"12\",\"2025-01-31\"\n", inputs).rows == Rows{{"12", "2025-01-31"}});
}

TEST_CASE("a semicolon dialect with quoted strings (the bank-marketing layout)", "[csv]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("age", Type::of(TypeKind::Int)),
                                               inputColumn("job", enumOf({"admin.", "management", "unknown"}))};
  const std::string text = "\"age\";\"job\";\"y\"\r\n58;\"management\";\"no\"\r\n44;\"unknown\";\"a;b\"\r\n";
  const ReadResult result = readText(text, inputs, 8, 2048, CsvDialect{';', '"'});
  REQUIRE(result.error == "");
  CHECK(result.rows == Rows{{"58", "management"}, {"44", "unknown"}});
}

TEST_CASE("strings point into the chunk unless they had doubled quotes", "[csv]") {
  TextFile file("id,note\n1,abc\n2,\"a\"\"b\"\n");
  CsvChunker chunker(file.fd());
  std::vector<std::string> header;
  std::string error;
  REQUIRE(chunker.readHeader(&header, &error));
  const auto inputs = textInputs();
  HeaderBinding binding;
  REQUIRE(bindHeader(inputs, header, &binding, &error));
  Batch batch({Type::of(TypeKind::Int), Type::of(TypeKind::String)}, 8);
  RecordParser parser(inputs, binding);
  Chunk chunk;
  REQUIRE(chunker.next(&chunk, &error));
  std::vector<Reject> rejects;
  ChunkCursor cursor = cursorAt(chunk);
  REQUIRE(parser.parse(chunk, &cursor, &batch, &rejects) == 2);
  const StrRef plain = batch.column(1).str()[0];
  const StrRef unescaped = batch.column(1).str()[1];
  CHECK(plain.data >= chunk.text.data());
  CHECK(plain.data < chunk.text.data() + chunk.text.size());
  CHECK(std::string(unescaped.data, unescaped.size) == "a\"b");
  CHECK((unescaped.data < chunk.text.data() || unescaped.data >= chunk.text.data() + chunk.text.size()));
}

TEST_CASE("reads from a pipe as well as from a file", "[csv]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string text = "id,note\n";
  for (int row = 0; row < 20000; ++row) text += std::to_string(row) + ",\"n" + std::to_string(row) + "\"\n";
  std::thread writer([&] {
    size_t written = 0;
    while (written < text.size()) {
      const ssize_t step = ::write(fds[1], text.data() + written, std::min<size_t>(777, text.size() - written));
      if (step <= 0) break;
      written += static_cast<size_t>(step);
    }
    ::close(fds[1]);
  });
  const ReadResult result = readFd(fds[0], textInputs(), 4096, 500);
  writer.join();
  ::close(fds[0]);
  REQUIRE(result.error == "");
  REQUIRE(result.rows.size() == 20000);
  CHECK(result.rows[19999] == std::vector<std::string>{"19999", "n19999"});
  CHECK(result.lines[19999] == 20001);
  CHECK(result.chunks > 10);
}
