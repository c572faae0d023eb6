package io.hybridserver.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.ssl.OpenSsl;
import io.netty.util.Version;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Netty this run really tests. The build passes the versions it resolved (surefire system properties from
 * the root pom); the {@code boot-managed-netty} leg of {@code .ci/run} must not silently run on ours, nor the default
 * leg on Boot's. The versions that leg uses must also stay those that Spring Boot's BOM manages.
 */
class NettyVersionsTest {

	@Test
	void everyNettyArtifactIsTheVersionTheBuildAskedFor() {
		String expected = required("hybrid.test.netty.version");
		Map<String, String> found = new TreeMap<>();
		Version.identify().forEach((artifact, version) -> {
			if (!artifact.startsWith("netty-tcnative")) {
				found.put(artifact, version.artifactVersion());
			}
		});
		assertThat(found).containsKeys("netty-common", "netty-buffer", "netty-transport", "netty-handler",
				"netty-codec-http", "netty-transport-classes-epoll");
		assertThat(found).allSatisfy((artifact, version) -> assertThat(version).as(artifact).isEqualTo(expected));
	}

	@Test
	void boringSslIsTheTcnativeTheBuildAskedForAndItsNativesLoad() throws IOException {
		String expected = required("hybrid.test.netty-tcnative.version");
		assertThat(OpenSsl.isAvailable()).as("BoringSSL natives of tcnative %s load", expected).isTrue();
		Properties pom = new Properties();
		try (InputStream in = OpenSsl.class.getClassLoader()
			.getResourceAsStream("META-INF/maven/io.netty/netty-tcnative-classes/pom.properties")) {
			assertThat(in).as("netty-tcnative-classes' pom.properties").isNotNull();
			pom.load(in);
		}
		assertThat(pom.getProperty("version")).isEqualTo(expected);
	}

	@Test
	void theOldestNettyTestedIsTheOneSpringBootManages() throws IOException {
		String bootNetty = required("hybrid.test.boot-managed.netty.version");
		assertThat(NettyVersionCheck.OLDEST_TESTED).isEqualTo(bootNetty);
		Path repository = Path.of(required("hybrid.test.local-repository"));
		String boot = required("hybrid.test.spring-boot.version");
		String bootBom = Files.readString(repository.resolve("org/springframework/boot/spring-boot-dependencies/"
				+ boot + "/spring-boot-dependencies-" + boot + ".pom"));
		assertThat(property(bootBom, "netty.version")).as("the Netty that Spring Boot %s manages", boot)
			.isEqualTo(bootNetty);
		String nettyBom = Files.readString(repository
			.resolve("io/netty/netty-bom/" + bootNetty + "/netty-bom-" + bootNetty + ".pom"));
		assertThat(property(nettyBom, "tcnative.version")).as("the tcnative that netty-bom %s manages", bootNetty)
			.isEqualTo(required("hybrid.test.boot-managed.netty-tcnative.version"));
	}

	private static String required(String name) {
		String value = System.getProperty(name);
		assertThat(value).as("system property %s (set by the root pom's surefire configuration)", name).isNotBlank();
		return value;
	}

	private static String property(String pom, String name) {
		Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
		assertThat(matcher.find()).as("<%s> in the BOM", name).isTrue();
		return matcher.group(1).trim();
	}

}
