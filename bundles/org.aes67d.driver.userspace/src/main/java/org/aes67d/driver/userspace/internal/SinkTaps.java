package org.aes67d.driver.userspace.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aes67d.api.driver.SinkAudioTap;

/**
 * The {@link SinkAudioTap} whiteboard of one driver: hands what each sink plays out to every tap. Control code
 * publishes a new copy-on-write array of taps; the audio thread reads it once per write and takes no lock.
 */
final class SinkTaps {
    private volatile SinkAudioTap[] taps = new SinkAudioTap[0];
    /** Running sinks (id -> {rate, channels}), to introduce them to a tap that registers later. */
    private final Map<Integer, int[]> sinks = new LinkedHashMap<>();
    private volatile long failures;

    synchronized void add(SinkAudioTap tap) {
        for (Map.Entry<Integer, int[]> s : sinks.entrySet()) {
            tap.sinkStarted(s.getKey(), s.getValue()[0], s.getValue()[1]);
        }
        SinkAudioTap[] cur = taps;
        SinkAudioTap[] next = Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = tap;
        taps = next;
    }

    synchronized void remove(SinkAudioTap tap) {
        taps = Arrays.stream(taps).filter(t -> t != tap).toArray(SinkAudioTap[]::new);
    }

    synchronized void started(int id, int rate, int channels) {
        sinks.put(id, new int[] {rate, channels});
        for (SinkAudioTap t : taps) {
            try {
                t.sinkStarted(id, rate, channels);
            } catch (RuntimeException e) {
                failures++;
            }
        }
    }

    synchronized void stopped(int id) {
        if (sinks.remove(id) != null) {
            for (SinkAudioTap t : taps) {
                try {
                    t.sinkStopped(id);
                } catch (RuntimeException e) {
                    failures++;
                }
            }
        }
    }

    synchronized void stoppedAll() {
        for (Integer id : sinks.keySet().toArray(Integer[]::new)) {
            stopped(id);
        }
    }

    /** Taps that threw (on any thread). */
    long failures() {
        return failures;
    }

    /** {@code out}, then every tap: the one place where played-out sink audio is offered to consumers. */
    AudioOut wrap(int id, int channels, AudioOut out) {
        return new AudioOut() {
            @Override
            public void write(long pos, int[] src, int frames) {
                out.write(pos, src, frames);
                for (SinkAudioTap t : taps) {
                    try {
                        t.played(id, pos, src, frames, channels);
                    } catch (RuntimeException e) {
                        failures++; // a broken consumer must not stop the clock thread
                    }
                }
            }

            @Override
            public java.util.Map<String, Object> details() {
                return out.details(); // a verifying output's report must reach the sink status through the wrapper
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }
}
