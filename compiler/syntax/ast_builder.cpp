// Parse tree → AST for the declarations, types and strings of a rule file.
#include "ast_builder.hpp"

#include <fmt/format.h>

#include <cassert>

namespace regelwerk::syntax {

Location AstBuilder::at(antlr4::Token* token) const {
  // ANTLR decodes UTF-8 into code points, so its column already counts code points.
  return Location{errors_.fileId(), static_cast<uint32_t>(token->getLine()),
                  static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
}

ast::Ruleset AstBuilder::build(P::RulesetFileContext* ctx) {
  ast::Ruleset ruleset;
  header(ctx->fileHeader(), ruleset);
  for (P::DeclarationContext* declaration : ctx->declaration()) addDeclaration(declaration, ruleset);
  ruleset.expr_count = next_expr_id_;
  return ruleset;
}

// `ruleset dunning`, `module std.interest` or `tests for "dunning.rules"`.
void AstBuilder::header(P::FileHeaderContext* ctx, ast::Ruleset& ruleset) {
  ruleset.loc = at(ctx->getStart());
  if (ctx->name) {
    ruleset.name = ctx->name->getText();
    ruleset.loc = at(ctx->name);
  } else if (ctx->moduleName) {
    ruleset.kind = ast::FileKind::Module;
    ruleset.name = ctx->moduleName->getText();
  } else {
    ruleset.kind = ast::FileKind::Tests;
    ruleset.tests_for = stringValue(ctx->target);
  }
}

void AstBuilder::addDeclaration(P::DeclarationContext* ctx, ast::Ruleset& ruleset) {
  if (ctx->setting()) return ruleset.settings.push_back(setting(ctx->setting()));
  if (ctx->useDecl()) return ruleset.uses.push_back(use(ctx->useDecl()));
  if (ctx->tableDecl()) return ruleset.tables.push_back(table(ctx->tableDecl()));
  if (ctx->functionDecl()) return ruleset.functions.push_back(function(ctx->functionDecl()));
  if (ctx->testDecl()) return ruleset.tests.push_back(test(ctx->testDecl()));
  if (ctx->inputDecl()) return ruleset.inputs.push_back(input(ctx->inputDecl()));
  if (ctx->paramDecl()) return ruleset.params.push_back(param(ctx->paramDecl()));
  if (ctx->letDecl()) return ruleset.lets.push_back(let(ctx->letDecl()));
  if (ctx->rejectDecl()) return ruleset.lets.push_back(reject(ctx->rejectDecl()));
  if (ctx->outputDecl()) return ruleset.outputs.push_back(output(ctx->outputDecl()));
  if (ctx->decideBlock()) return ruleset.decisions.push_back(decide(ctx->decideBlock()));
  if (ctx->perBlock()) return perBlock(ctx->perBlock(), ruleset);
  assert(false && "the grammar has no other declaration");
}

// `per estate_id ... end`: the block's declarations join the rule set's lists, marked as the group's.
void AstBuilder::perBlock(P::PerBlockContext* ctx, ast::Ruleset& ruleset) {
  ast::PerBlock block;
  block.key = ctx->key->getText();
  block.loc = at(ctx->K_PER());
  block.key_loc = at(ctx->key);
  if (ctx->record) {
    block.record = ctx->record->getText();
    block.record_loc = at(ctx->record);
  }
  ruleset.pers.push_back(std::move(block));
  for (P::PerMemberContext* member : ctx->perMember()) {
    if (member->letDecl()) addLet(member->letDecl(), -1, ruleset);
    else if (member->rejectDecl()) addReject(member->rejectDecl(), -1, ruleset);
    else if (member->outputDecl()) addOutput(member->outputDecl(), -1, ruleset);
    else if (member->decideBlock()) addDecide(member->decideBlock(), -1, ruleset);
    else if (member->eachBlock()) eachBlock(member->eachBlock(), ruleset);
    else if (member->foldBlock()) foldBlock(member->foldBlock(), ruleset);
    else ruleset.distributes.push_back(distribute(member->distributeDecl()));
  }
}

void AstBuilder::addLet(P::LetDeclContext* ctx, int block, ast::Ruleset& ruleset) {
  ruleset.lets.push_back(let(ctx));
  ruleset.lets.back().in_per = true;
  ruleset.lets.back().block = block;
}

void AstBuilder::addReject(P::RejectDeclContext* ctx, int block, ast::Ruleset& ruleset) {
  ruleset.lets.push_back(reject(ctx));
  ruleset.lets.back().in_per = true;
  ruleset.lets.back().block = block;
}

void AstBuilder::addOutput(P::OutputDeclContext* ctx, int block, ast::Ruleset& ruleset) {
  ruleset.outputs.push_back(output(ctx));
  ruleset.outputs.back().in_per = true;
  ruleset.outputs.back().block = block;
}

void AstBuilder::addDecide(P::DecideBlockContext* ctx, int block, ast::Ruleset& ruleset) {
  ruleset.decisions.push_back(decide(ctx));
  ruleset.decisions.back().in_per = true;
  ruleset.decisions.back().block = block;
}

// `each Claim as Payout ... end`: per record of Claim; its declarations name the block.
void AstBuilder::eachBlock(P::EachBlockContext* ctx, ast::Ruleset& ruleset) {
  ast::ItemBlock block;
  block.input = ctx->input->getText();
  block.loc = at(ctx->K_EACH());
  block.input_loc = at(ctx->input);
  if (ctx->record) {
    block.record = ctx->record->getText();
    block.record_loc = at(ctx->record);
  }
  int index = static_cast<int>(ruleset.blocks.size());
  ruleset.blocks.push_back(std::move(block));
  for (P::EachMemberContext* member : ctx->eachMember()) {
    if (member->letDecl()) addLet(member->letDecl(), index, ruleset);
    else if (member->rejectDecl()) addReject(member->rejectDecl(), index, ruleset);
    else if (member->outputDecl()) addOutput(member->outputDecl(), index, ruleset);
    else addDecide(member->decideBlock(), index, ruleset);
  }
}

// `fold Event as R where c ... end` or `fold year in a .. b as R ... end`: its states are outputs of the block marked `state`; its other
// outputs (only with `as R`) are the columns of record R, one row per folded record.
void AstBuilder::foldBlock(P::FoldBlockContext* ctx, ast::Ruleset& ruleset) {
  ast::ItemBlock block;
  block.fold = true;
  block.loc = at(ctx->K_FOLD());
  if (ctx->variable) {
    block.variable = ctx->variable->getText();
    block.variable_loc = at(ctx->variable);
    block.input_loc = block.variable_loc;
    block.low = coalesce(ctx->low);
    block.high = coalesce(ctx->high);
  } else {
    block.input = ctx->input->getText();
    block.input_loc = at(ctx->input);
  }
  if (ctx->record) {
    block.record = ctx->record->getText();
    block.record_loc = at(ctx->record);
  }
  if (ctx->filter) block.filter = expr(ctx->filter);
  if (ctx->rows) block.rows = expr(ctx->rows);
  int index = static_cast<int>(ruleset.blocks.size());
  ruleset.blocks.push_back(std::move(block));
  for (P::FoldMemberContext* member : ctx->foldMember()) {
    if (member->letDecl()) addLet(member->letDecl(), index, ruleset);
    else if (member->rejectDecl()) addReject(member->rejectDecl(), index, ruleset);
    else if (member->decideBlock()) addDecide(member->decideBlock(), index, ruleset);
    else if (member->outputDecl()) addOutput(member->outputDecl(), index, ruleset);
    else if (member->ledgerBlock()) ledgerBlock(member->ledgerBlock(), index, ruleset);
    else ruleset.outputs.push_back(state(member->stateDecl(), index));
  }
}

// `ledger Claim ... end` inside fold `fold`: a block of its own (after the fold's) whose states, lets
// and decide blocks name it.
void AstBuilder::ledgerBlock(P::LedgerBlockContext* ctx, int fold, ast::Ruleset& ruleset) {
  if (ctx->ledgerWord->getText() != "ledger") {
    errors_.report("E0131", at(ctx->ledgerWord), fmt::format("expected `ledger INPUT`, not `{}`", ctx->ledgerWord->getText()),
                   "a fold holds `state` declarations, lets, outputs, decide blocks and `ledger INPUT ... end` blocks");
  }
  ast::ItemBlock block;
  block.ledger = true;
  block.parent = fold;
  block.loc = at(ctx->ledgerWord);
  block.input = ctx->input->getText();
  block.input_loc = at(ctx->input);
  if (ctx->record) {
    block.record = ctx->record->getText();
    block.record_loc = at(ctx->record);
  }
  if (ctx->rows) block.rows = expr(ctx->rows);
  int index = static_cast<int>(ruleset.blocks.size());
  ruleset.blocks.push_back(std::move(block));
  for (P::LedgerMemberContext* member : ctx->ledgerMember()) {
    if (member->letDecl()) {
      addLet(member->letDecl(), index, ruleset);
    } else if (member->outputDecl()) {
      addOutput(member->outputDecl(), index, ruleset);
    } else if (member->decideBlock()) {
      addDecide(member->decideBlock(), index, ruleset);
    } else if (member->distributeDecl()) {
      ruleset.distributes.push_back(distribute(member->distributeDecl()));
      ruleset.distributes.back().block = index;
      ruleset.distributes.back().lets_before = ruleset.lets.size();
    } else {
      ruleset.outputs.push_back(state(member->stateDecl(), index));
    }
  }
}

// `state consent: enum(none, pending) = none`; `state` is a plain name, so it is checked here.
ast::OutputDecl AstBuilder::state(P::StateDeclContext* ctx, int block) {
  if (ctx->stateWord->getText() != "state") {
    errors_.report("E0131", at(ctx->stateWord), fmt::format("expected `state NAME: TYPE = INITIAL`, not `{}`", ctx->stateWord->getText()),
                   "a fold holds `state` declarations, lets and decide blocks");
  }
  ast::OutputDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  decl.type = type(ctx->typeRef());
  decl.default_value = expr(ctx->expr());
  decl.in_per = true;
  decl.block = block;
  decl.state = true;
  return decl;
}

// `distribute POOL over Claim amount A [by T] [ties K, ...] into payout [rest surplus]`.
ast::DistributeDecl AstBuilder::distribute(P::DistributeDeclContext* ctx) {
  auto expect = [&](antlr4::Token* word, const char* wanted, const char* form) {
    if (word != nullptr && word->getText() != wanted) {
      errors_.report("E0131", at(word), fmt::format("expected `{}` here, not `{}`", wanted, word->getText()),
                     fmt::format("write `{}`", form));
    }
  };
  expect(ctx->amountWord, "amount", "distribute POOL over INPUT amount VALUE ... into NAME");
  expect(ctx->tiesWord, "ties", "ties KEY, KEY");
  expect(ctx->restWord, "rest", "into NAME rest NAME");
  ast::DistributeDecl decl;
  decl.loc = at(ctx->K_DISTRIBUTE());
  decl.pool = expr(ctx->pool);
  decl.input = ctx->input->getText();
  decl.input_loc = at(ctx->input);
  decl.amount = expr(ctx->amount);
  for (P::ExprContext* tier : ctx->tiers) decl.tiers.push_back(expr(tier));
  for (P::ExprContext* tie : ctx->ties) decl.ties.push_back(expr(tie));
  decl.share = ctx->share->getText();
  decl.share_loc = at(ctx->share);
  if (ctx->rest) {
    decl.rest = ctx->rest->getText();
    decl.rest_loc = at(ctx->rest);
  }
  return decl;
}

ast::Setting AstBuilder::setting(P::SettingContext* ctx) {
  return ast::Setting{ctx->key->getText(), ctx->value->getText(), at(ctx->key), at(ctx->value)};
}

ast::InputDecl AstBuilder::input(P::InputDeclContext* ctx) {
  ast::InputDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  if (P::InputKeyContext* key = ctx->inputKey()) inputKey(key, decl);
  if (ctx->separator) {
    decl.separator = stringValue(ctx->separator);
    decl.separator_loc = at(ctx->separator);
  }
  for (P::FieldContext* field_ctx : ctx->field()) decl.fields.push_back(field(field_ctx));
  return decl;
}

// `key estate_id many order by claim_id, at`, `shared order by priority` or `derived order by due`;
// `order` is a plain name, so it is checked here.
void AstBuilder::inputKey(P::InputKeyContext* ctx, ast::InputDecl& decl) {
  if (ctx->shared || ctx->derived) {
    decl.shared = ctx->shared != nullptr;
    decl.derived = ctx->derived != nullptr;
    decl.many = true;
    decl.key_loc = at(ctx->shared ? ctx->shared : ctx->derived);
  } else {
    decl.key = ctx->key->getText();
    decl.key_loc = at(ctx->key);
    decl.many = ctx->many != nullptr;
  }
  if (ctx->orderWord && ctx->orderWord->getText() != "order") {
    errors_.report("E0130", at(ctx->orderWord), fmt::format("expected `order by`, not `{} by`", ctx->orderWord->getText()),
                   "write `order by FIELD, ...`");
  }
  for (antlr4::Token* field : ctx->orderFields) {
    decl.order_by.push_back(field->getText());
    decl.order_locs.push_back(at(field));
  }
}

ast::Field AstBuilder::field(P::FieldContext* ctx) {
  ast::Field field;
  field.name = ctx->name->getText();
  field.loc = at(ctx->name);
  field.type = type(ctx->typeRef());
  if (ctx->column) field.column = stringValue(ctx->column);
  if (ctx->format) {
    field.format = stringValue(ctx->format);
    field.format_loc = at(ctx->format);
  }
  return field;
}

ast::ParamDecl AstBuilder::param(P::ParamDeclContext* ctx) {
  ast::ParamDecl decl{ctx->name->getText(), at(ctx->name), type(ctx->typeRef()), nullptr};
  if (ctx->expr()) decl.default_value = expr(ctx->expr());
  return decl;
}

// `reject "reason" when c`: a let named after its place, whose value is c.
ast::LetDecl AstBuilder::reject(P::RejectDeclContext* ctx) {
  Location loc = at(ctx->K_REJECT());
  ast::LetDecl decl;
  decl.name = fmt::format("reject {}:{}", loc.line, loc.col);
  decl.loc = loc;
  decl.value = expr(ctx->condition);
  decl.reject = stringValue(ctx->reason);
  return decl;
}

ast::LetDecl AstBuilder::let(P::LetDeclContext* ctx) {
  ast::LetDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  if (ctx->typeRef()) decl.type = type(ctx->typeRef());
  decl.value = expr(ctx->expr());
  return decl;
}

// The grammar lets the default be absent so this can say what to write instead of "unexpected".
ast::OutputDecl AstBuilder::output(P::OutputDeclContext* ctx) {
  ast::OutputDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  decl.type = type(ctx->typeRef());
  if (ctx->expr()) {
    decl.default_value = expr(ctx->expr());
  } else {
    errors_.report("E0111", decl.loc, fmt::format("output `{}` has no default value", decl.name),
                   "every output needs one: add `= value` after the type");
  }
  if (ctx->format) {
    decl.format = stringValue(ctx->format);
    decl.format_loc = at(ctx->format);
  }
  return decl;
}

ast::DecideBlock AstBuilder::decide(P::DecideBlockContext* ctx) {
  ast::DecideBlock block{ctx->policy->getText(), at(ctx->K_DECIDE()), at(ctx->policy), {}};
  for (P::RuleDeclContext* rule_ctx : ctx->ruleDecl()) block.rules.push_back(rule(rule_ctx));
  if (ctx->K_TABLE()) decisionTable(ctx, block);
  return block;
}

ast::RuleDecl AstBuilder::rule(P::RuleDeclContext* ctx) {
  ast::RuleDecl decl;
  decl.name = ctx->name->getText();
  decl.loc = at(ctx->name);
  if (ctx->label) decl.label = stringValue(ctx->label);
  for (antlr4::Token* overridden : ctx->overridden) {
    decl.overrides.push_back(overridden->getText());
    decl.override_locs.push_back(at(overridden));
  }
  if (ctx->condition) decl.condition = expr(ctx->condition);
  for (P::AssignmentContext* assignment : ctx->assignment()) {
    decl.assignments.push_back(
        ast::Assignment{assignment->target->getText(), at(assignment->target), expr(assignment->expr())});
  }
  return decl;
}

namespace {

ast::TypeKind typeKind(size_t token_type) {
  using P = regelwerk_gen::RegelwerkParser;
  switch (token_type) {
    case P::T_BOOL:
      return ast::TypeKind::Bool;
    case P::T_INT:
      return ast::TypeKind::Int;
    case P::T_DECIMAL:
      return ast::TypeKind::Decimal;
    case P::T_MONEY:
      return ast::TypeKind::Money;
    case P::T_PERCENT:
      return ast::TypeKind::Percent;
    case P::T_DATE:
      return ast::TypeKind::Date;
    case P::T_DAYS:
      return ast::TypeKind::Days;
    case P::T_STRING:
      return ast::TypeKind::String;
    case P::T_TIMESTAMP:
      return ast::TypeKind::Timestamp;
    case P::T_DURATION:
      return ast::TypeKind::Duration;
    case P::T_TIME:
      return ast::TypeKind::Time;
    case P::T_ENUM:
      return ast::TypeKind::Enum;
    default:
      break;
  }
  assert(false && "baseType starts with a type keyword");
  return ast::TypeKind::Int;
}

}  // namespace

ast::TypeRef AstBuilder::type(P::TypeRefContext* ctx) {
  P::BaseTypeContext* base = ctx->baseType();
  ast::TypeRef type;
  type.kind = typeKind(base->getStart()->getType());
  type.loc = at(base->getStart());
  if (base->scale) type.scale_text = base->scale->getText();
  for (antlr4::Token* member : base->members) {
    type.members.push_back(member->getText());
    type.member_locs.push_back(at(member));
  }
  type.optional = ctx->optional != nullptr;
  return type;
}

// Drops the quotes and resolves `\"` and `\\`, the only escapes of the language; any other
// backslash is reported at its own column (E0108), e.g. `"C:\new"`.
std::string AstBuilder::stringValue(antlr4::Token* token) {
  std::string text = token->getText();
  std::string value;
  Location loc = at(token);
  for (size_t pos = 1; pos + 1 < text.size(); ++pos) {
    char ch = text[pos];
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++loc.col;
    if (ch != '\\') {
      value += ch;
      continue;
    }
    char escaped = text[++pos];
    ++loc.col;
    if (escaped != '"' && escaped != '\\') {
      size_t length = 1;
      while (pos + length < text.size() && (static_cast<unsigned char>(text[pos + length]) & 0xC0) == 0x80) ++length;
      Location backslash{loc.file, loc.line, loc.col - 1};
      errors_.report("E0108", backslash, fmt::format("unknown escape `\\{}` in a string", text.substr(pos, length)),
                     "only \\\" and \\\\ are escapes; write \\\\ for a backslash");
    }
    value += escaped;
  }
  return value;
}

}  // namespace regelwerk::syntax
