// rw_batch_set_arrow: one Arrow C Data Interface array as an input column. Layouts that agree with the
// engine's (int64 values, utf8 strings) are handed over as views; the others are converted exactly into
// storage the batch owns, and a value that does not convert exactly is an error naming its row.
#include <cstring>
#include <string>
#include <string_view>

#include "api/c_handles.hpp"

using namespace regelwerk::c_api_detail;

namespace {

struct Column {
  const rw_field* field;
  const ArrowArray* array;
  const char* name;
};

api::Error problem(api::ErrorCode code, const std::string& text) { return api::Error{code, text}; }

bool bit(const void* bitmap, int64_t index) {
  return (static_cast<const uint8_t*>(bitmap)[index >> 3] >> (index & 7)) & 1;
}

// The engine's validity bytes for the array's bitmap; null when every value is present.
const uint8_t* validity(rw_batch& batch, const ArrowArray& array) {
  if (array.null_count == 0 || array.n_buffers < 1 || !array.buffers[0]) return nullptr;
  std::vector<uint8_t>& bytes = batch.bytes.emplace_back(static_cast<size_t>(array.length) + 1, 1);
  for (int64_t row = 0; row < array.length; ++row) bytes[static_cast<size_t>(row)] = bit(array.buffers[0], array.offset + row);
  return bytes.data();
}

template <typename T>
const T* values(const ArrowArray& array, int buffer) {
  return static_cast<const T*>(array.buffers[buffer]) + array.offset;
}

// Integers narrower than 64 bits, widened. `scale_to` multiplies (date64 ms → days divides, below).
template <typename T>
std::vector<int64_t>& widen(rw_batch& batch, const ArrowArray& array) {
  std::vector<int64_t>& words = batch.words.emplace_back(static_cast<size_t>(array.length) + 1, 0);
  const T* from = values<T>(array, 1);
  for (int64_t row = 0; row < array.length; ++row) words[static_cast<size_t>(row)] = from[row];
  return words;
}

// Timestamps in `per_second` units to whole seconds; a fraction of a second is an error.
api::Error toSeconds(rw_batch& batch, const ArrowArray& array, int64_t per_second, const uint8_t* valid,
                     std::vector<int64_t>** out) {
  std::vector<int64_t>& words = widen<int64_t>(batch, array);
  for (size_t row = 0; row < static_cast<size_t>(array.length); ++row) {
    if (valid && !valid[row]) continue;
    if (words[row] % per_second != 0) {
      return problem(api::ErrorCode::BadValue, "row " + std::to_string(row) + ": the timestamp has a fraction of a "
                                                   "second; regelwerk's timestamps are whole seconds");
    }
    words[row] /= per_second;
  }
  *out = &words;
  return {};
}

// decimal128 "d:P,S[,128]" to int64 at the field's scale, exactly (more places only when they are zeros).
api::Error fromDecimal128(rw_batch& batch, const ArrowArray& array, const char* format, int field_scale,
                          const uint8_t* valid, std::vector<int64_t>** out) {
  int precision = 0, scale = 0, width = 128;
  if (std::sscanf(format, "d:%d,%d,%d", &precision, &scale, &width) < 2 || width != 128) {
    return problem(api::ErrorCode::Unsupported, std::string("Arrow decimal format `") + format + "` (only decimal128)");
  }
  std::vector<int64_t>& words = batch.words.emplace_back(static_cast<size_t>(array.length) + 1, 0);
  const auto* raw = static_cast<const uint8_t*>(array.buffers[1]) + 16 * array.offset;
  for (size_t row = 0; row < static_cast<size_t>(array.length); ++row) {
    if (valid && !valid[row]) continue;
    __int128 value = 0;
    std::memcpy(&value, raw + 16 * row, 16);  // little-endian two's complement, as Arrow writes it
    for (int places = scale; places < field_scale; ++places) {
      if (value > (static_cast<__int128>(INT64_MAX)) || value < static_cast<__int128>(INT64_MIN)) break;
      value *= 10;
    }
    for (int places = scale; places > field_scale; --places) {
      if (value % 10 != 0) {
        return problem(api::ErrorCode::BadValue, "row " + std::to_string(row) + ": the decimal has more than " +
                                                     std::to_string(field_scale) + " places");
      }
      value /= 10;
    }
    if (value > INT64_MAX || value < INT64_MIN) {
      return problem(api::ErrorCode::OutOfRange, "row " + std::to_string(row) + ": the decimal does not fit in 64 bits");
    }
    words[row] = static_cast<int64_t>(value);
  }
  *out = &words;
  return {};
}

// Booleans are bits in Arrow and bytes in the engine.
const uint8_t* fromBits(rw_batch& batch, const ArrowArray& array) {
  std::vector<uint8_t>& bytes = batch.bytes.emplace_back(static_cast<size_t>(array.length) + 1, 0);
  for (int64_t row = 0; row < array.length; ++row) bytes[static_cast<size_t>(row)] = bit(array.buffers[1], array.offset + row);
  return bytes.data();
}

// Strings of an enum field are member names: parsed like CSV cells.
api::Error enumFromUtf8(rw_batch& batch, const Column& column, const uint8_t* valid) {
  const auto* offsets = values<int32_t>(*column.array, 1);
  const auto* data = static_cast<const char*>(column.array->buffers[2]);
  std::vector<std::string> cells;
  for (int64_t row = 0; row < column.array->length; ++row) {
    if (valid && !valid[row]) cells.emplace_back();
    else cells.emplace_back(data + offsets[row], static_cast<size_t>(offsets[row + 1] - offsets[row]));
  }
  api::Error error;
  batch.batch->setText(column.name, cells, &error);
  return error;
}

bool integerHeld(rw_type type) { return type != RW_BOOL && type != RW_STRING; }

api::Error handOver(rw_batch& batch, const Column& column, std::string_view format) {
  const ArrowArray& array = *column.array;
  const rw_type type = column.field->type;
  const uint8_t* valid = validity(batch, array);
  const size_t length = static_cast<size_t>(array.length);
  api::Error error;
  std::vector<int64_t>* words = nullptr;
  if (format == "l" && integerHeld(type)) {
    batch.batch->setInt64(column.name, values<int64_t>(array, 1), length, valid, &error);
    return error;
  }
  if (format == "u" && type == RW_STRING) {
    batch.batch->setStrings(column.name, static_cast<const char*>(array.buffers[2]), values<int32_t>(array, 1), length,
                            valid, &error);
    return error;
  }
  if (format == "u" && type == RW_ENUM) return enumFromUtf8(batch, column, valid);
  if (format == "b" && type == RW_BOOL) {
    batch.batch->setBool(column.name, fromBits(batch, array), length, valid, &error);
    return error;
  }
  if ((format == "i" || format == "s" || format == "c") && integerHeld(type) && type != RW_DATE && type != RW_TIMESTAMP) {
    words = format == "i" ? &widen<int32_t>(batch, array) : format == "s" ? &widen<int16_t>(batch, array)
                                                                          : &widen<int8_t>(batch, array);
  } else if (format == "tdD" && type == RW_DATE) {
    words = &widen<int32_t>(batch, array);
  } else if (format.substr(0, 2) == "ts" && format.size() >= 4 && format[3] == ':' && type == RW_TIMESTAMP) {
    const int64_t per_second = format[2] == 's' ? 1 : format[2] == 'm' ? 1000 : format[2] == 'u' ? 1000000 : 1000000000;
    error = toSeconds(batch, array, per_second, valid, &words);
  } else if (format.substr(0, 2) == "d:" && (type == RW_DECIMAL || type == RW_MONEY || type == RW_PERCENT)) {
    error = fromDecimal128(batch, array, std::string(format).c_str(), column.field->scale, valid, &words);
  } else {
    return problem(api::ErrorCode::Unsupported,
                   "Arrow format `" + std::string(format) + "` has no mapping to " + column.field->type_name +
                       " (docs/embedding.md lists the mappings)");
  }
  if (error) return error;
  batch.batch->setInt64(column.name, words->data(), length, valid, &error);
  return error;
}

// The field of the input `name`; false with `error` when there is none.
bool findInput(const rw_batch& batch, const char* name, rw_field* field, api::Error* error) {
  const std::vector<api::Field>& inputs = batch.rules->inputs();
  for (size_t index = 0; index < inputs.size(); ++index) {
    if (inputs[index].name != name) continue;
    *field = rw_field{inputs[index].name.c_str(), static_cast<rw_type>(inputs[index].type), inputs[index].scale,
                      inputs[index].optional, 0, nullptr, inputs[index].type_name.c_str()};
    return true;
  }
  *error = problem(api::ErrorCode::UnknownName, std::string("no input field `") + name + "` in " + batch.rules->name());
  return false;
}

}  // namespace

extern "C" rw_status rw_batch_set_arrow(rw_batch* batch, const char* name, const ArrowSchema* schema,
                                        const ArrowArray* array, char** error) {
  if (!batch || !name || !schema || !array) {
    return nullArgument(!batch ? "batch" : !name ? "name" : !schema ? "schema" : "array", error);
  }
  if (!schema->format || !array->buffers || array->length < 0 || array->offset < 0) {
    return report(problem(api::ErrorCode::BadValue, std::string("the Arrow array for ") + name +
                                                        " is malformed (no format, no buffers, or a negative length)"),
                  error);
  }
  if (array->n_buffers < (std::string_view(schema->format) == "u" ? 3 : 2)) {
    return report(problem(api::ErrorCode::BadValue, std::string("the Arrow array for ") + name + " has too few buffers"), error);
  }
  api::Error failure;
  rw_field field;
  if (!findInput(*batch, name, &field, &failure)) return report(failure, error);
  if (static_cast<size_t>(array->length) != batch->batch->rows()) {
    failure = problem(api::ErrorCode::WrongLength, std::string("the Arrow array for ") + name + " has " +
                                                       std::to_string(array->length) + " rows; the batch has " +
                                                       std::to_string(batch->batch->rows()));
    return report(failure, error);
  }
  failure = handOver(*batch, Column{&field, array, name}, schema->format);
  if (failure && failure.message.find(name) == std::string::npos) failure.message = std::string(name) + ": " + failure.message;
  return report(failure, error);
}
