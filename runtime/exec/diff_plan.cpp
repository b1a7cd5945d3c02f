// The columns of a diff: the shared input columns, the paired outputs and how each pair is compared.
#include "diff_plan.hpp"

namespace regelwerk {

namespace {

bool sameColumn(const ir::InputColumn& a, const ir::InputColumn& b) {
  return a.header == b.header && a.type == b.type && a.format == b.format;
}

// Both versions usually read the same columns: then the shared batch is the old version's. A column
// the new version reads differently (another type or format) is parsed a second time, as its own.
void planInputs(DiffPlan* plan) {
  for (DiffVersion& version : plan->versions) {
    version.input_column.clear();
    for (const ir::InputColumn& input : version.program->inputs) {
      size_t column = 0;
      while (column < plan->inputs.size() && !sameColumn(plan->inputs[column], input)) ++column;
      if (column == plan->inputs.size()) plan->inputs.push_back(input);
      version.input_column.push_back(column);
    }
  }
}

// Values of an enum or bool output as the transition counts index them; 0 for other types.
size_t countedValues(const ir::Type& type) {
  if (type.kind == ir::TypeKind::Enum) return type.members.size() + 1;
  if (type.kind == ir::TypeKind::Bool) return 3;
  return 0;
}

CompareMode compareMode(const ir::Type& old_type, const ir::Type& new_type) {
  if (!(old_type.required() == new_type.required())) return CompareMode::Text;
  switch (ir::physicalKind(old_type)) {
    case ir::Kind::Bool:
      return CompareMode::Bool;
    case ir::Kind::Str:
      return CompareMode::Str;
    default:
      return CompareMode::Int;
  }
}

OutputPair pairOutputs(const ir::Program& old_program, size_t old_output, const ir::Program& new_program,
                       size_t new_output) {
  const ir::Type& old_type = old_program.outputs[old_output].type;
  const ir::Type& new_type = new_program.outputs[new_output].type;
  OutputPair pair;
  pair.name = old_program.outputs[old_output].name;
  pair.old_output = old_output;
  pair.new_output = new_output;
  pair.mode = compareMode(old_type, new_type);
  pair.old_values = countedValues(old_type);
  pair.new_values = countedValues(new_type);
  if (pair.old_values == 0 || pair.new_values == 0) pair.old_values = pair.new_values = 0;
  pair.value_pairs = pair.mode == CompareMode::Int && pair.old_values == 0;
  if (pair.mode == CompareMode::Text) {
    pair.old_text = std::make_shared<CellFormatter>(old_type, "");
    pair.new_text = std::make_shared<CellFormatter>(new_type, "");
  }
  return pair;
}

int findOutput(const ir::Program& program, const std::string& name) {
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    if (program.outputs[output].name == name) return static_cast<int>(output);
  }
  return -1;
}

void planMoney(DiffVersion* version) {
  version->money_outputs.clear();
  for (size_t output = 0; output < version->program->outputs.size(); ++output) {
    if (version->program->outputs[output].type.kind == ir::TypeKind::Money) version->money_outputs.push_back(output);
  }
}

}  // namespace

void planColumns(DiffPlan* plan) {
  planInputs(plan);
  const ir::Program& old_program = *plan->versions[kOld].program;
  const ir::Program& new_program = *plan->versions[kNew].program;
  for (size_t output = 0; output < old_program.outputs.size(); ++output) {
    int other = findOutput(new_program, old_program.outputs[output].name);
    if (other < 0)
      plan->only_old.push_back(old_program.outputs[output].name);
    else
      plan->pairs.push_back(pairOutputs(old_program, output, new_program, static_cast<size_t>(other)));
  }
  for (const ir::Output& output : new_program.outputs) {
    if (findOutput(old_program, output.name) < 0) plan->only_new.push_back(output.name);
  }
  for (DiffVersion& version : plan->versions) planMoney(&version);
}

std::string valueText(const ir::Type& type, const CellValue& value) {
  if (value.missing) return "missing";
  std::string text;
  formatCell(type, "", value, &text);
  return text;
}

std::string countedValueName(const ir::Type& type, size_t index) {
  if (type.kind == ir::TypeKind::Bool) return index == 0 ? "false" : index == 1 ? "true" : "missing";
  return index < type.members.size() ? type.members[index] : "missing";
}

}  // namespace regelwerk
