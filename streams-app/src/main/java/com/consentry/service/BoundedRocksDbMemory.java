package com.consentry.service;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Caps the off-heap memory of every RocksDB store of this process together (the recipe of Kafka
 * Streams' "Memory management" guide): one LRU block cache of {@value #MEMORY_CONFIG} bytes holds the
 * data blocks, the index and filter blocks (at high priority) and, through a write-buffer manager, the
 * memtables, which may use up to {@value #WRITE_BUFFER_RATIO_CONFIG} of it. Without this, each store
 * of each task gets its own 50 MB cache and memtables, so memory grows with the number of partitions.
 *
 * <p>The cache and the manager are created once, from the first store's settings, and shared by every
 * store and every {@code KafkaStreams} instance of the JVM; they live as long as the process.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Bytes for all RocksDB stores of the process together (block cache including memtables). */
    public static final String MEMORY_CONFIG = "consentry.rocksdb.memory.bytes";
    /** The share of that memory the memtables may take. */
    public static final String WRITE_BUFFER_RATIO_CONFIG = "consentry.rocksdb.write-buffer.ratio";
    /** The share of the cache kept for index and filter blocks. */
    private static final double HIGH_PRIORITY_RATIO = 0.1;
    /** Memtables per store: the default 2 each, but each no larger than a sixteenth of the budget. */
    private static final int WRITE_BUFFERS = 2;

    private static Shared shared;

    private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared s = shared(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(s.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(s.writeBuffers());
        options.setMaxWriteBufferNumber(WRITE_BUFFERS);
        options.setWriteBufferSize(Math.min(options.writeBufferSize(), Math.max(1L << 20, s.bytes() / 16)));
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: they are never closed here
    }

    /** The memory cap in force in this process, or -1 before the first store opened. */
    public static synchronized long capBytes() {
        return shared == null ? -1 : shared.bytes();
    }

    private static synchronized Shared shared(Map<String, Object> configs) {
        if (shared == null) {
            long bytes = Long.parseLong(String.valueOf(configs.get(MEMORY_CONFIG)).trim());
            double ratio = Double.parseDouble(String.valueOf(configs.get(WRITE_BUFFER_RATIO_CONFIG)).trim());
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_RATIO);
            shared = new Shared(bytes, cache, new WriteBufferManager((long) (bytes * ratio), cache));
        }
        return shared;
    }
}
