package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.statics.StaticContentApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static content: Boot's resource handling (conditional GET, ranges, welcome page, webjars, server.mime-mappings) and
 * the container's default servlet over a document root (server.servlet.register-default-servlet).
 */
@SpringBootTest(classes = StaticContentApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.servlet.register-default-servlet=true", "server.mime-mappings.hybridcss=text/css" })
class StaticContentApplicationTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void classpathStaticResourcesWithConditionalGetAndRanges() throws Exception {
		HttpResponse<String> full = get("/alphabet.txt");
		assertThat(full.statusCode()).isEqualTo(200);
		assertThat(full.body()).isEqualTo("0123456789abcdefghijklmnopqrstuvwxyz");
		String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();
		assertThat(get("/alphabet.txt", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
		HttpResponse<String> range = get("/alphabet.txt", "Range", "bytes=10-15");
		assertThat(range.statusCode()).isEqualTo(206);
		assertThat(range.body()).isEqualTo("abcdef");
		assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-15/36");
	}

	@Test
	void welcomePageWebjarsAndMimeMappings() throws Exception {
		HttpResponse<String> welcome = get("/");
		assertThat(welcome.statusCode()).isEqualTo(200);
		assertThat(welcome.body()).contains("welcome page");
		HttpResponse<String> webjar = get("/webjars/demo/1.0/demo.js");
		assertThat(webjar.statusCode()).isEqualTo(200);
		assertThat(webjar.body()).isEqualTo("window.demo = 1;\n");
		HttpResponse<String> css = get("/site.hybridcss");
		assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/css"));
	}

	@Test
	void springServesTheDocumentRootThroughTheServletContext() throws Exception {
		HttpResponse<String> file = get("/docs/readme.txt");
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.body()).isEqualTo("from the document root\n");
	}

	/** With Boot's resource handling off, Spring MVC hands unmatched requests to the container's default servlet. */
	@Test
	void theDefaultServletServesTheDocumentRootWithValidatorsAndRanges() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StaticContentApplication.class)
			.properties("server.port=0", "server.servlet.register-default-servlet=true",
					"spring.web.resources.add-mappings=false")
			.run()) {
			int previous = this.port;
			this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			try {
				defaultServletAnswers();
			}
			finally {
				this.port = previous;
			}
		}
	}

	private void defaultServletAnswers() throws Exception {
		HttpResponse<String> file = get("/docs/readme.txt");
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.body()).isEqualTo("from the document root\n");
		assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
		String etag = file.headers().firstValue("ETag").orElseThrow();
		assertThat(get("/docs/readme.txt", "If-None-Match", etag).statusCode()).isEqualTo(304);
		HttpResponse<String> suffix = get("/docs/readme.txt", "Range", "bytes=-5");
		assertThat(suffix.statusCode()).isEqualTo(206);
		assertThat(suffix.body()).isEqualTo("root\n");
		assertThat(get("/docs/readme.txt", "Range", "bytes=500-").statusCode()).isEqualTo(416);
		assertThat(get("/docs/").body()).isEqualTo("<p>docs index</p>\n");
		assertThat(get("/docs/missing.txt").statusCode()).isEqualTo(404);
		assertThat(get("/WEB-INF/secret").statusCode()).isEqualTo(404);
		// After the document root, META-INF/resources of the class path (here a class directory, as in an IDE).
		HttpResponse<String> classpath = get("/webjars/demo/1.0/demo.js");
		assertThat(classpath.statusCode()).isEqualTo(200);
		assertThat(classpath.body()).isEqualTo("window.demo = 1;\n");
		assertThat(classpath.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/javascript"));
		assertThat(get("/webjars/demo/1.0/").statusCode()).isEqualTo(404);
	}

}
