// Engine: a rule set prepared for the JIT or the interpreter, evaluating checked batches into owned results.
#include <cstring>

#include "api/api_state.hpp"

namespace regelwerk::api {

using namespace api_detail;

struct Engine::State {
  std::shared_ptr<const Rules> rules;
  std::unique_ptr<regelwerk::Engine> engine;
  EngineKind kind = EngineKind::Jit;
};

namespace {

bool checkBatch(const Rules& rules, const Batch::State& batch, Error* error) {
  if (batch.rules.get() != &rules) {
    return fail(error, ErrorCode::WrongType, "the batch was made for another rule set than this engine's (" + rules.name() + ")");
  }
  if (rules.grouped()) {
    return fail(error, ErrorCode::Unsupported, rules.name() + " is a grouped rule set (several keyed inputs): run it over "
                                               "files with `regelwerk run`; evaluate() takes one-input rule sets");
  }
  std::string missing;
  for (size_t index = 0; index < batch.handed_over.size(); ++index) {
    if (!batch.handed_over[index]) missing += (missing.empty() ? "" : ", ") + rules.inputs()[index].name;
  }
  if (missing.empty()) return true;
  return fail(error, ErrorCode::MissingColumn, "no column was handed over for " + missing + " (every input field needs one)");
}

// String outputs point into the calling thread's arena of the evaluator (or into the inputs), which the
// next evaluate() on this thread reuses: the result gets its own copies.
void ownStrings(Result::State& result) {
  for (Column& column : result.columns) {
    if (column.kind() != ir::Kind::Str) continue;
    for (size_t row = 0; row < result.rows; ++row) {
      StrRef& ref = column.str()[row];
      if (result.errors[row].code != 0 || ref.size == 0) continue;
      const std::string& copy = result.strings.emplace_back(ref.data, static_cast<size_t>(ref.size));
      ref.data = copy.data();
    }
  }
}

// Inputs handed over may point into the result's own columns: a chain that feeds one evaluate()'s
// outputs to the next (Result::int64 -> Batch::setInt64) into the same Result. The generated code
// assumes its input and output columns never overlap (docs/architecture.md, "The speculative pass"),
// so such an input is read from a copy made for the call, while the result's columns stay where they
// are: pointers into them stay valid, as the headers promise, and a batch bound to them reads the
// latest values at every call.
struct InputCopies {
  std::vector<ColumnView> views;
  std::deque<std::vector<uint8_t>> bytes;
};

bool pointsIntoResult(const Result::State& state, const void* data, size_t bytes) {
  if (data == nullptr || bytes == 0) return false;
  const auto begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t end = begin + bytes;
  auto overlaps = [&](const void* owned, size_t size) {
    const auto at = reinterpret_cast<uintptr_t>(owned);
    return owned != nullptr && begin < at + size && at < end;
  };
  for (const Column& column : state.columns) {
    if (overlaps(column.i64(), state.capacity * valueBytes(column.kind())) || overlaps(column.valid(), state.capacity)) {
      return true;
    }
  }
  return false;
}

// The input views of the call: the batch's own, or (only when one points into the result) copies.
const ColumnView* inputViews(const Batch::State& batch, const ir::Program& program, const Result::State& state,
                             InputCopies* copies) {
  auto copy = [&](const void* data, size_t bytes) {
    std::vector<uint8_t>& owned = copies->bytes.emplace_back(bytes);
    std::memcpy(owned.data(), data, bytes);
    return owned.data();
  };
  for (size_t input = 0; input < batch.views.size(); ++input) {
    const ColumnView& view = batch.views[input];
    const size_t bytes = batch.rows * valueBytes(ir::physicalKind(program.inputs[input].type));
    const bool values = pointsIntoResult(state, view.values, bytes);
    const bool valid = pointsIntoResult(state, view.valid, batch.rows);
    if (!values && !valid) continue;
    if (copies->views.empty()) copies->views = batch.views;
    if (values) copies->views[input].values = copy(view.values, bytes);
    if (valid) copies->views[input].valid = copy(view.valid, batch.rows);
  }
  return copies->views.empty() ? batch.views.data() : copies->views.data();
}

// The result's columns for `rows` rows: those of its last evaluation when they are for the same rules and
// have room (no allocation, no zeroing, no page faults: a pipeline evaluating batch after batch into one
// Result pays for its memory once), else new ones. Both engines write every row's error record.
Result::State& prepareResult(Result::State& state, const std::shared_ptr<const Rules>& rules, size_t rows) {
  const bool reuse = state.rules == rules && state.capacity >= rows;
  if (!reuse) {
    state.columns.clear();
    state.columns.reserve(rules->outputs().size());
    for (const ir::Output& output : rules->state().program().outputs) {
      state.columns.emplace_back(ir::physicalKind(output.type), output.type.optional, rows);
    }
    state.errors.assign(rows + 1, RowError{0, 0, -1, -1});
    state.capacity = rows;
    state.rules = rules;
  }
  state.rows = rows;
  state.rejected = 0;
  state.strings.clear();
  return state;
}

}  // namespace

Engine::Engine(std::unique_ptr<State> state) : state_(std::move(state)) {}
Engine::~Engine() = default;

std::shared_ptr<const Engine> Engine::create(std::shared_ptr<const Rules> rules, EngineKind kind, Error* error) {
  if (!rules) return fail(error, ErrorCode::UnknownName, "Engine::create needs Rules (got null)"), nullptr;
  std::string message;
  auto internal_kind = kind == EngineKind::Jit ? regelwerk::EngineKind::Jit : regelwerk::EngineKind::Interp;
  auto engine = regelwerk::Engine::create(*rules->state().rule_set, internal_kind, &message);
  if (!engine) return fail(error, ErrorCode::Internal, "the JIT could not compile " + rules->name() + ": " + message), nullptr;
  if (error) *error = Error{};
  auto state = std::make_unique<State>();
  state->rules = std::move(rules);
  state->engine = std::move(engine);
  state->kind = kind;
  return std::shared_ptr<const Engine>(new Engine(std::move(state)));
}

const std::shared_ptr<const Rules>& Engine::rules() const { return state_->rules; }
EngineKind Engine::kind() const { return state_->kind; }

bool Engine::evaluate(const Batch& batch, const Params& params, Result* result, Error* error) const {
  const Rules& rules = *state_->rules;
  if (!result) return fail(error, ErrorCode::WrongType, "evaluate() needs a Result to write into (got null)");
  if (!checkBatch(rules, *batch.state_, error)) return false;
  if (params.state_->rules.get() != &rules) {
    return fail(error, ErrorCode::WrongType, "the params were made for another rule set than this engine's (" + rules.name() + ")");
  }
  const ir::Program& program = rules.state().program();
  std::vector<ParamSlot> slots;
  std::vector<std::string> storage;
  std::string message;
  if (!bindParams(program, params.state_->given, &slots, &storage, &message)) return fail(error, ErrorCode::BadValue, message);

  if (!result->state_) result->state_ = std::make_unique<Result::State>();
  // Before prepareResult, which may replace the columns the inputs point into.
  InputCopies copies;
  const ColumnView* inputs = inputViews(*batch.state_, program, *result->state_, &copies);
  Result::State& state = prepareResult(*result->state_, state_->rules, batch.state_->rows);
  std::vector<ColumnView> outputs;
  for (Column& column : state.columns) outputs.push_back(column.view());
  state_->engine->evaluator().evaluate(inputs, slots.data(), outputs.data(), state.errors.data(),
                                       static_cast<int64_t>(state.rows));
  for (size_t row = 0; row < state.rows; ++row) state.rejected += state.errors[row].code != 0;
  ownStrings(state);
  if (error) *error = Error{};
  return true;
}

bool Engine::evaluateOne(const std::vector<std::pair<std::string, std::string>>& fields, const Params& params,
                         Result* result, Error* error) const {
  Batch batch(state_->rules, 1);
  for (size_t index = 0; index < fields.size(); ++index) {
    for (size_t earlier = 0; earlier < index; ++earlier) {
      if (fields[earlier].first == fields[index].first) {
        return fail(error, ErrorCode::WrongLength, "field " + fields[index].first + " is given twice: give each field once");
      }
    }
    if (!batch.setText(fields[index].first, {fields[index].second}, error)) return false;
  }
  return evaluate(batch, params, result, error);
}

}  // namespace regelwerk::api
