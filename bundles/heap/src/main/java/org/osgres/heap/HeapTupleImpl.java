package org.osgres.heap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.TupleDesc;

/*
 * HeapTupleImpl: a tuple copied out of its page under the content lock (PostgreSQL: a
 * heap_copytuple'd HeapTupleData). Scans copy, so nothing refers to page memory once the lock
 * is gone, and VACUUM may compact pages under an exclusive lock alone.
 */
final class HeapTupleImpl implements HeapTuple {
    private final ItemPointer tid;
    private final byte[] bytes;
    private final TupleDesc desc;
    private Object[] values;

    HeapTupleImpl(ItemPointer tid, byte[] bytes, TupleDesc desc) {
        this.tid = tid;
        this.bytes = bytes;
        this.desc = desc;
    }

    /** Copies the item at line pointer {@code offnum}'s place: {@code off}, {@code len}. */
    static HeapTupleImpl copyOf(ByteBuffer page, int off, int len, ItemPointer tid, TupleDesc desc) {
        byte[] b = new byte[len];
        page.get(off, b);
        return new HeapTupleImpl(tid, b, desc);
    }

    private ByteBuffer buf() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public ItemPointer tid() {
        return tid;
    }

    @Override
    public int xmin() {
        return HeapTupleHeader.xmin(buf(), 0);
    }

    @Override
    public int xmax() {
        return HeapTupleHeader.xmax(buf(), 0);
    }

    @Override
    public ItemPointer ctid() {
        return HeapTupleHeader.ctid(buf(), 0);
    }

    @Override
    public int infomask() {
        return HeapTupleHeader.infomask(buf(), 0);
    }

    @Override
    public int infomask2() {
        return HeapTupleHeader.infomask2(buf(), 0);
    }

    @Override
    public Object[] values() {
        if (values == null) {
            values = HeapTupleCodec.deform(desc, buf(), 0);
        }
        return values.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "tuple " + tid + " xmin " + Integer.toUnsignedString(xmin()) + " xmax " + Integer.toUnsignedString(xmax());
    }
}
