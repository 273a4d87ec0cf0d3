package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgres.sql.exec.Nodes;
import org.osgres.sql.types.PgType;

/*
 * Catalog: the built-in functions and operators by name (PostgreSQL: pg_proc and pg_operator,
 * as catalog/namespace.c FuncnameGetCandidates / OpernameGetCandidates list them). A registry,
 * not a switch: OperatorCatalog and FunctionCatalog fill it once, then it is read-only.
 *
 * Entry points: operators(name), functions(name), get().
 * See also: Resolver -- picks one candidate; Casts -- pg_cast.
 */
public final class Catalog {
    private static final Catalog INSTANCE = new Catalog();

    private final Map<String, List<FunctionDef>> operators = new HashMap<>();
    private final Map<String, List<FunctionDef>> functions = new HashMap<>();

    private Catalog() {
        OperatorCatalog.register(this);
        FunctionCatalog.register(this);
    }

    public static Catalog get() {
        return INSTANCE;
    }

    void op(String name, PgType left, PgType right, PgType result, Nodes.Impl impl) {
        List<PgType> args = left == null ? List.of(right) : List.of(left, right);
        operators.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new FunctionDef(name, args, result, true, false, impl));
    }

    void fn(String name, List<PgType> args, PgType result, Nodes.Impl impl) {
        functions.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new FunctionDef(name, args, result, true, false, impl));
    }

    void fnNonStrict(String name, List<PgType> args, PgType result, Nodes.Impl impl) {
        functions.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new FunctionDef(name, args, result, false, false, impl));
    }

    void fnVariadicAny(String name, List<PgType> fixedArgs, PgType result, Nodes.Impl impl) {
        functions.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new FunctionDef(name, fixedArgs, result, false, true, impl));
    }

    /** Operators of that name: binary ones have two argument types, prefix ones one. */
    public List<FunctionDef> operators(String name) {
        return operators.getOrDefault(name, List.of());
    }

    public List<FunctionDef> functions(String name) {
        return functions.getOrDefault(name, List.of());
    }
}
