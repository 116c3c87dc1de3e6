package org.aes67d.metrics.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.aes67d.api.limits.Refusals;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** {@code aes67d_refused_total{subsystem,kind}}: what the HTTP guard, SAP and RTSP refused of outside input. */
final class RefusalCollector implements MultiCollector {
    private final List<Refusals> sources;

    /** @param sources the live list of every registered {@link Refusals} service */
    RefusalCollector(List<Refusals> sources) {
        this.sources = sources;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder c = CounterSnapshot.builder().name("aes67d_refused")
                .help("outside input refused or dropped for breaking a limit or a rule, by subsystem and kind");
        for (Refusals r : sources) {
            String subsystem = r.subsystem();
            // sorted, so that scrapes list the kinds in the same order
            for (Map.Entry<String, Long> e : new TreeMap<>(r.counts()).entrySet()) {
                c.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("subsystem", subsystem, "kind",
                        e.getKey())).value(e.getValue()).build());
            }
        }
        return MetricSnapshots.builder().metricSnapshot(c.build()).build();
    }
}
