package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hybridserver.servlet.core.ClientErrorException;

/**
 * A streaming parser of {@code multipart/form-data} (RFC 7578 over RFC 2046): it reads the body once through a fixed
 * buffer and hands each part's bytes to its {@link UploadedPart} as they arrive, so memory stays bounded by the buffer
 * and the parts' in-memory thresholds whatever the size of the upload.
 *
 * <p>Limits, each answered with a {@link ClientErrorException}: the request size (413), each part's size (413), the
 * number of parts (413) and the size of a part's header block (400); a body that breaks the syntax is a 400.
 */
final class MultipartParser {

	/** Limits and storage for one parse. */
	record Settings(Path location, long fileSizeThreshold, long maxFileSize, long maxRequestSize, int maxPartCount,
			int maxPartHeaderSize) {
	}

	private static final int BUFFER_SIZE = 64 * 1024;

	private final InputStream in;

	private final Settings settings;

	/** CRLF, two dashes, the boundary: what ends every part (the body is read as if preceded by a CRLF). */
	private final byte[] delimiter;

	private final byte[] buffer;

	private int start;

	private int end;

	private long received;

	private boolean eof;

	/** The length in bytes of the line {@link #readLine} returned last. */
	private int lineBytes;

	MultipartParser(InputStream in, String boundary, Settings settings) {
		this.in = in;
		this.settings = settings;
		this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		this.buffer = new byte[Math.max(BUFFER_SIZE, this.delimiter.length * 4)];
		// The first boundary may open the body without a CRLF before it: supply one.
		this.buffer[0] = '\r';
		this.buffer[1] = '\n';
		this.end = 2;
	}

	/** The boundary parameter of a multipart Content-Type, or {@code null}. */
	static String boundary(String contentType) {
		if (contentType == null) {
			return null;
		}
		for (String param : contentType.split(";")) {
			String p = param.trim();
			if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
				String value = p.substring(9).trim();
				if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
					value = value.substring(1, value.length() - 1);
				}
				return (value.isEmpty() || value.length() > 70) ? null : value;
			}
		}
		return null;
	}

	/**
	 * Reads the whole body into parts, which the caller owns from then on (and must release on failure too: every
	 * part created so far is added to {@code parts} before its content is read).
	 */
	void parse(List<UploadedPart> parts) throws IOException {
		int first = indexOfDelimiter(true);
		if (first < 0) {
			throw malformed("no boundary found");
		}
		this.start = first + this.delimiter.length;
		while (true) {
			if (afterBoundaryIsEnd()) {
				return;
			}
			if (parts.size() >= this.settings.maxPartCount()) {
				throw new ClientErrorException(413, "Multipart request too large: more than "
						+ this.settings.maxPartCount() + " parts");
			}
			Map<String, List<String>> headers = readHeaders();
			String disposition = first(headers, "content-disposition");
			String name = dispositionParameter(disposition, "name");
			if (disposition == null || name == null) {
				throw malformed("a part has no Content-Disposition name");
			}
			String fileName = fileName(disposition);
			UploadedPart part = new UploadedPart(headers, name, fileName, this.settings.location(),
					this.settings.fileSizeThreshold(), this.settings.maxFileSize());
			parts.add(part);
			readContent(part);
			part.finished();
		}
	}

	/** After a boundary: {@code --} ends the body, CRLF starts a part (transport padding before it is allowed). */
	private boolean afterBoundaryIsEnd() throws IOException {
		if (!fill(2)) {
			throw malformed("the body ends after a boundary");
		}
		if (this.buffer[this.start] == '-' && this.buffer[this.start + 1] == '-') {
			// The epilogue (usually a CRLF) is read and ignored, so the connection can serve its next request.
			this.start = this.end;
			while (fill(1)) {
				this.start = this.end;
			}
			return true;
		}
		while (fill(1) && (this.buffer[this.start] == ' ' || this.buffer[this.start] == '\t')) {
			this.start++;
		}
		if (!fill(2) || this.buffer[this.start] != '\r' || this.buffer[this.start + 1] != '\n') {
			throw malformed("a boundary is not followed by CRLF");
		}
		this.start += 2;
		return false;
	}

	private Map<String, List<String>> readHeaders() throws IOException {
		Map<String, List<String>> headers = UploadedPart.newHeaders();
		int total = 0;
		while (true) {
			String line = readLine();
			// Bytes, not characters: the limit is on what arrives, and it must not depend on how the block was split
			// into reads (readLine counts bytes while the line is incomplete).
			total += this.lineBytes + 2;
			if (total > this.settings.maxPartHeaderSize()) {
				throw new ClientErrorException(400, "Multipart part headers exceed " + this.settings.maxPartHeaderSize()
						+ " bytes");
			}
			if (line.isEmpty()) {
				return headers;
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw malformed("a part header line has no colon");
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(line.substring(colon + 1).trim());
		}
	}

	/** A header line, UTF-8 (browsers send file names raw), without its CRLF. */
	private String readLine() throws IOException {
		while (true) {
			for (int i = this.start; i + 1 < this.end; i++) {
				if (this.buffer[i] == '\r' && this.buffer[i + 1] == '\n') {
					String line = new String(this.buffer, this.start, i - this.start, StandardCharsets.UTF_8);
					this.lineBytes = i - this.start;
					this.start = i + 2;
					return line;
				}
			}
			if (this.end - this.start > this.settings.maxPartHeaderSize()) {
				throw new ClientErrorException(400, "Multipart part headers exceed "
						+ this.settings.maxPartHeaderSize() + " bytes");
			}
			if (!fill(this.end - this.start + 1)) {
				throw malformed("the body ends inside part headers");
			}
		}
	}

	/** Streams the part's content up to the next delimiter, keeping back only what could be a delimiter's start. */
	private void readContent(UploadedPart part) throws IOException {
		while (true) {
			int found = indexOfDelimiter(false);
			if (found >= 0) {
				part.append(this.buffer, this.start, found - this.start);
				this.start = found + this.delimiter.length;
				return;
			}
			int safe = this.end - (this.delimiter.length - 1);
			if (safe > this.start) {
				part.append(this.buffer, this.start, safe - this.start);
				this.start = safe;
			}
			if (!fill(this.end - this.start + 1)) {
				throw malformed("the body ends inside a part");
			}
		}
	}

	/**
	 * Finds the delimiter in the buffered bytes, reading more as needed when {@code discard} (the preamble is thrown
	 * away); without it, searches what is buffered only.
	 * @return the delimiter's index, or {@code -1}
	 */
	private int indexOfDelimiter(boolean discard) throws IOException {
		while (true) {
			int found = search();
			if (found >= 0 || !discard) {
				return found;
			}
			this.start = Math.max(this.start, this.end - (this.delimiter.length - 1));
			if (!fill(this.end - this.start + 1)) {
				return -1;
			}
		}
	}

	private int search() {
		byte first = this.delimiter[0];
		int last = this.end - this.delimiter.length;
		outer:
		for (int i = this.start; i <= last; i++) {
			if (this.buffer[i] != first) {
				continue;
			}
			for (int j = 1; j < this.delimiter.length; j++) {
				if (this.buffer[i + j] != this.delimiter[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/** Makes at least {@code wanted} bytes available from {@code start}; {@code false} at the end of the body. */
	private boolean fill(int wanted) throws IOException {
		while (this.end - this.start < wanted) {
			if (this.eof) {
				return false;
			}
			if (this.start > 0) {
				System.arraycopy(this.buffer, this.start, this.buffer, 0, this.end - this.start);
				this.end -= this.start;
				this.start = 0;
			}
			if (this.end == this.buffer.length) {
				return false;
			}
			int n = this.in.read(this.buffer, this.end, this.buffer.length - this.end);
			if (n < 0) {
				this.eof = true;
				return false;
			}
			this.received += n;
			long max = this.settings.maxRequestSize();
			if (max >= 0 && this.received > max) {
				throw new ClientErrorException(413, "the request was rejected because its size exceeds the "
						+ "configured maximum of " + max + " bytes");
			}
			this.end += n;
		}
		return true;
	}

	private static String first(Map<String, List<String>> headers, String name) {
		List<String> values = headers.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	/** The file name: {@code filename*} (RFC 5987, UTF-8) wins over {@code filename}; {@code null} for a field. */
	private static String fileName(String disposition) {
		String extended = dispositionParameter(disposition, "filename*");
		if (extended != null) {
			int quote = extended.indexOf("''");
			if (quote > 0) {
				try {
					String charset = extended.substring(0, quote);
					return java.net.URLDecoder.decode(extended.substring(quote + 2).replace("+", "%2B"), charset);
				}
				catch (IllegalArgumentException | java.io.UnsupportedEncodingException ex) {
					// fall back to the plain parameter
				}
			}
		}
		return dispositionParameter(disposition, "filename");
	}

	/** A parameter of a Content-Disposition value, unquoted; quoted strings may contain {@code ;} and escapes. */
	static String dispositionParameter(String disposition, String name) {
		if (disposition == null) {
			return null;
		}
		int i = disposition.indexOf(';');
		while (i >= 0 && i < disposition.length()) {
			i++;
			while (i < disposition.length() && disposition.charAt(i) == ' ') {
				i++;
			}
			int eq = disposition.indexOf('=', i);
			if (eq < 0) {
				return null;
			}
			String key = disposition.substring(i, eq).trim();
			int pos = eq + 1;
			String value;
			if (pos < disposition.length() && disposition.charAt(pos) == '"') {
				StringBuilder sb = new StringBuilder();
				pos++;
				while (pos < disposition.length() && disposition.charAt(pos) != '"') {
					char c = disposition.charAt(pos);
					if (c == '\\' && pos + 1 < disposition.length()) {
						c = disposition.charAt(++pos);
					}
					sb.append(c);
					pos++;
				}
				value = sb.toString();
				i = disposition.indexOf(';', pos);
			}
			else {
				int semi = disposition.indexOf(';', pos);
				value = disposition.substring(pos, (semi >= 0) ? semi : disposition.length()).trim();
				i = semi;
			}
			if (key.equalsIgnoreCase(name)) {
				return value;
			}
		}
		return null;
	}

	private static ClientErrorException malformed(String why) {
		return new ClientErrorException(400, "Malformed multipart body: " + why);
	}

}
