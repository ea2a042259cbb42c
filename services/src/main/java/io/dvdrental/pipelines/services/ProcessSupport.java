package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small process and socket helpers shared by the services. */
final class ProcessSupport {

    private ProcessSupport() {
    }

    /** A JVM command running {@code mainClass} on the server classpath of this module. */
    static List<String> javaCommand(String heap, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.add("-Dlogback.configurationFile=" + "dvd-services/logback-server.xml");
        cmd.add("-cp");
        cmd.add(ServerClasspath.get());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** True when something accepts connections on the loopback port. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(StackConfig.HOST, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when we could bind the loopback port ourselves right now. */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(StackConfig.HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Optional<ProcessHandle> alive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }
}
