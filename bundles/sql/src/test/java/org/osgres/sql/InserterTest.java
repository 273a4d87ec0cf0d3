package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.catalog.TableInfo;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.xact.LockMode;
import org.osgres.sql.analyze.TableAnalyzer;
import org.osgres.sql.exec.EvalContext;
import org.osgres.sql.exec.ModifyTable;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.exec.Tables;

/** ModifyTable.Inserter, the row sink COPY FROM writes through: defaults, NOT NULL, unique keys, foreign keys. */
class InserterTest {
    @TempDir
    Path dir;

    private static PgException failure(StorageFixture storage, TestSession s, TableInfo t, Object[] row) {
        EvalContext ctx = new EvalContext(s, new Object[0], storage.engine.services());
        ModifyTable.Inserter ins = ModifyTable.Inserter.open(ctx, t);
        PgException e = assertThrows(PgException.class, () -> {
            ins.insert(row);
            ins.finish();
        });
        s.endStatement(false);
        return e;
    }

    @Test
    void insertsRowsWithTheChecksOfInsert() {
        StorageFixture storage = new StorageFixture(dir, 64, true);
        try {
            TestSession s = storage.session(11);
            storage.run(s, "CREATE TABLE parent (id int PRIMARY KEY)");
            storage.run(s, "INSERT INTO parent VALUES (1), (2)");
            storage.run(s, "CREATE TABLE child (id int PRIMARY KEY, pid int REFERENCES parent, note text DEFAULT 'dflt')");
            EvalContext ctx = new EvalContext(s, new Object[0], storage.engine.services());
            TableInfo t = storage.catalog.relations(5).openTable(s.transaction(), null, "child",
                    Tables.searchPath(s), LockMode.ROW_EXCLUSIVE, false);
            List<Nodes.Node> defaults = TableAnalyzer.columnDefaults(storage.engine.services(), s, t);
            ModifyTable.Inserter ins = ModifyTable.Inserter.open(ctx, t);
            ins.insert(new Object[] {10, 1, defaults.get(2).eval(ctx)});
            ins.insert(new Object[] {11, 2, null});
            assertEquals(2, ins.finish());
            s.endStatement(true);
            assertEquals(List.of("C id\t23", "C pid\t23", "C note\t25", "R 10\t1\tdflt", "R 11\t2\t\\N", "T SELECT 2"),
                    storage.run(s, "SELECT * FROM child ORDER BY id"));

            // each failure aborts its statement's transaction, as an error in COPY does
            assertEquals(SqlState.NOT_NULL_VIOLATION, failure(storage, s, t, new Object[] {null, 1, "x"}).sqlState());
            assertEquals(SqlState.UNIQUE_VIOLATION, failure(storage, s, t, new Object[] {10, 1, "x"}).sqlState());
            assertEquals(SqlState.FOREIGN_KEY_VIOLATION, failure(storage, s, t, new Object[] {12, 3, null}).sqlState());
            assertEquals(List.of("C count\t20", "R 2", "T SELECT 1"), storage.run(s, "SELECT count(*) FROM child"));
        } finally {
            storage.stop();
        }
    }
}
