package dev.billingportal.servlet;

import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Embedded Tomcat 11. */
final class TomcatContainer implements ServletContainer {
    private final Tomcat tomcat;

    private final String host;

    private TomcatContainer(Tomcat tomcat, String host) {
        this.tomcat = tomcat;
        this.host = host;
    }

    static ServletContainer start(String host, String contextPath, Map<String, HttpServlet> servletsByMapping) throws Exception {
        Path baseDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tomcat-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toAbsolutePath().toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setProperty("address", host);
        tomcat.getConnector().setPort(0);
        Context context = tomcat.addContext(contextPath, baseDir.toAbsolutePath().toString());
        int i = 0;
        for (Map.Entry<String, HttpServlet> entry : servletsByMapping.entrySet()) {
            String name = "servlet-" + i++;
            Tomcat.addServlet(context, name, entry.getValue());
            context.addServletMappingDecoded(entry.getKey(), name);
        }
        tomcat.start();
        return new TomcatContainer(tomcat, host);
    }

    @Override
    public URI origin() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + tomcat.getConnector().getLocalPort());
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
