// Functions (`function f(p: T): T = expr`), their calls with positional and named arguments, the
// accrual builtin, and the input fields a used module requires from the rule set that uses it.
#include <algorithm>

#include <fmt/format.h>

#include "checker.hpp"

namespace regelwerk::sema {

using ir::TypeKind;


// A body sees only its parameters (functions are pure) and is checked once, before any call; a
// function sees the functions declared before it, so there is no recursion.
void Checker::checkFunctions() {
  out_.functions.reserve(ast_.functions.size());
  for (size_t index = 0; index < ast_.functions.size(); ++index) {
    const ast::FunctionDecl& decl = ast_.functions[index];
    declareCallable(decl.name, decl.loc);
    FunctionInfo function{decl.name, decl.loc, {}, {}, resolveType(decl.result), false};
    for (const ast::FunctionParam& param : decl.params) {
      for (const std::string& earlier : function.param_names) {
        if (earlier == param.name) error("E0802", param.loc, fmt::format("parameter `{}` is listed twice", param.name));
      }
      function.param_names.push_back(param.name);
      function.param_types.push_back(resolveType(param.type));
    }
    out_.functions.push_back(std::move(function));
    function_ = &out_.functions.back();
    check(*decl.body, &function_->result);
    bool ok = !info(*decl.body).failed && checkAssignable(*decl.body, function_->result, "the result of `" + decl.name + "`");
    function_ = nullptr;
    out_.functions.back().failed = !ok;
    functions_.emplace(decl.name, static_cast<uint32_t>(index));
  }
}

// Inside a body: a parameter, or (when an enum is expected) a member; nothing else is visible.
ExprInfo Checker::checkLocalName(const ast::Expr& expr, const ir::Type* hint, bool* handled) {
  *handled = true;
  for (size_t param = 0; param < function_->param_names.size(); ++param) {
    if (function_->param_names[param] != expr.text) continue;
    out_.symbols[expr.id] = Symbol{SymbolKind::Local, static_cast<uint32_t>(param), 0};
    return typed(function_->param_types[param]);
  }
  std::string params;
  for (const std::string& name : function_->param_names) params += (params.empty() ? "`" : ", `") + name + "`";
  error("E0801", expr.loc,
        fmt::format("function `{}` can use only its parameters; `{}` is not one of them", function_->name, expr.text),
        params.empty() ? "add it as a parameter" : fmt::format("its parameters are {}; add `{}` to them", params, expr.text));
  return failedInfo();
}

// Positional arguments fill the parameters in order; `name: value` fills the one named. Returns, per
// parameter, the index of its argument (-1 when an optional trailing parameter is not given).
std::optional<std::vector<int>> Checker::bindArguments(const ast::Expr& call, const std::vector<std::string>& params,
                                                       size_t required) {
  std::vector<int> bound(params.size(), -1);
  size_t next = 0;
  bool named_seen = false;
  for (size_t arg = 0; arg < call.args.size(); ++arg) {
    const std::string& name = call.arg_names[arg];
    size_t slot = next;
    if (name.empty()) {
      if (named_seen) return error("E0803", call.args[arg]->loc, "write named arguments after the others"), std::nullopt;
      ++next;
    } else {
      named_seen = true;
      slot = std::find(params.begin(), params.end(), name) - params.begin();
    }
    if (slot >= params.size()) {
      std::string list;
      for (const std::string& param : params) list += (list.empty() ? "`" : ", `") + param + "`";
      error("E0803", call.args[arg]->loc,
            name.empty() ? fmt::format("`{}` takes {} arguments, not {}", call.text, params.size(), call.args.size())
                         : fmt::format("`{}` has no parameter `{}`", call.text, name),
            "its parameters are " + list);
      return std::nullopt;
    }
    if (bound[slot] >= 0) {
      error("E0803", call.args[arg]->loc, fmt::format("`{}` is given twice", params[slot]));
      return std::nullopt;
    }
    bound[slot] = static_cast<int>(arg);
  }
  for (size_t param = 0; param < required; ++param) {
    if (bound[param] >= 0) continue;
    error("E0312", call.loc, fmt::format("`{}` needs `{}`", call.text, params[param]),
          fmt::format("write {}: value", params[param]));
    return std::nullopt;
  }
  out_.call_args[call.id] = bound;
  return bound;
}

// Every argument is checked against its parameter's type like a value stored in a let of that type.
ExprInfo Checker::checkFunctionCall(const ast::Expr& expr, uint32_t index) {
  const FunctionInfo& function = out_.functions[index];
  auto bound = bindArguments(expr, function.param_names, function.param_names.size());
  if (!bound) return failedInfo();
  bool ok = true;
  for (size_t param = 0; param < bound->size(); ++param) {
    const ast::Expr& arg = *expr.args[static_cast<size_t>((*bound)[param])];
    const ir::Type& type = function.param_types[param];
    check(arg, &type);
    ok = !info(arg).failed && checkAssignable(arg, type, "`" + function.param_names[param] + "`") && ok;
  }
  if (!ok || function.failed) return failedInfo();
  out_.symbols[expr.id] = Symbol{SymbolKind::Function, index, 0};
  return typed(function.result);
}

// The `rate:` of accrue: a range table with a date key and one percent or decimal column.
const TableInfo* Checker::rangeTableArg(const ast::Expr& arg, uint32_t* index) {
  auto found = arg.kind == ast::ExprKind::Name ? tables_.find(arg.text) : tables_.end();
  if (found == tables_.end()) {
    error("E0710", arg.loc, "the rate of `accrue` is a table name, such as `base_rate`",
          "declare `table NAME key valid_from: date range value rate: percent`");
    return nullptr;
  }
  const TableInfo& table = out_.tables[found->second];
  bool fits = table.range && table.key_type.kind == TypeKind::Date && table.columns.size() == 1 &&
              (table.columns[0].type.kind == TypeKind::Percent || table.columns[0].type.kind == TypeKind::Decimal);
  if (!fits && !table.failed) {
    error("E0710", arg.loc,
          fmt::format("`accrue` needs a range table keyed by date with one percent column; `{}` is not", table.name));
  }
  *index = found->second;
  return fits && !table.failed ? &table : nullptr;
}

// accrue(principal, from: d1, until: d2, rate: table, plus: p) is the exact quotient
// principal * Σ_{d1 <= d < d2} (rate(d) + p) / 365: round() rounds it once (Actual/365 Fixed). With
// `basis: "act/act"` each day's divisor is the length of its year, 365 or 366 (Act/Act ISDA).
ExprInfo Checker::checkAccrue(const ast::Expr& expr) {
  static const std::vector<std::string> kParams = {"principal", "from", "until", "rate", "plus", "basis"};
  auto bound = bindArguments(expr, kParams, 4);
  if (!bound) return failedInfo();
  auto arg = [&](size_t param) -> const ast::Expr* {
    int position = (*bound)[param];
    return position < 0 ? nullptr : expr.args[static_cast<size_t>(position)].get();
  };
  bool ok = true;
  for (size_t param : {0, 1, 2, 4, 5}) {
    if (!arg(param)) continue;
    check(*arg(param));
    ok = plainValue(*arg(param)) && ok;
  }
  uint32_t table_index = 0;
  const TableInfo* table = rangeTableArg(*arg(3), &table_index);
  if (!ok || !table) return failedInfo();
  const ir::Type& principal = info(*arg(0)).type;
  if (principal.kind != TypeKind::Money && principal.kind != TypeKind::Decimal && principal.kind != TypeKind::Int) {
    return reportNotNumber(*arg(0), "accrue"), failedInfo();
  }
  for (size_t param : {1, 2}) {
    if (info(*arg(param)).type.kind == TypeKind::Date) continue;
    error("E0710", arg(param)->loc, fmt::format("`{}` of accrue is a date, not {}", kParams[param],
                                                kindWords(info(*arg(param)).type)));
    return failedInfo();
  }
  const ir::Type& rate = table->columns[0].type;
  if (arg(4)) {
    const ir::Type& plus = info(*arg(4)).type;
    if (plus.kind != rate.kind || plus.scale > rate.scale) {
      error("E0710", arg(4)->loc, fmt::format("`plus` is added to the rate, which is {} with {}; this value is {}",
                                              kindWords(rate), placesWords(rate), kindWords(plus)));
      return failedInfo();
    }
  }
  int64_t basis = ir::kAct365Fixed;  // in Symbol::column
  if (const ast::Expr* named = arg(5)) {
    const bool known = named->kind == ast::ExprKind::StringLit && (named->text == "act/365f" || named->text == "act/act");
    if (!known) {
      error("E0710", named->loc, "the `basis` of accrue is the text \"act/365f\" (Actual/365 Fixed, the default) or \"act/act\"",
            "write basis: \"act/act\" for a divisor of 365 or 366 by the day's year");
      return failedInfo();
    }
    basis = named->text == "act/act" ? ir::kActAct : ir::kAct365Fixed;
  }
  out_.symbols[expr.id] = Symbol{SymbolKind::Accrue, table_index, static_cast<uint32_t>(basis)};
  ExprInfo result = typed(principal.required());
  result.quotient = true;
  result.num_scale = principal.scale + rate.scale;
  result.den_scale = 0;
  result.quotient_loc = expr.loc;
  return result;
}

// Why the rule set does not provide `requirement`, or "" when it does with the same type.
std::string Checker::requirementProblem(const ast::Requirement& requirement, const ir::Type& wanted) {
  std::string needs = fmt::format("`{}: {}`", requirement.field.name, ir::typeName(wanted));
  auto found = values_.find(requirement.field.name);
  if (found == values_.end()) return needs;
  const Declared& declared = found->second;
  const ir::Type& have = declared.kind == SymbolKind::Field   ? out_.fields[declared.index].type
                         : declared.kind == SymbolKind::Param ? out_.params[declared.index].type
                                                              : out_.lets[declared.index].type;
  bool same = have.kind == wanted.kind && have.members == wanted.members && have.optional == wanted.optional &&
              have.scale <= wanted.scale;
  return same ? "" : fmt::format("{} (here it is {})", needs, ir::typeName(have));
}

// A used module's input fields must exist here with the same type, as an input field, param or let;
// one message per `use` lists everything missing: "liability needs `fraud: bool` and `damage: money`".
void Checker::checkRequirements() {
  std::map<Location, std::pair<std::string, std::vector<std::string>>> by_use;
  for (const ast::Requirement& requirement : ast_.requirements) {
    std::string problem = requirementProblem(requirement, resolveType(requirement.field.type));
    if (problem.empty()) continue;
    auto& entry = by_use[requirement.use_loc];
    entry.first = requirement.module;
    entry.second.push_back(problem);
  }
  for (const auto& [loc, entry] : by_use) {
    std::string list;
    for (size_t index = 0; index < entry.second.size(); ++index) {
      list += (index == 0 ? "" : index + 1 == entry.second.size() ? " and " : ", ") + entry.second[index];
    }
    error("E0804", loc, fmt::format("{} needs {}", entry.first, list),
          "declare each as an input field, a param or a let of that type");
  }
}

}  // namespace regelwerk::sema
