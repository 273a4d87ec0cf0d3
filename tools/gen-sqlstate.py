#!/usr/bin/env python3
"""Generate org.osgres.api.error.SqlState from PostgreSQL's errcodes.txt.

Usage: tools/gen-sqlstate.py [/usr/share/postgresql/15/errcodes.txt]
Writes bundles/api/src/main/java/org/osgres/api/error/SqlState.java.
"""
import os
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/postgresql/15/errcodes.txt"
out = os.path.join(os.path.dirname(__file__), "..", "bundles", "api", "src", "main", "java",
                   "org", "osgres", "api", "error", "SqlState.java")

entries = []
seen = set()
section = None
for line in open(src, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("Section:"):
        section = line[len("Section:"):].strip()
        continue
    m = re.match(r"^([0-9A-Z]{5})\s+([EWS])\s+(ERRCODE_\w+)(?:\s+(\w+))?", line)
    if not m:
        continue
    code, kind, macro, name = m.groups()
    const = macro[len("ERRCODE_"):]
    if const in seen:
        continue
    seen.add(const)
    entries.append((const, code, kind, name or ""))

lines = []
lines.append("package org.osgres.api.error;")
lines.append("")
lines.append("/**")
lines.append(" * Every SQLSTATE PostgreSQL 15 defines, generated from its errcodes.txt by")
lines.append(" * tools/gen-sqlstate.py. Do not edit by hand; rerun the script.")
lines.append(" *")
lines.append(" * <p>The constant is PostgreSQL's ERRCODE_ macro without its prefix; {@link #conditionName()}")
lines.append(" * is the PL/pgSQL condition name where PostgreSQL has one.")
lines.append(" */")
lines.append("public enum SqlState {")
body = []
for const, code, kind, name in entries:
    body.append(f'    {const}("{code}", \'{kind}\', "{name}")')
lines.append(",\n".join(body) + ";")
lines.append("""
    private final String code;
    private final char kind;
    private final String conditionName;

    SqlState(String code, char kind, String conditionName) {
        this.code = code;
        this.kind = kind;
        this.conditionName = conditionName;
    }

    /** The five-character SQLSTATE, as sent in the C field of ErrorResponse. */
    public String code() {
        return code;
    }

    /** 'E' for errors, 'W' for warnings, 'S' for success, as errcodes.txt marks them. */
    public char kind() {
        return kind;
    }

    /** The PL/pgSQL condition name, or "" where errcodes.txt gives none. */
    public String conditionName() {
        return conditionName;
    }

    /** The constant for a five-character code, or null if PostgreSQL 15 defines none. */
    public static SqlState fromCode(String code) {
        for (SqlState s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        return null;
    }
}""")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print(f"wrote {len(entries)} SQLSTATEs to {os.path.normpath(out)}")
