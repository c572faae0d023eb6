package io.hybridserver.boot;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The servlet factory as Spring Boot drives it, compared with what Boot's own servers do (Boot's
 * {@code AbstractServletWebServerFactoryTests} and {@code TomcatServletWebServerFactoryTests} hold the same cases):
 * load-on-startup servlets in {@code start()}, the root resource, MIME mappings, a missing key alias, the startup line.
 */
@ExtendWith(OutputCaptureExtension.class)
class HybridServletWebServerFactoryTest {

	private WebServer webServer;

	@AfterEach
	void stop() {
		if (this.webServer != null) {
			this.webServer.destroy();
		}
	}

	private static HybridServletWebServerFactory factory() {
		HybridServletWebServerFactory factory = new HybridServletWebServerFactory(0);
		factory.getServerSettings().setIoThreads(1);
		factory.getServerSettings().setWorkers(2);
		return factory;
	}

	@Test
	void loadOnStartupServletsAreInitialisedWhenTheServerStarts() {
		List<String> inits = new CopyOnWriteArrayList<>();
		this.webServer = factory().getWebServer((context) -> {
			context.addServlet("second", new RecordingServlet("second", inits)).setLoadOnStartup(2);
			context.addServlet("first", new RecordingServlet("first", inits)).setLoadOnStartup(1);
			context.addServlet("lazy", new RecordingServlet("lazy", inits)).addMapping("/lazy");
		});
		// Boot's application context is not yet ready here: Tomcat under Boot defers them too.
		assertThat(inits).isEmpty();
		this.webServer.start();
		assertThat(inits).containsExactly("first", "second");
	}

	@Test
	void aLoadOnStartupServletThatFailsFailsStartWithAWebServerException() {
		this.webServer = factory().getWebServer((context) -> context.addServlet("failing", new GenericServlet() {

			@Override
			public void init() throws ServletException {
				throw new ServletException("failing on purpose");
			}

			@Override
			public void service(ServletRequest req, ServletResponse res) {
			}

		}).setLoadOnStartup(0));
		assertThatExceptionOfType(WebServerException.class).isThrownBy(this.webServer::start)
			.withStackTraceContaining("failing on purpose");
		assertThat(this.webServer.getPort()).isEqualTo(-1);
	}

	@Test
	void theRootResourceExistsWithoutADocumentRoot() throws Exception {
		AtomicReference<URL> root = new AtomicReference<>();
		Thread thread = Thread.currentThread();
		ClassLoader original = thread.getContextClassLoader();
		// A class loader with no META-INF/resources, as an application without static content has.
		try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(empty);
			this.webServer = factory().getWebServer((context) -> {
				try {
					root.set(context.getResource("/"));
				}
				catch (MalformedURLException ex) {
					throw new ServletException(ex);
				}
			});
		}
		finally {
			thread.setContextClassLoader(original);
		}
		assertThat(root.get()).isNotNull();
	}

	@Test
	void mimeMappingsAreExactlyBootsAndTheConfiguredOnes() {
		HybridServletWebServerFactory factory = factory();
		MimeMappings configured = new MimeMappings();
		configured.add("hyb", "application/x-hybrid");
		factory.addMimeMappings(configured);
		AtomicReference<List<String>> types = new AtomicReference<>();
		this.webServer = factory.getWebServer((context) -> types.set(List.of(String.valueOf(context.getMimeType("a.hyb")),
				String.valueOf(context.getMimeType("a.css")), String.valueOf(context.getMimeType("a.woff2")),
				String.valueOf(context.getMimeType("a.map")), String.valueOf(context.getMimeType("a.md")))));
		assertThat(types.get()).containsExactly("application/x-hybrid", "text/css",
				MimeMappings.DEFAULT.get("woff2") + "", MimeMappings.DEFAULT.get("map") + "",
				MimeMappings.DEFAULT.get("md") + "");
	}

	@Test
	void aKeyAliasMissingFromTheKeyStoreFailsAsBootsServersSayIt() {
		HybridServletWebServerFactory factory = factory();
		Ssl ssl = new Ssl();
		ssl.setKeyStore("classpath:tls/server.p12");
		ssl.setKeyStorePassword("secret");
		ssl.setKeyAlias("test-alias-404");
		factory.setSsl(ssl);
		assertThatExceptionOfType(WebServerException.class).isThrownBy(() -> {
			this.webServer = factory.getWebServer();
			this.webServer.start();
		}).withStackTraceContaining("Keystore does not contain alias 'test-alias-404'");
	}

	@Test
	void theStartupLineNamesTheContextPathInBootsWords(CapturedOutput output) {
		HybridServletWebServerFactory factory = factory();
		factory.setContextPath("/api");
		this.webServer = factory.getWebServer();
		this.webServer.start();
		assertThat(output).contains("Hybrid server started on port " + this.webServer.getPort()
				+ " (http) with context path '/api'");
		this.webServer.destroy();
		this.webServer = factory().getWebServer();
		this.webServer.start();
		assertThat(output).contains("Hybrid server started on port " + this.webServer.getPort()
				+ " (http) with context path '/'");
	}

	/** Records its init, by name. */
	static final class RecordingServlet extends GenericServlet {

		private final String name;

		private final transient List<String> inits;

		RecordingServlet(String name, List<String> inits) {
			this.name = name;
			this.inits = inits;
		}

		@Override
		public void init(ServletConfig config) throws ServletException {
			super.init(config);
			this.inits.add(this.name);
		}

		@Override
		public void service(ServletRequest req, ServletResponse res) {
		}

	}

}
