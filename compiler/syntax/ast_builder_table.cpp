// Decision tables: `decide first table | a | b || out | … end` becomes the decide block it stands for,
// one rule per row named `row_N`, so everything after the parser (checker, IR, both engines, explain,
// coverage) sees ordinary rules. docs/language.md, "Decision tables".
#include <fmt/format.h>

#include "ast_builder.hpp"

namespace regelwerk::syntax {

using ast::BinaryOp;
using ast::ExprKind;
using ast::ExprPtr;

namespace {

BinaryOp compareOf(size_t token_type) {
  using P = regelwerk_gen::RegelwerkParser;
  switch (token_type) {
    case P::EQ: return BinaryOp::Eq;
    case P::NE: return BinaryOp::Ne;
    case P::LT: return BinaryOp::Lt;
    case P::LE: return BinaryOp::Le;
    case P::GT: return BinaryOp::Gt;
    default: return BinaryOp::Ge;
  }
}

}  // namespace

// The condition of one cell on the column `name`, located at the cell (so a type error points at
// it); null for `-`.
ExprPtr AstBuilder::cellCondition(const std::string& name, P::ConditionCellContext* cell) {
  const Location where = at(cell->getStart());
  if (dynamic_cast<P::AnyCellContext*>(cell)) return nullptr;
  ExprPtr subject = newExpr(ExprKind::Name, where);
  subject->text = name;
  if (auto* compare = dynamic_cast<P::CompareCellContext*>(cell)) {
    ExprPtr value = coalesce(compare->coalesce());
    ExprPtr node = newExpr(ExprKind::Binary, where);
    node->binary_op = compareOf(compare->compareOp()->getStart()->getType());
    node->args.push_back(std::move(subject));
    node->args.push_back(std::move(value));
    return node;
  }
  if (auto* range = dynamic_cast<P::RangeCellContext*>(cell)) {
    ExprPtr low = coalesce(range->coalesce(0));
    ExprPtr high = coalesce(range->coalesce(1));
    ExprPtr node = newExpr(ExprKind::InRange, where);
    node->args.push_back(std::move(subject));
    node->args.push_back(std::move(low));
    node->args.push_back(std::move(high));
    return node;
  }
  if (auto* list = dynamic_cast<P::ListCellContext*>(cell)) {
    std::vector<ExprPtr> members;
    for (P::ExprContext* member : list->expr()) members.push_back(expr(member));
    ExprPtr node = newExpr(ExprKind::InList, where);
    node->negated = list->K_NOT() != nullptr;
    node->args.push_back(std::move(subject));
    for (ExprPtr& member : members) node->args.push_back(std::move(member));
    return node;
  }
  auto* equal = dynamic_cast<P::EqualCellContext*>(cell);
  ExprPtr value = coalesce(equal->coalesce());
  ExprPtr node = newExpr(ExprKind::Binary, where);
  node->binary_op = BinaryOp::Eq;
  node->args.push_back(std::move(subject));
  node->args.push_back(std::move(value));
  return node;
}

// Row `number` (1-based) as rule `row_N`: its cells' conditions joined by `and`, its results as
// assignments. A row of the wrong width is E0121, named by its number.
std::optional<ast::RuleDecl> AstBuilder::tableRow(P::DecisionHeaderContext* header, P::DecisionRowContext* row,
                                                  size_t number) {
  const std::vector<P::ConditionCellContext*> conditions = row->conditionCell();
  const std::vector<P::ResultCellContext*> results = row->resultCell();
  if (conditions.size() != header->conditions.size() || results.size() != header->results.size()) {
    errors_.report("E0121", at(row->getStart()),
                   fmt::format("row {} has {} condition and {} result cells; the header names {} and {}", number,
                               conditions.size(), results.size(), header->conditions.size(), header->results.size()),
                   "write `-` in a cell that does not matter");
    return std::nullopt;
  }
  ast::RuleDecl rule;
  rule.name = fmt::format("row_{}", number);
  rule.table_row = static_cast<uint32_t>(number);
  rule.loc = at(row->getStart());
  for (size_t column = 0; column < conditions.size(); ++column) {
    ExprPtr part = cellCondition(header->conditions[column]->getText(), conditions[column]);
    if (!part) continue;
    if (!rule.condition) {
      rule.condition = std::move(part);
      continue;
    }
    ExprPtr both = newExpr(ExprKind::Binary, rule.condition->loc);
    both->binary_op = BinaryOp::And;
    both->op_loc = part->loc;
    both->args.push_back(std::move(rule.condition));
    both->args.push_back(std::move(part));
    rule.condition = std::move(both);
  }
  for (size_t column = 0; column < results.size(); ++column) {
    auto* value = dynamic_cast<P::ValueCellContext*>(results[column]);
    if (value == nullptr) continue;  // `-`: this row leaves the output alone
    rule.assignments.push_back(
        ast::Assignment{header->results[column]->getText(), at(results[column]->getStart()), expr(value->expr())});
  }
  return rule;
}

// `any` is DMN's name for the policy whose applicable rows must agree: the language's `exceptions`
// without overrides. `first` and `unique` are themselves.
void AstBuilder::decisionTable(P::DecideBlockContext* ctx, ast::DecideBlock& block) {
  if (block.policy == "any") block.policy = "exceptions";
  size_t number = 0;
  for (P::DecisionRowContext* row : ctx->decisionRow()) {
    std::optional<ast::RuleDecl> rule = tableRow(ctx->decisionHeader(), row, ++number);
    if (rule) block.rules.push_back(std::move(*rule));
  }
}

}  // namespace regelwerk::syntax
