// Test helper implementation: parser -> checker -> lowering, as checkAndLower does, but keeping the
// typed AST so tests can assert types and scales.
#include "compile_text.hpp"

#include <stdexcept>

#include "compiler/lower/from_typed_ast.hpp"
#include "compiler/syntax/parser.hpp"

namespace regelwerk::test {

std::unique_ptr<Compiled> compileText(const std::string& text) {
  auto compiled = std::make_unique<Compiled>();
  uint32_t file = compiled->sources.add("test.rules", text);
  compiled->ruleset = syntax::parseRuleset(compiled->sources, file, compiled->diags);
  if (!compiled->ruleset) return compiled;
  compiled->typed = sema::checkRuleset(*compiled->ruleset, compiled->sources, compiled->diags);
  if (!compiled->diags.hasErrors()) compiled->program = lower::fromTypedAst(compiled->typed, compiled->sources);
  return compiled;
}

std::unique_ptr<Compiled> compileWith(const std::string& fields, const std::string& body) {
  return compileText("ruleset t\ninput R\n" + fields + "\n" + body + "\n");
}

const ast::Expr& Compiled::letExpr(const std::string& name) const {
  for (const ast::LetDecl& let : ruleset->lets) {
    if (let.name == name) return *let.value;
  }
  throw std::runtime_error("no let " + name);
}

const sema::ExprInfo& Compiled::letValue(const std::string& name) const { return typed.info(letExpr(name)); }

const ir::Expr& Compiled::loweredLet(const std::string& name) const {
  for (const ir::Let& let : program->lets) {
    if (let.name == name) return *let.value;
  }
  throw std::runtime_error("no lowered let " + name);
}

const ir::Expr& Compiled::loweredOutputDefault(const std::string& name) const {
  for (const ir::Output& output : program->outputs) {
    if (output.name == name) return *output.default_value;
  }
  throw std::runtime_error("no lowered output " + name);
}

const char* const kDunning = R"(ruleset dunning
input Invoice
  id: int
  customer_type: enum(consumer, business)
  amount: money from "amount_cents" format "cents"
  paid: money from "paid_cents" format "cents"
  due_date: date
  last_notice_date: date?
  dunning_level: int
  disputed: bool
param as_of: date = 2026-11-21
param wait: days = 14 days
param base_rate: percent = 1.27%
let open = amount - paid
let overdue = as_of - due_date
let since_notice = as_of - (last_notice_date ?? due_date)
let consumer = customer_type == consumer
output id: int = id
output action: enum(none, reminder, notice, collection, write_off) = none
output new_level: int = dunning_level
output fee: money = 0.00 EUR format "cents"
output interest: money = if disputed or open <= 0.00 EUR or overdue <= 0 days then 0.00 EUR else round(open * (base_rate + (if consumer then 5% else 9%)) * (overdue / 365 days), 2, half_up) format "cents"
decide first
  rule settled "nothing to dun" when disputed or open <= 0.00 EUR
  rule closed "level 4 is final" when dunning_level == 4
  rule reminder "Zahlungserinnerung" when dunning_level == 0 and overdue >= wait then action = reminder, new_level = 1
  rule notice "Mahnung" when dunning_level in 1..2 and since_notice >= wait then action = notice, new_level = dunning_level + 1, fee = if consumer then 5.00 EUR else if dunning_level == 1 then 40.00 EUR else 0.00 EUR
  rule handover "Abgabe an Inkasso" when dunning_level == 3 and since_notice >= wait and open >= 50.00 EUR then action = collection, new_level = 4
  rule write_off "Ausbuchung" when dunning_level == 3 and since_notice >= wait then action = write_off
end
)";

}  // namespace regelwerk::test
