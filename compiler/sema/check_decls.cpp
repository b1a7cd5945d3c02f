// Declarations: settings, the input's fields, params, lets and outputs, with their declared types,
// formats and defaults. Every value stored in a declared type goes through checkAssignable.
#include <algorithm>
#include <fmt/format.h>

#include "checker.hpp"
#include "compiler/support/time_zone.hpp"
#include "literals.hpp"
#include "round_modes.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

static bool isCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char ch : code) {
    if (ch < 'A' || ch > 'Z') return false;
  }
  return true;
}

void Checker::checkSettings() {
  std::map<std::string, Location> seen;
  for (const ast::Setting& setting : ast_.settings) {
    auto [first, inserted] = seen.emplace(setting.key, setting.loc);
    if (!inserted) {
      error("E0508", setting.loc, fmt::format("`{}` is already set at line {}", setting.key, first->second.line),
            "keep one");
      continue;
    }
    if (setting.key == "currency") {
      if (!isCurrencyCode(setting.value)) {
        error("E0505", setting.value_loc, fmt::format("`{}` is not a currency code", setting.value),
              "write three capital letters, such as EUR");
        continue;
      }
      out_.currency = setting.value;
    } else if (setting.key == "rounding") {
      auto mode = roundModeNamed(setting.value);
      if (!mode) {
        error("E0506", setting.value_loc,
              fmt::format("unknown rounding mode `{}`; the modes are {}", setting.value, roundModeList()),
              closestRoundMode(setting.value));
        continue;
      }
      out_.rounding = *mode;
    } else {
      error("E0507", setting.loc, fmt::format("unknown setting `{}`; the settings are currency and rounding", setting.key));
    }
  }
}

// The logical type of a written type. Plain `decimal` is decimal(2), `money` has 2 places in the rule
// set's currency, `percent` holds 4 places of percent (fraction scale 6).
ir::Type Checker::resolveType(const ast::TypeRef& ref) {
  ir::Type type = ir::Type::of(static_cast<TypeKind>(ref.kind));
  type.optional = ref.optional;
  if (ref.kind == ast::TypeKind::Decimal) {
    auto scale = ref.scale_text ? parseInt(*ref.scale_text) : std::optional<int64_t>(2);
    if (!scale || *scale > ir::kMaxScale) {
      error("E0503", ref.loc, fmt::format("decimal({}) has too many places; a decimal has at most 18", *ref.scale_text),
            "write decimal(18) or fewer");
      scale = ir::kMaxScale;
    }
    type.scale = static_cast<int>(*scale);
  }
  if (ref.kind == ast::TypeKind::Money) {
    type.scale = 2;
    type.currency = out_.currency;
  }
  if (ref.kind == ast::TypeKind::Percent) type.scale = 6;
  for (size_t member = 0; member < ref.members.size(); ++member) {
    const std::string& name = ref.members[member];
    bool repeated = std::find(type.members.begin(), type.members.end(), name) != type.members.end();
    if (repeated) {
      Location loc = member < ref.member_locs.size() ? ref.member_locs[member] : ref.loc;
      error("E0211", loc, fmt::format("`{}` is listed twice in this enum", name));
      continue;
    }
    type.members.push_back(name);
  }
  return type;
}

// The formats a type may declare (docs/language.md, Input): money "cents"; dates "YYYY-MM-DD",
// "M/D/YYYY", "D.M.YYYY"; bools "TRUE/FALSE" texts such as "Yes/No"; ints and days "whole.0".
static std::string formatProblem(const std::string& format, const ir::Type& type) {
  switch (type.kind) {
    case TypeKind::Money: return format == "cents" ? "" : "the format of money is \"cents\"";
    case TypeKind::Date:
      return format == "YYYY-MM-DD" || format == "M/D/YYYY" || format == "D.M.YYYY"
                 ? ""
                 : "the formats of a date are \"YYYY-MM-DD\", \"M/D/YYYY\" and \"D.M.YYYY\"";
    case TypeKind::Bool: {
      size_t slash = format.find('/');
      bool ok = slash != std::string::npos && slash > 0 && slash + 1 < format.size() &&
                format.find('/', slash + 1) == std::string::npos &&
                format.substr(0, slash) != format.substr(slash + 1);
      return ok ? "" : "the format of a bool is the text of true, `/`, the text of false, such as \"Yes/No\"";
    }
    case TypeKind::Int:
    case TypeKind::Days: return format == "whole.0" ? "" : "the format of a whole number is \"whole.0\"";
    case TypeKind::Timestamp: {
      constexpr std::string_view kLocal = "local ";  // "local Europe/London": wall-clock time in that zone
      std::string_view zone = std::string_view(format).substr(0, kLocal.size()) == kLocal ? std::string_view(format).substr(kLocal.size()) : "";
      if (!zone.empty() && tz::findZone(zone)) return "";
      if (!zone.empty()) return fmt::format("`{}` is no time zone known here (IANA names such as Europe/London, UTC)", zone);
      return "the format of a timestamp is \"local ZONE\", for cells written without an offset in that zone's "
             "wall-clock time: \"local Europe/London\"";
    }
    default: return fmt::format("{} has no formats", kindWords(type));
  }
}

void Checker::checkFormat(const std::optional<std::string>& format, Location loc, const ir::Type& type,
                          std::string_view what) {
  if (!format) return;
  bool output = what.substr(0, 7) == "output ";  // outputs are written plainly, or money in cents
  std::string problem = formatProblem(*format, type);
  if (output && problem.empty() && type.kind != TypeKind::Money) problem = "an output's only format is \"cents\" for money";
  if (problem.empty()) return;
  error("E0510", loc, fmt::format("format \"{}\" does not fit {}, which is {}", *format, what, kindWords(type)), problem);
}

void Checker::checkInput() {
  if (groupedInputs()) return checkGroupedInputs();
  for (const ast::InputDecl& input : ast_.inputs) {
    if (!input.keyless()) continue;
    error("E0957", input.key_loc,
          fmt::format("`{}` is {}, but no input declares a key to group by", input.name,
                      input.shared ? "shared by every group" : "derived per group"),
          fmt::format("declare the grouped inputs with a key (`input Contact key contact_id`); a rule set over one input reads no "
                      "{} input", input.shared ? "shared" : "derived"));
  }
  if (ast_.inputs.size() > 1) {
    error("E0213", ast_.inputs[1].loc,
          fmt::format("a rule set has one `input` for now; `{}` is already declared at line {}", ast_.inputs[0].name,
                      ast_.inputs[0].loc.line),
          fmt::format("move these fields into `{}`", ast_.inputs[0].name));
  }
  // Fields of a second input are declared too, so its error does not turn every use of them into an
  // unknown name; the program is not lowered anyway.
  for (const ast::InputDecl& input : ast_.inputs) {
    checkFields(input);
    if (char separator = checkSeparator(input)) out_.separator = separator;
  }
}

// `input X separator ";"`: the character its records are split at (0 when not declared, or wrong: E0511).
char Checker::checkSeparator(const ast::InputDecl& input) {
  if (!input.separator) return 0;
  const std::string& separator = *input.separator;
  bool ok = separator == "tab" || (separator.size() == 1 && separator != "\"" && separator != "\n" && separator != "\r");
  if (!ok) {
    error("E0511", input.separator_loc, fmt::format("the separator is one character, not \"{}\"", separator),
          "write separator \";\" (or \"tab\")");
    return 0;
  }
  return separator == "tab" ? '\t' : separator[0];
}

void Checker::checkFields(const ast::InputDecl& input) {
  for (const ast::Field& field : input.fields) {
    FieldInfo info{field.name, field.loc, resolveType(field.type), field.column.value_or(field.name),
                   field.format.value_or(""), 0};
    checkFormat(field.format, field.format_loc, info.type, "`" + field.name + "`");
    declareValue(field.name, SymbolKind::Field, static_cast<uint32_t>(out_.fields.size()), field.loc);
    out_.fields.push_back(std::move(info));
  }
}

// Why `value` cannot be stored in a let, param or output of type `target`, if it cannot: a quotient
// needs round, a value that may be missing needs `??`, another kind is a mismatch, and more places
// than the target has need round: `fee = open * 1.5%` ("`fee` is money with 2 places but this value
// has 5"; hint "write `round(x, 2)`").
bool Checker::checkAssignable(const ast::Expr& value, const ir::Type& target, std::string_view target_name) {
  if (value.kind == ast::ExprKind::Missing) return reportMissingStored(value, target, target_name);
  if (!plainValue(value, false, target.optional)) return false;
  const ir::Type& type = info(value).type;
  auto common = commonType(target.required(), type.required());
  bool widening = (type.kind == TypeKind::Int && target.kind == TypeKind::Decimal) ||
                  (type.kind == TypeKind::Days && target.kind == TypeKind::Duration);
  if (!common || (common->kind != target.kind) || (type.kind != target.kind && !widening)) {
    error("E0314", value.loc, fmt::format("{} is {} but this value is {}", target_name, kindWords(target), kindWords(type)),
          literalHint(value, target));
    return false;
  }
  if (type.scale > target.scale) {
    std::string name = value.kind == ast::ExprKind::Name ? value.text : "x";
    error("E0306", value.loc,
          fmt::format("{} is {} with {} but this value has {}", target_name, kindWords(target), placesWords(target),
                      languagePlaces(type)),
          fmt::format("write `round({}, {})`", name, languagePlaces(target)));
    return false;
  }
  return true;
}

// A param default is a literal of the param's type (`14 days`, `-5`, `half` for an enum param): it
// is parsed once, before any record is read.
bool isLiteralShape(const ast::Expr& expr) {
  if (isLiteral(expr) || expr.kind == ast::ExprKind::Name) return true;
  return expr.kind == ast::ExprKind::Unary && expr.unary_op == ast::UnaryOp::Neg && isLiteral(*expr.args[0]);
}

void Checker::checkParams() {
  for (const ast::ParamDecl& param : ast_.params) {
    ir::Type type = resolveType(param.type);
    if (type.optional) {
      error("E0318", param.type.loc, fmt::format("param `{}` cannot be missing: a run always sets it", param.name),
            "remove the `?`");
      type.optional = false;
    }
    declareValue(param.name, SymbolKind::Param, static_cast<uint32_t>(out_.params.size()), param.loc);
    out_.params.push_back(ParamInfo{param.name, param.loc, type});
  }
  visible_lets_ = 0;
  for (size_t index = 0; index < ast_.params.size(); ++index) {
    const ast::ParamDecl& param = ast_.params[index];
    if (!param.default_value) continue;
    const ir::Type& type = out_.params[index].type;
    if (!isLiteralShape(*param.default_value)) {
      error("E0509", param.default_value->loc, "a param default must be a literal, such as `14 days`");
      continue;
    }
    literal_only_ = true;
    check(*param.default_value, &type);
    literal_only_ = false;
    if (checkAssignable(*param.default_value, type, "`" + param.name + "`")) checkLiteralFits(*param.default_value, type);
  }
}

// Lets are checked in order; while let N is checked only lets 0..N-1 are visible, so
// `let a = b` before `let b = ...` is reported at `b` (E0204).
void Checker::checkLets() {
  for (size_t index = 0; index < ast_.lets.size(); ++index) {
    const ast::LetDecl& let = ast_.lets[index];
    if (let.block >= 0) {
      declareBlockValue(let.block, let.name, SymbolKind::Let, static_cast<uint32_t>(index), let.loc);
    } else {
      declareValue(let.name, SymbolKind::Let, static_cast<uint32_t>(index), let.loc);
    }
    out_.lets.push_back(LetInfo{let.name, let.loc, {}});
  }
  let_failed_.assign(ast_.lets.size(), false);
  for (size_t index = 0; index < ast_.lets.size(); ++index) {
    visible_lets_ = static_cast<uint32_t>(index);
    current_let_ = UINT32_MAX;
    if (out_.group.grouped) checkLedgerDistributes(index);
    current_let_ = static_cast<uint32_t>(index);
    inScope(ast_.lets[index].block, [&] { checkLet(index); });
    let_late_.push_back(ast_.lets[index].block < 0 && !let_failed_[index] && letReadsLate(index));
    out_.group.let_reads_step_aggregate.push_back(ast_.lets[index].block >= 0 && readsStepAggregate(*ast_.lets[index].value));
    out_.group.let_reads_step_rest.push_back(ast_.lets[index].block >= 0 && readsStepRest(*ast_.lets[index].value));
    out_.group.let_reads_ledger_value.push_back(ast_.lets[index].block >= 0 && readsLedgerValue(*ast_.lets[index].value));
  }
  visible_lets_ = static_cast<uint32_t>(ast_.lets.size());
  current_let_ = UINT32_MAX;
  if (out_.group.grouped) checkLedgerDistributes(ast_.lets.size());
}

void Checker::checkLet(size_t index) {
  const ast::LetDecl& let = ast_.lets[index];
  if (let.reject) {  // `reject "reason" when c`: c is a condition; a missing c does not reject
    check(*let.value);
    let_failed_[index] = !checkCondition(*let.value, "`reject`");
    out_.lets[index].type = ir::Type::of(TypeKind::Bool);
    return;
  }
  if (let.type) {
    ir::Type declared = resolveType(*let.type);
    check(*let.value, &declared);
    let_failed_[index] = !checkAssignable(*let.value, declared, "`" + let.name + "`");
    out_.lets[index].type = declared;
    return;
  }
  const ExprInfo& value = check(*let.value);
  let_failed_[index] = !plainValue(*let.value, false, true);
  out_.lets[index].type = value.type;
}

// A let of an each or fold block is visible in that block only.
void Checker::declareBlockValue(int block, const std::string& name, SymbolKind kind, uint32_t index, Location loc) {
  auto [found, inserted] = block_values_[static_cast<size_t>(block)].emplace(name, Declared{kind, index, loc});
  if (inserted) return;
  error("E0202", loc, fmt::format("`{}` is already declared in this block at line {}", name, found->second.loc.line),
        "choose another name");
}

// Outputs of the group and of each block form one record each; a fold's states are its outputs.
void Checker::checkOutputs() {
  for (const ast::OutputDecl& output : ast_.outputs) {
    inScope(output.block, [&] { checkOutput(output); });
  }
}

void Checker::checkOutput(const ast::OutputDecl& output) {
  ir::Type type = resolveType(output.type);
  auto [first, inserted] = outputs_.emplace(output.name, static_cast<uint32_t>(out_.outputs.size()));
  if (!inserted && !output.state) {  // a state declared twice is reported once, as a name (E0202)
    error("E0203", output.loc,
          fmt::format("{} `{}` is already declared at {}", output.state ? "state" : "output", output.name,
                      placeOf(out_.outputs[first->second].loc, output.loc)),
          "choose another name");
  }
  checkFormat(output.format, output.format_loc, type, "output `" + output.name + "`");
  out_.outputs.push_back(OutputInfo{output.name, output.loc, type, output.format.value_or("")});
  if (!output.default_value) {
    error("E0407", output.loc, fmt::format("output `{}` has no default", output.name),
          fmt::format("every output needs one: write `output {}: {} = ...`", output.name, ir::typeName(type)));
    return;
  }
  const ir::Type& declared = out_.outputs.back().type;
  if (output.state && ast_.blocks[static_cast<size_t>(output.block)].ledger) return checkLedgerInitial(output, declared);
  literal_only_ = output.state;
  literal_what_ = "a state's initial value";
  check(*output.default_value, &declared);
  literal_only_ = false;
  literal_what_ = "a param default";
  if (checkAssignable(*output.default_value, declared, "`" + output.name + "`") && output.state) {
    checkLiteralFits(*output.default_value, declared);
  }
}

}  // namespace regelwerk::sema
