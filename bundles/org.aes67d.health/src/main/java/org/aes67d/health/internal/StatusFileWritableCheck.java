package org.aes67d.health.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aes67d.api.config.DaemonConfigService;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The folder of {@code status_file} takes a new file, which is how the status file is replaced (temp file and
 * rename): when it cannot, every stream change fails. Checked by writing, because permission bits do not stop root
 * and say nothing of a full or read-only file system.
 */
@Component(property = { HealthCheck.NAME + "=Status file writable", HealthCheck.TAGS + "=aes67d",
    HealthCheck.TAGS + "=disk" })
public final class StatusFileWritableCheck implements HealthCheck {
    private final DaemonConfigService config;

    @Activate
    public StatusFileWritableCheck(@Reference DaemonConfigService config) {
        this.config = config;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        Object configured = config.snapshot().get("status_file");
        if (!(configured instanceof String name) || name.isEmpty()) {
            log.info("no status file configured");
            return new Result(log);
        }
        Path folder = Path.of(name).toAbsolutePath().normalize().getParent();
        try {
            Path probe = Files.createTempFile(folder, ".aes67d-health-", ".tmp");
            Files.delete(probe);
            log.info("{} is writable", folder);
        } catch (IOException | RuntimeException e) {
            log.critical("cannot write in {}: {}; stream changes will fail", folder, e.toString());
        }
        return new Result(log);
    }
}
