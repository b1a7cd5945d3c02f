/* regelwerk's embedding API for C (C99) and for FFI from Go, Rust, Java, .NET: opaque handles, status
 * codes and messages, no C++ type. The same engine and rules as <regelwerk/regelwerk.hpp>; read that
 * header's top comment for the physical form of values (integers in units of 10^-scale for decimal,
 * money and percent; days since 1970-01-01 for dates; member indices for enums).
 *
 * Conventions:
 * - Every call that can fail returns rw_status (RW_OK = 0) and takes `char** error`: when it is not NULL
 *   and the call fails, *error receives a message (free it with rw_string_free); on success it is NULL.
 * - A NULL handle or a NULL required argument is RW_ERR_NULL, never a crash.
 * - Handles keep what they need alive: freeing the rw_rules after rw_engine_create is allowed.
 * - Columns handed over (rw_batch_set_*) are views: the memory must stay unchanged until the last
 *   rw_engine_evaluate with that batch has returned. Arrow arrays likewise: the batch never calls their
 *   release callback; the caller releases them after the evaluations.
 * - Threads: one rw_engine may evaluate on many threads at once, each with its own rw_result.
 */
#ifndef REGELWERK_REGELWERK_H
#define REGELWERK_REGELWERK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html): an ABI, two
 * structs, no Arrow library needed. Guarded as the specification asks, so Arrow's own copy may come first. */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif

typedef enum rw_status {
  RW_OK = 0,
  RW_ERR_IO = 1,             /* a file cannot be read */
  RW_ERR_RULE_ERRORS = 2,    /* the rule file has errors; the message holds every diagnostic */
  RW_ERR_UNKNOWN_NAME = 3,   /* no input, output or param of that name */
  RW_ERR_WRONG_TYPE = 4,     /* a setter or getter that does not fit the field's type */
  RW_ERR_WRONG_LENGTH = 5,   /* a column whose length is not the batch's row count */
  RW_ERR_MISSING_VALUE = 6,  /* a missing value in a field that is not optional */
  RW_ERR_OUT_OF_RANGE = 7,   /* an enum index, date, bool or time of day out of range */
  RW_ERR_MISSING_COLUMN = 8, /* evaluate with an input that was not handed over */
  RW_ERR_BAD_VALUE = 9,      /* a text cell or param value that does not parse */
  RW_ERR_UNSUPPORTED = 10,   /* a grouped rule set in evaluate; an Arrow type with no mapping */
  RW_ERR_INTERNAL = 11,      /* the JIT could not compile the rule set */
  RW_ERR_NULL = 12           /* a NULL handle or argument */
} rw_status;

typedef enum rw_type {
  RW_BOOL, RW_INT, RW_DECIMAL, RW_MONEY, RW_PERCENT, RW_DATE, RW_DAYS, RW_STRING, RW_ENUM,
  RW_TIMESTAMP, RW_DURATION, RW_TIME
} rw_type;

typedef enum rw_field_kind { RW_INPUT, RW_OUTPUT, RW_PARAM } rw_field_kind;
typedef enum rw_engine_kind { RW_JIT, RW_INTERPRETER } rw_engine_kind;

/* An input, output or param; the strings belong to the rw_rules and live as long as it. */
typedef struct rw_field {
  const char* name;
  rw_type type;
  int32_t scale;      /* decimal, money, percent: values in units of 10^-scale */
  int32_t optional;   /* 1: a value may be missing */
  size_t member_count;
  const char* const* members; /* enum member names, index 0 first */
  const char* type_name;      /* "money", "enum(a, b)?" */
} rw_field;

typedef struct rw_rules rw_rules;
typedef struct rw_engine rw_engine;
typedef struct rw_batch rw_batch;
typedef struct rw_params rw_params;
typedef struct rw_result rw_result;

const char* rw_version(void);
void rw_string_free(char* text);

rw_status rw_rules_load(const char* path, rw_rules** out, char** error);
rw_status rw_rules_from_text(const char* name, const char* text, size_t length, rw_rules** out, char** error);
void rw_rules_free(rw_rules* rules);
size_t rw_rules_field_count(const rw_rules* rules, rw_field_kind kind);
rw_status rw_rules_field(const rw_rules* rules, rw_field_kind kind, size_t index, rw_field* out, char** error);
int rw_rules_grouped(const rw_rules* rules);

rw_status rw_engine_create(const rw_rules* rules, rw_engine_kind kind, rw_engine** out, char** error);
void rw_engine_free(rw_engine* engine);

/* NULL when rules is NULL. */
rw_batch* rw_batch_new(const rw_rules* rules, size_t rows);
void rw_batch_free(rw_batch* batch);
rw_status rw_batch_set_bool(rw_batch* batch, const char* name, const uint8_t* values, size_t length,
                            const uint8_t* valid, char** error);
rw_status rw_batch_set_int64(rw_batch* batch, const char* name, const int64_t* values, size_t length,
                             const uint8_t* valid, char** error);
/* Arrow's utf8 layout: row i is data[offsets[i] .. offsets[i + 1]), length + 1 offsets. */
rw_status rw_batch_set_strings(rw_batch* batch, const char* name, const char* data, const int32_t* offsets,
                               size_t length, const uint8_t* valid, char** error);
/* CSV cells, parsed with the field's declared format ("" is missing for an optional field). */
rw_status rw_batch_set_text(rw_batch* batch, const char* name, const char* const* cells, size_t length,
                            char** error);
/* One Arrow array for the input `name` (docs/embedding.md has the type mapping): int64 ("l") for every
 * integer-held type and utf8 ("u") for strings are taken without copying the values; int8/16/32, date32
 * ("tdD"), timestamp ("tss:", "tsm:", "tsu:", "tsn:" with a whole number of seconds), decimal128
 * ("d:P,S") and bool ("b") are converted exactly; utf8 for an enum field is read as member names. A
 * validity bitmap is converted to the engine's bytes. */
rw_status rw_batch_set_arrow(rw_batch* batch, const char* name, const struct ArrowSchema* schema,
                             const struct ArrowArray* array, char** error);

/* NULL when rules is NULL. */
rw_params* rw_params_new(const rw_rules* rules);
void rw_params_free(rw_params* params);
rw_status rw_params_set(rw_params* params, const char* name, const char* text, char** error);
rw_status rw_params_set_int64(rw_params* params, const char* name, int64_t value, char** error);
rw_status rw_params_set_bool(rw_params* params, const char* name, int value, char** error);

/* params may be NULL: every param takes its default. *out must be NULL (a new result is made) or a result
 * of an earlier call, which is evaluated into again, reusing its memory; on failure it is freed and *out
 * is NULL. */
rw_status rw_engine_evaluate(const rw_engine* engine, const rw_batch* batch, const rw_params* params,
                             rw_result** out, char** error);
/* One record: `count` input fields as CSV cells by name. */
rw_status rw_engine_evaluate_one(const rw_engine* engine, const char* const* names, const char* const* cells,
                                 size_t count, const rw_params* params, rw_result** out, char** error);

void rw_result_free(rw_result* result);
size_t rw_result_rows(const rw_result* result);
size_t rw_result_rejected_count(const rw_result* result);
int rw_result_rejected(const rw_result* result, size_t row);
/* Why the record was rejected (free with rw_string_free); NULL when it was not. */
char* rw_result_reject_reason(const rw_result* result, size_t row);
/* Output values, valid while the result lives; NULL with *error set for an unknown name or another type. */
const int64_t* rw_result_int64(const rw_result* result, const char* name, char** error);
const uint8_t* rw_result_bools(const rw_result* result, const char* name, char** error);
/* NULL when no value of the output can be missing. */
const uint8_t* rw_result_valid(const rw_result* result, const char* name);
/* One cell as the CSV writer writes it (free with rw_string_free); "" when missing or rejected. */
char* rw_result_text(const rw_result* result, const char* name, size_t row);

#ifdef __cplusplus
}
#endif

#endif /* REGELWERK_REGELWERK_H */
