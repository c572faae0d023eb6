package io.hybridserver.servlet.spec;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.servlet.core.ClientErrorException;
import jakarta.servlet.http.Part;

/**
 * One part of a {@code multipart/form-data} request. Its bytes stay in memory up to the file-size threshold and move
 * to a temporary file in the upload location past it, so a large upload never sits in the heap; the file is deleted
 * by {@link #delete()} or at the end of the request, unless {@link #write} moved it away.
 */
final class UploadedPart implements Part {

	private final Map<String, List<String>> headers;

	private final String name;

	private final String submittedFileName;

	private final Path location;

	private final long fileSizeThreshold;

	private final long maxFileSize;

	private ByteArrayOutputStream memory = new ByteArrayOutputStream();

	private Path file;

	private OutputStream fileOut;

	private long size;

	/** Whether the file is still the request's to delete (not once {@link #write} moved it). */
	private boolean owned = true;

	UploadedPart(Map<String, List<String>> headers, String name, String submittedFileName, Path location,
			long fileSizeThreshold, long maxFileSize) {
		this.headers = headers;
		this.name = name;
		this.submittedFileName = submittedFileName;
		this.location = location;
		this.fileSizeThreshold = fileSizeThreshold;
		this.maxFileSize = maxFileSize;
	}

	// ---- filled by the parser ---------------------------------------------------------------------------------

	void append(byte[] bytes, int offset, int length) throws IOException {
		if (length <= 0) {
			return;
		}
		this.size += length;
		if (this.maxFileSize >= 0 && this.size > this.maxFileSize) {
			// Worded the way Spring's StandardMultipartHttpServletRequest recognises a size limit (413).
			throw new ClientErrorException(413, "The field " + this.name + " exceeds its maximum permitted size of "
					+ this.maxFileSize + " bytes");
		}
		if (this.fileOut == null && this.size > this.fileSizeThreshold) {
			Files.createDirectories(this.location);
			this.file = Files.createTempFile(this.location, "upload_", ".tmp");
			this.fileOut = new BufferedOutputStream(Files.newOutputStream(this.file), 16 * 1024);
			this.memory.writeTo(this.fileOut);
			this.memory = null;
		}
		if (this.fileOut != null) {
			this.fileOut.write(bytes, offset, length);
		}
		else {
			this.memory.write(bytes, offset, length);
		}
	}

	void finished() throws IOException {
		if (this.fileOut != null) {
			this.fileOut.close();
			this.fileOut = null;
		}
	}

	boolean isFormField() {
		return this.submittedFileName == null;
	}

	/** The content as text, for form fields made available as parameters. */
	String text(java.nio.charset.Charset charset) throws IOException {
		try (InputStream in = getInputStream()) {
			return new String(in.readAllBytes(), charset);
		}
	}

	// ---- Part ------------------------------------------------------------------------------------------------

	@Override
	public InputStream getInputStream() throws IOException {
		if (this.file != null) {
			return Files.newInputStream(this.file);
		}
		if (this.memory == null) {
			throw new IOException("The part " + this.name + " has been deleted or moved");
		}
		return new ByteArrayInputStream(this.memory.toByteArray());
	}

	@Override
	public String getContentType() {
		return getHeader("Content-Type");
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getSubmittedFileName() {
		return this.submittedFileName;
	}

	@Override
	public long getSize() {
		return this.size;
	}

	/** Writes the part to {@code fileName}, relative to the upload location; a part on disk is moved, not copied. */
	@Override
	public void write(String fileName) throws IOException {
		Path target = new File(fileName).isAbsolute() ? Path.of(fileName) : this.location.resolve(fileName);
		if (this.file != null) {
			Files.move(this.file, target, StandardCopyOption.REPLACE_EXISTING);
			// Keep reading from where it went, so getInputStream() still works; it is the application's file now.
			this.file = target;
			this.owned = false;
		}
		else if (this.memory != null) {
			Files.write(target, this.memory.toByteArray());
		}
	}

	@Override
	public void delete() throws IOException {
		this.memory = null;
		if (this.file != null && this.owned) {
			Files.deleteIfExists(this.file);
		}
		this.file = null;
	}

	/** Closes and deletes whatever the request still owns; quietly, at the end of the request. */
	void release() {
		try {
			if (this.fileOut != null) {
				this.fileOut.close();
				this.fileOut = null;
			}
			if (this.file != null && this.owned) {
				Files.deleteIfExists(this.file);
			}
		}
		catch (IOException ex) {
			LogFactory.getLog(UploadedPart.class).warn("Could not delete the upload file " + this.file, ex);
		}
	}

	@Override
	public String getHeader(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	@Override
	public Collection<String> getHeaders(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null) ? new ArrayList<>(values) : new ArrayList<>();
	}

	@Override
	public Collection<String> getHeaderNames() {
		return new ArrayList<>(this.headers.keySet());
	}

	static Map<String, List<String>> newHeaders() {
		return new LinkedHashMap<>();
	}

}
