// The item-level parts of a `per` block (docs/groups.md): `each X ... end` (lets, outputs and
// decisions per record of X, reading the group's values too), `fold X ... end` (running state over the
// records of X in their declared order; `fold v in a..b`: over a range) and `distribute POOL over X
// ...` (tiers, then largest remainder). Names are scoped: a block sees its input's fields, the params
// and its own lets; an `each` block also sees the group's values and the shares of distributions over
// its input; a fold sees its states (their value before the record), the one-record input's fields and
// the final states of earlier folds, but no other group value, since it runs before them (its
// aggregates are per step: check_groups.cpp, checkStepAggregate).
#include <fmt/format.h>

#include <algorithm>

#include "checker.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

namespace {

// True when a name in `expr` (not inside an aggregate) has a symbol `wanted` accepts.
bool mentionsIf(const TypedRuleset& out, const ast::Expr& expr, const std::function<bool(const Symbol&)>& wanted) {
  if (expr.kind == ast::ExprKind::Name && wanted(out.symbol(expr))) return true;
  for (const ast::ExprPtr& arg : expr.args) {
    if (arg && mentionsIf(out, *arg, wanted)) return true;
  }
  return false;
}

bool mentionsSymbol(const TypedRuleset& out, const ast::Expr& expr, SymbolKind kind) {
  return mentionsIf(out, expr, [kind](const Symbol& symbol) { return symbol.kind == kind; });
}

}  // namespace

// A field of the one-record input: known before the folds run, so a fold reads it too.
bool Checker::oneInputField(const Declared& declared) const {
  return declared.kind == SymbolKind::Field && out_.group.one_input >= 0 &&
         static_cast<int>(out_.fields[declared.index].input) == out_.group.one_input;
}

// A state of a fold written before fold `block`: its final value is known when `block` runs.
bool Checker::earlierFoldState(const Declared& declared, int block) const {
  return declared.kind == SymbolKind::State && ast_.outputs[declared.index].block < block;
}

// The names visible in each/fold block `block` (-1: the group's own). A fold's step (and a range's
// bounds) read the one-record input's fields and the final states of the folds before it; a fold's
// `where` is computed with the records alone.
std::map<std::string, Declared> Checker::scopeValues(int block) const {
  if (block < 0) return values_;
  const BlockInfo& info = out_.group.blocks[static_cast<size_t>(block)];
  if (info.ledger) {  // the fold's names, then the ledger input's fields (which win), then its own
    std::map<std::string, Declared> values = scopeValues(info.parent);
    for (const auto& [name, declared] : item_values_[info.input]) {
      if (declared.kind != SymbolKind::Share) values.insert_or_assign(name, declared);
    }
    for (const auto& [name, declared] : block_values_[static_cast<size_t>(block)]) values.insert_or_assign(name, declared);
    return values;
  }
  std::map<std::string, Declared> values;
  for (const auto& [name, declared] : values_) {
    bool one_field = oneInputField(declared) && !fold_filter_;
    // Without a one-record input the key is the group's field; a fold over keyed records has it as
    // theirs, a fold over a range or a shared or derived input reads the group's.
    bool key = (info.range || ast_.inputs[info.input].keyless()) && out_.group.one_input < 0 &&
               declared.kind == SymbolKind::Field && name == out_.group.key;
    bool known = one_field || key || (!fold_filter_ && earlierFoldState(declared, block));
    if (!info.fold || declared.kind == SymbolKind::Param || known) values.emplace(name, declared);
  }
  for (const auto& [name, declared] : info.range ? std::map<std::string, Declared>{} : item_values_[info.input]) {
    if (!info.fold || declared.kind != SymbolKind::Share) values.insert_or_assign(name, declared);
  }
  for (const auto& [name, declared] : block_values_[static_cast<size_t>(block)]) values.insert_or_assign(name, declared);
  return values;
}

// Runs `body` with the names (and, for decisions, the outputs) of block `block` (-1: the group's).
void Checker::inScope(int block, const std::function<void()>& body) {
  if (block < 0) return body();
  std::map<std::string, Declared> scoped = scopeValues(block);
  std::swap(values_, scoped);
  std::swap(outputs_, block_outputs_[static_cast<size_t>(block)]);
  bool saved_fold = in_fold_;
  bool saved_ledger = in_ledger_;
  int saved_block = current_block_;
  const std::map<std::string, Declared>* saved_group = group_values_;
  const BlockInfo& info = out_.group.blocks[static_cast<size_t>(block)];
  in_fold_ = info.fold || info.ledger;
  in_ledger_ = info.ledger;
  current_block_ = block;
  group_values_ = &scoped;  // swapped: the group's names
  body();
  in_fold_ = saved_fold;
  in_ledger_ = saved_ledger;
  current_block_ = saved_block;
  group_values_ = saved_group;
  std::swap(outputs_, block_outputs_[static_cast<size_t>(block)]);
  std::swap(values_, scoped);
}

// Each block runs over a `many` input; a fold needs `order by` (its result depends on the order, and
// the file order of grouped input is not kept when it is sorted); fold filters and state
// declarations are checked here, before the lets that read the states.
void Checker::checkItemBlocks() {
  block_values_.resize(ast_.blocks.size());
  block_outputs_.resize(ast_.blocks.size());
  for (uint32_t index = 0; index < ast_.blocks.size(); ++index) checkItemBlock(index);
  checkRecordNames();
}

void Checker::checkItemBlock(uint32_t index) {
  const ast::ItemBlock& block = ast_.blocks[index];
  if (block.overRange()) return checkRangeFold(index);
  if (block.ledger) return checkLedger(index);
  BlockInfo info;
  info.fold = block.fold;
  auto input = keyedInputNamed(block.input);
  if (!input || !ast_.inputs[*input].many) {
    error("E0973", block.input_loc,
          input ? fmt::format("`{}` has one record per `{}`; `{}` runs over an input with many", block.input, out_.group.key,
                              block.fold ? "fold" : "each")
                : fmt::format("`{}` is not an input with many records per `{}`", block.input, out_.group.key));
  }
  info.input = input.value_or(0);
  info.record = block.record.empty() && !block.fold ? block.input : block.record;
  out_.group.blocks.push_back(info);
  if (!block.fold) return;
  checkFoldRecord(index);
  if (input && ast_.inputs[*input].order_by.empty() && ast_.inputs[*input].many) {
    error("E0977", block.loc, fmt::format("a fold runs over the records of `{}` in their order, but `{}` declares none", block.input, block.input),
          ast_.inputs[*input].keyless()
              ? fmt::format("add `order by FIELD, ...` to `input {} {}`", block.input, ast_.inputs[*input].shared ? "shared" : "derived")
              : fmt::format("add `order by FIELD, ...` to `input {} key {} many`", block.input, out_.group.key));
  }
  declareStates(index);
  if (block.filter) {
    fold_filter_ = true;  // the filter is computed with the records' fields, before the one input is joined
    inScope(static_cast<int>(index), [&] {
      check(*block.filter);
      checkCondition(*block.filter, "the fold's `where`");
    });
    fold_filter_ = false;
  }
}

// `fold year in low .. high`: the bounds are ints or dates of one type that always have a value, computed
// before the fold from the params, the one-record input's fields and earlier folds' final states; the
// step's value is named in the block only. There is no `where` (narrow the range instead) and no input, so no `order by` is needed.
void Checker::checkRangeFold(uint32_t index) {
  const ast::ItemBlock& block = ast_.blocks[index];
  BlockInfo info;
  info.fold = true;
  info.range = true;
  info.record = block.record;
  out_.group.blocks.push_back(info);
  checkFoldRecord(index);
  if (block.filter) {
    error("E0980", block.filter->loc, "a fold over a range has no `where`: it takes every value of the range",
          fmt::format("narrow the range, test the condition in the fold's rules (`rule r when ... and {} ...`), or keep only some "
                      "rows with `as R when ...`", block.variable));
  }
  range_bound_ = true;
  inScope(static_cast<int>(index), [&] {
    checkRangeBound(*block.low, nullptr);
    const ExprInfo& low = out_.exprs[block.low->id];
    checkRangeBound(*block.high, low.failed ? nullptr : &low.type);
    const ExprInfo& high = out_.exprs[block.high->id];
    out_.group.blocks[index].step_type = (low.failed && !high.failed ? high.type : low.type).required();
  });
  range_bound_ = false;
  auto visible = values_.find(block.variable);
  if (visible != values_.end() && (visible->second.kind == SymbolKind::Param || oneInputField(visible->second) ||
                                    earlierFoldState(visible->second, static_cast<int>(index)))) {
    const char* what = visible->second.kind == SymbolKind::Param   ? "a param"
                       : visible->second.kind == SymbolKind::State ? "a state of an earlier fold"
                                                                   : "an input field";
    error("E0202", block.variable_loc,
          fmt::format("`{}` is already declared as {} at {}", block.variable, what, placeOf(visible->second.loc, block.variable_loc)),
          "choose another name for the fold's step");
  }
  block_values_[index].emplace(block.variable, Declared{SymbolKind::Step, index, block.variable_loc});
  declareStates(index);
}

// `ledger X ... end` inside a fold: states per record of X (a `many` input of the group, the folded one
// included), one ledger per input and fold. At every step its program runs over the group's records of
// X; after the fold, the final states are values of X's records (SymbolKind::Ledger), readable where
// its fields are, once the fold is done: `each X` blocks and aggregates over X.
void Checker::checkLedger(uint32_t index) {
  const ast::ItemBlock& block = ast_.blocks[index];
  BlockInfo info;
  info.ledger = true;
  info.parent = block.parent;
  auto input = keyedInputNamed(block.input);
  if (!input || !ast_.inputs[*input].many) {
    error("E0973", block.input_loc,
          input ? fmt::format("`{}` has one record per `{}`; a ledger keeps states per record of an input with many", block.input,
                              out_.group.key)
                : fmt::format("`{}` is not an input with many records per `{}`", block.input, out_.group.key),
          "keep a per-group value in a `state` of the fold instead");
  }
  info.input = input.value_or(0);
  BlockInfo& fold = out_.group.blocks[static_cast<size_t>(block.parent)];
  for (uint32_t other : fold.ledgers) {
    if (input && out_.group.blocks[other].input == *input) {
      error("E0982", block.input_loc,
            fmt::format("this fold already keeps a ledger over `{}` at line {}", block.input, ast_.blocks[other].loc.line),
            "declare all of its states in that one `ledger` block");
    }
  }
  fold.ledgers.push_back(index);
  info.record = block.record;
  out_.group.blocks.push_back(info);
  checkFoldRecord(index);
  if (!input || !ast_.inputs[*input].many) return;
  declareStates(index);
}

// A ledger state's initial value: computed per record of the ledger's input before the folds (by the
// input's item program), from the record's fields and the params.
void Checker::checkLedgerInitial(const ast::OutputDecl& output, const ir::Type& type) {
  const uint32_t input = out_.group.blocks[static_cast<size_t>(output.block)].input;
  item_program_ = true;
  checkInItemScope(input, [&] { return check(*output.default_value, &type); });
  item_program_ = false;
  if (out_.exprs[output.default_value->id].failed) return;
  if (mentionsSymbol(out_, *output.default_value, SymbolKind::Share)) {
    error("E0982", output.default_value->loc, "a ledger's state starts from the record's fields and the params, not a distribution's share",
          "compute the share's effect in the ledger's rules");
    return;
  }
  checkAssignable(*output.default_value, type, "`" + output.name + "`");
}

// A ledger state's final value (SymbolKind::Ledger) exists once its fold is done: it is read in `each X`
// blocks, in aggregates over X after the folds and in the aggregates over X of later folds (their steps'
// and their ledgers'), not elsewhere in a fold (inside its own fold, the ledger block reads the value
// before the step) nor where the item program computes values before the folds.
bool Checker::checkLedgerRead(const ast::Expr& expr, const Declared& declared) {
  const bool each = current_block_ >= 0 && !in_fold_;  // an `each X` block: X's names are in scope
  if (!item_program_ && !in_fold_ && (item_scope_ >= 0 || each)) return true;
  if (distribution_amount_name_) return true;  // `amount claimed`: the group's distribution runs after the folds
  const int ledger_block = ast_.outputs[declared.index].block;
  const ast::ItemBlock& ledger = ast_.blocks[static_cast<size_t>(ledger_block)];
  const int ledger_input = static_cast<int>(out_.group.blocks[static_cast<size_t>(ledger_block)].input);
  // In an aggregate over X in a later fold, or in a ledger of one: the final states, as after the folds.
  const int fold_block = in_ledger_ ? ast_.blocks[static_cast<size_t>(current_block_)].parent : current_block_;
  if (reading_earlier_ledgers_ && in_fold_ && !item_program_ && item_scope_ == ledger_input && ledger.parent < fold_block) {
    const auto block = static_cast<uint32_t>(ledger_block);
    if (std::find(earlier_ledger_reads_.begin(), earlier_ledger_reads_.end(), block) == earlier_ledger_reads_.end()) {
      earlier_ledger_reads_.push_back(block);
      std::sort(earlier_ledger_reads_.begin(), earlier_ledger_reads_.end());
    }
    return true;
  }
  // In an aggregate over X in the ledger's own fold (not in the ledger): the states after the step.
  if (in_fold_ && !in_ledger_ && !item_program_ && current_block_ == ledger.parent &&
      item_scope_ == static_cast<int>(out_.group.blocks[static_cast<size_t>(ledger_block)].input)) {
    step_ledger_read_ = ledger_block;
    return true;
  }
  const int fold_line = ast_.blocks[static_cast<size_t>(ledger.parent)].loc.line;
  if (!item_program_ && !in_fold_) {  // at group level, outside an aggregate
    error("E0967", expr.loc,
          fmt::format("`{}` is a ledger's state, one value per record of `{}`", expr.text, ledger.input),
          fmt::format("at group level, use an aggregate: sum({} over {}), count({} where ...)", expr.text, ledger.input, ledger.input));
  } else if (item_program_ && distribution_amount_) {
    error("E0982", expr.loc,
          fmt::format("`{}` is a ledger's state, known once the fold at line {} is done; a distribution's amount computed from "
                      "it would be computed before the folds", expr.text, fold_line),
          fmt::format("compute the amount in the ledger (a state) and name it alone: `amount {}`", expr.text));
  } else if (item_program_) {
    error("E0982", expr.loc,
          fmt::format("`{}` is a ledger's state, known once the fold at line {} is done; this value is computed before the folds",
                      expr.text, fold_line),
          "read the records' fields and the params here; read the ledger in an `each` block or an aggregate after the fold");
  } else if (in_fold_ && fold_filter_) {
    error("E0982", expr.loc,
          fmt::format("`{}` is a ledger's state, known once the fold at line {} is done; a fold's `where` reads the record's fields",
                      expr.text, fold_line),
          "test the state in the fold's rules, through an aggregate in a let");
  } else if (in_fold_ && ledger.parent > fold_block) {
    error("E0982", expr.loc,
          fmt::format("`{}` is a ledger's state of the fold at line {}, which runs after this one", expr.text, fold_line),
          "read it after that fold: in a later fold's aggregates, an `each` block or an aggregate at group level");
  } else if (in_fold_ && ledger.parent < fold_block && item_scope_ == ledger_input) {
    error("E0982", expr.loc,
          fmt::format("`{}` is a ledger's state of the fold at line {}; a distribution's pool cannot aggregate it", expr.text, fold_line),
          fmt::format("aggregate it in a let of this fold (`let taken = sum({} over {})`) and read the let in the pool", expr.text,
                      ledger.input));
  } else if (in_fold_ && ledger.parent < fold_block) {
    error("E0982", expr.loc,
          fmt::format("`{}` is a ledger's state, one final value per record of `{}` (the fold at line {}); a later fold reads it "
                      "in an aggregate over `{}`", expr.text, ledger.input, fold_line, ledger.input),
          fmt::format("aggregate it: sum({} over {} where …), first({} over {} where …)", expr.text, ledger.input, expr.text,
                      ledger.input));
  } else {
    error("E0982", expr.loc,
          fmt::format("`{}` is the final value of a ledger's state, known once the fold at line {} is done", expr.text, fold_line),
          fmt::format("inside its fold, read the states in its `ledger {}` block (their value before the step) or aggregate them in the fold's "
                      "lets (`sum(STATE over {})`: after the step)", ledger.input, ledger.input));
  }
  return false;
}

// One bound of a range: an int or a date (of the other bound's type) that cannot be missing.
void Checker::checkRangeBound(const ast::Expr& bound, const ir::Type* expected) {
  const ExprInfo& info = check(bound, expected);
  if (info.failed) return;
  const TypeKind kind = info.type.kind;
  if (kind != TypeKind::Int && kind != TypeKind::Date) {
    error("E0980", bound.loc, fmt::format("a fold runs over a range of ints or dates, not {}", kindWords(info.type)));
  } else if (expected && (expected->kind == TypeKind::Int || expected->kind == TypeKind::Date) && kind != expected->kind) {
    error("E0980", bound.loc, fmt::format("the range starts at {} but ends at {}", kindWords(expected->required()), kindWords(info.type)),
          "give both bounds the same type");
  } else if (info.type.optional) {
    error("E0980", bound.loc, "a bound of the range may be missing; the fold needs both to know its steps",
          "give it a value: `... ?? 0` (or a date)");
  }
}

// How the analyst wrote the fold's (or ledger's) head, for messages: `fold Event`, `fold year in ...`, `ledger Claim`.
static std::string foldHead(const ast::ItemBlock& block) {
  if (block.ledger) return fmt::format("ledger {}", block.input);
  return block.overRange() ? fmt::format("fold {} in ...", block.variable) : fmt::format("fold {}", block.input);
}

// A fold's outputs other than its states are the columns of its record, one row per folded record (a
// ledger's: one row per record of its input and step): they need `as R`, and `as R` needs them.
void Checker::checkFoldRecord(uint32_t index) {
  const ast::ItemBlock& block = ast_.blocks[index];
  const ast::OutputDecl* first = nullptr;
  for (const ast::OutputDecl& output : ast_.outputs) {
    if (output.block == static_cast<int>(index) && !output.state && !first) first = &output;
  }
  if (first && block.record.empty()) {
    const char* what = block.ledger ? "a ledger writes its outputs as one row per record and step" : "a fold writes its outputs as one row per record";
    error("E0979", first->loc, fmt::format("output `{}` in a {} without a record: {}", first->name, block.ledger ? "ledger" : "fold", what),
          fmt::format("name the record: `{} as NAME`; or make it a `state`, or compute it after the fold", foldHead(block)));
  }
  if (!first && !block.record.empty()) {
    error("E0979", block.record_loc, fmt::format("`{} as {}` declares no output for record `{}`", foldHead(block), block.record, block.record),
          fmt::format("add `output NAME: TYPE = ...` inside the {}, or drop `as`", block.ledger ? "ledger" : "fold"));
  }
}

// A state is a group value after the fold (its final value) and, inside the fold, the value before
// the record. It starts at a literal; strings are not states (an enum says the same, exactly).
void Checker::declareStates(uint32_t block) {
  for (uint32_t output = 0; output < ast_.outputs.size(); ++output) {
    const ast::OutputDecl& decl = ast_.outputs[output];
    if (!decl.state || decl.block != static_cast<int>(block)) continue;
    out_.group.blocks[block].states.push_back(output);
    ir::Type type = resolveType(decl.type);
    state_types_[output] = type;
    if (type.kind == TypeKind::String) {
      error("E0974", decl.type.loc, fmt::format("state `{}` is a string; a state holds a value of a fixed size", decl.name),
            "use an enum: `state last: enum(a, b) = a`");
    }
    if (!ast_.blocks[block].ledger && !isLiteralShape(*decl.default_value) && decl.default_value->kind != ast::ExprKind::Missing) {
      error("E0974", decl.default_value->loc, fmt::format("state `{}` starts at a literal, such as `0` or `missing`", decl.name));
    }
    auto [found, inserted] = block_values_[block].emplace(decl.name, Declared{SymbolKind::State, output, decl.loc});
    if (!inserted) {
      error("E0202", decl.loc, fmt::format("`{}` is already declared in this {} at line {}", decl.name,
                                           ast_.blocks[block].ledger ? "ledger" : "fold", found->second.loc.line),
            "choose another name");
      continue;
    }
    if (!ast_.blocks[block].ledger) {
      declareValue(decl.name, SymbolKind::State, output, decl.loc);
      continue;
    }
    // A ledger's state: after the fold, a value of each record of its input, beside the fields.
    const uint32_t input = out_.group.blocks[block].input;
    auto [field, fresh] = item_values_[input].emplace(decl.name, Declared{SymbolKind::Ledger, output, decl.loc});
    if (!fresh) {
      error("E0202", decl.loc,
            fmt::format("`{}` is already declared for `{}` at {}", decl.name, ast_.inputs[input].name, placeOf(field->second.loc, decl.loc)),
            "choose another name: after the fold, a ledger's states are read beside the records' fields");
    }
  }
}

// True (and reported) when `name`, unknown in a fold, is a group value the fold cannot read: a state of
// a fold written after it (or, in its `where`, of any other fold), or a group let.
bool Checker::reportOutsideFold(const ast::Expr& expr) {
  if (!in_fold_ || current_block_ < 0) return false;
  for (const ast::OutputDecl& output : ast_.outputs) {
    if (!output.state || output.name != expr.text || output.block == current_block_) continue;
    if (output.block > current_block_) {
      error("E0201", expr.loc,
            fmt::format("`{}` is a state of a fold written later (line {}); a fold reads the final states of the folds before it",
                        expr.text, output.loc.line),
            "move this fold below that one");
    } else {
      error("E0201", expr.loc, fmt::format("`{}` is a state of an earlier fold; a fold's `where` is computed per record, before the folds run", expr.text),
            "test it in the fold's rules");
    }
    return true;
  }
  for (const ast::LetDecl& let : ast_.lets) {
    if (let.block >= 0 || let.reject || let.name != expr.text) continue;
    error("E0201", expr.loc, fmt::format("`{}` is a group let, computed after the folds", expr.text),
          "compute it in the fold (a let of the fold), or from the params and the input with one record per key");
    return true;
  }
  for (const ast::DistributeDecl& decl : ast_.distributes) {
    if (decl.block >= 0 || decl.share != expr.text) continue;
    error("E0201", expr.loc,
          fmt::format("`{}` is the share of the group's distribution at line {}, computed after the folds", expr.text, decl.loc.line),
          "read it in an `each` block or in an aggregate after the fold");
    return true;
  }
  return false;
}

// `fold X as R when c`: c is a condition over what the fold's outputs read (the step's fields or value,
// the states before it, the fold's lets); it is checked after the lets, which it may read.
void Checker::checkFoldRowFilters() {
  for (uint32_t index = 0; index < ast_.blocks.size(); ++index) {
    const ast::ItemBlock& block = ast_.blocks[index];
    if (!block.rows) continue;
    inScope(static_cast<int>(index), [&] {
      check(*block.rows);
      checkCondition(*block.rows, fmt::format("`as {} when`", block.record));
    });
  }
}

// Every output record has its own name, for `--output NAME=FILE`; the folds and ledgers that write a
// derived input's rows (`as D`) write one record, D (check_derived.cpp).
void Checker::checkRecordNames() {
  std::map<std::string, Location> seen;
  bool group_outputs = false;
  for (const ast::OutputDecl& output : ast_.outputs) group_outputs = group_outputs || output.block < 0;
  if (group_outputs) seen.emplace(out_.group.record, ast_.pers.empty() ? ast_.loc : ast_.pers[0].loc);
  std::map<std::string, Location> derived;
  for (const ast::InputDecl& input : ast_.inputs) {
    if (input.derived) derived.emplace(input.name, input.loc);
  }
  for (size_t index = 0; index < ast_.blocks.size(); ++index) {
    const ast::ItemBlock& block = ast_.blocks[index];
    if ((block.fold || block.ledger) && block.record.empty()) continue;
    const std::string& name = out_.group.blocks[index].record;
    if (derived.count(name)) {
      const bool writer = block.fold || block.ledger;
      if (writer && !seen.count(name)) continue;  // together, D's writers write one record, D
      if (!writer) {
        error("E0976", block.record.empty() ? block.input_loc : block.record_loc,
              fmt::format("the output record `{}` holds the rows of the derived input `{}` (line {}); each record goes to its own file",
                          name, name, derived.at(name).line),
              fmt::format("name this one: `each {} as NAME`", block.input));
        continue;
      }
    }
    const std::string& record = out_.group.blocks[index].record;
    auto [found, inserted] = seen.emplace(record, block.loc);
    if (!inserted) {
      error("E0976", block.record.empty() ? block.input_loc : block.record_loc,
            fmt::format("the output record `{}` is already written at line {}; each record goes to its own file", record,
                        found->second.line),
            fmt::format("name this one: `{} as NAME`", block.fold || block.ledger ? foldHead(block) : "each " + block.input));
    }
  }
}

// The per-record parts of each distribution: amounts (int or money), tiers (int or enum), tie keys;
// then its share (a value of each record of X) and rest (a group value) are declared.
void Checker::checkDistributeItems() {
  for (uint32_t index = 0; index < ast_.distributes.size(); ++index) checkDistributeItem(index);
}

void Checker::checkDistributeItem(uint32_t index) {
  const ast::DistributeDecl& decl = ast_.distributes[index];
  DistributeInfo info;
  auto input = keyedInputNamed(decl.input);
  if (!input || !ast_.inputs[*input].many) {
    error("E0973", decl.input_loc, fmt::format("`{}` is not an input with many records per `{}`", decl.input, out_.group.key),
          "distribute over the records of a `many` input");
    out_.group.distributes.push_back(info);
    return;
  }
  info.input = *input;
  if (decl.block >= 0) {  // in a ledger: checked where its lets are (checkLedgerDistributes)
    info.ledger = decl.block;
    out_.group.distributes.push_back(info);
    return;
  }
  item_program_ = true;  // the amounts are computed before the folds: no ledger state yet
  checkInItemScope(*input, [&] {
    checkShareParts(decl, info);
    return typed(info.type);
  });
  item_program_ = false;
  info.type.optional = false;
  out_.group.distributes.push_back(info);
  auto [found, inserted] = item_values_[*input].emplace(decl.share, Declared{SymbolKind::Share, index, decl.share_loc});
  if (!inserted) {
    error("E0202", decl.share_loc, fmt::format("`{}` is already declared for `{}` at line {}", decl.share, decl.input, found->second.loc.line),
          "choose another name for the share");
  }
  if (!decl.rest.empty()) declareValue(decl.rest, SymbolKind::Rest, index, decl.rest_loc);
}

// A distribution's amount (int or money, never missing), tier ranks (ints or enums) and tie keys
// (always present, not conditions), none of them reading a share; `info.type` is the amount's.
void Checker::checkShareParts(const ast::DistributeDecl& decl, DistributeInfo& info) {
  // The amount may be a ledger state of X, named alone: its final value (not an expression of one,
  // which the item program would compute before the folds: E0982).
  distribution_amount_ = true;
  distribution_amount_name_ = info.ledger < 0 && decl.amount->kind == ast::ExprKind::Name;
  const ExprInfo& amount = check(*decl.amount);
  distribution_amount_ = distribution_amount_name_ = false;
  if (!amount.failed && decl.amount->kind == ast::ExprKind::Name && out_.symbol(*decl.amount).kind == SymbolKind::Ledger) {
    info.amount_state = static_cast<int>(out_.symbol(*decl.amount).index);
  }
  info.type = amount.type;
  bool unit = amount.type.kind == TypeKind::Int || amount.type.kind == TypeKind::Money;
  info.valid = !amount.failed && unit && !amount.type.optional && !amount.quotient;
  if (!amount.failed && !info.valid) {
    std::string what = amount.type.optional && unit ? "may be missing" : "is " + kindWords(amount.type);
    std::string name = decl.amount->kind == ast::ExprKind::Name ? decl.amount->text : "amount";
    std::string hint = info.amount_state >= 0 && amount.type.optional
                           ? fmt::format("give the ledger state `{}` a type that is never missing (int or money)", name)
                       : amount.type.optional ? fmt::format("give missing amounts a value: `{} ?? 0`", name)
                                              : "distribute money or int amounts";
    error("E0971", decl.amount->loc, fmt::format("`distribute` shares whole units (cents of money, or ints), but the amount {}", what),
          hint);
  }
  for (const ast::ExprPtr& key : decl.tiers) {
    const ExprInfo& tier = check(*key);
    bool rank = tier.type.kind == TypeKind::Int || tier.type.kind == TypeKind::Enum;
    if (!tier.failed && (!rank || tier.type.optional)) {
      error("E0971", key->loc, fmt::format("tiers are ranked by ints or enums (in member order), not {}", kindWords(tier.type)));
    }
  }
  for (const ast::ExprPtr& tie : decl.ties) {
    const ExprInfo& key = check(*tie);
    if (!key.failed && (key.type.optional || key.type.kind == TypeKind::Bool || key.quotient)) {
      error("E0971", tie->loc, fmt::format("a tie key must always have a value, and not be a condition; this one {}",
                                           key.type.optional ? "may be missing" : "is " + kindWords(key.type)));
    }
  }
  std::vector<const ast::Expr*> parts{decl.amount.get()};
  for (const ast::ExprPtr& key : decl.tiers) parts.push_back(key.get());
  for (const ast::Expr* part : parts) {
    if (mentionsSymbol(out_, *part, SymbolKind::Share)) {
      error("E0975", part->loc, "a distribution reads the records' fields, not the shares of another distribution");
    }
  }
}

// The distributions inside ledgers whose place comes before let `lets_checked` (all of them once every
// let is checked): the lets written before one are known, the ones after it may read its share.
void Checker::checkLedgerDistributes(size_t lets_checked) {
  ledger_distribute_checked_.resize(ast_.distributes.size(), false);
  for (uint32_t index = 0; index < ast_.distributes.size(); ++index) {
    const ast::DistributeDecl& decl = ast_.distributes[index];
    if (decl.block < 0 || ledger_distribute_checked_[index] || decl.lets_before > lets_checked) continue;
    ledger_distribute_checked_[index] = true;
    if (out_.group.distributes[index].ledger >= 0) checkLedgerDistribute(index);
  }
}

// `distribute POOL over X ... into S rest R` inside `ledger X`: at every step of the fold, the pool (a
// value of the step, in the fold's names) is shared over the group's records of X by their amounts,
// tiers and ties (in the ledger's names: X's fields, the ledger's states before the step, its lets
// written before the distribution). S is each record's share of this step, readable in the ledger's
// later lets and its rules; R is the step's rest, readable in the fold's own lets, rules and outputs.
// One distribution per ledger.
void Checker::checkLedgerDistribute(uint32_t index) {
  const ast::DistributeDecl& decl = ast_.distributes[index];
  DistributeInfo& info = out_.group.distributes[index];
  const BlockInfo& ledger = out_.group.blocks[static_cast<size_t>(decl.block)];
  if (info.input != ledger.input) {
    error("E0982", decl.input_loc,
          fmt::format("a distribution in `ledger {}` shares over the ledger's records, not `{}`", ast_.inputs[ledger.input].name, decl.input),
          fmt::format("write `over {}`, or move it into a `ledger {}` block", ast_.inputs[ledger.input].name, decl.input));
    return;
  }
  for (uint32_t other = 0; other < index; ++other) {
    if (ast_.distributes[other].block == decl.block) {
      error("E0982", decl.loc, fmt::format("this ledger already has a distribution at line {}; a ledger has one", ast_.distributes[other].loc.line));
      return;
    }
  }
  declareBlockValue(decl.block, decl.share, SymbolKind::Share, index, decl.share_loc);
  if (!decl.rest.empty()) declareBlockValue(ledger.parent, decl.rest, SymbolKind::Rest, index, decl.rest_loc);
  inScope(decl.block, [&] { checkShareParts(decl, info); });
  info.type.optional = false;
  if (!info.valid) return;
  step_pool_ = true;
  pool_distribution_ = static_cast<int>(index);
  inScope(ledger.parent, [&] {
    const ExprInfo& pool = check(*decl.pool, &info.type);
    if (!pool.failed) checkAssignable(*decl.pool, info.type, "the pool");
  });
  pool_distribution_ = -1;
  step_pool_ = false;
}

// The distribution of the ledger being checked whose share is `name`, when it is written after the let
// being checked (its share is not known there yet), else null.
const ast::DistributeDecl* Checker::laterLedgerShare(const std::string& name) const {
  if (!in_ledger_) return nullptr;
  for (const ast::DistributeDecl& decl : ast_.distributes) {
    if (decl.block == current_block_ && decl.share == name && current_let_ != UINT32_MAX && current_let_ < decl.lets_before) return &decl;
  }
  return nullptr;
}

// The rest of a distribution in a ledger is a value of the step once the ledger has shared it, and so
// is an aggregate of the ledger's states after the step: the fold's own lets, rules and outputs read
// them; the ledger, the step's aggregates and the pool (all computed before the ledger) do not (E0982).
bool Checker::checkStepRestRead(const ast::Expr& expr, const Declared& declared) {
  const bool rest = declared.kind == SymbolKind::Rest && out_.group.distributes[declared.index].ledger >= 0;
  const bool let = declared.kind == SymbolKind::Let && declared.index < out_.group.let_reads_step_rest.size() &&
                   out_.group.let_reads_step_rest[declared.index];
  if (!rest && !let) return true;
  if (!in_ledger_ && !step_pool_ && item_scope_ < 0) return true;
  std::string what = rest ? fmt::format("`{}` is the rest of the step's distribution", expr.text)
                          : fmt::format("`{}` reads the rest of the step's distribution or the ledger's states after the step", expr.text);
  error("E0982", expr.loc, what + ", known once the ledger has run",
        "read it in the fold's own lets, rules and outputs; the ledger, the pool and the step's aggregates come before it");
  return false;
}

// The pool: a group value of the amounts' type that does not depend on any distribution's result.
void Checker::checkDistributePools() {
  std::vector<int> let_memo(ast_.lets.size(), -1);
  out_.group.let_reads_distribution.assign(ast_.lets.size(), false);
  out_.group.let_reads_late = let_late_;
  out_.group.let_reads_late.resize(ast_.lets.size(), false);
  for (size_t let = 0; let < ast_.lets.size(); ++let) {
    if (ast_.lets[let].block < 0 && !let_failed_[let]) {
      out_.group.let_reads_distribution[let] = readsDistribution(*ast_.lets[let].value, let_memo);
    }
  }
  for (size_t index = 0; index < ast_.distributes.size(); ++index) {
    const ast::DistributeDecl& decl = ast_.distributes[index];
    const ir::Type& type = out_.group.distributes[index].type;
    if (!out_.group.distributes[index].valid || decl.block >= 0) continue;  // the amount's error says enough; a ledger's: its own
    const ExprInfo& pool = check(*decl.pool, &type);
    if (pool.failed) continue;
    if (!checkAssignable(*decl.pool, type, "the pool")) continue;
    if (readsDistribution(*decl.pool, let_memo)) {
      error("E0972", decl.pool->loc, "the pool depends on the result of a distribution",
            "compute the pool from the records and the group's own values");
    }
  }
}

// True when `expr` reads a rest or an aggregate over shares, directly or through group lets.
bool Checker::readsDistribution(const ast::Expr& expr, std::vector<int>& let_memo) const {
  auto aggregate = out_.group.aggregate_of.find(expr.id);
  if (aggregate != out_.group.aggregate_of.end()) {
    const AggregateInfo& info = out_.group.aggregates[aggregate->second];
    return info.share >= 0 || info.late;
  }
  if (expr.kind == ast::ExprKind::Name) {
    const Symbol& symbol = out_.symbol(expr);
    if (symbol.kind == SymbolKind::Rest) return true;
    if (symbol.kind == SymbolKind::Let) {
      int& memo = let_memo[symbol.index];
      if (memo < 0) memo = readsDistribution(*ast_.lets[symbol.index].value, let_memo) ? 1 : 0;
      return memo == 1;
    }
  }
  for (const ast::ExprPtr& arg : expr.args) {
    if (arg && readsDistribution(*arg, let_memo)) return true;
  }
  return false;
}

// A share is aggregated as a whole (`sum(payout over Claim where tier == unsecured)`): the runtime
// fills that column after the distribution, so it cannot be part of a larger item expression.
bool Checker::checkAggregateShare(const AggregateInfo& aggregate) {
  if (aggregate.late) return true;  // evaluated after the distributions, with the shares beside the fields
  if (aggregate.value && aggregate.value->kind == ast::ExprKind::Name && out_.symbol(*aggregate.value).kind == SymbolKind::Ledger) {
    out_.group.aggregates.back().ledger = static_cast<int>(out_.symbol(*aggregate.value).index);  // the state's column, as is
    return true;
  }
  if (aggregate.value && aggregate.value->kind == ast::ExprKind::Name && out_.symbol(*aggregate.value).kind == SymbolKind::Share) {
    out_.group.aggregates.back().share = static_cast<int>(out_.symbol(*aggregate.value).index);
    return true;
  }
  const ast::Expr* blamed = nullptr;
  if (aggregate.value && mentionsSymbol(out_, *aggregate.value, SymbolKind::Share)) blamed = aggregate.value;
  if (aggregate.filter && mentionsSymbol(out_, *aggregate.filter, SymbolKind::Share)) blamed = aggregate.filter;
  if (blamed == nullptr) return true;
  error("E0975", blamed->loc, "a distribution's share is aggregated on its own, as in `sum(payout over Claim where c)`",
        "the filter and other values read the records' fields; compute more in an `each` block");
  return false;
}

// An aggregate whose value or filter reads a group value or a share ("the purchases since the last
// cart": `exists(Event where kind == purchase and at > last_cart)`) is late: it is evaluated after
// the folds, the distributions and every aggregate that is not late, with the group's columns beside
// each record. It may read group lets that do not themselves read a late aggregate (E0978): one level.
bool Checker::checkLateAggregate(AggregateInfo& aggregate) {
  auto readsGroup = [&](const ast::Expr& expr) {
    return mentionsIf(out_, expr, [&](const Symbol& symbol) {
      if (symbol.kind == SymbolKind::Let || symbol.kind == SymbolKind::State || symbol.kind == SymbolKind::Rest) return true;
      if (symbol.kind == SymbolKind::Field) return out_.fields[symbol.index].input != aggregate.input;
      return false;
    });
  };
  // A share or a ledger's final state aggregated as it is reads the item program's column; inside an
  // expression or a filter, it is read beside the fields after the folds and distributions.
  auto carried = [&](const Symbol& symbol) { return symbol.kind == SymbolKind::Share || symbol.kind == SymbolKind::Ledger; };
  bool pure = aggregate.value && aggregate.value->kind == ast::ExprKind::Name && carried(out_.symbol(*aggregate.value));
  bool shares = (aggregate.value && !pure && mentionsIf(out_, *aggregate.value, carried)) ||
                (aggregate.filter && mentionsIf(out_, *aggregate.filter, carried));
  aggregate.late = shares || (aggregate.value && readsGroup(*aggregate.value)) || (aggregate.filter && readsGroup(*aggregate.filter));
  if (!aggregate.late) return true;
  for (const ast::Expr* part : {aggregate.value, aggregate.filter}) {
    if (part != nullptr && readsLate(*part)) {
      error("E0978", part->loc,
            "this aggregate reads a group value that itself depends on an aggregate of group values; one level is supported",
            "compute the inner value with a fold, or from the records' fields");
      return false;
    }
  }
  return true;
}

// True when let `index` reads a late aggregate, directly or through an earlier let.
bool Checker::letReadsLate(size_t index) const {
  std::function<bool(const ast::Expr&)> walk = [&](const ast::Expr& expr) {
    auto aggregate = out_.group.aggregate_of.find(expr.id);
    if (aggregate != out_.group.aggregate_of.end()) return out_.group.aggregates[aggregate->second].late;
    if (expr.kind == ast::ExprKind::Name && out_.symbol(expr).kind == SymbolKind::Let) {
      uint32_t let = out_.symbol(expr).index;
      return let < let_late_.size() && let_late_[let];
    }
    for (const ast::ExprPtr& arg : expr.args) {
      if (arg && walk(*arg)) return true;
    }
    return false;
  };
  return walk(*ast_.lets[index].value);
}

// True when `expr` reads a let that reads a late aggregate (let_late_ is filled let by let).
bool Checker::readsLate(const ast::Expr& expr) const {
  return mentionsIf(out_, expr, [&](const Symbol& symbol) {
    return symbol.kind == SymbolKind::Let && symbol.index < let_late_.size() && let_late_[symbol.index];
  });
}

}  // namespace regelwerk::sema
