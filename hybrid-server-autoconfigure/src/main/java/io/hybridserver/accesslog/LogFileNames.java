package io.hybridserver.accesslog;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalQueries;
import java.util.Comparator;

/**
 * The names of the access log's files: prefix + date stamp + suffix, and with a size limit prefix + stamp + {@code .N}
 * + suffix for the N-th further file of the date. Reads names back to find a date's last file and the oldest files.
 */
final class LogFileNames {

	/** A file of this log: its date stamp (empty when undated), its number (0 for the first) and its date if known. */
	record LogFile(Path path, String stamp, int index, LocalDate date) {
	}

	/** By the date in the name (undated first), then the stamp, then the number. */
	static final Comparator<LogFile> OLDEST_FIRST = Comparator
		.comparing(LogFile::date, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(LogFile::stamp)
		.thenComparingInt(LogFile::index);

	private final String prefix;

	private final String suffix;

	private final DateTimeFormatter dateFormat;

	/**
	 * @param dateFormat the stamp's format, with its zone; {@code null} for undated names
	 */
	LogFileNames(String prefix, String suffix, DateTimeFormatter dateFormat) {
		this.prefix = prefix;
		this.suffix = suffix;
		this.dateFormat = dateFormat;
	}

	boolean dated() {
		return this.dateFormat != null;
	}

	String stamp(long millis) {
		return (this.dateFormat != null) ? this.dateFormat.format(Instant.ofEpochMilli(millis)) : "";
	}

	String name(String stamp, int index) {
		return this.prefix + stamp + ((index > 0) ? "." + index : "") + this.suffix;
	}

	/** The file's stamp and number, or {@code null} when the name is not one of this log's. */
	LogFile parse(Path path) {
		String name = path.getFileName().toString();
		if (!name.startsWith(this.prefix) || !name.endsWith(this.suffix)
				|| name.length() < this.prefix.length() + this.suffix.length()) {
			return null;
		}
		String middle = name.substring(this.prefix.length(), name.length() - this.suffix.length());
		LogFile whole = file(path, middle, 0);
		if (whole != null) {
			return whole;
		}
		// A stamp may end with digits after a dot itself (.yyyy.MM.dd): the number is tried only when the whole fails.
		int dot = middle.lastIndexOf('.');
		if (dot < 0 || dot == middle.length() - 1 || middle.length() - dot > 10) {
			return null;
		}
		for (int i = dot + 1; i < middle.length(); i++) {
			if (!Character.isDigit(middle.charAt(i))) {
				return null;
			}
		}
		int index = Integer.parseInt(middle.substring(dot + 1));
		return (index > 0) ? file(path, middle.substring(0, dot), index) : null;
	}

	private LogFile file(Path path, String stamp, int index) {
		if (this.dateFormat == null) {
			return stamp.isEmpty() ? new LogFile(path, stamp, index, null) : null;
		}
		try {
			return new LogFile(path, stamp, index, this.dateFormat.parse(stamp).query(TemporalQueries.localDate()));
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
