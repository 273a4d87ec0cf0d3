package org.osgres.sql.analyze;

import java.util.List;

import org.osgres.sql.exec.Nodes;
import org.osgres.sql.types.PgType;

/**
 * One pg_proc (or pg_operator) entry: name, argument types, result type and body. A
 * variadic-"any" function (concat) takes any number of arguments of any type after its fixed ones.
 */
public record FunctionDef(String name, List<PgType> argTypes, PgType resultType, boolean strict,
        boolean variadicAny, Nodes.Impl impl) {

    public int nargs() {
        return argTypes.size();
    }
}
