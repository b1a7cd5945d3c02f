// Physical kinds of logical types (see type.hpp for the representation table).
#include <algorithm>

#include "ir.hpp"

namespace regelwerk::ir {

Kind physicalKind(const Type& type) {
  switch (type.kind) {
    case TypeKind::Bool: return Kind::Bool;
    case TypeKind::String: return Kind::Str;
    default: return Kind::I64;
  }
}

std::vector<Type> typesOf(const std::vector<InputColumn>& columns) {
  std::vector<Type> types;
  for (const InputColumn& column : columns) types.push_back(column.type);
  return types;
}

std::vector<Type> typesOf(const std::vector<Output>& outputs) {
  std::vector<Type> types;
  for (const Output& output : outputs) types.push_back(output.type);
  return types;
}

namespace {

void markInputs(const Expr* expr, std::vector<bool>* read) {
  if (expr == nullptr) return;
  if (expr->op == Op::Input && expr->index < read->size()) (*read)[expr->index] = true;
  for (const ExprPtr& arg : expr->args) markInputs(arg.get(), read);
}

}  // namespace

std::vector<bool> inputsRead(const Program& program) {
  std::vector<bool> read(program.inputs.size(), false);
  for (const Let& let : program.lets) markInputs(let.value.get(), &read);
  for (const Decision& decision : program.decisions) {
    for (const Rule& rule : decision.rules) {
      markInputs(rule.condition.get(), &read);
      for (const Assignment& assignment : rule.assignments) markInputs(assignment.value.get(), &read);
    }
  }
  for (const Output& output : program.outputs) markInputs(output.default_value.get(), &read);
  return read;
}

}  // namespace regelwerk::ir

namespace regelwerk::ir {

const char* hitPolicyName(HitPolicy policy) {
  switch (policy) {
    case HitPolicy::First: return "first";
    case HitPolicy::Unique: return "unique";
    case HitPolicy::Exceptions: return "exceptions";
  }
  return "first";
}

std::vector<const Program*> Grouping::stagePrograms() const {
  std::vector<const Program*> programs;
  for (const ItemStage& stage : items) programs.push_back(stage.program.get());
  for (const FoldStage& fold : folds) programs.push_back(fold.program.get());
  for (const EachStage& each : eaches) programs.push_back(each.program.get());
  if (pools) programs.push_back(pools.get());
  for (const LateStage& late : lates) programs.push_back(late.program.get());
  for (const FoldStage& fold : folds) {
    if (fold.range) programs.push_back(fold.range.get());
  }
  for (const FoldStage& fold : folds) {
    for (const StepAggregate& aggregate : fold.aggregates) programs.push_back(aggregate.program.get());
  }
  for (const FoldStage& fold : folds) {
    for (const Ledger& ledger : fold.ledgers) programs.push_back(ledger.program.get());
  }
  for (const FoldStage& fold : folds) {
    for (const Ledger& ledger : fold.ledgers) {
      if (!ledger.shares) continue;
      programs.push_back(ledger.shares.get());
      programs.push_back(ledger.pools.get());
    }
  }
  for (const FoldStage& fold : folds) {
    for (const Ledger& ledger : fold.ledgers) {
      for (const StepAggregate& aggregate : ledger.aggregates) programs.push_back(aggregate.program.get());
    }
  }
  return programs;
}

size_t Grouping::ledgerAggregateStage(size_t fold, size_t ledger, size_t aggregate) const {
  size_t stage = ledgerSharesStage(folds.size(), 0);
  for (size_t at = 0; at < folds.size(); ++at) {
    for (size_t other = 0; other < folds[at].ledgers.size(); ++other) {
      if (at == fold && other == ledger) return stage + aggregate;
      stage += folds[at].ledgers[other].aggregates.size();
    }
  }
  return stage;
}

size_t Grouping::ledgerSharesStage(size_t fold, size_t ledger) const {
  size_t stage = ledgerStage(folds.size(), 0);
  for (size_t at = 0; at < folds.size(); ++at) {
    for (size_t other = 0; other < folds[at].ledgers.size(); ++other) {
      if (at == fold && other == ledger) return stage;
      if (folds[at].ledgers[other].shares) stage += 2;
    }
  }
  return stage;
}

uint32_t ItemStage::lastFold() const {
  uint32_t last = 0;
  for (const Writer& writer : writers) last = std::max(last, writer.fold);
  return last;
}

bool Grouping::derivedRecord(const std::string& record) const {
  return std::any_of(items.begin(), items.end(), [&](const ItemStage& item) { return item.derived() && item.input == record; });
}

size_t Ledger::firstAggregateInput() const { return program->inputs.size() - let_outputs.size() - (shares ? 1 : 0) - aggregates.size(); }

size_t Ledger::shareInput() const { return firstAggregateInput() + aggregates.size(); }

size_t FoldStage::rests() const {
  return static_cast<size_t>(std::count_if(ledgers.begin(), ledgers.end(), [](const Ledger& ledger) { return ledger.shares != nullptr; }));
}

size_t FoldStage::firstAggregateInput() const { return program->inputs.size() - rests() - aggregates.size(); }

size_t FoldStage::restInput(size_t ledger) const {
  size_t input = firstAggregateInput() + aggregates.size();
  for (size_t before = 0; before < ledger; ++before) input += ledgers[before].shares ? 1 : 0;
  return input;
}

size_t Grouping::ledgerStage(size_t fold, size_t ledger) const {
  size_t stage = stepAggregateStage(folds.size(), 0);
  for (size_t before = 0; before < fold; ++before) stage += folds[before].ledgers.size();
  return stage + ledger;
}

size_t Grouping::stepAggregateStage(size_t fold, size_t aggregate) const {
  size_t stage = rangeStage(folds.size());
  for (size_t before = 0; before < fold; ++before) stage += folds[before].aggregates.size();
  return stage + aggregate;
}

size_t Grouping::rangeStage(size_t fold) const {
  size_t stage = lateStage(lates.size());
  for (size_t before = 0; before < fold; ++before) stage += folds[before].range ? 1 : 0;
  return stage;
}

}  // namespace regelwerk::ir
