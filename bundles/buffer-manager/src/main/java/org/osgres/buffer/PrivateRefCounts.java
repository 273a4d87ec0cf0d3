package org.osgres.buffer;

import java.util.Arrays;

/*
 * PrivateRefCounts: the pins one backend holds (PostgreSQL: PrivateRefCountArray and
 * PrivateRefCountHash in bufmgr.c, which resource owners release at abort). Each backend is
 * one thread, so the counts live in a thread-local table: a buffer id to how many times this
 * thread pinned it. An error that skips an unpin leaves the count here, and the backend's
 * end-of-transaction cleanup gives those pins back instead of leaving the buffer pinned for
 * ever.
 *
 * Entry points: pinned(), unpinned(), takeAll().
 * See also: SharedBufferPool -- counts every pin and unpin through here.
 */
final class PrivateRefCounts {
    private static final ThreadLocal<PrivateRefCounts> MINE = ThreadLocal.withInitial(PrivateRefCounts::new);

    /** Open addressing over buffer ids (never 0); a power of two. */
    private int[] buffers = new int[16];
    private int[] counts = new int[16];
    private int size;

    static PrivateRefCounts mine() {
        return MINE.get();
    }

    void pinned(int buffer) {
        int i = slot(buffer);
        if (buffers[i] == 0) {
            buffers[i] = buffer;
            size++;
            if (size * 2 > buffers.length) {
                grow();
                i = slot(buffer);
            }
        }
        counts[i]++;
    }

    /** Returns false when this thread holds no pin on the buffer (the caller's bug, reported by it). */
    boolean unpinned(int buffer) {
        int i = slot(buffer);
        if (buffers[i] == 0) {
            return false;
        }
        if (--counts[i] == 0) {
            remove(i);
        }
        return true;
    }

    /** Every buffer still pinned with its count, as pairs {buffer, count}; the table is emptied. */
    int[][] takeAll() {
        int[][] held = new int[size][];
        int n = 0;
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != 0) {
                held[n++] = new int[] {buffers[i], counts[i]};
            }
        }
        Arrays.fill(buffers, 0);
        Arrays.fill(counts, 0);
        size = 0;
        return held;
    }

    private int slot(int buffer) {
        int mask = buffers.length - 1;
        int i = (buffer * 0x9E3779B9) >>> 16 & mask;
        while (buffers[i] != 0 && buffers[i] != buffer) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Backward-shift deletion keeps every probe sequence unbroken. */
    private void remove(int i) {
        int mask = buffers.length - 1;
        buffers[i] = 0;
        counts[i] = 0;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (buffers[j] == 0) {
                return;
            }
            int home = (buffers[j] * 0x9E3779B9) >>> 16 & mask;
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                buffers[i] = buffers[j];
                counts[i] = counts[j];
                buffers[j] = 0;
                counts[j] = 0;
                i = j;
            }
        }
    }

    private void grow() {
        int[] oldBuffers = buffers;
        int[] oldCounts = counts;
        buffers = new int[oldBuffers.length * 2];
        counts = new int[oldCounts.length * 2];
        for (int i = 0; i < oldBuffers.length; i++) {
            if (oldBuffers[i] != 0) {
                int s = slot(oldBuffers[i]);
                buffers[s] = oldBuffers[i];
                counts[s] = oldCounts[i];
            }
        }
    }
}
