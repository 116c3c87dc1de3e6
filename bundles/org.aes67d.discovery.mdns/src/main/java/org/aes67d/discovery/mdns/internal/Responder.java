package org.aes67d.discovery.mdns.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.MulticastSocket;
import java.util.concurrent.atomic.AtomicLong;

import javax.jmdns.impl.JmDNSImpl;

/**
 * jmDNS with two behaviours changed. Its socket thread calls {@link #recover()} on any IOException, and a packet it
 * cannot parse is one: every malformed packet re-registered everything and restarted its tasks (under a flood of
 * mutated packets that ended in "message full", rejected tasks and a closed socket). Here a parse error with a
 * healthy socket is only counted; a socket that really broke marks the responder failed, and the component opens a
 * fresh one (jmDNS's own recovery is not used).
 */
final class Responder extends JmDNSImpl {
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean failed;

    Responder(InetAddress address, String hostName) throws IOException {
        super(address, hostName, 0);
    }

    @Override
    public void recover() {
        MulticastSocket s = getSocket();
        if (s != null && !s.isClosed() && !isClosing() && !isClosed()) {
            malformed.incrementAndGet();
            return;
        }
        failed = true;
    }

    long malformed() {
        return malformed.get();
    }

    boolean failed() {
        return failed;
    }
}
