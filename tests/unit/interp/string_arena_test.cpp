// StringArena: strings handed out keep their bytes while the arena grows, and reset() reuses the room.
#include "runtime/builtins/string_arena.hpp"

#include <catch2/catch.hpp>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/builtins/builtins.hpp"

namespace regelwerk::test {
namespace {

TEST_CASE("string arena: earlier strings survive growth past the first block", "[interp]") {
  StringArena arena;
  std::vector<RwStr> made;
  std::string piece(1000, 'a');
  for (int row = 0; row < 300; ++row) {  // 300 * 1000 bytes: several blocks
    piece[0] = static_cast<char>('a' + row % 26);
    RwStr out{nullptr, 0};
    REQUIRE(rw_str_concat(&arena, piece.data(), 1000, "!", 1, &out) == 0);
    made.push_back(out);
  }
  for (int row = 0; row < 300; ++row) {
    REQUIRE(made[row].size == 1001);
    CHECK(made[row].data[0] == static_cast<char>('a' + row % 26));
    CHECK(made[row].data[1000] == '!');
  }
}

TEST_CASE("string arena: the limit is 65536 bytes, inclusive", "[interp]") {
  StringArena arena;
  std::string half(32768, 'x');
  RwStr out{nullptr, 0};
  CHECK(rw_str_concat(&arena, half.data(), 32768, half.data(), 32768, &out) == 0);
  CHECK(out.size == 65536);
  CHECK(rw_str_concat(&arena, half.data(), 32768, std::string(32769, 'y').data(), 32769, &out) ==
        static_cast<int32_t>(ir::ErrorCode::StringTooLong));
  CHECK(rw_str_concat(&arena, nullptr, 0, nullptr, 0, &out) == 0);
  CHECK(out.size == 0);
}

TEST_CASE("string arena: reset keeps the largest block and starts at its beginning", "[interp]") {
  StringArena arena;
  char* first = arena.allocate(10);
  for (int block = 0; block < 4; ++block) arena.allocate(60000);
  char* last = arena.allocate(10);
  arena.reset();
  char* again = arena.allocate(10);
  CHECK(again != first);        // the first, small block is gone ...
  CHECK(again <= last);         // ... the start of the largest one is reused
  std::memset(again, 'z', 10);  // and it is writable
}

TEST_CASE("text kernel: numbers and dates as the CSV writer writes them", "[interp]") {
  StringArena arena;
  auto text = [&](int64_t value, int32_t places, int32_t date) {
    RwStr out{nullptr, 0};
    REQUIRE(rw_text(&arena, value, places, date, &out) == 0);
    return std::string(out.data, static_cast<size_t>(out.size));
  };
  CHECK(text(1250, 2, 0) == "12.50");
  CHECK(text(-5, 2, 0) == "-0.05");
  CHECK(text(INT64_MIN, 0, 0) == "-9223372036854775808");
  CHECK(text(12, -2, 0) == "1200");  // a percent at fraction scale 0: 12 is 1200%
  CHECK(text(0, -2, 0) == "0");
  CHECK(text(0, 0, 1) == "1970-01-01");
  CHECK(text(-719162, 0, 1) == "0001-01-01");
}

}  // namespace
}  // namespace regelwerk::test
