// Declarations: a rule set using every construct of docs/language.md, checked field by field.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using regelwerk::Location;
using regelwerk::test::parseText;
namespace ast = regelwerk::ast;

namespace {

// Every declaration, type, setting and rule form of docs/language.md in one file.
const char* const kEveryConstruct = R"RULES(# every construct
ruleset dunning
currency EUR
rounding half_even;

input Invoice
  id: int; customer_type: enum(consumer, business)
  amount: money from "amount_cents" format "cents"
  rate: decimal(4)
  factor: decimal
  share: percent?
  due_date: date
  last_notice_date: date?
  grace: days
  note: string?
  disputed: bool

param as_of: date
param wait: days = 14 days
param cap: money = 50.00 EUR

let open = amount - 0.00 EUR
let overdue: days = as_of - due_date
let since = as_of - (last_notice_date ?? due_date)

output action: enum(none, reminder, notice) = none
output fee: money = 0.00 EUR format "cents"
output reason: string? = note

decide first
  rule settled "nothing to dun" when disputed or open <= 0.00 EUR
  rule reminder "Zahlungserinnerung" when customer_type == consumer and overdue >= wait
    then action = reminder, fee = min(open * 1.27%, cap)
  rule fallback
end

decide exceptions
  rule r1 "10.2.1 (1)" when level in 1..2 then reason = "one"
  rule r2 overrides r1 when not (note is missing) then reason = if a then "x" else "y"
  rule r3 "10.2.1 (3)" overrides r1, r2 when level not in (3, 4)
end
)RULES";

}  // namespace

TEST_CASE("a rule set with every construct", "[syntax][decl]") {
  auto parsed = parseText(kEveryConstruct);
  INFO(parsed->rendered());
  REQUIRE(parsed->ruleset);
  const ast::Ruleset& rs = *parsed->ruleset;
  CHECK(rs.name == "dunning");
  CHECK(rs.loc == Location{1, 2, 9});

  REQUIRE(rs.settings.size() == 2);
  CHECK(rs.settings[0].key == "currency");
  CHECK(rs.settings[0].value == "EUR");
  CHECK(rs.settings[1].key == "rounding");
  CHECK(rs.settings[1].value == "half_even");
  CHECK(rs.settings[1].loc == Location{1, 4, 1});
  CHECK(rs.settings[1].value_loc == Location{1, 4, 10});

  REQUIRE(rs.inputs.size() == 1);
  CHECK(rs.params.size() == 3);
  CHECK(rs.lets.size() == 3);
  CHECK(rs.outputs.size() == 3);
  CHECK(rs.decisions.size() == 2);
}

TEST_CASE("input fields: types, optional marks, from and format", "[syntax][decl]") {
  auto parsed = parseText(kEveryConstruct);
  REQUIRE(parsed->ruleset);
  const ast::InputDecl& input = parsed->ruleset->inputs.at(0);
  CHECK(input.name == "Invoice");
  CHECK(input.loc == Location{1, 6, 7});
  REQUIRE(input.fields.size() == 11);

  const ast::Field& kind = input.fields[1];
  CHECK(kind.name == "customer_type");
  CHECK(kind.loc == Location{1, 7, 12});
  CHECK(kind.type.kind == ast::TypeKind::Enum);
  CHECK(kind.type.members == std::vector<std::string>{"consumer", "business"});
  CHECK(kind.type.member_locs.at(1) == Location{1, 7, 42});

  const ast::Field& amount = input.fields[2];
  CHECK(amount.type.kind == ast::TypeKind::Money);
  CHECK(amount.column == "amount_cents");
  CHECK(amount.format == "cents");
  CHECK(amount.format_loc == Location{1, 8, 44});

  CHECK(input.fields[3].type.kind == ast::TypeKind::Decimal);
  CHECK(input.fields[3].type.scale_text == "4");
  CHECK_FALSE(input.fields[4].type.scale_text.has_value());
  CHECK(input.fields[5].type.kind == ast::TypeKind::Percent);
  CHECK(input.fields[5].type.optional);
  CHECK_FALSE(input.fields[6].type.optional);
  CHECK(input.fields[7].type.optional);
  CHECK(input.fields[8].type.kind == ast::TypeKind::Days);
  CHECK(input.fields[9].type.kind == ast::TypeKind::String);
  CHECK(input.fields[10].type.kind == ast::TypeKind::Bool);
  CHECK_FALSE(input.fields[10].column.has_value());
}

TEST_CASE("params, lets and outputs", "[syntax][decl]") {
  auto parsed = parseText(kEveryConstruct);
  REQUIRE(parsed->ruleset);
  const ast::Ruleset& rs = *parsed->ruleset;
  CHECK(rs.params[0].name == "as_of");
  CHECK(rs.params[0].default_value == nullptr);
  REQUIRE(rs.params[1].default_value);
  CHECK(rs.params[1].default_value->kind == ast::ExprKind::DaysLit);
  CHECK(rs.params[2].default_value->currency == "EUR");

  CHECK_FALSE(rs.lets[0].type.has_value());
  REQUIRE(rs.lets[1].type.has_value());
  CHECK(rs.lets[1].type->kind == ast::TypeKind::Days);
  CHECK(ast::dumpExpr(*rs.lets[2].value) == "(- as_of (?? last_notice_date due_date))");

  CHECK(rs.outputs[0].type.members.size() == 3);
  CHECK(rs.outputs[1].format == "cents");
  CHECK(rs.outputs[1].loc == Location{1, 27, 8});
  CHECK(rs.outputs[2].type.optional);
  CHECK(ast::dumpExpr(*rs.outputs[2].default_value) == "note");
}

TEST_CASE("decision blocks and rules", "[syntax][decl]") {
  auto parsed = parseText(kEveryConstruct);
  REQUIRE(parsed->ruleset);
  const ast::DecideBlock& first = parsed->ruleset->decisions[0];
  CHECK(first.policy == "first");
  CHECK(first.loc == Location{1, 30, 1});
  CHECK(first.policy_loc == Location{1, 30, 8});
  REQUIRE(first.rules.size() == 3);

  const ast::RuleDecl& reminder = first.rules[1];
  CHECK(reminder.name == "reminder");
  CHECK(reminder.loc == Location{1, 32, 8});
  CHECK(reminder.label == "Zahlungserinnerung");
  REQUIRE(reminder.assignments.size() == 2);
  CHECK(reminder.assignments[1].target == "fee");
  CHECK(reminder.assignments[1].loc == Location{1, 33, 29});
  CHECK(ast::dumpExpr(*reminder.assignments[1].value) == "(call min (* open (percent 1.27)) cap)");

  const ast::RuleDecl& fallback = first.rules[2];
  CHECK_FALSE(fallback.label.has_value());
  CHECK(fallback.condition == nullptr);
  CHECK(fallback.assignments.empty());

  const ast::DecideBlock& exceptions = parsed->ruleset->decisions[1];
  CHECK(exceptions.policy == "exceptions");
  const ast::RuleDecl& r3 = exceptions.rules[2];
  CHECK(r3.overrides == std::vector<std::string>{"r1", "r2"});
  CHECK(r3.override_locs.at(1) == Location{1, 40, 38});
  CHECK(r3.assignments.empty());
  CHECK(ast::dumpExpr(*r3.condition) == "(not-in level (3 4))");
  CHECK(ast::dumpExpr(*exceptions.rules[1].condition) == "(not (is-missing note))");
}

TEST_CASE("newlines are white space and semicolon is optional", "[syntax][decl]") {
  auto one_line = parseText("ruleset t; input I a: int; b: int? output o: int = a; let x = 1 decide first rule r end");
  INFO(one_line->rendered());
  REQUIRE(one_line->ruleset);
  CHECK(one_line->ruleset->inputs[0].fields.size() == 2);
  CHECK(one_line->ruleset->decisions[0].rules.size() == 1);

  auto spread = parseText("ruleset\n  t\nlet\n  x\n  =\n  1\n    +\n  2\n");
  REQUIRE(spread->ruleset);
  CHECK(ast::dumpExpr(*spread->ruleset->lets[0].value) == "(+ 1 2)");
}
