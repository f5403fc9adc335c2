package dev.ticker.it;

import dev.ticker.stream.QuoteEndpoint;
import jakarta.websocket.server.ServerEndpoint;
import java.io.File;
import java.net.URI;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR under test and the addresses in it. */
final class TickerDeployment {

    private TickerDeployment() {
    }

    /**
     * The WAR the build produced ({@code target/ticker.war}, named by Failsafe), not a ShrinkWrap
     * rebuild: the ITs test the very file users deploy.
     */
    static WebArchive war() {
        String path = System.getProperty("ticker.war", "target/ticker.war");
        File file = new File(path);
        if (!file.isFile()) {
            throw new IllegalStateException(path + " does not exist; run the ITs through 'mvn verify'");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, file);
    }

    /** The quote stream of the deployment at {@code base} ({@code http://host:port/ticker/}). */
    static URI streamUri(URL base) {
        String path = QuoteEndpoint.class.getAnnotation(ServerEndpoint.class).value();
        String http = base.toExternalForm().replaceFirst("/$", "");
        return URI.create(http.replaceFirst("^http", "ws") + path);
    }
}
