// Binds `--param name=value` to the rule set's params: given values, else defaults; exact parsing.
#include "runtime/exec/api.hpp"
#include "runtime/columnar/cell_parser.hpp"
#include "runtime/columnar/utf8.hpp"

namespace regelwerk {

namespace {

const std::pair<std::string, std::string>* findGiven(const std::vector<std::pair<std::string, std::string>>& given,
                                                     const std::string& name) {
  for (const auto& pair : given) {
    if (pair.first == name) return &pair;
  }
  return nullptr;
}

// `--param fee=5 --param fee=6` is a mistake to point out, not a choice to make silently.
bool checkNamesOnce(const std::vector<std::pair<std::string, std::string>>& given, std::string* error) {
  for (size_t index = 0; index < given.size(); ++index) {
    if (findGiven(given, given[index].first) == &given[index]) continue;
    *error = "--param " + given[index].first + " is given twice: give each param once";
    return false;
  }
  return true;
}

bool checkNamesKnown(const ir::Program& program, const std::vector<std::pair<std::string, std::string>>& given,
                     std::string* error) {
  for (const auto& [name, value] : given) {
    bool known = false;
    for (const ir::Param& param : program.params) known = known || param.name == name;
    if (known) continue;
    std::string names;
    for (const ir::Param& param : program.params) names += (names.empty() ? "`" : ", `") + param.name + "`";
    *error = "unknown --param `" + printableText(name) + "`; " + program.source_path +
             (names.empty() ? " declares no params" : " declares " + names);
    return false;
  }
  return true;
}

// Parses a given value like a CSV cell of the param's type; strings are kept in `storage`.
bool parseGiven(const ir::Param& param, const std::string& text, ParamSlot* slot, std::string* storage,
                std::string* error) {
  CellValue value;
  std::string reason = parseCell(param.type.required(), "", text, &value, param.name);
  if (!reason.empty()) {
    *error = "--param " + param.name + "=" + text + ": " + reason + " (" + param.name + " is " +
             ir::typeName(param.type) + ")";
    return false;
  }
  *storage = std::string(value.str);
  slot->i64 = value.i64;
  return true;
}

}  // namespace

bool bindParams(const ir::Program& program, const std::vector<std::pair<std::string, std::string>>& given,
                std::vector<ParamSlot>* slots, std::vector<std::string>* storage, std::string* error) {
  if (!checkNamesKnown(program, given, error) || !checkNamesOnce(given, error)) return false;
  slots->assign(program.params.size(), ParamSlot{0, StrRef{nullptr, 0}});
  storage->assign(program.params.size(), std::string());
  for (size_t index = 0; index < program.params.size(); ++index) {
    const ir::Param& param = program.params[index];
    ParamSlot& slot = (*slots)[index];
    if (const auto* pair = findGiven(given, param.name)) {
      if (!parseGiven(param, pair->second, &slot, &(*storage)[index], error)) return false;
    } else if (param.has_default) {
      slot.i64 = param.default_i64;
      (*storage)[index] = param.default_str;
    } else {
      *error = "param `" + param.name + "` has no default: set it with --param " + param.name + "=VALUE";
      return false;
    }
  }
  // StrRefs point into `storage`, which is not resized after this point.
  for (size_t index = 0; index < program.params.size(); ++index) {
    const std::string& text = (*storage)[index];
    (*slots)[index].str = StrRef{text.data(), static_cast<int64_t>(text.size())};
  }
  return true;
}

}  // namespace regelwerk
