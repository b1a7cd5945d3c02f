// The states behind the public classes of include/regelwerk/regelwerk.hpp, shared by the files of api/.
// Each holds the internal objects a public object stands for, and the Rules it needs alive.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "regelwerk/regelwerk.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk::api {

struct Rules::State {
  std::unique_ptr<regelwerk::RuleSet> rule_set;
  std::vector<Field> inputs, outputs, params;
  const ir::Program& program() const { return rule_set->program(); }
};

struct Params::State {
  std::shared_ptr<const Rules> rules;
  std::vector<std::pair<std::string, std::string>> given;  // as `--param name=value`, one per name
};

struct Batch::State {
  std::shared_ptr<const Rules> rules;
  size_t rows = 0;
  std::vector<ColumnView> views;  // per input, in ir::Program::inputs order
  std::vector<bool> handed_over;
  std::deque<std::vector<StrRef>> string_refs;  // setStrings: refs into the caller's bytes
  std::deque<std::vector<std::string>> cells;   // setText: the copied cells strings point into
  std::deque<std::vector<int64_t>> words;       // setText: parsed values
  std::deque<std::vector<uint8_t>> bytes;       // parsed bools, validity made here
};

struct Result::State {
  std::shared_ptr<const Rules> rules;  // describes rejects and names outputs after the engine is gone
  size_t rows = 0;
  size_t capacity = 0;          // rows the columns have room for: a later evaluate() into this Result reuses them
  std::vector<Column> columns;  // per output, in ir::Program::outputs order
  std::vector<RowError> errors;
  size_t rejected = 0;
  std::deque<std::string> strings;  // string outputs, copied out of the engine's per-thread arena
};

}  // namespace regelwerk::api

// The library's helpers live outside regelwerk::api, which is what libregelwerk.so exports (regelwerk.map).
namespace regelwerk::api_detail {

using api::Error;
using api::ErrorCode;
using api::Field;

// The field (or -1) of that name in `fields`.
int findField(const std::vector<Field>& fields, const std::string& name);
// Sets *error, when there is one to set, and returns false.
bool fail(Error* error, ErrorCode code, std::string message);
// Whether `value` is a value of `type` in the physical form (an enum index within the members, a date
// within 0001-01-01 .. 9999-12-31, …); `why` says what is wrong, e.g. "enum index 3 is out of range
// (customer_type has 2 members: consumer, business)".
bool checkPhysical(const ir::Type& type, const std::string& name, int64_t value, std::string* why);
// Whether every int64 is a value of `type` (int, money, days, …), so that no value needs checkPhysical.
bool anyValueFits(const ir::Type& type);

}  // namespace regelwerk::api_detail
