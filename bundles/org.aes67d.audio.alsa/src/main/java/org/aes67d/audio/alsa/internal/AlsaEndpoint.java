package org.aes67d.audio.alsa.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aes67d.util.audio.EndpointStatus;
import org.aes67d.util.audio.FrameRing;
import org.aes67d.util.audio.RingBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's ALSA PCM, run by its own I/O thread: open (retried every {@code retryMillis} while it fails, so a
 * re-plugged USB interface comes back without a restart), then move periods between the PCM and a
 * {@link FrameRing} that the engine's clock thread reads or writes. The engine side only copies arrays.
 */
abstract class AlsaEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlsaEndpoint.class);
    private static final int WAIT_MILLIS = 100;
    static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    final AlsaSpec spec;
    final int channels;
    final int rate;
    /** Device thread to engine (capture) or engine to device thread (playback). */
    final RingBridge bridge;
    final FrameRing ring;
    /** Frames the ring keeps between device and engine so that neither side's jitter starves the other. */
    final int target;
    final EndpointStatus status;
    private final long retryNanos;
    private final java.util.function.Consumer<AlsaEndpoint> onClose;
    private final Thread thread;
    private final boolean capture;
    volatile boolean running = true;
    /** After close(): until when playback may still drain its ring into the PCM. */
    volatile long drainUntil = Long.MAX_VALUE;

    AlsaEndpoint(String io, AlsaSpec spec, boolean capture, int channels, int rate, int marginMillis,
            int retryMillis, java.util.function.Consumer<AlsaEndpoint> onClose) {
        this.spec = spec;
        this.capture = capture;
        this.channels = channels;
        this.rate = rate;
        this.target = Math.max(2 * spec.period(), rate * marginMillis / 1000);
        this.status = new EndpointStatus(io, capture ? "capture" : "playback", channels, rate);
        this.bridge = new RingBridge(channels, target, 2 * target + 2 * spec.period(), false, status);
        this.ring = bridge.ring();
        this.retryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, retryMillis));
        this.onClose = onClose;
        this.thread = new Thread(this::run, "aes67d-alsa-" + (capture ? "in " : "out ") + spec.pcm());
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    final void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            AlsaPcm pcm;
            try {
                pcm = AlsaPcm.open(spec.pcm(), capture, spec.format(), channels, rate, spec.period(),
                        spec.periods(), target);
            } catch (AlsaException | RuntimeException e) {
                fail(e.getMessage());
                pause();
                continue;
            }
            status.running(pcm.codec.name(), pcm.periodFrames, pcm.bufferFrames, target);
            LOG.info("ALSA {} \"{}\" open: {} {} ch {} Hz, period {} buffer {} frames",
                    capture ? "capture" : "playback", spec.pcm(), pcm.codec, channels, rate, pcm.periodFrames,
                    pcm.bufferFrames);
            String problem = null;
            try {
                problem = pump(pcm);
            } catch (RuntimeException e) {
                problem = e.toString();
            }
            if (problem == null) {
                finish(pcm);
                break;
            }
            pcm.close();
            fail(problem);
            pause();
        }
        status.closed();
    }

    private void fail(String reason) {
        if (status.failed(reason) && running) {
            LOG.warn("ALSA {}: {}; retrying every {} ms", status.io(), reason,
                    TimeUnit.NANOSECONDS.toMillis(retryNanos));
        }
    }

    private void pause() {
        long until = System.nanoTime() + retryNanos;
        while (running && System.nanoTime() < until) {
            LockSupport.parkNanos(Math.min(retryNanos, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }

    /**
     * Moves audio until {@link #running} drops (return null) or the PCM fails for good (return why). Runs on the
     * I/O thread; allocates nothing.
     */
    abstract String pump(AlsaPcm pcm);

    /** The end of a healthy run: playback drains what is queued, capture just closes. */
    void finish(AlsaPcm pcm) {
        pcm.close();
    }

    /**
     * Waits for the PCM and transfers {@code frames} of its period buffer. Returns the frames moved, 0 when
     * nothing happened (timeout, a recovered xrun), or {@code Long.MIN_VALUE | -err} for an error that needs a
     * reopen.
     */
    final long step(AlsaPcm pcm, int frames) {
        int ready = pcm.await(WAIT_MILLIS);
        if (ready < 0 && pcm.recover(ready) < 0) {
            return ready;
        }
        if (ready <= 0) {
            return 0;
        }
        long n = pcm.transfer(frames);
        if (n >= 0) {
            return n;
        }
        if (n == -AlsaLib.EAGAIN) {
            return 0;
        }
        if (n == -AlsaLib.EPIPE || n == -AlsaLib.ESTRPIPE) {
            status.xrun();
        }
        int rc = pcm.recover((int) n);
        return rc < 0 ? rc : 0;
    }

    static String error(AlsaPcm pcm, long err) {
        return AlsaException.of(pcm.capture ? "snd_pcm_readi" : "snd_pcm_writei", pcm.name, (int) err).getMessage();
    }

    @Override
    public void close() {
        drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }
}
