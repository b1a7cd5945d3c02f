// The C API: status codes and messages instead of crashes (NULL handles, foreign types), handles that
// keep what they need, and Arrow arrays mapped onto the engine's columns exactly (views where the layouts
// agree, exact conversions otherwise, validity bitmaps, array offsets).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "regelwerk/regelwerk.h"

namespace {

const char* const kRules = R"(ruleset arrow
input Row
  n: int
  kind: enum(low, high)
  label: string?
  on: date
  at: timestamp?
  price: money
  flag: bool
output doubled: int = n * 2
output tag: string = (label ?? "-") ++ "/" ++ text(kind)
output later: date = on + 1 day
output seen: timestamp? = at
output hour_after: timestamp = (at ?? 2000-01-01T00:00:00Z) + 1 h
output gross: money = price * 2
output negated: bool = not flag
)";

// Owns the message of a failed call and frees it.
struct Message {
  char* text = nullptr;
  ~Message() { rw_string_free(text); }
  std::string str() const { return text ? text : ""; }
  char** out() {
    rw_string_free(text);
    text = nullptr;
    return &text;
  }
};

struct Fixture {
  rw_rules* rules = nullptr;
  rw_engine* engine = nullptr;
  rw_batch* batch = nullptr;
  Fixture() {
    Message message;
    REQUIRE(rw_rules_from_text("arrow.rules", kRules, std::strlen(kRules), &rules, message.out()) == RW_OK);
    REQUIRE(rw_engine_create(rules, RW_INTERPRETER, &engine, message.out()) == RW_OK);
    batch = rw_batch_new(rules, 3);
  }
  ~Fixture() {
    rw_batch_free(batch);
    rw_engine_free(engine);
    rw_rules_free(rules);
  }
};

void noRelease(ArrowArray* array) { array->release = nullptr; }
void noSchemaRelease(ArrowSchema* schema) { schema->release = nullptr; }

ArrowSchema schemaOf(const char* format) {
  return ArrowSchema{format, "", nullptr, ARROW_FLAG_NULLABLE, 0, nullptr, nullptr, noSchemaRelease, nullptr};
}

ArrowArray arrayOf(int64_t length, int64_t null_count, int64_t offset, std::vector<const void*>& buffers) {
  return ArrowArray{length,  null_count, offset, static_cast<int64_t>(buffers.size()), 0, buffers.data(), nullptr,
                    nullptr, noRelease,  nullptr};
}

std::string cell(const rw_result* result, const char* name, size_t row) {
  char* text = rw_result_text(result, name, row);
  std::string copy = text;
  rw_string_free(text);
  return copy;
}

}  // namespace

TEST_CASE("C API: NULL handles and arguments are RW_ERR_NULL with a message", "[capi]") {
  Message message;
  rw_rules* rules = nullptr;
  CHECK(rw_rules_load(nullptr, &rules, message.out()) == RW_ERR_NULL);
  CHECK(message.str() == "path is NULL");
  CHECK(rw_rules_load("x.rules", nullptr, nullptr) == RW_ERR_NULL);
  CHECK(rw_engine_create(nullptr, RW_JIT, nullptr, message.out()) == RW_ERR_NULL);
  CHECK(rw_batch_new(nullptr, 3) == nullptr);
  CHECK(rw_params_new(nullptr) == nullptr);
  CHECK(rw_batch_set_int64(nullptr, "n", nullptr, 0, nullptr, message.out()) == RW_ERR_NULL);
  CHECK(rw_batch_set_arrow(nullptr, "n", nullptr, nullptr, message.out()) == RW_ERR_NULL);
  CHECK(rw_params_set(nullptr, "n", "1", message.out()) == RW_ERR_NULL);
  CHECK(rw_engine_evaluate(nullptr, nullptr, nullptr, nullptr, message.out()) == RW_ERR_NULL);
  CHECK(rw_result_rows(nullptr) == 0);
  CHECK(rw_result_int64(nullptr, "n", message.out()) == nullptr);
  CHECK(rw_result_reject_reason(nullptr, 0) == nullptr);
  CHECK(rw_rules_field_count(nullptr, RW_INPUT) == 0);
  rw_rules_free(nullptr);
  rw_engine_free(nullptr);
  rw_batch_free(nullptr);
  rw_result_free(nullptr);
  CHECK(rw_rules_from_text("bad.rules", "ruleset", 7, &rules, message.out()) == RW_ERR_RULE_ERRORS);
  CHECK(rules == nullptr);
  CHECK(message.str().find("bad.rules:1") != std::string::npos);
}

TEST_CASE("C API: fields describe the rule set; the engine outlives the rules handle", "[capi]") {
  Message message;
  rw_rules* rules = nullptr;
  REQUIRE(rw_rules_from_text("arrow.rules", kRules, std::strlen(kRules), &rules, message.out()) == RW_OK);
  REQUIRE(rw_rules_field_count(rules, RW_INPUT) == 7);
  rw_field field;
  REQUIRE(rw_rules_field(rules, RW_INPUT, 1, &field, message.out()) == RW_OK);
  CHECK(std::string(field.name) == "kind");
  CHECK(field.type == RW_ENUM);
  REQUIRE(field.member_count == 2);
  CHECK(std::string(field.members[1]) == "high");
  REQUIRE(rw_rules_field(rules, RW_INPUT, 5, &field, message.out()) == RW_OK);
  CHECK(field.type == RW_MONEY);
  CHECK(field.scale == 2);
  CHECK(rw_rules_field(rules, RW_INPUT, 7, &field, message.out()) == RW_ERR_OUT_OF_RANGE);
  rw_engine* engine = nullptr;
  REQUIRE(rw_engine_create(rules, RW_JIT, &engine, message.out()) == RW_OK);
  rw_batch* batch = rw_batch_new(rules, 1);
  rw_rules_free(rules);  // the engine and the batch keep the rule set
  const char* names[] = {"n", "kind", "label", "on", "at", "price", "flag"};
  const char* cells[] = {"4", "high", "", "2025-02-28", "2025-03-01T10:00:00Z", "1.25", "true"};
  rw_result* result = nullptr;
  REQUIRE(rw_engine_evaluate_one(engine, names, cells, 7, nullptr, &result, message.out()) == RW_OK);
  CHECK(cell(result, "doubled", 0) == "8");
  CHECK(cell(result, "tag", 0) == "-/high");
  CHECK(cell(result, "later", 0) == "2025-03-01");
  CHECK(cell(result, "hour_after", 0) == "2025-03-01T11:00:00Z");
  CHECK(cell(result, "gross", 0) == "2.50");
  CHECK(cell(result, "negated", 0) == "false");
  rw_result_free(result);
  result = nullptr;  // *out is NULL or a result to evaluate into again
  CHECK(rw_engine_evaluate(engine, batch, nullptr, &result, message.out()) == RW_ERR_MISSING_COLUMN);
  CHECK(result == nullptr);
  rw_batch_free(batch);
  rw_engine_free(engine);
}

TEST_CASE("C API: Arrow arrays of every mapped type, with validity bitmaps and offsets", "[capi]") {
  Fixture fixture;
  Message message;
  // int64 with an array offset of 1: rows are 10, 20, 30.
  const int64_t n_values[4] = {0, 10, 20, 30};
  std::vector<const void*> n_buffers = {nullptr, n_values};
  ArrowSchema int64_schema = schemaOf("l");
  ArrowArray n_array = arrayOf(3, 0, 1, n_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "n", &int64_schema, &n_array, message.out()) == RW_OK);
  // utf8 member names for the enum.
  const int32_t kind_offsets[4] = {0, 3, 7, 10};
  std::vector<const void*> kind_buffers = {nullptr, kind_offsets, "lowhighlow"};
  ArrowSchema utf8_schema = schemaOf("u");
  ArrowArray kind_array = arrayOf(3, 0, 0, kind_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "kind", &utf8_schema, &kind_array, message.out()) == RW_OK);
  // utf8 strings with the middle one null (bitmap 0b101).
  const uint8_t label_bits[1] = {0x05};
  const int32_t label_offsets[4] = {0, 1, 1, 3};
  std::vector<const void*> label_buffers = {label_bits, label_offsets, "abc"};
  ArrowArray label_array = arrayOf(3, 1, 0, label_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "label", &utf8_schema, &label_array, message.out()) == RW_OK);
  // date32 days.
  const int32_t days[3] = {0, 20000, 20513};
  std::vector<const void*> day_buffers = {nullptr, days};
  ArrowSchema date_schema = schemaOf("tdD");
  ArrowArray day_array = arrayOf(3, 0, 0, day_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "on", &date_schema, &day_array, message.out()) == RW_OK);
  // timestamp in microseconds, UTC, the last one null.
  const uint8_t at_bits[1] = {0x03};
  const int64_t micros[3] = {0, 1740823200000000, 777};
  std::vector<const void*> at_buffers = {at_bits, micros};
  ArrowSchema ts_schema = schemaOf("tsu:UTC");
  ArrowArray at_array = arrayOf(3, 1, 0, at_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "at", &ts_schema, &at_array, message.out()) == RW_OK);
  // decimal128(10, 3) → money at scale 2: 1.250, -0.500, 12.000.
  __int128 prices[3] = {1250, -500, 12000};
  std::vector<const void*> price_buffers = {nullptr, prices};
  ArrowSchema decimal_schema = schemaOf("d:10,3");
  ArrowArray price_array = arrayOf(3, 0, 0, price_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "price", &decimal_schema, &price_array, message.out()) == RW_OK);
  // bools as bits: true, false, true.
  const uint8_t flag_bits[1] = {0x05};
  std::vector<const void*> flag_buffers = {nullptr, flag_bits};
  ArrowSchema bool_schema = schemaOf("b");
  ArrowArray flag_array = arrayOf(3, 0, 0, flag_buffers);
  REQUIRE(rw_batch_set_arrow(fixture.batch, "flag", &bool_schema, &flag_array, message.out()) == RW_OK);

  rw_result* result = nullptr;
  REQUIRE(rw_engine_evaluate(fixture.engine, fixture.batch, nullptr, &result, message.out()) == RW_OK);
  REQUIRE(rw_result_rows(result) == 3);
  CHECK(rw_result_int64(result, "doubled", message.out())[2] == 60);
  CHECK(cell(result, "tag", 0) == "a/low");
  CHECK(cell(result, "tag", 1) == "-/high");
  CHECK(cell(result, "tag", 2) == "bc/low");
  CHECK(cell(result, "later", 0) == "1970-01-02");
  CHECK(cell(result, "later", 2) == "2026-03-02");
  CHECK(cell(result, "hour_after", 1) == "2025-03-01T11:00:00Z");
  CHECK(cell(result, "hour_after", 2) == "2000-01-01T01:00:00Z");
  CHECK(cell(result, "seen", 2).empty());
  CHECK(rw_result_valid(result, "seen")[2] == 0);
  CHECK(rw_result_valid(result, "seen")[1] == 1);
  CHECK(cell(result, "gross", 0) == "2.50");
  CHECK(cell(result, "gross", 1) == "-1.00");
  CHECK(rw_result_bools(result, "negated", message.out())[1] == 1);
  CHECK(rw_result_int64(result, "negated", message.out()) == nullptr);
  CHECK(message.str().find("bools()") != std::string::npos);
  rw_result_free(result);
}

TEST_CASE("C API: Arrow values that do not convert exactly, and types without a mapping, are errors", "[capi]") {
  Fixture fixture;
  Message message;
  __int128 prices[3] = {1255, 0, 0};  // 1.255 has three places; money has two
  std::vector<const void*> price_buffers = {nullptr, prices};
  ArrowSchema decimal_schema = schemaOf("d:10,3");
  ArrowArray price_array = arrayOf(3, 0, 0, price_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "price", &decimal_schema, &price_array, message.out()) == RW_ERR_BAD_VALUE);
  CHECK(message.str().find("row 0") != std::string::npos);

  const int64_t micros[3] = {1, 0, 0};  // a fraction of a second
  std::vector<const void*> at_buffers = {nullptr, micros};
  ArrowSchema ts_schema = schemaOf("tsu:");
  ArrowArray at_array = arrayOf(3, 0, 0, at_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "at", &ts_schema, &at_array, message.out()) == RW_ERR_BAD_VALUE);

  const double reals[3] = {1, 2, 3};
  std::vector<const void*> real_buffers = {nullptr, reals};
  ArrowSchema double_schema = schemaOf("g");
  ArrowArray real_array = arrayOf(3, 0, 0, real_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "price", &double_schema, &real_array, message.out()) == RW_ERR_UNSUPPORTED);
  CHECK(message.str().find("`g`") != std::string::npos);  // binary floating point never enters money

  const int32_t kind_offsets[4] = {0, 3, 9, 12};
  std::vector<const void*> kind_buffers = {nullptr, kind_offsets, "lowmediumlow"};
  ArrowSchema utf8_schema = schemaOf("u");
  ArrowArray kind_array = arrayOf(3, 0, 0, kind_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "kind", &utf8_schema, &kind_array, message.out()) == RW_ERR_BAD_VALUE);
  CHECK(message.str().find("medium") != std::string::npos);

  const int64_t kinds[3] = {0, 2, 1};  // index 2 of a two-member enum
  std::vector<const void*> index_buffers = {nullptr, kinds};
  ArrowSchema int64_schema = schemaOf("l");
  ArrowArray index_array = arrayOf(3, 0, 0, index_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "kind", &int64_schema, &index_array, message.out()) == RW_ERR_OUT_OF_RANGE);

  ArrowArray short_array = arrayOf(2, 0, 0, index_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "n", &int64_schema, &short_array, message.out()) == RW_ERR_WRONG_LENGTH);
  CHECK(rw_batch_set_arrow(fixture.batch, "nothing", &int64_schema, &index_array, message.out()) == RW_ERR_UNKNOWN_NAME);
  ArrowArray no_buffers = index_array;
  no_buffers.buffers = nullptr;
  CHECK(rw_batch_set_arrow(fixture.batch, "n", &int64_schema, &no_buffers, message.out()) == RW_ERR_BAD_VALUE);
  // A null in a required field.
  const uint8_t bits[1] = {0x06};
  std::vector<const void*> null_buffers = {bits, kinds};
  ArrowArray null_array = arrayOf(3, 1, 0, null_buffers);
  CHECK(rw_batch_set_arrow(fixture.batch, "n", &int64_schema, &null_array, message.out()) == RW_ERR_MISSING_VALUE);
}

TEST_CASE("C API: params, and a rejected record with its reason", "[capi]") {
  const char* text = "ruleset p\ninput R\n  n: int\nparam k: int\noutput q: int = int(100 / (n - k), down)\n";
  Message message;
  rw_rules* rules = nullptr;
  REQUIRE(rw_rules_from_text("p.rules", text, std::strlen(text), &rules, message.out()) == RW_OK);
  rw_engine* engine = nullptr;
  REQUIRE(rw_engine_create(rules, RW_JIT, &engine, message.out()) == RW_OK);
  rw_params* params = rw_params_new(rules);
  CHECK(rw_params_set(params, "k", "x", message.out()) == RW_ERR_BAD_VALUE);
  CHECK(rw_params_set_bool(params, "k", 1, message.out()) == RW_ERR_WRONG_TYPE);
  REQUIRE(rw_params_set_int64(params, "k", 2, message.out()) == RW_OK);
  rw_batch* batch = rw_batch_new(rules, 2);
  const char* cells[] = {"2", "3"};
  REQUIRE(rw_batch_set_text(batch, "n", cells, 2, message.out()) == RW_OK);
  rw_result* result = nullptr;
  CHECK(rw_engine_evaluate(engine, batch, nullptr, &result, message.out()) == RW_ERR_BAD_VALUE);  // k has no default
  CHECK(result == nullptr);
  REQUIRE(rw_engine_evaluate(engine, batch, params, &result, message.out()) == RW_OK);
  rw_result* first = result;
  REQUIRE(rw_engine_evaluate(engine, batch, params, &result, message.out()) == RW_OK);  // into the same result
  CHECK(result == first);
  CHECK(rw_result_rejected_count(result) == 1);
  char* reason = rw_result_reject_reason(result, 0);
  REQUIRE(reason);
  CHECK(std::string(reason).find("p.rules:5") != std::string::npos);
  rw_string_free(reason);
  CHECK(rw_result_reject_reason(result, 1) == nullptr);
  CHECK(rw_result_int64(result, "q", message.out())[1] == 100);
  rw_result_free(result);
  rw_batch_free(batch);
  rw_params_free(params);
  rw_engine_free(engine);
  rw_rules_free(rules);
}
