package org.osgres.config.initdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.config.ConfigProcessor;
import org.osgres.config.SettingsState;
import org.osgres.config.guc.GucTable;

class DefaultConfigFilesTest {

    @Test
    void postgresqlConfIsValidAndSetsTheBasics(@TempDir Path dir) throws Exception {
        String conf = DefaultConfigFiles.postgresqlConf(5555);
        assertTrue(conf.contains("\nport = 5555"), conf);
        assertTrue(conf.contains("\n#work_mem = 4MB"));
        Files.writeString(dir.resolve("postgresql.conf"), conf);
        ConfigProcessor.Outcome o = ConfigProcessor.startup(GucTable.standard(), dir, Map.of());
        assertTrue(o.ok(), o.log().toString());
        SettingsState s = o.state();
        assertEquals("localhost", s.values().get("listen_addresses"));
        assertEquals("5555", s.values().get("port"));
        assertEquals("100", s.values().get("max_connections"));
        assertEquals("16384", s.values().get("shared_buffers"));
        assertEquals("/tmp", s.values().get("unix_socket_directories"));
        assertEquals("configuration file", s.sources().get("shared_buffers"));
        assertEquals("UTC", s.values().get("timezone"));
    }

    @Test
    void pgHbaConf() {
        String hba = DefaultConfigFiles.pgHbaConf("trust", "scram-sha-256");
        assertTrue(hba.contains("# CAUTION: Configuring the system for local \"trust\" authentication"));
        assertTrue(hba.contains("\nlocal   all             all                                     trust\n"), hba);
        assertTrue(hba.contains("\nhost    all             all             127.0.0.1/32            scram-sha-256\n"));
        assertTrue(!hba.contains("@"+"auth"));
        assertTrue(!DefaultConfigFiles.pgHbaConf("peer", "md5").contains("CAUTION"));
    }
}
