package org.aes67d.driver.netlink.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.aes67d.driver.netlink.internal.wire.MsgId;
import org.aes67d.driver.netlink.internal.wire.NlCodec;
import org.aes67d.driver.netlink.internal.wire.NlMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the C++ daemon answers to the module's events, and the values it keeps from them: the sample rate an ALSA
 * application asked for (applied later by a SetSampleRate command), the master output volume and switch.
 */
final class ModuleEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleEvents.class);
    static final int INITIAL_VOLUME = -20;
    private static final byte[] EMPTY = new byte[0];

    private final AtomicInteger volume = new AtomicInteger(INITIAL_VOLUME);
    private final AtomicInteger outputSwitch = new AtomicInteger(0);
    /** Rate asked for by an ALSA application and not applied yet; 0 = none. */
    private final AtomicInteger requestedRate = new AtomicInteger(0);

    /** The answer's payload; the caller sends it with the event's id and errCode 0. */
    byte[] answer(NlMessage event) {
        byte[] p = event.payload();
        switch (event.id()) {
            case MsgId.HELLO, MsgId.BYE:
                return EMPTY;
            case MsgId.SET_SAMPLE_RATE:
                if (p.length == 4 && event.int32() > 0) {
                    requestedRate.set(event.int32());
                    LOG.info("an ALSA application asks for {} Hz", event.int32());
                }
                return EMPTY;
            case MsgId.SET_MASTER_OUTPUT_VOLUME:
                if (p.length == 4) {
                    volume.set(event.int32());
                }
                return EMPTY;
            case MsgId.SET_MASTER_OUTPUT_SWITCH:
                if (p.length == 4) {
                    outputSwitch.set(event.int32());
                }
                return EMPTY;
            case MsgId.GET_MASTER_OUTPUT_VOLUME:
                return NlCodec.int32(volume.get());
            case MsgId.GET_MASTER_OUTPUT_SWITCH:
                return NlCodec.int32(outputSwitch.get());
            default:
                LOG.warn("module event {} ({} bytes) not known; answered with 4 zero bytes", MsgId.name(event.id()),
                        p.length);
                return NlCodec.int32(0);
        }
    }

    int volume() {
        return volume.get();
    }

    int outputSwitch() {
        return outputSwitch.get();
    }

    /** The rate asked for since the last call, or 0; clears it. */
    int takeRequestedRate() {
        return requestedRate.getAndSet(0);
    }
}
