package io.hybridserver.servlet.spec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import io.hybridserver.servlet.core.ClientErrorException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;

/**
 * One request's multipart parts: parsed once, on first demand, with the {@link MultipartConfigElement} of the servlet
 * the request is dispatched to (Spring Boot puts {@code spring.servlet.multipart.*} on the DispatcherServlet), and
 * released at the end of the request. A failed parse is remembered, so every later call fails the same way.
 */
final class RequestParts {

	private final RequestFacade request;

	private List<UploadedPart> parts;

	private Exception failure;

	RequestParts(RequestFacade request) {
		this.request = request;
	}

	/** Whether the request is multipart/form-data and its servlet accepts multipart: then parts become parameters. */
	boolean isParseable() {
		return config() != null && isMultipart();
	}

	/** Whether the parts have been read (the body stream is then the parts' business, not the application's). */
	boolean isParsed() {
		return this.parts != null;
	}

	private MultipartConfigElement config() {
		return (this.request.match() != null) ? this.request.match().holder().getMultipartConfig() : null;
	}

	private boolean isMultipart() {
		return "multipart/form-data".equals(ContentTypes.mediaType(this.request.getContentType()));
	}

	List<UploadedPart> parts() throws IOException, ServletException {
		if (this.parts != null) {
			return this.parts;
		}
		rethrowFailure();
		MultipartConfigElement config = config();
		if (config == null) {
			throw new IllegalStateException("The servlet " + ((this.request.match() != null)
					? this.request.match().getServletName() : "") + " has no multipart configuration");
		}
		if (!isMultipart()) {
			throw new ServletException("The request is not multipart/form-data: " + this.request.getContentType());
		}
		List<UploadedPart> parsed = new ArrayList<>();
		try {
			String boundary = MultipartParser.boundary(this.request.getContentType());
			if (boundary == null) {
				throw new ClientErrorException(400, "Malformed multipart body: no valid boundary in Content-Type");
			}
			long declared = this.request.getContentLengthLong();
			if (config.getMaxRequestSize() >= 0 && declared > config.getMaxRequestSize()) {
				throw new ClientErrorException(413, "the request was rejected because its size (" + declared
						+ ") exceeds the configured maximum (" + config.getMaxRequestSize() + ")");
			}
			MultipartParser.Settings settings = new MultipartParser.Settings(location(config),
					Math.max(0, config.getFileSizeThreshold()), config.getMaxFileSize(), config.getMaxRequestSize(),
					this.request.application().deployment().getMaxPartCount(),
					this.request.application().deployment().getMaxPartHeaderSize());
			new MultipartParser(this.request.getInputStream(), boundary, settings).parse(parsed);
			this.parts = Collections.unmodifiableList(parsed);
			return this.parts;
		}
		catch (IOException | RuntimeException ex) {
			parsed.forEach(UploadedPart::release);
			this.failure = ex;
			throw ex;
		}
	}

	private void rethrowFailure() throws IOException {
		if (this.failure instanceof IOException io) {
			throw io;
		}
		if (this.failure instanceof RuntimeException runtime) {
			throw runtime;
		}
	}

	/** The upload directory: the config's location, relative ones under the context's temporary directory. */
	private Path location(MultipartConfigElement config) {
		File temp = this.request.application().deployment().getTempDirectory();
		Path base = (temp != null) ? temp.toPath() : Path.of(System.getProperty("java.io.tmpdir"));
		String location = config.getLocation();
		if (location == null || location.isEmpty()) {
			return base;
		}
		Path path = Path.of(location);
		return path.isAbsolute() ? path : base.resolve(path);
	}

	Collection<Part> all() throws IOException, ServletException {
		return new ArrayList<>(parts());
	}

	Part get(String name) throws IOException, ServletException {
		for (UploadedPart part : parts()) {
			if (part.getName().equals(name)) {
				return part;
			}
		}
		return null;
	}

	/** Deletes what the parts hold on disk. */
	void release() {
		if (this.parts != null) {
			this.parts.forEach(UploadedPart::release);
		}
	}

}
