package org.osgres.sql.exec;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgres.sql.types.Numerics;
import org.osgres.sql.types.PgType;

/*
 * SortSupport: orderings and equality keys of the built-in types (PostgreSQL: the btree
 * comparison functions behind each type's default < operator -- btint4cmp, btfloat8cmp,
 * numeric_cmp, bttextcmp under the C collation, timestamp_cmp, array's btarraycmp -- and the
 * hash opclasses DISTINCT and GROUP BY use).
 *
 * Entry points: comparator(type) -- null when the type has no ordering; hashKey(value);
 * sortKey(...) -- one ORDER BY column with ASC/DESC and NULLS FIRST/LAST.
 */
public final class SortSupport {
    private SortSupport() {
    }

    /** The ordering of a type's non-null values, or null when it has none. */
    public static Comparator<Object> comparator(PgType type) {
        return switch (type) {
            case INT2, INT4, INT8, OID, XID -> (a, b) -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case FLOAT4, FLOAT8 -> (a, b) -> {
                double x = ((Number) a).doubleValue();
                double y = ((Number) b).doubleValue();
                return x == y ? 0 : Double.compare(x, y);
            };
            case NUMERIC -> Builtins::compareNumeric;
            case BOOL -> (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
            case TEXT, NAME, VARCHAR, UNKNOWN, INET -> (a, b) -> ((String) a).compareTo((String) b);
            case BPCHAR -> (a, b) -> Builtins.bpcharStrip((String) a).compareTo(Builtins.bpcharStrip((String) b));
            case DATE -> (a, b) -> ((LocalDate) a).compareTo((LocalDate) b);
            case TIMESTAMP -> (a, b) -> ((LocalDateTime) a).compareTo((LocalDateTime) b);
            case TIMESTAMPTZ -> (a, b) -> ((OffsetDateTime) a).toInstant().compareTo(((OffsetDateTime) b).toInstant());
            case BYTEA -> (a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            case TEXT_ARRAY -> (a, b) -> compareArrays((String[]) a, (String[]) b);
            default -> null;
        };
    }

    /** Element by element, NULL elements after non-null ones, then the shorter array first. */
    private static int compareArrays(String[] a, String[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] == null || b[i] == null) {
                if (a[i] != b[i]) {
                    return a[i] == null ? 1 : -1;
                }
                continue;
            }
            int c = a[i].compareTo(b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /**
     * A value as a key for hashed grouping and DISTINCT: values the type's = calls equal give
     * equal keys (numeric 1.0 and 1.00, timestamptz in different offsets, bpchar padding).
     */
    public static Object hashKey(Object v) {
        return switch (v) {
            case null -> null;
            case BigDecimal d -> d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            case OffsetDateTime t -> t.toInstant();
            case Double d -> d == 0.0 ? 0.0 : d;
            case Float f -> f == 0.0f ? 0.0f : f;
            case byte[] b -> List.of(Arrays.toString(b));
            case String[] a -> Arrays.asList(a);
            default -> v == Numerics.NAN ? "NaN" : v;
        };
    }

    /**
     * One sort key over column index of a tuple: ASC puts NULLs last, DESC first, unless NULLS
     * FIRST / LAST says otherwise (PostgreSQL: nulls sort as if larger than any value).
     */
    public static Comparator<Object[]> sortKey(int index, Comparator<Object> cmp, boolean desc, boolean nullsFirst) {
        return (x, y) -> {
            Object a = x[index];
            Object b = y[index];
            if (a == null || b == null) {
                if (a == b) {
                    return 0;
                }
                return (a == null) == nullsFirst ? -1 : 1;
            }
            int c = cmp.compare(a, b);
            return desc ? -c : c;
        };
    }

    /** Whether two non-null key values are equal as btree equality sees them (integers and numerics by value). */
    public static boolean sameKey(Object a, Object b) {
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double) && !(b instanceof Double)) {
            if (a instanceof java.math.BigDecimal || b instanceof java.math.BigDecimal) {
                return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
            }
            return x.longValue() == y.longValue();
        }
        return a.equals(b);
    }
}
