/* The compiled part of news-etl (module tasks._native): the inner loops that were the costliest
 * Python left once everything around them was C already: per document langid_score, clean_spans,
 * fold_chars, shingle_hashes, min_hashes and max_segments; per pair of articles story_pair_scores. Each has a
 * pure-Python twin that gives the same answers, used when this module is not built (no compiler).
 *
 * langid_score: py3langid's scoring of one text: the byte walk through its feature DFA, the naive
 * Bayes sum, the length-calibrated softmax and the folding of duplicate labels.
 *
 * Why: on 5 KB text dumps, language detection was ~13 % of the text cleaner's time, most of
 * it a Python loop over the sample's bytes (one DFA step per byte) and a dozen numpy calls on
 * arrays of a hundred elements. Here it is one call (28 us against ~140 us a sample).
 *
 * The model's tables are handed in by tasks/language.py (which owns them and checks their
 * types); every index read from them is bounds-checked, so a model that does not fit raises
 * ValueError instead of reading out of bounds. Sums are in double precision (numpy's path
 * sums float32): labels are the same, a probability may differ in its last float32 bits.
 * Without a compiler the package installs without this module and language.py scores with
 * numpy instead (the same model, the same answers).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* feature -> 1 + its place in this call's list (0: not seen yet); kept between calls and
 * reset entry by entry after each, so a call costs its own features, not the model's size.
 * Only touched with the GIL held. */
static int32_t *feature_slot = NULL;
static Py_ssize_t feature_slot_len = 0;

static int
need_slots(Py_ssize_t n)
{
    if (n <= feature_slot_len)
        return 0;
    int32_t *grown = (int32_t *)calloc((size_t)n, sizeof(int32_t));
    if (grown == NULL)
        return -1;
    free(feature_slot);
    feature_slot = grown;
    feature_slot_len = n;
    return 0;
}

/* acc[c] = sum over the features j of log1p(counts[j]) * table[feats[j]][c]: across the classes, several
 * at once (AVX2 where the CPU has it, as in min_hash_rows); each class's sum still adds its terms in
 * the same order, without fused multiply-adds, so the scores are the same as one class at a time. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
__attribute__((target_clones("avx2", "default"), optimize("O3", "fp-contract=off")))
#endif
static void
naive_bayes_sums(const float *table, Py_ssize_t n_classes, const int32_t *feats, const int32_t *counts,
                 Py_ssize_t n_feats, double *acc)
{
    for (Py_ssize_t c = 0; c < n_classes; c++)
        acc[c] = 0.0;
    for (Py_ssize_t j = 0; j < n_feats; j++) {
        double w = log1p((double)counts[j]);
        const float *row = table + (Py_ssize_t)feats[j] * n_classes;
        for (Py_ssize_t c = 0; c < n_classes; c++)
            acc[c] += w * row[c];
    }
}

static PyObject *
langid_score(PyObject *self, PyObject *args)
{
    Py_buffer nextmove, rowbase, output, ptc, pc, alias_to, alias_from, text;
    PyObject *result = NULL;
    int32_t *feats = NULL, *counts = NULL;
    Py_ssize_t n_feats = 0;
    double *acc = NULL;

    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*y*", &nextmove, &rowbase, &output, &ptc, &pc,
                          &alias_to, &alias_from, &text))
        return NULL;

    if (nextmove.itemsize != 4 || rowbase.itemsize != 4 || output.itemsize != 4 || ptc.itemsize != 4
        || pc.itemsize != 4 || alias_to.itemsize != 4 || alias_from.itemsize != 4
        || alias_to.len != alias_from.len) {
        PyErr_SetString(PyExc_ValueError, "model tables must be 4-byte arrays");
        goto done;
    }
    const uint32_t *nm = (const uint32_t *)nextmove.buf;
    const int32_t *rb = (const int32_t *)rowbase.buf;
    const int32_t *out = (const int32_t *)output.buf;
    const float *table = (const float *)ptc.buf;
    const float *prior = (const float *)pc.buf;
    const int32_t *to = (const int32_t *)alias_to.buf, *from = (const int32_t *)alias_from.buf;
    const unsigned char *bytes = (const unsigned char *)text.buf;
    Py_ssize_t n_nm = nextmove.len / 4, n_states = rowbase.len / 4, n_classes = pc.len / 4;
    Py_ssize_t n_alias = alias_to.len / 4, n_bytes = text.len;
    Py_ssize_t n_rows = n_classes ? ptc.len / 4 / n_classes : 0;

    if (n_classes == 0 || output.len / 4 < n_states || ptc.len / 4 != n_rows * n_classes) {
        PyErr_SetString(PyExc_ValueError, "model tables do not fit together");
        goto done;
    }
    if (n_bytes == 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (need_slots(n_rows) < 0 || (feats = malloc(sizeof(int32_t) * n_bytes)) == NULL
        || (counts = malloc(sizeof(int32_t) * n_bytes)) == NULL
        || (acc = malloc(sizeof(double) * n_classes)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }

    /* the walk: features in order of first occurrence, with their counts */
    Py_ssize_t state = 0;
    for (Py_ssize_t i = 0; i < n_bytes; i++) {
        if (state < 0 || state >= n_states) {
            PyErr_SetString(PyExc_ValueError, "DFA state out of range");
            goto reset;
        }
        Py_ssize_t at = (Py_ssize_t)rb[state] + bytes[i];
        if (at < 0 || at >= n_nm) {
            PyErr_SetString(PyExc_ValueError, "DFA move out of range");
            goto reset;
        }
        state = (Py_ssize_t)nm[at];
        if (state >= n_states) {
            PyErr_SetString(PyExc_ValueError, "DFA state out of range");
            goto reset;
        }
        int32_t f = out[state];
        if (f < 0)
            continue;
        if (f >= n_rows) {
            PyErr_SetString(PyExc_ValueError, "feature out of range");
            goto reset;
        }
        int32_t s = feature_slot[f];
        if (s == 0) {
            feats[n_feats] = f;
            counts[n_feats] = 1;
            feature_slot[f] = (int32_t)(++n_feats);
        }
        else {
            counts[s - 1]++;
        }
    }
    if (n_feats == 0) {
        result = Py_NewRef(Py_None);
        goto reset;
    }

    /* naive Bayes: log1p(count) times the feature's row, plus the priors, over sqrt(length) */
    naive_bayes_sums(table, n_classes, feats, counts, n_feats, acc);
    double scale = 1.0 / sqrt((double)n_bytes), top = -INFINITY, total = 0.0;
    for (Py_ssize_t c = 0; c < n_classes; c++) {
        acc[c] = (acc[c] + prior[c]) * scale;
        if (acc[c] > top)
            top = acc[c];
    }
    for (Py_ssize_t c = 0; c < n_classes; c++) {
        acc[c] = exp(acc[c] - top);
        total += acc[c];
    }
    for (Py_ssize_t c = 0; c < n_classes; c++)
        acc[c] /= total;
    /* a label with two columns (two scripts) gets both probabilities, in table order */
    for (Py_ssize_t k = 0; k < n_alias; k++) {
        if (to[k] < 0 || to[k] >= n_classes || from[k] < 0 || from[k] >= n_classes) {
            PyErr_SetString(PyExc_ValueError, "alias out of range");
            goto reset;
        }
        acc[to[k]] += acc[from[k]];
        acc[from[k]] = 0.0;
    }
    Py_ssize_t best = 0;
    for (Py_ssize_t c = 1; c < n_classes; c++)
        if (acc[c] > acc[best])
            best = c;
    result = Py_BuildValue("(nd)", best, acc[best]);

reset:
    for (Py_ssize_t j = 0; j < n_feats; j++)
        feature_slot[feats[j]] = 0;
done:
    free(feats);
    free(counts);
    free(acc);
    PyBuffer_Release(&nextmove);
    PyBuffer_Release(&rowbase);
    PyBuffer_Release(&output);
    PyBuffer_Release(&ptc);
    PyBuffer_Release(&pc);
    PyBuffer_Release(&alias_to);
    PyBuffer_Release(&alias_from);
    PyBuffer_Release(&text);
    return result;
}

/* *buf grown (or shrunk) to cap elements of `size` bytes: 0, or -1 with *buf left as it was. The raw
 * allocator: story_pair_scores grows its buffers without the GIL (free them with PyMem_RawFree) */
static int
grow_buffer(void **buf, Py_ssize_t cap, size_t size)
{
    void *grown = PyMem_RawRealloc(*buf, size * (size_t)cap);
    if (grown == NULL)
        return -1;
    *buf = grown;
    return 0;
}

/* fold_chars: the match key's per-character step (tasks/normalize.py, _fold_and_blank) as a
 * table lookup. normalize.py builds the table from its own Python step, one char at a time,
 * so the two cannot disagree; chars past the BMP are rare and stay with the Python step. */
static PyObject *
fold_chars(PyObject *self, PyObject *args)
{
    PyObject *text, *multi, *result = NULL;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*O!", &text, &table, &PyDict_Type, &multi))
        return NULL;
    if (table.itemsize != 4 || table.len != 0x10000 * 4) {
        PyErr_SetString(PyExc_ValueError, "the table must hold 65,536 4-byte code points");
        PyBuffer_Release(&table);
        return NULL;
    }
    const uint32_t *to = (const uint32_t *)table.buf;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), cap = n + 16, o = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 *buf = PyMem_RawMalloc(sizeof(Py_UCS4) * cap);     /* (grown by grow_buffer) */
    if (buf == NULL) {
        PyBuffer_Release(&table);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c > 0xFFFF) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        uint32_t v = to[c];
        if (v != 0xFFFFFFFFu) {
            if (v > 0x10FFFF) {
                PyErr_SetString(PyExc_ValueError, "the table maps to a value that is not a code point");
                goto done;
            }
            buf[o++] = (Py_UCS4)v;      /* o + (n - i) <= cap holds all along */
            continue;
        }
        PyObject *key = PyLong_FromUnsignedLong(c);
        if (key == NULL)
            goto done;
        PyObject *rep = PyDict_GetItemWithError(multi, key);
        Py_DECREF(key);
        if (rep == NULL || !PyUnicode_Check(rep)) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "no str replacement for U+%04X", (unsigned)c);
            goto done;
        }
        Py_ssize_t m = PyUnicode_GET_LENGTH(rep);
        if (o + m + (n - i) > cap) {
            cap = (o + m + (n - i)) * 2;
            if (grow_buffer((void **)&buf, cap, sizeof(Py_UCS4)) < 0) {
                PyErr_NoMemory();
                goto done;
            }
        }
        int rkind = PyUnicode_KIND(rep);
        const void *rdata = PyUnicode_DATA(rep);
        for (Py_ssize_t j = 0; j < m; j++)
            buf[o++] = PyUnicode_READ(rkind, rdata, j);
    }
    result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, o);
done:
    PyMem_RawFree(buf);
    PyBuffer_Release(&table);
    return result;
}

/* clean_spans: where normalize_text has work to do (tasks/normalize.py, _nfkc_and_drop_flagged):
 * the maximal runs of chars that NFKC may change or that are dropped, the spans that the
 * `clean_seg` regex finds, from a BMP table built with that regex (bit 1); every char past the
 * BMP is in a run, as in the regex. Also whether every char but the line breaks is printable
 * (bit 2 marks the BMP chars that are not), and whether the spaces are tidy already (no space
 * next to a space or a line break, none at either end), so that a clean page costs one pass at
 * a table lookup a char instead of a regex scan, is_normalized, isprintable and four searches. */
#define CLEAN_SPANS_LOOP(T)                                                          \
    do {                                                                             \
        const T *p = (const T *)data;                                                \
        for (Py_ssize_t i = 0; i < n; i++) {                                         \
            Py_UCS4 c = p[i];                                                        \
            unsigned f = c > 0xFFFF ? 1u : flags[c];                                 \
            unsigned sp = (c == ' '), nl = (c == '\n');                              \
            seen |= f;                                                               \
            untidy |= (sp & (prev_sp | prev_nl)) | (nl & prev_sp);                   \
            prev_sp = sp;                                                            \
            prev_nl = nl;                                                            \
            if ((f & 1) != (start >= 0)) {      /* a run starts or ends here */       \
                if (start < 0) {                                                     \
                    start = i;                                                       \
                } else {                                                             \
                    if (add_span(spans, start, i) < 0)                               \
                        goto fail;                                                   \
                    start = -1;                                                      \
                }                                                                    \
            }                                                                        \
        }                                                                            \
    } while (0)

static int
add_span(PyObject *spans, Py_ssize_t a, Py_ssize_t b)
{
    PyObject *span = Py_BuildValue("(nn)", a, b);
    if (span == NULL)
        return -1;
    int rc = PyList_Append(spans, span);
    Py_DECREF(span);
    return rc;
}

static PyObject *
clean_spans(PyObject *self, PyObject *args)
{
    PyObject *text, *spans = NULL;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table))
        return NULL;
    if (table.len != 0x10000) {
        PyErr_SetString(PyExc_ValueError, "the table must hold 65,536 bytes");
        PyBuffer_Release(&table);
        return NULL;
    }
    const unsigned char *flags = (const unsigned char *)table.buf;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = -1;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    unsigned seen = 0, untidy = 0, prev_sp = 0, prev_nl = 0;   /* branch-free: spaces are frequent */
    spans = PyList_New(0);
    if (spans == NULL)
        goto fail;
    if (kind == PyUnicode_1BYTE_KIND)
        CLEAN_SPANS_LOOP(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        CLEAN_SPANS_LOOP(Py_UCS2);
    else
        CLEAN_SPANS_LOOP(Py_UCS4);
    if (start >= 0 && add_span(spans, start, n) < 0)
        goto fail;
    if (n > 0 && (PyUnicode_READ(kind, data, 0) == ' ' || prev_sp))
        untidy = 1;
    PyBuffer_Release(&table);
    return Py_BuildValue("(NOO)", spans, (seen & 2) ? Py_False : Py_True, untidy ? Py_False : Py_True);
fail:
    Py_XDECREF(spans);
    PyBuffer_Release(&table);
    return NULL;
}

/* The min_hashes loop over 32-bit operands and without branches, so that the compiler can run
 * several permutations at once (a widening 32x32->64 multiply per lane); built for AVX2 as well as
 * for the baseline CPU, the one this CPU runs picked when the module loads (glibc's ifunc). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
__attribute__((target_clones("avx2", "default"), optimize("O3")))
#endif
static void
min_hash_rows(const uint64_t *x, Py_ssize_t n, const uint32_t *a, const uint32_t *b, Py_ssize_t k_n, uint32_t *sig)
{
    const uint64_t prime = (((uint64_t)1) << 61) - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t xi = (uint32_t)x[i];
        for (Py_ssize_t k = 0; k < k_n; k++) {
            uint64_t v = (uint64_t)a[k] * xi + b[k];
            v = (v & prime) + (v >> 61);
            v -= v >= prime ? prime : 0;
            uint32_t h = (uint32_t)v;
            sig[k] = h < sig[k] ? h : sig[k];
        }
    }
}

/* min_hashes: MinHash values of a document's shingle hashes (tasks/dedup.py, _min_hashes):
 * per permutation k, the minimum over the shingles x of ((a_k*x + b_k) mod 2^61-1) & 0xFFFFFFFF.
 * x, a and b are below 2^32, so a*x + b stays below 2^64; the same arithmetic as numpy's. */
static PyObject *
min_hashes(PyObject *self, PyObject *args)
{
    Py_buffer xs, as, bs;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*", &xs, &as, &bs))
        return NULL;
    if (xs.itemsize != 8 || as.itemsize != 8 || bs.itemsize != 8 || as.len != bs.len || as.len == 0
        || as.len > 1024 * 8) {
        PyErr_SetString(PyExc_ValueError, "shingles, a and b must be 8-byte arrays, a and b alike");
        goto done;
    }
    const uint64_t *x = (const uint64_t *)xs.buf, *a = (const uint64_t *)as.buf, *b = (const uint64_t *)bs.buf;
    Py_ssize_t n = xs.len / 8, k_n = as.len / 8;
    const uint64_t low32 = 0xFFFFFFFFu;
    uint32_t sig[1024];
    for (Py_ssize_t k = 0; k < k_n; k++) {
        if (a[k] > low32 || b[k] > low32) {
            PyErr_SetString(PyExc_ValueError, "a and b must be below 2^32");
            goto done;
        }
        sig[k] = 0xFFFFFFFFu;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (x[i] > low32) {
            PyErr_SetString(PyExc_ValueError, "shingle hashes must be below 2^32");
            goto done;
        }
    }
    uint32_t a32[1024], b32[1024];
    for (Py_ssize_t k = 0; k < k_n; k++) {
        a32[k] = (uint32_t)a[k];
        b32[k] = (uint32_t)b[k];
    }
    min_hash_rows(x, n, a32, b32, k_n, sig);
    result = PyList_New(k_n);
    if (result == NULL)
        goto done;
    for (Py_ssize_t k = 0; k < k_n; k++) {
        PyObject *v = PyLong_FromUnsignedLong(sig[k]);
        if (v == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, v);
    }
done:
    PyBuffer_Release(&xs);
    PyBuffer_Release(&as);
    PyBuffer_Release(&bs);
    return result;
}

/* shingle_hashes: tasks/dedup.py's _shingle_hashes: each token's CRC-32 (zlib's, of its UTF-8),
 * then per window of `size` tokens sum(h[i+j] * mix[j]) mod 2^64, xor-shifted by 29, times
 * mix[width], high 32 bits. Returns the hashes as native uint64 bytes, in order, repeats kept. */
static uint32_t crc_table[256];

static void
init_crc_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static PyObject *
shingle_hashes(PyObject *self, PyObject *args)
{
    PyObject *tokens, *result = NULL;
    Py_ssize_t size;
    Py_buffer mixes;
    uint64_t *h = NULL;
    if (!PyArg_ParseTuple(args, "O!ny*", &PyList_Type, &tokens, &size, &mixes))
        return NULL;
    const uint64_t *mix = (const uint64_t *)mixes.buf;
    Py_ssize_t n_tok = PyList_GET_SIZE(tokens), n_mix = mixes.len / 8;
    if (mixes.itemsize != 8 || size < 1 || n_mix < size + 1) {
        PyErr_SetString(PyExc_ValueError, "mix must be a uint64 array of at least size + 1 values");
        goto done;
    }
    if (n_tok == 0) {
        result = PyBytes_FromStringAndSize(NULL, 0);
        goto done;
    }
    if ((h = PyMem_Malloc(sizeof(uint64_t) * n_tok)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_tok; i++) {
        PyObject *tok = PyList_GET_ITEM(tokens, i);
        if (!PyUnicode_Check(tok)) {
            PyErr_SetString(PyExc_TypeError, "tokens must be str");
            goto done;
        }
        Py_ssize_t len;
        const char *utf8 = PyUnicode_AsUTF8AndSize(tok, &len);   /* raises on a lone surrogate, as str.encode */
        if (utf8 == NULL)
            goto done;
        uint32_t c = 0xFFFFFFFFu;
        for (Py_ssize_t k = 0; k < len; k++)
            c = crc_table[(c ^ (unsigned char)utf8[k]) & 0xFF] ^ (c >> 8);
        h[i] = (uint64_t)(c ^ 0xFFFFFFFFu);
    }
    Py_ssize_t width = size < n_tok ? size : n_tok, n = n_tok - width + 1;
    result = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(uint64_t));
    if (result == NULL)
        goto done;
    uint64_t *out = (uint64_t *)PyBytes_AS_STRING(result);
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t m = 0;
        for (Py_ssize_t j = 0; j < width; j++)
            m += h[i + j] * mix[j];
        m ^= m >> 29;
        m *= mix[width];
        out[i] = m >> 32;
    }
done:
    PyMem_Free(h);
    PyBuffer_Release(&mixes);
    return result;
}

/* story_pair_scores: warehouse/stories.py's _score_block without the sort. The postings of a
 * block (positions `src` into the term lists, ordered by article) each meet the partners at
 * positions first[k] .. first[k] + counts[k] - 1; a pair's score is the sum of its weight
 * products. numpy sorted every product by pair and summed the runs with np.add.reduceat; here
 * one article's products are gathered per partner in the same order and summed the way
 * reduceat sums a run (its first value plus numpy's pairwise sum of the rest), so the scores are
 * the same doubles. `slot` is the caller's int32 scratch, one zero per article, left all zeros (it
 * lives as long as the caller's linked_pairs, not in this module). Returns (a, b, score) as int64,
 * int64, float64 bytes, a < b, in no order. */
static double
numpy_pairwise_sum(const double *a, Py_ssize_t n)
{
    if (n < 8) {
        double res = -0.0;
        for (Py_ssize_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8], res;
        Py_ssize_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return numpy_pairwise_sum(a, n2) + numpy_pairwise_sum(a + n2, n - n2);
}

typedef struct {
    int64_t *a, *b;
    double *score;
    Py_ssize_t n, cap;
} pair_list;

static int
pair_append(pair_list *out, int64_t a, int64_t b, double score)
{
    if (out->n == out->cap) {
        Py_ssize_t cap = out->cap ? out->cap * 2 : 1024;
        if (grow_buffer((void **)&out->a, cap, sizeof(int64_t)) < 0
            || grow_buffer((void **)&out->b, cap, sizeof(int64_t)) < 0
            || grow_buffer((void **)&out->score, cap, sizeof(double)) < 0)
            return -1;
        out->cap = cap;
    }
    out->a[out->n] = a;
    out->b[out->n] = b;
    out->score[out->n] = score;
    out->n++;
    return 0;
}

static PyObject *
story_pair_scores(PyObject *self, PyObject *args)
{
    Py_buffer srcb, firstb, countsb, docb, wb, dayb, slotb, wantedb;
    PyObject *wanted_obj, *result = NULL;
    double threshold, window;
    /* one article's partners: partner[t] met count[t] times, its products at offset[t] */
    int32_t *partner = NULL, *count = NULL, *offset = NULL, *filled = NULL;
    double *products = NULL;
    Py_ssize_t partners_cap = 0, products_cap = 0, n_touched = 0;
    pair_list out = {NULL, NULL, NULL, 0, 0};
    int have_wanted = 0;
    int32_t *slot = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*w*ddO", &srcb, &firstb, &countsb, &docb, &wb, &dayb, &slotb,
                          &threshold, &window, &wanted_obj))
        return NULL;
    if (wanted_obj != Py_None) {
        if (PyObject_GetBuffer(wanted_obj, &wantedb, PyBUF_SIMPLE) < 0)
            goto release;
        have_wanted = 1;
    }
    const int32_t *src = srcb.buf, *t_doc = docb.buf;
    const int64_t *first = firstb.buf, *counts = countsb.buf;
    const double *t_w = wb.buf, *day = dayb.buf;
    const unsigned char *wanted = have_wanted ? wantedb.buf : NULL;
    slot = slotb.buf;
    Py_ssize_t n_src = srcb.len / 4, n_post = docb.len / 4, n_docs = dayb.len / 8;
    if (srcb.itemsize != 4 || docb.itemsize != 4 || firstb.itemsize != 8 || countsb.itemsize != 8
        || wb.itemsize != 8 || dayb.itemsize != 8 || slotb.itemsize != 4 || slotb.len / 4 != n_docs
        || firstb.len / 8 != n_src || countsb.len / 8 != n_src || wb.len / 8 != n_post
        || (have_wanted && (wantedb.len != n_docs))) {
        PyErr_SetString(PyExc_ValueError, "story_pair_scores: arrays of the wrong type or length");
        goto release;
    }
    /* the loop touches no Python object: other threads run meanwhile (warehouse/stories.py scores
     * blocks of articles in threads, each with its own `slot`); errors are raised after it */
    enum { SCORED, NO_MEMORY, OUT_OF_RANGE } status = SCORED;
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t k = 0;
    while (k < n_src) {
        /* one article's postings: src[k0 .. k1) */
        Py_ssize_t k0 = k;
        if (src[k] < 0 || src[k] >= n_post)
            goto out_of_range;
        int32_t a = t_doc[src[k]];
        if (a < 0 || a >= n_docs)
            goto out_of_range;
        while (k < n_src && src[k] >= 0 && src[k] < n_post && t_doc[src[k]] == a)
            k++;
        Py_ssize_t k1 = k, total = 0;
        for (Py_ssize_t j = k0; j < k1; j++) {
            if (first[j] < 0 || counts[j] < 0 || first[j] + counts[j] > n_post)
                goto out_of_range;
            for (int64_t p = first[j]; p < first[j] + counts[j]; p++) {
                int32_t b = t_doc[p];
                if (b < 0 || b >= n_docs)
                    goto out_of_range;
                if (have_wanted && (a == b || (wanted[b] && a > b)))
                    continue;
                if (slot[b] == 0) {
                    if (n_touched == partners_cap) {
                        Py_ssize_t cap = partners_cap ? partners_cap * 2 : 256;
                        if (grow_buffer((void **)&partner, cap, sizeof(int32_t)) < 0
                            || grow_buffer((void **)&count, cap, sizeof(int32_t)) < 0
                            || grow_buffer((void **)&offset, cap, sizeof(int32_t)) < 0
                            || grow_buffer((void **)&filled, cap, sizeof(int32_t)) < 0)
                            goto no_memory;
                        partners_cap = cap;
                    }
                    partner[n_touched] = b;
                    count[n_touched] = 0;
                    filled[n_touched] = 0;
                    slot[b] = (int32_t)(++n_touched);
                }
                count[slot[b] - 1]++;
                total++;
            }
        }
        if (total > products_cap) {
            if (grow_buffer((void **)&products, total, sizeof(double)) < 0)
                goto no_memory;
            products_cap = total;
        }
        int32_t at = 0;
        for (Py_ssize_t t = 0; t < n_touched; t++) {
            offset[t] = at;
            at += count[t];
        }
        for (Py_ssize_t j = k0; j < k1; j++) {
            double w = t_w[src[j]];
            for (int64_t p = first[j]; p < first[j] + counts[j]; p++) {
                int32_t b = t_doc[p];
                if (have_wanted && (a == b || (wanted[b] && a > b)))
                    continue;
                Py_ssize_t t = slot[b] - 1;
                products[offset[t] + filled[t]++] = w * t_w[p];
            }
        }
        for (Py_ssize_t t = 0; t < n_touched; t++) {
            int32_t b = partner[t];
            const double *run = products + offset[t];
            double score = run[0] + numpy_pairwise_sum(run + 1, count[t] - 1);
            if (!(score >= threshold))
                continue;
            double da = day[a], db = day[b];
            if (!(isnan(da) || isnan(db) || fabs(da - db) <= window))
                continue;
            if (pair_append(&out, a < b ? a : b, a < b ? b : a, score) < 0)
                goto no_memory;
        }
        for (Py_ssize_t t = 0; t < n_touched; t++)
            slot[partner[t]] = 0;
        n_touched = 0;
    }
    goto scored;
no_memory:
    status = NO_MEMORY;
    goto scored;
out_of_range:
    status = OUT_OF_RANGE;
scored:
    Py_END_ALLOW_THREADS
    if (status == NO_MEMORY)
        PyErr_NoMemory();
    else if (status == OUT_OF_RANGE)
        PyErr_SetString(PyExc_ValueError, "story_pair_scores: an index out of range");
    else   /* (y# turns a NULL buffer into None: a block without pairs gives empty bytes instead) */
        result = Py_BuildValue("(y#y#y#)", out.n ? (const char *)out.a : "", (Py_ssize_t)(out.n * 8),
                               out.n ? (const char *)out.b : "", (Py_ssize_t)(out.n * 8),
                               out.n ? (const char *)out.score : "", (Py_ssize_t)(out.n * 8));
release:
    /* the caller's slot array goes back to all zeros, whatever happened */
    for (Py_ssize_t t = 0; t < n_touched; t++)
        slot[partner[t]] = 0;
    PyMem_RawFree(partner);
    PyMem_RawFree(count);
    PyMem_RawFree(offset);
    PyMem_RawFree(filled);
    PyMem_RawFree(products);
    PyMem_RawFree(out.a);
    PyMem_RawFree(out.b);
    PyMem_RawFree(out.score);
    PyBuffer_Release(&srcb);
    PyBuffer_Release(&firstb);
    PyBuffer_Release(&countsb);
    PyBuffer_Release(&docb);
    PyBuffer_Release(&wb);
    PyBuffer_Release(&dayb);
    PyBuffer_Release(&slotb);
    if (have_wanted)
        PyBuffer_Release(&wantedb);
    return result;
}

/* max_segments(scores, min_score, max_depth, long_run=0): the text cleaner's candidate blocks
 * (tasks/clean_text.py _segments_py): the maximum-sum segment of the line scores (Kadane, first
 * best wins), then recursively the best of what is left on each side, down to `max_depth`; past
 * `long_run` negative scores in a row (when > 0) each counts twice (_long_runs_doubled). The Python twin re-scans the sides in
 * Python, ~10 % of the cleaner's time. The same additions in the same order as the twin: its
 * int scores (line lengths) are small enough to be exact doubles, so the sums are equal. */
typedef struct {
    double best;
    Py_ssize_t a, b;
} segment;

static int
collect_segments(const double *sc, Py_ssize_t lo, Py_ssize_t hi, double min_score, int depth,
                 int max_depth, PyObject *out)
{
    if (hi - lo <= 0 || depth > max_depth)
        return 0;
    double best = 0.0, cur = 0.0;
    Py_ssize_t best_a = -1, best_b = -1, cur_a = lo;
    for (Py_ssize_t j = lo; j < hi; j++) {
        if (cur <= 0) {
            cur = sc[j];
            cur_a = j;
        }
        else
            cur += sc[j];
        if (cur > best) {
            best = cur;
            best_a = cur_a;
            best_b = j + 1;
        }
    }
    if (best_a < 0 || best < min_score)
        return 0;
    if (collect_segments(sc, lo, best_a, min_score, depth + 1, max_depth, out) < 0)
        return -1;
    PyObject *t = Py_BuildValue("(dnn)", best, best_a, best_b);
    if (t == NULL || PyList_Append(out, t) < 0) {
        Py_XDECREF(t);
        return -1;
    }
    Py_DECREF(t);
    return collect_segments(sc, best_b, hi, min_score, depth + 1, max_depth, out);
}

static PyObject *
max_segments(PyObject *self, PyObject *args)
{
    PyObject *seq;
    double min_score;
    int max_depth;
    Py_ssize_t long_run = 0;
    if (!PyArg_ParseTuple(args, "Odi|n", &seq, &min_score, &max_depth, &long_run))
        return NULL;
    PyObject *fast = PySequence_Fast(seq, "max_segments: scores must be a sequence");
    if (fast == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    double *sc = (double *)malloc((size_t)(n ? n : 1) * sizeof(double));
    PyObject *out = sc ? PyList_New(0) : NULL;
    if (out == NULL) {
        free(sc);
        Py_DECREF(fast);
        return sc ? NULL : PyErr_NoMemory();
    }
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < n; i++) {
        sc[i] = PyFloat_AsDouble(items[i]);
        if (sc[i] == -1.0 && PyErr_Occurred())
            goto fail;
    }
    if (long_run > 0) {
        /* past long_run negative scores in a row, each counts twice (a long run of chrome) */
        Py_ssize_t run = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (sc[i] < 0) {
                if (++run > long_run)
                    sc[i] *= 2;
            }
            else
                run = 0;
        }
    }
    if (collect_segments(sc, 0, n, min_score, 0, max_depth, out) < 0)
        goto fail;
    free(sc);
    Py_DECREF(fast);
    return out;
fail:
    free(sc);
    Py_DECREF(fast);
    Py_DECREF(out);
    return NULL;
}

/* word_heads: the rule tables' word gate (tasks/rules.py LineRules.match): the first one to three
 * word characters of every token of a casefolded line (what re's findall(r"\b\w{1,3}") gives) that
 * are keys of the gate. A word character is re's Unicode \w: alphanumeric (Py_UNICODE_ISALNUM) or
 * "_"; on ASCII text it is re.ASCII's \w too. The findall and the set built from it were ~9 % of
 * the cleaner on the devset dumps. Here a token's head is packed into an integer (21 bits a code
 * point) and looked up in a table built once per key set, so no head that is not a key becomes a
 * str. The table belongs to the last frozenset given (held by reference: it cannot change). */
static PyObject *heads_keys = NULL;       /* the frozenset the table was built from */
static uint64_t *heads_codes = NULL;      /* open addressing; 0 = empty slot */
static PyObject **heads_strs = NULL;      /* the key str of each slot (borrowed from heads_keys) */
static size_t heads_mask = 0;

static inline int
is_word_char(Py_UCS4 ch)
{
    if (ch < 128)       /* the common case without the four Unicode table look-ups */
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '_';
    return Py_UNICODE_ISALNUM(ch);
}

static inline size_t
head_slot(uint64_t code)
{
    return (size_t)((code * 0x9E3779B97F4A7C15ULL) >> 20);
}

static int
build_heads_table(PyObject *keys)
{
    size_t size = 64;
    while (size < (size_t)PySet_GET_SIZE(keys) * 4)
        size <<= 1;
    uint64_t *codes = (uint64_t *)calloc(size, sizeof(uint64_t));
    PyObject **strs = (PyObject **)calloc(size, sizeof(PyObject *));
    if (codes == NULL || strs == NULL) {
        free(codes);
        free(strs);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    Py_hash_t hash;
    while (_PySet_NextEntry(keys, &pos, &key, &hash)) {
        if (!PyUnicode_Check(key))
            continue;
        Py_ssize_t n = PyUnicode_GET_LENGTH(key);
        if (n < 1 || n > 3)
            continue;               /* a token's head has 1 to 3 chars: such a key never matches */
        uint64_t code = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            code |= (uint64_t)PyUnicode_READ_CHAR(key, i) << (21 * i);
        size_t s = head_slot(code) & (size - 1);
        while (codes[s] != 0 && codes[s] != code)
            s = (s + 1) & (size - 1);
        codes[s] = code;
        strs[s] = key;
    }
    free(heads_codes);
    free(heads_strs);
    Py_XDECREF(heads_keys);
    Py_INCREF(keys);
    heads_keys = keys;
    heads_codes = codes;
    heads_strs = strs;
    heads_mask = size - 1;
    return 0;
}

/* the word heads of `text` (a str) that are in `keys` (a frozenset): a new list. A head starts where
 * a word does, and where a word character below U+3000 follows one of the scripts without spaces
 * ("本网站使用Cookie": "coo"); the twin is tasks/rules.py word_heads_py. */
static PyObject *
heads_of(PyObject *text, PyObject *keys)
{
    if (keys != heads_keys && build_heads_table(keys) < 0)
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int prev_word = 0;
    Py_UCS4 prev = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        int w = is_word_char(ch);
        if (w && (!prev_word || (prev >= 0x3000 && ch < 0x3000))) {
            uint64_t code = ch;
            for (Py_ssize_t j = i + 1; j < n && j < i + 3; j++) {
                Py_UCS4 c2 = PyUnicode_READ(kind, data, j);
                if (!is_word_char(c2))
                    break;
                code |= (uint64_t)c2 << (21 * (j - i));
            }
            size_t s = head_slot(code) & heads_mask;
            while (heads_codes[s] != 0 && heads_codes[s] != code)
                s = (s + 1) & heads_mask;
            if (heads_codes[s] == code) {
                PyObject *key = heads_strs[s];
                Py_ssize_t k, m = PyList_GET_SIZE(out);
                for (k = 0; k < m && PyList_GET_ITEM(out, k) != key; k++)
                    ;
                if (k == m && PyList_Append(out, key) < 0) {
                    Py_DECREF(out);
                    return NULL;
                }
            }
        }
        prev_word = w;
        prev = ch;
    }
    return out;
}

static PyObject *
word_heads(PyObject *self, PyObject *args)
{
    PyObject *text, *keys;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyFrozenSet_Type, &keys))
        return NULL;
    return heads_of(text, keys);
}

/* rule_match and line_entry: the text cleaner's per-line step (tasks/rules.py LineRules.match and
 * tasks/clean_text.py _line_entry, their Python twins). Every distinct line of a page the cleaner
 * has not seen before goes through them: on the devset dumps that is ~75,000 lines, and the Python
 * around the regex calls (dict look-ups, the candidate set, the tuple) was about a fifth of the
 * cleaner's time. The regexes stay re's: the same compiled patterns are called, in the same order,
 * so the answers are the twins' answers. The tables come from LineRules.native_plan(), a tuple:
 *   0 max_chars  1 concept -> max_chars  2 line key -> concept  3 has a "junk" concept
 *   4 first char -> second char -> bucket  5 first char -> bucket  6 word-gate keys (frozenset)
 *   7 word-gate key -> [gated index]  8 the symbol literals' search or None  9 [(symbol, index)]
 *   10 [(CJK literal, index)]  11 [always-tried index]  12 [... on lines with CJK]
 *   13 [(concept, bound match/search of the gated pattern)]  14 the chars stripped before anchors
 *   15 the toolbar phrases' first words (frozenset)  16 LineRules.toolbar_match or None
 *   17 the toolbar concept's max_chars  18 the toolbar separators besides white space
 * A bucket is a tasks.rules._Anchored: .rx (None until compiled, False for a per-pattern loop),
 * .items [(concept, pattern)], .groups (group number -> item), .max_chars (its concepts' longest). */
static PyObject *s_match, *s_casefold, *s_combine, *s_rx, *s_items, *s_groups, *s_lastindex,
    *s_navigation, *s_junk, *s_empty, *s_strip, *s_lstrip, *s_space, *s_max_chars;
/* the reasons and sections paragraph_reasons gives and reads */
static PyObject *s_repeated_on_site, *s_repeated_in_page, *s_user_comment, *s_related_links, *s_off_block,
    *s_header_zone, *s_footer_zone, *s_comments, *s_related;

static int
intern_names(void)
{
#define NAME(var, text) if ((var = PyUnicode_InternFromString(text)) == NULL) return -1;
    NAME(s_match, "match") NAME(s_casefold, "casefold") NAME(s_combine, "_combine") NAME(s_rx, "rx")
    NAME(s_items, "items") NAME(s_groups, "groups") NAME(s_lastindex, "lastindex")
    NAME(s_navigation, "navigation") NAME(s_junk, "junk") NAME(s_empty, "") NAME(s_strip, "strip")
    NAME(s_lstrip, "lstrip") NAME(s_space, " ") NAME(s_max_chars, "max_chars")
    NAME(s_repeated_on_site, "repeated_on_site") NAME(s_repeated_in_page, "repeated_in_page")
    NAME(s_user_comment, "user_comment") NAME(s_related_links, "related_links") NAME(s_off_block, "off_block")
    NAME(s_header_zone, "header_zone") NAME(s_footer_zone, "footer_zone") NAME(s_comments, "comments")
    NAME(s_related, "related")
#undef NAME
    return 0;
}

/* mx[concept] as a C integer; -1 with an exception set when it is missing or not an int */
static Py_ssize_t
concept_max(PyObject *mx, PyObject *concept)
{
    PyObject *v = PyDict_GetItemWithError(mx, concept);
    if (v == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, concept);
        return -1;
    }
    return PyLong_AsSsize_t(v);
}

/* The concept of the first (concept, pattern) pair of `pairs` from `start` (only those whose `wanted`
 * byte is set, when given) that allows a line of n chars and whose pattern finds the line: a new
 * reference, Py_None, or NULL on an error. The pattern is called through its method `name` ("match"
 * on a compiled pattern), or called itself when name is NULL (a bound match or search). */
static PyObject *
first_hit(PyObject *pairs, Py_ssize_t start, const char *wanted, PyObject *name, PyObject *mx, PyObject *line,
          Py_ssize_t n)
{
    for (Py_ssize_t j = start; j < PyList_GET_SIZE(pairs); j++) {
        if (wanted != NULL && !wanted[j])
            continue;
        PyObject *pair = PyList_GET_ITEM(pairs, j);
        PyObject *concept = PyTuple_GET_ITEM(pair, 0), *pattern = PyTuple_GET_ITEM(pair, 1);
        Py_ssize_t cmax = concept_max(mx, concept);
        if (cmax == -1 && PyErr_Occurred())
            return NULL;
        if (n > cmax)
            continue;
        PyObject *m = name != NULL ? PyObject_CallMethodOneArg(pattern, name, line) : PyObject_CallOneArg(pattern, line);
        if (m == NULL)
            return NULL;
        int hit = m != Py_None;
        Py_DECREF(m);
        if (hit)
            return Py_NewRef(concept);
    }
    Py_RETURN_NONE;
}

/* _Anchored.first: the first anchored pattern of the bucket that matches the (stripped) line and
 * whose concept allows the line's length n. New reference to the concept, Py_None, or NULL. */
/* obj.name when it is of `type` (a new reference), else NULL with TypeError */
static PyObject *
attr_of_type(PyObject *obj, PyObject *name, PyTypeObject *type)
{
    PyObject *v = PyObject_GetAttr(obj, name);
    if (v != NULL && !PyObject_TypeCheck(v, type)) {
        PyErr_Format(PyExc_TypeError, "%U must be a %s", name, type->tp_name);
        Py_CLEAR(v);
    }
    return v;
}

static PyObject *
bucket_first(PyObject *bucket, PyObject *line, Py_ssize_t n, PyObject *mx)
{
    /* longer than any of its concepts accepts (a paragraph): none of its patterns is tried */
    PyObject *most = PyObject_GetAttr(bucket, s_max_chars);
    if (most == NULL)
        return NULL;
    Py_ssize_t most_n = PyLong_AsSsize_t(most);
    Py_DECREF(most);
    if (most_n == -1 && PyErr_Occurred())
        return NULL;
    if (n > most_n)
        Py_RETURN_NONE;
    PyObject *rx = PyObject_GetAttr(bucket, s_rx);
    if (rx == NULL)
        return NULL;
    if (rx == Py_None) {
        Py_DECREF(rx);
        rx = PyObject_CallMethodNoArgs(bucket, s_combine);
        if (rx == NULL)
            return NULL;
    }
    PyObject *items = attr_of_type(bucket, s_items, &PyList_Type);
    if (items == NULL) {
        Py_DECREF(rx);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t start = 0;
    if (rx != Py_False) {
        PyObject *m = PyObject_CallMethodOneArg(rx, s_match, line);
        if (m == NULL)
            goto done;
        if (m == Py_None) {
            Py_DECREF(m);
            result = Py_NewRef(Py_None);
            goto done;
        }
        PyObject *last = PyObject_GetAttr(m, s_lastindex);
        Py_DECREF(m);
        if (last == NULL)
            goto done;
        PyObject *groups = attr_of_type(bucket, s_groups, &PyDict_Type);
        if (groups == NULL) {
            Py_DECREF(last);
            goto done;
        }
        PyObject *k = PyDict_GetItemWithError(groups, last);
        Py_DECREF(last);
        if (k == NULL && PyErr_Occurred()) {
            Py_DECREF(groups);
            goto done;
        }
        if (k != NULL) {
            Py_ssize_t kk = PyLong_AsSsize_t(k);
            Py_DECREF(groups);
            if (kk == -1 && PyErr_Occurred())
                goto done;
            if (kk < 0 || kk >= PyList_GET_SIZE(items)) {
                PyErr_SetString(PyExc_IndexError, "bucket group out of range");
                goto done;
            }
            PyObject *c = PyTuple_GET_ITEM(PyList_GET_ITEM(items, kk), 0);
            Py_ssize_t cmax = concept_max(mx, c);
            if (cmax == -1 && PyErr_Occurred())
                goto done;
            if (n <= cmax) {
                result = Py_NewRef(c);
                goto done;
            }
            start = kk + 1;     /* the ones before kk do not match; kk's concept refuses the length */
        }
        else
            Py_DECREF(groups);
    }
    result = first_hit(items, start, NULL, s_match, mx, line, n);
done:
    Py_DECREF(rx);
    Py_DECREF(items);
    return result;
}

/* cand[index] = 1 for a gated pattern's index (an int below n_gated) */
static int
mark_index(char *cand, Py_ssize_t n_gated, PyObject *index)
{
    Py_ssize_t e = PyLong_AsSsize_t(index);
    if (e == -1 && PyErr_Occurred())
        return -1;
    if (e < 0 || e >= n_gated) {
        PyErr_SetString(PyExc_IndexError, "gate index out of range");
        return -1;
    }
    cand[e] = 1;
    return 0;
}

static int
mark_gated(char *cand, Py_ssize_t n_gated, PyObject *indices)
{
    if (!PyList_Check(indices)) {
        PyErr_SetString(PyExc_TypeError, "gate indices must be a list");
        return -1;
    }
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(indices); j++)
        if (mark_index(cand, n_gated, PyList_GET_ITEM(indices, j)) < 0)
            return -1;
    return 0;
}

/* the (literal, index) pairs whose literal `low` contains */
static int
mark_literals(char *cand, Py_ssize_t n_gated, PyObject *pairs, PyObject *low)
{
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(pairs); j++) {
        PyObject *pair = PyList_GET_ITEM(pairs, j);
        int has = PyUnicode_Contains(low, PyTuple_GET_ITEM(pair, 0));
        if (has < 0)
            return -1;
        if (has && mark_index(cand, n_gated, PyTuple_GET_ITEM(pair, 1)) < 0)
            return -1;
    }
    return 0;
}

static inline int
has_char_from(PyObject *s, Py_UCS4 lo)
{
    if (PyUnicode_MAX_CHAR_VALUE(s) < lo)
        return 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0, n = PyUnicode_GET_LENGTH(s); i < n; i++)
        if (PyUnicode_READ(kind, data, i) >= lo)
            return 1;
    return 0;
}

/* A toolbar flattened into one line ("Print Send Share"): when the key has two words or more and
 * its first word (up to a space or one of plan[18]) opens one of the toolbar concept's phrases
 * (plan[15]), LineRules.toolbar_match (plan[16]; None without a toolbar concept) decides, for a
 * line of at most plan[17] chars. New reference to the concept, Py_None, or NULL. */
static PyObject *
toolbar_first(PyObject *plan, PyObject *key, Py_ssize_t n)
{
    PyObject *decide = PyTuple_GET_ITEM(plan, 16);
    if (decide == Py_None)
        Py_RETURN_NONE;
    Py_ssize_t tmax = PyLong_AsSsize_t(PyTuple_GET_ITEM(plan, 17));
    if (tmax == -1 && PyErr_Occurred())
        return NULL;
    if (n > tmax)
        Py_RETURN_NONE;
    PyObject *seps = PyTuple_GET_ITEM(plan, 18);
    Py_ssize_t kn = PyUnicode_GET_LENGTH(key), sn = PyUnicode_GET_LENGTH(seps), j;
    char ascii_sep[128] = {0};          /* the ASCII separators at a glance; others through FindChar */
    for (j = 0; j < sn; j++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(seps, j);
        if (ch < 128)
            ascii_sep[ch] = 1;
    }
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    for (j = 0; j < kn; j++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, j);
        if (ch < 128 ? (ascii_sep[ch] || Py_UNICODE_ISSPACE(ch))
                     : (Py_UNICODE_ISSPACE(ch) || PyUnicode_FindChar(seps, ch, 0, sn, 1) >= 0))
            break;
    }
    if (j == kn)
        Py_RETURN_NONE;                 /* one word: a button alone is in the whole-line table */
    PyObject *head = PyUnicode_Substring(key, 0, j);
    if (head == NULL)
        return NULL;
    int opens = PySet_Contains(PyTuple_GET_ITEM(plan, 15), head);
    Py_DECREF(head);
    if (opens < 0)
        return NULL;
    if (!opens)
        Py_RETURN_NONE;
    return PyObject_CallOneArg(decide, key);
}

/* the concept of the first anchored pattern that matches among those that can start with the line's
 * first two characters (low = its casefold, n the whole line's length), or None; NULL on error.
 * The twin is tasks/rules.py LineRules._anchored_first. */
static PyObject *
anchored_first(PyObject *plan, PyObject *line, PyObject *low, Py_ssize_t n, PyObject *mx)
{
    PyObject *c1 = PyUnicode_Substring(low, 0, 1);
    if (c1 == NULL)
        return NULL;
    PyObject *d2 = PyDict_GetItemWithError(PyTuple_GET_ITEM(plan, 4), c1);
    if (d2 == NULL) {
        Py_DECREF(c1);
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_None);
    }
    PyObject *c2 = PyUnicode_Substring(low, 1, 2);
    if (c2 == NULL) {
        Py_DECREF(c1);
        return NULL;
    }
    PyObject *bucket = PyDict_GetItemWithError(d2, c2);
    Py_DECREF(c2);
    if (bucket == NULL && !PyErr_Occurred())
        bucket = PyDict_GetItemWithError(PyTuple_GET_ITEM(plan, 5), c1);
    if (bucket == NULL && !PyErr_Occurred())
        PyErr_SetObject(PyExc_KeyError, c1);
    Py_DECREF(c1);
    return bucket == NULL ? NULL : bucket_first(bucket, line, n, mx);
}

/* LineRules.match(line, key, low, deep): the concept (new reference), Py_None, or NULL */
static PyObject *
match_in_plan(PyObject *plan, PyObject *line, PyObject *key, PyObject *low, int deep)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(line);
    Py_ssize_t max_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(plan, 0));
    if (max_chars == -1 && PyErr_Occurred())
        return NULL;
    if (n > max_chars || n == 0)
        Py_RETURN_NONE;
    PyObject *mx = PyTuple_GET_ITEM(plan, 1);
    int has_junk = PyObject_IsTrue(PyTuple_GET_ITEM(plan, 3));
    if (PyUnicode_GET_LENGTH(key) == 0 && has_junk)
        return Py_NewRef(s_junk);
    PyObject *c = PyDict_GetItemWithError(PyTuple_GET_ITEM(plan, 2), key);
    if (c != NULL) {
        Py_ssize_t cmax = concept_max(mx, c);
        if (cmax == -1 && PyErr_Occurred())
            return NULL;
        if (n <= cmax + 20)
            return Py_NewRef(c);
    }
    else if (PyErr_Occurred())
        return NULL;

    PyObject *result = NULL, *stripped = NULL, *low2 = NULL;
    char *cand = NULL;
    PyObject *lead = PyTuple_GET_ITEM(plan, 14);
    if (PyUnicode_FindChar(lead, PyUnicode_READ_CHAR(line, 0), 0, PyUnicode_GET_LENGTH(lead), 1) >= 0) {
        /* the patterns that ask for the leading bracket or bullet first see the line as it is */
        PyObject *got = anchored_first(plan, line, low, n, mx);
        if (got == NULL || got != Py_None)
            return got;
        Py_DECREF(got);
        stripped = PyObject_CallMethodOneArg(line, s_lstrip, lead);
        if (stripped == NULL)
            return NULL;
        if (PyUnicode_GET_LENGTH(stripped) == 0) {
            Py_DECREF(stripped);
            return Py_NewRef(has_junk ? s_junk : Py_None);
        }
        low2 = PyObject_CallMethodNoArgs(stripped, s_casefold);
        if (low2 == NULL)
            goto done;
        line = stripped;
        low = low2;
    }
    {
        PyObject *got = anchored_first(plan, line, low, n, mx);
        if (got == NULL || got != Py_None) {
            result = got;
            goto done;
        }
        Py_DECREF(got);
    }
    {
        PyObject *got = toolbar_first(plan, key, n);
        if (got == NULL || got != Py_None) {
            result = got;
            goto done;
        }
        Py_DECREF(got);
    }
    if (!deep) {
        result = Py_NewRef(Py_None);
        goto done;
    }

    /* the gated patterns: candidates from the word heads, the symbol and CJK literals */
    PyObject *gated = PyTuple_GET_ITEM(plan, 13);
    Py_ssize_t n_gated = PyList_GET_SIZE(gated);
    cand = (char *)calloc((size_t)(n_gated ? n_gated : 1), 1);
    if (cand == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *heads = heads_of(low, PyTuple_GET_ITEM(plan, 6));
    if (heads == NULL)
        goto done;
    PyObject *wg = PyTuple_GET_ITEM(plan, 7);
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(heads); j++) {
        PyObject *lst = PyDict_GetItemWithError(wg, PyList_GET_ITEM(heads, j));
        if (lst == NULL || mark_gated(cand, n_gated, lst) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, PyList_GET_ITEM(heads, j));
            Py_DECREF(heads);
            goto done;
        }
    }
    Py_DECREF(heads);
    PyObject *sym_search = PyTuple_GET_ITEM(plan, 8);
    if (sym_search != Py_None) {
        PyObject *m = PyObject_CallOneArg(sym_search, low);
        if (m == NULL)
            goto done;
        int hit = m != Py_None;
        Py_DECREF(m);
        if (hit && mark_literals(cand, n_gated, PyTuple_GET_ITEM(plan, 9), low) < 0)
            goto done;
    }
    if (has_char_from(low, 0x3000)) {
        if (mark_literals(cand, n_gated, PyTuple_GET_ITEM(plan, 10), low) < 0
            || mark_gated(cand, n_gated, PyTuple_GET_ITEM(plan, 12)) < 0)
            goto done;
    }
    if (mark_gated(cand, n_gated, PyTuple_GET_ITEM(plan, 11)) < 0)
        goto done;
    result = first_hit(gated, 0, cand, NULL, mx, line, n);
done:
    free(cand);
    Py_XDECREF(stripped);
    Py_XDECREF(low2);
    return result;
}

static int
check_rules_plan(PyObject *plan)
{
    if (!PyTuple_Check(plan) || PyTuple_GET_SIZE(plan) != 19 || !PyDict_Check(PyTuple_GET_ITEM(plan, 1))
        || !PyDict_Check(PyTuple_GET_ITEM(plan, 2)) || !PyDict_Check(PyTuple_GET_ITEM(plan, 4))
        || !PyDict_Check(PyTuple_GET_ITEM(plan, 5)) || !PyFrozenSet_Check(PyTuple_GET_ITEM(plan, 6))
        || !PyDict_Check(PyTuple_GET_ITEM(plan, 7)) || !PyList_Check(PyTuple_GET_ITEM(plan, 9))
        || !PyList_Check(PyTuple_GET_ITEM(plan, 10)) || !PyList_Check(PyTuple_GET_ITEM(plan, 11))
        || !PyList_Check(PyTuple_GET_ITEM(plan, 12)) || !PyList_Check(PyTuple_GET_ITEM(plan, 13))
        || !PyUnicode_Check(PyTuple_GET_ITEM(plan, 14)) || !PyFrozenSet_Check(PyTuple_GET_ITEM(plan, 15))
        || !PyUnicode_Check(PyTuple_GET_ITEM(plan, 18))) {
        PyErr_SetString(PyExc_TypeError, "not a LineRules.native_plan() tuple");
        return -1;
    }
    return 0;
}

static PyObject *
rule_match(PyObject *self, PyObject *args)
{
    PyObject *plan, *line, *key, *low;
    int deep;
    if (!PyArg_ParseTuple(args, "OUUUp", &plan, &line, &key, &low, &deep))
        return NULL;
    if (check_rules_plan(plan) < 0)
        return NULL;
    return match_in_plan(plan, line, key, low, deep);
}

/* line_entry(s, plan): _line_entry's tuple (key, terminal punctuation, concept, has CJK, comment
 * stamp, length, prose, long) for a non-empty line. plan = (rules plan, deep_chars, prose_chars,
 * punct_prose_chars, terminal chars, closing chars, key strip chars, whitespace sub(" ", k),
 * emoji-end search, stamp-time search, date-shape search, run_on_min_chars, the run-on test of a
 * line as long as that without terminal punctuation or a rule's concept). */
static int
check_entry_plan(PyObject *plan)
{
    if (!PyTuple_Check(plan) || PyTuple_GET_SIZE(plan) != 13 || check_rules_plan(PyTuple_GET_ITEM(plan, 0)) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "line_entry: bad plan");
        return -1;
    }
    return 0;
}

static PyObject *entry_of(PyObject *s, PyObject *plan);

static PyObject *
line_entry(PyObject *self, PyObject *args)
{
    PyObject *s, *plan;
    if (!PyArg_ParseTuple(args, "UO", &s, &plan))
        return NULL;
    if (check_entry_plan(plan) < 0)
        return NULL;
    return entry_of(s, plan);
}

/* line_columns(lines, cache, plan, cache_line_max): the features of every line of a page, as eight
 * tuples (one per field of line_entry, one item per line), taken from the cache (line -> entry) or
 * computed and cached (lines up to cache_line_max chars). What clean_text did with a map over the
 * cache, a Python loop over the misses and a zip(*entries): ~10 % of the cleaner on the devset. */
static PyObject *
line_columns(PyObject *self, PyObject *args)
{
    PyObject *lines, *cache, *plan;
    Py_ssize_t cache_line_max;
    if (!PyArg_ParseTuple(args, "O!O!On", &PyList_Type, &lines, &PyDict_Type, &cache, &plan, &cache_line_max))
        return NULL;
    if (check_entry_plan(plan) < 0)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lines);
    PyObject **ents = (PyObject **)calloc((size_t)(n ? n : 1), sizeof(PyObject *));
    if (ents == NULL)
        return PyErr_NoMemory();
    PyObject *out = NULL;
    Py_ssize_t i;
    for (i = 0; i < n; i++) {
        PyObject *s = PyList_GET_ITEM(lines, i);
        if (!PyUnicode_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "line_columns: lines must be str");
            goto done;
        }
        PyObject *e = PyDict_GetItemWithError(cache, s);
        if (e != NULL) {
            ents[i] = Py_NewRef(e);
            continue;
        }
        if (PyErr_Occurred() || (e = entry_of(s, plan)) == NULL)
            goto done;
        ents[i] = e;
        if (PyUnicode_GET_LENGTH(s) <= cache_line_max && PyDict_SetItem(cache, s, e) < 0)
            goto done;
    }
    out = PyTuple_New(8);
    if (out == NULL)
        goto done;
    for (Py_ssize_t f = 0; f < 8; f++) {
        PyObject *col = PyTuple_New(n);
        if (col == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(out, f, col);
        for (i = 0; i < n; i++) {
            if (!PyTuple_Check(ents[i]) || PyTuple_GET_SIZE(ents[i]) != 8) {
                PyErr_SetString(PyExc_TypeError, "line_columns: a cached entry is not an 8-tuple");
                Py_CLEAR(out);
                goto done;
            }
            PyTuple_SET_ITEM(col, i, Py_NewRef(PyTuple_GET_ITEM(ents[i], f)));
        }
    }
done:
    for (i = 0; i < n; i++)
        Py_XDECREF(ents[i]);
    free(ents);
    return out;
}

/* where the citation marks closing a line start ("[12]", " [3][4]": one to three ASCII digits in
 * brackets, a space before each allowed), n when there are none; never 0 (a line of marks only keeps
 * its last char). The twin is tasks/clean_text.py _CITATION_MARKS. */
static Py_ssize_t
citation_marks_start(PyObject *s, Py_ssize_t n)
{
    Py_ssize_t end = n;
    while (end >= 3 && PyUnicode_READ_CHAR(s, end - 1) == ']') {
        Py_ssize_t k = end - 2, digits = 0;
        while (k >= 0 && digits <= 3) {
            Py_UCS4 ch = PyUnicode_READ_CHAR(s, k);
            if (ch < '0' || ch > '9')
                break;
            k--;
            digits++;
        }
        if (digits == 0 || digits > 3 || k < 1 || PyUnicode_READ_CHAR(s, k) != '[')
            break;
        if (PyUnicode_READ_CHAR(s, k - 1) == ' ')
            k--;
        if (k < 1)
            break;
        end = k;
    }
    return end;
}

/* ch as the rules see it: 0 for an Arabic mark (harakat, tanween, shadda, sukun U+064B-U+0652, the
 * superscript alef U+0670), an Arabic letter variant folded (tasks/normalize.py ARABIC_LETTER_FOLDS),
 * Turkish dotted capital I as I (casefold makes it "i" and a combining dot), a Greek vowel without
 * its tonos (tasks/rules.py GREEK_TONOS_FOLDS), else ch */
static inline Py_UCS4
rule_char(Py_UCS4 ch)
{
    if (ch == 0x0130)
        return 'I';
    if (ch >= 0x0386 && ch <= 0x03CE) {
        switch (ch) {
        case 0x0386: return 0x0391;
        case 0x0388: return 0x0395;
        case 0x0389: return 0x0397;
        case 0x038A: return 0x0399;
        case 0x038C: return 0x039F;
        case 0x038E: return 0x03A5;
        case 0x038F: return 0x03A9;
        case 0x0390: return 0x03CA;
        case 0x03AC: return 0x03B1;
        case 0x03AD: return 0x03B5;
        case 0x03AE: return 0x03B7;
        case 0x03AF: return 0x03B9;
        case 0x03B0: return 0x03CB;
        case 0x03CC: return 0x03BF;
        case 0x03CD: return 0x03C5;
        case 0x03CE: return 0x03C9;
        default: return ch;
        }
    }
    if (ch < 0x0622 || ch > 0x06CC)
        return ch;
    if ((ch >= 0x064B && ch <= 0x0652) || ch == 0x0670)
        return 0;
    switch (ch) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671:
        return 0x0627;
    case 0x0649: case 0x06CC:
        return 0x064A;
    case 0x0629:
        return 0x0647;
    case 0x06A9:
        return 0x0643;
    default:
        return ch;
    }
}

/* s as the rules see it (a new reference; s itself when nothing in it folds): one Arabic spelling,
 * "اقرأ أيضًا" as "اقرا ايضا". The twin is tasks/rules.py rule_form. */
static PyObject *
rule_form(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), i;
    if (PyUnicode_MAX_CHAR_VALUE(s) < 0x0130)
        return Py_NewRef(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (rule_char(ch) != ch)
            break;
    }
    if (i == n)
        return Py_NewRef(s);
    Py_UCS4 *buf = (Py_UCS4 *)PyMem_Malloc((size_t)(n + 1) * sizeof(Py_UCS4));
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t m = 0;
    for (i = 0; i < n; i++) {
        Py_UCS4 ch = rule_char(PyUnicode_READ(kind, data, i));
        if (ch != 0)
            buf[m++] = ch;
    }
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m);
    PyMem_Free(buf);
    return out;
}

/* the entry of one non-empty line (plan checked by the caller) */
static PyObject *
entry_of(PyObject *s, PyObject *plan)
{
    PyObject *rplan = PyTuple_GET_ITEM(plan, 0);
    Py_ssize_t deep_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(plan, 1));
    Py_ssize_t prose_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(plan, 2));
    Py_ssize_t punct_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(plan, 3));
    Py_ssize_t max_chars = PyLong_AsSsize_t(PyTuple_GET_ITEM(rplan, 0));
    if (PyErr_Occurred())
        return NULL;
    PyObject *terminal = PyTuple_GET_ITEM(plan, 4), *closers = PyTuple_GET_ITEM(plan, 5);
    PyObject *strip = PyTuple_GET_ITEM(plan, 6);
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "line_entry: empty line");
        return NULL;
    }
    /* the sentence ends before its citation marks ("… results.[2]", "… war. [3][4]") */
    Py_ssize_t end = citation_marks_start(s, n);
    Py_UCS4 last = PyUnicode_READ_CHAR(s, end - 1);
    if (end > 1 && PyUnicode_FindChar(closers, last, 0, PyUnicode_GET_LENGTH(closers), 1) >= 0)
        last = PyUnicode_READ_CHAR(s, end - 2);
    int has_cjk = has_char_from(s, 0x3040);
    int term = PyUnicode_FindChar(terminal, last, 0, PyUnicode_GET_LENGTH(terminal), 1) >= 0
        && !(last == 0x2026 || (n >= 2 && PyUnicode_READ_CHAR(s, n - 1) == '.' && PyUnicode_READ_CHAR(s, n - 2) == '.'));
    if (!term && n > 2 && last >= 0x2600) {
        PyObject *m = PyObject_CallOneArg(PyTuple_GET_ITEM(plan, 8), s);
        if (m == NULL)
            return NULL;
        term = m != Py_None;
        Py_DECREF(m);
    }
    /* the rules see the line in one Arabic spelling; its other features are the line's own */
    PyObject *bare = rule_form(s);
    if (bare == NULL)
        return NULL;
    PyObject *low = PyObject_CallMethodNoArgs(bare, s_casefold);
    if (low == NULL) {
        Py_DECREF(bare);
        return NULL;
    }
    PyObject *key;
    if (n < 400) {
        key = PyObject_CallMethodOneArg(low, s_strip, strip);
        if (key == NULL) {
            Py_DECREF(low);
            Py_DECREF(bare);
            return NULL;
        }
        /* runs of white space in the key become one space ("  " or a tab: what the twin tests) */
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t kn = PyUnicode_GET_LENGTH(key);
        int ws = 0;
        for (Py_ssize_t i = 0; i < kn && !ws; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            ws = ch == '\t' || (ch == ' ' && i + 1 < kn && PyUnicode_READ(kind, data, i + 1) == ' ');
        }
        if (ws) {
            PyObject *sub = PyObject_CallFunctionObjArgs(PyTuple_GET_ITEM(plan, 7), s_space, key, NULL);
            Py_DECREF(key);
            if (sub == NULL) {
                Py_DECREF(low);
                Py_DECREF(bare);
                return NULL;
            }
            key = sub;
        }
    }
    else
        key = Py_NewRef(low);
    PyObject *c = match_in_plan(rplan, bare, key, low, n <= deep_chars);
    Py_DECREF(low);
    Py_DECREF(bare);
    if (c == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    if (c == Py_None && n >= punct_chars) {
        /* a line without a letter or digit (a rule of dashes, a row of dots) is no prose, nor a
         * menu run together */
        int kind = PyUnicode_KIND(s);
        const void *data = PyUnicode_DATA(s);
        Py_ssize_t i = 0;
        while (i < n && !Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i)))
            i++;
        if (i == n) {
            Py_DECREF(c);
            c = Py_NewRef(s_junk);
        }
    }
    if (c == Py_None && PyUnicode_FindChar(s, '|', 0, n, 1) >= 0) {
        /* "a | b | c" link lists */
        Py_ssize_t bars = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            bars += PyUnicode_READ_CHAR(s, i) == '|';
        if (bars >= 2 && (double)n / (double)(bars + 1) < 45.0) {
            Py_DECREF(c);
            c = Py_NewRef(s_navigation);
        }
    }
    if (c == Py_None && !term) {
        /* a long line with (almost) no sentence end inside: a menu run together (plan[12] decides) */
        Py_ssize_t run_on_min = PyLong_AsSsize_t(PyTuple_GET_ITEM(plan, 11));
        if (run_on_min == -1 && PyErr_Occurred()) {
            Py_DECREF(key);
            Py_DECREF(c);
            return NULL;
        }
        if (n >= run_on_min) {
            PyObject *verdict = PyObject_CallOneArg(PyTuple_GET_ITEM(plan, 12), s);
            int run_on = verdict == NULL ? -1 : PyObject_IsTrue(verdict);
            Py_XDECREF(verdict);
            if (run_on < 0) {
                Py_DECREF(key);
                Py_DECREF(c);
                return NULL;
            }
            if (run_on) {
                Py_DECREF(c);
                c = Py_NewRef(s_navigation);
            }
        }
    }
    int stamp = 0;
    if (n <= 90 && c == Py_None && PyUnicode_FindChar(s, ':', 0, n, 1) >= 0) {
        PyObject *m = PyObject_CallOneArg(PyTuple_GET_ITEM(plan, 9), s);
        if (m != NULL && m != Py_None) {
            Py_DECREF(m);
            m = PyObject_CallOneArg(PyTuple_GET_ITEM(plan, 10), s);
        }
        if (m == NULL) {
            Py_DECREF(key);
            Py_DECREF(c);
            return NULL;
        }
        stamp = m != Py_None;
        Py_DECREF(m);
    }
    int nav = c != Py_None && PyUnicode_Compare(c, s_navigation) == 0;
    if (PyErr_Occurred()) {
        Py_DECREF(key);
        Py_DECREF(c);
        return NULL;
    }
    int prose = !nav && (n >= prose_chars || (term && n >= punct_chars));
    int long_ = deep_chars < n && n <= max_chars;
    PyObject *out = PyTuple_New(8);
    if (out == NULL) {
        Py_DECREF(key);
        Py_DECREF(c);
        return NULL;
    }
    PyTuple_SET_ITEM(out, 0, key);
    PyTuple_SET_ITEM(out, 1, PyBool_FromLong(term));
    PyTuple_SET_ITEM(out, 2, c);
    PyTuple_SET_ITEM(out, 3, PyBool_FromLong(has_cjk));
    PyTuple_SET_ITEM(out, 4, PyBool_FromLong(stamp));
    PyTuple_SET_ITEM(out, 5, PyLong_FromSsize_t(n));
    PyTuple_SET_ITEM(out, 6, PyBool_FromLong(prose));
    PyTuple_SET_ITEM(out, 7, PyBool_FromLong(long_));
    if (PyTuple_GET_ITEM(out, 5) == NULL) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* rank_terms: an article's heaviest terms (tasks/terms.py article_terms, rank_terms_py its twin):
 * each term's count in title + lead and in the title alone, its weight (the title counted
 * title_weight times), and the `limit` heaviest by (-weight, term). The Counters, the dict of
 * weights and the sort of (-weight, term) tuples were about a third of article_terms, itself ~15 %
 * of a worker's time; the terms are memoized str objects, so their hashes are already known. */
typedef struct {
    Py_ssize_t weight, all, title;
    PyObject *term;         /* borrowed from the input lists */
} ranked_term;

static int
compare_ranked(const void *a, const void *b)
{
    const ranked_term *x = (const ranked_term *)a, *y = (const ranked_term *)b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    /* str order (code points), what sorting the tuples did; two equal terms never meet (a dict's keys) */
    return PyUnicode_Compare(x->term, y->term);
}

static void
swap_ranked(ranked_term *t, Py_ssize_t i, Py_ssize_t j)
{
    ranked_term x = t[i];
    t[i] = t[j];
    t[j] = x;
}

/* Move the k first of t[0..n) in compare_ranked order to its front (in no order): a quickselect,
 * median-of-three pivots. Only the `limit` heaviest of a few hundred terms are kept, and sorting
 * them all (most tie at weight 1, so their strings are compared) was half of rank_terms. The terms
 * are distinct, so no two compare equal. 0 when it gave up after many rounds (the caller sorts all). */
static int
select_ranked(ranked_term *t, Py_ssize_t n, Py_ssize_t k)
{
    Py_ssize_t lo = 0, hi = n - 1;
    for (int rounds = 0; hi > lo; rounds++) {
        if (rounds > 64)
            return 0;
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (compare_ranked(&t[mid], &t[lo]) < 0)
            swap_ranked(t, mid, lo);
        if (compare_ranked(&t[hi], &t[lo]) < 0)
            swap_ranked(t, hi, lo);
        if (compare_ranked(&t[mid], &t[hi]) < 0)
            swap_ranked(t, mid, hi);
        /* t[lo] <= t[hi] <= t[mid]: t[hi] is the pivot */
        Py_ssize_t store = lo;
        for (Py_ssize_t i = lo; i < hi; i++)
            if (compare_ranked(&t[i], &t[hi]) < 0)
                swap_ranked(t, i, store++);
        swap_ranked(t, store, hi);
        if (store == k - 1 || store == k)
            return 1;
        if (store > k)
            hi = store - 1;
        else
            lo = store + 1;
    }
    return 1;
}

static PyObject *
rank_terms(PyObject *self, PyObject *args)
{
    PyObject *title_terms, *lead_terms;
    Py_ssize_t limit, title_weight;
    if (!PyArg_ParseTuple(args, "O!O!nn", &PyList_Type, &title_terms, &PyList_Type, &lead_terms, &limit,
                          &title_weight))
        return NULL;
    PyObject *slot = PyDict_New();      /* term -> index into `terms` */
    if (slot == NULL)
        return NULL;
    Py_ssize_t cap = PyList_GET_SIZE(title_terms) + PyList_GET_SIZE(lead_terms);
    ranked_term *terms = (ranked_term *)malloc((size_t)(cap ? cap : 1) * sizeof(ranked_term));
    PyObject *out = NULL;
    Py_ssize_t n = 0;
    if (terms == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (int part = 0; part < 2; part++) {
        PyObject *lst = part == 0 ? title_terms : lead_terms;
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(lst); i++) {
            PyObject *t = PyList_GET_ITEM(lst, i);
            if (!PyUnicode_Check(t)) {
                PyErr_SetString(PyExc_TypeError, "rank_terms: terms must be str");
                goto done;
            }
            PyObject *k = PyDict_GetItemWithError(slot, t);
            Py_ssize_t j;
            if (k != NULL)
                j = PyLong_AsSsize_t(k);
            else {
                if (PyErr_Occurred())
                    goto done;
                j = n++;
                terms[j].weight = terms[j].all = terms[j].title = 0;
                terms[j].term = t;
                PyObject *jj = PyLong_FromSsize_t(j);
                if (jj == NULL || PyDict_SetItem(slot, t, jj) < 0) {
                    Py_XDECREF(jj);
                    goto done;
                }
                Py_DECREF(jj);
            }
            terms[j].all += 1;
            if (part == 0) {
                terms[j].title += 1;
                terms[j].weight += title_weight;
            }
            else
                terms[j].weight += 1;
        }
    }
    Py_ssize_t sorted_n = n;
    if (0 < limit && limit < n && select_ranked(terms, n, limit))
        sorted_n = limit;
    qsort(terms, (size_t)sorted_n, sizeof(ranked_term), compare_ranked);
    if (PyErr_Occurred())       /* a failed comparison */
        goto done;
    /* the slice [:limit] of the ranking, a negative limit included */
    Py_ssize_t m = limit >= 0 ? (n < limit ? n : limit) : (n + limit > 0 ? n + limit : 0);
    out = PyList_New(m);
    if (out == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *row = Py_BuildValue("(Onn)", terms[i].term, terms[i].all, terms[i].title);
        if (row == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, row);
    }
done:
    free(terms);
    Py_DECREF(slot);
    return out;
}

/* A page's per-line columns (lines first) as fast sequences, new references in out[0..k), all of
 * the lines' length; 0, or -1 with an exception set (out[] holds what was converted: the caller
 * releases it either way). */
static int
page_columns_fast(const char *fn, PyObject *const *in, PyObject **out, int k)
{
    for (int c = 0; c < k; c++) {
        if ((out[c] = PySequence_Fast(in[c], "the page's columns must be sequences")) == NULL)
            return -1;
        if (PySequence_Fast_GET_SIZE(out[c]) != PySequence_Fast_GET_SIZE(out[0])) {
            PyErr_Format(PyExc_ValueError, "%s: the page's columns differ in length", fn);
            return -1;
        }
    }
    return 0;
}

/* counts[key] as a C integer (0 when missing: a Counter's answer); -1 with an exception set on error */
static Py_ssize_t
count_of(PyObject *counts, PyObject *key)
{
    PyObject *v = PyDict_GetItemWithError(counts, key);
    if (v == NULL)
        return PyErr_Occurred() ? -1 : 0;
    return PyLong_AsSsize_t(v);
}

/* 1 when the dict maps key to anything, 0 when not, -1 on error; *value borrowed (or NULL) */
static int
dict_get(PyObject *d, PyObject *key, PyObject **value)
{
    *value = PyDict_GetItemWithError(d, key);
    if (*value == NULL)
        return PyErr_Occurred() ? -1 : 0;
    return 1;
}

/* The line number `io` (an item of the page's order) as a C index below n_lines; -1 with an
 * exception set when it is no int or out of range. */
static Py_ssize_t
line_number(PyObject *io, Py_ssize_t n_lines, const char *fn)
{
    Py_ssize_t i = PyLong_AsSsize_t(io);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0 || i >= n_lines) {
        PyErr_Format(PyExc_IndexError, "%s: a line number out of range", fn);
        return -1;
    }
    return i;
}

/* reason_of[concept], borrowed; NULL with KeyError set when the concept has no reason (as the
 * twins' reason_of[c] raises) or another exception on error */
static PyObject *
reason_of_concept(PyObject *reason_of, PyObject *concept)
{
    PyObject *r;
    int t = dict_get(reason_of, concept, &r);
    if (t == 0)
        PyErr_SetObject(PyExc_KeyError, concept);
    return t > 0 ? r : NULL;
}

/* paragraph_reasons: the text cleaner's last step (tasks/clean_text.py _paragraphs_and_reasons_py,
 * its Python twin): the block's lines become the paragraphs, every other line a RemovedLine with the
 * most specific reason there is. One pass over a page's lines with a dict or set look-up or two a
 * line, and a RemovedLine made for most of them: ~11 % of the cleaner's time in Python. Same
 * branches in the same order as the twin.
 *   args: order, lines, keys, key_count, prose, weight, concept, reason, block, on_site, sec_of,
 *   reason_of, soft, a_line, b_line, nav_run, nav_chars, list_run, counter_chars, glue, removed_line
 * glue(s) -> s is called for a kept line while the credit may still be glued to it (the twin's
 * credit_open); removed_line(line_no, text, reason) makes a removed line's record. */
static PyObject *
paragraph_reasons(PyObject *self, PyObject *args)
{
    PyObject *order_in, *lines_in, *keys_in, *key_count, *prose_in, *weight_in, *concept, *reason, *block,
        *on_site, *sec_of, *reason_of, *soft, *counter_chars, *glue, *refrain, *removed_line;
    Py_ssize_t a_line, b_line, nav_run, list_run;
    double nav_chars;
    if (!PyArg_ParseTuple(args, "OOOO!OOO!O!O!O!O!O!O!nnndnUOOO", &order_in, &lines_in, &keys_in, &PyDict_Type,
                          &key_count, &prose_in, &weight_in, &PyDict_Type, &concept, &PyDict_Type, &reason,
                          &PySet_Type, &block, &PySet_Type, &on_site, &PyDict_Type, &sec_of, &PyDict_Type,
                          &reason_of, &PyFrozenSet_Type, &soft, &a_line, &b_line, &nav_run, &nav_chars, &list_run,
                          &counter_chars, &glue, &refrain, &removed_line))
        return NULL;
    PyObject *order = NULL, *lines = NULL, *keys = NULL, *prose = NULL, *weight = NULL;
    PyObject *paragraphs = NULL, *removed = NULL, *kept_keys = NULL, *block_count = NULL, *result = NULL;
    PyObject *last_kept = NULL;     /* the key of the paragraph kept last (borrowed from `keys`) */
    Py_ssize_t *run_len = NULL, *idx = NULL;      /* idx: each position's line number */
    char *in_block = NULL;
    PyObject *const columns_in[] = {lines_in, keys_in, prose_in, weight_in};
    PyObject *columns[4] = {NULL, NULL, NULL, NULL};
    int got = page_columns_fast("paragraph_reasons", columns_in, columns, 4);
    lines = columns[0], keys = columns[1], prose = columns[2], weight = columns[3];
    if (got < 0 || (order = PySequence_Fast(order_in, "paragraph_reasons: order must be a sequence")) == NULL)
        goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(order), n_lines = PySequence_Fast_GET_SIZE(lines);
    run_len = (Py_ssize_t *)calloc((size_t)(n ? n : 1), sizeof(Py_ssize_t));
    idx = (Py_ssize_t *)malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    in_block = (char *)calloc((size_t)(n ? n : 1), 1);
    if (run_len == NULL || idx == NULL || in_block == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* each position's line number (checked once) and whether it is in the block; then the runs of
     * short lines off the block: each line of a run gets the run's length */
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *io = PySequence_Fast_GET_ITEM(order, j);
        int b;
        if ((idx[j] = line_number(io, n_lines, "paragraph_reasons")) < 0 || (b = PySet_Contains(block, io)) < 0)
            goto done;
        in_block[j] = (char)b;
    }
    for (Py_ssize_t j = 0; j < n;) {
        int p = PyObject_IsTrue(PySequence_Fast_GET_ITEM(prose, idx[j]));
        if (p < 0)
            goto done;
        if (p || in_block[j]) {
            run_len[j++] = 0;
            continue;
        }
        Py_ssize_t k = j;
        while (k < n && !in_block[k]) {
            int pk = PyObject_IsTrue(PySequence_Fast_GET_ITEM(prose, idx[k]));
            if (pk < 0)
                goto done;
            if (pk)
                break;
            k++;
        }
        for (Py_ssize_t x = j; x < k; x++)
            run_len[x] = k - j;
        j = k;
    }
    /* how often each key stands in the block */
    if ((block_count = PyDict_New()) == NULL || (kept_keys = PySet_New(NULL)) == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < n; j++) {
        if (!in_block[j])
            continue;
        PyObject *key = PySequence_Fast_GET_ITEM(keys, idx[j]);
        Py_ssize_t c = count_of(block_count, key);
        PyObject *cc = c < 0 ? NULL : PyLong_FromSsize_t(c + 1);
        if (cc == NULL || PyDict_SetItem(block_count, key, cc) < 0) {
            Py_XDECREF(cc);
            goto done;
        }
        Py_DECREF(cc);
    }
    if ((paragraphs = PyList_New(0)) == NULL || (removed = PyList_New(0)) == NULL)
        goto done;
    PyObject *section = Py_None;        /* borrowed: a value of sec_of, or None */
    int credit_open = 1;
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_ssize_t i = idx[j];
        PyObject *io = PySequence_Fast_GET_ITEM(order, j);
        PyObject *s = PySequence_Fast_GET_ITEM(lines, i);
        PyObject *key = PySequence_Fast_GET_ITEM(keys, i);
        PyObject *r, *c, *sec;      /* (NULL: none, as the twin's .get() gives None) */
        int t;
        if (dict_get(reason, io, &r) < 0 || dict_get(concept, io, &c) < 0)
            goto done;
        if (r == Py_None)
            r = NULL;
        if (c == Py_None)
            c = NULL;
        if (c != NULL && !in_block[j]) {
            if ((t = dict_get(sec_of, c, &sec)) < 0)
                goto done;
            if (t && i > a_line)
                section = sec;
        }
        if (r == NULL && in_block[j]) {
            if (c != NULL) {
                int soft_isolated = 0;
                if ((t = PySet_Contains(soft, c)) < 0)
                    goto done;
                if (t && j > 0 && j + 1 < n && in_block[j - 1] && in_block[j + 1]) {
                    int cp = PyDict_Contains(concept, PySequence_Fast_GET_ITEM(order, j - 1)),
                        cn = PyDict_Contains(concept, PySequence_Fast_GET_ITEM(order, j + 1));
                    if (cp < 0 || cn < 0)
                        goto done;
                    soft_isolated = !cp && !cn;
                }
                if (!soft_isolated && (r = reason_of_concept(reason_of, c)) == NULL)
                    goto done;
            }
            if (r == NULL) {
                if ((t = PySet_Contains(on_site, io)) < 0)
                    goto done;
                if (t)
                    r = s_repeated_on_site;
            }
            Py_ssize_t kc = 0;
            int is_prose = -1;
            if (r == NULL) {
                if ((kc = count_of(key_count, key)) < 0)
                    goto done;
                if ((is_prose = PyObject_IsTrue(PySequence_Fast_GET_ITEM(prose, i))) < 0)
                    goto done;
                if (kc > 1) {
                    int repeated = 0;
                    if (!is_prose) {
                        double w = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(weight, i));
                        if (w == -1.0 && PyErr_Occurred())
                            goto done;
                        if (w < 60) {
                            Py_ssize_t bc = count_of(block_count, key);
                            if (bc < 0)
                                goto done;
                            repeated = bc > 1 || kc > 2;
                        }
                    }
                    if (!repeated && (t = PySet_Contains(kept_keys, key)) < 0)
                        goto done;
                    if (t && is_prose && last_kept != NULL
                        && (last_kept == key || PyUnicode_Compare(last_kept, key) == 0)) {
                        /* unless it is the article's own refrain (_refrain: rare, a page's walk) */
                        PyObject *own = PyObject_CallOneArg(refrain, key);
                        if (own == NULL)
                            goto done;
                        int is_own = PyObject_IsTrue(own);
                        Py_DECREF(own);
                        if (is_own < 0)
                            goto done;
                        t = !is_own;
                    }
                    if (repeated || t)
                        r = s_repeated_in_page;
                }
            }
            if (r == NULL && is_prose && PyUnicode_GET_LENGTH(key) > 0) {
                Py_UCS4 k0 = PyUnicode_READ_CHAR(key, 0);
                if (k0 >= '0' && k0 <= '9') {
                    /* printed again behind a counter's digit ("0Сегодня в …") */
                    PyObject *bare = PyObject_CallMethodOneArg(key, s_lstrip, counter_chars);
                    if (bare == NULL)
                        goto done;
                    Py_ssize_t bc = count_of(key_count, bare);
                    Py_DECREF(bare);
                    if (bc < 0)
                        goto done;
                    if (bc)
                        r = s_repeated_in_page;
                }
            }
            if (r == NULL) {
                if (kc > 1 && PySet_Add(kept_keys, key) < 0)
                    goto done;
                last_kept = key;
                PyObject *kept;
                if (credit_open) {
                    credit_open = i < a_line;
                    kept = PyObject_CallOneArg(glue, s);
                    if (kept == NULL)
                        goto done;
                }
                else
                    kept = Py_NewRef(s);
                t = PyList_Append(paragraphs, kept);
                Py_DECREF(kept);
                if (t < 0)
                    goto done;
                section = Py_None;
                continue;
            }
        }
        if (r == NULL) {
            if (c != NULL) {
                if ((r = reason_of_concept(reason_of, c)) == NULL)
                    goto done;
            }
            else {
                if ((t = PySet_Contains(on_site, io)) < 0)
                    goto done;
                if (t)
                    r = s_repeated_on_site;
                else if (section != Py_None && i > b_line && PyUnicode_Check(section)
                         && PyUnicode_Compare(section, s_comments) == 0)
                    r = s_user_comment;
                else if (section != Py_None && PyUnicode_Check(section) && PyUnicode_Compare(section, s_related) == 0)
                    r = s_related_links;
                else {
                    Py_ssize_t kc = count_of(key_count, key);
                    int is_prose = PyObject_IsTrue(PySequence_Fast_GET_ITEM(prose, i));
                    if (kc < 0 || is_prose < 0)
                        goto done;
                    double w = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(weight, i));
                    if (w == -1.0 && PyErr_Occurred())
                        goto done;
                    if (kc > 1 && !is_prose)
                        r = s_repeated_in_page;
                    else if (run_len[j] >= nav_run && w <= nav_chars)
                        r = s_navigation;
                    else if (i > b_line && run_len[j] >= list_run)
                        r = s_related_links;
                    else if (is_prose)
                        r = s_off_block;
                    else if (i < a_line)
                        r = s_header_zone;
                    else
                        r = s_footer_zone;
                }
            }
        }
        PyObject *no = PyLong_FromSsize_t(i + 1);
        if (no == NULL)
            goto done;
        PyObject *call_args[3] = {no, s, r};
        PyObject *rec = PyObject_Vectorcall(removed_line, call_args, 3, NULL);
        Py_DECREF(no);
        if (rec == NULL)
            goto done;
        t = PyList_Append(removed, rec);
        Py_DECREF(rec);
        if (t < 0)
            goto done;
    }
    result = PyTuple_Pack(2, paragraphs, removed);
done:
    free(run_len);
    free(idx);
    free(in_block);
    Py_XDECREF(order);
    Py_XDECREF(lines);
    Py_XDECREF(keys);
    Py_XDECREF(prose);
    Py_XDECREF(weight);
    Py_XDECREF(paragraphs);
    Py_XDECREF(removed);
    Py_XDECREF(kept_keys);
    Py_XDECREF(block_count);
    return result;
}

/* block_scores: each line's score for the choice of the article's block (tasks/clean_text.py
 * _block_scores_py, its Python twin): prose weighs its length, chrome a penalty, a section's header
 * or the headline printed in the page is a barrier no block crosses. Same branches in the same
 * order as the twin; a score is the twin's very object (a weight, a penalty, the barrier) or, for a
 * long line without sentence punctuation, the same float.
 *   args: order, lines, keys, key_count, prose, weight, term_of, concept, reason_of, sec_of, strong,
 *   title_line (-1: none), title_printed, boundaries, on_site, n_authors, inline_teaser (a pattern's
 *   search), code_line (a callable), deep_chars, unpunctuated_cap, barrier, rule, strong_rule, short,
 *   repeated (the last four: the negative penalties)
 * Returns (scores, the order indices of the headers that open a comment section). */
static PyObject *
block_scores(PyObject *self, PyObject *args)
{
    PyObject *order_in, *lines_in, *keys_in, *key_count, *prose_in, *weight_in, *term_in, *concept, *reason_of,
        *sec_of, *strong, *title_printed, *boundaries, *on_site, *inline_teaser, *code_line, *barrier,
        *p_rule, *p_strong, *p_short, *p_repeated;
    Py_ssize_t title_line, n_authors;
    double deep_chars, cap;
    if (!PyArg_ParseTuple(args, "OOOO!OOOO!O!O!O!nO!O!O!nOOddOOOOO", &order_in, &lines_in, &keys_in, &PyDict_Type,
                          &key_count, &prose_in, &weight_in, &term_in, &PyDict_Type, &concept, &PyDict_Type,
                          &reason_of, &PyDict_Type, &sec_of, &PyFrozenSet_Type, &strong, &title_line, &PySet_Type,
                          &title_printed, &PySet_Type, &boundaries, &PySet_Type, &on_site, &n_authors,
                          &inline_teaser, &code_line, &deep_chars, &cap, &barrier, &p_rule, &p_strong, &p_short,
                          &p_repeated))
        return NULL;
    PyObject *order = NULL, *lines = NULL, *keys = NULL, *prose = NULL, *weight = NULL, *term = NULL;
    PyObject *scores = NULL, *heads = NULL, *result = NULL;
    PyObject *const columns_in[] = {lines_in, keys_in, prose_in, weight_in, term_in};
    PyObject *columns[5] = {NULL, NULL, NULL, NULL, NULL};
    int got = page_columns_fast("block_scores", columns_in, columns, 5);
    lines = columns[0], keys = columns[1], prose = columns[2], weight = columns[3], term = columns[4];
    if (got < 0 || (order = PySequence_Fast(order_in, "block_scores: order must be a sequence")) == NULL)
        goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(order), n_lines = PySequence_Fast_GET_SIZE(lines);
    if ((scores = PyList_New(n)) == NULL || (heads = PyList_New(0)) == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *io = PySequence_Fast_GET_ITEM(order, j);
        Py_ssize_t i = line_number(io, n_lines, "block_scores");
        if (i < 0)
            goto done;
        PyObject *sc = NULL, *c;
        int t;
        if ((t = dict_get(concept, io, &c)) < 0)
            goto done;
        if (!t)
            c = Py_None;
        if (i == title_line)
            sc = Py_NewRef(p_rule);
        else if ((t = PySet_Contains(title_printed, io)) != 0) {
            if (t < 0)
                goto done;
            sc = Py_NewRef(barrier);
        }
        else if (c != Py_None) {
            PyObject *sec, *r;
            int header = 0;
            if ((t = dict_get(sec_of, c, &sec)) < 0)
                goto done;
            if (t) {
                int is_author = PyUnicode_Check(c) && PyUnicode_CompareWithASCIIString(c, "comment_author") == 0;
                if (!is_author || n_authors >= 2) {
                    if (is_author)
                        header = 1;
                    else {
                        PyObject *m = PyObject_CallOneArg(inline_teaser, PySequence_Fast_GET_ITEM(lines, i));
                        if (m == NULL)
                            goto done;
                        header = m == Py_None;
                        Py_DECREF(m);
                    }
                }
            }
            int boundary = 0;
            if (!header && (boundary = PySet_Contains(boundaries, io)) < 0)
                goto done;
            if (header || boundary)
                sc = Py_NewRef(barrier);
            else {
                if ((r = reason_of_concept(reason_of, c)) == NULL || (t = PySet_Contains(strong, r)) < 0)
                    goto done;
                if (t)
                    sc = Py_NewRef(p_strong);
                else if (PyUnicode_Check(r) && PyUnicode_CompareWithASCIIString(r, "caption") == 0)
                    sc = Py_NewRef(p_short);
                else
                    sc = Py_NewRef(p_rule);
            }
            if (header && PyUnicode_Check(sec) && PyUnicode_CompareWithASCIIString(sec, "comments") == 0) {
                PyObject *jj = PyLong_FromSsize_t(j);
                if (jj == NULL || PyList_Append(heads, jj) < 0) {
                    Py_XDECREF(jj);
                    Py_DECREF(sc);
                    goto done;
                }
                Py_DECREF(jj);
            }
        }
        else {
            int is_prose = PyObject_IsTrue(PySequence_Fast_GET_ITEM(prose, i));
            if (is_prose < 0 || (t = PySet_Contains(on_site, io)) < 0)
                goto done;
            int repeated = t;
            if (!repeated && !is_prose) {
                Py_ssize_t kc = count_of(key_count, PySequence_Fast_GET_ITEM(keys, i));
                if (kc < 0)
                    goto done;
                repeated = kc > 1;
            }
            if (repeated)
                sc = Py_NewRef(p_repeated);
            else if (is_prose) {
                PyObject *wo = PySequence_Fast_GET_ITEM(weight, i);
                double w = PyFloat_AsDouble(wo);
                if (w == -1.0 && PyErr_Occurred())
                    goto done;
                int code = 0;
                if (w > deep_chars) {
                    /* program text the dumper kept is no prose: it makes no block of its own */
                    PyObject *got = PyObject_CallOneArg(code_line, PySequence_Fast_GET_ITEM(lines, i));
                    if (got == NULL || (code = PyObject_IsTrue(got)) < 0) {
                        Py_XDECREF(got);
                        goto done;
                    }
                    Py_DECREF(got);
                }
                if (code)
                    sc = Py_NewRef(p_short);
                else {
                    int punct = PyObject_IsTrue(PySequence_Fast_GET_ITEM(term, i));
                    if (punct < 0)
                        goto done;
                    /* a long line without sentence punctuation counts half, and only up to a cap */
                    sc = punct ? Py_NewRef(wo) : PyFloat_FromDouble((w < cap ? w : cap) * 0.5);
                    if (sc == NULL)
                        goto done;
                }
            }
            else
                sc = Py_NewRef(p_short);
        }
        PyList_SET_ITEM(scores, j, sc);
    }
    result = PyTuple_Pack(2, scores, heads);
done:
    /* (on an error the scores list has unset items, NULL: list_dealloc skips them) */
    Py_XDECREF(order);
    Py_XDECREF(lines);
    Py_XDECREF(keys);
    Py_XDECREF(prose);
    Py_XDECREF(weight);
    Py_XDECREF(term);
    Py_XDECREF(scores);
    Py_XDECREF(heads);
    return result;
}

static PyMethodDef methods[] = {
    {"langid_score", langid_score, METH_VARARGS,
     "langid_score(nextmove, rowbase, output, ptc, pc, alias_to, alias_from, utf8) -> (class index, probability)"
     " or None when the text has no feature."},
    {"fold_chars", fold_chars, METH_VARARGS,
     "fold_chars(text, table, multi) -> text with every BMP char c replaced by chr(table[c]), or by"
     " multi[c] where table[c] is 0xFFFFFFFF; None when the text has a char past the BMP."},
    {"clean_spans", clean_spans, METH_VARARGS,
     "clean_spans(text, table) -> ([(start, end), ...], printable, tidy): the runs of chars whose table byte"
     " has bit 1 (every char past the BMP too); whether no char has bit 2; whether no space stands next to a"
     " space or a line break or at either end."},
    {"min_hashes", min_hashes, METH_VARARGS,
     "min_hashes(x, a, b) -> [min over x of ((a_k*x + b_k) mod 2^61-1) & 0xFFFFFFFF for each k], x, a, b uint64"
     " arrays of values below 2^32."},
    {"shingle_hashes", shingle_hashes, METH_VARARGS,
     "shingle_hashes(tokens, size, mix) -> bytes of uint64: the hash of every size-token window, in order."},
    {"story_pair_scores", story_pair_scores, METH_VARARGS,
     "story_pair_scores(src, first, counts, t_doc, t_w, day, slot, threshold, window_days, wanted) -> (a, b, score)"
     " bytes of int64, int64, float64: the pairs of one block that reach the threshold within the window."},
    {"max_segments", max_segments, METH_VARARGS,
     "max_segments(scores, min_score, max_depth) -> [(score, start, end), ...]: the maximum-sum segment of"
     " scores, then recursively the best on each side, in order, those under min_score left out."},
    {"word_heads", word_heads, METH_VARARGS,
     "word_heads(text, keys) -> [the distinct first 1-3 word chars of text's tokens (re's \\b\\w{1,3}) that are in keys]."},
    {"rank_terms", rank_terms, METH_VARARGS,
     "rank_terms(title_terms, lead_terms, limit, title_weight) -> [(term, count, count in title)] of the `limit`"
     " heaviest terms by (-(count + (title_weight - 1) * count in title), term)."},
    {"rule_match", rule_match, METH_VARARGS,
     "rule_match(plan, line, key, low, deep) -> the concept LineRules.match gives, or None (plan: LineRules.native_plan())."},
    {"line_columns", line_columns, METH_VARARGS,
     "line_columns(lines, cache, plan, cache_line_max) -> eight tuples: line_entry's fields of every line, via the cache."},
    {"block_scores", block_scores, METH_VARARGS,
     "block_scores(order, lines, keys, key_count, prose, weight, term_of, concept, reason_of, sec_of, strong,"
     " title_line, title_printed, boundaries, on_site, n_authors, inline_teaser, code_line, deep_chars,"
     " unpunctuated_cap, barrier, rule, strong_rule, short, repeated) -> (scores, comment header indices):"
     " tasks/clean_text.py _block_scores_py in C."},
    {"paragraph_reasons", paragraph_reasons, METH_VARARGS,
     "paragraph_reasons(order, lines, keys, key_count, prose, weight, concept, reason, block, on_site, sec_of,"
     " reason_of, soft, a_line, b_line, nav_run, nav_chars, list_run, counter_chars, glue, refrain, removed_line)"
     " ->"
     " (paragraphs, removed lines): tasks/clean_text.py _paragraphs_and_reasons_py in C."},
    {"line_entry", line_entry, METH_VARARGS,
     "line_entry(line, plan) -> the text cleaner's per-line features (tasks/clean_text.py _line_entry)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__native(void)
{
    init_crc_table();
    if (intern_names() < 0)
        return NULL;
    return PyModule_Create(&module);
}
