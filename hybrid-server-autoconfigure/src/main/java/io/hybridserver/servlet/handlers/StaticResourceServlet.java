package io.hybridserver.servlet.handlers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.function.Supplier;

import io.hybridserver.http.HttpDates;
import io.hybridserver.servlet.resource.StaticResource;
import io.hybridserver.servlet.resource.StaticResources;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The container's default servlet ({@code server.servlet.register-default-servlet}): serves the context's resources
 * (the document root, then {@code META-INF/resources} on the class path) for GET and HEAD, with the MIME mappings,
 * validators ({@code Last-Modified}, a weak {@code ETag}) answered with 304, and single byte ranges answered with 206
 * ({@code If-Range} honoured; several ranges get the whole representation, which RFC 9110 allows). A directory answers
 * its {@code index.html} if there is one. {@code WEB-INF} and {@code META-INF} are never served.
 */
public final class StaticResourceServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	/** The name it is registered under, which Spring MVC's default-servlet handler forwards to. */
	public static final String NAME = "default";

	private final transient Supplier<StaticResources> resources;

	/** @param resources the context's resources, read directly: no URL handler, no lock shared with other requests */
	public StaticResourceServlet(Supplier<StaticResources> resources) {
		this.resources = resources;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		serve(request, response, true);
	}

	@Override
	protected void doHead(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		serve(request, response, false);
	}

	private void serve(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
		String path = resourcePath(request);
		String upper = path.toUpperCase(Locale.ROOT);
		if (upper.startsWith("/WEB-INF") || upper.startsWith("/META-INF")) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		StaticResources resources = this.resources.get();
		StaticResource resource = path.endsWith("/") ? resources.find(path + "index.html") : resources.find(path);
		if (resource == null || resource.isDirectory()) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		StaticResource.Attributes attributes;
		try {
			attributes = resource.attributes();
		}
		catch (IOException ex) {
			// Found a moment ago (the cache's answer) and gone since: a file removed from the document root.
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		long length = attributes.length();
		long lastModified = (attributes.lastModified() / 1000) * 1000;
		String etag = "W/\"" + length + "-" + lastModified + "\"";
		if (notModified(request, etag, lastModified)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			response.setHeader("ETag", etag);
			return;
		}
		long[] range = range(request, length, etag, lastModified);
		if (range == UNSATISFIABLE) {
			// Nothing else set yet: the error page is free to choose its own content type.
			response.setHeader("Content-Range", "bytes */" + length);
			response.sendError(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
			return;
		}
		String type = getServletContext().getMimeType(path.endsWith("/") ? "index.html" : path);
		response.setContentType((type != null) ? type : "application/octet-stream");
		response.setHeader("Accept-Ranges", "bytes");
		response.setHeader("ETag", etag);
		if (lastModified > 0) {
			response.setDateHeader("Last-Modified", lastModified);
		}
		long start = 0;
		long count = length;
		if (range != null) {
			start = range[0];
			count = range[1] - range[0] + 1;
			response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
			response.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length);
		}
		if (count >= 0) {
			response.setContentLengthLong(count);
		}
		if (body) {
			try (InputStream in = resource.open()) {
				in.skipNBytes(start);
				copy(in, response.getOutputStream(), count);
			}
		}
	}

	private static String resourcePath(HttpServletRequest request) {
		String servletPath = request.getServletPath();
		String pathInfo = request.getPathInfo();
		String path = servletPath + ((pathInfo != null) ? pathInfo : "");
		return path.isEmpty() ? "/" : path;
	}

	/** RFC 9110 13.2.2: If-None-Match first; If-Modified-Since only without it. */
	private static boolean notModified(HttpServletRequest request, String etag, long lastModified) {
		String ifNoneMatch = request.getHeader("If-None-Match");
		if (ifNoneMatch != null) {
			for (String candidate : ifNoneMatch.split(",")) {
				String tag = candidate.trim();
				if (tag.equals("*") || weakMatch(tag, etag)) {
					return true;
				}
			}
			return false;
		}
		long since = HttpDates.parse(request.getHeader("If-Modified-Since"));
		return since >= 0 && lastModified > 0 && lastModified <= since;
	}

	private static boolean weakMatch(String a, String b) {
		return strip(a).equals(strip(b));
	}

	private static String strip(String tag) {
		return tag.startsWith("W/") ? tag.substring(2) : tag;
	}

	private static final long[] UNSATISFIABLE = new long[0];

	/** The single byte range asked for, {@code null} for the whole body, or {@link #UNSATISFIABLE}. */
	private static long[] range(HttpServletRequest request, long length, String etag, long lastModified) {
		String header = request.getHeader("Range");
		if (header == null || length < 0 || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
			return null;
		}
		String ifRange = request.getHeader("If-Range");
		if (ifRange != null) {
			// A strong comparison is required, and our tag is weak: only a date can make If-Range hold.
			long date = HttpDates.parse(ifRange);
			if (date < 0 || lastModified <= 0 || lastModified > date) {
				return null;
			}
		}
		String spec = header.substring(6).trim();
		int dash = spec.indexOf('-');
		if (dash < 0) {
			return null;
		}
		try {
			String first = spec.substring(0, dash).trim();
			String last = spec.substring(dash + 1).trim();
			long start;
			long end;
			if (first.isEmpty()) {
				long suffix = Long.parseLong(last);
				if (suffix <= 0) {
					return UNSATISFIABLE;
				}
				start = Math.max(0, length - suffix);
				end = length - 1;
			}
			else {
				start = Long.parseLong(first);
				end = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
				if (end < start) {
					return (last.isEmpty() || Long.parseLong(last) >= start) ? UNSATISFIABLE : null;
				}
			}
			if (start >= length) {
				return UNSATISFIABLE;
			}
			return new long[] { start, end };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static void copy(InputStream in, OutputStream out, long count) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		long remaining = (count >= 0) ? count : Long.MAX_VALUE;
		while (remaining > 0) {
			int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
			if (n < 0) {
				break;
			}
			out.write(buffer, 0, n);
			remaining -= n;
		}
	}

}
