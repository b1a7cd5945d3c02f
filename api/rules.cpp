// Rules: a checked rule file and the public description of its inputs, outputs and params.
#include <utility>

#include "api/api_state.hpp"

namespace regelwerk::api_detail {

int findField(const std::vector<Field>& fields, const std::string& name) {
  for (size_t index = 0; index < fields.size(); ++index) {
    if (fields[index].name == name) return static_cast<int>(index);
  }
  return -1;
}

bool fail(Error* error, ErrorCode code, std::string message) {
  if (error) *error = Error{code, std::move(message)};
  return false;
}

}  // namespace regelwerk::api_detail

namespace regelwerk::api {

using namespace api_detail;

namespace {

Type publicType(ir::TypeKind kind) {
  switch (kind) {
    case ir::TypeKind::Bool: return Type::Bool;
    case ir::TypeKind::Int: return Type::Int;
    case ir::TypeKind::Decimal: return Type::Decimal;
    case ir::TypeKind::Money: return Type::Money;
    case ir::TypeKind::Percent: return Type::Percent;
    case ir::TypeKind::Date: return Type::Date;
    case ir::TypeKind::Days: return Type::Days;
    case ir::TypeKind::String: return Type::String;
    case ir::TypeKind::Enum: return Type::Enum;
    case ir::TypeKind::Timestamp: return Type::Timestamp;
    case ir::TypeKind::Duration: return Type::Duration;
    case ir::TypeKind::Time: return Type::Time;
  }
  return Type::Int;
}

Field publicField(const std::string& name, const ir::Type& type, const std::string& column = "",
                  const std::string& format = "") {
  Field field;
  field.name = name;
  field.type = publicType(type.kind);
  field.scale = type.scale;
  field.optional = type.optional;
  field.members = type.members;
  field.currency = type.currency;
  field.type_name = ir::typeName(type);
  field.column = column;
  field.format = format;
  return field;
}

}  // namespace

Rules::Rules(std::unique_ptr<State> state) : state_(std::move(state)) {
  const ir::Program& program = state_->program();
  for (const ir::InputColumn& input : program.inputs) state_->inputs.push_back(publicField(input.name, input.type, input.header, input.format));
  for (const ir::Output& output : program.outputs) state_->outputs.push_back(publicField(output.name, output.type, "", output.format));
  for (const ir::Param& param : program.params) state_->params.push_back(publicField(param.name, param.type));
}

Rules::~Rules() = default;

// One path for files and text: RuleSet reports an unreadable file in `io_error`, rule errors in
// `diagnostics`; both become an Error, and a success clears it.
static std::unique_ptr<Rules::State> checked(std::unique_ptr<regelwerk::RuleSet> rule_set,
                                             const Diagnostics& diagnostics, const std::string& io_error,
                                             Error* error) {
  if (!io_error.empty()) return fail(error, ErrorCode::Io, io_error), nullptr;
  if (!rule_set) {
    std::string count = std::to_string(diagnostics.errors) + (diagnostics.errors == 1 ? " error" : " errors");
    return fail(error, ErrorCode::RuleErrors, diagnostics.text + count), nullptr;
  }
  if (error) *error = Error{};
  auto state = std::make_unique<Rules::State>();
  state->rule_set = std::move(rule_set);
  return state;
}

std::shared_ptr<const Rules> Rules::load(const std::string& path, Error* error) {
  Diagnostics diagnostics;
  std::string io_error;
  auto rule_set = regelwerk::RuleSet::load(path, &diagnostics, &io_error);
  auto state = checked(std::move(rule_set), diagnostics, io_error, error);
  return state ? std::shared_ptr<const Rules>(new Rules(std::move(state))) : nullptr;
}

std::shared_ptr<const Rules> Rules::fromText(const std::string& name, const std::string& text, Error* error) {
  Diagnostics diagnostics;
  auto state = checked(regelwerk::RuleSet::fromText(name, text, &diagnostics), diagnostics, "", error);
  return state ? std::shared_ptr<const Rules>(new Rules(std::move(state))) : nullptr;
}

const std::string& Rules::name() const { return state_->program().name; }
std::vector<std::string> Rules::files() const { return state_->rule_set->files(); }
const std::vector<Field>& Rules::inputs() const { return state_->inputs; }
const std::vector<Field>& Rules::outputs() const { return state_->outputs; }
const std::vector<Field>& Rules::params() const { return state_->params; }
bool Rules::grouped() const { return state_->program().grouping != nullptr; }

const char* version() { return REGELWERK_VERSION; }

}  // namespace regelwerk::api
