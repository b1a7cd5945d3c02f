// Grouped rule sets (docs/groups.md): keyed inputs joined by one key, the `per KEY ... end` block, and
// aggregates over the records of an input with many records per key. Names at group level are the
// `one` input's fields, params and group lets; inside an aggregate they are the aggregated input's
// fields and params.
#include <fmt/format.h>

#include <functional>

#include "checker.hpp"

namespace regelwerk::sema {

using ir::AggregateFn;
using ir::TypeKind;

namespace {

struct AggregateName {
  const char* name;
  AggregateFn fn;
};

constexpr AggregateName kAggregates[] = {
    {"sum", AggregateFn::Sum},     {"count", AggregateFn::Count}, {"min", AggregateFn::Min},
    {"max", AggregateFn::Max},     {"first", AggregateFn::First}, {"last", AggregateFn::Last},
    {"exists", AggregateFn::Exists}, {"all", AggregateFn::All},   {"any", AggregateFn::Any},
};

std::optional<AggregateFn> aggregateNamed(const std::string& name) {
  for (const AggregateName& entry : kAggregates) {
    if (name == entry.name) return entry.fn;
  }
  return std::nullopt;
}

const char* aggregateWord(AggregateFn fn) {
  for (const AggregateName& entry : kAggregates) {
    if (entry.fn == fn) return entry.name;
  }
  return "?";
}

const ast::Expr* argNamed(const ast::Expr& expr, const char* name) {
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    if (expr.arg_names[arg] == name) return expr.args[arg].get();
  }
  return nullptr;
}

bool isKeyType(const ir::Type& type) {
  return !type.optional && (type.kind == TypeKind::Int || type.kind == TypeKind::String);
}

}  // namespace

bool Checker::groupedInputs() const {
  for (const ast::InputDecl& input : ast_.inputs) {
    if (input.key) return true;
  }
  return false;
}

// Every input names the one key; at most one has a single record per key (its fields are the
// group's own); the others say `many`. Fields of a `many` input are visible only inside aggregates.
void Checker::checkGroupedInputs() {
  GroupInfo& group = out_.group;
  size_t inputs = ast_.inputs.size();
  group.grouped = true;
  group.fields.resize(inputs);
  group.order_by.resize(inputs);
  group.key_field.assign(inputs, 0);
  group.separators.assign(inputs, 0);
  item_values_.resize(inputs);
  for (const ast::InputDecl& input : ast_.inputs) {
    if (input.key && group.key.empty()) group.key = *input.key;
  }
  for (uint32_t index = 0; index < inputs; ++index) checkGroupedInput(index);
  if (group.one_input < 0) declareKeyWithoutOne();
}

void Checker::checkGroupedInput(uint32_t index) {
  const ast::InputDecl& input = ast_.inputs[index];
  GroupInfo& group = out_.group;
  if (input.keyless()) {
    group.key_field[index] = kNoKeyField;  // no key: every group reads all its records, or its own derived ones
  } else if (!input.key) {
    error("E0950", input.loc, fmt::format("input `{}` has no key, but other inputs are joined by `{}`", input.name, group.key),
          fmt::format("write `input {} key {}` (add `many` when it has several records per key), or `input {} shared` "
                      "when every group reads all its records", input.name, group.key, input.name));
  } else if (*input.key != group.key) {
    error("E0951", input.key_loc, fmt::format("inputs are joined by one key: `{}` here, `{}` before", *input.key, group.key),
          "use the same key field name in every input");
  }
  bool one = input.key && !input.many;
  if (one && group.one_input >= 0) {
    error("E0954", input.loc,
          fmt::format("only one input may have a single record per key; `{}` already has", ast_.inputs[group.one_input].name),
          fmt::format("write `input {} key {} many`", input.name, group.key));
    one = false;
  }
  if (one) group.one_input = static_cast<int>(index);
  if (!input.many && !input.order_by.empty()) {
    error("E0956", input.order_locs[0], fmt::format("`order by` orders the many records of a key; `{}` has one", input.name));
  }
  for (const ast::Field& field : input.fields) {
    group.fields[index].push_back(static_cast<uint32_t>(out_.fields.size()));
    declareGroupedField(input, index, field, one);
  }
  group.separators[index] = checkSeparator(input);
  checkKeyField(index);
  checkOrderBy(index);
}

void Checker::declareGroupedField(const ast::InputDecl& input, uint32_t index, const ast::Field& field, bool one) {
  FieldInfo info{field.name, field.loc, resolveType(field.type), field.column.value_or(field.name),
                 field.format.value_or(""), index};
  checkFormat(field.format, field.format_loc, info.type, "`" + field.name + "`");
  auto field_index = static_cast<uint32_t>(out_.fields.size());
  if (one) declareValue(field.name, SymbolKind::Field, field_index, field.loc);
  auto [found, inserted] = item_values_[index].emplace(field.name, Declared{SymbolKind::Field, field_index, field.loc});
  if (!inserted) {
    error("E0202", field.loc, fmt::format("`{}` is already declared as a field of `{}` at line {}", field.name, input.name,
                                          found->second.loc.line), "choose another name");
  }
  out_.fields.push_back(std::move(info));
}

// The key is a field of every input, of one type: int (compared as numbers) or string (as bytes).
void Checker::checkKeyField(uint32_t index) {
  const ast::InputDecl& input = ast_.inputs[index];
  GroupInfo& group = out_.group;
  if (!input.key || *input.key != group.key) return;
  auto found = item_values_[index].find(group.key);
  if (found == item_values_[index].end()) {
    error("E0952", input.key_loc, fmt::format("the key `{}` is not a field of `{}`", group.key, input.name),
          fmt::format("declare it: `{}: int` (or string)", group.key));
    return;
  }
  uint32_t field = found->second.index;
  const ir::Type& type = out_.fields[field].type;
  group.key_field[index] = static_cast<uint32_t>(field - group.fields[index].front());
  if (!isKeyType(type)) {
    error("E0953", out_.fields[field].loc,
          fmt::format("the key `{}` must be an int or a string (not missing), but here it is {}", group.key, kindWords(type)));
  } else if (!key_type_known_) {
    group.key_type = type;
    key_type_known_ = true;
  } else if (!(type == group.key_type)) {
    error("E0953", out_.fields[field].loc,
          fmt::format("the key `{}` is {} here but {} in an earlier input", group.key, kindWords(type), kindWords(group.key_type)),
          "give the key one type in every input");
  }
}

void Checker::checkOrderBy(uint32_t index) {
  const ast::InputDecl& input = ast_.inputs[index];
  for (size_t entry = 0; entry < input.order_by.size(); ++entry) {
    auto found = item_values_[index].find(input.order_by[entry]);
    if (found == item_values_[index].end()) {
      error("E0955", input.order_locs[entry], fmt::format("`{}` is not a field of `{}`", input.order_by[entry], input.name));
      continue;
    }
    const ir::Type& type = out_.fields[found->second.index].type;
    if (type.optional) {
      error("E0955", input.order_locs[entry], fmt::format("`{}` may be missing, so it cannot order `{}`", input.order_by[entry], input.name),
            "order by fields that are always present");
      continue;
    }
    out_.group.order_by[index].push_back(found->second.index - out_.group.fields[index].front());
  }
}

// Without an input of one record per key, the key itself is the group's only field.
void Checker::declareKeyWithoutOne() {
  const GroupInfo& group = out_.group;
  for (uint32_t index = 0; index < ast_.inputs.size(); ++index) {
    if (ast_.inputs[index].keyless()) continue;
    auto found = item_values_[index].find(group.key);
    if (found == item_values_[index].end()) continue;
    declareValue(group.key, SymbolKind::Field, found->second.index, found->second.loc);
    return;
  }
}

// `per KEY ... end` holds the group's declarations; it exists exactly when the inputs are keyed.
void Checker::checkGroupLayout() {
  if (!out_.group.grouped) {
    for (const ast::PerBlock& per : ast_.pers) {
      error("E0961", per.loc, "`per` evaluates the records of one key together, but no input declares a key",
            fmt::format("declare the inputs with a key: `input X key {}`", per.key));
    }
    return;
  }
  if (ast_.pers.size() > 1) {
    error("E0958", ast_.pers[1].loc, fmt::format("a rule set has one `per` block; the first is at line {}", ast_.pers[0].loc.line),
          "move these declarations into the first block");
  }
  if (!ast_.pers.empty() && ast_.pers[0].key != out_.group.key) {
    error("E0959", ast_.pers[0].key_loc,
          fmt::format("`per {}` does not match the key `{}` of the inputs", ast_.pers[0].key, out_.group.key));
  }
  out_.group.record = !ast_.pers.empty() && !ast_.pers[0].record.empty() ? ast_.pers[0].record : ast_.name;
  reportOutsidePer();
}

void Checker::reportOutsidePer() {
  std::string hint = fmt::format("move it into `per {} ... end`", out_.group.key);
  const char* message = "with keyed inputs, lets, outputs and decisions belong to the `per` block";
  for (const ast::LetDecl& let : ast_.lets) {
    if (!let.in_per) return error("E0960", let.loc, message, hint);
  }
  for (const ast::OutputDecl& output : ast_.outputs) {
    if (!output.in_per) return error("E0960", output.loc, message, hint);
  }
  for (const ast::DecideBlock& block : ast_.decisions) {
    if (!block.in_per) return error("E0960", block.loc, message, hint);
  }
}

std::optional<uint32_t> Checker::keyedInputNamed(const std::string& name) const {
  for (uint32_t index = 0; index < ast_.inputs.size(); ++index) {
    if (ast_.inputs[index].name == name && (ast_.inputs[index].key || ast_.inputs[index].keyless())) return index;
  }
  return std::nullopt;
}

// True (and reported) when `name`, unknown at group level, is a field of a `many` input.
bool Checker::reportItemField(const ast::Expr& expr) {
  if (fold_filter_ && out_.group.one_input >= 0 && item_values_[static_cast<size_t>(out_.group.one_input)].count(expr.text)) {
    error("E0979", expr.loc,
          fmt::format("a fold's `where` reads only the folded records' fields and the params, not `{}` of `{}`", expr.text,
                      ast_.inputs[static_cast<size_t>(out_.group.one_input)].name),
          "test it in the fold's rules instead (`rule r when ... and " + expr.text + " then ...`), where it is readable");
    return true;
  }
  if (!out_.group.grouped || item_scope_ >= 0) return false;
  for (uint32_t index = 0; index < ast_.inputs.size(); ++index) {
    const ast::InputDecl& input = ast_.inputs[index];
    if (!input.many || !item_values_[index].count(expr.text)) continue;
    const Declared& declared = item_values_[index].at(expr.text);
    if (declared.kind == SymbolKind::Ledger) {  // not readable here: checkLedgerRead says why, or this does
      if (checkLedgerRead(expr, declared)) {
        error("E0967", expr.loc, fmt::format("`{}` is a ledger's state, one value per record of `{}`", expr.text, input.name),
              fmt::format("read it in `each {}`, or aggregate it: sum({} over {}), count({} where ...)", input.name, expr.text, input.name,
                          input.name));
      }
      return true;
    }
    if (range_bound_) {
      error("E0980", expr.loc, fmt::format("`{}` is a field of `{}`, which has many records; a fold's range is computed once per group", expr.text, input.name),
            "compute the bounds from the params, the fields of the input with one record per key and earlier folds' states");
      return true;
    }
    std::string records = input.shared    ? "whose records every group reads"
                          : input.derived ? "whose records the group's folds write"
                                          : fmt::format("which has many records per `{}`", out_.group.key);
    error("E0967", expr.loc, fmt::format("`{}` is a field of `{}`, {}", expr.text, input.name, records),
          fmt::format("at group level, use an aggregate: sum({} over {}), count({} where ...), first({} over {})",
                      expr.text, input.name, input.name, expr.text, input.name));
    return true;
  }
  return false;
}

// `count(Claim)` and `exists(Claim)` are written like calls; they aggregate when Claim is a keyed input.
bool Checker::isRecordCount(const ast::Expr& expr) const {
  if (expr.text != "count" && expr.text != "exists") return false;
  if (expr.args.size() != 1 || expr.args[0]->kind != ast::ExprKind::Name || !expr.arg_names[0].empty()) return false;
  return out_.group.grouped && keyedInputNamed(expr.args[0]->text).has_value();
}

ExprInfo Checker::checkAggregate(const ast::Expr& expr) {
  bool call_form = expr.kind == ast::ExprKind::Call;
  const std::string& source = call_form ? expr.args[0]->text : expr.member;
  Location source_loc = call_form ? expr.args[0]->loc : expr.member_loc;
  if (!out_.group.grouped) {
    error("E0962", expr.loc, fmt::format("`{}(... over {})` reads the records of a keyed input, but no input declares a key",
                                         expr.text, source),
          "declare the inputs with a key: `input X key KEY many` (docs/groups.md)");
    return failedInfo();
  }
  if (range_bound_) {
    error("E0980", expr.loc, "a fold's range is computed before the group's aggregates",
          "compute the bounds from the params, the fields of the input with one record per key and earlier folds' states");
    return failedInfo();
  }
  if (in_ledger_ && item_program_) {
    error("E0982", expr.loc, "a ledger's state starts from the record's fields and the params, before the folds; an aggregate is not one of them",
          "start from a field and compute the aggregate in the ledger's lets and rules");
    return failedInfo();
  }
  if (in_fold_ && fold_filter_) {
    error("E0970", expr.loc, "a fold's `where` reads one record at a time; aggregate in the fold's lets or rules",
          "move the condition into the fold's rules");
    return failedInfo();
  }
  if (item_scope_ >= 0) {
    error("E0963", expr.loc, "aggregates do not nest: this one is inside another", "compute the inner value in a group let");
    return failedInfo();
  }
  auto input = keyedInputNamed(source);
  if (!input || !ast_.inputs[*input].many) {
    error("E0964", source_loc,
          input ? fmt::format("`{}` has one record per `{}`: read its fields directly", source, out_.group.key)
                : fmt::format("`{}` is not an input with many records per `{}`", source, out_.group.key));
    return failedInfo();
  }
  auto fn = aggregateNamed(expr.text);
  if (!fn) {
    error("E0965", expr.loc, fmt::format("unknown aggregate `{}`", expr.text),
          "the aggregates are sum, count, min, max, first, last, exists, all and any");
    return failedInfo();
  }
  const ast::Expr* value = call_form ? nullptr : argNamed(expr, "value");
  const ast::Expr* filter = call_form ? nullptr : argNamed(expr, "where");
  if (!checkAggregateShape(expr, *fn, value, source)) return failedInfo();
  if (in_ledger_) return checkLedgerAggregate(expr, *fn, *input, source_loc, value, filter);
  if (pool_distribution_ >= 0 && *input == out_.group.distributes[static_cast<size_t>(pool_distribution_)].input) {
    return checkPoolAggregate(expr, *fn, *input, value, filter);
  }
  if (in_fold_) return checkStepAggregate(expr, *fn, *input, value, filter);
  ExprInfo result = checkInItemScope(*input, [&] { return aggregateResult(*fn, value, filter); }, true);
  if (result.failed) return result;
  out_.group.aggregate_of[expr.id] = static_cast<uint32_t>(out_.group.aggregates.size());
  out_.group.aggregates.push_back(AggregateInfo{&expr, *fn, *input, value, filter, result.type});
  if (!checkLateAggregate(out_.group.aggregates.back())) return failedInfo();
  if (!checkAggregateShare(out_.group.aggregates.back())) return failedInfo();
  return result;
}

// The names of input `input`'s records that an aggregate inside a fold or a ledger reads: its fields and
// ledger states, not the shares of the group's distributions, which come after the folds.
std::map<std::string, Declared> Checker::fieldsDuringFolds(uint32_t input) const {
  std::map<std::string, Declared> names = item_values_[input];
  std::erase_if(names, [](const auto& entry) { return entry.second.kind == SymbolKind::Share; });
  return names;
}

// The value and filter of an aggregate over `input`'s records inside a fold or a ledger: the records'
// names win; of the names in scope, those `later` says are known only after the aggregate go to
// `withheld` (reported when read, resolve_names.cpp), shares never reach the scope.
ExprInfo Checker::checkOverRecords(uint32_t input, const std::function<bool(const Declared&)>& later, std::set<std::string>* withheld,
                                   AggregateFn fn, const ast::Expr* value, const ast::Expr* filter) {
  std::map<std::string, Declared> scope = fieldsDuringFolds(input);
  std::set<std::string> held;
  for (const auto& [name, declared] : values_) {
    if (later(declared)) {
      if (!scope.count(name)) held.insert(name);
    } else if (declared.kind != SymbolKind::Share) {
      scope.emplace(name, declared);
    }
  }
  std::swap(*withheld, held);
  std::swap(values_, scope);
  const int saved_scope = item_scope_;
  item_scope_ = static_cast<int>(input);
  ExprInfo result = aggregateResult(fn, value, filter);
  item_scope_ = saved_scope;
  std::swap(values_, scope);
  std::swap(*withheld, held);
  return result;
}

// An aggregate inside a fold is a step aggregate: at every step, over the group's records of `input`,
// its value and filter read the records' fields (which win over other names) and what the step knows
// without its aggregates: the step's fields or value, the states before it, the one-record input's
// fields, the final states of earlier folds, the params, and the fold's lets that read no aggregate of
// the step (`let cid = campaign_id` names the step's field where the record's has the same name).
// Example in `fold year in first..last`: `sum(units over Year where year == y)`.
ExprInfo Checker::checkStepAggregate(const ast::Expr& expr, AggregateFn fn, uint32_t input, const ast::Expr* value,
                                     const ast::Expr* filter) {
  const std::vector<bool>& reads = out_.group.let_reads_step_aggregate;  // the lets checked so far
  // A fold let that reads an aggregate of the step is computed after them (E0981 if read here).
  auto later = [&](const Declared& declared) {
    return declared.kind == SymbolKind::Let && declared.index < reads.size() && reads[declared.index];
  };
  step_ledger_read_ = -1;
  earlier_ledger_reads_.clear();
  reading_earlier_ledgers_ = true;
  ExprInfo result = checkOverRecords(input, later, &step_aggregate_lets_, fn, value, filter);
  reading_earlier_ledgers_ = false;
  if (result.failed) return result;
  out_.group.step_aggregate_of[expr.id] = static_cast<uint32_t>(out_.group.step_aggregates.size());
  AggregateInfo info{&expr, fn, input, value, filter, result.type};
  info.fold = current_block_;
  info.after_ledger = step_ledger_read_;
  info.earlier_ledgers = earlier_ledger_reads_;
  out_.group.step_aggregates.push_back(info);
  return result;
}

// An aggregate inside `ledger X` is one value per pair of a step and a record of X: over the group's
// records of another input, its value and filter read those records' fields (which win over other
// names) and what the pair knows before the ledger's aggregates and share: X's fields, the states before
// the step, the step's names (as the ledger reads them) and the ledger's lets that read neither (`let
// cid = claim_id` names X's field where the other input has one of the same name).
// Example in `ledger Claim`: `exists(Dispute where claim_id == cid and opened <= day)`.
ExprInfo Checker::checkLedgerAggregate(const ast::Expr& expr, AggregateFn fn, uint32_t input, Location source_loc, const ast::Expr* value,
                                       const ast::Expr* filter) {
  const uint32_t ledger_input = out_.group.blocks[static_cast<size_t>(current_block_)].input;
  if (input == ledger_input) {
    const std::string& name = ast_.inputs[input].name;
    error("E0982", source_loc,
          fmt::format("an aggregate in `ledger {}` reads another input's records; those of `{}` are the ledger's own", name, name),
          fmt::format("aggregate them in the fold's lets, after the step (`sum(STATE over {})`), and read the ledger's states there", name));
    return failedInfo();
  }
  const std::vector<bool>& reads = out_.group.let_reads_ledger_value;  // the lets checked so far
  auto later = [&](const Declared& declared) {  // the share, and lets that read it or an aggregate of the ledger (E0981)
    return declared.kind == SymbolKind::Share || (declared.kind == SymbolKind::Let && declared.index < reads.size() && reads[declared.index]);
  };
  earlier_ledger_reads_.clear();
  reading_earlier_ledgers_ = true;
  ExprInfo result = checkOverRecords(input, later, &ledger_aggregate_lets_, fn, value, filter);
  reading_earlier_ledgers_ = false;
  if (result.failed) return result;
  out_.group.ledger_aggregate_of[expr.id] = static_cast<uint32_t>(out_.group.ledger_aggregates.size());
  AggregateInfo info{&expr, fn, input, value, filter, result.type};
  info.in_ledger = current_block_;
  info.earlier_ledgers = earlier_ledger_reads_;
  out_.group.ledger_aggregates.push_back(info);
  return result;
}

// The pool of a distribution in `ledger X` may aggregate X's records at the step: `distribute paid_today
// - sum(taken over Claim) over Claim …` (what the designated payments took first). Its value and filter
// are in the ledger's names as its distribution's amount sees them: X's fields, the states before the
// step, the step's names, the ledger's lets written before the `distribute` (not its share: E0982).
// The shares program computes them per pair, before the pool.
ExprInfo Checker::checkPoolAggregate(const ast::Expr& expr, AggregateFn fn, uint32_t input, const ast::Expr* value,
                                     const ast::Expr* filter) {
  const ast::DistributeDecl& decl = ast_.distributes[static_cast<size_t>(pool_distribution_)];
  const int ledger = decl.block;
  std::map<std::string, Declared> scope = values_;  // the fold's names, then X's fields, then the ledger's own
  for (const auto& [name, declared] : fieldsDuringFolds(input)) scope.insert_or_assign(name, declared);
  std::set<std::string> after_sharing;
  for (const auto& [name, declared] : block_values_[static_cast<size_t>(ledger)]) {
    const bool later_let = declared.kind == SymbolKind::Let && declared.index >= decl.lets_before;
    if (declared.kind != SymbolKind::Share && !later_let) scope.insert_or_assign(name, declared);
    else if (!scope.count(name)) after_sharing.insert(name);
  }
  std::swap(pool_aggregate_names_, after_sharing);
  std::swap(values_, scope);
  const int saved_block = current_block_;
  const bool saved_fold = in_fold_;
  current_block_ = ledger;
  in_fold_ = true;
  step_pool_ = false;
  const int saved_pool = pool_distribution_;
  pool_distribution_ = -1;
  int saved_scope = item_scope_;
  item_scope_ = static_cast<int>(input);
  ExprInfo result = aggregateResult(fn, value, filter);
  item_scope_ = saved_scope;
  pool_distribution_ = saved_pool;
  step_pool_ = true;
  in_fold_ = saved_fold;
  current_block_ = saved_block;
  std::swap(values_, scope);
  std::swap(pool_aggregate_names_, after_sharing);
  if (result.failed) return result;
  out_.group.pool_aggregate_of[expr.id] = static_cast<uint32_t>(out_.group.pool_aggregates.size());
  AggregateInfo info{&expr, fn, input, value, filter, result.type};
  info.in_ledger = ledger;
  out_.group.pool_aggregates.push_back(info);
  return result;
}

// True when `expr` reads what `direct` says, directly or through a let checked before it whose flag in
// `lets` is set (one of GroupInfo::let_reads_*).
bool Checker::readsThrough(const ast::Expr& expr, const std::function<bool(const ast::Expr&)>& direct, const std::vector<bool>& lets) const {
  if (direct(expr)) return true;
  if (expr.kind == ast::ExprKind::Name) {
    const Symbol& symbol = out_.symbol(expr);
    if (symbol.kind == SymbolKind::Let && symbol.index < lets.size() && lets[symbol.index]) return true;
  }
  for (const ast::ExprPtr& arg : expr.args) {
    if (arg && readsThrough(*arg, direct, lets)) return true;
  }
  return false;
}

// An aggregate in a ledger or the share of the ledger's distribution: values of the pair known after
// the ledger's aggregates.
bool Checker::readsLedgerValue(const ast::Expr& expr) const {
  auto direct = [&](const ast::Expr& e) { return out_.group.ledger_aggregate_of.count(e.id) > 0 || ledgerDistributionSymbol(e, SymbolKind::Share); };
  return readsThrough(expr, direct, out_.group.let_reads_ledger_value);
}

// A step aggregate of a fold.
bool Checker::readsStepAggregate(const ast::Expr& expr) const {
  auto direct = [&](const ast::Expr& e) { return out_.group.step_aggregate_of.count(e.id) > 0; };
  return readsThrough(expr, direct, out_.group.let_reads_step_aggregate);
}

// The rest of a distribution in a ledger or an aggregate of a ledger's states: values of the step known
// after its ledger.
bool Checker::readsStepRest(const ast::Expr& expr) const {
  auto direct = [&](const ast::Expr& e) {
    auto step_aggregate = out_.group.step_aggregate_of.find(e.id);
    if (step_aggregate != out_.group.step_aggregate_of.end()) return out_.group.step_aggregates[step_aggregate->second].after_ledger >= 0;
    return ledgerDistributionSymbol(e, SymbolKind::Rest);
  };
  return readsThrough(expr, direct, out_.group.let_reads_step_rest);
}

// Whether `expr` names the `kind` (share or rest) of a distribution inside a ledger.
bool Checker::ledgerDistributionSymbol(const ast::Expr& expr, SymbolKind kind) const {
  if (expr.kind != ast::ExprKind::Name) return false;
  const Symbol& symbol = out_.symbol(expr);
  return symbol.kind == kind && symbol.index < out_.group.distributes.size() && out_.group.distributes[symbol.index].ledger >= 0;
}

bool Checker::checkAggregateShape(const ast::Expr& expr, AggregateFn fn, const ast::Expr* value, const std::string& source) {
  bool counts = fn == AggregateFn::Count || fn == AggregateFn::Exists;
  if (counts && value) {
    error("E0966", expr.loc, fmt::format("`{}` counts records and takes no value", expr.text),
          fmt::format("write {}({} where CONDITION)", expr.text, source));
    return false;
  }
  if (!counts && !value) {
    error("E0966", expr.loc, fmt::format("`{}` needs a value", expr.text), fmt::format("write {}(VALUE over {})", expr.text, source));
    return false;
  }
  return true;
}

// Runs `body` with the names of input `input` (its fields, its shares and the params) in place of the
// group's; with `group_values`, the group's own names too (an aggregate's filter may read them), where
// the input's fields win.
ExprInfo Checker::checkInItemScope(uint32_t input, const std::function<ExprInfo()>& body, bool group_values) {
  std::map<std::string, Declared> item = item_values_[input];
  const std::map<std::string, Declared>& outer = group_values_ != nullptr ? *group_values_ : values_;
  for (const auto& [name, declared] : outer) {
    if (declared.kind == SymbolKind::Param || group_values) item.emplace(name, declared);
  }
  std::swap(values_, item);
  int saved_scope = item_scope_;
  uint32_t saved_visible = visible_lets_;
  item_scope_ = static_cast<int>(input);
  if (!group_values) visible_lets_ = 0;
  ExprInfo result = body();
  std::swap(values_, item);
  item_scope_ = saved_scope;
  visible_lets_ = saved_visible;
  return result;
}

// sum: a number or duration, never missing (0 over no record); count: int; min, max: a number, date,
// timestamp or time; first,
// last: any value — all four missing over no record; exists, all, any: a condition.
ExprInfo Checker::aggregateResult(AggregateFn fn, const ast::Expr* value, const ast::Expr* filter) {
  bool ok = true;
  if (value) check(*value);
  if (filter) {
    check(*filter);
    ok = checkCondition(*filter, "`where`");
  }
  if (fn == AggregateFn::Count) return ok ? typed(ir::Type::of(TypeKind::Int)) : failedInfo();
  if (fn == AggregateFn::Exists) return ok ? typed(ir::Type::of(TypeKind::Bool)) : failedInfo();
  if (fn == AggregateFn::All || fn == AggregateFn::Any) {
    bool condition = checkCondition(*value, fn == AggregateFn::All ? "`all`" : "`any`");
    return ok && condition ? typed(ir::Type::of(TypeKind::Bool)) : failedInfo();
  }
  if (!plainValue(*value) || !ok) return failedInfo();
  ir::Type type = info(*value).type;
  bool number = isNumericKind(type.kind) || type.kind == TypeKind::Days || type.kind == TypeKind::Duration;
  bool ordered = number || isOrderableKind(type.kind);
  if ((fn == AggregateFn::Sum && !number) || ((fn == AggregateFn::Min || fn == AggregateFn::Max) && !ordered)) {
    error("E0969", value->loc, fmt::format("`{}` needs {}, but {} is {}", aggregateWord(fn),
                                           fn == AggregateFn::Sum ? "numbers or durations" : "numbers, dates, instants or times",
                                           subjectWords(*value).empty() ? "this value" : subjectWords(*value), kindWords(type)));
    return failedInfo();
  }
  if (fn != AggregateFn::Sum) type.optional = true;
  return typed(type);
}

}  // namespace regelwerk::sema
