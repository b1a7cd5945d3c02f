// Parse tree → AST for `use`, `table`, `function`, `test` and `example` declarations.
#include <cassert>

#include <fmt/format.h>

#include "ast_builder.hpp"

namespace regelwerk::syntax {

ast::UseDecl AstBuilder::use(P::UseDeclContext* ctx) {
  ast::UseDecl decl;
  decl.loc = at(ctx->getStart());
  if (ctx->moduleName) decl.module = ctx->moduleName->getText();
  if (ctx->path) decl.path = stringValue(ctx->path);
  return decl;
}

ast::TableColumn AstBuilder::tableColumn(P::TableColumnContext* ctx) {
  return ast::TableColumn{ctx->name->getText(), at(ctx->name), type(ctx->typeRef())};
}

// Inline rows keep their cells as test values (literals, members); the checker types them by column.
ast::TableDecl AstBuilder::table(P::TableDeclContext* ctx) {
  ast::TableDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  if (ctx->path) {
    decl.path = stringValue(ctx->path);
    decl.path_loc = at(ctx->path);
  }
  decl.key = tableColumn(ctx->key);
  decl.range = ctx->range != nullptr;
  if (ctx->untilWord) {
    decl.valid_to = ctx->validTo->getText();
    decl.valid_to_loc = at(ctx->validTo);
    if (ctx->untilWord->getText() != "until") {
      errors_.report("E0115", at(ctx->untilWord),
                     fmt::format("expected `until` after `range`, not `{}`", ctx->untilWord->getText()),
                     "write range until valid_to");
    }
  }
  std::vector<P::TableColumnContext*> columns = ctx->tableColumn();
  for (size_t column = 1; column < columns.size(); ++column) decl.values.push_back(tableColumn(columns[column]));
  for (P::TableRowContext* row : ctx->tableRow()) {
    std::vector<ast::TestValue> cells;
    for (P::TestValueContext* cell : row->testValue()) cells.push_back(testValue(cell));
    decl.rows.push_back(std::move(cells));
  }
  if (ctx->K_ROWS() && decl.path) {
    errors_.report("E0113", at(ctx->K_ROWS()), fmt::format("table `{}` is read from \"{}\" and cannot also list rows",
                                                           decl.name, *decl.path),
                   "remove the rows or the `from`");
  }
  return decl;
}

ast::FunctionDecl AstBuilder::function(P::FunctionDeclContext* ctx) {
  ast::FunctionDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  for (P::FunctionParamContext* param : ctx->functionParam()) {
    decl.params.push_back(ast::FunctionParam{param->name->getText(), at(param->name), type(param->typeRef())});
  }
  decl.result = type(ctx->typeRef());
  decl.body = expr(ctx->expr());
  return decl;
}

ast::TestDecl AstBuilder::test(P::TestDeclContext* ctx) {
  ast::TestDecl decl;
  decl.is_example = ctx->K_EXAMPLE() != nullptr;
  decl.loc = at(ctx->getStart());
  decl.name = decl.is_example ? ctx->name->getText() : stringValue(ctx->title);
  if (ctx->base) {
    decl.base = ctx->base->getText();
    decl.base_loc = at(ctx->base);
  }
  for (P::TestSectionContext* section : ctx->testSection()) testSection(section, decl);
  return decl;
}

// Sections may repeat; their bindings are appended in order (the checker reports a name given twice).
void AstBuilder::testSection(P::TestSectionContext* ctx, ast::TestDecl& decl) {
  auto append = [](std::vector<ast::TestBinding>& to, std::vector<ast::TestBinding> from) {
    for (ast::TestBinding& binding : from) to.push_back(std::move(binding));
  };
  if (auto* given = dynamic_cast<P::GivenSectionContext*>(ctx)) {
    if (!given->target) return append(decl.given, bindings(given->testBinding()));
    return decl.records.push_back(ast::TestRecordDecl{given->target->getText(), at(given->target), bindings(given->testBinding())});
  }
  if (auto* params = dynamic_cast<P::ParamsSectionContext*>(ctx)) {
    return append(decl.params, bindings(params->testBinding()));
  }
  if (auto* expect = dynamic_cast<P::ExpectSectionContext*>(ctx)) {
    if (!expect->target) return append(decl.expect, bindings(expect->testBinding()));
    return decl.rows.push_back(ast::TestRecordDecl{expect->target->getText(), at(expect->target), bindings(expect->testBinding())});
  }
  auto* rejected = dynamic_cast<P::ExpectRejectedSectionContext*>(ctx);
  assert(rejected && "testSection has four alternatives");
  if (rejected->rejected->getText() != "rejected") {
    errors_.report("E0114", at(rejected->rejected),
                   fmt::format("expected `rejected \"reason\"` or `output = value` after `expect`, not `{}`",
                               rejected->rejected->getText()),
                   "write expect rejected \"division by zero\"");
    return;
  }
  decl.expect_rejected = stringValue(rejected->reason);
  decl.rejected_loc = at(rejected->rejected);
}

std::vector<ast::TestBinding> AstBuilder::bindings(const std::vector<P::TestBindingContext*>& contexts) {
  std::vector<ast::TestBinding> out;
  for (P::TestBindingContext* binding : contexts) {
    out.push_back(ast::TestBinding{binding->name->getText(), at(binding->name), testValue(binding->testValue())});
  }
  return out;
}

// `-5` becomes a Neg over the literal, so the checker treats it like a param default.
ast::TestValue AstBuilder::testValue(P::TestValueContext* ctx) {
  ast::TestValue value;
  value.loc = at(ctx->getStart());
  if (ctx->K_MISSING()) {
    value.missing = true;
    return value;
  }
  if (ctx->member) {
    value.expr = newExpr(ast::ExprKind::Name, at(ctx->member));
    value.expr->text = ctx->member->getText();
    return value;
  }
  ast::ExprPtr literal_expr = literal(ctx->literal());
  if (!ctx->MINUS()) {
    value.expr = std::move(literal_expr);
    return value;
  }
  value.expr = newExpr(ast::ExprKind::Unary, value.loc);
  value.expr->op_loc = value.loc;
  value.expr->unary_op = ast::UnaryOp::Neg;
  value.expr->args.push_back(std::move(literal_expr));
  return value;
}

}  // namespace regelwerk::syntax
