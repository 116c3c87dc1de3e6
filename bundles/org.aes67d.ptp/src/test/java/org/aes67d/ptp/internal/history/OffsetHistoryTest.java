package org.aes67d.ptp.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class OffsetHistoryTest {
    @Test
    void keepsTheNewestSamplesOldestFirst() {
        OffsetHistory h = new OffsetHistory(3);
        for (int i = 1; i <= 5; i++) {
            h.add(i * 1000L, "locked", i, 10 * i);
        }
        List<OffsetHistory.Sample> all = h.since(Long.MIN_VALUE);
        assertEquals(List.of(3000L, 4000L, 5000L), all.stream().map(OffsetHistory.Sample::epochMillis).toList());
        assertEquals(new OffsetHistory.Sample(5000, "locked", 5, 50), all.get(2));
    }

    @Test
    void sinceReturnsOnlyNewerSamples() {
        OffsetHistory h = new OffsetHistory(10);
        h.add(1000, "unlocked", 0, 0);
        h.add(2000, "locking", -500, 20_000);
        h.add(3000, "locked", 12, 20_100);
        assertEquals(List.of(new OffsetHistory.Sample(3000, "locked", 12, 20_100)), h.since(2000));
        assertEquals(0, h.since(3000).size());
    }
}
