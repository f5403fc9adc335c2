package dev.ticker.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Without {@code ticker.broker} the app never touches Redis: it starts and stops with the Redis
 * client missing from its class path altogether.
 */
class EmbeddedModeTest {

    @Test
    void theAppStartsAndStopsWithoutTheRedisClientOnItsClassPath() throws Exception {
        try (URLClassLoader withoutRedis = classPathWithout("/redis/clients/", "/commons-pool2/")) {
            assertThrows(ClassNotFoundException.class, () -> withoutRedis.loadClass("redis.clients.jedis.Jedis"));
            Map<String, Object> attributes = new ConcurrentHashMap<>();
            Object context = servletContext(withoutRedis, attributes);
            Object event = withoutRedis.loadClass("jakarta.servlet.ServletContextEvent")
                    .getConstructor(withoutRedis.loadClass("jakarta.servlet.ServletContext")).newInstance(context);
            Object listener = withoutRedis.loadClass(TickerContextListener.class.getName()).getConstructor().newInstance();
            Class<?> eventType = withoutRedis.loadClass("jakarta.servlet.ServletContextEvent");
            // As a container does: the deployment's class loader is the context class loader.
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(withoutRedis);
            try {
                listener.getClass().getMethod("contextInitialized", eventType).invoke(listener, event);
                assertNotNull(attributes.get(TickerRuntime.class.getName()), "the app started");
                assertNotNull(attributes.get("published endpoint"), "the stream's endpoint was published");
                assertNotNull(attributes.get("published servlet sse-quotes"), "the event stream's servlet was published");
                assertTrue(withoutRedis.loadClass("dev.ticker.cluster.ClusterConfig") != null);
            } catch (InvocationTargetException e) {
                throw new AssertionError("the app needed something missing: " + e.getCause(), e.getCause());
            } finally {
                listener.getClass().getMethod("contextDestroyed", eventType).invoke(listener, event);
                Thread.currentThread().setContextClassLoader(previous);
            }
            assertNull(attributes.get(TickerRuntime.class.getName()), "the app stopped");
        }
    }

    private static URLClassLoader classPathWithout(String... excluded) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            boolean keep = true;
            for (String part : excluded) {
                keep &= !path.contains(part);
            }
            if (keep) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** A WebSocket container that only records the endpoints published to it. */
    private static Object serverContainer(ClassLoader loader, Map<String, Object> attributes) throws Exception {
        Class<?> type = loader.loadClass("jakarta.websocket.server.ServerContainer");
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("addEndpoint")) {
                attributes.put("published endpoint", args[0]);
            }
            return null;
        });
    }

    /** A servlet registration that records the servlet's path mappings. */
    private static Object servletRegistration(ClassLoader loader, Map<String, Object> attributes, String name) throws Exception {
        Class<?> type = loader.loadClass("jakarta.servlet.ServletRegistration$Dynamic");
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("addMapping")) {
                attributes.put("published servlet " + name, java.util.List.of((String[]) args[0]));
                return java.util.Set.of();
            }
            return null;
        });
    }

    private static Object servletContext(ClassLoader loader, Map<String, Object> attributes) throws Exception {
        Class<?> type = loader.loadClass("jakarta.servlet.ServletContext");
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
            case "setAttribute" -> {
                attributes.put((String) args[0], args[1]);
                yield null;
            }
            case "getAttribute" -> "jakarta.websocket.server.ServerContainer".equals(args[0])
                    ? serverContainer(loader, attributes) : attributes.get((String) args[0]);
            case "removeAttribute" -> attributes.remove((String) args[0]);
            case "addServlet" -> servletRegistration(loader, attributes, (String) args[0]);
            case "toString" -> "servlet context";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> null;   // getInitParameter and the rest: nothing set
        });
    }
}
