package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.wal.ControlFileData;
import org.osgres.api.wal.ControlFileData.CheckPoint;
import org.osgres.api.wal.ControlFileData.DbState;

/** global/pg_control: round trip, CRC, and what initdb's bootstrap writes. */
class ControlFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() throws Exception {
        Files.createDirectories(dir.resolve("global"));
        CheckPoint cp = new CheckPoint(0x16B3F48L, 1, 1, true, 735, 24576, 716, 1_764_000_000L);
        ControlFileData data = new ControlFileData(7_300_000_000_000_000_123L, ControlFileData.PG_CONTROL_VERSION,
                ControlFileData.CATALOG_VERSION_NO, DbState.DB_IN_PRODUCTION, 1_764_000_001L, 0x16B3F80L, cp);
        ControlFile.write(dir, data);
        assertEquals(ControlFile.FILE_SIZE, Files.size(dir.resolve("global/pg_control")));
        assertEquals(data, ControlFile.read(dir));
        for (DbState s : DbState.values()) {
            ControlFile.write(dir, data.with(s, 5));
            assertEquals(s, ControlFile.read(dir).state());
        }
    }

    @Test
    void aFlippedBitIsDetected() throws Exception {
        WalBootstrap.bootstrap(dir);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("global/pg_control").toFile(), "rw")) {
            f.seek(33); // inside checkPoint
            int b = f.read();
            f.seek(33);
            f.write(b ^ 0x01);
        }
        var e = assertThrows(ControlFile.BadControlFileException.class, () -> ControlFile.read(dir));
        assertEquals("incorrect checksum in control file", e.getMessage());
    }

    @Test
    void missingFile() {
        assertThrows(NoSuchFileException.class, () -> ControlFile.read(dir));
    }

    @Test
    void bootstrapWritesTheFirstSegmentAndAShutdownCheckpoint() throws Exception {
        ControlFileData data = WalBootstrap.bootstrap(dir);
        assertEquals(DbState.DB_SHUTDOWNED, data.state());
        assertEquals(0x1000028L, data.checkPoint(), "0/1000028, as PostgreSQL's initdb");
        assertEquals(data.checkPoint(), data.checkPointCopy().redo());
        Path seg = dir.resolve("pg_wal/000000010000000000000001");
        assertEquals(16L * 1024 * 1024, Files.size(seg));
        assertTrue(Files.isDirectory(dir.resolve("pg_wal/archive_status")));
        try (XLogReader reader = new XLogReader(new WalSegments(dir, 1), 1)) {
            reader.begin(data.checkPoint(), 0);
            var r = reader.next();
            assertEquals(org.osgres.api.wal.WalRecord.XLOG_CHECKPOINT_SHUTDOWN, r.record().rmgrInfo());
            assertEquals(data.checkPointCopy(), ControlFile.checkPointOf(r.record().mainData()));
            assertEquals(null, reader.next());
        }
    }
}
