package org.aes67d.systemd.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The watchdog's rule: alive when every counter of every watched component grew since the previous check. A
 * component seen for the first time, or whose number of threads changed (a restart), only sets its baseline.
 */
final class LivenessCheck {
    private final Map<String, long[]> last = new TreeMap<>();

    /** Names of stalled threads ("engine#0"), empty when everything moved; forgets components that are gone. */
    List<String> stalled(Map<String, long[]> now) {
        List<String> stalled = new ArrayList<>();
        for (Map.Entry<String, long[]> e : new TreeMap<>(now).entrySet()) { // names in order
            long[] before = last.get(e.getKey());
            long[] counters = e.getValue();
            if (before != null && before.length == counters.length) {
                for (int i = 0; i < counters.length; i++) {
                    if (counters[i] == before[i]) {
                        stalled.add(e.getKey() + "#" + i);
                    }
                }
            }
            last.put(e.getKey(), Arrays.copyOf(counters, counters.length));
        }
        last.keySet().retainAll(now.keySet());
        return stalled;
    }
}
