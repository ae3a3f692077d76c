/*
 * Virtual Intel IAA: fault injection and statistics, driven through QOM
 * properties so that a guest (via an HMP monitor on a serial port) or a
 * harness (QMP) can script them at run time:
 *
 *   qom-set /machine/peripheral/iaa0 inject op=0x42,status=0x0a,error=5,count=3
 *   qom-set /machine/peripheral/iaa0 inject clear
 *   qom-get /machine/peripheral/iaa0 injected
 *
 * Each "inject" write adds one rule; the spec grammar is documented in
 * tools/qemu/README.md. A rule's decision is taken when a descriptor is
 * accepted by its WQ and travels with it until it completes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "hw/qdev-core.h"
#include "iaa.h"

struct IaaFaultRule {
    IaaFaultRule *next;
    char *spec;                 /* as written, for the "rules" property */
    /* which descriptors */
    int opcode;                 /* -1: any */
    int wq;                     /* -1: any */
    uint64_t every;             /* fire on every Nth match; 0: every match */
    uint64_t remaining;         /* firings left; 0: unlimited */
    uint64_t seen;              /* matches so far */
    /* what happens to them */
    bool set_status;
    uint8_t status;
    uint8_t error_code;
    int64_t late_ns;
    bool never;
    bool lost_irq;
    bool set_output_size;
    uint32_t output_size;
};

static void iaa_rule_free(IaaFaultRule *r)
{
    g_free(r->spec);
    g_free(r);
}

static void iaa_rules_clear(IaaState *s)
{
    while (s->rules) {
        IaaFaultRule *r = s->rules;

        s->rules = r->next;
        iaa_rule_free(r);
    }
}

/*
 * Spec parsing
 */

static const struct {
    const char *name;
    int value;
} iaa_op_names[] = {
    { "noop", IAA_OP_NOOP },
    { "drain", IAA_OP_DRAIN },
    { "decompress", IAA_OP_DECOMPRESS },
    { "compress", IAA_OP_COMPRESS },
}, iaa_status_names[] = {
    { "success", IAA_CS_SUCCESS },
    { "page-fault", IAA_CS_PAGE_FAULT_IR },
    { "analytics", IAA_CS_ANALYTICS_ERROR },
    { "overflow", IAA_CS_OUTBUF_OVERFLOW },
    { "bad-opcode", IAA_CS_BAD_OPCODE },
    { "invalid-flags", IAA_CS_INVALID_FLAGS },
    { "translation", IAA_CS_TRANSLATION_FAIL },
    { "watchdog", IAA_CS_WATCHDOG },
    { "int-handle-inval", IAA_CS_INT_HANDLE_INVAL },
};

static bool iaa_parse_u64(const char *key, const char *val, uint64_t max,
                          uint64_t *out, Error **errp)
{
    if (qemu_strtou64(val, NULL, 0, out) < 0 || *out > max) {
        error_setg(errp, "inject: bad value '%s' for %s", val, key);
        return false;
    }
    return true;
}

#define IAA_LOOKUP(table, val, out) ({                          \
    bool found_ = false;                                        \
    for (unsigned i_ = 0; i_ < ARRAY_SIZE(table); i_++) {       \
        if (!strcmp((table)[i_].name, (val))) {                 \
            *(out) = (table)[i_].value;                         \
            found_ = true;                                      \
        }                                                       \
    }                                                           \
    found_;                                                     \
})

/* Time with an optional unit: ns (default), us, ms, s. */
static bool iaa_parse_time(const char *val, int64_t *out, Error **errp)
{
    static const struct { const char *unit; uint64_t mult; } units[] = {
        { "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
        { "s", 1000000000 },
    };
    const char *end;
    uint64_t v;

    if (qemu_strtou64(val, &end, 0, &v) < 0) {
        goto bad;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(units); i++) {
        if (!strcmp(end, units[i].unit)) {
            if (v > INT64_MAX / units[i].mult) {
                goto bad;
            }
            *out = v * units[i].mult;
            return true;
        }
    }
bad:
    error_setg(errp, "inject: bad time '%s' for late", val);
    return false;
}

static bool iaa_parse_item(IaaFaultRule *r, const char *key, const char *val,
                           Error **errp)
{
    uint64_t v;
    int named;

    if (!strcmp(key, "never") || !strcmp(key, "lost-irq")) {
        if (val) {
            error_setg(errp, "inject: '%s' takes no value", key);
            return false;
        }
        if (key[0] == 'n') {
            r->never = true;
        } else {
            r->lost_irq = true;
        }
        return true;
    }
    if (!val || !*val) {
        error_setg(errp, "inject: '%s' needs a value", key);
        return false;
    }
    if (!strcmp(key, "op")) {
        if (!strcmp(val, "any")) {
            r->opcode = -1;
        } else if (IAA_LOOKUP(iaa_op_names, val, &named)) {
            r->opcode = named;
        } else if (iaa_parse_u64(key, val, 0xff, &v, errp)) {
            r->opcode = v;
        } else {
            return false;
        }
    } else if (!strcmp(key, "wq")) {
        if (!strcmp(val, "any")) {
            r->wq = -1;
        } else if (iaa_parse_u64(key, val, IAA_MAX_WQS, &v, errp)) {
            r->wq = v;
        } else {
            return false;
        }
    } else if (!strcmp(key, "count")) {
        if (!iaa_parse_u64(key, val, UINT64_MAX, &r->remaining, errp)) {
            return false;
        }
        if (!r->remaining) {
            error_setg(errp, "inject: count must be at least 1");
            return false;
        }
    } else if (!strcmp(key, "every")) {
        if (!iaa_parse_u64(key, val, UINT64_MAX, &r->every, errp)) {
            return false;
        }
        if (!r->every) {
            error_setg(errp, "inject: every must be at least 1");
            return false;
        }
    } else if (!strcmp(key, "status")) {
        if (IAA_LOOKUP(iaa_status_names, val, &named)) {
            r->status = named;
        } else if (iaa_parse_u64(key, val, 0x7f, &v, errp)) {
            r->status = v;
        } else {
            return false;
        }
        if (r->status == IAA_CS_NONE) {
            error_setg(errp, "inject: status 0 would never complete, "
                       "use 'never'");
            return false;
        }
        r->set_status = true;
    } else if (!strcmp(key, "error")) {
        if (!iaa_parse_u64(key, val, 0xff, &v, errp)) {
            return false;
        }
        r->error_code = v;
    } else if (!strcmp(key, "late")) {
        if (!iaa_parse_time(val, &r->late_ns, errp)) {
            return false;
        }
    } else if (!strcmp(key, "output-size")) {
        if (!iaa_parse_u64(key, val, UINT32_MAX, &v, errp)) {
            return false;
        }
        r->output_size = v;
        r->set_output_size = true;
    } else {
        error_setg(errp, "inject: unknown key '%s'", key);
        return false;
    }
    return true;
}

static IaaFaultRule *iaa_parse_rule(const char *spec, Error **errp)
{
    g_autofree IaaFaultRule *r = g_new0(IaaFaultRule, 1);
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    bool has_error = false;

    r->opcode = -1;
    r->wq = -1;
    for (unsigned i = 0; items[i]; i++) {
        char *item = g_strstrip(items[i]);
        char *eq;

        if (!*item) {
            continue;
        }
        eq = strchr(item, '=');
        if (eq) {
            *eq = '\0';
        }
        has_error |= !strcmp(item, "error");
        if (!iaa_parse_item(r, item, eq ? eq + 1 : NULL, errp)) {
            return NULL;
        }
    }
    if (!r->set_status && !r->late_ns && !r->never && !r->lost_irq &&
        !r->set_output_size) {
        error_setg(errp, "inject: no action (status=, late=, never, lost-irq, "
                   "output-size=)");
        return NULL;
    }
    if (has_error && !r->set_status) {
        error_setg(errp, "inject: error= needs status=");
        return NULL;
    }
    if (!r->every && !r->remaining) {
        r->remaining = 1;
    }
    r->spec = g_strdup(spec);
    return g_steal_pointer(&r);
}

static void iaa_set_inject(Object *obj, const char *value, Error **errp)
{
    IaaState *s = INTEL_IAA(obj);
    g_autofree char *spec = g_strstrip(g_strdup(value));
    size_t n = strlen(spec);
    IaaFaultRule *r, **tail;

    /* HMP passes the rest of the line verbatim: tolerate quotes */
    if (n >= 2 && (spec[0] == '"' || spec[0] == '\'') &&
        spec[n - 1] == spec[0]) {
        spec[n - 1] = '\0';
        memmove(spec, spec + 1, n - 1);
        g_strstrip(spec);
    }
    if (!strcmp(spec, "clear")) {
        iaa_rules_clear(s);
        return;
    }
    r = iaa_parse_rule(spec, errp);
    if (!r) {
        return;
    }
    for (tail = &s->rules; *tail; tail = &(*tail)->next) {
        /* append: rules apply in the order they were given */
    }
    *tail = r;
}

static char *iaa_get_rules(Object *obj, Error **errp)
{
    IaaState *s = INTEL_IAA(obj);
    GString *str = g_string_new("");

    for (IaaFaultRule *r = s->rules; r; r = r->next) {
        g_string_append_printf(str, "%s%s", str->len ? "; " : "", r->spec);
    }
    return g_string_free(str, false);
}

/*
 * Decisions
 */

void iaa_fault_plan(IaaState *s, unsigned wq, const uint8_t *desc,
                    IaaFaultPlan *plan)
{
    uint8_t opcode = iaa_desc_opcode(desc);
    IaaFaultRule **link = &s->rules;

    while (*link) {
        IaaFaultRule *r = *link;

        if ((r->opcode >= 0 && r->opcode != opcode) ||
            (r->wq >= 0 && r->wq != wq)) {
            link = &r->next;
            continue;
        }
        r->seen++;
        if (r->every && r->seen % r->every) {
            link = &r->next;
            continue;
        }

        s->injected++;
        if (r->set_status && !plan->force_status) {
            plan->force_status = true;
            plan->status = r->status;
            plan->error_code = r->error_code;
            s->injected_kind[IAA_FK_STATUS]++;
        }
        if (r->late_ns) {
            plan->late_ns += r->late_ns;
            s->injected_kind[IAA_FK_LATE]++;
        }
        if (r->never) {
            plan->never = true;
            s->injected_kind[IAA_FK_NEVER]++;
        }
        if (r->lost_irq) {
            plan->lost_irq = true;
            s->injected_kind[IAA_FK_LOST_IRQ]++;
        }
        if (r->set_output_size && !plan->force_output_size) {
            plan->force_output_size = true;
            plan->output_size = r->output_size;
            s->injected_kind[IAA_FK_OUTPUT_SIZE]++;
        }

        if (r->remaining && --r->remaining == 0) {
            *link = r->next;
            iaa_rule_free(r);
        } else {
            link = &r->next;
        }
    }
}

/*
 * Properties
 */

void iaa_fault_init(IaaState *s)
{
    static const struct {
        const char *name;
        size_t offset;
    } counters[] = {
        { "injected", offsetof(IaaState, injected) },
        { "injected-status",
          offsetof(IaaState, injected_kind[IAA_FK_STATUS]) },
        { "injected-late", offsetof(IaaState, injected_kind[IAA_FK_LATE]) },
        { "injected-never", offsetof(IaaState, injected_kind[IAA_FK_NEVER]) },
        { "injected-lost-irq",
          offsetof(IaaState, injected_kind[IAA_FK_LOST_IRQ]) },
        { "injected-output-size",
          offsetof(IaaState, injected_kind[IAA_FK_OUTPUT_SIZE]) },
        { "int-handle-revokes", offsetof(IaaState, int_handle_revokes) },
        { "descs-submitted", offsetof(IaaState, descs_submitted) },
        { "descs-completed", offsetof(IaaState, descs_completed) },
        { "descs-failed", offsetof(IaaState, descs_failed) },
        { "descs-dropped", offsetof(IaaState, descs_dropped) },
        { "descs-aborted", offsetof(IaaState, descs_aborted) },
    };
    Object *obj = OBJECT(s);

    object_property_add_str(obj, "inject", NULL, iaa_set_inject);
    object_property_set_description(obj, "inject", "add a fault rule "
                                    "(see README), or 'clear'");
    object_property_add_str(obj, "rules", iaa_get_rules, NULL);
    object_property_set_description(obj, "rules", "the active fault rules");
    for (unsigned i = 0; i < ARRAY_SIZE(counters); i++) {
        object_property_add_uint64_ptr(obj, counters[i].name,
                                       (uint64_t *)((char *)s +
                                                    counters[i].offset),
                                       OBJ_PROP_FLAG_READ);
    }
}

void iaa_fault_fini(IaaState *s)
{
    iaa_rules_clear(s);
}
