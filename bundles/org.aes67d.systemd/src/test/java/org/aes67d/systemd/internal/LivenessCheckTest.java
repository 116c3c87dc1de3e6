package org.aes67d.systemd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LivenessCheckTest {
    @Test
    void aliveOnlyWhileEveryCounterGrows() {
        LivenessCheck c = new LivenessCheck();
        assertEquals(List.of(), c.stalled(Map.of("engine", new long[] {1, 1}, "ptp", new long[] {5})));
        assertEquals(List.of(), c.stalled(Map.of("engine", new long[] {9, 2}, "ptp", new long[] {6})));
        assertEquals(List.of("engine#1"), c.stalled(Map.of("engine", new long[] {10, 2}, "ptp", new long[] {7})));
        assertEquals(List.of("engine#1", "ptp#0"),
                c.stalled(Map.of("engine", new long[] {11, 2}, "ptp", new long[] {7})));
        assertEquals(List.of(), c.stalled(Map.of("engine", new long[] {12, 3}, "ptp", new long[] {8})));
    }

    @Test
    void aNewOrRestartedComponentOnlySetsItsBaseline() {
        LivenessCheck c = new LivenessCheck();
        c.stalled(Map.of("engine", new long[] {1, 1}));
        assertEquals(List.of(), c.stalled(Map.of("engine", new long[] {4}))); // restarted with one thread
        assertEquals(List.of(), c.stalled(Map.of())); // gone: nothing to watch
        assertEquals(List.of(), c.stalled(Map.of("engine", new long[] {4}))); // back: baseline again
        assertEquals(List.of("engine#0"), c.stalled(Map.of("engine", new long[] {4})));
    }
}
