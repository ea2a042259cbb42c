package io.dvdrental.pipelines.stream.benchmark;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap this JVM used while it is watched, from its collections: the most it held when a collection began (what
 * the heap must fit), and the most a collection left (live data and garbage it did not reach). The peaks of the
 * memory pools are reached at different moments, so their sum is more than the heap ever held.
 */
final class HeapWatch implements AutoCloseable {

    private final AtomicLong beforeGc = new AtomicLong();
    private final AtomicLong afterGc = new AtomicLong();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            var gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
            beforeGc.accumulateAndGet(heap(gc.getMemoryUsageBeforeGc()), Math::max);
            afterGc.accumulateAndGet(heap(gc.getMemoryUsageAfterGc()), Math::max);
        }
    };

    HeapWatch() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
    }

    long peakBeforeGc() {
        return beforeGc.get();
    }

    long peakAfterGc() {
        return afterGc.get();
    }

    /** The heap pools' usage at one moment (G1: eden, survivor, old). */
    private static long heap(Map<String, MemoryUsage> pools) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .map(pool -> pools.get(pool.getName())).filter(java.util.Objects::nonNull)
                .mapToLong(MemoryUsage::getUsed).sum();
    }

    @Override
    public void close() throws Exception {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).removeNotificationListener(listener);
        }
    }
}
