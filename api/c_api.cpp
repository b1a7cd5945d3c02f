// The C API (include/regelwerk/regelwerk.h) over the C++ API: handles own shared_ptrs, errors become a
// status and a malloc'ed message; Arrow arrays go to Batch::setArrow (api/arrow_import.cpp).
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "api/c_handles.hpp"

namespace {

const std::vector<api::Field>& fieldsOf(const api::Rules& rules, rw_field_kind kind) {
  return kind == RW_INPUT ? rules.inputs() : kind == RW_OUTPUT ? rules.outputs() : rules.params();
}

rw_rules* wrapRules(std::shared_ptr<const api::Rules> rules) {
  auto* handle = new rw_rules{std::move(rules), {}};
  for (rw_field_kind kind : {RW_INPUT, RW_OUTPUT, RW_PARAM}) {
    for (const api::Field& field : fieldsOf(*handle->rules, kind)) {
      std::vector<const char*>& names = handle->members[kind].emplace_back();
      for (const std::string& member : field.members) names.push_back(member.c_str());
    }
  }
  return handle;
}

}  // namespace

namespace regelwerk::c_api_detail {

char* copyText(const std::string& text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy) std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

rw_status report(const api::Error& error, char** out) {
  if (out) *out = error ? copyText(error.message) : nullptr;
  return static_cast<rw_status>(error.code);
}

rw_status nullArgument(const char* what, char** out) {
  if (out) *out = copyText(std::string(what) + " is NULL");
  return RW_ERR_NULL;
}

}  // namespace regelwerk::c_api_detail

using namespace regelwerk::c_api_detail;

extern "C" {

const char* rw_version(void) { return api::version(); }
void rw_string_free(char* text) { std::free(text); }

rw_status rw_rules_load(const char* path, rw_rules** out, char** error) {
  if (!path || !out) return nullArgument(!path ? "path" : "out", error);
  api::Error failure;
  auto rules = api::Rules::load(path, &failure);
  *out = rules ? wrapRules(std::move(rules)) : nullptr;
  return report(failure, error);
}

rw_status rw_rules_from_text(const char* name, const char* text, size_t length, rw_rules** out, char** error) {
  if (!name || !text || !out) return nullArgument(!name ? "name" : !text ? "text" : "out", error);
  api::Error failure;
  auto rules = api::Rules::fromText(name, std::string(text, length), &failure);
  *out = rules ? wrapRules(std::move(rules)) : nullptr;
  return report(failure, error);
}

void rw_rules_free(rw_rules* rules) { delete rules; }

size_t rw_rules_field_count(const rw_rules* rules, rw_field_kind kind) {
  return rules && kind >= RW_INPUT && kind <= RW_PARAM ? fieldsOf(*rules->rules, kind).size() : 0;
}

rw_status rw_rules_field(const rw_rules* rules, rw_field_kind kind, size_t index, rw_field* out, char** error) {
  if (!rules || !out) return nullArgument(!rules ? "rules" : "out", error);
  if (index >= rw_rules_field_count(rules, kind)) {
    return report(api::Error{api::ErrorCode::OutOfRange, "field index " + std::to_string(index) + " is out of range (" +
                                                             std::to_string(rw_rules_field_count(rules, kind)) + " fields)"},
                  error);
  }
  const api::Field& field = fieldsOf(*rules->rules, kind)[index];
  const std::vector<const char*>& members = rules->members[kind][index];
  *out = rw_field{field.name.c_str(), static_cast<rw_type>(field.type), field.scale, field.optional ? 1 : 0,
                  members.size(), members.data(), field.type_name.c_str()};
  return report(api::Error{}, error);
}

int rw_rules_grouped(const rw_rules* rules) { return rules && rules->rules->grouped() ? 1 : 0; }

rw_status rw_engine_create(const rw_rules* rules, rw_engine_kind kind, rw_engine** out, char** error) {
  if (!rules || !out) return nullArgument(!rules ? "rules" : "out", error);
  api::Error failure;
  auto engine = api::Engine::create(rules->rules, kind == RW_JIT ? api::EngineKind::Jit : api::EngineKind::Interpreter,
                                    &failure);
  *out = engine ? new rw_engine{std::move(engine)} : nullptr;
  return report(failure, error);
}

void rw_engine_free(rw_engine* engine) { delete engine; }

rw_batch* rw_batch_new(const rw_rules* rules, size_t rows) {
  if (!rules) return nullptr;
  return new rw_batch{std::make_unique<api::Batch>(rules->rules, rows)};
}

void rw_batch_free(rw_batch* batch) { delete batch; }

rw_status rw_batch_set_bool(rw_batch* batch, const char* name, const uint8_t* values, size_t length,
                            const uint8_t* valid, char** error) {
  if (!batch || !name) return nullArgument(!batch ? "batch" : "name", error);
  api::Error failure;
  batch->batch->setBool(name, values, length, valid, &failure);
  return report(failure, error);
}

rw_status rw_batch_set_int64(rw_batch* batch, const char* name, const int64_t* values, size_t length,
                             const uint8_t* valid, char** error) {
  if (!batch || !name) return nullArgument(!batch ? "batch" : "name", error);
  api::Error failure;
  batch->batch->setInt64(name, values, length, valid, &failure);
  return report(failure, error);
}

rw_status rw_batch_set_strings(rw_batch* batch, const char* name, const char* data, const int32_t* offsets,
                               size_t length, const uint8_t* valid, char** error) {
  if (!batch || !name) return nullArgument(!batch ? "batch" : "name", error);
  api::Error failure;
  batch->batch->setStrings(name, data, offsets, length, valid, &failure);
  return report(failure, error);
}

rw_status rw_batch_set_text(rw_batch* batch, const char* name, const char* const* cells, size_t length, char** error) {
  if (!batch || !name || (!cells && length > 0)) return nullArgument(!batch ? "batch" : !name ? "name" : "cells", error);
  std::vector<std::string> copies;
  copies.reserve(length);
  for (size_t row = 0; row < length; ++row) {
    if (!cells[row]) return nullArgument(("cell " + std::to_string(row)).c_str(), error);
    copies.emplace_back(cells[row]);
  }
  api::Error failure;
  batch->batch->setText(name, copies, &failure);
  return report(failure, error);
}

rw_status rw_batch_set_arrow(rw_batch* batch, const char* name, const ArrowSchema* schema, const ArrowArray* array,
                             char** error) {
  if (!batch || !name || !schema || !array) {
    return nullArgument(!batch ? "batch" : !name ? "name" : !schema ? "schema" : "array", error);
  }
  api::Error failure;
  batch->batch->setArrow(name, schema, array, &failure);
  return report(failure, error);
}

rw_params* rw_params_new(const rw_rules* rules) { return rules ? new rw_params{api::Params(rules->rules)} : nullptr; }
void rw_params_free(rw_params* params) { delete params; }

rw_status rw_params_set(rw_params* params, const char* name, const char* text, char** error) {
  if (!params || !name || !text) return nullArgument(!params ? "params" : !name ? "name" : "text", error);
  api::Error failure;
  params->params.set(name, text, &failure);
  return report(failure, error);
}

rw_status rw_params_set_int64(rw_params* params, const char* name, int64_t value, char** error) {
  if (!params || !name) return nullArgument(!params ? "params" : "name", error);
  api::Error failure;
  params->params.setInt64(name, value, &failure);
  return report(failure, error);
}

rw_status rw_params_set_bool(rw_params* params, const char* name, int value, char** error) {
  if (!params || !name) return nullArgument(!params ? "params" : "name", error);
  api::Error failure;
  params->params.setBool(name, value != 0, &failure);
  return report(failure, error);
}

rw_status rw_engine_evaluate(const rw_engine* engine, const rw_batch* batch, const rw_params* params, rw_result** out,
                             char** error) {
  if (!engine || !batch || !out) return nullArgument(!engine ? "engine" : !batch ? "batch" : "out", error);
  // *out from an earlier call is evaluated into again: its memory is reused (docs/embedding.md).
  std::unique_ptr<rw_result> result(*out ? *out : new rw_result());
  *out = nullptr;
  api::Error failure;
  const api::Params defaults(engine->engine->rules());
  if (engine->engine->evaluate(*batch->batch, params ? params->params : defaults, &result->result, &failure)) {
    *out = result.release();
  }
  return report(failure, error);
}

rw_status rw_engine_evaluate_one(const rw_engine* engine, const char* const* names, const char* const* cells,
                                 size_t count, const rw_params* params, rw_result** out, char** error) {
  if (!engine || !out || (count > 0 && (!names || !cells))) {
    return nullArgument(!engine ? "engine" : !out ? "out" : !names ? "names" : "cells", error);
  }
  *out = nullptr;
  std::vector<std::pair<std::string, std::string>> fields;
  for (size_t index = 0; index < count; ++index) {
    if (!names[index] || !cells[index]) return nullArgument(("field " + std::to_string(index)).c_str(), error);
    fields.emplace_back(names[index], cells[index]);
  }
  auto result = std::make_unique<rw_result>();
  api::Error failure;
  const api::Params defaults(engine->engine->rules());
  if (engine->engine->evaluateOne(fields, params ? params->params : defaults, &result->result, &failure)) {
    *out = result.release();
  }
  return report(failure, error);
}

void rw_result_free(rw_result* result) { delete result; }
size_t rw_result_rows(const rw_result* result) { return result ? result->result.rows() : 0; }
size_t rw_result_rejected_count(const rw_result* result) { return result ? result->result.rejectedCount() : 0; }
int rw_result_rejected(const rw_result* result, size_t row) { return result && result->result.rejected(row) ? 1 : 0; }

char* rw_result_reject_reason(const rw_result* result, size_t row) {
  return rw_result_rejected(result, row) ? copyText(result->result.rejectReason(row)) : nullptr;
}

const int64_t* rw_result_int64(const rw_result* result, const char* name, char** error) {
  if (!result || !name) return nullArgument(!result ? "result" : "name", error), nullptr;
  api::Error failure;
  const int64_t* values = result->result.int64(name, &failure);
  report(failure, error);
  return values;
}

const uint8_t* rw_result_bools(const rw_result* result, const char* name, char** error) {
  if (!result || !name) return nullArgument(!result ? "result" : "name", error), nullptr;
  api::Error failure;
  const uint8_t* values = result->result.bools(name, &failure);
  report(failure, error);
  return values;
}

const uint8_t* rw_result_valid(const rw_result* result, const char* name) {
  return result && name ? result->result.valid(name) : nullptr;
}

char* rw_result_text(const rw_result* result, const char* name, size_t row) {
  return copyText(result && name ? result->result.text(name, row) : "");
}

}  // extern "C"
