package org.osgres.sql.parser;

import java.util.Set;

/*
 * Keywords: which words the grammar reserves (PostgreSQL: include/parser/kwlist.h, the
 * RESERVED_KEYWORD and COL_NAME_KEYWORD categories, and BARE_LABEL).
 *
 * Entry points: isReserved() -- cannot be a column reference; isBareLabel() -- may follow an
 * expression as an alias without AS.
 */
final class Keywords {
    /** RESERVED_KEYWORD in kwlist.h. */
    static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "asymmetric", "both", "case", "cast", "check", "collate", "column", "constraint", "create",
            "current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
            "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
            "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
            "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only",
            "or", "order", "placing", "primary", "references", "returning", "select", "session_user", "some",
            "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using",
            "variadic", "when", "where", "window", "with");

    /** Keywords that may not be a bare column label (AS_LABEL in kwlist.h), plus the reserved ones that clauses start with. */
    static final Set<String> NOT_BARE = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "both", "case", "cast", "check", "collate", "column", "constraint", "create", "default", "desc",
            "distinct", "do", "else", "end", "except", "fetch", "for", "foreign", "from", "grant", "group", "having",
            "in", "into", "intersect", "is", "isnull", "notnull", "like", "ilike", "similar", "between", "limit",
            "not", "offset", "on", "or", "order", "returning", "select", "then", "to", "union", "using", "when",
            "where", "window", "with", "over", "filter", "within", "escape", "year", "month", "day",
            "hour", "minute", "second", "varying", "without", "at");

    private Keywords() {
    }

    static boolean isReserved(String word) {
        return RESERVED.contains(word);
    }

    static boolean isBareLabel(String word) {
        return !NOT_BARE.contains(word);
    }
}
