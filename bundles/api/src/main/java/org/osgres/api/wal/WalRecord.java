package org.osgres.api.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;

/**
 * One WAL record as its resource manager sees it (PostgreSQL: the XLogBeginInsert /
 * XLogRegisterBuffer / XLogRegisterData calls, and the DecodedXLogRecord a redo routine reads):
 * the resource manager, its info bits, the inserting transaction, the main data and up to 33
 * block references (ids 0..32, XLR_MAX_BLOCK_ID).
 *
 * <p>The info byte's high four bits are the resource manager's own (XLR_RMGR_INFO_MASK); the low
 * four are reserved to the WAL (XLR_INFO_MASK). The on-disk form is PostgreSQL's XLogRecord; see
 * the wal bundle's XLogRecordFormat.
 */
public final class WalRecord {
    /** Resource manager ids (PostgreSQL: access/rmgrlist.h). */
    public static final byte RM_XLOG_ID = 0;
    public static final byte RM_XACT_ID = 1;
    public static final byte RM_SMGR_ID = 2;
    public static final byte RM_CLOG_ID = 3;
    public static final byte RM_DBASE_ID = 4;
    public static final byte RM_TBLSPC_ID = 5;
    public static final byte RM_MULTIXACT_ID = 6;
    public static final byte RM_RELMAP_ID = 7;
    public static final byte RM_STANDBY_ID = 8;
    public static final byte RM_HEAP2_ID = 9;
    public static final byte RM_HEAP_ID = 10;
    public static final byte RM_BTREE_ID = 11;
    /** RM_MAX_BUILTIN_ID in PostgreSQL 15 (RM_LOGICALMSG_ID). */
    public static final int RM_MAX_BUILTIN_ID = 21;

    /** The XLOG resource manager's record kinds (PostgreSQL: catalog/pg_control.h). */
    public static final byte XLOG_CHECKPOINT_SHUTDOWN = 0x00;
    public static final byte XLOG_CHECKPOINT_ONLINE = 0x10;
    public static final byte XLOG_NOOP = 0x20;
    public static final byte XLOG_NEXTOID = 0x30;
    public static final byte XLOG_SWITCH = 0x40;
    public static final byte XLOG_END_OF_RECOVERY = (byte) 0x90;
    public static final byte XLOG_FPI = (byte) 0xB0;

    /** XLR_RMGR_INFO_MASK: the resource manager's bits of the info byte. */
    public static final int XLR_RMGR_INFO_MASK = 0xF0;
    /** XLR_MAX_BLOCK_ID. */
    public static final int XLR_MAX_BLOCK_ID = 32;

    private final byte rmgrId;
    private final byte info;
    private final int xid;
    private final byte[] mainData;
    private final List<BlockReference> blocks;

    private WalRecord(byte rmgrId, byte info, int xid, byte[] mainData, List<BlockReference> blocks) {
        this.rmgrId = rmgrId;
        this.info = info;
        this.xid = xid;
        this.mainData = mainData;
        this.blocks = List.copyOf(blocks);
    }

    /** A record of this resource manager with these info bits; xid 0 (InvalidTransactionId) unless set. */
    public static Builder builder(byte rmgrId, int info) {
        return new Builder(rmgrId, (byte) info);
    }

    /** Made by the reader: a decoded record as it was in the WAL. */
    public static WalRecord decoded(byte rmgrId, byte info, int xid, byte[] mainData, List<BlockReference> blocks) {
        return new WalRecord(rmgrId, info, xid, mainData, blocks);
    }

    /** xl_rmid. */
    public byte rmgrId() {
        return rmgrId;
    }

    /** xl_info, all eight bits. */
    public byte info() {
        return info;
    }

    /** xl_info's resource-manager bits (XLogRecGetInfo(record) & ~XLR_INFO_MASK). */
    public int rmgrInfo() {
        return info & XLR_RMGR_INFO_MASK;
    }

    /** xl_xid: the inserting transaction, 0 when none. */
    public int xid() {
        return xid;
    }

    /** The main data (XLogRegisterData); empty when none. */
    public byte[] mainData() {
        return mainData;
    }

    /** The block references in id order. */
    public List<BlockReference> blocks() {
        return blocks;
    }

    /** The block reference with this id (XLogRecGetBlockTag), or null. */
    public BlockReference block(int id) {
        for (BlockReference b : blocks) {
            if (b.id() == id) {
                return b;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalRecord r && r.rmgrId == rmgrId && r.info == info && r.xid == xid
                && Arrays.equals(r.mainData, mainData) && r.blocks.equals(blocks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rmgrId, info, xid, Arrays.hashCode(mainData), blocks);
    }

    @Override
    public String toString() {
        return "WalRecord[rmgr " + rmgrId + ", info 0x" + Integer.toHexString(info & 0xff) + ", xid "
                + Integer.toUnsignedString(xid) + ", " + mainData.length + " bytes, blocks " + blocks + "]";
    }

    /**
     * One block the record touches (PostgreSQL: XLogRegisterBuffer / XLogRegisterBufData, and
     * DecodedBkpBlock on the redo side).
     *
     * @param id          the block id, 0..32, as the resource manager numbers them
     * @param image       the full-page image, 8192 bytes, or null: the page as it was right after
     *                    the change (redo restores it instead of applying the record)
     * @param data        the per-block data (XLogRegisterBufData), or null
     * @param willInit    the redo routine rebuilds the page from scratch (REGBUF_WILL_INIT): never
     *                    an image, and redo need not read the old page
     * @param page        insert side only: the live page offered for an image, taken when
     *                    {@link WalInsert#needsFullPageImage} says so; null on the redo side
     */
    public record BlockReference(int id, RelFileLocator rel, ForkNumber fork, long blockNumber, byte[] image,
            byte[] data, boolean willInit, ByteBuffer page) {
        public BlockReference {
            if (id < 0 || id > XLR_MAX_BLOCK_ID) {
                throw new IllegalArgumentException("invalid block id " + id);
            }
            Objects.requireNonNull(rel, "rel");
            Objects.requireNonNull(fork, "fork");
        }

        /** Whether a full-page image is there (XLogRecHasBlockImage). */
        public boolean hasImage() {
            return image != null;
        }

        /** Whether per-block data is there (XLogRecGetBlockData). */
        public boolean hasData() {
            return data != null;
        }

        /** The same reference with this image (and the live page dropped). */
        public BlockReference withImage(byte[] img) {
            return new BlockReference(id, rel, fork, blockNumber, img, data, willInit, null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockReference b && b.id == id && b.rel.equals(rel) && b.fork == fork
                    && b.blockNumber == blockNumber && Arrays.equals(b.image, image) && Arrays.equals(b.data, data)
                    && b.willInit == willInit;
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, rel, fork, blockNumber, Arrays.hashCode(image), Arrays.hashCode(data), willInit);
        }

        @Override
        public String toString() {
            return "blkref #" + id + ": rel " + rel + " fork " + fork + " blk " + blockNumber
                    + (image != null ? " FPW" : "") + (data != null ? " data " + data.length : "");
        }
    }

    /** Builds a record: the order of {@link #block} calls is kept; ids must be distinct. */
    public static final class Builder {
        private final byte rmgrId;
        private final byte info;
        private int xid;
        private byte[] mainData = new byte[0];
        private final List<BlockReference> blocks = new ArrayList<>();

        private Builder(byte rmgrId, byte info) {
            this.rmgrId = rmgrId;
            this.info = info;
        }

        /** The inserting transaction (xl_xid). */
        public Builder xid(int xid) {
            this.xid = xid;
            return this;
        }

        /** The main data (XLogRegisterData); the array is not copied. */
        public Builder mainData(byte[] data) {
            this.mainData = Objects.requireNonNull(data);
            return this;
        }

        /**
         * A changed block (XLogRegisterBuffer(id, buffer, REGBUF_STANDARD)): {@code page} is the
         * buffer's page after the change, under the exclusive content lock; insert logs an image
         * of it when needed.
         */
        public Builder block(int id, RelFileLocator rel, ForkNumber fork, long blockNumber, ByteBuffer page) {
            return add(new BlockReference(id, rel, fork, blockNumber, null, null, false, page));
        }

        /** A changed block with per-block data for its redo (XLogRegisterBuffer + XLogRegisterBufData). */
        public Builder block(int id, RelFileLocator rel, ForkNumber fork, long blockNumber, ByteBuffer page, byte[] data) {
            return add(new BlockReference(id, rel, fork, blockNumber, null, data, false, page));
        }

        /** A block redo builds from nothing (REGBUF_WILL_INIT): never an image. */
        public Builder initBlock(int id, RelFileLocator rel, ForkNumber fork, long blockNumber, byte[] data) {
            return add(new BlockReference(id, rel, fork, blockNumber, null, data, true, null));
        }

        /** A block with a full-page image whatever the redo pointer says (REGBUF_FORCE_IMAGE, log_newpage). */
        public Builder imageBlock(int id, RelFileLocator rel, ForkNumber fork, long blockNumber, byte[] image) {
            return add(new BlockReference(id, rel, fork, blockNumber, image.clone(), null, false, null));
        }

        private Builder add(BlockReference b) {
            for (BlockReference o : blocks) {
                if (o.id() == b.id()) {
                    throw new IllegalArgumentException("block id " + b.id() + " registered twice");
                }
            }
            blocks.add(b);
            return this;
        }

        public WalRecord build() {
            return new WalRecord(rmgrId, info, xid, mainData, blocks);
        }
    }
}
