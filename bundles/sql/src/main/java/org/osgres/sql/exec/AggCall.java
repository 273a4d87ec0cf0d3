package org.osgres.sql.exec;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.types.Numerics;
import org.osgres.sql.types.PgType;

/*
 * AggCall: one aggregate call in a query and its transition and final functions (PostgreSQL:
 * an Aggref with pg_aggregate's transfn / finalfn: int8inc for count, int4_sum / int8_sum /
 * numeric_add / float8pl for sum, int4_avg_accum + int8_avg, min/max with the type's ordering,
 * booland_statefunc / boolor_statefunc, string_agg_transfn).
 *
 * Strict transition functions skip NULL inputs, so every aggregate but count(*) ignores NULLs
 * and returns NULL over no non-null input (count returns 0). DISTINCT feeds each distinct
 * input value once.
 *
 * Entry points: newState(), advance(), finish().
 * See also: PlanNodes.Agg -- drives these; analyze.Aggregates -- chooses kind and result type.
 */
public final class AggCall {
    /** The aggregate functions osgres has. */
    public enum Kind { COUNT_STAR, COUNT, SUM, AVG, MIN, MAX, BOOL_AND, BOOL_OR, STRING_AGG }

    private final Kind kind;
    private final Node arg;
    private final Node delimiter;
    private final boolean distinct;
    private final PgType argType;
    private final PgType resultType;
    private final Comparator<Object> order;
    private final Nodes.Impl numericDivide;

    /**
     * @param arg           the argument, null for count(*)
     * @param delimiter     string_agg's second argument, else null
     * @param numericDivide numeric / numeric, for avg over integers and numeric
     */
    public AggCall(Kind kind, Node arg, Node delimiter, boolean distinct, PgType resultType,
            Nodes.Impl numericDivide) {
        this.kind = kind;
        this.arg = arg;
        this.delimiter = delimiter;
        this.distinct = distinct;
        this.argType = arg == null ? null : arg.type();
        this.resultType = resultType;
        this.order = argType == null ? null : SortSupport.comparator(argType);
        this.numericDivide = numericDivide;
    }

    public PgType resultType() {
        return resultType;
    }

    /** The per-group transition state. */
    public static final class State {
        long count;
        Object value;
        StringBuilder text;
        Set<Object> seen;
    }

    public State newState() {
        State s = new State();
        if (distinct) {
            s.seen = new HashSet<>();
        }
        return s;
    }

    /** Feeds the current tuple (EvalContext.row) into the state. */
    public void advance(State s, EvalContext ctx) {
        if (kind == Kind.COUNT_STAR) {
            s.count++;
            return;
        }
        Object v = arg.eval(ctx);
        if (v == null) {
            return;
        }
        if (distinct && !s.seen.add(SortSupport.hashKey(v))) {
            return;
        }
        s.count++;
        switch (kind) {
            case COUNT -> {
            }
            case SUM, AVG -> s.value = add(s.value, v);
            case MIN -> {
                if (s.value == null || order.compare(v, s.value) < 0) {
                    s.value = v;
                }
            }
            case MAX -> {
                if (s.value == null || order.compare(v, s.value) > 0) {
                    s.value = v;
                }
            }
            case BOOL_AND -> s.value = s.value == null ? v : (Boolean) s.value && (Boolean) v;
            case BOOL_OR -> s.value = s.value == null ? v : (Boolean) s.value || (Boolean) v;
            case STRING_AGG -> {
                Object d = delimiter.eval(ctx);
                if (s.text == null) {
                    s.text = new StringBuilder();
                } else if (d != null) {
                    s.text.append((String) d);
                }
                s.text.append((String) v);
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Adds in the transition type: int8 for int2/int4 sums, numeric for int8 and numeric, else float. */
    private Object add(Object acc, Object v) {
        return switch (argType) {
            case INT2, INT4 -> (acc == null ? 0L : (Long) acc) + ((Number) v).longValue();
            case INT8 -> (acc == null ? BigDecimal.ZERO : (BigDecimal) acc).add(BigDecimal.valueOf((Long) v));
            case NUMERIC -> {
                if (acc == Numerics.NAN || v == Numerics.NAN) {
                    yield Numerics.NAN;
                }
                yield (acc == null ? BigDecimal.ZERO : (BigDecimal) acc).add((BigDecimal) v);
            }
            case FLOAT4 -> (acc == null ? 0f : (Float) acc) + (Float) v;
            default -> (acc == null ? 0.0 : (Double) acc) + ((Number) v).doubleValue();
        };
    }

    public Object finish(State s, EvalContext ctx) {
        switch (kind) {
            case COUNT_STAR, COUNT:
                return s.count;
            case SUM:
                if (s.value == null) {
                    return null;
                }
                return s.value;
            case AVG: {
                if (s.value == null) {
                    return null;
                }
                if (resultType == PgType.FLOAT8) {
                    return ((Number) s.value).doubleValue() / s.count;
                }
                Object sum = s.value instanceof Long l ? BigDecimal.valueOf(l) : s.value;
                return numericDivide.apply(new Object[] {sum, BigDecimal.valueOf(s.count)}, ctx);
            }
            case STRING_AGG:
                return s.text == null ? null : s.text.toString();
            default:
                return s.value;
        }
    }

    /** The aggregates' names, for the analyzer. */
    public static final Set<String> NAMES = Set.of("count", "sum", "avg", "min", "max", "bool_and", "bool_or",
            "every", "string_agg");
}
