package dev.ticker.it;

import java.net.URI;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the ITs that deploy and undeploy the WAR themselves, through {@link #deployer}. Its
 * address cannot be injected before it is deployed, so it is built from {@code it.http.port},
 * which each server's Maven profile sets.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class RedeployedTicker {

    static final String WAR = "ticker";

    @Deployment(name = WAR, managed = false, testable = false)
    static WebArchive deployment() {
        return TickerDeployment.war();
    }

    @ArquillianResource
    Deployer deployer;

    static String httpBase() {
        return "http://localhost:" + System.getProperty("it.http.port", "18181") + "/ticker/";
    }

    static URI stream() throws Exception {
        return TickerDeployment.streamUri(URI.create(httpBase()).toURL());
    }
}
