package org.aes67d.session.internal;

import java.lang.annotation.Annotation;

/** A SessionConfig as the config bridge would give it, for tests without OSGi. */
record TestConfig(String status_file, String node_id, String ip_addr, String rtp_mcast_base, int rtp_port,
        int sample_rate, int ptp_domain, String media_dir, boolean auto_sinks_update, String interface_name,
        String rtp_mcast_base_sec, int rtp_port_sec) implements SessionConfig {

    static TestConfig withStatusFile(String file) {
        return new TestConfig(file, "Daemon 007f0100", "127.0.0.1", "239.1.0.1", 5004, 48000, 0, "./media", true,
                "lo", "239.1.0.1", 5004);
    }

    TestConfig withAutoSinksUpdate(boolean on) {
        return new TestConfig(status_file, node_id, ip_addr, rtp_mcast_base, rtp_port, sample_rate, ptp_domain,
                media_dir, on, interface_name, rtp_mcast_base_sec, rtp_port_sec);
    }

    /** ST 2022-7: two interface names, the secondary base address and port. */
    TestConfig withInterfaces(String names, String baseSec, int portSec) {
        return new TestConfig(status_file, node_id, ip_addr, rtp_mcast_base, rtp_port, sample_rate, ptp_domain,
                media_dir, auto_sinks_update, names, baseSec, portSec);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return SessionConfig.class;
    }
}
