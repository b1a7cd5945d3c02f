/* Copied from /work/shared/bench/gen_dunning.c; its output must stay byte-identical to that file's. */
/* Deterministic generator for the "dunning" workload (see dunning.md beside this file).
 * Usage: gen ROWS SEED > out.csv
 * Same SEED => same rows; a smaller ROWS gives a prefix of a larger one. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s[4];
static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next(void) { /* xoshiro256** */
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return r;
}
static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL; z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
/* uniform integer in [0, n) (Lemire multiply-shift, bias < 2^-40 for our n) */
static inline uint64_t below(uint64_t n) { return (uint64_t)(((__uint128_t)next() * n) >> 64); }

/* civil date from days since 1970-01-01 (H. Hinnant) */
static void civil(int64_t z, int *y, int *m, int *d) {
    z += 719468; int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400; unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153; unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    unsigned mm = mp < 10 ? mp + 3 : mp - 9; *y = (int)(yy + (mm <= 2)); *m = (int)mm; *d = (int)dd;
}
static char dates[700][11];

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: gen ROWS SEED\n"); return 2; }
    long long rows = atoll(argv[1]); uint64_t seed = strtoull(argv[2], 0, 10);
    for (int i = 0; i < 4; i++) s[i] = splitmix(&seed);
    const int64_t D0 = 20089;              /* 2025-01-01 as days since epoch */
    const int NDAYS = 689;                 /* 2025-01-01 .. 2026-11-20 inclusive */
    for (int i = 0; i < NDAYS; i++) { int y, m, d; civil(D0 + i, &y, &m, &d); snprintf(dates[i], 11, "%04d-%02d-%02d", y, m, d); }
    if (strcmp(dates[NDAYS - 1], "2026-11-20") != 0) { fprintf(stderr, "date table wrong: %s\n", dates[NDAYS - 1]); return 1; }
    static char buf[1 << 20]; setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed\n", stdout);
    for (long long id = 1; id <= rows; id++) {
        /* fixed number of draws per row, in this order */
        uint64_t r_type = below(100), r_amt = below(500000 - 100 + 1), r_pcls = below(100), r_pay = next();
        uint64_t r_due = below(NDAYS), r_lvl = below(5), r_note = next(), r_disp = below(100);
        int business = r_type >= 70;                      /* 70% consumer / 30% business */
        long long amount = 100 + (long long)r_amt;        /* 100..500000 */
        long long paid;
        if (r_pcls < 40) paid = 0;                        /* 40%: nothing paid */
        else if (r_pcls < 50) paid = amount;              /* 10%: fully paid */
        else paid = (long long)(((__uint128_t)r_pay * (uint64_t)(amount + 1)) >> 64); /* 50%: uniform 0..amount */
        int due = (int)r_due, lvl = (int)r_lvl;
        int note = due + (int)(((__uint128_t)r_note * (uint64_t)(NDAYS - due)) >> 64); /* due..2026-11-20 */
        printf("%lld,%s,%lld,%lld,%s,%s,%d,%s\n", id, business ? "business" : "consumer", amount, paid,
               dates[due], lvl == 0 ? "" : dates[note], lvl, r_disp < 3 ? "true" : "false");
    }
    return 0;
}
