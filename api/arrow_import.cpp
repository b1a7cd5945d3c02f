// Batch::setArrow (and through it rw_batch_set_arrow and the Python module): one Arrow C Data Interface
// array as an input column. Layouts that agree with the engine's (int64 values, utf8 strings) are handed
// over as views; the others are converted exactly into storage the batch owns, and a value that does not
// convert exactly is an error naming its row.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "api/api_state.hpp"
#include "regelwerk/regelwerk.h"  // the ArrowSchema and ArrowArray structs

namespace regelwerk::api {

namespace {

// Where a converted column goes: the batch's setters and the storage it owns for converted values.
struct Target {
  Batch& batch;
  std::deque<std::vector<int64_t>>& words;
  std::deque<std::vector<uint8_t>>& bytes;
};

struct ArrowColumn {
  const Field* field;
  const ArrowArray* array;
  const char* name;
};

Error problem(ErrorCode code, const std::string& text) { return Error{code, text}; }

bool bit(const void* bitmap, int64_t index) {
  return (static_cast<const uint8_t*>(bitmap)[index >> 3] >> (index & 7)) & 1;
}

// The engine's validity bytes for the array's bitmap; null when every value is present.
const uint8_t* validity(Target& batch, const ArrowArray& array) {
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
std::vector<int64_t>& widen(Target& batch, const ArrowArray& array) {
  std::vector<int64_t>& words = batch.words.emplace_back(static_cast<size_t>(array.length) + 1, 0);
  const T* from = values<T>(array, 1);
  for (int64_t row = 0; row < array.length; ++row) words[static_cast<size_t>(row)] = from[row];
  return words;
}

// Timestamps in `per_second` units to whole seconds; a fraction of a second is an error.
Error toSeconds(Target& batch, const ArrowArray& array, int64_t per_second, const uint8_t* valid,
                     std::vector<int64_t>** out) {
  std::vector<int64_t>& words = widen<int64_t>(batch, array);
  for (size_t row = 0; row < static_cast<size_t>(array.length); ++row) {
    if (valid && !valid[row]) continue;
    if (words[row] % per_second != 0) {
      return problem(ErrorCode::BadValue, "row " + std::to_string(row) + ": the timestamp has a fraction of a "
                                                   "second; regelwerk's timestamps are whole seconds");
    }
    words[row] /= per_second;
  }
  *out = &words;
  return {};
}

// decimal128 "d:P,S[,128]" to int64 at the field's scale, exactly (more places only when they are zeros).
Error fromDecimal128(Target& batch, const ArrowArray& array, const char* format, int field_scale,
                          const uint8_t* valid, std::vector<int64_t>** out) {
  int precision = 0, scale = 0, width = 128;
  if (std::sscanf(format, "d:%d,%d,%d", &precision, &scale, &width) < 2 || width != 128) {
    return problem(ErrorCode::Unsupported, std::string("Arrow decimal format `") + format + "` (only decimal128)");
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
        return problem(ErrorCode::BadValue, "row " + std::to_string(row) + ": the decimal has more than " +
                                                     std::to_string(field_scale) + " places");
      }
      value /= 10;
    }
    if (value > INT64_MAX || value < INT64_MIN) {
      return problem(ErrorCode::OutOfRange, "row " + std::to_string(row) + ": the decimal does not fit in 64 bits");
    }
    words[row] = static_cast<int64_t>(value);
  }
  *out = &words;
  return {};
}

// Booleans are bits in Arrow and bytes in the engine.
const uint8_t* fromBits(Target& batch, const ArrowArray& array) {
  std::vector<uint8_t>& bytes = batch.bytes.emplace_back(static_cast<size_t>(array.length) + 1, 0);
  for (int64_t row = 0; row < array.length; ++row) bytes[static_cast<size_t>(row)] = bit(array.buffers[1], array.offset + row);
  return bytes.data();
}

// Strings of an enum field are member names: parsed like CSV cells.
Error enumFromUtf8(Target& batch, const ArrowColumn& column, const uint8_t* valid) {
  const auto* offsets = values<int32_t>(*column.array, 1);
  const auto* data = static_cast<const char*>(column.array->buffers[2]);
  std::vector<std::string> cells;
  for (int64_t row = 0; row < column.array->length; ++row) {
    if (valid && !valid[row]) cells.emplace_back();
    else cells.emplace_back(data + offsets[row], static_cast<size_t>(offsets[row + 1] - offsets[row]));
  }
  Error error;
  batch.batch.setText(column.name, cells, &error);
  return error;
}

bool integerHeld(Type type) { return type != Type::Bool && type != Type::String; }

Error handOver(Target& batch, const ArrowColumn& column, std::string_view format) {
  const ArrowArray& array = *column.array;
  const Type type = column.field->type;
  const uint8_t* valid = validity(batch, array);
  const size_t length = static_cast<size_t>(array.length);
  Error error;
  std::vector<int64_t>* words = nullptr;
  if (format == "l" && integerHeld(type)) {
    batch.batch.setInt64(column.name, values<int64_t>(array, 1), length, valid, &error);
    return error;
  }
  if (format == "u" && type == Type::String) {
    batch.batch.setStrings(column.name, static_cast<const char*>(array.buffers[2]), values<int32_t>(array, 1), length,
                            valid, &error);
    return error;
  }
  if (format == "u" && type == Type::Enum) return enumFromUtf8(batch, column, valid);
  if (format == "b" && type == Type::Bool) {
    batch.batch.setBool(column.name, fromBits(batch, array), length, valid, &error);
    return error;
  }
  if ((format == "i" || format == "s" || format == "c") && integerHeld(type) && type != Type::Date && type != Type::Timestamp) {
    words = format == "i" ? &widen<int32_t>(batch, array) : format == "s" ? &widen<int16_t>(batch, array)
                                                                          : &widen<int8_t>(batch, array);
  } else if (format == "tdD" && type == Type::Date) {
    words = &widen<int32_t>(batch, array);
  } else if (format.substr(0, 2) == "ts" && format.size() >= 4 && format[3] == ':' && type == Type::Timestamp) {
    const int64_t per_second = format[2] == 's' ? 1 : format[2] == 'm' ? 1000 : format[2] == 'u' ? 1000000 : 1000000000;
    error = toSeconds(batch, array, per_second, valid, &words);
  } else if (format.substr(0, 2) == "d:" && (type == Type::Decimal || type == Type::Money || type == Type::Percent)) {
    error = fromDecimal128(batch, array, std::string(format).c_str(), column.field->scale, valid, &words);
  } else {
    return problem(ErrorCode::Unsupported,
                   "Arrow format `" + std::string(format) + "` has no mapping to " + column.field->type_name +
                       " (docs/embedding.md lists the mappings)");
  }
  if (error) return error;
  batch.batch.setInt64(column.name, words->data(), length, valid, &error);
  return error;
}

}  // namespace

bool Batch::setArrow(const std::string& name, const ArrowSchema* schema, const ArrowArray* array, Error* error) {
  if (!schema || !array) return api_detail::fail(error, ErrorCode::WrongType, "setArrow(\"" + name + "\"): the schema or array is null");
  if (!schema->format || !array->buffers || array->length < 0 || array->offset < 0) {
    return api_detail::fail(error, ErrorCode::BadValue, "the Arrow array for " + name +
                                                            " is malformed (no format, no buffers, or a negative length)");
  }
  if (array->n_buffers < (std::string_view(schema->format) == "u" ? 3 : 2)) {
    return api_detail::fail(error, ErrorCode::BadValue, "the Arrow array for " + name + " has too few buffers");
  }
  const int index = state_->rules ? api_detail::findField(state_->rules->inputs(), name) : -1;
  if (index < 0) return api_detail::fail(error, ErrorCode::UnknownName, "no input field `" + name + "`");
  if (static_cast<size_t>(array->length) != state_->rows) {
    return api_detail::fail(error, ErrorCode::WrongLength, "the Arrow array for " + name + " has " +
                                                               std::to_string(array->length) + " rows; the batch has " +
                                                               std::to_string(state_->rows));
  }
  Target target{*this, state_->words, state_->bytes};
  const Field& field = state_->rules->inputs()[static_cast<size_t>(index)];
  Error failure = handOver(target, ArrowColumn{&field, array, name.c_str()}, schema->format);
  if (failure && failure.message.find(name) == std::string::npos) failure.message = name + ": " + failure.message;
  if (error) *error = failure;
  return !failure;
}

}  // namespace regelwerk::api
