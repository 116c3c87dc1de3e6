package org.aes67d.driver.netlink.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.aes67d.api.driver.Driver;
import org.aes67d.api.ptp.PtpClock;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the module drives the audio and runs PTP, no other Driver or PtpClock may run: the user-space engine would
 * hold the network and our PTP bundle would run a second clock on the same domain. Their DS components are disabled
 * through the Service Component Runtime (visible in the Web Console's Components page) and enabled again when the
 * netlink driver stops. No change in those bundles is needed.
 */
final class StandDown {
    private static final Logger LOG = LoggerFactory.getLogger(StandDown.class);
    private static final Set<String> SERVICES = Set.of(Driver.class.getName(), PtpClock.class.getName());

    private final ServiceComponentRuntime scr;
    private final long ownBundle;
    private final List<ComponentDescriptionDTO> disabled = new ArrayList<>();

    StandDown(ServiceComponentRuntime scr, long ownBundle) {
        this.scr = scr;
        this.ownBundle = ownBundle;
    }

    /** Disables every enabled component of another bundle that provides a Driver or a PtpClock. */
    synchronized void apply() {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle.id != ownBundle && provides(d) && scr.isComponentEnabled(d)) {
                scr.disableComponent(d);
                if (disabled.stream().noneMatch(o -> o.name.equals(d.name) && o.bundle.id == d.bundle.id)) {
                    disabled.add(d);
                }
                LOG.info("{} stands down while the kernel module drives the audio", d.name);
            }
        }
    }

    /** Enables what {@link #apply()} disabled. */
    synchronized void release() {
        for (ComponentDescriptionDTO d : disabled) {
            try {
                scr.enableComponent(d);
                LOG.info("{} enabled again", d.name);
            } catch (RuntimeException e) {
                LOG.debug("{} cannot be enabled (bundle gone?): {}", d.name, e.toString());
            }
        }
        disabled.clear();
    }

    private static boolean provides(ComponentDescriptionDTO d) {
        for (String s : d.serviceInterfaces) {
            if (SERVICES.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
