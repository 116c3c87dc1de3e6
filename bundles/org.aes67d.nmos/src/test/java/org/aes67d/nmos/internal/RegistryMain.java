package org.aes67d.nmos.internal;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The test registry as a process, for the scale-out benchmark (scripts/nmos-scale.sh): {@code ADDRESS PORT}. Prints
 * one line per second: nodes, senders, receivers, heartbeats, rejections; exits on SIGTERM.
 */
public final class RegistryMain {
    private RegistryMain() {
    }

    public static void main(String[] args) throws Exception {
        TestRegistry r = new TestRegistry(InetAddress.getByName(args[0]), Integer.parseInt(args[1]),
                Duration.ofSeconds(12));
        System.out.println("registry: " + r.uri());
        int lastRejections = 0;
        while (true) {
            Thread.sleep(1000); // a status line per second, not synchronisation
            System.out.printf("registry: nodes %d senders %d receivers %d heartbeats %d calls %d rejections %d%n",
                    r.count("node"), r.count("sender"), r.count("receiver"), r.heartbeats.get(), r.calls.size(),
                    r.rejections.size());
            for (int i = lastRejections; i < r.rejections.size(); i++) {
                System.out.println("registry: rejected " + r.rejections.get(i));
            }
            lastRejections = r.rejections.size();
        }
    }
}
