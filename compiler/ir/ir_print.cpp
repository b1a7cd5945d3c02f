// The IR printer behind --dump=ir: one declaration per line, expressions as S-expressions.
//
//   ruleset dunning (dunning.rules)
//   input 0 amount: money from "amount_cents" format "cents"
//   let 0 open: money = (sub.checked (input 0 amount) (input 1 paid))
//   decide 0 first
//     rule 0 reminder "Zahlungserinnerung"
//       when (ge (let 1 overdue) (param 1 wait))
//       then action = (const 1)
//   end
//   output 0 action: enum(none, reminder) = (const 0)
//
// `(round_div MODE P Q num den)` is round(num * 10^P / (den * 10^Q)); `(rescale.checked F x)` is x * F.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ir.hpp"

namespace regelwerk::ir {

// Exported for the verifier's messages; ".checked" marks the ops that raise Overflow.
std::string_view opName(Op op) {
  switch (op) {
    case Op::Const: return "const";
    case Op::Input: return "input";
    case Op::Param: return "param";
    case Op::Let: return "let";
    case Op::IsMissing: return "is_missing";
    case Op::Coalesce: return "coalesce";
    case Op::Add: return "add.checked";
    case Op::Sub: return "sub.checked";
    case Op::Mul: return "mul.checked";
    case Op::Neg: return "neg.checked";
    case Op::Abs: return "abs.checked";
    case Op::Rescale: return "rescale.checked";
    case Op::RoundDiv: return "round_div";
    case Op::Min: return "min";
    case Op::Max: return "max";
    case Op::Eq: return "eq";
    case Op::Ne: return "ne";
    case Op::Lt: return "lt";
    case Op::Le: return "le";
    case Op::Gt: return "gt";
    case Op::Ge: return "ge";
    case Op::StrEq: return "str_eq";
    case Op::StrNe: return "str_ne";
    case Op::Concat: return "concat.checked";
    case Op::Missing: return "missing";
    case Op::Text: return "text";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Not: return "not";
    case Op::If: return "if";
    case Op::CheckDate: return "check_date";
    case Op::CheckTimestamp: return "check_timestamp";
    case Op::Reject: return "reject";
    case Op::TimeCall: return "time_call";
    case Op::TableLookup: return "table_lookup";
    case Op::RangeSum: return "range_sum.checked";
    case Op::With: return "with";
    case Op::Local: return "local";
  }
  return "?";
}

namespace {

const char* roundModeName(RoundMode mode) {
  switch (mode) {
    case RoundMode::HalfUp: return "half_up";
    case RoundMode::HalfEven: return "half_even";
    case RoundMode::Down: return "down";
    case RoundMode::Up: return "up";
    case RoundMode::Floor: return "floor";
    case RoundMode::Ceiling: return "ceiling";
  }
  return "?";
}

// A string literal as the language writes it, with bytes outside printable ASCII as \xNN.
std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char byte : text) {
    auto code = static_cast<unsigned char>(byte);
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += byte;
    } else if (code < 0x20 || code == 0x7f) {
      out += fmt::format("\\x{:02x}", code);
    } else {
      out += byte;
    }
  }
  return out + "\"";
}

// The declared name a leaf reads, or "?" when the index is out of range (the verifier reports it).
template <class Declarations>
std::string_view nameAt(const Declarations& declarations, uint32_t index) {
  return index < declarations.size() ? std::string_view(declarations[index].name) : std::string_view("?");
}

class Printer {
 public:
  explicit Printer(const Program& program) : program_(program) {}
  std::string run();

 private:
  void expr(const Expr* node);
  void leaf(const Expr& node);
  void header();
  void decision(size_t block);
  void rule(const Rule& rule, size_t index, HitPolicy policy);
  void tables();
  std::string_view tableColumnName(uint32_t table, int64_t column) const {
    if (table >= program_.tables.size() || column < 0) return "?";
    return nameAt(program_.tables[table].columns, static_cast<uint32_t>(column));
  }

  const Program& program_;
  std::string out_;
};

std::string Printer::run() {
  header();
  for (size_t block = 0; block < program_.decisions.size(); ++block) decision(block);
  for (size_t index = 0; index < program_.outputs.size(); ++index) {
    const Output& output = program_.outputs[index];
    out_ += fmt::format("output {} {}: {} = ", index, output.name, typeName(output.type));
    expr(output.default_value.get());
    if (!output.format.empty()) out_ += " format " + quote(output.format);
    out_ += '\n';
  }
  return std::move(out_);
}

// The ruleset line, inputs, params and lets.
void Printer::header() {
  out_ += fmt::format("ruleset {} ({})\n", program_.name, program_.source_path);
  tables();
  for (size_t index = 0; index < program_.inputs.size(); ++index) {
    const InputColumn& input = program_.inputs[index];
    out_ += fmt::format("input {} {}: {}", index, input.name, typeName(input.type));
    if (input.header != input.name) out_ += " from " + quote(input.header);
    if (!input.format.empty()) out_ += " format " + quote(input.format);
    out_ += '\n';
  }
  for (size_t index = 0; index < program_.params.size(); ++index) {
    const Param& param = program_.params[index];
    out_ += fmt::format("param {} {}: {}", index, param.name, typeName(param.type));
    if (param.has_default) {
      out_ += " = " + (param.type.isString() ? quote(param.default_str) : std::to_string(param.default_i64));
    }
    out_ += '\n';
  }
  for (size_t index = 0; index < program_.lets.size(); ++index) {
    const Let& let = program_.lets[index];
    out_ += fmt::format("let {} {}: {} = ", index, let.name, typeName(let.type));
    expr(let.value.get());
    out_ += '\n';
  }
}

// `table 0 fees key level: int rows 2 [fee: money]`: the shape, not the rows.
void Printer::tables() {
  for (size_t index = 0; index < program_.tables.size(); ++index) {
    const Table& table = program_.tables[index];
    out_ += fmt::format("table {} {} key {}{} rows {}", index, table.name, typeName(table.key_type),
                        table.range ? " range" : "", table.keys.size());
    for (const TableColumn& column : table.columns) out_ += fmt::format(" [{}: {}]", column.name, typeName(column.type));
    out_ += '\n';
  }
}

void Printer::decision(size_t block) {
  const Decision& decision = program_.decisions[block];
  out_ += fmt::format("decide {} {}\n", block, hitPolicyName(decision.policy));
  for (size_t index = 0; index < decision.rules.size(); ++index) rule(decision.rules[index], index, decision.policy);
  out_ += "end\n";
}

// `defeated_by 1 2` lists, in exceptions blocks, the rules that override this one (transitively).
void Printer::rule(const Rule& rule, size_t index, HitPolicy policy) {
  out_ += fmt::format("  rule {} {}", index, rule.name);
  if (!rule.label.empty()) out_ += " " + quote(rule.label);
  if (policy == HitPolicy::Exceptions && rule.defeated_by != 0) {
    out_ += " defeated_by";
    for (size_t other = 0; other < 64; ++other) {
      if ((rule.defeated_by >> other & 1) != 0) out_ += " " + std::to_string(other);
    }
  }
  out_ += '\n';
  if (rule.condition) {
    out_ += "    when ";
    expr(rule.condition.get());
    out_ += '\n';
  }
  for (const Assignment& assignment : rule.assignments) {
    out_ += fmt::format("    then {} = ", nameAt(program_.outputs, assignment.output));
    expr(assignment.value.get());
    out_ += '\n';
  }
}

void Printer::leaf(const Expr& node) {
  switch (node.op) {
    case Op::Input: out_ += fmt::format(" {} {}", node.index, nameAt(program_.inputs, node.index)); return;
    case Op::Param: out_ += fmt::format(" {} {}", node.index, nameAt(program_.params, node.index)); return;
    case Op::Let: out_ += fmt::format(" {} {}", node.index, nameAt(program_.lets, node.index)); return;
    default: break;
  }
  if (node.kind == Kind::Str) {
    out_ += " " + quote(node.str);
  } else if (node.kind == Kind::Bool) {
    out_ += node.imm != 0 ? " true" : " false";
  } else {
    out_ += " " + std::to_string(node.imm);
  }
}

// `(op immediates... operands...)`; a null node prints as `<null>` so broken IR can still be dumped.
void Printer::expr(const Expr* node) {
  if (!node) {
    out_ += "<null>";
    return;
  }
  out_ += "(";
  out_ += opName(node->op);
  if (node->op == Op::Const || node->op == Op::Input || node->op == Op::Param || node->op == Op::Let) leaf(*node);
  if (node->op == Op::Rescale) out_ += " " + std::to_string(node->imm);
  if (node->op == Op::Text) out_ += node->imm2 == 1 ? std::string(" date") : " " + std::to_string(node->imm);
  if (node->op == Op::RoundDiv) out_ += fmt::format(" {} {} {}", roundModeName(node->mode), node->imm, node->imm2);
  if (node->op == Op::With || node->op == Op::Local) out_ += " " + std::to_string(node->index);
  if (node->op == Op::TimeCall && node->imm >= 0 && node->imm < kTimeFnCount) {
    out_ += std::string(" ") + timeFnInfo(static_cast<TimeFn>(node->imm)).kernel;
  }
  if (node->op == Op::TableLookup || node->op == Op::RangeSum) {
    out_ += fmt::format(" {}.{}", nameAt(program_.tables, node->index), tableColumnName(node->index, node->imm));
  }
  if (node->op == Op::RangeSum && node->imm2 == kActAct) out_ += " act/act";
  for (const ExprPtr& arg : node->args) {
    out_ += ' ';
    expr(arg.get());
  }
  out_ += ")";
}

}  // namespace

namespace {

const char* aggregateName(AggregateFn fn) {
  static const char* const kNames[] = {"sum", "count", "min", "max", "first", "last", "exists", "all", "any"};
  return kNames[static_cast<size_t>(fn)];
}

// Every line of `body` indented by two spaces.
std::string indented(const std::string& body) {
  std::string out;
  for (size_t start = 0; start < body.size();) {
    size_t end = body.find('\n', start);
    out += "  " + body.substr(start, end - start + 1);
    start = end == std::string::npos ? body.size() : end + 1;
  }
  return out;
}

// `grouping key estate_id: int, one input Estate` with the aggregates and each stage program, indented.
std::string printGrouping(const Grouping& grouping) {
  std::string out = fmt::format("grouping key {}: {}, one input {} ({} columns, key column {})\n", grouping.key,
                                typeName(grouping.key_type), grouping.one_input.empty() ? "none" : grouping.one_input,
                                grouping.one_columns, grouping.key_column);
  for (size_t index = 0; index < grouping.aggregates.size(); ++index) {
    const Aggregate& aggregate = grouping.aggregates[index];
    out += fmt::format("aggregate {}: {} over {} value output {} where output {}{}: {}\n", index,
                       aggregateName(aggregate.fn), grouping.items[aggregate.item].input, aggregate.value_output,
                       aggregate.where_output, aggregate.late >= 0 ? " of late stage " + std::to_string(aggregate.late) : "",
                       typeName(aggregate.type));
  }
  for (const ItemStage& stage : grouping.items) {
    std::string derived;
    for (const ItemStage::Writer& writer : stage.writers) {
      derived += fmt::format("{}fold {}{}", derived.empty() ? " (derived from " : ", ", writer.fold,
                             writer.ledger < 0 ? "" : " ledger " + std::to_string(writer.ledger));
    }
    if (!derived.empty()) derived += ")";
    out += fmt::format("item stage {}{}{} order by columns [{}]\n", stage.input, stage.shared ? " (shared)" : "", derived,
                       fmt::join(stage.order, ", "));
    out += indented(print(*stage.program));
  }
  for (const FoldStage& fold : grouping.folds) {
    std::string over = fold.range ? "a range" : grouping.items[fold.item].input;
    out += fmt::format("fold over {} where output {}, states from column {}{}{}\n", over, fold.where_output, fold.state_column,
                       fold.record.empty() ? "" : ", rows to record " + fold.record,
                       fold.row_when_output < 0 ? "" : " when output " + std::to_string(fold.row_when_output));
    if (fold.range) out += "range bounds\n" + indented(print(*fold.range));
    out += indented(print(*fold.program));
    auto printAggregate = [&](const char* what, const StepAggregate& aggregate) {
      out += fmt::format("{}: {} over {} value output {} where output {}{}{}: {}\n", what, aggregateName(aggregate.fn),
                         grouping.items[aggregate.item].input, aggregate.value_output, aggregate.where_output,
                         aggregate.ledger < 0 ? "" : ", after ledger " + std::to_string(aggregate.ledger),
                         aggregate.carried.empty() ? "" : fmt::format(", carrying item outputs [{}]", fmt::join(aggregate.carried, ", ")),
                         typeName(aggregate.type));
      out += indented(print(*aggregate.program));
    };
    for (const StepAggregate& aggregate : fold.aggregates) printAggregate("step aggregate", aggregate);
    for (const Ledger& ledger : fold.ledgers) {
      out += fmt::format("ledger over {} states in item outputs [{}]{}{}\n", grouping.items[ledger.item].input,
                         fmt::join(ledger.state_outputs, ", "), ledger.record.empty() ? "" : ", rows to record " + ledger.record,
                         ledger.row_when_output < 0 ? "" : " when output " + std::to_string(ledger.row_when_output));
      out += indented(print(*ledger.program));
      for (const StepAggregate& aggregate : ledger.aggregates) printAggregate("ledger aggregate", aggregate);
      if (!ledger.shares) continue;
      out += fmt::format("ledger distribution: shares ({} tier keys, {} kernel outputs, lets for the ledger in outputs [{}])\n", ledger.tiers,
                         ledger.share_outputs, fmt::join(ledger.let_outputs, ", ")) +
             indented(print(*ledger.shares));
      for (const StepAggregate& aggregate : ledger.pool_aggregates) {
        out += fmt::format("ledger distribution: pool aggregate {} over {} value output {} where output {}: {}\n", aggregateName(aggregate.fn),
                           grouping.items[aggregate.item].input, aggregate.value_output, aggregate.where_output, typeName(aggregate.type));
      }
      out += "ledger distribution: pool\n" + indented(print(*ledger.pools));
    }
  }
  for (const Distribution& distribution : grouping.distributions) {
    out += fmt::format("distribute pool output {} over {} amount output {} tier outputs [{}] tie outputs [{}] share "
                       "output {} rest column {}\n",
                       distribution.pool_output, grouping.items[distribution.item].input, distribution.amount_output,
                       fmt::join(distribution.tier_outputs, ", "), fmt::join(distribution.tie_outputs, ", "),
                       distribution.share_output, distribution.rest_column);
  }
  if (grouping.pools) out += "pools\n" + indented(print(*grouping.pools));
  for (const LateStage& late : grouping.lates) {
    out += fmt::format("late aggregates over {}\n", grouping.items[late.item].input);
    out += indented(print(*late.program));
  }
  for (const EachStage& each : grouping.eaches) {
    out += fmt::format("each {} as {}\n", grouping.items[each.item].input, each.record);
    out += indented(print(*each.program));
  }
  return out;
}

}  // namespace

std::string print(const Program& program) {
  std::string out = Printer(program).run();
  if (program.grouping) out += printGrouping(*program.grouping);
  return out;
}

}  // namespace regelwerk::ir
