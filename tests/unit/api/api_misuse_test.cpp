// Every misuse of the embedding API is an error value with a message that says what to do, never a crash
// (the issue's list: a missing validity array, too few columns, no params, an enum index out of range, a
// required field with a missing value, a rule set that outlives nothing it needs, error text in public).
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "regelwerk/regelwerk.hpp"

namespace api = regelwerk::api;

namespace {

const char* const kRules = R"(ruleset misuse
input Row
  n: int
  kind: enum(a, b, c)
  note: string?
  since: date?
  flag: bool
param factor: int
output twice: int = n * factor
output label: string = (note ?? "none") ++ "!"
)";

std::shared_ptr<const api::Rules> rules() {
  api::Error error;
  auto loaded = api::Rules::fromText("misuse.rules", kRules, &error);
  INFO(error.message);
  REQUIRE(loaded);
  return loaded;
}

}  // namespace

TEST_CASE("api misuse: rule errors and unreadable files are errors with the diagnostics", "[api]") {
  api::Error error;
  CHECK_FALSE(api::Rules::fromText("bad.rules", "ruleset bad\ninput R\n  n: int\noutput x: int = m\n", &error));
  CHECK(error.code == api::ErrorCode::RuleErrors);
  CHECK(error.message.find("bad.rules:4") != std::string::npos);
  CHECK(error.message.find("E0") != std::string::npos);
  CHECK_FALSE(api::Rules::load(RW_BINARY_DIR "/no-such-folder/none.rules", &error));
  CHECK(error.code == api::ErrorCode::Io);
  CHECK_FALSE(api::Rules::fromText("bad.rules", "ruleset", nullptr));  // a null Error is allowed
  CHECK_FALSE(api::Engine::create(nullptr, api::EngineKind::Jit, &error));
}

TEST_CASE("api misuse: columns are checked on entry: name, type, length, validity, ranges", "[api]") {
  auto loaded = rules();
  api::Batch batch(loaded, 3);
  const int64_t numbers[3] = {1, 2, 3};
  const int64_t kinds_bad[3] = {0, 3, 1};
  const int64_t kinds_negative[3] = {0, -1, 1};
  const uint8_t one_missing[3] = {1, 0, 1};
  const uint8_t bools_bad[3] = {0, 2, 1};
  const int32_t offsets_bad[4] = {0, 4, 2, 6};
  const int64_t dates_bad[3] = {0, 3000000, 1};
  api::Error error;

  CHECK_FALSE(batch.setInt64("m", numbers, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::UnknownName);
  CHECK(error.message.find("n, kind, note, since, flag") != std::string::npos);
  CHECK_FALSE(batch.setBool("n", bools_bad, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  CHECK_FALSE(batch.setInt64("n", numbers, 2, nullptr, &error));
  CHECK(error.code == api::ErrorCode::WrongLength);
  CHECK_FALSE(batch.setInt64("n", numbers, 3, one_missing, &error));
  CHECK(error.code == api::ErrorCode::MissingValue);
  CHECK(error.message.find("row 1") != std::string::npos);
  CHECK_FALSE(batch.setInt64("kind", kinds_bad, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::OutOfRange);
  CHECK(error.message.find("enum index 3") != std::string::npos);
  CHECK_FALSE(batch.setInt64("kind", kinds_negative, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::OutOfRange);
  CHECK_FALSE(batch.setBool("flag", bools_bad, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::OutOfRange);
  CHECK_FALSE(batch.setInt64("since", dates_bad, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::OutOfRange);
  CHECK_FALSE(batch.setStrings("note", "abcdef", offsets_bad, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::OutOfRange);
  CHECK_FALSE(batch.setStrings("note", "abcdef", nullptr, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::WrongLength);
  CHECK_FALSE(batch.setInt64("n", nullptr, 3, nullptr, &error));
  CHECK(error.code == api::ErrorCode::WrongLength);
  CHECK_FALSE(batch.setText("since", {"2025-02-30", "", ""}, &error));
  CHECK(error.code == api::ErrorCode::BadValue);
  CHECK(error.message.find("February 2025 has 28 days") != std::string::npos);
  // A missing date in a masked-out row is not checked: the engines never read it.
  const uint8_t second_missing[3] = {1, 0, 1};
  CHECK(batch.setInt64("since", dates_bad, 3, second_missing, &error));
}

TEST_CASE("api misuse: evaluate() refuses a batch with columns missing, foreign handles and bad params", "[api]") {
  auto loaded = rules();
  api::Error error;
  auto engine = api::Engine::create(loaded, api::EngineKind::Jit, &error);
  REQUIRE(engine);
  api::Batch batch(loaded, 2);
  const int64_t numbers[2] = {5, 6};
  const int64_t kinds[2] = {0, 2};
  const uint8_t flags[2] = {0, 1};
  REQUIRE(batch.setInt64("n", numbers, 2, nullptr, &error));
  REQUIRE(batch.setInt64("kind", kinds, 2, nullptr, &error));
  api::Params params(loaded);
  api::Result result;

  CHECK_FALSE(engine->evaluate(batch, params, &result, &error));
  CHECK(error.code == api::ErrorCode::MissingColumn);
  CHECK(error.message.find("note, since, flag") != std::string::npos);

  // Optional fields without a validity array: every value is present (no crash on a null array).
  const char text[] = "xy";
  const int32_t offsets[3] = {0, 1, 2};
  const int64_t days[2] = {20000, 20001};
  REQUIRE(batch.setStrings("note", text, offsets, 2, nullptr, &error));
  REQUIRE(batch.setInt64("since", days, 2, nullptr, &error));
  REQUIRE(batch.setBool("flag", flags, 2, nullptr, &error));

  CHECK_FALSE(engine->evaluate(batch, params, &result, &error));  // factor has no default
  CHECK(error.code == api::ErrorCode::BadValue);
  CHECK(error.message.find("factor") != std::string::npos);
  CHECK_FALSE(params.set("factor", "2.5", &error));
  CHECK(error.code == api::ErrorCode::BadValue);
  CHECK_FALSE(params.set("divisor", "2", &error));
  CHECK(error.code == api::ErrorCode::UnknownName);
  CHECK_FALSE(params.setBool("factor", true, &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  REQUIRE(params.setInt64("factor", 3, &error));

  CHECK_FALSE(engine->evaluate(batch, params, nullptr, &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  auto other = rules();
  CHECK_FALSE(engine->evaluate(api::Batch(other, 2), params, &result, &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  CHECK_FALSE(engine->evaluate(batch, api::Params(other), &result, &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  CHECK_FALSE(engine->evaluate(batch, api::Params(nullptr), &result, &error));
  CHECK_FALSE(engine->evaluate(api::Batch(nullptr, 2), params, &result, &error));

  REQUIRE(engine->evaluate(batch, params, &result, &error));
  CHECK(result.int64("twice", &error)[1] == 18);
  CHECK(result.text("label", 0) == "x!");
  CHECK_FALSE(result.int64("label", &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  CHECK_FALSE(result.bools("twice", &error));
  CHECK_FALSE(result.int64("nothing", &error));
  CHECK(error.code == api::ErrorCode::UnknownName);
  CHECK(result.text("nothing", 0).empty());
  CHECK(result.text("twice", 99).empty());
}

TEST_CASE("api misuse: a record the rules reject has its reason, the others their outputs", "[api]") {
  auto loaded = rules();
  api::Error error;
  auto engine = api::Engine::create(loaded, api::EngineKind::Interpreter, &error);
  REQUIRE(engine);
  api::Params params(loaded);
  REQUIRE(params.set("factor", "4611686018427387904", &error));  // 2^62: n * factor overflows for n >= 2
  api::Result result;
  REQUIRE(engine->evaluateOne({{"n", "2"}, {"kind", "b"}, {"note", ""}, {"since", ""}, {"flag", "true"}}, params, &result,
                              &error));
  REQUIRE(result.rejectedCount() == 1);
  CHECK(result.rejected(0));
  INFO(result.rejectReason(0));
  CHECK(result.rejectReason(0).find("misuse.rules:9:23 (output twice)") != std::string::npos);
  CHECK(result.rejectReason(0).find("overflow") != std::string::npos);
  CHECK(result.text("twice", 0).empty());

  CHECK_FALSE(engine->evaluateOne({{"n", "2"}}, params, &result, &error));
  CHECK(error.code == api::ErrorCode::MissingColumn);
  CHECK_FALSE(engine->evaluateOne({{"n", "2"}, {"n", "3"}}, params, &result, &error));
  CHECK_FALSE(engine->evaluateOne({{"n", "two"}}, params, &result, &error));
  CHECK(error.code == api::ErrorCode::BadValue);
}

TEST_CASE("api misuse: a grouped rule set is refused by evaluate() with what to do instead", "[api]") {
  api::Error error;
  auto grouped = api::Rules::load(RW_SOURCE_DIR "/examples/waterfall/waterfall.rules", &error);
  INFO(error.message);
  REQUIRE(grouped);
  CHECK(grouped->grouped());
  auto engine = api::Engine::create(grouped, api::EngineKind::Interpreter, &error);
  REQUIRE(engine);
  api::Result result;
  CHECK_FALSE(engine->evaluate(api::Batch(grouped, 0), api::Params(grouped), &result, &error));
  CHECK(error.code == api::ErrorCode::Unsupported);
}

TEST_CASE("api: runTests reports every test block of a rule file and its test file", "[api]") {
  std::vector<api::TestOutcome> outcomes;
  api::Error error;
  REQUIRE(api::runTests(RW_SOURCE_DIR "/stdlib-rules/std/network_advice.rules", &outcomes, &error));
  REQUIRE(outcomes.size() >= 8);
  for (const api::TestOutcome& outcome : outcomes) {
    INFO(outcome.location << " " << outcome.name);
    CHECK(outcome.passed);
    CHECK(outcome.problems.empty());
  }
  CHECK_FALSE(api::runTests(RW_BINARY_DIR "/none.rules", &outcomes, &error));
  CHECK(error.code == api::ErrorCode::Io);
  CHECK_FALSE(api::runTests(RW_SOURCE_DIR "/stdlib-rules/std/network_advice.rules", nullptr, &error));
}

TEST_CASE("api: setIntegers reads integers as the CSV column would hold them, with its format", "[api]") {
  api::Error error;
  auto loaded = api::Rules::fromText("ints.rules", R"(ruleset ints
input Row
  euros: money
  cents: money from "cents_column" format "cents"
  rate: percent
  on: date
output total: money = euros + cents
output scaled: money = round(euros * rate, 2)
)",
                                     &error);
  INFO(error.message);
  REQUIRE(loaded);
  CHECK(loaded->inputs()[1].column == "cents_column");
  CHECK(loaded->inputs()[1].format == "cents");
  api::Batch batch(loaded, 2);
  const int64_t euros[2] = {12, -3}, cents[2] = {250, 1}, rates[2] = {5, 100}, huge[2] = {INT64_MAX / 10, 0};
  const int64_t days[2] = {0, 1};
  REQUIRE(batch.setIntegers("euros", euros, 2, nullptr, &error));
  REQUIRE(batch.setIntegers("cents", cents, 2, nullptr, &error));
  REQUIRE(batch.setIntegers("rate", rates, 2, nullptr, &error));  // 5 means 5%
  CHECK_FALSE(batch.setIntegers("on", days, 2, nullptr, &error));
  CHECK(error.code == api::ErrorCode::WrongType);
  api::Batch other(loaded, 2);
  CHECK_FALSE(other.setIntegers("euros", huge, 2, nullptr, &error));
  CHECK(error.code == api::ErrorCode::OutOfRange);
  REQUIRE(batch.setInt64("on", days, 2, nullptr, &error));
  auto engine = api::Engine::create(loaded, api::EngineKind::Jit, &error);
  REQUIRE(engine);
  api::Result result;
  REQUIRE(engine->evaluate(batch, api::Params(loaded), &result, &error));
  CHECK(result.text("total", 0) == "14.50");
  CHECK(result.text("total", 1) == "-2.99");
  CHECK(result.text("scaled", 0) == "0.60");
  CHECK(result.text("scaled", 1) == "-3.00");
}

// A chain: the outputs of one evaluate() handed over as the inputs of the next, into the same Result.
// Every input is read before any output is written over it, on both engines (the JIT's speculative
// pass writes every row before its scalar loop evaluates the rows it marked: here all of them, as
// a * a of two 32-bit magnitudes may overflow as far as its test can tell).
TEST_CASE("api: outputs handed back as inputs into the same result are read before they are overwritten", "[api]") {
  api::Error error;
  auto loaded =
      api::Rules::fromText("chain.rules", "ruleset chain\ninput R\n  a: int\noutput b: int = if a < 0 then -a else a * a\n",
                           &error);
  REQUIRE(loaded);
  constexpr size_t kRows = 64;  // several vector iterations
  for (api::EngineKind kind : {api::EngineKind::Jit, api::EngineKind::Interpreter}) {
    auto engine = api::Engine::create(loaded, kind, &error);
    REQUIRE(engine);
    const std::vector<int64_t> first(kRows, -3037000499);
    api::Batch batch(loaded, kRows);
    REQUIRE(batch.setInt64("a", first.data(), kRows, nullptr, &error));
    api::Result result;
    REQUIRE(engine->evaluate(batch, api::Params(loaded), &result, &error));
    const int64_t* b = result.int64("b", &error);
    REQUIRE(b != nullptr);
    CHECK(b[0] == 3037000499);
    api::Batch again(loaded, kRows);
    REQUIRE(again.setInt64("a", b, kRows, nullptr, &error));
    REQUIRE(engine->evaluate(again, api::Params(loaded), &result, &error));
    CHECK(result.rejectedCount() == 0);
    const int64_t* squared = result.int64("b", &error);
    REQUIRE(squared == b);  // the result's columns stay where they are: pointers into them stay valid
    for (size_t row = 0; row < kRows; ++row) CHECK(squared[row] == 9223372030926249001);
    // A batch bound once to the result's column reads its latest values at every call.
    const std::vector<int64_t> small(kRows, -2);
    REQUIRE(batch.setInt64("a", small.data(), kRows, nullptr, &error));
    REQUIRE(engine->evaluate(batch, api::Params(loaded), &result, &error));  // b = 2
    for (int64_t expected : {4, 16, 256, 65536}) {
      REQUIRE(engine->evaluate(again, api::Params(loaded), &result, &error));
      CHECK(result.int64("b", &error)[kRows - 1] == expected);
    }
  }
}

TEST_CASE("api: an empty batch evaluates to an empty result on both engines", "[api]") {
  api::Error error;
  auto loaded = api::Rules::fromText("empty.rules", "ruleset e\ninput R\n  n: int\n  s: string?\noutput m: int = n + 1\n",
                                     &error);
  REQUIRE(loaded);
  for (api::EngineKind kind : {api::EngineKind::Jit, api::EngineKind::Interpreter}) {
    auto engine = api::Engine::create(loaded, kind, &error);
    REQUIRE(engine);
    api::Batch batch(loaded, 0);
    REQUIRE(batch.setInt64("n", nullptr, 0, nullptr, &error));
    REQUIRE(batch.setStrings("s", nullptr, nullptr, 0, nullptr, &error) == false);  // offsets: length + 1 needed
    const int32_t offsets[1] = {0};
    REQUIRE(batch.setStrings("s", nullptr, offsets, 0, nullptr, &error));
    api::Result result;
    REQUIRE(engine->evaluate(batch, api::Params(loaded), &result, &error));
    CHECK(result.rows() == 0);
    CHECK(result.rejectedCount() == 0);
  }
}
