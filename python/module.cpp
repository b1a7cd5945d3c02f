// The Python extension `regelwerk._regelwerk`: the public C++ API (<regelwerk/regelwerk.hpp>) for
// python/regelwerk/__init__.py, which turns DataFrames into columns and results into DataFrames.
// Numeric columns go in and out without copies (NumPy buffers handed over as views; outputs as arrays
// that keep their Result alive); the GIL is released while the engine evaluates.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "regelwerk/regelwerk.h"  // the Arrow C Data Interface structs
#include "regelwerk/regelwerk.hpp"

namespace py = pybind11;
namespace api = regelwerk::api;

namespace {

// regelwerk.Error (any failure: .code names the kind) and regelwerk.RuleError (the rule file has errors:
// the message is the rendered diagnostics, as `regelwerk check` prints them).
struct Failure {
  api::Error error;
};

const char* codeName(api::ErrorCode code) {
  switch (code) {
    case api::ErrorCode::None: return "none";
    case api::ErrorCode::Io: return "io";
    case api::ErrorCode::RuleErrors: return "rule_errors";
    case api::ErrorCode::UnknownName: return "unknown_name";
    case api::ErrorCode::WrongType: return "wrong_type";
    case api::ErrorCode::WrongLength: return "wrong_length";
    case api::ErrorCode::MissingValue: return "missing_value";
    case api::ErrorCode::OutOfRange: return "out_of_range";
    case api::ErrorCode::MissingColumn: return "missing_column";
    case api::ErrorCode::BadValue: return "bad_value";
    case api::ErrorCode::Unsupported: return "unsupported";
    case api::ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

void check(bool ok, const api::Error& error) {
  if (!ok) throw Failure{error};
}

const char* typeName(api::Type type) {
  static const char* const names[] = {"bool", "int",    "decimal",   "money",    "percent", "date",
                                      "days", "string", "enum",      "timestamp", "duration", "time"};
  return names[static_cast<int>(type)];
}

py::list describe(const std::vector<api::Field>& fields) {
  py::list list;
  for (const api::Field& field : fields) {
    py::dict entry;
    entry["name"] = field.name;
    entry["type"] = typeName(field.type);
    entry["scale"] = field.scale;
    entry["optional"] = field.optional;
    entry["members"] = field.members;
    entry["currency"] = field.currency;
    entry["type_name"] = field.type_name;
    entry["column"] = field.column;
    entry["format"] = field.format;
    list.append(entry);
  }
  return list;
}

using Int64Array = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;
using ByteArray = py::array_t<uint8_t, py::array::c_style | py::array::forcecast>;

// One input column from Python: ("integers"|"int64"|"bool", values, valid or None) or ("text", [str]).
// The NumPy arrays are kept in `keep` until the evaluation has returned (the batch holds views).
void handOver(api::Batch& batch, const std::string& name, const py::tuple& column, std::vector<py::object>* keep) {
  const std::string how = column[0].cast<std::string>();
  api::Error error;
  if (how == "text") {
    check(batch.setText(name, column[1].cast<std::vector<std::string>>(), &error), error);
    return;
  }
  const uint8_t* valid = nullptr;
  if (!column[2].is_none()) {
    ByteArray valid_array = ByteArray::ensure(column[2]);
    keep->push_back(valid_array);
    valid = valid_array.data();
  }
  if (how == "bool") {
    ByteArray values = ByteArray::ensure(column[1]);
    keep->push_back(values);
    check(batch.setBool(name, values.data(), static_cast<size_t>(values.size()), valid, &error), error);
    return;
  }
  Int64Array values = Int64Array::ensure(column[1]);
  if (!values) throw Failure{api::Error{api::ErrorCode::WrongType, "column " + name + ": not an integer array"}};
  keep->push_back(values);
  const auto length = static_cast<size_t>(values.size());
  bool ok = how == "integers" ? batch.setIntegers(name, values.data(), length, valid, &error)
                              : batch.setInt64(name, values.data(), length, valid, &error);
  check(ok, error);
}

// An output column as a NumPy array over the Result's memory: the array's base keeps the Result alive.
template <typename T>
py::array view(const std::shared_ptr<api::Result>& result, const T* data) {
  py::capsule owner(new std::shared_ptr<api::Result>(result),
                    [](void* pointer) { delete static_cast<std::shared_ptr<api::Result>*>(pointer); });
  return py::array_t<T>({static_cast<py::ssize_t>(result->rows())}, {sizeof(T)}, data, owner);
}

// {"rows", "rejected": int64 row numbers, "reasons": [str], "outputs": {name: array or [str]},
//  "valid": {name: uint8 array}} — `as_text` gives every output as its CSV cells.
py::dict collect(const std::shared_ptr<api::Result>& result, bool as_text) {
  py::dict out;
  out["rows"] = result->rows();
  std::vector<int64_t> rejected;
  std::vector<std::string> reasons;
  for (size_t row = 0; row < result->rows(); ++row) {
    if (!result->rejected(row)) continue;
    rejected.push_back(static_cast<int64_t>(row));
    reasons.push_back(result->rejectReason(row));
  }
  out["rejected"] = py::array_t<int64_t>(static_cast<py::ssize_t>(rejected.size()), rejected.data());
  out["reasons"] = reasons;
  py::dict outputs, valid;
  for (const api::Field& field : result->outputs()) {
    if (const uint8_t* bytes = result->valid(field.name)) valid[field.name.c_str()] = view(result, bytes);
    if (as_text || field.type == api::Type::String) {
      std::vector<std::string> cells;
      cells.reserve(result->rows());
      for (size_t row = 0; row < result->rows(); ++row) cells.push_back(result->text(field.name, row));
      outputs[field.name.c_str()] = cells;
    } else if (field.type == api::Type::Bool) {
      outputs[field.name.c_str()] = view(result, result->bools(field.name, nullptr));
    } else {
      outputs[field.name.c_str()] = view(result, result->int64(field.name, nullptr));
    }
  }
  out["outputs"] = outputs;
  out["valid"] = valid;
  return out;
}

// An Arrow record batch handed over through the PyCapsule interface (`__arrow_c_array__`): a struct
// array whose children are the columns, each matched to the input field by its CSV column or its name.
size_t handOverArrow(api::Batch& batch, const api::Rules& rules, const py::capsule& schema_capsule,
                     const py::capsule& array_capsule) {
  const auto* schema = static_cast<const ArrowSchema*>(PyCapsule_GetPointer(schema_capsule.ptr(), "arrow_schema"));
  const auto* array = static_cast<const ArrowArray*>(PyCapsule_GetPointer(array_capsule.ptr(), "arrow_array"));
  if (!schema || !array) throw py::error_already_set();
  if (std::string(schema->format) != "+s" || array->offset != 0 || array->null_count > 0) {
    throw Failure{api::Error{api::ErrorCode::Unsupported, "an Arrow batch is a struct array (format +s) without an offset "
                                                          "or nulls at the top; got format " + std::string(schema->format)}};
  }
  for (const api::Field& field : rules.inputs()) {
    int64_t found = -1;
    for (int64_t child = 0; child < schema->n_children && found < 0; ++child) {
      const char* name = schema->children[child]->name;
      if (name && (field.column == name || field.name == name)) found = child;
    }
    if (found < 0) {
      throw Failure{api::Error{api::ErrorCode::MissingColumn, "the Arrow batch has no column `" + field.column +
                                                                  "` for the input field " + field.name}};
    }
    api::Error error;
    check(batch.setArrow(field.name, schema->children[found], array->children[found], &error), error);
  }
  return static_cast<size_t>(array->length);
}

// Binds the params, evaluates with the GIL released, and collects the result for Python.
py::dict evaluateBatch(const api::Engine& engine, const api::Batch& batch, const py::dict& params, bool as_text) {
  api::Params bound(engine.rules());
  api::Error error;
  for (const auto& [name, value] : params) check(bound.set(name.cast<std::string>(), value.cast<std::string>(), &error), error);
  auto result = std::make_shared<api::Result>();
  bool ok = false;
  {
    py::gil_scoped_release release;
    ok = engine.evaluate(batch, bound, result.get(), &error);
  }
  check(ok, error);
  return collect(result, as_text);
}

std::shared_ptr<const api::Rules> loaded(std::shared_ptr<const api::Rules> rules, const api::Error& error) {
  check(rules != nullptr, error);
  return rules;
}

}  // namespace

PYBIND11_MODULE(_regelwerk, m) {
  m.doc() = "regelwerk's engine; use the `regelwerk` package, not this module";
  static py::exception<Failure> error_type(m, "Error");
  static py::exception<Failure> rule_error_type(m, "RuleError", error_type.ptr());
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const Failure& failure) {
      py::object type = failure.error.code == api::ErrorCode::RuleErrors ? rule_error_type : error_type;
      py::object instance = type(failure.error.message);
      instance.attr("code") = codeName(failure.error.code);
      PyErr_SetObject(type.ptr(), instance.ptr());
    }
  });

  py::class_<api::Rules, std::shared_ptr<api::Rules>>(m, "Rules")
      .def_static("load", [](const std::string& path) {
        api::Error error;
        return std::const_pointer_cast<api::Rules>(loaded(api::Rules::load(path, &error), error));
      })
      .def_static("from_text", [](const std::string& name, const std::string& text) {
        api::Error error;
        return std::const_pointer_cast<api::Rules>(loaded(api::Rules::fromText(name, text, &error), error));
      })
      .def_property_readonly("name", &api::Rules::name)
      .def_property_readonly("files", &api::Rules::files)
      .def_property_readonly("grouped", &api::Rules::grouped)
      .def_property_readonly("inputs", [](const api::Rules& rules) { return describe(rules.inputs()); })
      .def_property_readonly("outputs", [](const api::Rules& rules) { return describe(rules.outputs()); })
      .def_property_readonly("params", [](const api::Rules& rules) { return describe(rules.params()); });

  py::class_<api::Engine, std::shared_ptr<api::Engine>>(m, "Engine")
      .def(py::init([](std::shared_ptr<api::Rules> rules, const std::string& kind) {
             if (kind != "jit" && kind != "interp") {
               throw Failure{api::Error{api::ErrorCode::BadValue, "engine must be \"jit\" or \"interp\", not \"" + kind + "\""}};
             }
             api::Error error;
             auto engine = api::Engine::create(rules, kind == "jit" ? api::EngineKind::Jit : api::EngineKind::Interpreter,
                                               &error);
             check(engine != nullptr, error);
             return std::const_pointer_cast<api::Engine>(engine);
           }),
           py::arg("rules"), py::arg("engine") = "jit")
      .def(
          "evaluate",
          [](const api::Engine& engine, size_t rows, const py::dict& columns, const py::dict& params, bool as_text) {
            api::Batch batch(engine.rules(), rows);
            std::vector<py::object> keep;
            for (const auto& [name, column] : columns) handOver(batch, name.cast<std::string>(), column.cast<py::tuple>(), &keep);
            return evaluateBatch(engine, batch, params, as_text);
          },
          py::arg("rows"), py::arg("columns"), py::arg("params"), py::arg("as_text") = false)
      .def(
          "evaluate_arrow",
          [](const api::Engine& engine, const py::capsule& schema, const py::capsule& array, const py::dict& params,
             bool as_text) {
            const auto* struct_array = static_cast<const ArrowArray*>(PyCapsule_GetPointer(array.ptr(), "arrow_array"));
            if (!struct_array) throw py::error_already_set();
            api::Batch batch(engine.rules(), static_cast<size_t>(struct_array->length));
            handOverArrow(batch, *engine.rules(), schema, array);
            return evaluateBatch(engine, batch, params, as_text);
          },
          py::arg("schema"), py::arg("array"), py::arg("params"), py::arg("as_text") = false);

  m.def("run_tests", [](const std::string& path) {
    std::vector<api::TestOutcome> outcomes;
    api::Error error;
    check(api::runTests(path, &outcomes, &error), error);
    py::list list;
    for (const api::TestOutcome& outcome : outcomes) {
      py::dict entry;
      entry["name"] = outcome.name;
      entry["location"] = outcome.location;
      entry["passed"] = outcome.passed;
      entry["problems"] = outcome.problems;
      list.append(entry);
    }
    return list;
  });
  m.def("version", &api::version);
}
