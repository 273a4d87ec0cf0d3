package org.osgres.e2e;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Waits until a freshly started server reads its system catalogs: the catalog bundle bootstraps
 * a new data directory on activation, and sessions that arrive before it is there find no
 * tables (0A000 "no system catalog service is installed").
 */
final class CatalogReady {
    private CatalogReady() {
    }

    static void await(OsgresServer server) throws Exception {
        SQLException[] last = new SQLException[1];
        boolean ready = Wait.until(Duration.ofSeconds(60), () -> {
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM pg_class").close();
                return true;
            } catch (SQLException e) {
                last[0] = e;
                return false;
            }
        });
        if (!ready) {
            throw new AssertionError("the catalog never became readable", last[0]);
        }
    }
}
