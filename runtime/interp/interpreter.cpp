// The interpreter's row driver: lets, decisions by hit policy, lazy output defaults, output columns.
#include "interpreter.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

#include "frame.hpp"

namespace regelwerk {
namespace {

using interp::Frame;
using interp::Value;
using ir::ErrorCode;

constexpr int32_t kUnassigned = -1;

// Scratch space of one evaluate() call, sized once per batch and reset per row (no allocation per row).
struct RowState {
  Frame frame;
  std::vector<Value> lets;
  std::vector<Value> outputs;
  std::vector<int32_t> assigned_by;  // rule index (within its block) that assigned the output, or -1
  std::vector<Value> locals;
  RowTrace* trace = nullptr;  // traceRow only: where the rules' outcomes go
  size_t block = 0;           // the decision block being evaluated, for the trace
};

// Records a rule's outcome when the row is traced (never in evaluate()).
void note(RowState& state, size_t rule, RuleOutcome outcome, int32_t overridden_by = -1) {
  if (state.trace) state.trace->decisions[state.block][rule] = RuleTrace{outcome, overridden_by};
}

class Interpreter final : public Evaluator {
 public:
  explicit Interpreter(const ir::Program& program) : program_(program) {
    for (const ir::Table& table : program.tables) {
      std::vector<RwStr>& keys = str_keys_.emplace_back();
      for (const std::string& key : table.str_keys) keys.push_back(RwStr{key.data(), static_cast<int64_t>(key.size())});
    }
  }

  void evaluate(const ColumnView* inputs, const ParamSlot* params, ColumnView* outputs, RowError* errors,
                int64_t rows) const override;
  void prepare(RowState& state, const ColumnView* inputs, const ParamSlot* params) const;
  bool evaluateRow(RowState& state) const;

 private:
  bool evaluateLets(RowState& state) const;
  bool decide(const ir::Decision& decision, RowState& state) const;
  bool decideFirst(const ir::Decision& decision, RowState& state) const;
  bool decideUnique(const ir::Decision& decision, RowState& state) const;
  bool decideExceptions(const ir::Decision& decision, RowState& state) const;
  bool applies(const ir::Rule& rule, Frame& frame, bool& result) const;
  bool assign(const ir::Rule& rule, int32_t rule_index, RowState& state) const;
  bool assignOnce(const ir::Decision& decision, int32_t rule_index, RowState& state) const;
  bool evaluateDefaults(RowState& state) const;
  void writeOutputs(const RowState& state, ColumnView* outputs) const;

  const ir::Program& program_;
  std::vector<std::vector<RwStr>> str_keys_;  // per table, for rw_table_find_str
  mutable StringArenas strings_;              // concatenations, per calling thread
};

void Interpreter::evaluate(const ColumnView* inputs, const ParamSlot* params, ColumnView* outputs,
                           RowError* errors, int64_t rows) const {
  RowState state;
  prepare(state, inputs, params);
  for (int64_t row = 0; row < rows; ++row) {
    state.frame.row = row;
    state.frame.error = RowError{0, 0, -1, -1};
    if (evaluateRow(state)) writeOutputs(state, outputs);
    errors[row] = state.frame.error;
  }
}

void Interpreter::prepare(RowState& state, const ColumnView* inputs, const ParamSlot* params) const {
  state.frame.inputs = inputs;
  state.frame.params = params;
  state.frame.program = &program_;
  state.frame.str_keys = &str_keys_;
  state.frame.strings = &strings_.resetForThisThread();
  state.lets.resize(program_.lets.size());
  state.outputs.resize(program_.outputs.size());
  state.assigned_by.resize(program_.outputs.size());
  state.locals.resize(program_.local_count);
  state.frame.lets = state.lets.data();
  state.frame.locals = state.locals.data();
}

// The three steps of ir.hpp in order; the first error stops the row (it is already in frame.error).
bool Interpreter::evaluateRow(RowState& state) const {
  std::fill(state.assigned_by.begin(), state.assigned_by.end(), kUnassigned);
  if (!evaluateLets(state)) return false;
  for (size_t block = 0; block < program_.decisions.size(); ++block) {
    state.block = block;
    if (!decide(program_.decisions[block], state)) return false;
  }
  return evaluateDefaults(state);
}

// Lets are eager: `let ratio = round(a / b, 2)` rejects a row with b == 0 even if no rule reads ratio.
bool Interpreter::evaluateLets(RowState& state) const {
  for (size_t slot = 0; slot < program_.lets.size(); ++slot) {
    if (!interp::evalExpr(*program_.lets[slot].value, state.frame, state.lets[slot])) return false;
  }
  return true;
}

bool Interpreter::decide(const ir::Decision& decision, RowState& state) const {
  switch (decision.policy) {
    case ir::HitPolicy::First: return decideFirst(decision, state);
    case ir::HitPolicy::Unique: return decideUnique(decision, state);
    case ir::HitPolicy::Exceptions: return decideExceptions(decision, state);
  }
  assert(false && "unknown hit policy");
  return false;
}

// A rule without a condition always applies.
bool Interpreter::applies(const ir::Rule& rule, Frame& frame, bool& result) const {
  if (!rule.condition) {
    result = true;
    return true;
  }
  Value value;
  if (!interp::evalExpr(*rule.condition, frame, value)) return false;
  result = value.i64 != 0;
  return true;
}

// Evaluates the rule's assignments in order into the output scratch slots.
bool Interpreter::assign(const ir::Rule& rule, int32_t rule_index, RowState& state) const {
  for (const ir::Assignment& assignment : rule.assignments) {
    if (!interp::evalExpr(*assignment.value, state.frame, state.outputs[assignment.output])) return false;
    state.assigned_by[assignment.output] = rule_index;
  }
  return true;
}

bool Interpreter::decideFirst(const ir::Decision& decision, RowState& state) const {
  for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
    bool hit = false;
    if (!applies(decision.rules[rule], state.frame, hit)) return false;
    note(state, rule, hit ? RuleOutcome::Won : RuleOutcome::DidNotApply);
    if (hit) return assign(decision.rules[rule], static_cast<int32_t>(rule), state);
  }
  return true;
}

// All conditions first, then the single winner's assignments: with rules a, b, c where only a
// applies, c's condition is still evaluated (and may fail) before a's assignments run.
bool Interpreter::decideUnique(const ir::Decision& decision, RowState& state) const {
  int32_t winner = -1;
  for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
    bool hit = false;
    if (!applies(decision.rules[rule], state.frame, hit)) return false;
    note(state, rule, hit ? RuleOutcome::Applied : RuleOutcome::DidNotApply);
    if (!hit) continue;
    if (winner >= 0) {
      return interp::fail(state.frame, ErrorCode::UniqueConflict, decision.site, winner, static_cast<int32_t>(rule));
    }
    winner = static_cast<int32_t>(rule);
  }
  if (winner < 0) return true;
  note(state, static_cast<size_t>(winner), RuleOutcome::Won);
  return assign(decision.rules[static_cast<size_t>(winner)], winner, state);
}

// Assigns a winner's outputs; an output an earlier winner of this block already gave a different
// value is a conflict. Example: r1 sets fee = 5, r2 sets fee = 5 -> fine; r2 sets fee = 7 -> conflict(r1, r2).
bool Interpreter::assignOnce(const ir::Decision& decision, int32_t rule_index, RowState& state) const {
  const ir::Rule& rule = decision.rules[static_cast<size_t>(rule_index)];
  for (const ir::Assignment& assignment : rule.assignments) {
    Value value;
    if (!interp::evalExpr(*assignment.value, state.frame, value)) return false;
    int32_t earlier = state.assigned_by[assignment.output];
    ir::Kind kind = ir::physicalKind(program_.outputs[assignment.output].type);
    if (earlier != kUnassigned && !interp::sameValue(kind, state.outputs[assignment.output], value)) {
      return interp::fail(state.frame, ErrorCode::ExceptionsConflict, decision.site, earlier, rule_index);
    }
    state.outputs[assignment.output] = value;
    if (earlier == kUnassigned) state.assigned_by[assignment.output] = rule_index;
  }
  return true;
}

// Default logic: a rule wins iff it applies and none of the rules overriding it (defeated_by is
// already transitive) applies. With r3 overrides r2 overrides r1 and only r1, r3 applying, r3 wins.
bool Interpreter::decideExceptions(const ir::Decision& decision, RowState& state) const {
  assert(decision.rules.size() <= ir::kMaxRulesPerExceptionsBlock && "verify() bounds exceptions blocks");
  uint64_t applicable = 0;
  for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
    bool hit = false;
    if (!applies(decision.rules[rule], state.frame, hit)) return false;
    note(state, rule, hit ? RuleOutcome::Applied : RuleOutcome::DidNotApply);
    if (hit) applicable |= uint64_t{1} << rule;
  }
  for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
    uint64_t defeaters = decision.rules[rule].defeated_by & applicable;
    bool wins = (applicable >> rule & 1) != 0 && defeaters == 0;
    if ((applicable >> rule & 1) != 0) {
      note(state, rule, wins ? RuleOutcome::Won : RuleOutcome::Overridden,
           wins ? -1 : static_cast<int32_t>(__builtin_ctzll(defeaters)));
    }
    if (wins && !assignOnce(decision, static_cast<int32_t>(rule), state)) return false;
  }
  return true;
}

// Defaults are lazy: `output fee: money = base * 1000` cannot overflow a row where a rule sets fee.
bool Interpreter::evaluateDefaults(RowState& state) const {
  for (size_t output = 0; output < program_.outputs.size(); ++output) {
    if (state.assigned_by[output] != kUnassigned) continue;
    if (!interp::evalExpr(*program_.outputs[output].default_value, state.frame, state.outputs[output])) return false;
  }
  return true;
}

// A missing value is written as zero / the empty string with validity 0, so the bytes are deterministic.
void Interpreter::writeOutputs(const RowState& state, ColumnView* outputs) const {
  int64_t row = state.frame.row;
  for (size_t output = 0; output < program_.outputs.size(); ++output) {
    const Value& value = state.outputs[output];
    ColumnView& column = outputs[output];
    if (column.valid) column.valid[row] = value.valid ? 1 : 0;
    switch (ir::physicalKind(program_.outputs[output].type)) {
      case ir::Kind::Bool: static_cast<uint8_t*>(column.values)[row] = value.valid && value.i64 != 0; break;
      case ir::Kind::I64: static_cast<int64_t*>(column.values)[row] = value.valid ? value.i64 : 0; break;
      case ir::Kind::Str:
        static_cast<StrRef*>(column.values)[row] = value.valid ? value.str : StrRef{nullptr, 0};
        break;
    }
  }
}

}  // namespace

std::unique_ptr<Evaluator> makeInterpreter(const ir::Program& program) {
  return std::make_unique<Interpreter>(program);
}

RowTrace traceRow(const ir::Program& program, const ColumnView* inputs, const ParamSlot* params, int64_t row) {
  RowTrace trace;
  for (const ir::Decision& decision : program.decisions) trace.decisions.emplace_back(decision.rules.size());
  Interpreter interpreter(program);
  RowState state;
  interpreter.prepare(state, inputs, params);
  state.trace = &trace;
  state.frame.row = row;
  interpreter.evaluateRow(state);
  trace.error = state.frame.error;
  if (trace.error.code != 0) return trace;
  for (const Value& let : state.lets) {
    const std::string text = let.str.data ? std::string(let.str.data, static_cast<size_t>(let.str.size)) : "";
    trace.lets.push_back(TracedValue{let.i64, text, let.valid});
  }
  return trace;
}

}  // namespace regelwerk
