package org.aes67d.driver.userspace.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the whole Audio Device to an {@link AudioBackend} endpoint pair ({@code audio_device_binding: "jack"} or
 * {@code "alsa:<pcm>"}): every period its thread copies the capture channels (what the sinks wrote, once the
 * media clock is {@link #guard} past them) to the backend's output, and the backend's input into the playback
 * channels {@link #lead} ahead of the media clock, where the sources will read them. The device's rings are
 * indexed by media time, so this thread never synchronises with the engine's: it only stays behind (capture) or
 * ahead (playback) of the clock. It waits for the backend of the scheme to appear and opens the endpoints then.
 */
final class DeviceBinding implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceBinding.class);

    private final Engine engine;
    private final VirtualDevice device;
    private final String scheme;
    private final String captureIo;
    private final String playbackIo;
    private final Function<String, AudioBackend> backends;
    private final int period;
    /** Capture positions are forwarded this far behind the media clock: sinks write a packet at its boundary. */
    final int guard;
    /** Playback positions are filled this far ahead of the media clock (what a source reads later). */
    final int lead;
    /** Playback positions are cleared this far behind the media clock: beyond what a late source still reads. */
    static final int CLEAR_BEHIND = VirtualDevice.FRAMES / 2;
    private final int[] block;
    private final int[] silence;
    private final int[] allChannels;
    private final int blockFrames;
    private final Thread thread;
    private final int rtPriority;
    private volatile boolean running = true;
    private volatile String state = "waiting";

    // binding thread only
    private AudioOutput output;
    private AudioInput input;
    private long captureNext = Long.MIN_VALUE;
    private long playbackNext;
    private long playbackCleared = Long.MIN_VALUE;
    private volatile long resyncs;

    /**
     * @param binding {@code jack} (ports {@code capture_N}, {@code playback_N}; the JACK backend's configuration
     *        says what they are connected to) or {@code alsa:<pcm>}
     * @param rtPriority SCHED_FIFO priority is {@code rtPriority - 2}, taken after a 3 s warm-up as the engine's
     *        threads do (0 = normal scheduling)
     */
    DeviceBinding(Engine engine, String binding, Function<String, AudioBackend> backends, int period,
            int rtPriority) {
        this.rtPriority = rtPriority;
        this.engine = engine;
        this.device = engine.device();
        this.backends = backends;
        this.period = Math.max(16, period);
        if (binding.equals("jack")) {
            scheme = "jack";
            captureIo = "jack:capture";
            playbackIo = "jack:playback";
        } else {
            scheme = "alsa";
            captureIo = binding;
            playbackIo = binding;
        }
        int rate = device.rate();
        this.guard = Math.max(2 * this.period, rate / 250); // 4 ms: AES67's longest packet time
        this.lead = guard; // as much room against a late wake-up of this thread as the capture side has
        this.blockFrames = 4 * this.period;
        this.block = new int[blockFrames * device.channels()];
        this.silence = new int[blockFrames * device.channels()];
        this.allChannels = java.util.stream.IntStream.range(0, device.channels()).toArray();
        this.thread = new Thread(this::run, "aes67d-device-" + scheme);
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Validates a binding value: null if fine, else why not. */
    static String check(String binding) {
        if (binding.equals("jack") || (binding.startsWith("alsa:") && binding.length() > 5)) {
            return null;
        }
        return "expected null, loopback, jack or alsa:<pcm>";
    }

    /** waiting (for the backend), running, or the open error. */
    String state() {
        return state;
    }

    long resyncs() {
        return resyncs;
    }

    private void run() {
        long wait = TimeUnit.MILLISECONDS.toNanos(500);
        while (running && !open()) {
            LockSupport.parkNanos(wait);
        }
        long periodNanos = TimeUnit.SECONDS.toNanos(period) / device.rate();
        long realtimeAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // after the JIT, as the engine threads
        while (running) {
            long now = System.nanoTime();
            if (realtimeAt != 0 && now >= realtimeAt) {
                if (rtPriority > 0) {
                    Pacer.setRealtime(Math.max(1, Math.min(99, rtPriority - 2)));
                }
                realtimeAt = 0;
            }
            long media = MediaTime.now(engine.clock(), now, device.rate());
            cycle(media);
            LockSupport.parkNanos(periodNanos);
        }
        close(output);
        close(input);
    }

    private boolean open() {
        AudioBackend b = backends.apply(scheme);
        if (b == null) {
            return false;
        }
        AudioFormat format = new AudioFormat(device.rate(), device.channels());
        try {
            output = b.openOutput(captureIo, format);
            input = b.openInput(playbackIo, format);
            state = "running";
            LOG.info("Audio Device bound to {}: {} capture channels -> {}, {} <- playback channels", scheme,
                    device.channels(), captureIo, playbackIo);
            return true;
        } catch (Exception e) {
            close(output);
            output = null;
            state = "cannot open " + captureIo + ": " + e.getMessage();
            LOG.warn("Audio Device binding {}: {}", scheme, state);
            running = false;
            return false;
        }
    }

    /** One period: capture up to {@code media - guard}, playback up to {@code media + lead}. Allocates nothing. */
    private void cycle(long media) {
        int ch = device.channels();
        long captureUpTo = media - guard;
        long playbackUpTo = media + lead;
        if (captureNext == Long.MIN_VALUE || Math.abs(captureUpTo - captureNext) > VirtualDevice.FRAMES / 2) {
            if (captureNext != Long.MIN_VALUE) {
                resyncs++; // this thread stalled, or the clock jumped: start again from now
            }
            captureNext = captureUpTo;
            playbackNext = playbackUpTo;
            return;
        }
        while (captureNext < captureUpTo) {
            int n = (int) Math.min(blockFrames, captureUpTo - captureNext);
            for (int f = 0; f < n; f++) {
                long p = captureNext + f;
                for (int c = 0; c < ch; c++) {
                    block[f * ch + c] = device.getCapture(p, c);
                }
            }
            output.write(block, 0, n);
            // forwarded: clear, so that a position no sink writes is silence on the ring's next lap
            device.writeCapture(captureNext, allChannels, silence, n);
            captureNext += n;
        }
        // A source reads positions once the media clock has passed them: after a stall of this thread, what it
        // still has for positions within a period of the clock is too late (a source may be reading them: half a
        // frame written would be a frame that never existed), so it is consumed from the backend and dropped.
        long writableFrom = media + period;
        while (playbackNext < playbackUpTo) {
            int n = (int) Math.min(blockFrames, playbackUpTo - playbackNext);
            input.read(block, 0, n);
            for (int f = (int) Math.max(0, Math.min(n, writableFrom - playbackNext)); f < n; f++) {
                long p = playbackNext + f;
                for (int c = 0; c < ch; c++) {
                    device.putPlayback(p, c, block[f * ch + c]);
                }
            }
            playbackNext += n;
        }
        // read by the sources by now: silence, so that a position this thread misses (a stall) is silence on the
        // ring's next lap, not the audio of a lap ago. Half a ring behind the clock, not the guard: a source that
        // is late still sends positions up to a quarter ring old (SourceStream's maxAge), and must find its audio
        long clearUpTo = media - CLEAR_BEHIND;
        if (playbackCleared == Long.MIN_VALUE || clearUpTo - playbackCleared > VirtualDevice.FRAMES / 2) {
            playbackCleared = clearUpTo;
        }
        for (; playbackCleared < clearUpTo; playbackCleared++) {
            for (int c = 0; c < ch; c++) {
                device.putPlayback(playbackCleared, c, 0);
            }
        }
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing an endpoint loses nothing
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
