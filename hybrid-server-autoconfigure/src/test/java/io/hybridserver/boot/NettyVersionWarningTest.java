package io.hybridserver.boot;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.hybridserver.testsupport.TestServers;
import io.hybridserver.transport.NettyVersionCheck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that starts on a Netty older than the oldest one tested says so, once, in the log. The old Netty is
 * simulated the way Netty itself reports its version: an {@code io.netty.versions.properties} resource, here added
 * by the starting thread's context class loader, which {@code Version.identify()} reads.
 */
@ExtendWith(OutputCaptureExtension.class)
class NettyVersionWarningTest {

	private final List<HybridWebServer> servers = new ArrayList<>();

	@TempDir
	Path resources;

	@AfterEach
	void stop() {
		this.servers.forEach(HybridWebServer::stop);
	}

	@Test
	void anOlderNettyIsNamedOnceAtStart(CapturedOutput output) throws Exception {
		Thread thread = Thread.currentThread();
		ClassLoader original = thread.getContextClassLoader();
		try (URLClassLoader oldNetty = withNettyVersion("4.2.9.Final")) {
			thread.setContextClassLoader(oldNetty);
			this.servers.add(TestServers.start(TestServers::echo, (settings) -> {
			}));
			this.servers.add(TestServers.start(TestServers::echo, (settings) -> {
			}));
		}
		finally {
			thread.setContextClassLoader(original);
		}
		String expected = "Netty 4.2.9.Final (netty-codec-http) on the classpath is older than "
				+ NettyVersionCheck.OLDEST_TESTED + ", the oldest Netty the hybrid server is tested with";
		assertThat(output.getOut()).contains(expected).contains("WARN");
		assertThat(output.getOut().split(java.util.regex.Pattern.quote(expected), -1)).hasSize(2);
	}

	@Test
	void theNettyOfThisBuildIsNotWarnedAbout(CapturedOutput output) {
		this.servers.add(TestServers.start(TestServers::echo, (settings) -> {
		}));
		assertThat(output.getAll()).doesNotContain("older than " + NettyVersionCheck.OLDEST_TESTED);
	}

	/** A class loader that adds a Netty version resource claiming {@code netty-codec-http} is {@code version}. */
	private URLClassLoader withNettyVersion(String version) throws IOException {
		Path file = this.resources.resolve("META-INF/io.netty.versions.properties");
		Files.createDirectories(file.getParent());
		Files.writeString(file, "netty-codec-http.version=" + version + "\n"
				+ "netty-codec-http.buildDate=2026-01-01 00\\:00\\:00 +0000\n"
				+ "netty-codec-http.commitDate=2026-01-01 00\\:00\\:00 +0000\n"
				+ "netty-codec-http.shortCommitHash=0000000\n"
				+ "netty-codec-http.longCommitHash=0000000000000000000000000000000000000000\n"
				+ "netty-codec-http.repoStatus=clean\n", StandardCharsets.ISO_8859_1);
		return new URLClassLoader(new URL[] { this.resources.toUri().toURL() }, getClass().getClassLoader());
	}

}
