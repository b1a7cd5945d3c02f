// Params: the values of a rule set's params, kept as `--param` text so that one parser (the CLI's)
// binds them; the typed setters check the value and write it in that text form.
#include "api/api_state.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/columnar/cell_parser.hpp"

namespace regelwerk::api {

using namespace api_detail;

namespace {

const ir::Param* findParam(const ir::Program& program, const std::string& name) {
  for (const ir::Param& param : program.params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

bool unknownParam(const Rules& rules, const std::string& name, Error* error) {
  std::string names;
  for (const Field& field : rules.params()) names += (names.empty() ? "" : ", ") + field.name;
  return fail(error, ErrorCode::UnknownName,
              "no param `" + name + "` in " + rules.name() + (names.empty() ? " (it has none)" : " (it has " + names + ")"));
}

void remember(Params::State& state, const std::string& name, std::string text) {
  for (auto& [given_name, given_text] : state.given) {
    if (given_name == name) return void(given_text = std::move(text));
  }
  state.given.emplace_back(name, std::move(text));
}

}  // namespace

Params::Params(std::shared_ptr<const Rules> rules) : state_(std::make_unique<State>()) {
  state_->rules = std::move(rules);
}
Params::~Params() = default;
Params::Params(const Params& other) : state_(std::make_unique<State>(*other.state_)) {}
Params& Params::operator=(const Params& other) {
  if (this != &other) state_ = std::make_unique<State>(*other.state_);
  return *this;
}

bool Params::set(const std::string& name, const std::string& text, Error* error) {
  if (!state_->rules) return fail(error, ErrorCode::UnknownName, "these Params were made without Rules");
  const ir::Param* param = findParam(state_->rules->state().program(), name);
  if (!param) return unknownParam(*state_->rules, name, error);
  CellValue value;
  std::string reason = parseCell(param->type.required(), "", text, &value, name);
  if (!reason.empty()) {
    return fail(error, ErrorCode::BadValue, "param " + name + " = `" + text + "`: " + reason + " (" + name +
                                                " is " + ir::typeName(param->type) + ")");
  }
  remember(*state_, name, text);
  return true;
}

// The typed setters: the value is checked like an input column's, then written as the CSV writer would.
static bool setPhysical(Params::State& state, const ir::Program& program, const Rules& rules, const std::string& name,
                        int64_t value, bool is_bool, Error* error) {
  const ir::Param* param = findParam(program, name);
  if (!param) return unknownParam(rules, name, error);
  const bool param_is_bool = param->type.kind == ir::TypeKind::Bool;
  if (param_is_bool != is_bool || ir::physicalKind(param->type) == ir::Kind::Str) {
    return fail(error, ErrorCode::WrongType, "param " + name + " is " + ir::typeName(param->type) + ": use " +
                                                 (param->type.isString() ? "set()" : param_is_bool ? "setBool()" : "setInt64()"));
  }
  std::string why;
  if (!checkPhysical(param->type, name, value, &why)) return fail(error, ErrorCode::OutOfRange, "param " + name + ": " + why);
  std::string text;
  CellFormatter(param->type, "").append(CellValue{value, {}, false}, &text);
  remember(state, name, std::move(text));
  return true;
}

bool Params::setInt64(const std::string& name, int64_t value, Error* error) {
  if (!state_->rules) return fail(error, ErrorCode::UnknownName, "these Params were made without Rules");
  return setPhysical(*state_, state_->rules->state().program(), *state_->rules, name, value, false, error);
}

bool Params::setBool(const std::string& name, bool value, Error* error) {
  if (!state_->rules) return fail(error, ErrorCode::UnknownName, "these Params were made without Rules");
  return setPhysical(*state_, state_->rules->state().program(), *state_->rules, name, value ? 1 : 0, true, error);
}

}  // namespace regelwerk::api
