package io.hybridserver.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads access log files in a directory. The writer thread flushes once its queue is empty, so a test waits for the
 * line it caused (bounded), never for a time.
 */
public final class AccessLogFiles {

	private AccessLogFiles() {
	}

	/** Every line of every file in the directory, files in name order. */
	public static List<String> lines(Path directory) throws IOException {
		List<String> lines = new ArrayList<>();
		if (!Files.isDirectory(directory)) {
			return lines;
		}
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.sorted().toList()) {
				lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
			}
		}
		return lines;
	}

	/** Waits up to ten seconds for exactly one line that matches, and returns it. */
	public static String awaitLine(Path directory, Predicate<String> matching) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (true) {
			List<String> found = lines(directory).stream().filter(matching).toList();
			if (found.size() > 1) {
				throw new AssertionError("More than one access log line matches: " + found);
			}
			if (found.size() == 1) {
				return found.get(0);
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No access log line matches after 10 s; lines: " + lines(directory));
			}
			Thread.sleep(20);
		}
	}

}
