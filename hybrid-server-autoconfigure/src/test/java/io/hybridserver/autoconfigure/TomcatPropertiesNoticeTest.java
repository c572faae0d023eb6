package io.hybridserver.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.tomcat.*} properties carried over from a Tomcat application are not ignored in silence: one warning
 * names each, with the {@code server.hybrid.*} property that replaces it.
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatPropertiesNoticeTest {

	@Test
	void eachTomcatPropertyIsNamedWithItsReplacementInAnyRelaxedForm() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("app", Map.of("server.tomcat.max-http-form-post-size", "1MB",
					"server.tomcat.acceptCount", "200", "SERVER_TOMCAT_REMOTEIP_REMOTEIPHEADER", "x-real-ip",
					"server.tomcat.basedir", "/tmp", "server.port", "8080")));
		String text = TomcatPropertiesNotice.describe(environment);
		assertThat(text).contains("server.tomcat.max-http-form-post-size (use server.hybrid.max-form-post-size)")
			.contains("server.tomcat.acceptCount (use server.hybrid.accept-backlog)")
			.contains("SERVER_TOMCAT_REMOTEIP_REMOTEIPHEADER (use server.hybrid.remote-ip.remote-ip-header)")
			.contains("server.tomcat.basedir (no equivalent)")
			.contains("META-INF/hybrid-server/docs/configuration.md")
			.doesNotContain("server.port");
	}

	@Test
	void nothingIsSaidWithoutTomcatProperties() {
		assertThat(TomcatPropertiesNotice.describe(new StandardEnvironment())).isNull();
	}

	@Test
	void anApplicationStartingWithATomcatLimitLogsTheWarningOnce(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.tomcat.max-parameter-count=50")
			.run()) {
			assertThat(output.getOut()).containsOnlyOnce(
					"server.tomcat.max-parameter-count (use server.hybrid.max-parameter-count)");
		}
	}

}
