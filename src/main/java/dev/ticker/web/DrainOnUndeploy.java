package dev.ticker.web;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Set;

/**
 * Drains the stream on undeploy before the container closes the WebSocket sessions itself. Tomcat
 * closes them (1001, "The web application is stopping") in a context listener that its own
 * initializer registers; listeners are destroyed in the reverse order of their registration, so
 * that one ran before {@link TickerContextListener}, declared in web.xml, and the clients got no
 * notice and no spread. A listener registered here, by the WAR's initializer, which runs after the
 * container's, is destroyed before the container's. Elsewhere it only begins the drain a moment
 * earlier than {@link TickerContextListener} would.
 */
public class DrainOnUndeploy implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                TickerRuntime runtime = TickerContextListener.runningOrNull(event.getServletContext());
                if (runtime != null) {
                    TickerContextListener.drain(runtime);
                }
            }
        });
    }
}
