// `input D derived order by …` (docs/language.md, "Derived inputs"): a `many` input of the group whose
// records are not read from a file but are the rows its folds and ledgers write `as D`, in D's
// order. Every writer's outputs are D's fields (names, order, types), and D is read only after the
// fold of its last writer, when its records are complete: by folds, ledgers and their aggregates and
// distributions written after that fold, and anywhere at group level (aggregates, distributions,
// `each`), which runs after every fold.
#include <fmt/format.h>

#include <algorithm>

#include "checker.hpp"

namespace regelwerk::sema {

namespace {

// The fold a block runs in: itself, or a ledger's fold.
int foldOf(const ast::Ruleset& ruleset, int block) {
  return ruleset.blocks[static_cast<size_t>(block)].ledger ? ruleset.blocks[static_cast<size_t>(block)].parent : block;
}

}  // namespace

void Checker::checkDerivedInputs() {
  for (uint32_t input = 0; input < ast_.inputs.size(); ++input) {
    if (ast_.inputs[input].derived) checkDerivedInput(input);
  }
}

void Checker::checkDerivedInput(uint32_t input) {
  const ast::InputDecl& decl = ast_.inputs[input];
  for (const ast::Field& field : decl.fields) {
    if (!field.column && !field.format) continue;
    error("E0983", field.format ? field.format_loc : field.loc,
          fmt::format("field `{}` of derived `{}` has {}; a derived input reads no file", field.name, decl.name,
                      field.column ? "a `from` header" : "a `format`"),
          "drop it: the rows' columns are the writers' outputs (their `format` is the written record's)");
  }
  if (decl.separator) {
    error("E0983", decl.separator_loc, fmt::format("derived `{}` has a `separator`; a derived input reads no file", decl.name),
          "drop it");
  }
  int last_fold = -1;  // D's records are complete after this fold block
  int first_writer = -1;
  for (uint32_t block = 0; block < ast_.blocks.size(); ++block) {
    const ast::ItemBlock& writer = ast_.blocks[block];
    if (writer.record != decl.name || (!writer.fold && !writer.ledger)) continue;  // an each block: checkRecordNames
    checkDerivedColumns(input, block, first_writer);
    if (first_writer < 0) first_writer = static_cast<int>(block);
    last_fold = std::max(last_fold, foldOf(ast_, static_cast<int>(block)));
  }
  if (last_fold < 0) {
    error("E0983", decl.key_loc, fmt::format("`{}` is derived, but no fold or ledger writes `as {}`", decl.name, decl.name),
          fmt::format("write its rows with `fold X as {} ... end` or `ledger X as {} ... end`, whose outputs are its fields",
                      decl.name, decl.name));
    return;
  }
  checkDerivedReads(input, last_fold);
}

// The outputs (not the states) of writer block `block`: the columns of its rows.
std::vector<uint32_t> Checker::rowColumns(uint32_t block) const {
  std::vector<uint32_t> columns;
  for (uint32_t output = 0; output < ast_.outputs.size(); ++output) {
    if (ast_.outputs[output].block == static_cast<int>(block) && !ast_.outputs[output].state) columns.push_back(output);
  }
  return columns;
}

// A writer's outputs are D's fields: the same names, in the same order, of the same types, with the
// same `format` as the first writer's (D is written as one record).
void Checker::checkDerivedColumns(uint32_t input, uint32_t block, int first_writer) {
  const ast::InputDecl& decl = ast_.inputs[input];
  const std::vector<uint32_t>& fields = out_.group.fields[input];
  const std::vector<uint32_t> columns = rowColumns(block);
  const std::vector<uint32_t> first = first_writer < 0 ? columns : rowColumns(static_cast<uint32_t>(first_writer));
  std::string expected;
  for (uint32_t field : fields) expected += fmt::format("{}{}: {}", expected.empty() ? "" : ", ", out_.fields[field].name, ir::typeName(out_.fields[field].type));
  const std::string hint = fmt::format("write the outputs {} in this order", expected);
  for (size_t column = 0; column < std::max(columns.size(), fields.size()); ++column) {
    if (column >= columns.size()) {
      error("E0983", ast_.blocks[block].record_loc,
            fmt::format("the rows written `as {}` have no column `{}`, a field of derived `{}`", decl.name, out_.fields[fields[column]].name, decl.name),
            hint);
      return;
    }
    const ast::OutputDecl& output = ast_.outputs[columns[column]];
    if (column >= fields.size() || output.name != out_.fields[fields[column]].name) {
      error("E0983", output.loc,
            column >= fields.size()
                ? fmt::format("output `{}` is not a field of derived `{}`, whose rows this block writes", output.name, decl.name)
                : fmt::format("output `{}` stands where derived `{}` has field `{}`", output.name, decl.name, out_.fields[fields[column]].name),
            hint);
      return;
    }
    const ir::Type& type = out_.outputs[columns[column]].type;
    if (type != out_.fields[fields[column]].type) {
      error("E0983", output.loc,
            fmt::format("output `{}` is {}, but field `{}` of derived `{}` is {}", output.name, ir::typeName(type), output.name,
                        decl.name, ir::typeName(out_.fields[fields[column]].type)),
            "declare both with one type");
      return;
    }
    const std::string format = output.format.value_or("");
    if (column < first.size() && format != ast_.outputs[first[column]].format.value_or("")) {
      error("E0983", output.loc,
            fmt::format("output `{}` is written {}, but the first block that writes `{}` (line {}) writes it {}", output.name,
                        format.empty() ? "without a format" : "with format \"" + format + "\"", decl.name,
                        ast_.blocks[static_cast<size_t>(first_writer)].loc.line,
                        ast_.outputs[first[column]].format ? "with format \"" + *ast_.outputs[first[column]].format + "\"" : "without one"),
            fmt::format("give every writer's output the same format: `{}` is written as one record", decl.name));
      return;
    }
  }
}

// D's records exist once the fold of its last writer is done: a fold, a ledger, or an aggregate or a
// distribution inside a fold, that reads D runs in a later fold.
void Checker::checkDerivedReads(uint32_t input, int last_fold) {
  const std::string& name = ast_.inputs[input].name;
  auto early = [&](int block, Location loc) {
    if (foldOf(ast_, block) > last_fold) return;
    error("E0984", loc,
          fmt::format("`{}`'s records are complete after the fold at line {}, its last writer; this reads them in {}", name,
                      ast_.blocks[static_cast<size_t>(last_fold)].loc.line,
                      foldOf(ast_, block) == last_fold ? "that fold" : "an earlier fold"),
          fmt::format("read `{}` in a fold written after that one, or at group level (aggregates, `each`, `distribute`)", name));
  };
  for (uint32_t block = 0; block < ast_.blocks.size(); ++block) {
    const ast::ItemBlock& item = ast_.blocks[block];
    if ((item.fold || item.ledger) && !item.overRange() && item.input == name) early(static_cast<int>(block), item.input_loc);
  }
  for (const AggregateInfo& aggregate : out_.group.step_aggregates) {
    if (aggregate.input == input) early(aggregate.fold, aggregate.expr->loc);
  }
  for (const std::vector<AggregateInfo>* aggregates : {&out_.group.ledger_aggregates, &out_.group.pool_aggregates}) {
    for (const AggregateInfo& aggregate : *aggregates) {
      if (aggregate.input == input) early(aggregate.in_ledger, aggregate.expr->loc);
    }
  }
  for (size_t index = 0; index < ast_.distributes.size(); ++index) {
    if (ast_.distributes[index].block >= 0 && ast_.distributes[index].input == name) early(ast_.distributes[index].block, ast_.distributes[index].input_loc);
  }
}

}  // namespace regelwerk::sema
