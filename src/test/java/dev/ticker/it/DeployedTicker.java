package dev.ticker.it;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the ITs that talk to one deployment of the WAR from outside, as its users do. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class DeployedTicker {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TickerDeployment.war();
    }

    /** {@code http://host:port/ticker/} of the deployment. */
    @ArquillianResource
    URL base;

    URI stream() {
        return TickerDeployment.streamUri(base);
    }

    QuoteClient connect() throws Exception {
        return QuoteClient.connect(stream());
    }

    /** How many connections the server has closed with {@code code}, by its {@code /health}. */
    long closedByServer(int code) throws Exception {
        String body = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(base.toExternalForm() + "health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
            jakarta.json.JsonObject closed = reader.readObject().getJsonObject("closedByServer");
            return closed.containsKey(String.valueOf(code)) ? closed.getJsonNumber(String.valueOf(code)).longValue() : 0;
        }
    }
}
