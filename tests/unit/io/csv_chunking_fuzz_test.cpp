// Randomized inputs built from CSV's special bytes: any chunk size and batch size must give the same
// rows, rejects and line numbers as reading the whole input at once.
#include <catch2/catch.hpp>

#include <random>

#include "csv_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::test;

namespace {

// Random text over a small alphabet rich in separators, quotes and line ends.
std::string randomBody(std::mt19937* random, size_t size) {
  static const char kAlphabet[] = {'a', 'b', ',', ',', '"', '"', '\n', '\n', '\r', ' ', '1'};
  std::uniform_int_distribution<size_t> pick(0, sizeof kAlphabet - 1);
  std::string text;
  for (size_t byte = 0; byte < size; ++byte) text.push_back(kAlphabet[pick(*random)]);
  return text;
}

void checkSame(const ReadResult& expected, const ReadResult& actual) {
  REQUIRE(actual.error == expected.error);
  CHECK(actual.rows == expected.rows);
  CHECK(actual.lines == expected.lines);
  REQUIRE(actual.rejects.size() == expected.rejects.size());
  for (size_t reject = 0; reject < actual.rejects.size(); ++reject) {
    CHECK(actual.rejects[reject].line == expected.rejects[reject].line);
    CHECK(actual.rejects[reject].column == expected.rejects[reject].column);
    CHECK(actual.rejects[reject].reason == expected.rejects[reject].reason);
    CHECK(actual.rejects[reject].raw_record == expected.rejects[reject].raw_record);
  }
}

}  // namespace

TEST_CASE("random CSV-like bytes read the same at every chunk and batch size", "[csv][chunks][fuzz]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("a", optionalType(ir::TypeKind::String)),
                                               inputColumn("b", ir::Type::of(ir::TypeKind::String))};
  std::mt19937 random(20261121);
  for (int round = 0; round < 300; ++round) {
    const std::string text = "a,b\n" + randomBody(&random, 10 + round % 120);
    INFO("round " << round);
    const ReadResult expected = readText(text, inputs);
    // Every record is accounted for: as a row or as a reject.
    for (size_t chunk_size : {1, 2, 3, 7, 16})
      for (size_t capacity : {1, 3}) {
        INFO("chunk " << chunk_size << " batch " << capacity);
        checkSame(expected, readText(text, inputs, chunk_size, capacity));
      }
  }
}

TEST_CASE("random inputs with a semicolon separator and CRLF line ends", "[csv][chunks][fuzz]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("x", ir::Type::of(ir::TypeKind::String))};
  std::mt19937 random(7);
  for (int round = 0; round < 100; ++round) {
    std::string body = randomBody(&random, 60);
    for (char& c : body)
      if (c == ',') c = ';';
    const std::string text = "x;y\r\n" + body;
    INFO("round " << round);
    const ReadResult expected = readText(text, inputs, kDefaultChunkSize, 2048, CsvDialect{';', '"'});
    for (size_t chunk_size : {1, 5, 11}) checkSame(expected, readText(text, inputs, chunk_size, 2, CsvDialect{';', '"'}));
  }
}
