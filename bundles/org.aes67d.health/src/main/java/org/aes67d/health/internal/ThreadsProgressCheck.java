package org.aes67d.health.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.aes67d.api.health.Liveness;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's and PTP's threads go round their loops ({@link Liveness}, the signal the systemd watchdog uses too).
 * A sampler reads every counter once a second and remembers when each last grew; a thread whose counter has not
 * grown for {@link #STALLED_MS} is critical.
 * <p>
 * Immediate: the Felix HC executor gets and ungets a check's service around every execution, and a delayed DS
 * component would be built and torn down each time, its history (and so any stall) gone with it.
 */
@Component(immediate = true, property = { HealthCheck.NAME + "=Engine and PTP threads alive",
    HealthCheck.TAGS + "=aes67d", HealthCheck.TAGS + "=engine" })
public final class ThreadsProgressCheck implements HealthCheck {
    static final long STALLED_MS = 3000;
    private static final Logger LOG = LoggerFactory.getLogger(ThreadsProgressCheck.class);

    private final Map<Liveness, String> services = new ConcurrentHashMap<>();
    private final ProgressWatch watch;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health-liveness");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public ThreadsProgressCheck() {
        this(System::currentTimeMillis);
    }

    ThreadsProgressCheck(LongSupplier clock) {
        watch = new ProgressWatch(clock);
        sampler.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLiveness(Liveness l, Map<String, Object> props) {
        String name = String.valueOf(props.getOrDefault(Liveness.NAME, "unnamed"));
        services.put(l, name);
        observe(l, name); // a check right after binding has a first reading, not an empty log
    }

    void removeLiveness(Liveness l) {
        String name = services.remove(l);
        if (name != null) {
            watch.forget(name);
        }
    }

    @Deactivate
    void deactivate() {
        sampler.shutdownNow();
    }

    /**
     * One observation of every service. A service that throws (e.g. while its bundle stops) is skipped this time:
     * an exception escaping a periodic task would cancel it for good, and every later check would read a frozen,
     * possibly empty, table.
     */
    void sample() {
        services.forEach(this::observe);
    }

    private void observe(Liveness l, String name) {
        try {
            watch.observe(name, l.progress());
        } catch (RuntimeException e) {
            LOG.debug("progress of {} not readable now: {}", name, e.toString());
        }
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        if (services.isEmpty()) {
            log.warn("no engine or PTP thread reports its progress (their bundles are not running)");
            return new Result(log);
        }
        watch.report(STALLED_MS, log);
        return new Result(log);
    }
}
