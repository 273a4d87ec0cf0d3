package org.osgres.sql;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableSmokeTest {
    @TempDir
    Path dir;

    @Test
    void smoke() {
        StorageFixture storage = new StorageFixture(dir, 256, true);
        TestSession s = storage.session(1);
        for (String sql : new String[] {
            "CREATE TABLE t (id int NOT NULL, name varchar(10) NOT NULL, code char(4), amount numeric(8,2) DEFAULT 0, flag boolean DEFAULT true, ts timestamp)",
            "INSERT INTO t (id, name, code) VALUES (1, 'one', 'ab')",
            "INSERT INTO t (id, name) VALUES (3, 'three'), (4, 'four') RETURNING id, name, amount, flag",
            "INSERT INTO t VALUES (2, 'two', 'abcd', 12.345, false, '2024-01-02 03:04:05')",
            "SELECT * FROM t ORDER BY id",
            "INSERT INTO t (id, name) VALUES (5, NULL)",
            "UPDATE t SET amount = amount + 1 WHERE id <= 2",
            "SELECT id, amount, ctid FROM t ORDER BY id",
            "BEGIN", "DELETE FROM t WHERE id = 4 RETURNING *", "SELECT count(*) FROM t", "ROLLBACK",
            "SELECT count(*), sum(amount) FROM t",
            "insert into t(id,name) select g, 'x' from generate_series(10, 20) as g",
            "SELECT count(*), sum(id) FROM t",
            "SELECT id FROM t WHERE id = 2 FOR UPDATE",
            "TRUNCATE t", "SELECT count(*) FROM t",
            "VACUUM t", "DROP TABLE t", "SELECT relname FROM pg_class WHERE relname = 'pg_class'",
        }) {
            System.out.println(sql + "\n  " + storage.run(s, sql));
        }
        storage.stop();
    }
}
