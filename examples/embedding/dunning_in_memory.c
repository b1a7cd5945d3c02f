/* The C version of dunning_in_memory.cpp, through <regelwerk/regelwerk.h>: the same three invoices, some
 * columns as plain arrays and two as Arrow arrays (the C Data Interface structs, filled by hand here as an
 * Arrow-speaking library would hand them over), evaluated in memory; prints the outputs as CSV.
 * Usage: dunning_in_memory_c DUNNING.RULES  (exit 0 when everything worked, 1 with the error otherwise) */
#include <regelwerk/regelwerk.h>

#include <stdio.h>

static int failed(rw_status status, char* error) {
  fprintf(stderr, "dunning_in_memory_c: status %d: %s\n", (int)status, error ? error : "");
  rw_string_free(error);
  return 1;
}

/* An Arrow array the caller owns: nothing to release (the batch never calls release). */
static void noRelease(struct ArrowArray* array) { array->release = NULL; }
static void noSchemaRelease(struct ArrowSchema* schema) { schema->release = NULL; }

int main(int argc, char** argv) {
  rw_rules* rules = NULL;
  rw_engine* engine = NULL;
  rw_batch* batch = NULL;
  rw_result* result = NULL;
  char* error = NULL;
  rw_status status;
  if (argc != 2) return fprintf(stderr, "usage: dunning_in_memory_c DUNNING.RULES\n"), 2;
  if ((status = rw_rules_load(argv[1], &rules, &error)) != RW_OK) return failed(status, error);
  if ((status = rw_engine_create(rules, RW_JIT, &engine, &error)) != RW_OK) return failed(status, error);

  {
    const int64_t id[3] = {1, 2, 3}, paid[3] = {0, 1000, 9900}, due[3] = {20700, 20650, 20760},
                  notice[3] = {0, 20700, 0}, level[3] = {0, 1, 0};
    const uint8_t notice_valid[3] = {0, 1, 0}, disputed[3] = {0, 0, 0};
    /* amount as Arrow int64 ("l", no nulls): handed over without a copy. */
    const int64_t amount[3] = {12000, 250000, 9900};
    const void* amount_buffers[2] = {NULL, amount};
    struct ArrowSchema amount_schema = {"l", "amount", NULL, 0, 0, NULL, NULL, noSchemaRelease, NULL};
    struct ArrowArray amount_array = {3, 0, 0, 2, 0, amount_buffers, NULL, NULL, noRelease, NULL};
    /* customer_type as Arrow utf8 ("u"): member names of the enum. */
    const int32_t type_offsets[4] = {0, 8, 16, 24};
    const char type_data[] = "consumerbusinessbusiness";
    const void* type_buffers[3] = {NULL, type_offsets, type_data};
    struct ArrowSchema type_schema = {"u", "customer_type", NULL, 0, 0, NULL, NULL, noSchemaRelease, NULL};
    struct ArrowArray type_array = {3, 0, 0, 3, 0, type_buffers, NULL, NULL, noRelease, NULL};

    batch = rw_batch_new(rules, 3);
    if ((status = rw_batch_set_int64(batch, "id", id, 3, NULL, &error)) != RW_OK ||
        (status = rw_batch_set_arrow(batch, "customer_type", &type_schema, &type_array, &error)) != RW_OK ||
        (status = rw_batch_set_arrow(batch, "amount", &amount_schema, &amount_array, &error)) != RW_OK ||
        (status = rw_batch_set_int64(batch, "paid", paid, 3, NULL, &error)) != RW_OK ||
        (status = rw_batch_set_int64(batch, "due_date", due, 3, NULL, &error)) != RW_OK ||
        (status = rw_batch_set_int64(batch, "last_notice_date", notice, 3, notice_valid, &error)) != RW_OK ||
        (status = rw_batch_set_int64(batch, "dunning_level", level, 3, NULL, &error)) != RW_OK ||
        (status = rw_batch_set_bool(batch, "disputed", disputed, 3, NULL, &error)) != RW_OK) {
      return failed(status, error);
    }
    if ((status = rw_engine_evaluate(engine, batch, NULL, &result, &error)) != RW_OK) return failed(status, error);
  }

  {
    size_t outputs = rw_rules_field_count(rules, RW_OUTPUT), column, row;
    rw_field field;
    for (column = 0; column < outputs; ++column) {
      rw_rules_field(rules, RW_OUTPUT, column, &field, NULL);
      printf("%s%s", column ? "," : "", field.name);
    }
    printf("\n");
    for (row = 0; row < rw_result_rows(result); ++row) {
      for (column = 0; column < outputs; ++column) {
        char* cell;
        rw_rules_field(rules, RW_OUTPUT, column, &field, NULL);
        cell = rw_result_text(result, field.name, row);
        printf("%s%s", column ? "," : "", cell);
        rw_string_free(cell);
      }
      printf("\n");
    }
  }
  printf("version %s\n", rw_version());
  rw_result_free(result);
  rw_batch_free(batch);
  rw_engine_free(engine);
  rw_rules_free(rules);
  return 0;
}
