// The C API's handles and the helpers its files share: each handle owns the C++ API objects it stands for.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "regelwerk/regelwerk.h"
#include "regelwerk/regelwerk.hpp"

namespace api = regelwerk::api;

struct rw_rules {
  std::shared_ptr<const api::Rules> rules;
  std::vector<std::vector<const char*>> members[3];  // per rw_field_kind, per field: pointers into rules
};

struct rw_engine {
  std::shared_ptr<const api::Engine> engine;
};

struct rw_params {
  api::Params params;
};

struct rw_batch {
  std::unique_ptr<api::Batch> batch;
};

struct rw_result {
  api::Result result;
};

namespace regelwerk::c_api_detail {

// A malloc'ed copy (free with rw_string_free).
char* copyText(const std::string& text);
// The status of `error`; its message into *out when out is not NULL (NULL on success).
rw_status report(const api::Error& error, char** out);
// RW_ERR_NULL with "`what` is NULL".
rw_status nullArgument(const char* what, char** out);

}  // namespace regelwerk::c_api_detail
