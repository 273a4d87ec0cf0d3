/*
 * RedoBufferManager: pages for redo routines (PostgreSQL: XLogReadBufferForRedo,
 * XLogInitBufferForRedo and XLogReadBufferExtended in access/transam/xlogutils.c).
 *
 * A block reference with a full-page image is restored whole and stamped with the record's LSN
 * (RESTORED). Without an image, a page whose LSN is at or past the record's already has the
 * change (DONE), else the redo routine applies it (NEEDS_REDO). A block past the end of its
 * relation, or of a relation that no longer exists, is NOT_FOUND: a later record dropped or
 * truncated it. Pages are read with ReadMode.ZERO where the whole page is about to be written
 * (images, init), so a block past the end of the file needs no read.
 *
 * Entry points: readBufferForRedo(), initBufferForRedo(), finish(), release().
 * See also: StartupXLog -- calls the redo routines; org.osgres.api.wal.RedoBuffers -- the contract.
 */
package org.osgres.wal;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.ReadMode;
import org.osgres.api.wal.RedoBuffers;
import org.osgres.api.wal.WalRecord;

@Component(service = RedoBuffers.class)
public final class RedoBufferManager implements RedoBuffers {
    private final BufferManager buffers;

    @Activate
    public RedoBufferManager(@Reference BufferManager buffers) {
        this.buffers = buffers;
    }

    private static WalRecord.BlockReference block(WalRecord record, int blockId) {
        WalRecord.BlockReference b = record.block(blockId);
        if (b == null) {
            throw new IllegalArgumentException("failed to locate backup block with ID " + blockId + " in WAL record");
        }
        return b;
    }

    @Override
    public Result readBufferForRedo(WalRecord record, int blockId, long lsn) {
        WalRecord.BlockReference b = block(record, blockId);
        if (b.hasImage()) {
            int buffer = zeroedAndLocked(b);
            ByteBuffer page = buffers.page(buffer);
            page.put(0, b.image());
            Page.setLsn(page, lsn);
            buffers.markDirty(buffer);
            return new Result(Action.RESTORED, buffer, page);
        }
        if (b.willInit()) {
            throw new IllegalArgumentException("block with WILL_INIT flag in WAL record must be zeroed by redo routine");
        }
        if (!buffers.exists(b.rel(), b.fork()) || b.blockNumber() >= buffers.nblocks(b.rel(), b.fork())) {
            return new Result(Action.NOT_FOUND, 0, null);
        }
        int buffer = buffers.pin(b.rel(), b.fork(), b.blockNumber());
        buffers.lockExclusive(buffer);
        ByteBuffer page = buffers.page(buffer);
        if (Page.lsn(page) >= lsn) {
            return new Result(Action.DONE, buffer, page);
        }
        return new Result(Action.NEEDS_REDO, buffer, page);
    }

    @Override
    public Result initBufferForRedo(WalRecord record, int blockId) {
        WalRecord.BlockReference b = block(record, blockId);
        int buffer = zeroedAndLocked(b);
        return new Result(Action.NEEDS_REDO, buffer, buffers.page(buffer));
    }

    /** The block pinned, exclusively locked and zeroed, the fork made and extended up to it as needed. */
    private int zeroedAndLocked(WalRecord.BlockReference b) {
        if (!buffers.exists(b.rel(), b.fork())) {
            buffers.create(b.rel(), b.fork());
        }
        int buffer = buffers.pin(b.rel(), b.fork(), b.blockNumber(), ReadMode.ZERO);
        buffers.lockExclusive(buffer);
        ByteBuffer page = buffers.page(buffer);
        for (int i = 0; i < Page.SIZE; i += 8) {
            page.putLong(i, 0L);
        }
        return buffer;
    }

    @Override
    public void finish(Result result, long lsn) {
        if (result.buffer() == 0) {
            return;
        }
        Page.setLsn(result.page(), lsn);
        buffers.markDirty(result.buffer());
        release(result);
    }

    @Override
    public void release(Result result) {
        if (result.buffer() == 0) {
            return;
        }
        buffers.unlock(result.buffer());
        buffers.unpin(result.buffer());
    }
}
