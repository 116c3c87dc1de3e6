package org.aes67d.streamer.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.api.driver.SinkAudioTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamer while enabled: a {@link SinkAudioTap} that copies each sink's audio into its ring on the driver's
 * audio thread, and encoding threads (one per core, sink {@code i} on thread {@code i % threads}) that turn the
 * rings into AAC files and live frames.
 */
final class StreamerCore implements SinkAudioTap, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamerCore.class);
    static final int MAX_SINKS = 64;
    /** The encoder wakes this often; the rings hold 2 s, so it may be late by far more without loss. */
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Nice value of the encoding thread: its work is small and bounded (a few % of a core per stereo sink) but
     * must keep up, also on a host loaded with other jobs; needs root or CAP_SYS_NICE, else it stays at 0.
     */
    static final int ENCODER_NICE = -10;

    /** Linux: {@code setpriority(PRIO_PROCESS, 0, n)} sets the calling thread's nice value. */
    interface LibC extends com.sun.jna.Library {
        int setpriority(int which, int who, int prio);
    }

    /** A sink whose rate or channel count AAC cannot carry. */
    record Unsupported(int rate, int channels) {
    }

    private final Libav av;
    private final int filesNum;
    private final int fileDuration;
    private final AtomicReferenceArray<Object> sinks = new AtomicReferenceArray<>(MAX_SINKS);
    /** Per encoding thread: captures of its sinks to free, by it (never while it is encoding them). */
    private final ConcurrentLinkedQueue<SinkCapture>[] retired;
    private final Thread[] threads;
    private volatile boolean running = true;
    private volatile long formatMismatches;

    StreamerCore(Libav av, int filesNum, int fileDuration) {
        this.av = av;
        this.filesNum = filesNum;
        this.fileDuration = fileDuration;
        this.threads = new Thread[Math.max(1, Math.min(MAX_SINKS, Runtime.getRuntime().availableProcessors()))];
        @SuppressWarnings("unchecked")
        ConcurrentLinkedQueue<SinkCapture>[] queues = new ConcurrentLinkedQueue[threads.length];
        for (int k = 0; k < queues.length; k++) {
            queues[k] = new ConcurrentLinkedQueue<>();
        }
        this.retired = queues;
        for (int k = 0; k < threads.length; k++) {
            int index = k;
            threads[k] = new Thread(() -> encodeLoop(index), "aes67d-streamer-" + k);
            threads[k].setDaemon(true);
            threads[k].start();
        }
    }

    @Override
    public void sinkStarted(int sinkId, int sampleRate, int channels) {
        if (sinkId < 0 || sinkId >= MAX_SINKS) {
            return;
        }
        Object next = AacEncoder.supported(sampleRate, AacEncoder.streamedChannels(channels))
                ? new SinkCapture(sinkId, sampleRate, channels, filesNum, fileDuration)
                : new Unsupported(sampleRate, channels);
        retire(sinks.getAndSet(sinkId, next));
        if (next instanceof Unsupported) {
            LOG.warn("streamer: sink {} ({} ch at {} Hz) cannot be streamed: AAC carries 8 to 96 kHz", sinkId,
                    channels, sampleRate);
        }
    }

    @Override
    public void sinkStopped(int sinkId) {
        if (sinkId >= 0 && sinkId < MAX_SINKS) {
            retire(sinks.getAndSet(sinkId, null));
        }
    }

    private void retire(Object old) {
        if (old instanceof SinkCapture c) {
            c.endListeners();
            int k = c.sinkId % threads.length;
            retired[k].add(c); // freed by the thread that encodes it, between two rounds
            LockSupport.unpark(threads[k]);
        }
    }

    @Override
    public void played(int sinkId, long position, int[] samples, int frames, int channels) {
        if (sinkId >= 0 && sinkId < MAX_SINKS && sinks.get(sinkId) instanceof SinkCapture c) {
            if (c.sinkChannels == channels) {
                c.ring.write(position, samples, frames);
            } else {
                formatMismatches++; // the previous sink of this id, during a restart
            }
        }
    }

    /** The capture of a sink, an {@link Unsupported}, or null (not started, or not tapped). */
    Object sink(int id) {
        return id >= 0 && id < MAX_SINKS ? sinks.get(id) : null;
    }

    long formatMismatches() {
        return formatMismatches;
    }

    String encoderVersion() {
        return av.version;
    }

    private void encodeLoop(int index) {
        try {
            LibC libc = com.sun.jna.Native.load("c", LibC.class);
            if (libc.setpriority(0, 0, ENCODER_NICE) == 0) {
                LOG.debug("streamer: encoding thread at nice {}", ENCODER_NICE);
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // normal priority then
        }
        while (running) {
            SinkCapture old;
            while ((old = retired[index].poll()) != null) {
                old.close();
            }
            for (int i = index; i < MAX_SINKS; i += threads.length) {
                if (sinks.get(i) instanceof SinkCapture c) {
                    try {
                        c.pump(av);
                    } catch (RuntimeException e) {
                        LOG.error("streamer: encoding stopped for {}", e.getMessage());
                    }
                }
            }
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        try {
            for (Thread t : threads) {
                t.join(2000);
                if (t.isAlive()) {
                    LOG.warn("streamer: encoding thread {} did not stop; its encoders are left allocated", t.getName());
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < MAX_SINKS; i++) {
            retire(sinks.getAndSet(i, null));
        }
        for (ConcurrentLinkedQueue<SinkCapture> q : retired) {
            SinkCapture old;
            while ((old = q.poll()) != null) {
                old.close();
            }
        }
    }
}
