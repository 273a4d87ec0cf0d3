package org.osgres.sql.analyze;

import static org.osgres.sql.types.PgType.BOOL;
import static org.osgres.sql.types.PgType.BPCHAR;
import static org.osgres.sql.types.PgType.BYTEA;
import static org.osgres.sql.types.PgType.FLOAT4;
import static org.osgres.sql.types.PgType.FLOAT8;
import static org.osgres.sql.types.PgType.INT2;
import static org.osgres.sql.types.PgType.INT4;
import static org.osgres.sql.types.PgType.INT8;
import static org.osgres.sql.types.PgType.NAME;
import static org.osgres.sql.types.PgType.NUMERIC;
import static org.osgres.sql.types.PgType.TEXT;
import static org.osgres.sql.types.PgType.TIMESTAMPTZ;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.AdminFunctions;
import org.osgres.sql.exec.Builtins;
import org.osgres.sql.exec.Guc;
import org.osgres.sql.types.Numerics;
import org.osgres.sql.types.PgType;

/*
 * FunctionCatalog: the built-in functions (PostgreSQL: catalog/pg_proc.dat, with bodies from
 * utils/adt/int.c, float.c, numeric.c, varlena.c, oracle_compat.c, misc.c, guc.c,
 * timestamp.c, version.c; the administration functions of misc.c and signalfuncs.c in
 * exec.AdminFunctions).
 *
 * Entry points: register().
 */
final class FunctionCatalog {
    static final String VERSION = "PostgreSQL 15.18 (osgres 0.1.0) on x86_64-pc-linux-gnu, compiled by javac, 64-bit";
    private static final OffsetDateTime START_TIME = OffsetDateTime.now(ZoneOffset.UTC);

    private FunctionCatalog() {
    }

    static void register(Catalog c) {
        math(c);
        strings(c);
        system(c);
    }

    private static BigDecimal num(Object o) {
        if (o == Numerics.NAN) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "numeric NaN is not supported here by osgres yet");
        }
        return (BigDecimal) o;
    }

    private static void math(Catalog c) {
        c.fn("abs", List.of(INT2), INT2, (a, x) -> (short) OperatorCatalog.narrow(Math.abs((long) (Short) a[0]), INT2));
        c.fn("abs", List.of(INT4), INT4, (a, x) -> (int) OperatorCatalog.narrow(Math.abs((long) (Integer) a[0]), INT4));
        c.fn("abs", List.of(INT8), INT8, (a, x) -> {
            if ((Long) a[0] == Long.MIN_VALUE) {
                throw Builtins.outOfRange(INT8);
            }
            return Math.abs((Long) a[0]);
        });
        c.fn("abs", List.of(FLOAT4), FLOAT4, (a, x) -> Math.abs((Float) a[0]));
        c.fn("abs", List.of(FLOAT8), FLOAT8, (a, x) -> Math.abs((Double) a[0]));
        c.fn("abs", List.of(NUMERIC), NUMERIC, (a, x) -> num(a[0]).abs());
        c.fn("round", List.of(NUMERIC), NUMERIC, (a, x) -> Numerics.round(num(a[0]), 0));
        c.fn("round", List.of(NUMERIC, INT4), NUMERIC, (a, x) -> Numerics.round(num(a[0]), (Integer) a[1]));
        c.fn("round", List.of(FLOAT8), FLOAT8, (a, x) -> Math.rint((Double) a[0]));
        c.fn("trunc", List.of(NUMERIC), NUMERIC, (a, x) -> Numerics.trunc(num(a[0]), 0));
        c.fn("trunc", List.of(NUMERIC, INT4), NUMERIC, (a, x) -> Numerics.trunc(num(a[0]), (Integer) a[1]));
        c.fn("trunc", List.of(FLOAT8), FLOAT8, (a, x) -> {
            double d = (Double) a[0];
            return d < 0 ? Math.ceil(d) : Math.floor(d);
        });
        for (String name : List.of("ceil", "ceiling")) {
            c.fn(name, List.of(NUMERIC), NUMERIC, (a, x) -> num(a[0]).setScale(0, RoundingMode.CEILING));
            c.fn(name, List.of(FLOAT8), FLOAT8, (a, x) -> Math.ceil((Double) a[0]));
        }
        c.fn("floor", List.of(NUMERIC), NUMERIC, (a, x) -> num(a[0]).setScale(0, RoundingMode.FLOOR));
        c.fn("floor", List.of(FLOAT8), FLOAT8, (a, x) -> Math.floor((Double) a[0]));
        c.fn("sign", List.of(NUMERIC), NUMERIC, (a, x) -> BigDecimal.valueOf(num(a[0]).signum()));
        c.fn("sign", List.of(FLOAT8), FLOAT8, (a, x) -> Math.signum((Double) a[0]));
        c.fn("sqrt", List.of(NUMERIC), NUMERIC, (a, x) -> Numerics.sqrt(num(a[0])));
        c.fn("sqrt", List.of(FLOAT8), FLOAT8, float8Fn(d -> {
            if (d < 0) {
                throw new PgException(SqlState.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                        "cannot take square root of a negative number");
            }
            return Math.sqrt(d);
        }));
        c.fn("exp", List.of(NUMERIC), NUMERIC, (a, x) -> Numerics.exp(num(a[0])));
        c.fn("exp", List.of(FLOAT8), FLOAT8, float8Fn(Math::exp));
        c.fn("ln", List.of(NUMERIC), NUMERIC, (a, x) -> Numerics.ln(num(a[0])));
        c.fn("ln", List.of(FLOAT8), FLOAT8, float8Fn(d -> {
            if (d == 0) {
                throw new PgException(SqlState.INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of zero");
            }
            if (d < 0) {
                throw new PgException(SqlState.INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of a negative number");
            }
            return Math.log(d);
        }));
        for (String name : List.of("power", "pow")) {
            c.fn(name, List.of(FLOAT8, FLOAT8), FLOAT8, (a, x) -> Builtins.dpow((Double) a[0], (Double) a[1]));
            c.fn(name, List.of(NUMERIC, NUMERIC), NUMERIC, Builtins.numeric(Numerics::power));
        }
        c.fn("pi", List.of(), FLOAT8, (a, x) -> Math.PI);
        for (PgType t : List.of(INT2, INT4, INT8)) {
            c.fn("mod", List.of(t, t), t, (a, x) -> {
                long l = OperatorCatalog.asLong(a[0]);
                long r = OperatorCatalog.asLong(a[1]);
                if (r == 0) {
                    throw Numerics.divisionByZero();
                }
                return OperatorCatalog.box(r == -1 ? 0 : l % r, t);
            });
        }
        c.fn("mod", List.of(NUMERIC, NUMERIC), NUMERIC, Builtins.numeric(Numerics::mod));
        c.fn("div", List.of(NUMERIC, NUMERIC), NUMERIC, Builtins.numeric(Numerics::divTrunc));
        c.fn("gcd", List.of(INT4, INT4), INT4, (a, x) -> (int) OperatorCatalog.narrow(
                BigInteger.valueOf((Integer) a[0]).gcd(BigInteger.valueOf((Integer) a[1])).longValue(), INT4));
        c.fn("gcd", List.of(INT8, INT8), INT8, (a, x) -> BigInteger.valueOf((Long) a[0])
                .gcd(BigInteger.valueOf((Long) a[1])).longValueExact());
        c.fnNonStrict("random", List.of(), FLOAT8, (a, x) -> ThreadLocalRandom.current().nextDouble());
    }

    private static org.osgres.sql.exec.Nodes.Impl float8Fn(DoubleUnaryOperator f) {
        return (a, x) -> f.applyAsDouble((Double) a[0]);
    }

    private static org.osgres.sql.exec.Nodes.Impl textFn(UnaryOperator<String> f) {
        return (a, x) -> f.apply((String) a[0]);
    }

    /** substr(): 1-based start, may be before the string; a negative length is an error. */
    static String substr(String s, int start, Integer len) {
        int[] cps = s.codePoints().toArray();
        long from = start;
        long to = len == null ? Long.MAX_VALUE : (long) start + len;
        if (len != null && len < 0) {
            throw new PgException(SqlState.SUBSTRING_ERROR, "negative substring length not allowed");
        }
        int b = (int) Math.max(1, from) - 1;
        int e = (int) Math.min(cps.length + 1L, to) - 1;
        if (b >= cps.length || e <= b) {
            return "";
        }
        return new String(cps, b, e - b);
    }

    private static String trim(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }

    private static String pad(String s, int len, String fill, boolean left) {
        int[] cps = s.codePoints().toArray();
        if (len <= cps.length) {
            return new String(cps, 0, Math.max(len, 0));
        }
        if (fill.isEmpty()) {
            return s;
        }
        StringBuilder f = new StringBuilder();
        int[] fc = fill.codePoints().toArray();
        for (int i = 0; i < len - cps.length; i++) {
            f.appendCodePoint(fc[i % fc.length]);
        }
        return left ? f + s : s + f;
    }

    private static int charLength(String s) {
        return s.codePointCount(0, s.length());
    }

    private static void strings(Catalog c) {
        for (String name : List.of("length", "char_length", "character_length")) {
            c.fn(name, List.of(TEXT), INT4, (a, x) -> charLength((String) a[0]));
            c.fn(name, List.of(BPCHAR), INT4, (a, x) -> charLength(Builtins.bpcharStrip((String) a[0])));
        }
        c.fn("length", List.of(BYTEA), INT4, (a, x) -> ((byte[]) a[0]).length);
        c.fn("octet_length", List.of(TEXT), INT4, (a, x) -> ((String) a[0]).getBytes(StandardCharsets.UTF_8).length);
        c.fn("lower", List.of(TEXT), TEXT, textFn(s -> s.toLowerCase(Locale.ROOT)));
        c.fn("upper", List.of(TEXT), TEXT, textFn(s -> s.toUpperCase(Locale.ROOT)));
        c.fn("initcap", List.of(TEXT), TEXT, textFn(FunctionCatalog::initcap));
        c.fn("reverse", List.of(TEXT), TEXT, textFn(s -> new StringBuilder(s).reverse().toString()));
        for (String name : List.of("substr", "substring")) {
            c.fn(name, List.of(TEXT, INT4), TEXT, (a, x) -> substr((String) a[0], (Integer) a[1], null));
            c.fn(name, List.of(TEXT, INT4, INT4), TEXT,
                    (a, x) -> substr((String) a[0], (Integer) a[1], (Integer) a[2]));
        }
        c.fn("left", List.of(TEXT, INT4), TEXT, (a, x) -> {
            String s = (String) a[0];
            int n = (Integer) a[1];
            int len = charLength(s);
            int k = n >= 0 ? Math.min(n, len) : Math.max(0, len + n);
            return s.substring(0, s.offsetByCodePoints(0, k));
        });
        c.fn("right", List.of(TEXT, INT4), TEXT, (a, x) -> {
            String s = (String) a[0];
            int n = (Integer) a[1];
            int len = charLength(s);
            int k = n >= 0 ? Math.min(n, len) : Math.max(0, len + n);
            return s.substring(s.offsetByCodePoints(0, len - k));
        });
        c.fn("repeat", List.of(TEXT, INT4), TEXT, (a, x) -> ((String) a[0]).repeat(Math.max(0, (Integer) a[1])));
        c.fn("replace", List.of(TEXT, TEXT, TEXT), TEXT, (a, x) -> ((String) a[1]).isEmpty() ? a[0]
                : ((String) a[0]).replace((String) a[1], (String) a[2]));
        c.fn("btrim", List.of(TEXT), TEXT, (a, x) -> trim((String) a[0], " ", true, true));
        c.fn("btrim", List.of(TEXT, TEXT), TEXT, (a, x) -> trim((String) a[0], (String) a[1], true, true));
        c.fn("ltrim", List.of(TEXT), TEXT, (a, x) -> trim((String) a[0], " ", true, false));
        c.fn("ltrim", List.of(TEXT, TEXT), TEXT, (a, x) -> trim((String) a[0], (String) a[1], true, false));
        c.fn("rtrim", List.of(TEXT), TEXT, (a, x) -> trim((String) a[0], " ", false, true));
        c.fn("rtrim", List.of(TEXT, TEXT), TEXT, (a, x) -> trim((String) a[0], (String) a[1], false, true));
        c.fn("strpos", List.of(TEXT, TEXT), INT4, (a, x) -> position((String) a[0], (String) a[1]));
        c.fn("position", List.of(TEXT, TEXT), INT4, (a, x) -> position((String) a[0], (String) a[1]));
        c.fn("lpad", List.of(TEXT, INT4), TEXT, (a, x) -> pad((String) a[0], (Integer) a[1], " ", true));
        c.fn("lpad", List.of(TEXT, INT4, TEXT), TEXT, (a, x) -> pad((String) a[0], (Integer) a[1], (String) a[2], true));
        c.fn("rpad", List.of(TEXT, INT4), TEXT, (a, x) -> pad((String) a[0], (Integer) a[1], " ", false));
        c.fn("rpad", List.of(TEXT, INT4, TEXT), TEXT, (a, x) -> pad((String) a[0], (Integer) a[1], (String) a[2], false));
        c.fn("ascii", List.of(TEXT), INT4, (a, x) -> ((String) a[0]).isEmpty() ? 0 : ((String) a[0]).codePointAt(0));
        c.fn("chr", List.of(INT4), TEXT, (a, x) -> {
            int cp = (Integer) a[0];
            if (cp == 0) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "null character not permitted");
            }
            if (cp < 0 || cp > 0x10FFFF) {
                throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "requested character too large for encoding: " + cp);
            }
            return new String(Character.toChars(cp));
        });
        c.fn("md5", List.of(TEXT), TEXT, (a, x) -> md5(((String) a[0]).getBytes(StandardCharsets.UTF_8)));
        c.fn("md5", List.of(BYTEA), TEXT, (a, x) -> md5((byte[]) a[0]));
        c.fnVariadicAny("concat", List.of(), TEXT, (a, x) -> {
            StringBuilder sb = new StringBuilder();
            for (Object o : a) {
                if (o != null) {
                    sb.append(o);
                }
            }
            return sb.toString();
        });
        c.fnVariadicAny("concat_ws", List.of(TEXT), TEXT, (a, x) -> {
            if (a[0] == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (int i = 1; i < a.length; i++) {
                if (a[i] != null) {
                    if (!first) {
                        sb.append(a[0]);
                    }
                    sb.append(a[i]);
                    first = false;
                }
            }
            return sb.toString();
        });
    }

    private static int position(String hay, String needle) {
        int i = hay.indexOf(needle);
        return i < 0 ? 0 : hay.codePointCount(0, i) + 1;
    }

    private static String initcap(String s) {
        StringBuilder sb = new StringBuilder();
        boolean wasAlnum = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            sb.append(wasAlnum ? Character.toLowerCase(ch) : Character.toUpperCase(ch));
            wasAlnum = Character.isLetterOrDigit(ch);
        }
        return sb.toString();
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void system(Catalog c) {
        c.fn("version", List.of(), TEXT, (a, x) -> VERSION);
        c.fn("current_setting", List.of(TEXT), TEXT, (a, x) -> Guc.show(x.session(), (String) a[0]));
        c.fn("current_setting", List.of(TEXT, BOOL), TEXT,
                (a, x) -> Guc.showOrNull(x.session(), (String) a[0], (Boolean) a[1]));
        c.fnNonStrict("set_config", List.of(TEXT, TEXT, BOOL), TEXT, (a, x) -> {
            if (a[0] == null) {
                throw new PgException(SqlState.NULL_VALUE_NOT_ALLOWED, "SET requires parameter name");
            }
            boolean local = a[2] != null && (Boolean) a[2];
            if (a[1] == null) {
                x.session().resetSetting(((String) a[0]).toLowerCase(Locale.ROOT));
            } else {
                Guc.set(x.session(), (String) a[0], (String) a[1], local);
            }
            return Guc.show(x.session(), (String) a[0]);
        });
        c.fn("pg_backend_pid", List.of(), INT4, (a, x) -> x.session().backendPid());
        c.fn("current_database", List.of(), NAME, (a, x) -> x.session().database());
        c.fn("current_user", List.of(), NAME, (a, x) -> x.session().user());
        c.fn("session_user", List.of(), NAME, (a, x) -> x.session().user());
        c.fn("current_schema", List.of(), NAME, (a, x) -> "public");
        for (String name : List.of("now", "transaction_timestamp")) {
            c.fn(name, List.of(), TIMESTAMPTZ, (a, x) -> x.transactionStart());
        }
        c.fn("statement_timestamp", List.of(), TIMESTAMPTZ, (a, x) -> x.statementStart());
        c.fnNonStrict("clock_timestamp", List.of(), TIMESTAMPTZ, (a, x) -> OffsetDateTime.now(ZoneOffset.UTC));
        c.fn("pg_postmaster_start_time", List.of(), TIMESTAMPTZ, (a, x) -> START_TIME);
        admin(c);
    }

    /** Server administration (misc.c, signalfuncs.c, xlogfuncs.c, network.c). */
    private static void admin(Catalog c) {
        c.fn("pg_sleep", List.of(FLOAT8), PgType.VOID, (a, x) -> AdminFunctions.sleep((Double) a[0], x));
        c.fn("pg_cancel_backend", List.of(INT4), BOOL, (a, x) -> AdminFunctions.cancelBackend((Integer) a[0], x));
        c.fn("pg_terminate_backend", List.of(INT4), BOOL,
                (a, x) -> AdminFunctions.terminateBackend((Integer) a[0], 0, x));
        c.fn("pg_terminate_backend", List.of(INT4, INT8), BOOL,
                (a, x) -> AdminFunctions.terminateBackend((Integer) a[0], (Long) a[1], x));
        c.fn("pg_reload_conf", List.of(), BOOL, (a, x) -> AdminFunctions.reloadConf(x));
        c.fn("pg_is_in_recovery", List.of(), BOOL, (a, x) -> false);
        XlogFunctions.register(c);
        c.fnNonStrict("inet_client_addr", List.of(), PgType.INET, (a, x) -> AdminFunctions.clientAddr(x));
        c.fnNonStrict("inet_client_port", List.of(), INT4, (a, x) -> AdminFunctions.clientPort(x));
    }
}
