/*
 * BufferTable: the buffer mapping table, buffer tag to buffer id (PostgreSQL:
 * storage/buffer/buf_table.c).
 *
 * PostgreSQL keeps it as a partitioned hash table in shared memory, each partition under its own
 * LWLock. Here it is a ConcurrentHashMap on the Java heap: one JVM is the whole server, so the
 * heap is shared by every backend as well; its lock striping plays the partitions' part. It is
 * the one piece of the buffer pool's shared state outside the shared memory area.
 *
 * The table is only a hint on its own: after pinning the buffer a lookup found, the caller
 * checks the descriptor's tag (SharedBufferPool), which cannot change while the buffer is pinned.
 *
 * Entry points: lookup(), insert() (BufTableInsert: returns the existing buffer if any), delete().
 * See also: SharedBufferPool -- the only user; BufferDescriptors -- the tags themselves.
 */
package org.osgres.buffer;

import java.util.concurrent.ConcurrentHashMap;

final class BufferTable {
    private final ConcurrentHashMap<BufferTag, Integer> map;

    BufferTable(int nBuffers) {
        map = new ConcurrentHashMap<>(nBuffers * 2, 0.75f, 128);
    }

    /** The buffer mapped to the tag, or 0 (BufTableLookup). */
    int lookup(BufferTag tag) {
        Integer id = map.get(tag);
        return id == null ? 0 : id;
    }

    /** Maps the tag to the buffer unless it is mapped already; returns the existing buffer or 0 (BufTableInsert). */
    int insert(BufferTag tag, int buffer) {
        Integer existing = map.putIfAbsent(tag, buffer);
        return existing == null ? 0 : existing;
    }

    /** Removes the mapping if it still points at this buffer (BufTableDelete). */
    void delete(BufferTag tag, int buffer) {
        map.remove(tag, buffer);
    }

    int size() {
        return map.size();
    }
}
