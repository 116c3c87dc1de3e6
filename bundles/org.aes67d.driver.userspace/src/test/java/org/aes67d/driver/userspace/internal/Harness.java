package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.audio.basic.internal.FileBackend;
import org.aes67d.audio.basic.internal.PipeBackend;
import org.aes67d.audio.basic.internal.TestSignalBackend;
import org.aes67d.audio.basic.internal.ToneBackend;
import org.aes67d.audio.basic.internal.VerifyBackend;

/** An engine driver on lo with the real file/tone/pipe backends, and helpers to make and check WAV files. */
final class Harness implements AutoCloseable {
    final LockedClock clock = new LockedClock();
    final EngineDriver driver;
    final Path media;

    Harness(Path media, boolean loopback) throws IOException {
        this(media, loopback, 48000);
    }

    Harness(Path media, boolean loopback, int deviceRate) throws IOException {
        this(media, loopback, deviceRate, "lo");
    }

    /** On {@code interfaces} (as interface_name: a second name is the ST 2022-7 secondary interface). */
    Harness(Path media, boolean loopback, int deviceRate, String interfaces) throws IOException {
        this.media = media;
        FileBackend files = new FileBackend(new FileBackend.Config() {
            @Override public Class<? extends Annotation> annotationType() { return FileBackend.Config.class; }
            @Override public int ring_ms() { return 500; }
            @Override public int header_interval_ms() { return 1000; }
        });
        PipeBackend pipes = new PipeBackend(new PipeBackend.Config() {
            @Override public Class<? extends Annotation> annotationType() { return PipeBackend.Config.class; }
            @Override public int ring_ms() { return 200; }
        });
        Map<String, AudioBackend> backends = Map.of("file", files, "tone", new ToneBackend(), "pipe", pipes,
                "test", new TestSignalBackend(), "verify", new VerifyBackend());
        Engine engine = new Engine(new Engine.Settings(deviceRate, 64, loopback, 48, 50_000, 1, 60), clock);
        driver = new EngineDriver(engine, Net.of(interfaces, ""), media, 1024, backends::get)
                .withSecondary(Net.secondaryOf(interfaces));
        engine.start();
    }

    static StreamDescription stream(int id, String addr, int port, String codec, int rate, int channels, int fpp,
            int delay, String io) {
        List<Integer> map = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            map.add(c);
        }
        return new StreamDescription(id, addr, port, codec, rate, channels, fpp, 97, 16, 46, delay, io, map);
    }

    /** {@code d} with an ST 2022-7 second leg to or from {@code addr:port} (on lo, as the harness's secondary). */
    static StreamDescription withLeg(StreamDescription d, String addr, int port) {
        return new StreamDescription(d.id(), d.address(), d.port(), d.codec(), d.sampleRate(), d.channels(),
                d.framesPerPacket(), d.payloadType(), d.ttl(), d.dscp(), d.delay(), d.io(), d.map(),
                new StreamDescription.Leg(addr, port));
    }

    /**
     * For tests that check bit-exactness only: if the stream stalled so long on its way (a source sent a packet
     * later than half of {@code delayFrames}, or skipped any; or the sink saw no packet for that long: a stall of
     * the sender, the kernel or the receiver thread), the host broke the premise, not the engine: the test is
     * aborted (reported as skipped, with the figures) instead of failing.
     */
    void assumeNoStallBeyond(int delayFrames, int rate, int... ids) {
        long margin = delayFrames * 1_000_000_000L / rate / 2;
        for (int id : ids) {
            SourceStream s = driver.engine().source(id);
            SinkStream k = driver.engine().sink(id);
            long late = s == null ? 0 : s.maxLatenessNanos();
            long skipped = s == null ? 0 : s.packetsSkipped();
            long gap = k == null ? 0 : k.maxArrivalGapNanos();
            // a re-align with a steady clock: the clock thread itself stalled beyond half the sink's buffer
            long realigns = k == null ? 0 : k.resyncs();
            if (skipped > 0 || late > margin || gap > margin || realigns > 0) {
                String msg = "host stall: stream " + id + " sent a packet " + late / 1_000_000.0 + " ms late, skipped "
                        + skipped + ", longest gap at the sink " + gap / 1_000_000.0 + " ms (margin "
                        + margin / 1_000_000.0 + " ms), sink re-aligned " + realigns + " times";
                System.out.println(msg);
                org.junit.jupiter.api.Assumptions.abort(msg);
            }
        }
    }

    /**
     * Aborts the test (reported, not failed) if sink {@code id}'s WAV recording lost frames: its writer is a normal
     * thread, and a host that starves it for longer than the recorder's ring leaves a gap the engine did not make.
     * Call before stopping the sink (its recorder goes with it).
     */
    void assumeRecordingComplete(int id) {
        Object signal = driver.engine().sink(id).verifier(false).get("signal");
        Object overrun = signal instanceof java.util.Map<?, ?> m ? m.get("overrun_frames") : null;
        if (overrun instanceof Number n && n.longValue() > 0) {
            String msg = "host stall: sink " + id + "'s recorder fell behind, " + n + " frames did not fit its ring";
            System.out.println(msg);
            org.junit.jupiter.api.Assumptions.abort(msg);
        }
    }

    static void await(BooleanSupplier condition, long seconds, String what) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** A PRBS WAV (every sample differs) of {@code bits} 16 or 24, little-endian PCM. */
    static int[] writePrbsWav(Path p, int rate, int channels, int bits, int frames, long seed) throws IOException {
        int[] s = new int[frames * channels];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < s.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            s[i] = (int) (x >>> 32) & (bits == 16 ? 0xFFFF0000 : 0xFFFFFF00);
        }
        writeWav(p, rate, channels, bits, s);
        return s;
    }

    static void writeWav(Path p, int rate, int channels, int bits, int[] s) throws IOException {
        int bytes = bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + s.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + s.length * bytes).putInt(0x45564157).putInt(0x20746D66).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * bytes)
                .putShort((short) (channels * bytes)).putShort((short) bits).putInt(0x61746164)
                .putInt(s.length * bytes);
        for (int v : s) {
            for (int k = 0; k < bytes; k++) {
                b.put((byte) (v >>> (32 - 8 * bytes + 8 * k)));
            }
        }
        Files.write(p, b.array());
    }

    /** Samples of a 16/24/32-bit PCM WAV as left-justified ints; {@code out[0]} gets the channel count. */
    static int[] readWav(Path p, int[] channelsOut) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int channels = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int len = b.getInt(pos + 4);
            if (id == 0x20746D66) {
                channels = b.getShort(pos + 10);
                bits = b.getShort(pos + 22);
            } else if (id == 0x61746164) {
                int bytes = bits / 8;
                long avail = b.limit() - pos - 8L;
                int n = (int) ((len == 0 || len == -1 || len > avail ? avail : len) / bytes);
                int[] s = new int[n - n % channels];
                for (int i = 0; i < s.length; i++) {
                    int v = 0;
                    for (int k = 0; k < bytes; k++) {
                        v |= (b.get(pos + 8 + i * bytes + k) & 0xFF) << (32 - 8 * bytes + 8 * k);
                    }
                    s[i] = v;
                }
                channelsOut[0] = channels;
                return s;
            }
            pos += 8 + len + (len & 1);
        }
        throw new IOException("no data in " + p);
    }

    /** Outcome of comparing a recording with a looped reference. */
    record Comparison(long compared, long errors, long silentInside, int firstError, String detail) {
        boolean bitExact() {
            return compared > 0 && errors == 0 && silentInside == 0;
        }
    }

    /**
     * Finds where the recording's first non-silent frame sits in the (looped) reference and compares every frame
     * from there to the last non-silent frame, with samples masked to {@code mask}.
     */
    static Comparison compareLooped(int[] ref, int[] rec, int channels, int mask) {
        int frames = rec.length / channels;
        int refFrames = ref.length / channels;
        int first = 0;
        while (first < frames && silent(rec, first, channels)) {
            first++;
        }
        int last = frames - 1;
        while (last > first && silent(rec, last, channels)) {
            last--;
        }
        if (first >= frames) {
            return new Comparison(0, 0, 0, -1, "recording is silent");
        }
        int start = -1;
        for (int r = 0; r < refFrames && start < 0; r++) {
            boolean match = true;
            for (int k = 0; k < 8 && match && first + k <= last; k++) {
                for (int c = 0; c < channels; c++) {
                    if ((ref[((r + k) % refFrames) * channels + c] & mask) != (rec[(first + k) * channels + c] & mask)) {
                        match = false;
                        break;
                    }
                }
            }
            if (match) {
                start = r;
            }
        }
        if (start < 0) {
            return new Comparison(0, 1, 0, first, "first received frame " + first + " not found in the reference");
        }
        long compared = 0;
        long errors = 0;
        long silentInside = 0;
        int firstError = -1;
        for (int f = first; f <= last; f++) {
            if (silent(rec, f, channels)) {
                silentInside++;
            }
            int r = (start + f - first) % refFrames;
            for (int c = 0; c < channels; c++) {
                compared++;
                if ((ref[r * channels + c] & mask) != (rec[f * channels + c] & mask)) {
                    errors++;
                    if (firstError < 0) {
                        firstError = f;
                    }
                }
            }
        }
        return new Comparison(compared, errors, silentInside, firstError,
                "frames " + first + ".." + last + " = reference from " + start);
    }

    private static boolean silent(int[] s, int frame, int channels) {
        for (int c = 0; c < channels; c++) {
            if (s[frame * channels + c] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        driver.close();
    }
}
