// Batch: input columns handed over by name, checked on entry so that the engines, which trust their
// columns, only ever see complete, typed, in-range data.
#include "api/api_state.hpp"
#include "runtime/columnar/cell_parser.hpp"

namespace regelwerk::api {

using namespace api_detail;

namespace {

// The input of that name, its index set in *index; null with `error` set otherwise.
const ir::InputColumn* findInput(const Batch::State& state, const std::string& name, size_t length, int* index,
                                 Error* error) {
  const ir::Program& program = state.rules->state().program();
  *index = findField(state.rules->inputs(), name);
  if (*index < 0) {
    std::string names;
    for (const Field& field : state.rules->inputs()) names += (names.empty() ? "" : ", ") + field.name;
    fail(error, ErrorCode::UnknownName, "no input field `" + name + "` in " + program.name + " (its fields: " + names + ")");
    return nullptr;
  }
  if (length != state.rows) {
    fail(error, ErrorCode::WrongLength, "column " + name + " has " + std::to_string(length) + " rows; the batch has " +
                                            std::to_string(state.rows));
    return nullptr;
  }
  return &program.inputs[static_cast<size_t>(*index)];
}

bool wrongType(const ir::InputColumn& input, const char* setter, Error* error) {
  const char* right = input.type.isBool() ? "setBool" : input.type.isString() ? "setStrings" : "setInt64";
  return fail(error, ErrorCode::WrongType, std::string(setter) + "(\"" + input.name + "\"): the field is " +
                                               ir::typeName(input.type) + "; use " + right + " or setText");
}

// The validity the engine reads: none for a required field (whose rows must all be present), all
// present when an optional field's caller passes none.
bool checkValidity(Batch::State& state, const ir::InputColumn& input, const uint8_t* valid, const uint8_t** out,
                   Error* error) {
  *out = nullptr;
  if (!input.type.optional) {
    for (size_t row = 0; valid && row < state.rows; ++row) {
      if (valid[row] == 0) {
        return fail(error, ErrorCode::MissingValue, "column " + input.name + ", row " + std::to_string(row) +
                                                        ": the value is missing, but the field is " +
                                                        ir::typeName(input.type) + " (declare it `" +
                                                        ir::typeName(input.type) + "?` to allow missing values)");
      }
    }
    return true;
  }
  if (valid) return *out = valid, true;
  *out = state.bytes.emplace_back(state.rows + 1, 1).data();
  return true;
}

void handOver(Batch::State& state, int index, const void* values, const uint8_t* valid) {
  // The engines read inputs only; ColumnView is not const because outputs use it too.
  state.views[static_cast<size_t>(index)] = ColumnView{const_cast<void*>(values), const_cast<uint8_t*>(valid)};
  state.handed_over[static_cast<size_t>(index)] = true;
}

}  // namespace

Batch::Batch(std::shared_ptr<const Rules> rules, size_t rows) : state_(std::make_unique<State>()) {
  state_->rules = std::move(rules);
  state_->rows = rows;
  size_t inputs = state_->rules ? state_->rules->inputs().size() : 0;
  state_->views.assign(inputs, ColumnView{nullptr, nullptr});
  state_->handed_over.assign(inputs, false);
}

Batch::~Batch() = default;

size_t Batch::rows() const { return state_->rows; }

bool Batch::setBool(const std::string& name, const uint8_t* values, size_t length, const uint8_t* valid,
                    Error* error) {
  int index = 0;
  const ir::InputColumn* input = state_->rules ? findInput(*state_, name, length, &index, error) : nullptr;
  if (!input) return state_->rules ? false : fail(error, ErrorCode::UnknownName, "this Batch was made without Rules");
  if (!input->type.isBool()) return wrongType(*input, "setBool", error);
  if (!values && length > 0) return fail(error, ErrorCode::WrongLength, "setBool(\"" + name + "\"): values is null");
  const uint8_t* engine_valid = nullptr;
  if (!checkValidity(*state_, *input, valid, &engine_valid, error)) return false;
  for (size_t row = 0; row < length; ++row) {
    if (values[row] > 1 && (!engine_valid || engine_valid[row])) {
      return fail(error, ErrorCode::OutOfRange, "column " + name + ", row " + std::to_string(row) +
                                                    ": a bool is 0 or 1, not " + std::to_string(values[row]));
    }
  }
  handOver(*state_, index, values, engine_valid);
  return true;
}

bool Batch::setInt64(const std::string& name, const int64_t* values, size_t length, const uint8_t* valid,
                     Error* error) {
  int index = 0;
  const ir::InputColumn* input = state_->rules ? findInput(*state_, name, length, &index, error) : nullptr;
  if (!input) return state_->rules ? false : fail(error, ErrorCode::UnknownName, "this Batch was made without Rules");
  if (ir::physicalKind(input->type) != ir::Kind::I64) return wrongType(*input, "setInt64", error);
  if (!values && length > 0) return fail(error, ErrorCode::WrongLength, "setInt64(\"" + name + "\"): values is null");
  const uint8_t* engine_valid = nullptr;
  if (!checkValidity(*state_, *input, valid, &engine_valid, error)) return false;
  std::string why;
  for (size_t row = 0; row < length && !anyValueFits(input->type); ++row) {
    if ((engine_valid && !engine_valid[row]) || checkPhysical(input->type, name, values[row], &why)) continue;
    return fail(error, ErrorCode::OutOfRange, "column " + name + ", row " + std::to_string(row) + ": " + why);
  }
  handOver(*state_, index, values, engine_valid);
  return true;
}

bool Batch::setStrings(const std::string& name, const char* data, const int32_t* offsets, size_t length,
                       const uint8_t* valid, Error* error) {
  int index = 0;
  const ir::InputColumn* input = state_->rules ? findInput(*state_, name, length, &index, error) : nullptr;
  if (!input) return state_->rules ? false : fail(error, ErrorCode::UnknownName, "this Batch was made without Rules");
  if (!input->type.isString()) return wrongType(*input, "setStrings", error);
  if (!offsets) return fail(error, ErrorCode::WrongLength, "setStrings(\"" + name + "\"): offsets is null (length + 1 are needed)");
  const uint8_t* engine_valid = nullptr;
  if (!checkValidity(*state_, *input, valid, &engine_valid, error)) return false;
  std::vector<StrRef>& refs = state_->string_refs.emplace_back(length + 1, StrRef{nullptr, 0});
  for (size_t row = 0; row < length; ++row) {
    if (offsets[row] < 0 || offsets[row + 1] < offsets[row] || (!data && offsets[row + 1] > offsets[row])) {
      state_->string_refs.pop_back();
      return fail(error, ErrorCode::OutOfRange, "column " + name + ", row " + std::to_string(row) + ": offsets " +
                                                    std::to_string(offsets[row]) + " .. " + std::to_string(offsets[row + 1]) +
                                                    " do not delimit a string (offsets must not decrease)");
    }
    refs[row] = StrRef{data ? data + offsets[row] : "", offsets[row + 1] - offsets[row]};
  }
  handOver(*state_, index, refs.data(), engine_valid);
  return true;
}

// An integer cell's value scales linearly with the integer: the physical value of `1` is the factor
// (1 for int and for money with format "cents" at scale 2; 100 for money at scale 2 without a format).
// Types whose integers are no numbers (dates, enums, bools, strings) or whose `1` does not parse have none.
static bool integerFactor(const ir::InputColumn& input, int64_t* factor) {
  switch (input.type.kind) {
    case ir::TypeKind::Int: case ir::TypeKind::Days: case ir::TypeKind::Duration:
    case ir::TypeKind::Decimal: case ir::TypeKind::Money: case ir::TypeKind::Percent: break;
    default: return false;
  }
  CellValue one;
  CellParser parser(input.type.required(), input.format);
  if (!parser.parse("1", &one)) return false;
  *factor = one.i64;
  return *factor > 0;
}

bool Batch::setIntegers(const std::string& name, const int64_t* values, size_t length, const uint8_t* valid,
                        Error* error) {
  int index = 0;
  const ir::InputColumn* input = state_->rules ? findInput(*state_, name, length, &index, error) : nullptr;
  if (!input) return state_->rules ? false : fail(error, ErrorCode::UnknownName, "this Batch was made without Rules");
  int64_t factor = 0;
  if (!integerFactor(*input, &factor)) {
    return fail(error, ErrorCode::WrongType, "setIntegers(\"" + name + "\"): the field is " + ir::typeName(input->type) +
                                                 (input->format.empty() ? "" : " with format \"" + input->format + "\"") +
                                                 ", whose cells are no plain integers; use setInt64 or setText");
  }
  if (!values && length > 0) return fail(error, ErrorCode::WrongLength, "setIntegers(\"" + name + "\"): values is null");
  if (factor == 1) return setInt64(name, values, length, valid, error);
  std::vector<int64_t>& words = state_->words.emplace_back(length + 1, 0);
  for (size_t row = 0; row < length; ++row) {
    if (valid && !valid[row]) continue;
    if (__builtin_mul_overflow(values[row], factor, &words[row])) {
      return fail(error, ErrorCode::OutOfRange, "column " + name + ", row " + std::to_string(row) + ": " +
                                                    std::to_string(values[row]) + " does not fit " + ir::typeName(input->type) +
                                                    " (overflow)");
    }
  }
  return setInt64(name, words.data(), length, valid, error);
}

bool Batch::setText(const std::string& name, const std::vector<std::string>& cells, Error* error) {
  int index = 0;
  const ir::InputColumn* input = state_->rules ? findInput(*state_, name, cells.size(), &index, error) : nullptr;
  if (!input) return state_->rules ? false : fail(error, ErrorCode::UnknownName, "this Batch was made without Rules");
  std::vector<std::string>& copy = state_->cells.emplace_back(cells);
  std::vector<int64_t>& words = state_->words.emplace_back(2 * copy.size() + 1, 0);  // room for StrRefs too
  std::vector<uint8_t>& valid = state_->bytes.emplace_back(copy.size() + 1, 1);
  CellParser parser(input->type, input->format);
  auto* refs = reinterpret_cast<StrRef*>(words.data());
  auto* bools = reinterpret_cast<uint8_t*>(words.data());
  for (size_t row = 0; row < copy.size(); ++row) {
    CellValue value;
    if (!parser.parse(copy[row], &value)) {
      return fail(error, ErrorCode::BadValue, "column " + name + ", row " + std::to_string(row) + ": " +
                                                  parser.explain(copy[row], name));
    }
    valid[row] = value.missing ? 0 : 1;
    if (input->type.isString()) refs[row] = StrRef{value.str.data(), static_cast<int64_t>(value.str.size())};
    else if (input->type.isBool()) bools[row] = static_cast<uint8_t>(value.i64);
    else words[row] = value.i64;
  }
  handOver(*state_, index, words.data(), input->type.optional ? valid.data() : nullptr);
  return true;
}

}  // namespace regelwerk::api
