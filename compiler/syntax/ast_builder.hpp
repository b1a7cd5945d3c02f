// Converts a complete ANTLR parse tree into the AST in one pass. Internal to compiler/syntax.
#pragma once

#include <optional>

#include "RegelwerkParser.h"
#include "compiler/ast/ast.hpp"
#include "syntax_error_sink.hpp"

namespace regelwerk::syntax {

// Runs only on trees without syntax errors. Its recursion follows the parse tree, whose depth
// checkTokens bounded; binary-operator chains are loops in the grammar and folded here iteratively.
// Reports the few errors the grammar leaves to it: bad string escapes (E0108) and outputs
// without a default (E0111).
class AstBuilder {
 public:
  using P = regelwerk_gen::RegelwerkParser;
  AstBuilder(SyntaxErrorSink& errors, uint32_t first_expr_id) : errors_(errors), next_expr_id_(first_expr_id) {}

  ast::Ruleset build(P::RulesetFileContext* ctx);

 private:
  // Declarations (ast_builder.cpp).
  void addDeclaration(P::DeclarationContext* ctx, ast::Ruleset& ruleset);
  ast::Setting setting(P::SettingContext* ctx);
  ast::InputDecl input(P::InputDeclContext* ctx);
  void inputKey(P::InputKeyContext* ctx, ast::InputDecl& decl);
  void perBlock(P::PerBlockContext* ctx, ast::Ruleset& ruleset);
  void addLet(P::LetDeclContext* ctx, int block, ast::Ruleset& ruleset);
  void addReject(P::RejectDeclContext* ctx, int block, ast::Ruleset& ruleset);
  void addOutput(P::OutputDeclContext* ctx, int block, ast::Ruleset& ruleset);
  void addDecide(P::DecideBlockContext* ctx, int block, ast::Ruleset& ruleset);
  void eachBlock(P::EachBlockContext* ctx, ast::Ruleset& ruleset);
  void foldBlock(P::FoldBlockContext* ctx, ast::Ruleset& ruleset);
  void ledgerBlock(P::LedgerBlockContext* ctx, int fold, ast::Ruleset& ruleset);
  ast::OutputDecl state(P::StateDeclContext* ctx, int block);
  ast::DistributeDecl distribute(P::DistributeDeclContext* ctx);
  ast::Field field(P::FieldContext* ctx);
  ast::ParamDecl param(P::ParamDeclContext* ctx);
  ast::LetDecl let(P::LetDeclContext* ctx);
  ast::LetDecl reject(P::RejectDeclContext* ctx);
  ast::OutputDecl output(P::OutputDeclContext* ctx);
  ast::DecideBlock decide(P::DecideBlockContext* ctx);
  ast::RuleDecl rule(P::RuleDeclContext* ctx);
  // Decision tables (ast_builder_table.cpp).
  void decisionTable(P::DecideBlockContext* ctx, ast::DecideBlock& block);
  std::optional<ast::RuleDecl> tableRow(P::DecisionHeaderContext* header, P::DecisionRowContext* row, size_t number);
  ast::ExprPtr cellCondition(const std::string& name, P::ConditionCellContext* cell);
  ast::TypeRef type(P::TypeRefContext* ctx);
  void header(P::FileHeaderContext* ctx, ast::Ruleset& ruleset);

  // Tables, functions, uses and tests (ast_builder_decls.cpp).
  ast::UseDecl use(P::UseDeclContext* ctx);
  ast::TableDecl table(P::TableDeclContext* ctx);
  ast::TableColumn tableColumn(P::TableColumnContext* ctx);
  ast::FunctionDecl function(P::FunctionDeclContext* ctx);
  ast::TestDecl test(P::TestDeclContext* ctx);
  void testSection(P::TestSectionContext* ctx, ast::TestDecl& decl);
  std::vector<ast::TestBinding> bindings(const std::vector<P::TestBindingContext*>& contexts);
  ast::TestValue testValue(P::TestValueContext* ctx);
  std::string stringValue(antlr4::Token* token);

  // Expressions (ast_builder_expr.cpp).
  ast::ExprPtr expr(P::ExprContext* ctx);
  ast::ExprPtr orExpr(P::OrExprContext* ctx);
  ast::ExprPtr andExpr(P::AndExprContext* ctx);
  ast::ExprPtr notExpr(P::NotExprContext* ctx);
  void reportForeignOperator(antlr4::Token* op);
  ast::ExprPtr comparison(P::ComparisonContext* ctx);
  ast::ExprPtr inList(ast::ExprPtr subject, P::InListTailContext* ctx);
  ast::ExprPtr inRange(ast::ExprPtr subject, P::InRangeTailContext* ctx);
  ast::ExprPtr coalesce(P::CoalesceContext* ctx);
  ast::ExprPtr concatenation(P::ConcatenationContext* ctx);
  ast::ExprPtr additive(P::AdditiveContext* ctx);
  ast::ExprPtr multiplicative(P::MultiplicativeContext* ctx);
  ast::ExprPtr unary(P::UnaryContext* ctx);
  ast::ExprPtr primary(P::PrimaryContext* ctx);
  ast::ExprPtr call(P::PrimaryContext* ctx);
  ast::ExprPtr aggregate(P::AggregateContext* ctx);
  ast::ExprPtr literal(P::LiteralContext* ctx);
  ast::ExprPtr newExpr(ast::ExprKind kind, Location loc);
  ast::ExprPtr binary(ast::BinaryOp op, antlr4::Token* op_token, ast::ExprPtr lhs, ast::ExprPtr rhs);

  Location at(antlr4::Token* token) const;
  Location at(antlr4::tree::TerminalNode* node) const { return at(node->getSymbol()); }

  SyntaxErrorSink& errors_;
  uint32_t next_expr_id_;
};

}  // namespace regelwerk::syntax
