package io.hybridserver.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.util.Version;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Warns when the Netty on the classpath is older than the oldest Netty this server is tested with. Applications built
 * on {@code spring-boot-starter-parent} get the Netty that Spring Boot manages, not the one this project pins, and a
 * Netty patch release can change what its HTTP/1.1 decoder accepts; the suite runs on both (the
 * {@code boot-managed-netty} Maven profile), so anything older is untested.
 */
public final class NettyVersionCheck {

	/**
	 * The oldest Netty the suite runs on: the one spring-boot-dependencies 4.1.1 manages. NettyVersionsTest keeps it
	 * equal to the build's {@code boot-managed.netty.version}.
	 */
	public static final String OLDEST_TESTED = "4.2.17.Final";

	private static final Log logger = LogFactory.getLog(NettyVersionCheck.class);

	/** Warnings already logged: each is logged once per JVM, however many servers start. */
	private static final Set<String> logged = ConcurrentHashMap.newKeySet();

	private NettyVersionCheck() {
	}

	/**
	 * Logs a warning, once, if any Netty artifact visible to the current thread's context class loader (where
	 * {@link Version#identify()} looks) is older than {@link #OLDEST_TESTED}.
	 */
	public static void warnIfOlderThanTested() {
		Map<String, String> found = new TreeMap<>();
		Version.identify().forEach((artifact, version) -> found.put(artifact, version.artifactVersion()));
		Optional<String> warning = warning(found, OLDEST_TESTED);
		if (warning.isPresent()) {
			if (logged.add(warning.get())) {
				logger.warn(warning.get());
			}
		}
		else if (found.isEmpty() && logger.isDebugEnabled()) {
			logger.debug("Netty's version could not be read (no META-INF/io.netty.versions.properties); not checked");
		}
	}

	/**
	 * The warning for these Netty artifacts and versions, or empty when none is older than {@code oldestTested}.
	 * Versions that cannot be read are not judged.
	 */
	static Optional<String> warning(Map<String, String> artifactVersions, String oldestTested) {
		Map<String, List<String>> older = new TreeMap<>((a, b) -> compare(a, b));
		new TreeMap<>(artifactVersions).forEach((artifact, version) -> {
			if (artifact.startsWith("netty-") && !artifact.startsWith("netty-tcnative") && isOlder(version, oldestTested)) {
				older.computeIfAbsent(version, (v) -> new ArrayList<>()).add(artifact);
			}
		});
		if (older.isEmpty()) {
			return Optional.empty();
		}
		StringBuilder found = new StringBuilder();
		older.forEach((version, artifacts) -> found.append((found.length() > 0) ? ", " : "")
			.append(version).append(" (").append(String.join(", ", artifacts)).append(')'));
		return Optional.of("Netty " + found + " on the classpath is older than " + oldestTested
				+ ", the oldest Netty the hybrid server is tested with: this combination is untested, and Netty's "
				+ "security fixes since then are missing. Use Netty " + oldestTested + " or later: with spring-boot-starter-parent set the "
				+ "netty.version property, otherwise import io.netty:netty-bom at that version before Spring Boot's "
				+ "dependencies.");
	}

	/** Whether {@code version} is a release before {@code oldest}; {@code false} when either cannot be read. */
	static boolean isOlder(String version, String oldest) {
		ParsedVersion a = ParsedVersion.parse(version);
		ParsedVersion b = ParsedVersion.parse(oldest);
		return a != null && b != null && a.compareTo(b) < 0;
	}

	/** Orders readable versions as releases; unreadable ones last, by text. */
	static int compare(String x, String y) {
		ParsedVersion a = ParsedVersion.parse(x);
		ParsedVersion b = ParsedVersion.parse(y);
		if (a != null && b != null) {
			int order = a.compareTo(b);
			return (order != 0) ? order : x.compareTo(y);
		}
		return (a != null) ? -1 : (b != null) ? 1 : x.compareTo(y);
	}

	/**
	 * A Netty version: {@code major.minor.micro.Qualifier} ({@code 4.2.17.Final}, {@code 4.2.0.Alpha1},
	 * {@code 4.2.0.RC2}), optionally {@code -SNAPSHOT}. A pre-release or snapshot comes before its release.
	 */
	private record ParsedVersion(int major, int minor, int micro, int stage, int stageNumber, boolean snapshot)
			implements Comparable<ParsedVersion> {

		private static final List<String> STAGES = List.of("alpha", "beta", "cr", "rc", "final");

		static ParsedVersion parse(String text) {
			if (text == null) {
				return null;
			}
			String rest = text.trim();
			boolean snapshot = rest.toUpperCase(Locale.ROOT).endsWith("-SNAPSHOT");
			if (snapshot) {
				rest = rest.substring(0, rest.length() - "-SNAPSHOT".length());
			}
			String[] parts = rest.split("\\.", 4);
			if (parts.length < 3) {
				return null;
			}
			try {
				int major = Integer.parseInt(parts[0]);
				int minor = Integer.parseInt(parts[1]);
				int micro = Integer.parseInt(parts[2]);
				String qualifier = (parts.length > 3) ? parts[3].toLowerCase(Locale.ROOT) : "final";
				int digits = qualifier.length();
				while (digits > 0 && Character.isDigit(qualifier.charAt(digits - 1))) {
					digits--;
				}
				int stage = STAGES.indexOf(qualifier.substring(0, digits));
				if (stage < 0) {
					return null;
				}
				int stageNumber = (digits < qualifier.length()) ? Integer.parseInt(qualifier.substring(digits)) : 0;
				return new ParsedVersion(major, minor, micro, stage, stageNumber, snapshot);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

		@Override
		public int compareTo(ParsedVersion other) {
			int[] mine = { this.major, this.minor, this.micro, this.stage, this.stageNumber, this.snapshot ? 0 : 1 };
			int[] theirs = { other.major, other.minor, other.micro, other.stage, other.stageNumber,
					other.snapshot ? 0 : 1 };
			for (int i = 0; i < mine.length; i++) {
				if (mine[i] != theirs[i]) {
					return Integer.compare(mine[i], theirs[i]);
				}
			}
			return 0;
		}

	}

}
