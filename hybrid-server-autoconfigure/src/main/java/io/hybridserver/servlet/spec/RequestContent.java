package io.hybridserver.servlet.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hybridserver.servlet.core.ClientErrorException;
import io.hybridserver.servlet.core.WebApplication;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;

/**
 * One request's body as the application may consume it, exactly one way (spec 3.1.1): the input stream, the reader,
 * the form parameters of an {@code application/x-www-form-urlencoded} POST, or the multipart parts, whose form fields
 * are parameters too. Also the request's character encoding, which decides how the body's text is read.
 */
final class RequestContent {

	private final RequestFacade request;

	private final WebApplication application;

	/** Made on first use: most requests are no multipart uploads. */
	private RequestParts parts;

	private String characterEncoding;

	private boolean characterEncodingResolved;

	private RequestInputStream inputStream;

	private BufferedReader reader;

	private Map<String, String[]> parameters;

	/** Why the parameters could not be parsed (a 400 or 413), kept: the body they came from is gone. */
	private ClientErrorException parametersFailure;

	RequestContent(RequestFacade request, WebApplication application) {
		this.request = request;
		this.application = application;
	}

	/** Releases the uploaded parts' files, if any were parsed; called once at the request's end. */
	void releaseParts() {
		if (this.parts != null) {
			this.parts.release();
		}
	}

	RequestParts parts() {
		if (this.parts == null) {
			this.parts = new RequestParts(this.request);
		}
		return this.parts;
	}

	// ---- character encoding ---------------------------------------------------------------------------------

	String characterEncoding() {
		if (!this.characterEncodingResolved) {
			String declared = ContentTypes.charset(this.request.getContentType());
			this.characterEncoding = (declared != null) ? declared : this.application.requestCharacterEncoding();
			this.characterEncodingResolved = true;
		}
		return this.characterEncoding;
	}

	void characterEncoding(String env) throws UnsupportedEncodingException {
		if (this.reader != null) {
			return;
		}
		if (env != null) {
			charset(env);
		}
		this.characterEncoding = env;
		this.characterEncodingResolved = true;
	}

	private static Charset charset(String name) throws UnsupportedEncodingException {
		try {
			return KnownCharsets.forName(name);
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw new UnsupportedEncodingException(name);
		}
	}

	private Charset bodyCharset() {
		String encoding = characterEncoding();
		if (encoding == null) {
			return StandardCharsets.ISO_8859_1;
		}
		try {
			return charset(encoding);
		}
		catch (UnsupportedEncodingException ex) {
			return StandardCharsets.ISO_8859_1;
		}
	}

	// ---- stream and reader --------------------------------------------------------------------------------------

	RequestInputStream inputStream() {
		if (this.reader != null) {
			throw new IllegalStateException("getReader() has already been called for this request");
		}
		return bodyStream();
	}

	private RequestInputStream bodyStream() {
		if (this.inputStream == null) {
			this.inputStream = new RequestInputStream(this.request.exchange().requestBody(), this.request);
		}
		return this.inputStream;
	}

	BufferedReader reader() throws UnsupportedEncodingException {
		if (this.reader == null) {
			if (this.inputStream != null) {
				throw new IllegalStateException("getInputStream() has already been called for this request");
			}
			String encoding = characterEncoding();
			Charset cs = (encoding != null) ? charset(encoding) : StandardCharsets.ISO_8859_1;
			this.reader = new BufferedReader(new InputStreamReader(bodyStream(), cs));
		}
		return this.reader;
	}

	// ---- parameters ---------------------------------------------------------------------------------------------

	/** The query's and the body's parameters, parsed on first use. */
	Map<String, String[]> parameters() {
		if (this.parameters == null && this.parametersFailure == null) {
			try {
				this.parameters = parseParameters();
			}
			catch (ClientErrorException ex) {
				this.parametersFailure = ex;
			}
		}
		if (this.parametersFailure != null) {
			if (this.request.getDispatcherType() == DispatcherType.ERROR) {
				// The error page reporting this very failure must render, not fail again on it (a filter or a
				// @ModelAttribute reading a parameter): it sees no parameters.
				return Map.of();
			}
			throw this.parametersFailure;
		}
		return this.parameters;
	}

	private Map<String, String[]> parseParameters() {
		int maxCount = this.application.deployment().getMaxParameterCount();
		boolean strict = this.application.deployment().isRejectInvalidParameters();
		Map<String, List<String>> parsed = new LinkedHashMap<>();
		RequestParameters.parseQuery(this.request.target().queryString(), RequestParameters.QUERY_CHARSET, parsed,
				maxCount, strict);
		boolean post = "POST".equals(this.request.getMethod());
		// The body is a form only for POST, and only if the application has not claimed the stream itself (spec 3.1.1).
		if (post && this.inputStream == null && this.reader == null
				&& "application/x-www-form-urlencoded".equals(ContentTypes.mediaType(this.request.getContentType()))) {
			byte[] form = RequestParameters.readForm(bodyStream(), this.request.getContentLengthLong(),
					this.application.deployment().getMaxFormPostSize());
			RequestParameters.parseForm(form, bodyCharset(), parsed, maxCount, strict);
		}
		else if (post && parts().isParseable()
				&& (parts().isParsed() || (this.inputStream == null && this.reader == null))) {
			addFormFieldParts(parsed, maxCount);
		}
		return RequestParameters.freeze(parsed);
	}

	/** The multipart form fields (parts without a file name) are parameters too, as in Tomcat. */
	private void addFormFieldParts(Map<String, List<String>> parsed, int maxCount) {
		try {
			int count = 0;
			for (List<String> values : parsed.values()) {
				count += values.size();
			}
			Charset cs = (characterEncoding() != null) ? bodyCharset() : StandardCharsets.UTF_8;
			long maxField = this.application.deployment().getMaxFormPostSize();
			for (UploadedPart part : parts().parts()) {
				if (part.isFormField() && (maxField < 0 || part.getSize() <= maxField)) {
					if (maxCount >= 0 && ++count > maxCount) {
						break;
					}
					parsed.computeIfAbsent(part.getName(), (key) -> new ArrayList<>()).add(part.text(cs));
				}
			}
		}
		catch (IOException | ServletException | RuntimeException ex) {
			// As in Tomcat: parameters stay what they are; getParts() reports the failure to whoever asks for parts.
		}
	}

}
