package io.hybridserver.transport;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the Netty on the classpath is older than the oldest one tested: the comparison, on version strings. */
class NettyVersionCheckTest {

	@Test
	void releasesCompareByNumberNotByText() {
		assertThat(NettyVersionCheck.isOlder("4.2.16.Final", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.9.Final", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.1.128.Final", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.17.Final", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("4.2.18.Final", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("4.2.100.Final", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("5.0.0.Alpha5", "4.2.17.Final")).isFalse();
	}

	@Test
	void preReleasesAndSnapshotsComeBeforeTheirRelease() {
		assertThat(NettyVersionCheck.isOlder("4.2.17.Alpha1", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.17.Beta2", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.17.CR1", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.17.Final-SNAPSHOT", "4.2.17.Final")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.0.Alpha2", "4.2.0.Alpha10")).isTrue();
		assertThat(NettyVersionCheck.isOlder("4.2.18.Final-SNAPSHOT", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("4.2.18.Alpha1", "4.2.17.Final")).isFalse();
	}

	@Test
	void unreadableVersionsAreNotJudged() {
		assertThat(NettyVersionCheck.isOlder("unknown", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("4.2", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("4.2.x.Final", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder("4.2.1.Weird", "4.2.17.Final")).isFalse();
		assertThat(NettyVersionCheck.isOlder(null, "4.2.17.Final")).isFalse();
	}

	@Test
	void theWarningNamesWhatWasFoundTheOldestTestedAndWhatToDo() {
		assertThat(NettyVersionCheck.warning(Map.of("netty-common", "4.2.17.Final", "netty-codec-http",
				"4.2.17.Final", "netty-tcnative-classes", "2.0.70.Final"), "4.2.17.Final")).isEmpty();
		assertThat(NettyVersionCheck.warning(Map.of(), "4.2.17.Final")).isEmpty();
		assertThat(NettyVersionCheck.warning(Map.of("netty-common", "4.2.9.Final", "netty-codec-http", "4.2.9.Final",
				"netty-handler", "4.1.100.Final", "netty-buffer", "4.2.18.Final"), "4.2.17.Final"))
			.hasValueSatisfying((warning) -> assertThat(warning)
				.startsWith("Netty 4.1.100.Final (netty-handler), 4.2.9.Final (netty-codec-http, netty-common) on the "
						+ "classpath is older than 4.2.17.Final, the oldest Netty the hybrid server is tested with")
				.contains("set the netty.version property", "import io.netty:netty-bom")
				.doesNotContain("netty-buffer"));
	}

}
