/*
 * SmgrRedo: redo of the Storage resource manager (PostgreSQL: catalog/storage.c smgr_redo;
 * rmgrdesc/smgrdesc.c).
 *
 * XLOG_SMGR_CREATE makes the relation's fork file again when it is missing (the records that
 * follow write into it); XLOG_SMGR_TRUNCATE cuts the main fork again, dropping its buffers past
 * the new end. The records are written by the access methods (SmgrRecords in the api).
 *
 * Entry points: redo(), describe().
 * See also: org.osgres.api.wal.SmgrRecords; SharedBufferPool.
 */
package org.osgres.buffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.SmgrRecords;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;

@Component(service = WalRedo.class)
public final class SmgrRedo implements WalRedo {
    private final BufferManager buffers;

    @Activate
    public SmgrRedo(@Reference BufferManager buffers) {
        this.buffers = buffers;
    }

    @Override
    public int rmgrId() {
        return WalRecord.RM_SMGR_ID;
    }

    @Override
    public String rmgrName() {
        return "Storage";
    }

    @Override
    public void redo(WalRecord record, long startLsn, long lsn) {
        RelFileLocator rel = SmgrRecords.relation(record);
        switch (record.rmgrInfo()) {
            case SmgrRecords.XLOG_SMGR_CREATE -> {
                ForkNumber fork = SmgrRecords.fork(record);
                if (!buffers.exists(rel, fork)) {
                    buffers.create(rel, fork);
                }
            }
            case SmgrRecords.XLOG_SMGR_TRUNCATE -> {
                long nblocks = SmgrRecords.truncateBlocks(record);
                if (buffers.exists(rel, ForkNumber.MAIN) && buffers.nblocks(rel, ForkNumber.MAIN) > nblocks) {
                    buffers.truncate(rel, ForkNumber.MAIN, nblocks);
                }
            }
            default -> throw new IllegalStateException("smgr_redo: unknown op code " + record.rmgrInfo());
        }
    }

    @Override
    public String describe(WalRecord record) {
        RelFileLocator rel = SmgrRecords.relation(record);
        return record.rmgrInfo() == SmgrRecords.XLOG_SMGR_CREATE ? "file create: " + rel
                : "truncate: " + rel + " to " + SmgrRecords.truncateBlocks(record) + " blocks";
    }
}
