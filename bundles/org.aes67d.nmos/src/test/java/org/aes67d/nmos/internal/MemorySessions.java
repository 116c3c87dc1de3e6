package org.aes67d.nmos.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aes67d.api.discovery.SourceAnnouncer;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;
import org.aes67d.sdp.LocalSourceSdp;

/**
 * The session manager contract kept in memory, with the daemon's real source SDP writer; it tells its announcers of
 * source changes as the session bundle does. The end-to-end path through the real session bundle and engine is the
 * benchmark script's (scripts/nmos-scale.sh).
 */
final class MemorySessions implements SessionManager {
    private final TreeMap<Integer, Source> sources = new TreeMap<>();
    private final TreeMap<Integer, Sink> sinks = new TreeMap<>();
    private final TreeMap<Integer, Integer> versions = new TreeMap<>();
    final List<SourceAnnouncer> announcers = new CopyOnWriteArrayList<>();
    final List<Sink> sinkHistory = new CopyOnWriteArrayList<>();
    volatile long lastSinkPutNanos;

    static Source source(int id, String name, String codec, int channels) {
        List<Integer> map = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            map.add(i);
        }
        return new Source(id, true, name, "tone:440", 48, codec, "239.15.0." + (id + 1), 15, 98, 34, false, map);
    }

    static Sink sink(int id, String name, int channels) {
        List<Integer> map = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            map.add(i);
        }
        return new Sink(id, name, "file:sink" + id + ".wav", false, "", "", 480, false, map);
    }

    /** The start time of the last {@link #putSource(Source, long)}, Long.MIN_VALUE after a plain putSource. */
    volatile long lastSourceStart = Long.MIN_VALUE;

    @Override
    public void putSource(Source source, long startPtpNanos) throws SessionException {
        putSource(source);
        lastSourceStart = startPtpNanos;
    }

    @Override
    public void putSource(Source source) throws SessionException {
        lastSourceStart = Long.MIN_VALUE;
        String sdp;
        synchronized (this) {
            sources.put(source.id(), source);
            versions.merge(source.id(), 1, Integer::sum);
            sdp = sourceSdp(source.id());
        }
        announcers.forEach(a -> a.sourceUpdated(source, sdp));
    }

    @Override
    public void removeSource(int id) throws SessionException {
        Source s;
        String sdp;
        synchronized (this) {
            sdp = sourceSdp(id);
            s = sources.remove(id);
        }
        announcers.forEach(a -> a.sourceRemoved(s, sdp));
    }

    @Override
    public synchronized List<Source> sources() {
        return List.copyOf(sources.values());
    }

    @Override
    public synchronized String sourceSdp(int id) throws SessionException {
        Source s = sources.get(id);
        if (s == null) {
            throw new SessionException("stream not in use", true);
        }
        int rate = s.sampleRate() > 0 ? s.sampleRate() : 48000;
        return LocalSourceSdp.render(new LocalSourceSdp.Params("Daemon 0100007f", s.name(), "127.0.0.1",
                LocalSourceSdp.sessionId("127.0.0.1", id), versions.get(id), 5004, s.payloadType(), s.address(),
                s.ttl(), s.codec(), rate, s.map().size(), s.maxSamplesPerPacket(), 0, "00-1D-C1-FF-FE-12-34-56", false,
                null));
    }

    @Override
    public synchronized void putSink(Sink sink) throws SessionException {
        if (sink.useSdp() && sink.sdp().isBlank()) {
            throw new SessionException("cannot parse SDP: empty", true);
        }
        sinks.put(sink.id(), sink);
        sinkHistory.add(sink);
        lastSinkPutNanos = System.nanoTime();
    }

    @Override
    public synchronized void removeSink(int id) throws SessionException {
        if (sinks.remove(id) == null) {
            throw new SessionException("stream not in use", true);
        }
    }

    @Override
    public synchronized List<Sink> sinks() {
        return List.copyOf(sinks.values());
    }

    @Override
    public synchronized SinkStatus sinkStatus(int id) throws SessionException {
        return SinkStatus.IDLE;
    }
}
