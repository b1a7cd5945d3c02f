// Result: the output columns of one evaluation, owned, read by output name.
#include "api/api_state.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/exec/row_error.hpp"

namespace regelwerk::api {

using namespace api_detail;

namespace {

const std::vector<Field> kNoFields;

// The output column of that name, if its type is held as bools (want_bool) or int64 values.
const Column* findColumn(const Result::State& state, const std::string& name, bool want_bool, Error* error) {
  if (!state.rules) return fail(error, ErrorCode::UnknownName, "this Result holds no evaluation yet"), nullptr;
  int index = findField(state.rules->outputs(), name);
  if (index < 0) return fail(error, ErrorCode::UnknownName, "no output `" + name + "` in " + state.rules->name()), nullptr;
  const Field& field = state.rules->outputs()[static_cast<size_t>(index)];
  const Column& column = state.columns[static_cast<size_t>(index)];
  bool is_bool = column.kind() == ir::Kind::Bool;
  if (column.kind() == ir::Kind::Str || is_bool != want_bool) {
    const char* right = is_bool ? "bools()" : column.kind() == ir::Kind::Str ? "text()" : "int64()";
    return fail(error, ErrorCode::WrongType, "output " + name + " is " + field.type_name + ": read it with " + right), nullptr;
  }
  if (error) *error = Error{};
  return &column;
}

}  // namespace

Result::Result() : state_(std::make_unique<State>()) {}
Result::~Result() = default;
// A moved-from Result is empty, not broken: it answers like a new one.
Result::Result(Result&& other) noexcept : state_(std::make_unique<State>()) { std::swap(state_, other.state_); }
Result& Result::operator=(Result&& other) noexcept {
  std::swap(state_, other.state_);
  return *this;
}

size_t Result::rows() const { return state_->rows; }
size_t Result::rejectedCount() const { return state_->rejected; }
bool Result::rejected(size_t row) const { return row < state_->rows && state_->errors[row].code != 0; }

std::string Result::rejectReason(size_t row) const {
  if (!rejected(row)) return "";
  return describeRowError(state_->rules->state().program(), state_->errors[row]);
}

const std::vector<Field>& Result::outputs() const { return state_->rules ? state_->rules->outputs() : kNoFields; }

const int64_t* Result::int64(const std::string& name, Error* error) const {
  const Column* column = findColumn(*state_, name, false, error);
  return column ? column->i64() : nullptr;
}

const uint8_t* Result::bools(const std::string& name, Error* error) const {
  const Column* column = findColumn(*state_, name, true, error);
  return column ? column->boolean() : nullptr;
}

const uint8_t* Result::valid(const std::string& name) const {
  int index = state_->rules ? findField(state_->rules->outputs(), name) : -1;
  return index < 0 ? nullptr : state_->columns[static_cast<size_t>(index)].valid();
}

std::string Result::text(const std::string& name, size_t row) const {
  int index = state_->rules ? findField(state_->rules->outputs(), name) : -1;
  if (index < 0 || row >= state_->rows || rejected(row)) return "";
  const ir::Output& output = state_->rules->state().program().outputs[static_cast<size_t>(index)];
  const Column& column = state_->columns[static_cast<size_t>(index)];
  if (column.valid() && !column.valid()[row]) return "";
  CellValue value;
  if (column.kind() == ir::Kind::Str) value.str = std::string_view(column.str()[row].data, column.str()[row].size);
  else if (column.kind() == ir::Kind::Bool) value.i64 = column.boolean()[row];
  else value.i64 = column.i64()[row];
  std::string cell;
  CellFormatter(output.type, output.format).append(value, &cell);
  return cell;
}

}  // namespace regelwerk::api
