/*
 * OidGenerator: new object ids (PostgreSQL: access/transam/varsup.c GetNewObjectId, with
 * catalog.c GetNewRelFileNumber's use of it).
 *
 * Oids count up from FirstNormalObjectId (16384), wrapping back to it, as PostgreSQL's
 * nextOid. Until WAL and pg_control carry nextOid, a high-water mark in global/osgres_oid does
 * (as VarSup's global/osgres_xid for xids): before an oid at or past the mark is handed out,
 * the mark moves OID_PREFETCH further and the file is written and fsynced; a start continues
 * at the mark, so oids never repeat after a crash. The file is written last by bootstrap: a
 * data directory without it has no complete catalogs.
 *
 * Entry points: getNewObjectId(), exists(), create().
 * See also: Bootstrap; SystemCatalogImpl.
 */
package org.osgres.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

final class OidGenerator {
    /** VAR_OID_PREFETCH. */
    static final int OID_PREFETCH = 8192;
    static final String FILE = "global/osgres_oid";

    private final Path file;
    private int nextOid;
    private int oidLimit;

    private OidGenerator(Path dataDirectory, int nextOid) {
        this.file = dataDirectory.resolve(FILE);
        this.nextOid = nextOid;
        this.oidLimit = nextOid;
    }

    /** Whether bootstrap finished in that data directory. */
    static boolean exists(Path dataDirectory) {
        return Files.exists(dataDirectory.resolve(FILE));
    }

    /** After bootstrap: the counter starts at FirstNormalObjectId. */
    static OidGenerator create(Path dataDirectory) {
        OidGenerator g = new OidGenerator(dataDirectory, CatalogTables.FIRST_NORMAL_OBJECT_ID);
        g.write(g.nextOid);
        return g;
    }

    /** At a start: continues at the persisted mark. */
    static OidGenerator open(Path dataDirectory) {
        Path f = dataDirectory.resolve(FILE);
        try {
            int mark = Integer.parseUnsignedInt(Files.readString(f, StandardCharsets.US_ASCII).trim());
            return new OidGenerator(dataDirectory, mark);
        } catch (IOException | NumberFormatException e) {
            throw new PgException(SqlState.IO_ERROR, "could not read file \"" + FILE + "\": " + e.getMessage(), e);
        }
    }

    /** GetNewObjectId. */
    synchronized int getNewObjectId() {
        if (Integer.compareUnsigned(nextOid, CatalogTables.FIRST_NORMAL_OBJECT_ID) < 0) {
            nextOid = CatalogTables.FIRST_NORMAL_OBJECT_ID; // wraparound
            oidLimit = nextOid;
        }
        if (nextOid == oidLimit) {
            oidLimit = nextOid + OID_PREFETCH;
            write(oidLimit);
        }
        return nextOid++;
    }

    /** Clean shutdown: the mark becomes exactly the next oid. */
    synchronized void shutdown() {
        oidLimit = nextOid;
        write(nextOid);
    }

    private void write(int mark) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap((Integer.toUnsignedString(mark) + "\n").getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not write file \"" + FILE + "\": " + e.getMessage(), e);
        }
    }
}
