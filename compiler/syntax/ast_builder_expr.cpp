// Parse tree → AST for expressions: operator loops fold into binary nodes, literals keep their text.
#include <cassert>

#include <fmt/format.h>

#include "ast_builder.hpp"

namespace regelwerk::syntax {

using ast::BinaryOp;
using ast::ExprKind;
using ast::ExprPtr;

ExprPtr AstBuilder::newExpr(ExprKind kind, Location loc) {
  auto node = std::make_unique<ast::Expr>();
  node->kind = kind;
  node->id = next_expr_id_++;
  node->loc = loc;
  node->op_loc = loc;
  return node;
}

// A binary node starts where its left operand starts; op_loc is the operator token.
ExprPtr AstBuilder::binary(BinaryOp op, antlr4::Token* op_token, ExprPtr lhs, ExprPtr rhs) {
  ExprPtr node = newExpr(ExprKind::Binary, lhs->loc);
  node->op_loc = at(op_token);
  node->binary_op = op;
  node->args.push_back(std::move(lhs));
  node->args.push_back(std::move(rhs));
  return node;
}

ExprPtr AstBuilder::expr(P::ExprContext* ctx) {
  if (ctx->orExpr()) return orExpr(ctx->orExpr());
  ExprPtr cond = expr(ctx->cond);
  ExprPtr then_value = expr(ctx->thenBranch);
  ExprPtr else_value = expr(ctx->elseBranch);
  ExprPtr node = newExpr(ExprKind::If, at(ctx->K_IF()));
  node->args.push_back(std::move(cond));
  node->args.push_back(std::move(then_value));
  node->args.push_back(std::move(else_value));
  return node;
}

// `&&`, `||` and `!` parse like `and`, `or` and `not` so that one error names them and nothing
// cascades: `level > 1 && paid` gives E0116 at `&&`, "write `and`".
void AstBuilder::reportForeignOperator(antlr4::Token* op) {
  using P = regelwerk_gen::RegelwerkParser;
  if (op->getType() != P::ANDAND && op->getType() != P::OROR && op->getType() != P::BANG) return;
  const char* word = op->getType() == P::ANDAND ? "and" : op->getType() == P::OROR ? "or" : "not";
  errors_.report("E0116", at(op), fmt::format("`{}` is not an operator in regelwerk; write `{}`", op->getText(), word),
                 "conditions combine with the words `and`, `or` and `not`");
}

// `a or b or c` is a loop in the grammar; it folds to the left: ((a or b) or c).
ExprPtr AstBuilder::orExpr(P::OrExprContext* ctx) {
  std::vector<P::AndExprContext*> operands = ctx->andExpr();
  ExprPtr result = andExpr(operands[0]);
  for (size_t at_op = 1; at_op < operands.size(); ++at_op) {
    reportForeignOperator(ctx->ops[at_op - 1]);
    result = binary(BinaryOp::Or, ctx->ops[at_op - 1], std::move(result), andExpr(operands[at_op]));
  }
  return result;
}

ExprPtr AstBuilder::andExpr(P::AndExprContext* ctx) {
  std::vector<P::NotExprContext*> operands = ctx->notExpr();
  ExprPtr result = notExpr(operands[0]);
  for (size_t at_op = 1; at_op < operands.size(); ++at_op) {
    reportForeignOperator(ctx->ops[at_op - 1]);
    result = binary(BinaryOp::And, ctx->ops[at_op - 1], std::move(result), notExpr(operands[at_op]));
  }
  return result;
}

ExprPtr AstBuilder::notExpr(P::NotExprContext* ctx) {
  if (ctx->comparison()) return comparison(ctx->comparison());
  reportForeignOperator(ctx->op);
  ExprPtr operand = notExpr(ctx->notExpr());
  ExprPtr node = newExpr(ExprKind::Unary, at(ctx->op));
  node->unary_op = ast::UnaryOp::Not;
  node->args.push_back(std::move(operand));
  return node;
}

namespace {

BinaryOp compareOp(size_t token_type) {
  using P = regelwerk_gen::RegelwerkParser;
  switch (token_type) {
    case P::EQ:
      return BinaryOp::Eq;
    case P::NE:
      return BinaryOp::Ne;
    case P::LT:
      return BinaryOp::Lt;
    case P::LE:
      return BinaryOp::Le;
    case P::GT:
      return BinaryOp::Gt;
    default:
      break;
  }
  assert(token_type == P::GE && "compareOp has six alternatives");
  return BinaryOp::Ge;
}

}  // namespace

ExprPtr AstBuilder::comparison(P::ComparisonContext* ctx) {
  ExprPtr subject = coalesce(ctx->coalesce());
  P::ComparisonTailContext* tail = ctx->comparisonTail();
  if (!tail) return subject;
  if (auto* compare = dynamic_cast<P::CompareTailContext*>(tail)) {
    antlr4::Token* op = compare->compareOp()->getStart();
    return binary(compareOp(op->getType()), op, std::move(subject), coalesce(compare->coalesce()));
  }
  if (auto* list = dynamic_cast<P::InListTailContext*>(tail)) return inList(std::move(subject), list);
  if (auto* range = dynamic_cast<P::InRangeTailContext*>(tail)) return inRange(std::move(subject), range);
  auto* missing = dynamic_cast<P::IsMissingTailContext*>(tail);
  assert(missing && "comparisonTail has four alternatives");
  ExprPtr node = newExpr(ExprKind::IsMissing, subject->loc);
  node->op_loc = at(missing->K_IS());
  node->negated = missing->K_NOT() != nullptr;
  node->args.push_back(std::move(subject));
  return node;
}

// `x not in (a, b)`: op_loc is the `not` (or the `in` when there is none).
ExprPtr AstBuilder::inList(ExprPtr subject, P::InListTailContext* ctx) {
  std::vector<ExprPtr> members;
  for (P::ExprContext* member : ctx->expr()) members.push_back(expr(member));
  ExprPtr node = newExpr(ExprKind::InList, subject->loc);
  node->op_loc = at(ctx->getStart());
  node->negated = ctx->K_NOT() != nullptr;
  node->args.push_back(std::move(subject));
  for (ExprPtr& member : members) node->args.push_back(std::move(member));
  return node;
}

ExprPtr AstBuilder::inRange(ExprPtr subject, P::InRangeTailContext* ctx) {
  ExprPtr low = coalesce(ctx->coalesce(0));
  ExprPtr high = coalesce(ctx->coalesce(1));
  ExprPtr node = newExpr(ExprKind::InRange, subject->loc);
  node->op_loc = at(ctx->getStart());
  node->negated = ctx->K_NOT() != nullptr;
  node->args.push_back(std::move(subject));
  node->args.push_back(std::move(low));
  node->args.push_back(std::move(high));
  return node;
}

// `??` is right-associative: `a ?? b ?? c` is a ?? (b ?? c), folded from the last operand.
ExprPtr AstBuilder::coalesce(P::CoalesceContext* ctx) {
  std::vector<P::ConcatenationContext*> operands = ctx->concatenation();
  std::vector<ExprPtr> values;
  for (P::ConcatenationContext* operand : operands) values.push_back(concatenation(operand));
  ExprPtr result = std::move(values.back());
  for (size_t at_op = values.size() - 1; at_op-- > 0;) {
    result = binary(BinaryOp::Coalesce, ctx->QQ(at_op)->getSymbol(), std::move(values[at_op]), std::move(result));
  }
  return result;
}

// `a ++ b ++ c` folds to the left like `+`: ((a ++ b) ++ c).
ExprPtr AstBuilder::concatenation(P::ConcatenationContext* ctx) {
  std::vector<P::AdditiveContext*> operands = ctx->additive();
  ExprPtr result = additive(operands[0]);
  for (size_t at_op = 1; at_op < operands.size(); ++at_op) {
    result = binary(BinaryOp::Concat, ctx->CONCAT(at_op - 1)->getSymbol(), std::move(result), additive(operands[at_op]));
  }
  return result;
}

ExprPtr AstBuilder::additive(P::AdditiveContext* ctx) {
  std::vector<P::MultiplicativeContext*> operands = ctx->multiplicative();
  ExprPtr result = multiplicative(operands[0]);
  for (size_t at_op = 1; at_op < operands.size(); ++at_op) {
    antlr4::Token* op = ctx->ops[at_op - 1];
    BinaryOp kind = op->getType() == P::PLUS ? BinaryOp::Add : BinaryOp::Sub;
    result = binary(kind, op, std::move(result), multiplicative(operands[at_op]));
  }
  return result;
}

ExprPtr AstBuilder::multiplicative(P::MultiplicativeContext* ctx) {
  std::vector<P::UnaryContext*> operands = ctx->unary();
  ExprPtr result = unary(operands[0]);
  for (size_t at_op = 1; at_op < operands.size(); ++at_op) {
    antlr4::Token* op = ctx->ops[at_op - 1];
    BinaryOp kind = op->getType() == P::STAR ? BinaryOp::Mul : BinaryOp::Div;
    result = binary(kind, op, std::move(result), unary(operands[at_op]));
  }
  return result;
}

ExprPtr AstBuilder::unary(P::UnaryContext* ctx) {
  if (ctx->primary()) return primary(ctx->primary());
  ExprPtr operand = unary(ctx->unary());
  ExprPtr node = newExpr(ExprKind::Unary, at(ctx->MINUS()));
  node->unary_op = ast::UnaryOp::Neg;
  node->args.push_back(std::move(operand));
  return node;
}

namespace {

// Kinds whose op_loc points at an operator token rather than repeating loc.
bool hasOperator(ExprKind kind) {
  switch (kind) {
    case ExprKind::Unary:
    case ExprKind::Binary:
    case ExprKind::InList:
    case ExprKind::InRange:
    case ExprKind::IsMissing:
      return true;
    default:
      return false;
  }
}

}  // namespace

// A parenthesized expression has no node of its own; it starts at its `(` so carets point there.
ExprPtr AstBuilder::primary(P::PrimaryContext* ctx) {
  if (ctx->aggregate()) return aggregate(ctx->aggregate());
  if (ctx->literal()) return literal(ctx->literal());
  if (ctx->callee) return call(ctx);
  if (ctx->K_MISSING()) return newExpr(ExprKind::Missing, at(ctx->K_MISSING()));
  if (!ctx->NAME().empty()) {
    ExprPtr node = newExpr(ExprKind::Name, at(ctx->NAME(0)));
    node->text = ctx->NAME(0)->getText();
    return node;
  }
  ExprPtr inner = expr(ctx->expr());
  inner->loc = at(ctx->LPAREN());
  if (!hasOperator(inner->kind)) inner->op_loc = inner->loc;
  return inner;
}

// `sum(amount over Claim where paid)` -> Aggregate "sum" over Claim, args value and where.
ExprPtr AstBuilder::aggregate(P::AggregateContext* ctx) {
  ExprPtr node = newExpr(ExprKind::Aggregate, at(ctx->fn));
  node->text = ctx->fn->getText();
  node->member = ctx->source->getText();
  node->member_loc = at(ctx->source);
  if (ctx->value) {
    node->args.push_back(expr(ctx->value));
    node->arg_names.push_back("value");
  }
  if (ctx->filter) {
    node->args.push_back(expr(ctx->filter));
    node->arg_names.push_back("where");
  }
  return node;
}

ExprPtr AstBuilder::call(P::PrimaryContext* ctx) {
  std::vector<ExprPtr> args;
  std::vector<std::string> names;
  for (P::ArgumentContext* argument : ctx->argument()) {
    names.push_back(argument->argName ? argument->argName->getText() : std::string());
    args.push_back(expr(argument->expr()));
  }
  ExprPtr node = newExpr(ExprKind::Call, at(ctx->callee));
  node->text = ctx->callee->getText();
  node->args = std::move(args);
  node->arg_names = std::move(names);
  if (ctx->member) {
    node->member = ctx->member->getText();
    node->member_loc = at(ctx->member);
  }
  return node;
}

namespace {

// `12.50 EUR` → ("12.50", "EUR"); `14 days` → "14": the number is everything before the blank.
std::string numberPart(const std::string& text) {
  return text.substr(0, text.find_first_of(" \t"));
}

ExprKind literalKind(size_t token_type) {
  using P = regelwerk_gen::RegelwerkParser;
  switch (token_type) {
    case P::INT_LIT:
      return ExprKind::IntLit;
    case P::DECIMAL_LIT:
      return ExprKind::DecimalLit;
    case P::MONEY_LIT:
      return ExprKind::MoneyLit;
    case P::PERCENT_LIT:
      return ExprKind::PercentLit;
    case P::DATE_LIT:
      return ExprKind::DateLit;
    case P::DAYS_LIT:
      return ExprKind::DaysLit;
    case P::STRING_LIT:
      return ExprKind::StringLit;
    case P::TIMESTAMP_LIT:
      return ExprKind::TimestampLit;
    case P::DURATION_LIT:
      return ExprKind::DurationLit;
    case P::TIME_LIT:
      return ExprKind::TimeLit;
    default:
      break;
  }
  assert((token_type == P::K_TRUE || token_type == P::K_FALSE) && "literal has twelve alternatives");
  return ExprKind::BoolLit;
}

}  // namespace

ExprPtr AstBuilder::literal(P::LiteralContext* ctx) {
  antlr4::Token* token = ctx->getStart();
  std::string text = token->getText();
  ExprPtr node = newExpr(literalKind(token->getType()), at(token));
  switch (node->kind) {
    case ExprKind::MoneyLit:
      node->text = numberPart(text);
      node->currency = text.substr(text.size() - 3);
      break;
    case ExprKind::DaysLit:
      node->text = numberPart(text);
      break;
    case ExprKind::DurationLit:
      node->text = numberPart(text);
      node->currency = text.substr(text.find_last_of(" \t") + 1);
      break;
    case ExprKind::PercentLit:
      node->text = text.substr(0, text.size() - 1);
      break;
    case ExprKind::StringLit:
      node->text = stringValue(token);
      break;
    default:
      node->text = text;
      break;
  }
  return node;
}

}  // namespace regelwerk::syntax
