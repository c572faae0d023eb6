package io.hybridserver.autoconfigure.webmvc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

import io.hybridserver.apps.statics.StaticContentApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring MVC's resource chain on the hybrid server, from a real application: the chain's answers to link lookups,
 * "not a resource" included, are kept for {@code server.hybrid.resource.cache-ttl}, only when the application's chain
 * caches, and the resources themselves are served as before.
 */
class ResourceChainAnswerCacheTest {

	@TempDir
	Path root;

	private ConfigurableApplicationContext start(String... more) {
		String[] properties = { "server.port=0", "spring.main.banner-mode=off", "server.servlet.register-default-servlet=true",
				"spring.web.resources.static-locations=file:" + this.root + "/",
				"spring.web.resources.chain.strategy.content.enabled=true",
				"spring.web.resources.chain.strategy.content.paths=/**", "server.hybrid.resource.cache-ttl=1s" };
		return new SpringApplicationBuilder(StaticContentApplication.class).properties(properties)
			.properties(more)
			.run();
	}

	@Test
	void aMissingResourceIsRememberedForTheTimeToLiveThenFound() throws Exception {
		Files.writeString(this.root.resolve("present.txt"), "here");
		try (ConfigurableApplicationContext context = start()) {
			ResourceUrlProvider links = context.getBean(ResourceUrlProvider.class);
			String versioned = links.getForLookupPath("/present.txt");
			assertThat(versioned).matches("/present-[0-9a-f]{32}\\.txt");
			assertThat(links.getForLookupPath("/late.txt")).isNull();
			Files.writeString(this.root.resolve("late.txt"), "late");
			// Within the time to live the answer "not a resource" stands: no look at the locations.
			assertThat(links.getForLookupPath("/late.txt")).isNull();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(links.getForLookupPath("/late.txt")).matches("/late-[0-9a-f]{32}\\.txt"));
			// Requests for resources go through the handler's own chain, as before.
			HttpResponse<String> served = get(context, versioned);
			assertThat(served.statusCode()).isEqualTo(200);
			assertThat(served.body()).isEqualTo("here");
			assertThat(get(context, "/late.txt").body()).isEqualTo("late");
		}
	}

	@Test
	void aChainThatDoesNotCacheIsLeftAsItIs() throws Exception {
		try (ConfigurableApplicationContext context = start("spring.web.resources.chain.cache=false")) {
			assertSeenAtOnce(context);
		}
	}

	@Test
	void offWithTheServletContextsResourceCache() throws Exception {
		try (ConfigurableApplicationContext context = start("server.hybrid.resource.cache-enabled=false")) {
			assertSeenAtOnce(context);
		}
	}

	@Test
	void offWithAZeroTimeToLive() throws Exception {
		try (ConfigurableApplicationContext context = start("server.hybrid.resource.cache-ttl=0")) {
			assertSeenAtOnce(context);
		}
	}

	private void assertSeenAtOnce(ConfigurableApplicationContext context) throws Exception {
		ResourceUrlProvider links = context.getBean(ResourceUrlProvider.class);
		assertThat(links.getForLookupPath("/late.txt")).isNull();
		Files.writeString(this.root.resolve("late.txt"), "late");
		assertThat(links.getForLookupPath("/late.txt")).matches("/late-[0-9a-f]{32}\\.txt");
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

}
