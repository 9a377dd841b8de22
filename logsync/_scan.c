/*
 * logsync._scan: the native scanner of SMS-trace chunks (optional; logsync/chunks.py has the
 * reference in pure Python and uses it whenever this module is absent or declines a chunk).
 *
 * scan_rows(text, first_line, config) proves that every line of a chunk is a record or blank
 * and returns (rows, records, blank lines, records left out by the cutoff), or None when the
 * chunk is anything but plain: a line that is no record, an impossible date (or one out of the
 * years read), text that is not one byte per character, a record without a bias when the zone
 * given for such records has daylight saving, or, with a cutoff that has an offset, a record
 * with none. The caller then reads that chunk the pure way, so results never depend on which
 * path ran.
 *
 * The text is untrusted. Every read is checked against the end of its line, numbers are read
 * from at most a few ASCII digits, and nothing is assumed about line length.
 *
 * The trailer grammar is that of logsync/formats/sms.py (TRAILER), at the end of each line:
 *   $$<COMPONENT><M-D-YYYY H:MM:SS[.F{1,7}][+-BIAS]><thread=N[ [(][0x]HEX{1,16})]>
 * and UTC = local time + bias (minutes): parse_trailer turns the bias into the UTC offset, the
 * one place of the native path where that sign is applied.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* The years logsync reads (logsync/times.py FIRST_YEAR and LAST_YEAR): any instant computed
   from a record stays within what datetime holds. */
#define FIRST_YEAR 2
#define LAST_YEAR 9998

/* For reading eight bytes at a time. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether any of the eight bytes of `word` is `c` (a byte of word ^ (ONES * c) is zero). */
static inline int
holds_byte(uint64_t word, unsigned char c)
{
    const uint64_t x = word ^ (ONES * c);
    return ((x - ONES) & ~x & HIGHS) != 0;
}

typedef struct {
    Py_ssize_t message_end; /* index of the record's last "$$<" */
    Py_ssize_t component_end; /* the component is s[message_end + 3 : component_end] */
    int has_bias;
    long bias;    /* minutes, as logged (at most 4 digits) */
    long offset;  /* minutes east of UTC: -bias (UTC = local + bias) */
    int64_t local_us; /* local wall time in microseconds since 1970-01-01 00:00 */
    long year, month, day, hour, minute, second, micro; /* proved small */
    long long thread;
} Trailer;

typedef struct {
    PyObject *source;
    PyObject *prefixes;  /* tuple of str (Latin-1), or None: no filter */
    PyObject *meanings;  /* dict: raw message -> (kind, data) or None */
    PyObject *resolve;   /* callable: raw message -> (kind, data) or None; fills meanings */
    PyObject *located;   /* frozenset of kinds whose line number is kept */
    PyObject *zone_of;   /* callable: bias (int) -> tzinfo */
    PyObject *naive_zone;
    PyObject *naive_offset; /* int (microseconds east of UTC) or None: daylight saving */
    PyObject *requested_kind; /* str or None (not wanted) */
    PyObject *requested_type;
    PyObject *failed_kind;
    PyObject *failed_type;
    /* frozenset of the kinds left out where they follow a cycle's start (`sync_started`) or
       each other among the rows, or None (logsync/rowspec.py RowSpec.after_start) */
    PyObject *after_start;
    /* --now: records after it are left out and counted (logsync/bounds.py Cutoff) */
    int cut;            /* 0: no cutoff */
    int cut_wall;       /* the time had no offset: compare local wall-clock times */
    int cut_naive_ok;   /* a record without an offset compares its wall clock (now = now) */
    int64_t cut_instant, cut_local; /* microseconds: the instant; the wall-clock time */
} Config;

static int
is_digit(Py_UCS1 c)
{
    return c >= '0' && c <= '9';
}

static int
is_hex(Py_UCS1 c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The number of ASCII digits from i (at most `cap` are counted, cap <= 18), and the value of
   those counted, in 64 bits on every platform (a C long is 32 bits on Windows). */
static int
digit_run(const Py_UCS1 *s, Py_ssize_t i, Py_ssize_t end, int cap, int64_t *value)
{
    int n = 0;
    int64_t v = 0;
    while (i + n < end && n < cap && is_digit(s[i + n])) {
        v = v * 10 + (s[i + n] - '0');
        n++;
    }
    *value = v;
    return n;
}

static int
is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int64_t year, int64_t month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar (years 1 to 9999). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The index of the last "$$<" in s[start:end], else start - 1. The '$' before a '<' is
   looked for eight bytes at a time from the end: a trailer is some seventy bytes, read once
   per record, and a message seldom holds a '$'. */
static Py_ssize_t
last_marker(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    /* the second '$' of a marker at j is at p = j + 1, where start + 1 <= p <= end - 2 */
    Py_ssize_t p = end - 2;
    while (p >= start + 1) {
        if (p - 8 >= start) { /* s[p - 7 .. p] as one word: is any byte a '$'? */
            uint64_t word;
            memcpy(&word, s + p - 7, 8);
            if (!holds_byte(word, '$')) {
                p -= 8;
                continue;
            }
        }
        if (s[p] == '$' && s[p - 1] == '$' && s[p + 1] == '<') {
            return p - 1;
        }
        p--;
    }
    return start - 1;
}

/* Whether the line s[start:end] (end is the index of its '\n') ends with a valid trailer on
   a day that exists; fills `t`. */
static int
parse_trailer(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end, Trailer *t)
{
    const Py_ssize_t j = last_marker(s, start, end);
    if (j < start) {
        return 0;
    }
    t->message_end = j;
    Py_ssize_t i = j + 3;
    while (i < end && s[i] != '<' && s[i] != '>') { /* the component */
        i++;
    }
    if (i + 1 >= end || s[i] != '>' || s[i + 1] != '<') {
        return 0;
    }
    t->component_end = i;
    i += 2;

    int64_t month, day, year, hour, minute, second, number;
    int n = digit_run(s, i, end, 3, &month);
    if (n == 0 || n > 2 || i + n >= end || s[i + n] != '-') {
        return 0;
    }
    if (n == 2 ? !((s[i] == '0' && month >= 1) || (s[i] == '1' && month <= 12)) : month == 0) {
        return 0;
    }
    i += n + 1;
    n = digit_run(s, i, end, 3, &day);
    if (n == 0 || n > 2 || i + n >= end || s[i + n] != '-') {
        return 0;
    }
    if (n == 2 ? !((s[i] == '0' && day >= 1) || (day >= 10 && day <= 31)) : day == 0) {
        return 0;
    }
    i += n + 1;
    n = digit_run(s, i, end, 5, &year);
    if (n != 4 || i + n >= end || s[i + n] != ' ') {
        return 0;
    }
    i += n + 1;
    n = digit_run(s, i, end, 3, &hour);
    if (n == 0 || n > 2 || i + n >= end || s[i + n] != ':') {
        return 0;
    }
    if (n == 2 && !(s[i] <= '1' || hour <= 23)) {
        return 0;
    }
    i += n + 1;
    n = digit_run(s, i, end, 3, &minute);
    if (n != 2 || i + n >= end || s[i + n] != ':' || s[i] > '5') {
        return 0;
    }
    i += n + 1;
    n = digit_run(s, i, end, 3, &second);
    if (n != 2 || i + n >= end || s[i] > '5') {
        return 0;
    }
    i += n;
    int64_t micro = 0;
    if (s[i] == '.') {
        int64_t fraction;
        n = digit_run(s, i + 1, end, 8, &fraction);
        if (n == 0 || n > 7) {
            return 0;
        }
        /* the first six digits, as microseconds */
        for (int k = 0; k < 6; k++) {
            micro = micro * 10 + (k < n ? s[i + 1 + k] - '0' : 0);
        }
        i += 1 + n;
    }
    t->has_bias = 0;
    t->bias = t->offset = 0;
    if (i < end && (s[i] == '+' || s[i] == '-')) {
        n = digit_run(s, i + 1, end, 5, &number);
        if (n == 0 || n > 4 || (n == 4 && (number < 1000 || number > 1439))) {
            return 0;
        }
        t->has_bias = 1;
        t->bias = (long)(s[i] == '-' ? -number : number);
        t->offset = -t->bias; /* the one place of the native path where the bias sign is applied */
        i += 1 + n;
    }
    static const char thread[] = "><thread=";
    const Py_ssize_t thread_length = (Py_ssize_t)(sizeof(thread) - 1);
    if (end - i < thread_length || memcmp(s + i, thread, (size_t)thread_length) != 0) {
        return 0;
    }
    i += thread_length;
    n = digit_run(s, i, end, 11, &number);
    if (n == 0 || n > 10) {
        return 0;
    }
    t->thread = 0;
    for (int k = 0; k < n; k++) { /* up to 10 digits: fits in a long long */
        t->thread = t->thread * 10 + (s[i + k] - '0');
    }
    i += n;
    if (i < end && s[i] != '>') { /* ( ?\((0x)?HEX{1,16}\))? */
        if (s[i] == ' ') {
            i++;
        }
        if (i >= end || s[i] != '(') {
            return 0;
        }
        i++;
        if (end - i >= 2 && s[i] == '0' && s[i + 1] == 'x') {
            i += 2;
        }
        Py_ssize_t h = 0;
        while (i + h < end && h < 17 && is_hex(s[i + h])) {
            h++;
        }
        if (h == 0 || h > 16) {
            return 0;
        }
        i += h;
        if (i >= end || s[i] != ')') {
            return 0;
        }
        i++;
    }
    if (i != end - 1 || s[i] != '>') {
        return 0;
    }
    if (year < FIRST_YEAR || year > LAST_YEAR || day > days_in_month(year, month)) {
        return 0; /* out of range, or no such day: the pure path reads it as an invalid date */
    }
    t->year = (long)year;
    t->month = (long)month;
    t->day = (long)day;
    t->hour = (long)hour;
    t->minute = (long)minute;
    t->second = (long)second;
    t->micro = (long)micro;
    t->local_us = ((days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60;
    t->local_us = (t->local_us + second) * 1000000 + micro;
    return 1;
}

static int
is_blank(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS1 c = s[i];
        if (c != ' ' && c != '\t' && c != '\f' && c != '\v') {
            return 0;
        }
    }
    return 1;
}

/* Whether the message starting at `at` (before `end`) starts with one of the prefixes. */
static int
has_prefix(const Config *config, const Py_UCS1 *s, Py_ssize_t at, Py_ssize_t end)
{
    if (config->prefixes == Py_None) {
        return 1;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(config->prefixes);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *prefix = PyTuple_GET_ITEM(config->prefixes, k);
        Py_ssize_t length = PyUnicode_GET_LENGTH(prefix);
        if (end - at >= length &&
            memcmp(s + at, PyUnicode_1BYTE_DATA(prefix), (size_t)length) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Whether a `$` at p begins a trailer's start in a message: "$$<" and a component's first
   character (the line goes on past the message: its own trailer) */
static int
cut_trailer(const Py_UCS1 *p)
{
    return p[1] == '$' && p[2] == '<' &&
           ((p[3] >= 'A' && p[3] <= 'Z') || (p[3] >= '0' && p[3] <= '9') || p[3] == '_');
}

/* Whether the line at `start` (its message before `end`) begins with a mark a copy put before
   a record to point at it (`-->`, `==>`: the ASCII marks of `remarks._MARK_RE`): the pure path
   takes it off and counts it (`remarks.records_unmarked`). */
static int
marked(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t i = start;
    while (i < end && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i >= end || (s[i] != '-' && s[i] != '=')) {
        return 0;
    }
    const Py_UCS1 c = s[i];
    Py_ssize_t n = 0;
    while (i < end && s[i] == c && n <= 3) {
        i++;
        n++;
    }
    return n <= 3 && end - i >= 2 && s[i] == '>' && (s[i + 1] == ' ' || s[i + 1] == '\t');
}

/* Whether the message s[start:end] holds NUL and then text (`sms.is_glued`) */
static int
glued_nul(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    if (start >= end || memchr(s + start, 0, (size_t)(end - start)) == NULL) {
        return 0;
    }
    Py_ssize_t last = end - 1;
    while (s[last] != 0) {
        last--;
    }
    for (last++; last < end; last++) {
        if (s[last] != ' ' && s[last] != '\t') {
            return 1;
        }
    }
    return 0;
}

/* Whether the message s[start:end] holds a trailer's start (see `cut_trailer`) */
static int
glued_trailer(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    const Py_UCS1 *p = s + start, *stop = s + end;
    while (p < stop && (p = memchr(p, '$', (size_t)(stop - p))) != NULL) {
        if (cut_trailer(p)) {
            return 1;
        }
        p++;
    }
    return 0;
}

/* A record cut short, the next written after it on its line (`sms.is_glued`: the pure path
   splits it) is told by its message: NUL and then text (looked for where the chunk holds NUL,
   `nul`), or a trailer's start. */

static const char REQUESTED[] = "NotifyAccountAddition - SCCM user to add";
static const char FAILED[] = "Failed to add user ";
/* what `decoration.py` takes off around a UPN and a reason (Markdown's marks, punctuation) */
static const char UPN_MARKS[] = " *`";
static const char UPN_PUNCTUATION[] = " *`'\".,;:!?()[]";
static const char REASON_MARKS[] = "*`'\".,;:!?()[]\\";

/* Whether c is one of `marks` (never NUL); a letter or a digit, which most UPNs and reasons
   begin and end with, is told without a search */
static int
is_mark(Py_UCS1 c, const char *marks)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == 0) {
        return 0;
    }
    return strchr(marks, c) != NULL;
}

/* [*at, *end) without the `marks` around it, unless nothing else is left (`decoration`) */
static void
plain(const Py_UCS1 *s, Py_ssize_t *at, Py_ssize_t *end, const char *marks)
{
    Py_ssize_t a = *at, b = *end;
    while (a < b && is_mark(s[a], marks)) {
        a++;
    }
    while (b > a && is_mark(s[b - 1], marks)) {
        b--;
    }
    if (a < b) {
        *at = a;
        *end = b;
    }
}

/* A UPN's [*at, *end) without the marks around it (`plain`: its punctuation too where an
   address is left), but the stars of a name masked whole (`***@contoso.com`:
   `decoration.plain_upn`) */
static void
plain_upn(const Py_UCS1 *s, Py_ssize_t *at, Py_ssize_t *end)
{
    const Py_ssize_t from = *at, to = *end;
    plain(s, at, end, UPN_PUNCTUATION);
    const size_t left = (size_t)(*end - *at);
    if (memchr(s + *at, '@', left) == NULL || memchr(s + *at, ' ', left) != NULL
        || memchr(s + *at, '\t', left) != NULL) { /* (no address: its marks kept) */
        *at = from;
        *end = to;
        plain(s, at, end, UPN_MARKS);
    }
    if (*at < *end && s[*at] == '@') { /* (the stars or dots of a name masked whole) */
        while (*at > from && (s[*at - 1] == '*' || s[*at - 1] == '.')) {
            (*at)--;
        }
    }
}

static int
starts_with(const Py_UCS1 *s, Py_ssize_t at, Py_ssize_t end, const char *literal, size_t length)
{
    return (size_t)(end - at) >= length && memcmp(s + at, literal, length) == 0;
}

/* An instance of `type` (a tuple subclass, such as a NamedTuple) holding the `n` items:
   what tuple.__new__ does for a subclass, without calling Python code. Steals the items (even
   on failure); any of them may be NULL after a failed allocation, and then so is the result. */
static PyObject *
new_record(PyObject *type, Py_ssize_t n, PyObject **items)
{
    PyObject *record = NULL;
    int complete = 1;
    for (Py_ssize_t k = 0; k < n; k++) {
        complete = complete && items[k] != NULL;
    }
#if PY_VERSION_HEX >= 0x030E0000
    /* From 3.14 a tuple caches its hash in the object, which tuple.__new__ sets up: let it
       make the record from a plain tuple of the items (the items are stolen either way). */
    PyObject *plain = complete ? PyTuple_New(n) : NULL;
    if (plain != NULL) {
        for (Py_ssize_t k = 0; k < n; k++) {
            PyTuple_SET_ITEM(plain, k, items[k]);
        }
        PyObject *args = PyTuple_Pack(1, plain);
        Py_DECREF(plain);
        if (args != NULL) {
            record = PyTuple_Type.tp_new((PyTypeObject *)type, args, NULL);
            Py_DECREF(args);
        }
        return record;
    }
#else
    if (complete) {
        record = ((PyTypeObject *)type)->tp_alloc((PyTypeObject *)type, n);
    }
#endif
    if (record == NULL) {
        for (Py_ssize_t k = 0; k < n; k++) {
            Py_XDECREF(items[k]);
        }
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyTuple_SET_ITEM(record, k, items[k]);
    }
    return record;
}

/* The meaning of the two messages that name a user, in their usual printable-ASCII form:
   a new reference to (kind, data), or Py_None (borrowed, not incremented) when this message
   is for the catalogue to read, or NULL on error. Equal to what the catalogue gives. */
static PyObject *
user_meaning(const Config *config, const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t a = start, b = end;
    while (a < b && s[a] == ' ') {
        a++;
    }
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) {
        b--;
    }
    for (Py_ssize_t i = a; i < b; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '~') {
            return Py_None;
        }
    }
    PyObject *kind, *type, *data;
    if (config->requested_kind != Py_None &&
        starts_with(s, a, b, REQUESTED, sizeof(REQUESTED) - 1)) {
        Py_ssize_t i = a + (Py_ssize_t)sizeof(REQUESTED) - 1;
        while (i < b && s[i] == ' ') {
            i++;
        }
        if (i >= b || s[i] != '=') {
            return Py_None;
        }
        i++;
        while (i < b && s[i] == ' ') {
            i++;
        }
        if (i >= b) {
            return Py_None;
        }
        Py_ssize_t upn_end = b;
        plain_upn(s, &i, &upn_end);
        PyObject *items[1] = {PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, s + i, upn_end - i)};
        kind = config->requested_kind;
        type = config->requested_type;
        data = new_record(type, 1, items);
    }
    else if (config->failed_kind != Py_None &&
             starts_with(s, a, b, FAILED, sizeof(FAILED) - 1)) {
        Py_ssize_t g = a + (Py_ssize_t)sizeof(FAILED) - 1;
        if (g >= b || s[g] == ' ') {
            return Py_None;
        }
        /* the last "; *reason +\S+" after the UPN's first character */
        Py_ssize_t q, r = 0;
        for (q = b - 1; q > g; q--) {
            if (s[q] != ';') {
                continue;
            }
            r = q + 1;
            while (r < b && s[r] == ' ') {
                r++;
            }
            if (!starts_with(s, r, b, "reason", 6)) {
                continue;
            }
            r += 6;
            if (r >= b || s[r] != ' ') {
                continue;
            }
            while (r < b && s[r] == ' ') {
                r++;
            }
            if (r < b) {
                break;
            }
        }
        if (q <= g) {
            return Py_None;
        }
        Py_ssize_t upn_end = q;
        while (upn_end > g && s[upn_end - 1] == ' ') {
            upn_end--;
        }
        Py_ssize_t reason_end = r;
        while (reason_end < b && s[reason_end] != ' ') {
            reason_end++;
        }
        plain_upn(s, &g, &upn_end);
        plain(s, &r, &reason_end, REASON_MARKS);
        PyObject *items[2] = {
            PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, s + g, upn_end - g),
            PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, s + r, reason_end - r),
        };
        kind = config->failed_kind;
        type = config->failed_type;
        data = new_record(type, 2, items);
    }
    else {
        return Py_None;
    }
    if (data == NULL) {
        return NULL;
    }
    PyObject *meaning = PyTuple_Pack(2, kind, data);
    Py_DECREF(data);
    return meaning;
}

/* The meanings of the messages met in one chunk, by their raw text: a user held back is
   notified in every cycle (about a hundred times in a chunk), and each notification shares the
   (kind, data) made for the first, as the pure reader's cache of meanings does; so do a cycle's
   start and removal lines, without a str made of each to look it up. Open addressing over a
   fixed table; once it is three quarters full, further messages are not remembered. */
#define MEMO_SLOTS 4096

typedef struct {
    uint64_t hash;
    Py_ssize_t start, length; /* the raw message, s[start : start + length] */
    PyObject *meaning;        /* (kind, data), a reference owned by the memo; NULL: free */
} MemoSlot;

typedef struct {
    MemoSlot *slots; /* NULL: nothing remembered (the table could not be allocated) */
    Py_ssize_t used;
} Memo;

/* A hash of s[start:end], eight bytes at a time (a message is some eighty bytes, read once
   per record): each word is mixed in by a multiply, the tail bytes one by one, and the
   length last. Equal texts hash equal; the memo compares the texts of equal hashes. */
static uint64_t
memo_hash(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    uint64_t hash = 1469598103934665603ULL;
    Py_ssize_t i = start;
    for (; i + 8 <= end; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        hash = (hash ^ word) * 0x9E3779B97F4A7C15ULL;
        hash ^= hash >> 29;
    }
    for (; i < end; i++) {
        hash = (hash ^ s[i]) * 1099511628211ULL;
    }
    hash ^= (uint64_t)(end - start);
    return hash ^ (hash >> 32);
}

/* The slot of s[start:end]: the one that holds it, or the free one where it would go. */
static MemoSlot *
memo_slot(const Memo *memo, const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end, uint64_t hash)
{
    size_t at = (size_t)hash & (MEMO_SLOTS - 1);
    for (;;) {
        MemoSlot *slot = &memo->slots[at];
        if (slot->meaning == NULL ||
            (slot->hash == hash && slot->length == end - start &&
             memcmp(s + slot->start, s + start, (size_t)(end - start)) == 0)) {
            return slot;
        }
        at = (at + 1) & (MEMO_SLOTS - 1);
    }
}

static void
memo_free(Memo *memo)
{
    if (memo->slots == NULL) {
        return;
    }
    for (size_t k = 0; k < MEMO_SLOTS; k++) {
        Py_XDECREF(memo->slots[k].meaning);
    }
    PyMem_Free(memo->slots);
    memo->slots = NULL;
}

/* A new reference to cache[key], or to make(key) when it is missing (make keeps what it
   makes in the cache); NULL on error. */
static PyObject *
cached(PyObject *cache, PyObject *make, const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *key = PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, s + start, end - start);
    if (key == NULL) {
        return NULL;
    }
    PyObject *value = PyDict_GetItemWithError(cache, key);
    if (value != NULL) {
        Py_INCREF(value);
    }
    else if (!PyErr_Occurred()) {
        value = PyObject_CallOneArg(make, key);
    }
    Py_DECREF(key);
    return value;
}

/* Whether the message s[start:end] may be one that names a user (see user_meaning): its first
   character after spaces begins one of the two. */
static int
may_name_user(const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    while (start < end && s[start] == ' ') {
        start++;
    }
    return start < end && (s[start] == REQUESTED[0] || s[start] == FAILED[0]);
}

/* A new reference to the meaning (kind, data) of the raw message s[start:end], Py_None
   (new reference) when it is of no wanted kind, or NULL on error. Each meaning is remembered
   for the rest of the chunk (see Memo): the messages of a cycle's start, its removal lines and
   the notifications of a user held back repeat in every cycle. */
static PyObject *
meaning_of(Memo *memo, const Config *config, const Py_UCS1 *s, Py_ssize_t start, Py_ssize_t end)
{
    MemoSlot *slot = NULL;
    uint64_t hash = 0;
    if (memo->slots != NULL) {
        hash = memo_hash(s, start, end);
        slot = memo_slot(memo, s, start, end, hash);
        if (slot->meaning != NULL) {
            return Py_NewRef(slot->meaning);
        }
    }
    PyObject *meaning = may_name_user(s, start, end) ? user_meaning(config, s, start, end)
                                                     : Py_None;
    if (meaning == NULL) {
        return NULL;
    }
    if (meaning == Py_None) { /* (borrowed): the catalogue reads it */
        meaning = cached(config->meanings, config->resolve, s, start, end);
        if (meaning == NULL) {
            return NULL;
        }
        if (meaning != Py_None && !(PyTuple_Check(meaning) && PyTuple_GET_SIZE(meaning) == 2)) {
            Py_DECREF(meaning);
            PyErr_SetString(PyExc_TypeError, "a meaning is (kind, data) or None");
            return NULL;
        }
    }
    if (slot != NULL && memo->used < MEMO_SLOTS / 4 * 3) {
        slot->hash = hash;
        slot->start = start;
        slot->length = end - start;
        slot->meaning = Py_NewRef(meaning);
        memo->used++;
    }
    return meaning;
}

static int
read_config(PyObject *tuple, Config *config)
{
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) != 14) {
        PyErr_SetString(PyExc_TypeError, "config must be a tuple of 14 items");
        return 0;
    }
    PyObject **items[12] = {
        &config->source, &config->prefixes, &config->meanings, &config->resolve,
        &config->located, &config->zone_of, &config->naive_zone, &config->naive_offset,
        &config->requested_kind, &config->requested_type, &config->failed_kind,
        &config->failed_type,
    }; /* and the cutoff, read below */
    for (Py_ssize_t k = 0; k < 12; k++) {
        *items[k] = PyTuple_GET_ITEM(tuple, k);
    }
    if (config->prefixes != Py_None) {
        if (!PyTuple_Check(config->prefixes)) {
            PyErr_SetString(PyExc_TypeError, "prefixes must be a tuple or None");
            return 0;
        }
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(config->prefixes); k++) {
            PyObject *prefix = PyTuple_GET_ITEM(config->prefixes, k);
            if (!PyUnicode_Check(prefix) || PyUnicode_KIND(prefix) != PyUnicode_1BYTE_KIND) {
                PyErr_SetString(PyExc_TypeError, "prefixes must be Latin-1 strings");
                return 0;
            }
        }
    }
    if (!PyDict_Check(config->meanings) || !PyAnySet_Check(config->located)) {
        PyErr_SetString(PyExc_TypeError, "meanings must be a dict and located a set");
        return 0;
    }
    PyObject *types[2] = {config->requested_type, config->failed_type};
    for (int k = 0; k < 2; k++) {
        if (!PyType_Check(types[k]) ||
            !PyType_IsSubtype((PyTypeObject *)types[k], &PyTuple_Type) ||
            ((PyTypeObject *)types[k])->tp_dictoffset != 0) {
            PyErr_SetString(PyExc_TypeError, "the payload types must be tuple subclasses");
            return 0;
        }
    }
    if (config->naive_offset != Py_None && !PyLong_Check(config->naive_offset)) {
        PyErr_SetString(PyExc_TypeError, "naive_offset must be an int or None");
        return 0;
    }
    config->after_start = PyTuple_GET_ITEM(tuple, 13);
    if (config->after_start != Py_None && !PyFrozenSet_Check(config->after_start)) {
        PyErr_SetString(PyExc_TypeError, "after_start must be a frozenset or None");
        return 0;
    }
    PyObject *cutoff = PyTuple_GET_ITEM(tuple, 12);
    config->cut = 0;
    if (cutoff != Py_None) {
        long long instant, local;
        int wall, naive_ok;
        if (!PyTuple_Check(cutoff) ||
            !PyArg_ParseTuple(cutoff, "ppLL", &wall, &naive_ok, &instant, &local)) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "cutoff: (wall, naive_ok, instant, local) or None");
            }
            return 0;
        }
        config->cut = 1;
        config->cut_wall = wall;
        config->cut_naive_ok = naive_ok;
        config->cut_instant = (int64_t)instant;
        config->cut_local = (int64_t)local;
    }
    return 1;
}

/* The `last` argument of scan_rows and ndjson_lines: the instant of the input's record before
 * the chunk (None: no record yet). 0 with an exception set when it is no integer. */
static int
read_last(PyObject *last_seen, long long *last, int *has_last)
{
    *last = 0;
    *has_last = 0;
    if (last_seen != NULL && last_seen != Py_None) {
        *last = PyLong_AsLongLong(last_seen);
        if (*last == -1 && PyErr_Occurred()) {
            return 0;
        }
        *has_last = 1;
    }
    return 1;
}

/* A record at `instant` on `line`: where time first goes back by more than a second (the
 * disorder of threads) is kept in `jump_line`. */
static void
note_instant(long long instant, Py_ssize_t line, long long *last, int *has_last,
             Py_ssize_t *jump_line)
{
    if (!*jump_line && *has_last && instant < *last - 1000000LL) {
        *jump_line = line;
    }
    *last = instant;
    *has_last = 1;
}

/* How many times the connector's trailer (logsync/formats/sms.py CONNECTOR_TRAILER) stands
   in a record's line, as Python's str.count counts it in the chunk: at the record's own
   trailer where its component is the connector, and anywhere in its message (it cannot
   stand across the two: it holds "$$<" only at its start, and the trailer begins at the
   line's last one). */
static const char CONNECTOR_TRAILER[] = "$$<SMS_CLOUD_USERSYNC><";

static Py_ssize_t
connector_trailers(const Py_UCS1 *s, Py_ssize_t start, const Trailer *t, int *cut)
{
    const Py_ssize_t n = (Py_ssize_t)sizeof(CONNECTOR_TRAILER) - 1;
    Py_ssize_t found = t->component_end + 2 - t->message_end == n &&
                       memcmp(s + t->message_end, CONNECTOR_TRAILER, (size_t)n) == 0;
    const Py_ssize_t end = t->message_end;
    Py_ssize_t i = start;
    const Py_UCS1 *at;
    while (i < end && (at = memchr(s + i, '$', (size_t)(end - i))) != NULL) {
        i = at - s;
        *cut = *cut || cut_trailer(at); /* (a trailer's start in the message: see `glued_trailer`) */
        if (end - i >= n && memcmp(s + i, CONNECTOR_TRAILER, (size_t)n) == 0) {
            found++;
            i += n;
        }
        else {
            i++;
        }
    }
    return found;
}

/* What the scan needs to know of a row's kind: whether its line is kept, whether it is a
   cycle's start or of `after_start`. Kept for the few kinds met, each a reference. */
typedef struct {
    PyObject *kind;
    int located, is_start, is_after;
} KindInfo;

#define KINDS_KNOWN 32

/* The facts of `kind`, worked out the first time it is met (NULL with an exception set). */
static const KindInfo *
kind_info(const Config *config, KindInfo *known, int *count, PyObject *kind)
{
    for (int k = 0; k < *count; k++) {
        if (known[k].kind == kind) {
            return &known[k];
        }
    }
    KindInfo info = {kind, 0, 0, 0};
    info.located = PySet_Contains(config->located, kind);
    if (info.located < 0) {
        return NULL;
    }
    if (config->after_start != Py_None) {
        info.is_after = PySet_Contains(config->after_start, kind);
        if (info.is_after < 0) {
            return NULL;
        }
        info.is_start = PyUnicode_Check(kind) &&
                        PyUnicode_CompareWithASCIIString(kind, "sync_started") == 0;
    }
    if (*count == KINDS_KNOWN) { /* (the catalogue has fewer kinds: a slot is reused) */
        Py_DECREF(known[KINDS_KNOWN - 1].kind);
        *count = KINDS_KNOWN - 1;
    }
    info.kind = Py_NewRef(kind);
    known[*count] = info;
    return &known[(*count)++];
}

static void
kinds_free(KindInfo *known, int count)
{
    for (int k = 0; k < count; k++) {
        Py_DECREF(known[k].kind);
    }
}

static PyObject *
scan_rows(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *config_tuple, *last_seen = NULL;
    Py_ssize_t first_line;
    if (!PyArg_ParseTuple(args, "UnO|O:scan_rows", &text, &first_line, &config_tuple,
                          &last_seen)) {
        return NULL;
    }
    Config config;
    if (!read_config(config_tuple, &config)) {
        return NULL;
    }
    /* with `last` (the instant of the input's record before the chunk, or None): the instant of
     * every record, to tell where time first goes back by more than a second, and which record
     * is the latest (the threads of a process write a little out of order) */
    const int track = last_seen != NULL;
    int has_last;
    long long last;
    Py_ssize_t jump_line = 0;
    int has_latest = 0;
    long long latest = 0;
    int latest_biased = 0;
    long latest_bias = 0;
    /* the earliest record the cutoff leaves out, where its instant is known (see bounds.py) */
    int has_out = 0, out_biased = 0;
    long long out = 0;
    long out_bias = 0;
    if (!read_last(last_seen, &last, &has_last)) {
        return NULL;
    }
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND) {
        Py_RETURN_NONE;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length < 2 || s[0] != '\n' || s[length - 1] != '\n') {
        Py_RETURN_NONE;
    }
    int64_t naive_offset = 0;
    int naive_fixed = config.naive_offset != Py_None;
    if (naive_fixed) {
        naive_offset = PyLong_AsLongLong(config.naive_offset);
        if (naive_offset == -1 && PyErr_Occurred()) {
            return NULL;
        }
    }

    PyObject *rows = PyList_New(0);
    if (rows == NULL) {
        return NULL;
    }
    Memo memo = {PyMem_Calloc(MEMO_SLOTS, sizeof(MemoSlot)), 0};
    PyObject *zone = NULL; /* the zone of the last bias seen (new reference) */
    long zone_bias = 0;
    Py_ssize_t records = 0, blank = 0, left_out = 0, connector = 0;
    Py_ssize_t line = first_line;
    Py_ssize_t start = 1;
    const int nul = memchr(s, 0, (size_t)length) != NULL; /* (see `glued_nul`) */
    Trailer t;
    PyObject *located_kind = NULL; /* the kind of the last row (new reference), and whether it is
                                      located, a cycle's start, or of `after_start` */
    int located = 0, is_start = 0, is_after = 0;
    int opened = 0; /* the last row kept is a cycle's start or of `after_start` */
    KindInfo known[KINDS_KNOWN];
    int known_count = 0;
    while (start < length) {
        const Py_UCS1 *found = memchr(s + start, '\n', (size_t)(length - start));
        const Py_ssize_t end = found - s; /* the text ends with '\n': always found */
        if (is_blank(s, start, end)) {
            blank++;
        }
        else if (!parse_trailer(s, start, end, &t) || (nul && glued_nul(s, start, t.message_end)) ||
                 marked(s, start, t.message_end)) {
            goto decline;
        }
        else {
            int cut = 0;
            records++;
            connector += connector_trailers(s, start, &t, &cut);
            if (cut) {
                goto decline;
            }
            if (!t.has_bias && !naive_fixed) {
                goto decline; /* a zone with daylight saving: each minute on its own */
            }
            if (track) {
                long long instant = t.has_bias ? t.local_us - (long long)t.offset * 60000000LL
                                               : t.local_us - naive_offset;
                note_instant(instant, line, &last, &has_last, &jump_line);
                if (!has_latest || instant > latest) {
                    latest = instant;
                    latest_biased = t.has_bias;
                    latest_bias = t.bias;
                    has_latest = 1;
                }
            }
            if (config.cut) {
                int beyond;
                int offset_known = t.has_bias || config.naive_zone != Py_None;
                if (config.cut_wall) {
                    beyond = t.local_us > config.cut_local;
                }
                else if (offset_known) {
                    int64_t instant = t.has_bias ? t.local_us - (int64_t)t.offset * 60000000
                                                 : t.local_us - naive_offset;
                    beyond = instant > config.cut_instant;
                }
                else if (config.cut_naive_ok) {
                    beyond = t.local_us > config.cut_local;
                }
                else {
                    goto decline; /* a time with an offset, a log without: the pure path says so */
                }
                if (beyond) {
                    if (track && offset_known) {
                        long long instant = t.has_bias
                                                ? t.local_us - (long long)t.offset * 60000000LL
                                                : t.local_us - naive_offset;
                        if (!has_out || instant < out) {
                            out = instant;
                            out_biased = t.has_bias;
                            out_bias = t.bias;
                            has_out = 1;
                        }
                    }
                    left_out++;
                    line++;
                    start = end + 1;
                    continue;
                }
            }
            Py_ssize_t at = start;
            while (at < t.message_end && (s[at] == '~' || s[at] == ' ' || s[at] == '\t')) {
                at++;
            }
            if (has_prefix(&config, s, at, t.message_end)) {
                PyObject *meaning = meaning_of(&memo, &config, s, start, t.message_end);
                if (meaning == NULL) {
                    goto error;
                }
                if (meaning == Py_None) {
                    Py_DECREF(meaning);
                }
                else {
                    PyObject *kind = PyTuple_GET_ITEM(meaning, 0);
                    if (kind != located_kind) { /* (rows of one kind come in runs) */
                        const KindInfo *info = kind_info(&config, known, &known_count, kind);
                        if (info == NULL) { /* checked before any call back into Python */
                            Py_DECREF(meaning);
                            goto error;
                        }
                        located = info->located;
                        is_start = info->is_start;
                        is_after = info->is_after;
                        Py_XSETREF(located_kind, Py_NewRef(kind));
                    }
                    if (is_after && opened) { /* (read where the cycle's start is left out) */
                        Py_DECREF(meaning);
                        line++;
                        start = end + 1;
                        continue;
                    }
                    opened = is_start || is_after;
                    PyObject *row_zone;
                    int64_t us;
                    if (t.has_bias) {
                        if (zone == NULL || zone_bias != t.bias) {
                            Py_XDECREF(zone);
                            zone = PyObject_CallFunction(config.zone_of, "l", t.bias);
                            zone_bias = t.bias;
                            if (zone == NULL) {
                                Py_DECREF(meaning);
                                goto error;
                            }
                        }
                        row_zone = zone;
                        us = t.local_us - (int64_t)t.offset * 60000000;
                    }
                    else {
                        row_zone = config.naive_zone;
                        us = t.local_us - naive_offset;
                    }
                    PyObject *row = PyTuple_New(6);
                    PyObject *when = row ? PyLong_FromLongLong((long long)us) : NULL;
                    PyObject *where = when ? PyLong_FromSsize_t(located ? line : 0) : NULL;
                    if (where == NULL) {
                        Py_XDECREF(when);
                        Py_XDECREF(row);
                        Py_DECREF(meaning);
                        goto error;
                    }
                    PyObject *data = PyTuple_GET_ITEM(meaning, 1);
                    Py_INCREF(row_zone);
                    Py_INCREF(kind);
                    Py_INCREF(data);
                    Py_INCREF(config.source);
                    PyTuple_SET_ITEM(row, 0, when);
                    PyTuple_SET_ITEM(row, 1, row_zone);
                    PyTuple_SET_ITEM(row, 2, kind);
                    PyTuple_SET_ITEM(row, 3, data);
                    PyTuple_SET_ITEM(row, 4, config.source);
                    PyTuple_SET_ITEM(row, 5, where);
                    Py_DECREF(meaning);
                    int failed = PyList_Append(rows, row);
                    Py_DECREF(row);
                    if (failed) {
                        goto error;
                    }
                }
            }
        }
        line++;
        start = end + 1;
    }
    Py_XDECREF(zone);
    Py_XDECREF(located_kind);
    kinds_free(known, known_count);
    memo_free(&memo);
    if (track) {
        /* (rows, records, blank, left out, the last record's instant or None, the line where
         * time first goes back or 0, the latest record as (instant, bias or None) or None, the
         * connector's trailers, the earliest record left out as (instant, bias or None) or
         * None) */
        PyObject *last_value = has_last ? PyLong_FromLongLong(last) : Py_NewRef(last_seen);
        PyObject *latest_value = !has_latest ? Py_NewRef(Py_None)
                                 : latest_biased ? Py_BuildValue("(Ll)", latest, latest_bias)
                                                 : Py_BuildValue("(LO)", latest, Py_None);
        PyObject *out_value = !has_out ? Py_NewRef(Py_None)
                              : out_biased ? Py_BuildValue("(Ll)", out, out_bias)
                                           : Py_BuildValue("(LO)", out, Py_None);
        if (last_value == NULL || latest_value == NULL || out_value == NULL) {
            Py_XDECREF(last_value);
            Py_XDECREF(latest_value);
            Py_XDECREF(out_value);
            Py_DECREF(rows);
            return NULL;
        }
        return Py_BuildValue("(NnnnNnNnN)", rows, records, blank, left_out, last_value,
                             jump_line, latest_value, connector, out_value);
    }
    return Py_BuildValue("(Nnnnn)", rows, records, blank, left_out, connector);

decline:
    Py_XDECREF(zone);
    Py_XDECREF(located_kind);
    kinds_free(known, known_count);
    memo_free(&memo);
    Py_DECREF(rows);
    Py_RETURN_NONE;
error:
    Py_XDECREF(zone);
    Py_XDECREF(located_kind);
    kinds_free(known, known_count);
    memo_free(&memo);
    Py_DECREF(rows);
    return NULL;
}

/* A growing buffer of ASCII text. */
typedef struct {
    char *data;
    size_t length, capacity;
} Buffer;

static int
buffer_add(Buffer *buffer, const char *text, size_t length)
{
    if (length == 0) { /* (an empty piece, as the text form's head: nothing to copy, maybe nowhere) */
        return 1;
    }
    if (buffer->length + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 1 << 16;
        while (capacity < buffer->length + length) {
            if (capacity > ((size_t)PY_SSIZE_T_MAX) / 2) {
                PyErr_NoMemory();
                return 0;
            }
            capacity *= 2;
        }
        char *data = PyMem_Realloc(buffer->data, capacity);
        if (data == NULL) {
            PyErr_NoMemory();
            return 0;
        }
        buffer->data = data;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    return 1;
}

/* Adds an ASCII str; 0 with no error set when it is not ASCII (the caller declines). */
static int
buffer_add_ascii(Buffer *buffer, PyObject *text, int *not_ascii)
{
    if (!PyUnicode_Check(text) || !PyUnicode_IS_ASCII(text)) {
        *not_ascii = 1;
        return 0;
    }
    return buffer_add(buffer, (const char *)PyUnicode_1BYTE_DATA(text),
                      (size_t)PyUnicode_GET_LENGTH(text));
}

/*
 * ndjson_lines(text, first_line, config[, last]) -> (JSON lines, records) or None
 *
 * With `last` (the instant, in microseconds, of the input's record before, or None):
 * (JSON lines, records, the instant of the chunk's last record, the line of the first record
 * whose time goes back by more than a second from the one before it, or 0) or None: every
 * record counts, written or not.
 *
 * The `events` lines (JSON, CSV or text) of a chunk whose every line is a record, as
 * logsync/render/ndjson.py writes them (its `_fast` is the reference). Each line is
 *   head, time, after_time, line number, after_line, component, after_component, thread,
 *   after_thread, tail
 * where config is (messages, message_parts, components, component_cell, naive_offset,
 * after_line, after_component, after_thread): messages maps a raw message to its
 * (head, after_time, tail) or None (not written: a kind or user not wanted),
 * message_parts(message) makes and keeps that, components and component_cell the same for the
 * component's cell, and naive_offset is the ISO offset of records without a bias (None: a zone
 * with daylight saving, which declines them). None for a chunk with any other line, or one
 * whose pieces are not all ASCII.
 */
static PyObject *
ndjson_lines(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *config, *last_seen = NULL;
    Py_ssize_t first_line;
    if (!PyArg_ParseTuple(args, "UnO!|O:ndjson_lines", &text, &first_line, &PyTuple_Type, &config,
                          &last_seen)) {
        return NULL;
    }
    /* with `last` (the instant of the last record written, or None): tell where time goes back */
    const int track = last_seen != NULL;
    int has_last;
    long long last;
    Py_ssize_t jump_line = 0;
    if (!read_last(last_seen, &last, &has_last)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(config) != 8) {
        PyErr_SetString(PyExc_TypeError, "config must be a tuple of 8 items");
        return NULL;
    }
    PyObject *messages = PyTuple_GET_ITEM(config, 0);
    PyObject *message_parts = PyTuple_GET_ITEM(config, 1);
    PyObject *components = PyTuple_GET_ITEM(config, 2);
    PyObject *component_json = PyTuple_GET_ITEM(config, 3);
    PyObject *naive_offset = PyTuple_GET_ITEM(config, 4);
    PyObject *after_line = PyTuple_GET_ITEM(config, 5);
    PyObject *after_component = PyTuple_GET_ITEM(config, 6);
    PyObject *after_thread = PyTuple_GET_ITEM(config, 7);
    if (!PyDict_Check(messages) || !PyDict_Check(components) ||
        (naive_offset != Py_None && !PyUnicode_Check(naive_offset)) ||
        !PyUnicode_Check(after_line) || !PyUnicode_Check(after_component) ||
        !PyUnicode_Check(after_thread)) {
        PyErr_SetString(PyExc_TypeError,
                        "config: (dict, callable, dict, callable, str|None, str, str, str)");
        return NULL;
    }
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND) {
        Py_RETURN_NONE;
    }
    const Py_UCS1 *s = PyUnicode_1BYTE_DATA(text);
    const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (length < 2 || s[0] != '\n' || s[length - 1] != '\n') {
        Py_RETURN_NONE;
    }
    /* the instant of a record without a bias: its time less the naive offset ("" or +HH:MM) */
    int naive_known = 0;
    long long naive_us = 0;
    if (naive_offset != Py_None && PyUnicode_KIND(naive_offset) == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *o = PyUnicode_1BYTE_DATA(naive_offset);
        const Py_ssize_t size = PyUnicode_GET_LENGTH(naive_offset);
        if (size == 0) {
            naive_known = 1;
        }
        else if (size == 6 && (o[0] == '+' || o[0] == '-') && is_digit(o[1]) && is_digit(o[2]) &&
                 o[3] == ':' && is_digit(o[4]) && is_digit(o[5])) {
            long minutes = ((o[1] - '0') * 10 + (o[2] - '0')) * 60 + (o[4] - '0') * 10 + (o[5] - '0');
            naive_us = (o[0] == '-' ? -1LL : 1LL) * minutes * 60000000LL;
            naive_known = 1;
        }
    }

    Buffer out = {NULL, 0, 0};
    PyObject *component = NULL; /* the JSON of the last component (new reference) */
    Py_ssize_t component_start = 0, component_length = -1;
    Py_ssize_t records = 0, line = first_line, start = 1;
    const int nul = memchr(s, 0, (size_t)length) != NULL; /* (see `glued_nul`) */
    int not_ascii = 0;
    char piece[160];
    Trailer t;
    while (start < length) {
        const Py_UCS1 *found = memchr(s + start, '\n', (size_t)(length - start));
        const Py_ssize_t end = found - s;
        if (!parse_trailer(s, start, end, &t) || (!t.has_bias && naive_offset == Py_None) ||
            (nul && glued_nul(s, start, t.message_end)) || glued_trailer(s, start, t.message_end) ||
            marked(s, start, t.message_end)) {
            goto decline;
        }
        records++;
        if (track) { /* every record's time counts, written or not (the input's own order) */
            if (!t.has_bias && !naive_known) {
                goto decline;
            }
            long long instant = t.has_bias ? t.local_us - (long long)t.offset * 60000000LL
                                           : t.local_us - naive_us;
            note_instant(instant, line, &last, &has_last, &jump_line);
        }
        PyObject *parts = cached(messages, message_parts, s, start, t.message_end);
        if (parts == NULL) {
            goto error;
        }
        if (parts == Py_None) {
            Py_DECREF(parts);
            line++;
            start = end + 1;
            continue;
        }
        if (!PyTuple_Check(parts) || PyTuple_GET_SIZE(parts) != 3) {
            Py_DECREF(parts);
            PyErr_SetString(PyExc_TypeError, "message parts are (head, after_time, tail) or None");
            goto error;
        }
        Py_ssize_t from = t.message_end + 3, to = t.component_end;
        if (component == NULL || to - from != component_length ||
            memcmp(s + from, s + component_start, (size_t)component_length) != 0) {
            Py_XDECREF(component);
            component = cached(components, component_json, s, from, to);
            if (component == NULL) {
                Py_DECREF(parts);
                goto error;
            }
            component_start = from;
            component_length = to - from;
        }
        int ok = buffer_add_ascii(&out, PyTuple_GET_ITEM(parts, 0), &not_ascii);
        int n = 0;
        if (ok) {
            n = snprintf(piece, sizeof(piece), "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld",
                         t.year, t.month, t.day, t.hour, t.minute, t.second);
            if (t.micro % 1000) {
                n += snprintf(piece + n, sizeof(piece) - (size_t)n, ".%06ld", t.micro);
            }
            else if (t.micro) {
                n += snprintf(piece + n, sizeof(piece) - (size_t)n, ".%03ld", t.micro / 1000);
            }
            if (t.has_bias) {
                long size = t.offset < 0 ? -t.offset : t.offset;
                n += snprintf(piece + n, sizeof(piece) - (size_t)n, "%c%02ld:%02ld",
                              t.offset < 0 ? '-' : '+', size / 60, size % 60);
            }
            ok = buffer_add(&out, piece, (size_t)n);
        }
        if (ok && !t.has_bias) {
            ok = buffer_add_ascii(&out, naive_offset, &not_ascii);
        }
        ok = ok && buffer_add_ascii(&out, PyTuple_GET_ITEM(parts, 1), &not_ascii);
        if (ok) {
            n = snprintf(piece, sizeof(piece), "%zd", line);
            ok = buffer_add(&out, piece, (size_t)n);
        }
        ok = ok && buffer_add_ascii(&out, after_line, &not_ascii);
        ok = ok && buffer_add_ascii(&out, component, &not_ascii);
        ok = ok && buffer_add_ascii(&out, after_component, &not_ascii);
        if (ok) {
            n = snprintf(piece, sizeof(piece), "%lld", t.thread);
            ok = buffer_add(&out, piece, (size_t)n);
        }
        ok = ok && buffer_add_ascii(&out, after_thread, &not_ascii);
        ok = ok && buffer_add_ascii(&out, PyTuple_GET_ITEM(parts, 2), &not_ascii);
        ok = ok && buffer_add(&out, "\n", 1);
        Py_DECREF(parts);
        if (!ok) {
            if (not_ascii) {
                goto decline;
            }
            goto error;
        }
        line++;
        start = end + 1;
    }
    Py_XDECREF(component);
    { /* (a block: the labels below are outside the scope of `lines`) */
        PyObject *lines =
            PyUnicode_DecodeASCII(out.data ? out.data : "", (Py_ssize_t)out.length, "strict");
        PyMem_Free(out.data);
        if (lines == NULL) {
            return NULL;
        }
        if (track) {
            if (!has_last) {
                return Py_BuildValue("(NnOn)", lines, records, last_seen, jump_line);
            }
            return Py_BuildValue("(NnLn)", lines, records, last, jump_line);
        }
        return Py_BuildValue("(Nn)", lines, records);
    }

decline:
    Py_XDECREF(component);
    PyMem_Free(out.data);
    Py_RETURN_NONE;
error:
    Py_XDECREF(component);
    PyMem_Free(out.data);
    return NULL;
}

/* Appends src[0 : n] to out at *k, every CRLF and lone CR made LF (`then_lf`: the byte after
   src[n - 1] is an LF), ORing the bits of every byte read into *high. Reads and writes eight
   bytes at a time where no CR is among them. */
static void
fold_lines(const unsigned char *src, Py_ssize_t n, int then_lf, unsigned char *out,
           Py_ssize_t *k, uint64_t *high)
{
    Py_ssize_t i = 0, w = *k;
    uint64_t bits = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t word;
            memcpy(&word, src + i, 8);
            bits |= word;
            if (!holds_byte(word, '\r')) {
                memcpy(out + w, &word, 8);
                i += 8;
                w += 8;
                continue;
            }
        }
        const unsigned char c = src[i++];
        bits |= c;
        if (c != '\r') {
            out[w++] = c;
        }
        else if (i < n ? src[i] != '\n' : !then_lf) {
            out[w++] = '\n';
        }
    }
    *k = w;
    *high |= bits;
}

/* ascii_lines(data: bytes[, end: int[, head: bytes]]) -> str | None: head + data[:end] as
   text with every CRLF and lone CR made LF, when those bytes are all ASCII (None otherwise:
   logsync/decoding.py decodes them). One pass that checks and copies straight into the
   result, which is never longer than the bytes (it is shortened at the end by the CRs
   dropped); `head` is the start of a line left from the data before, never copied to them. */
static PyObject *
ascii_lines(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *data_object, *head_object = NULL;
    Py_ssize_t end = -1;
    if (!PyArg_ParseTuple(args, "S|nS:ascii_lines", &data_object, &end, &head_object)) {
        return NULL;
    }
    const unsigned char *data = (const unsigned char *)PyBytes_AS_STRING(data_object);
    const Py_ssize_t size = PyBytes_GET_SIZE(data_object);
    if (end < 0 || end > size) {
        end = size;
    }
    const unsigned char *head = (const unsigned char *)"";
    Py_ssize_t head_size = 0;
    if (head_object != NULL) {
        head = (const unsigned char *)PyBytes_AS_STRING(head_object);
        head_size = PyBytes_GET_SIZE(head_object);
    }
    const Py_ssize_t length = head_size + end;
    PyObject *text = PyUnicode_New(length, 127);
    if (text == NULL) {
        return NULL;
    }
    unsigned char *out = PyUnicode_1BYTE_DATA(text);
    uint64_t high = 0; /* the bits of every byte read, ORed */
    Py_ssize_t k = 0;
    fold_lines(head, head_size, end > 0 && data[0] == '\n', out, &k, &high);
    fold_lines(data, end, 0, out, &k, &high);
    if (high & HIGHS) {
        Py_DECREF(text);
        Py_RETURN_NONE;
    }
    if (k < length && PyUnicode_Resize(&text, k) < 0) {
        return NULL;
    }
    return text;
}

/* keep_freed_memory() -> bool: have the C library keep the memory freed by a reading for the
   next blocks, rather than give it back to the system and fault it in again. A large log is
   read in blocks of half a megabyte, each made bytes, then text, then rows, and freed: by
   default glibc maps each such block anew, or trims the heap under it, and the page faults
   cost about a tenth of the run. Up to 4 MB freed at the heap's top is kept, and only larger
   allocations are mapped (`events` writes a block's lines as a string of about 1.5 MB: a
   lower bound mapped each one, and faulted it in). Peak RSS stays within about a megabyte of
   the default's. True where it was done (glibc), else False. Called once by the command line,
   which owns its process; never on import. */
static PyObject *
keep_freed_memory(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(noargs))
{
#if defined(__GLIBC__)
    if (mallopt(M_MMAP_THRESHOLD, 4 << 20) && mallopt(M_TRIM_THRESHOLD, 4 << 20)) {
        Py_RETURN_TRUE;
    }
#endif
    Py_RETURN_FALSE;
}

static PyMethodDef methods[] = {
    {"scan_rows", scan_rows, METH_VARARGS,
     "scan_rows(text, first_line, config[, last]) -> (rows, records, blank lines, left out"
     "[, last, jump line, latest]) or None"},
    {"ndjson_lines", ndjson_lines, METH_VARARGS,
     "ndjson_lines(text, first_line, config[, last]) -> (JSON lines, records[, last, jump]) or None"},
    {"ascii_lines", ascii_lines, METH_VARARGS,
     "ascii_lines(data[, end[, head]]) -> head + data[:end] as text, CRLF and CR made LF;"
     " None if not ASCII"},
    {"keep_freed_memory", keep_freed_memory, METH_NOARGS,
     "keep_freed_memory() -> whether the C library now keeps freed memory for reuse (glibc)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "logsync._scan",
    "The native scanner of SMS-trace chunks (see logsync/chunks.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

#ifndef LOGSYNC_SCAN_SOURCE_SHA256
#define LOGSYNC_SCAN_SOURCE_SHA256 ""
#endif

PyMODINIT_FUNC
PyInit__scan(void)
{
    PyObject *m = PyModule_Create(&module);
    /* the digest of this file as built (setup.py): the tests check it against the tree */
    if (m != NULL
        && PyModule_AddStringConstant(m, "SOURCE_SHA256", LOGSYNC_SCAN_SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
