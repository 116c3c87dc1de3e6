package org.aes67d.metrics.internal;

import java.util.List;
import java.util.function.Supplier;

import org.aes67d.api.discovery.SourceBrowser;
import org.aes67d.api.ptp.PtpClock;
import org.aes67d.api.ptp.PtpState;
import org.aes67d.api.ptp.PtpStatus;
import org.aes67d.api.session.SessionException;
import org.aes67d.api.session.SessionManager;
import org.aes67d.api.session.Sink;
import org.aes67d.api.session.SinkStatus;
import org.aes67d.api.session.Source;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The daemon's own metrics, read from the services at scrape time (nothing is sampled in between, and nothing
 * runs on the audio threads for it). A service that is not running contributes no samples.
 */
final class DaemonCollector implements MultiCollector {
    private final Supplier<PtpClock> ptp;
    private final Supplier<SessionManager> sessions;
    private final Supplier<List<SourceBrowser>> browsers;
    private final PtpChanges ptpChanges;
    private final RequestCounter requests;

    DaemonCollector(Supplier<PtpClock> ptp, Supplier<SessionManager> sessions, Supplier<List<SourceBrowser>> browsers,
            PtpChanges ptpChanges, RequestCounter requests) {
        this.ptp = ptp;
        this.sessions = sessions;
        this.browsers = browsers;
        this.ptpChanges = ptpChanges;
        this.requests = requests;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        ptpMetrics(out);
        streamMetrics(out);
        browseMetrics(out);
        requestMetrics(out);
        return out.build();
    }

    private void ptpMetrics(MetricSnapshots.Builder out) {
        PtpClock clock = ptp.get();
        PtpStatus status = clock == null ? PtpStatus.unlocked() : clock.status();
        ptpChanges.observeGrandmaster(status.grandmasterId());
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("aes67d_ptp_state")
                .help("1 for the current PTP lock state, 0 for the others");
        for (PtpState s : PtpState.values()) {
            state.dataPoint(point(s == status.state() ? 1 : 0, "state", s.wireName()));
        }
        out.metricSnapshot(state.build());
        out.metricSnapshot(gauge("aes67d_ptp_locked", "1 while PTP is locked", status.state() == PtpState.LOCKED ? 1 : 0));
        out.metricSnapshot(InfoSnapshot.builder().name("aes67d_ptp_grandmaster").help("the current grandmaster")
                .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("gmid", status.grandmasterId())).build())
                .build());
        out.metricSnapshot(counter("aes67d_ptp_state_changes", "PTP lock state changes", ptpChanges.stateChanges()));
        out.metricSnapshot(counter("aes67d_ptp_grandmaster_changes", "changes from one grandmaster to another",
                ptpChanges.grandmasterChanges()));
        if (clock != null) {
            out.metricSnapshot(gauge("aes67d_ptp_offset_seconds", "last offset from the master",
                    status.offsetNs() / 1e9));
            out.metricSnapshot(gauge("aes67d_ptp_path_delay_seconds", "mean path delay to the master",
                    status.pathDelayNs() / 1e9));
            out.metricSnapshot(gauge("aes67d_ptp_jitter_seconds", "offset jitter as GET /api/ptp/status reports it",
                    status.jitter() / 1e9));
        }
    }

    private void streamMetrics(MetricSnapshots.Builder out) {
        SessionManager sm = sessions.get();
        if (sm == null) {
            return;
        }
        List<Source> sources = sm.sources();
        List<Sink> sinks = sm.sinks();
        out.metricSnapshot(gauge("aes67d_sources", "local sources", sources.size()));
        out.metricSnapshot(gauge("aes67d_sinks", "local sinks", sinks.size()));
        GaugeSnapshot.Builder enabled = GaugeSnapshot.builder().name("aes67d_source_enabled")
                .help("1 while the source is enabled");
        for (Source s : sources) {
            enabled.dataPoint(GaugeDataPointSnapshot.builder().value(s.enabled() ? 1 : 0)
                    .labels(Labels.of("id", Integer.toString(s.id()), "name", s.name(), "codec", s.codec()))
                    .build());
        }
        out.metricSnapshot(enabled.build());

        GaugeSnapshot.Builder receiving = GaugeSnapshot.builder().name("aes67d_sink_receiving")
                .help("1 while the sink receives RTP packets");
        GaugeSnapshot.Builder muted = GaugeSnapshot.builder().name("aes67d_sink_muted")
                .help("1 while the sink plays silence");
        GaugeSnapshot.Builder errors = GaugeSnapshot.builder().name("aes67d_sink_error")
                .help("1 while the sink's error flag is set (seq_id, ssrc, payload_type, sac)");
        GaugeSnapshot.Builder minTime = GaugeSnapshot.builder().name("aes67d_sink_min_time_samples")
                .help("smallest arrival margin in samples (sink_min_time)");
        for (Sink s : sinks) {
            SinkStatus st;
            try {
                st = sm.peekSinkStatus(s.id());
            } catch (SessionException e) {
                continue; // removed since the listing
            }
            Labels labels = Labels.of("id", Integer.toString(s.id()), "name", s.name());
            receiving.dataPoint(point(labels, st.receivingRtpPacket() ? 1 : 0));
            muted.dataPoint(point(labels, st.muted() ? 1 : 0));
            errors.dataPoint(point(labels.add("flag", "seq_id"), st.seqIdError() ? 1 : 0));
            errors.dataPoint(point(labels.add("flag", "ssrc"), st.ssrcError() ? 1 : 0));
            errors.dataPoint(point(labels.add("flag", "payload_type"), st.payloadTypeError() ? 1 : 0));
            errors.dataPoint(point(labels.add("flag", "sac"), st.sacError() ? 1 : 0));
            minTime.dataPoint(point(labels, st.minTime()));
        }
        out.metricSnapshot(receiving.build());
        out.metricSnapshot(muted.build());
        out.metricSnapshot(errors.build());
        out.metricSnapshot(minTime.build());
    }

    private void browseMetrics(MetricSnapshots.Builder out) {
        GaugeSnapshot.Builder remote = GaugeSnapshot.builder().name("aes67d_remote_sources")
                .help("remote sources listed by each discovery protocol");
        for (SourceBrowser b : browsers.get()) {
            remote.dataPoint(point(b.remoteSources().size(), "protocol", b.protocol()));
        }
        out.metricSnapshot(remote.build());
    }

    private void requestMetrics(MetricSnapshots.Builder out) {
        CounterSnapshot.Builder c = CounterSnapshot.builder().name("aes67d_http_requests")
                .help("REST requests under /api by method and status code");
        requests.counts().forEach((key, count) -> c.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of("method", key.method(), "code", Integer.toString(key.status())))
                .value(count.sum()).build()));
        out.metricSnapshot(c.build());
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeDataPointSnapshot point(double value, String label, String labelValue) {
        return point(Labels.of(label, labelValue), value);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
