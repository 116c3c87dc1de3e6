package org.aes67d.driver.userspace.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last minutes of each sink's arrival margin (smallest, mean, largest per second) with the verifier's glitches
 * marked in the second they were seen; sampled by a control thread once a second whether or not anybody looks.
 * Not thread-safe: the sampler and the readers synchronise on it.
 */
final class SinkHistory {
    /** One second: margins in ms (null when no packet arrived), glitches counted in it. */
    record Sample(long epochMillis, Double minMs, Double meanMs, Double maxMs, int packets, long glitches) {
    }

    private final int kept;
    private final Map<Integer, Track> tracks = new TreeMap<>();

    private static final class Track {
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        Object stream; // the stream object the baselines below belong to
        long lastWindow = -1;
        long glitches;
    }

    SinkHistory(int kept) {
        this.kept = kept;
    }

    /**
     * Adds what sink {@code id} ({@code stream}) did since the previous call: its completed one-second windows and
     * the glitches counted since then ({@code glitches} = the verifier's total now).
     */
    void sample(int id, Object stream, int rate, List<ArrivalStats.Window> windows, long glitches, long nowMillis,
            long nowNanos) {
        Track t = tracks.computeIfAbsent(id, k -> new Track());
        if (t.stream != stream) { // a new or restarted sink: its counters start again
            t.stream = stream;
            t.lastWindow = -1;
            t.glitches = 0;
        }
        long newGlitches = Math.max(0, glitches - t.glitches);
        t.glitches = glitches;
        double msPerFrame = 1000.0 / rate;
        for (int i = 0; i < windows.size(); i++) {
            ArrivalStats.Window w = windows.get(i);
            t.lastWindow = w.number();
            long at = nowMillis - (nowNanos - w.endNanos()) / 1_000_000;
            boolean last = i == windows.size() - 1;
            add(t, new Sample(at, w.min() * msPerFrame, w.mean() * msPerFrame, w.max() * msPerFrame, w.packets(),
                    last ? newGlitches : 0));
        }
        if (windows.isEmpty()) {
            add(t, new Sample(nowMillis, null, null, null, 0, newGlitches));
        }
    }

    private void add(Track t, Sample s) {
        t.samples.addLast(s);
        while (t.samples.size() > kept) {
            t.samples.removeFirst();
        }
    }

    /** The window number last taken for sink {@code id} from {@code stream} (-1: none yet). */
    long lastWindow(int id, Object stream) {
        Track t = tracks.get(id);
        return t == null || t.stream != stream ? -1 : t.lastWindow;
    }

    /** Forgets sinks that no longer run. */
    void retain(Set<Integer> running) {
        tracks.keySet().retainAll(running);
    }

    /** Samples after {@code sinceMillis} per sink id, ascending. */
    Map<Integer, List<Sample>> since(long sinceMillis) {
        Map<Integer, List<Sample>> out = new TreeMap<>();
        for (Map.Entry<Integer, Track> e : tracks.entrySet()) {
            List<Sample> l = new ArrayList<>();
            for (Sample s : e.getValue().samples) {
                if (s.epochMillis() > sinceMillis) {
                    l.add(s);
                }
            }
            out.put(e.getKey(), l);
        }
        return out;
    }
}
