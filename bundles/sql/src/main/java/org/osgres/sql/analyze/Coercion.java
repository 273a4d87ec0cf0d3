package org.osgres.sql.analyze;

import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Nodes.Node;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * Coercion: converting a typed expression to another type (PostgreSQL: parser/parse_coerce.c
 * coerce_type, coerce_type_typmod, select_common_type).
 *
 * An unknown literal is converted at analysis time through the target's input function, so
 * its errors point at the literal; an unknown parameter takes the target type (PostgreSQL's
 * variable parameter hook); everything else goes through a pg_cast entry or, where allowed,
 * through the output or input function.
 *
 * Entry points: coerce(), selectCommonType().
 */
public final class Coercion {
    enum Context { IMPLICIT, ASSIGNMENT, EXPLICIT }

    private final Analyzer an;

    Coercion(Analyzer an) {
        this.an = an;
    }

    /** The coerced node, or null when no coercion path exists. */
    Node coerce(Node node, PgType target, int typmod, Context ctx, int location) {
        if (target == PgType.ANY) {
            return node;
        }
        if (node.type() == target && (typmod < 0 || node.typmod() == typmod)) {
            return node;
        }
        if (node instanceof Nodes.Const c && c.type() == PgType.UNKNOWN) {
            Object v = null;
            if (c.value() != null) {
                try {
                    v = TypeIO.input(target, typmod, (String) c.value());
                } catch (PgException e) {
                    throw an.at(e, location);
                }
            }
            return new Nodes.Const(target, typmod, v);
        }
        if (node instanceof Nodes.Param p && p.slot().type == null) {
            p.slot().type = target;
            return typmod < 0 ? p : lengthCoercion(p, target, typmod, ctx);
        }
        if (node.type() == target) {
            return lengthCoercion(node, target, typmod, ctx);
        }
        Casts.Cast cast = Casts.find(node.type(), target);
        boolean allowed = cast != null && switch (ctx) {
            case IMPLICIT -> cast.context() == 'i';
            case ASSIGNMENT -> cast.context() != 'e';
            case EXPLICIT -> true;
        };
        Node converted;
        if (allowed) {
            converted = new Nodes.Cast(node, target, -1, cast.fn());
        } else if (ctx != Context.IMPLICIT && target.isStringCategory()) {
            PgType from = node.type();
            converted = new Nodes.Cast(node, target, -1, (v, x) -> TypeIO.output(from, v, x.zone()));
        } else if (ctx == Context.EXPLICIT && node.type().isStringCategory()) {
            converted = new Nodes.Cast(node, target, -1, (v, x) -> TypeIO.input(target, -1, (String) v));
        } else {
            return null;
        }
        return typmod < 0 ? converted : lengthCoercion(converted, target, typmod, ctx);
    }

    private static Node lengthCoercion(Node node, PgType target, int typmod, Context ctx) {
        boolean explicit = ctx == Context.EXPLICIT;
        return new Nodes.Cast(node, target, typmod, (v, x) -> TypeIO.applyTypmod(target, typmod, v, explicit));
    }

    /** coerce_to_boolean(): "argument of WHERE must be type boolean, not type integer". */
    Node toBoolean(Node node, String construct, int location) {
        Node n = coerce(node, PgType.BOOL, -1, Context.ASSIGNMENT, location);
        if (n == null) {
            throw an.at(new PgException(SqlState.DATATYPE_MISMATCH, "argument of " + construct
                    + " must be type boolean, not type " + node.type().displayName()), location);
        }
        return n;
    }

    /** select_common_type(); unknown-only inputs resolve to text. */
    public PgType selectCommonType(List<Node> nodes, List<Integer> locations, String context) {
        PgType ptype = nodes.get(0).type();
        boolean allSame = true;
        for (Node n : nodes) {
            allSame &= n.type() == ptype;
        }
        if (allSame && ptype != PgType.UNKNOWN) {
            return ptype;
        }
        for (int i = 1; i < nodes.size(); i++) {
            PgType ntype = nodes.get(i).type();
            if (ntype == PgType.UNKNOWN || ntype == ptype) {
                continue;
            }
            if (ptype == PgType.UNKNOWN) {
                ptype = ntype;
            } else if (ntype.category() != ptype.category()) {
                throw an.at(new PgException(SqlState.DATATYPE_MISMATCH, context + " types "
                        + ptype.displayName() + " and " + ntype.displayName() + " cannot be matched"),
                        locations.get(i));
            } else if (!ptype.preferred() && Casts.canCoerceImplicit(ptype, ntype)
                    && !Casts.canCoerceImplicit(ntype, ptype)) {
                ptype = ntype;
            }
        }
        return ptype == PgType.UNKNOWN ? PgType.TEXT : ptype;
    }

    /** Coerces to the common type, as coerce_to_common_type() does. */
    public Node toCommon(Node node, PgType type, String context, int location) {
        Node n = coerce(node, type, -1, Context.IMPLICIT, location);
        if (n == null) {
            throw an.at(new PgException(SqlState.CANNOT_COERCE, context + " could not convert type "
                    + node.type().displayName() + " to " + type.displayName()), location);
        }
        return n;
    }
}
