package org.aes67d.driver.userspace.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.DriverException;
import org.aes67d.api.driver.SinkArrivals;
import org.aes67d.api.driver.SourceCounters;
import org.aes67d.api.driver.StreamDescription;
import org.aes67d.api.driver.StreamLevels;
import org.aes67d.api.driver.StreamRejectedException;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.rtp.SampleCodec;

/**
 * The Driver on top of an {@link Engine}, without OSGi (the DS component, the tests and the benchmarks use it).
 * Turns stream descriptions into sockets, endpoints and stream objects and hands them to the engine.
 */
final class EngineDriver implements Driver, AutoCloseable {
    static final String DEVICE = "Audio Device";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int MAX_UDP_PAYLOAD = 65507;

    private final Engine engine;
    private final Net net;
    private final Path mediaDir;
    private final int maxFramesPerPacket;
    private final Function<String, AudioBackend> backends;
    private final SplittableRandom random = new SplittableRandom();
    private final SinkTaps taps;
    /** ST 2022-7: the secondary interface, null with one (a stream's second leg is then not opened). */
    private volatile Net secondaryNet;
    /** Level meters of the running streams by id (the streams' endpoints feed them on the audio thread). */
    private final Map<Integer, LevelMeter> sourceMeters = new ConcurrentSkipListMap<>();
    private final Map<Integer, LevelMeter> sinkMeters = new ConcurrentSkipListMap<>();

    EngineDriver(Engine engine, Net net, Path mediaDir, int maxFramesPerPacket,
            Function<String, AudioBackend> backends) {
        this(engine, net, mediaDir, maxFramesPerPacket, backends, new SinkTaps());
    }

    EngineDriver(Engine engine, Net net, Path mediaDir, int maxFramesPerPacket,
            Function<String, AudioBackend> backends, SinkTaps taps) {
        this.taps = taps;
        this.engine = engine;
        this.net = net;
        this.mediaDir = mediaDir == null ? null : mediaDir.toAbsolutePath().normalize();
        this.maxFramesPerPacket = maxFramesPerPacket;
        this.backends = backends;
    }

    Engine engine() {
        return engine;
    }

    Net net() {
        return net;
    }

    boolean hasSecondary() {
        return secondaryNet != null;
    }

    /** Sets the ST 2022-7 secondary interface (before streams start). */
    EngineDriver withSecondary(Net secondary) {
        this.secondaryNet = secondary;
        return this;
    }

    void setClock(PtpClock clock) {
        engine.setClock(clock);
    }

    @Override
    public synchronized void startSource(StreamDescription d) throws DriverException {
        startSource(d, SourceStream.UNSET);
    }

    @Override
    public synchronized void startSource(StreamDescription d, long startPtpNanos) throws DriverException {
        SampleCodec codec = check(d);
        InetAddress address = address(d.address());
        if (address.isAnyLocalAddress()) {
            throw new StreamRejectedException("invalid address " + d.address());
        }
        LevelMeter meter = new LevelMeter(d.channels(), d.sampleRate());
        AudioIn in = LevelMeter.metered(openInput(d), meter);
        DatagramChannel ch;
        try {
            ch = net.sender(address, d.port(), Math.max(1, d.ttl()), d.dscp());
        } catch (IOException e) {
            in.close();
            throw new DriverException("cannot open RTP socket to " + d.address() + ":" + d.port() + " on " + net
                    + ": " + e.getMessage(), e);
        }
        int ssrc;
        int seq;
        synchronized (random) {
            ssrc = random.nextInt();
            seq = random.nextInt(1 << 16); // RFC 3550: random initial sequence number and SSRC
        }
        SourceStream s = new SourceStream(d.id(), d.sampleRate(), d.channels(), d.framesPerPacket(), d.payloadType(),
                ssrc, seq, codec, ch, in, DEVICE.equals(d.io())).startingAt(startPtpNanos);
        Net sec = secondaryNet;
        if (d.secondary() != null && sec != null) {
            try {
                s.withSecondary(sec.sender(address(d.secondary().address()), d.secondary().port(),
                        Math.max(1, d.ttl()), d.dscp()));
            } catch (IOException e) {
                s.close();
                throw new DriverException("cannot open RTP socket to " + d.secondary().address() + ":"
                        + d.secondary().port() + " on " + sec + ": " + e.getMessage(), e);
            }
        }
        engine.putSource(s);
        sourceMeters.put(d.id(), meter);
    }

    @Override
    public synchronized void stopSource(int id) {
        engine.removeSource(id);
        sourceMeters.remove(id);
    }

    @Override
    public synchronized void startSink(StreamDescription d) throws DriverException {
        SampleCodec codec = check(d);
        InetAddress address = address(d.address());
        LevelMeter meter = new LevelMeter(d.channels(), d.sampleRate());
        AudioOut out = taps.wrap(d.id(), d.channels(), LevelMeter.metered(openOutput(d), meter));
        DatagramChannel ch;
        try {
            ch = net.receiver(address, d.port());
        } catch (IOException e) {
            out.close();
            throw new DriverException("cannot receive " + d.address() + ":" + d.port() + " on " + net + ": "
                    + e.getMessage(), e);
        }
        int delay = Math.max(d.delay(), d.framesPerPacket());
        SinkStream s = new SinkStream(d.id(), d.sampleRate(), d.channels(), d.framesPerPacket(), delay,
                d.payloadType(), codec, ch, out);
        Net sec = secondaryNet;
        if (d.secondary() != null && sec != null) {
            StreamDescription.Leg leg = d.secondary();
            try {
                DatagramChannel second = sec.receiver(address(leg.address()), leg.port());
                s.withLegs(new LegMerger(ch, d.address() + ":" + d.port() + " on " + net, second,
                        leg.address() + ":" + leg.port() + " on " + sec, d.payloadType(),
                        d.channels() * codec.bytesPerSample()));
            } catch (IOException e) {
                s.close();
                throw new DriverException("cannot receive " + leg.address() + ":" + leg.port() + " on " + sec + ": "
                        + e.getMessage(), e);
            }
        }
        try {
            engine.putSink(s);
        } catch (IOException e) {
            s.close();
            throw new DriverException("cannot register sink " + d.id() + ": " + e.getMessage(), e);
        }
        sinkMeters.put(d.id(), meter);
        taps.started(d.id(), d.sampleRate(), d.channels());
    }

    @Override
    public synchronized void stopSink(int id) {
        sinkMeters.remove(id);
        if (engine.removeSink(id)) {
            taps.stopped(id);
        }
    }

    @Override
    public SinkStatus sinkStatus(int id) {
        SinkStream s = engine.sink(id);
        return s == null ? SinkStatus.IDLE : s.status(System.nanoTime());
    }

    @Override
    public SinkStatus peekSinkStatus(int id) {
        SinkStream s = engine.sink(id);
        return s == null ? SinkStatus.IDLE : s.peek(System.nanoTime());
    }

    @Override
    public StreamLevels sourceLevels(int id) {
        LevelMeter m = sourceMeters.get(id);
        return m == null ? null : m.read();
    }

    @Override
    public StreamLevels sinkLevels(int id) {
        LevelMeter m = sinkMeters.get(id);
        return m == null ? null : m.read();
    }

    @Override
    public SourceCounters sourceCounters(int id) {
        SourceStream s = engine.source(id);
        if (s == null) {
            return null;
        }
        long sent = s.packetsSent();
        return new SourceCounters(sent, sent * s.packetBytes(), s.sendErrors(), s.packetsSkipped(),
                s.lateOverMilli());
    }

    @Override
    public SinkArrivals sinkArrivals(int id) {
        SinkStream s = engine.sink(id);
        return s == null ? null : s.arrivals.snapshot();
    }

    /** Ids of the running sources, ascending. */
    Set<Integer> sourceIds() {
        return sourceMeters.keySet();
    }

    /** Ids of the running sinks, ascending. */
    Set<Integer> sinkIds() {
        return sinkMeters.keySet();
    }

    @Override
    public synchronized void close() {
        engine.close();
        sourceMeters.clear();
        sinkMeters.clear();
        taps.stoppedAll();
    }

    // ---------------------------------------------------------------- checks and endpoints

    private SampleCodec check(StreamDescription d) throws StreamRejectedException {
        SampleCodec codec = SampleCodec.forName(d.codec());
        if (codec == null) {
            throw new StreamRejectedException("invalid codec \"" + d.codec() + "\" (L16, L24, AM824)");
        }
        if (d.sampleRate() < 8000 || d.sampleRate() > 384000) {
            throw new StreamRejectedException("invalid sample rate " + d.sampleRate());
        }
        if (d.channels() < 1 || d.channels() != d.map().size()) {
            throw new StreamRejectedException("invalid map: " + d.map().size() + " entries for " + d.channels()
                    + " channels");
        }
        if (d.framesPerPacket() < 1 || d.framesPerPacket() > maxFramesPerPacket) {
            throw new StreamRejectedException("invalid packet size " + d.framesPerPacket() + " frames (1.."
                    + maxFramesPerPacket + ")");
        }
        if (12 + d.framesPerPacket() * d.channels() * codec.bytesPerSample() > MAX_UDP_PAYLOAD) {
            throw new StreamRejectedException("packet of " + d.framesPerPacket() + " frames x " + d.channels()
                    + " channels does not fit a UDP datagram");
        }
        if (d.payloadType() < 0 || d.payloadType() > 127) {
            throw new StreamRejectedException("invalid payload_type " + d.payloadType());
        }
        if (d.port() < 1 || d.port() > 65535) {
            throw new StreamRejectedException("invalid port " + d.port());
        }
        return codec;
    }

    private static InetAddress address(String text) throws StreamRejectedException {
        if (text == null || !IPV4.matcher(text).matches()) {
            throw new StreamRejectedException("invalid address \"" + text + "\" (IPv4 expected)");
        }
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: no name lookup
            if (!(a instanceof Inet4Address)) {
                throw new StreamRejectedException("invalid address \"" + text + "\"");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new StreamRejectedException("invalid address \"" + text + "\"");
        }
    }

    private int[] deviceMap(StreamDescription d) throws StreamRejectedException {
        VirtualDevice device = engine.device();
        if (d.sampleRate() != device.rate()) {
            throw new StreamRejectedException("the Audio Device runs at " + device.rate() + " Hz, the stream at "
                    + d.sampleRate() + " Hz (use file:, pipe: or tone: for other rates)");
        }
        List<Integer> map = d.map();
        int[] m = new int[map.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = map.get(i);
            if (m[i] < 0 || m[i] >= device.channels()) {
                throw new StreamRejectedException("invalid map: channel " + m[i] + " is not on the Audio Device (0.."
                        + (device.channels() - 1) + ")");
            }
        }
        return m;
    }

    private AudioIn openInput(StreamDescription d) throws DriverException {
        if (DEVICE.equals(d.io())) {
            return Endpoints.devicePlayback(engine.device(), deviceMap(d));
        }
        AudioBackend b = backend(d.io());
        try {
            return Endpoints.backend(b.openInput(d.io(), new AudioFormat(d.sampleRate(), d.channels())));
        } catch (IllegalArgumentException e) {
            throw new StreamRejectedException("invalid io: " + e.getMessage());
        } catch (IOException e) {
            throw new DriverException("cannot open " + d.io() + ": " + e.getMessage(), e);
        }
    }

    private AudioOut openOutput(StreamDescription d) throws DriverException {
        if (DEVICE.equals(d.io())) {
            return Endpoints.deviceCapture(engine.device(), deviceMap(d));
        }
        AudioBackend b = backend(d.io());
        try {
            return Endpoints.backend(b.openOutput(d.io(), new AudioFormat(d.sampleRate(), d.channels())));
        } catch (IllegalArgumentException e) {
            throw new StreamRejectedException("invalid io: " + e.getMessage());
        } catch (IOException e) {
            throw new DriverException("cannot open " + d.io() + ": " + e.getMessage(), e);
        }
    }

    private Path realMediaDir() {
        try {
            return mediaDir.toRealPath();
        } catch (IOException e) {
            return mediaDir;
        }
    }

    private AudioBackend backend(String io) throws StreamRejectedException {
        int colon = io == null ? -1 : io.indexOf(':');
        if (colon < 1) {
            throw new StreamRejectedException("invalid io \"" + io + "\"");
        }
        String scheme = io.substring(0, colon);
        if ((scheme.equals("file") || scheme.equals("pipe")) && mediaDir != null) {
            // The session manager confines paths already; a second check keeps the driver safe on its own.
            Path p = Path.of(io.substring(colon + 1)).toAbsolutePath().normalize();
            if (!p.startsWith(mediaDir) && !p.startsWith(realMediaDir())) {
                throw new StreamRejectedException("invalid io: path outside media_dir");
            }
        }
        AudioBackend b = backends.apply(scheme);
        if (b == null) {
            throw new StreamRejectedException("invalid io: no audio backend for \"" + scheme + ":\"");
        }
        return b;
    }
}
