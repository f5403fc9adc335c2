package dev.ticker.stream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * Makes the threads of the hub's pools, all daemons, and remembers them: {@code awaitTermination}
 * returns while a finished pool's last thread is still exiting, and a container checking for
 * leftover threads right after undeploy (Tomcat) would see it, so shutdown {@link #join joins} them.
 */
final class HubThreads {

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /** A factory of threads named {@code name}. */
    ThreadFactory named(String name) {
        return runnable -> {
            threads.removeIf(t -> !t.isAlive());   // pools whose idle threads ended made new ones
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }

    /** Waits up to {@code timeoutMillis} for each thread made to end. */
    void join(long timeoutMillis) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(timeoutMillis);
        }
    }
}
