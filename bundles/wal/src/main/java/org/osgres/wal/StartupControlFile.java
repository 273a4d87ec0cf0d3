/*
 * StartupControlFile: pg_control as the server starts (PostgreSQL: ReadControlFile at the start
 * of StartupXLOG). A data directory with neither pg_control nor WAL -- one a test made by hand,
 * without initdb -- is bootstrapped as initdb would (WalBootstrap); pg_control missing beside
 * WAL is a PANIC, a damaged one FATAL.
 *
 * Entry points: readOrBootstrap().
 * See also: ControlFile -- the file's format; Xlog -- its caller.
 */
package org.osgres.wal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.wal.ControlFileData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class StartupControlFile {
    private static final Logger LOG = LoggerFactory.getLogger(StartupControlFile.class);

    private StartupControlFile() {
    }

    /** pg_control as the server starts with it. */
    static ControlFileData readOrBootstrap(Path dataDirectory, WalSegments segments) {
        try {
            return ControlFile.read(dataDirectory);
        } catch (NoSuchFileException e) {
            try {
                if (segments.anySegment()) {
                    throw new PgException(SqlState.IO_ERROR, "could not open file \"" + ControlFile.PATH
                            + "\": No such file or directory").withSeverity(Severity.PANIC);
                }
                // a data directory made without osgres initdb (tests): bootstrap it as initdb would
                LOG.info("no {} and no WAL: creating them as initdb does", ControlFile.PATH);
                return WalBootstrap.bootstrap(dataDirectory);
            } catch (IOException io) {
                throw new PgException(SqlState.IO_ERROR, "could not create the WAL: " + io.getMessage(), io)
                        .withSeverity(Severity.PANIC);
            }
        } catch (ControlFile.BadControlFileException e) {
            throw new PgException(SqlState.DATA_CORRUPTED, e.getMessage()).withSeverity(Severity.FATAL);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not open file \"" + ControlFile.PATH + "\": "
                    + e.getMessage(), e).withSeverity(Severity.PANIC);
        }
    }
}
