package org.aes67d.metrics.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.aes67d.api.driver.Driver;
import org.aes67d.api.driver.SinkArrivals;
import org.aes67d.api.driver.SourceCounters;
import org.aes67d.api.driver.StreamLevels;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.Source;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Per-stream metrics from the driver in use: what each source sent, what each sink received with the stream
 * verifier's counters and the arrival margins, and every channel's level. Read at scrape time from counters the
 * audio threads keep anyway; a driver that keeps none (the defaults of {@link Driver}) contributes nothing.
 */
final class StreamCollector implements MultiCollector {
    /** Levels below this are exported as it: silence would be -200 dBFS, not a useful point on a graph. */
    private static final double FLOOR_DBFS = -120;

    private final Supplier<SessionManager> sessions;
    private final Supplier<Driver> driver;

    StreamCollector(Supplier<SessionManager> sessions, Supplier<Driver> driver) {
        this.sessions = sessions;
        this.driver = driver;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        SessionManager sm = sessions.get();
        Driver d = driver.get();
        if (sm != null && d != null) {
            sources(out, sm.sources(), d);
            sinks(out, sm, sm.sinks(), d);
        }
        return out.build();
    }

    private static void sources(MetricSnapshots.Builder out, List<Source> sources, Driver d) {
        CounterSnapshot.Builder packets = counter("aes67d_source_packets", "RTP packets sent");
        CounterSnapshot.Builder bytes = counter("aes67d_source_bytes", "bytes sent, RTP headers included");
        CounterSnapshot.Builder errors = counter("aes67d_source_send_errors",
                "packets the socket refused (lost on the way out)");
        CounterSnapshot.Builder skipped = counter("aes67d_source_skipped_packets",
                "packets not sent because a stall made them too old for any receiver");
        CounterSnapshot.Builder late = counter("aes67d_source_late_packets", "packets sent over 1 ms after their time");
        Levels levels = new Levels("source", "sends");
        for (Source s : sources) {
            Labels l = Labels.of("id", Integer.toString(s.id()), "name", s.name());
            SourceCounters c = d.sourceCounters(s.id());
            if (c != null) {
                packets.dataPoint(point(l, c.packets()));
                bytes.dataPoint(point(l, c.bytes()));
                errors.dataPoint(point(l, c.sendErrors()));
                skipped.dataPoint(point(l, c.skipped()));
                late.dataPoint(point(l, c.late()));
            }
            levels.add(l, d.sourceLevels(s.id()));
        }
        out.metricSnapshot(packets.build());
        out.metricSnapshot(bytes.build());
        out.metricSnapshot(errors.build());
        out.metricSnapshot(skipped.build());
        out.metricSnapshot(late.build());
        levels.addTo(out);
    }

    private static void sinks(MetricSnapshots.Builder out, SessionManager sm, List<Sink> sinks, Driver d) {
        CounterSnapshot.Builder packets = counter("aes67d_sink_packets", "valid RTP packets received");
        CounterSnapshot.Builder bytes = counter("aes67d_sink_bytes", "bytes of valid RTP packets, headers included");
        CounterSnapshot.Builder glitches = counter("aes67d_sink_glitches",
                "events a listener may hear, as the stream verifier counts them");
        CounterSnapshot.Builder events = counter("aes67d_sink_verifier_events",
                "the stream verifier's counters since the sink started, by event");
        HistogramSnapshot.Builder margin = HistogramSnapshot.builder().name("aes67d_sink_arrival_margin_seconds")
                .help("how long before its playout time each packet arrived (at most 0: too late to play)");
        Levels levels = new Levels("sink", "plays out");
        for (Sink s : sinks) {
            Labels l = Labels.of("id", Integer.toString(s.id()), "name", s.name());
            SinkArrivals a = d.sinkArrivals(s.id());
            if (a != null) {
                packets.dataPoint(point(l, a.packets()));
                bytes.dataPoint(point(l, a.bytes()));
                margin.dataPoint(histogram(l, a));
            }
            try {
                Map<String, Object> v = sm.peekSinkStatus(s.id()).verifier();
                if (v.get("glitches") instanceof Number g) {
                    glitches.dataPoint(point(l, g.doubleValue()));
                }
                if (v.get("since_creation") instanceof Map<?, ?> counts) {
                    for (Map.Entry<?, ?> e : counts.entrySet()) {
                        String name = String.valueOf(e.getKey());
                        // received is aes67d_sink_packets_total; glitches is its own metric
                        if (!name.equals("received") && !name.equals("glitches") && e.getValue() instanceof Number n) {
                            events.dataPoint(point(l.add("event", name), n.doubleValue()));
                        }
                    }
                }
            } catch (SessionException e) {
                continue; // removed since the listing
            }
            levels.add(l, d.sinkLevels(s.id()));
        }
        out.metricSnapshot(packets.build());
        out.metricSnapshot(bytes.build());
        out.metricSnapshot(glitches.build());
        out.metricSnapshot(events.build());
        out.metricSnapshot(margin.build());
        levels.addTo(out);
    }

    private static HistogramDataPointSnapshot histogram(Labels l, SinkArrivals a) {
        double[] bounds = a.bucketBounds();
        long[] cumulative = a.bucketCounts();
        long[] perBucket = new long[cumulative.length];
        for (int i = 0; i < cumulative.length; i++) {
            perBucket[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
        }
        return HistogramDataPointSnapshot.builder().labels(l).sum(a.marginSumSeconds())
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket)).build();
    }

    /** The per-channel peak and RMS gauges of one kind of stream. */
    private static final class Levels {
        final GaugeSnapshot.Builder peak;
        final GaugeSnapshot.Builder rms;

        Levels(String kind, String verb) {
            peak = GaugeSnapshot.builder().name("aes67d_" + kind + "_peak_dbfs")
                    .help("sample peak of each channel the " + kind + " " + verb + " (falls back 20 dB in 1.7 s)");
            rms = GaugeSnapshot.builder().name("aes67d_" + kind + "_rms_dbfs")
                    .help("RMS level of each channel the " + kind + " " + verb + " (300 ms average)");
        }

        void add(Labels l, StreamLevels levels) {
            if (levels == null) {
                return;
            }
            float[] p = levels.peak();
            float[] r = levels.rms();
            for (int c = 0; c < p.length; c++) {
                Labels lc = l.add("channel", Integer.toString(c));
                peak.dataPoint(GaugeDataPointSnapshot.builder().labels(lc)
                        .value(Math.max(FLOOR_DBFS, StreamLevels.dbfs(p[c]))).build());
                rms.dataPoint(GaugeDataPointSnapshot.builder().labels(lc)
                        .value(Math.max(FLOOR_DBFS, StreamLevels.dbfs(r[c]))).build());
            }
        }

        void addTo(MetricSnapshots.Builder out) {
            out.metricSnapshot(peak.build());
            out.metricSnapshot(rms.build());
        }
    }

    private static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(name).help(help);
    }

    private static CounterDataPointSnapshot point(Labels l, double value) {
        return CounterDataPointSnapshot.builder().labels(l).value(value).build();
    }
}
