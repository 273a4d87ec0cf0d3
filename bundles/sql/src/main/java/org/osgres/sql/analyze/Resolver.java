package org.osgres.sql.analyze;

import java.util.ArrayList;
import java.util.List;

import org.osgres.sql.types.PgType;

/*
 * Resolver: picks one function or operator among same-named candidates for the argument types
 * at hand (PostgreSQL: parser/parse_func.c func_get_detail, func_match_argtypes and
 * func_select_candidate; parse_oper.c oper_select_candidate and binary_oper_exact).
 *
 * Order: an exact match (for an operator with one unknown input, the unknown is assumed to
 * be the other input's type); else the candidates every argument coerces to implicitly; if
 * several, func_select_candidate's rounds: most exact matches, most preferred types, resolve
 * unknown inputs by type category (string category wins), then the "all known inputs are one
 * type" last gasp. Pseudo-type "any" accepts any input.
 *
 * Entry points: resolve().
 */
final class Resolver {
    enum Outcome { FOUND, NOT_FOUND, AMBIGUOUS }

    record Result(Outcome outcome, FunctionDef def) {
    }

    private Resolver() {
    }

    private static PgType argType(FunctionDef f, int i) {
        return i < f.nargs() ? f.argTypes().get(i) : PgType.ANY;
    }

    static Result resolve(List<FunctionDef> all, List<PgType> inputs, boolean operator) {
        int nargs = inputs.size();
        List<FunctionDef> cands = new ArrayList<>();
        for (FunctionDef f : all) {
            if ((!f.variadicAny() && f.nargs() == nargs) || (f.variadicAny() && nargs > f.nargs())) {
                cands.add(f);
            }
        }
        if (cands.isEmpty()) {
            return new Result(Outcome.NOT_FOUND, null);
        }
        // exact match
        List<PgType> exactInputs = new ArrayList<>(inputs);
        if (operator && nargs == 2) {
            if (inputs.get(0) == PgType.UNKNOWN && inputs.get(1) != PgType.UNKNOWN) {
                exactInputs.set(0, inputs.get(1));
            } else if (inputs.get(1) == PgType.UNKNOWN && inputs.get(0) != PgType.UNKNOWN) {
                exactInputs.set(1, inputs.get(0));
            }
        }
        for (FunctionDef f : cands) {
            if (!f.variadicAny() && f.argTypes().equals(exactInputs)) {
                return new Result(Outcome.FOUND, f);
            }
        }
        List<FunctionDef> matching = new ArrayList<>();
        for (FunctionDef f : cands) {
            boolean ok = true;
            for (int i = 0; i < nargs && ok; i++) {
                ok = Casts.canCoerceImplicit(inputs.get(i), argType(f, i));
            }
            if (ok) {
                matching.add(f);
            }
        }
        if (matching.isEmpty()) {
            return new Result(Outcome.NOT_FOUND, null);
        }
        if (matching.size() == 1) {
            return new Result(Outcome.FOUND, matching.get(0));
        }
        FunctionDef best = selectCandidate(inputs, matching);
        return best == null ? new Result(Outcome.AMBIGUOUS, null) : new Result(Outcome.FOUND, best);
    }

    /** func_select_candidate(). */
    private static FunctionDef selectCandidate(List<PgType> inputs, List<FunctionDef> cands) {
        int nargs = inputs.size();
        int nunknowns = 0;
        for (PgType t : inputs) {
            if (t == PgType.UNKNOWN) {
                nunknowns++;
            }
        }
        // round 1: most exact matches
        List<FunctionDef> keep = new ArrayList<>();
        int best = 0;
        for (FunctionDef f : cands) {
            int n = 0;
            for (int i = 0; i < nargs; i++) {
                if (inputs.get(i) != PgType.UNKNOWN && argType(f, i) == inputs.get(i)) {
                    n++;
                }
            }
            if (n > best) {
                keep.clear();
                best = n;
            }
            if (n == best) {
                keep.add(f);
            }
        }
        if (keep.size() == 1) {
            return keep.get(0);
        }
        cands = keep;
        // round 2: exact or preferred at the positions needing coercion
        keep = new ArrayList<>();
        best = 0;
        for (FunctionDef f : cands) {
            int n = 0;
            for (int i = 0; i < nargs; i++) {
                PgType in = inputs.get(i);
                PgType t = argType(f, i);
                if (in != PgType.UNKNOWN && (t == in || (t.preferred() && t.category() == in.category()))) {
                    n++;
                }
            }
            if (n > best) {
                keep.clear();
                best = n;
            }
            if (n == best) {
                keep.add(f);
            }
        }
        if (keep.size() == 1) {
            return keep.get(0);
        }
        cands = keep;
        if (nunknowns == 0) {
            return null;
        }
        // round 3: resolve unknown inputs by category
        char[] slotCategory = new char[nargs];
        boolean[] slotPreferred = new boolean[nargs];
        boolean resolved = false;
        boolean failed = false;
        for (int i = 0; i < nargs && !failed; i++) {
            if (inputs.get(i) != PgType.UNKNOWN) {
                continue;
            }
            resolved = true;
            slotCategory[i] = 0;
            boolean conflict = false;
            for (FunctionDef f : cands) {
                PgType t = argType(f, i);
                if (slotCategory[i] == 0) {
                    slotCategory[i] = t.category();
                    slotPreferred[i] = t.preferred();
                } else if (t.category() == slotCategory[i]) {
                    slotPreferred[i] |= t.preferred();
                } else if (t.category() == PgType.CATEGORY_STRING) {
                    slotCategory[i] = t.category();
                    slotPreferred[i] = t.preferred();
                } else {
                    conflict = true;
                }
            }
            if (conflict && slotCategory[i] != PgType.CATEGORY_STRING) {
                resolved = false;
                failed = true;
            }
        }
        if (resolved && !failed) {
            keep = new ArrayList<>();
            for (FunctionDef f : cands) {
                boolean ok = true;
                for (int i = 0; i < nargs && ok; i++) {
                    if (inputs.get(i) != PgType.UNKNOWN) {
                        continue;
                    }
                    PgType t = argType(f, i);
                    ok = t.category() == slotCategory[i] && (!slotPreferred[i] || t.preferred());
                }
                if (ok) {
                    keep.add(f);
                }
            }
            if (keep.size() == 1) {
                return keep.get(0);
            }
            if (!keep.isEmpty()) {
                cands = keep;
            }
        }
        // last gasp: all known inputs of one type; assume the unknowns are that type too
        if (nunknowns < nargs) {
            PgType known = null;
            for (PgType t : inputs) {
                if (t == PgType.UNKNOWN) {
                    continue;
                }
                if (known == null) {
                    known = t;
                } else if (known != t) {
                    known = null;
                    break;
                }
            }
            if (known != null) {
                FunctionDef only = null;
                int count = 0;
                for (FunctionDef f : cands) {
                    boolean ok = true;
                    for (int i = 0; i < nargs && ok; i++) {
                        ok = Casts.canCoerceImplicit(known, argType(f, i));
                    }
                    if (ok) {
                        count++;
                        only = f;
                    }
                }
                if (count == 1) {
                    return only;
                }
            }
        }
        return null;
    }
}
