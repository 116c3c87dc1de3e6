import java.util.Map;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;

/**
 * Test tool: makes one thread of a running JVM hang, from outside, through its debug agent (JDWP), and lets it go
 * after a while: {@code java SuspendThread.java HOST PORT THREAD_NAME SECONDS}. Prints "suspended <ms>" and
 * "resumed <ms>" (epoch milliseconds). No hook in the daemon's code is needed.
 */
public final class SuspendThread {
    public static void main(String[] args) throws Exception {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.transport().name().equals("dt_socket")).findFirst().orElseThrow();
        Map<String, Connector.Argument> a = socket.defaultArguments();
        a.get("hostname").setValue(args[0]);
        a.get("port").setValue(args[1]);
        VirtualMachine vm = socket.attach(a);
        ThreadReference thread = vm.allThreads().stream().filter(t -> t.name().equals(args[2])).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread named " + args[2]));
        thread.suspend();
        System.out.println("suspended " + System.currentTimeMillis());
        Thread.sleep(Long.parseLong(args[3]) * 1000);
        thread.resume();
        System.out.println("resumed " + System.currentTimeMillis());
        vm.dispose();
    }

    private SuspendThread() {
    }
}
