package io.hybridserver.servlet;

import java.io.File;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.spec.ForwardedHeaders;
import jakarta.servlet.http.Cookie;

/**
 * What the user declares about one web application: the single configuration object of the servlet container.
 *
 * <p>Mutable until it is handed to {@link ServletContainer}; the container reads it at construction and at start, so
 * later changes are not guaranteed to be seen. Not thread-safe.
 */
public final class ServletDeployment {

	/** Default upper bound on request parameters, a defence against hash-flooding (Tomcat uses the same number). */
	public static final int DEFAULT_MAX_PARAMETER_COUNT = 1000;

	/** Default upper bound on the parts of a multipart request (Tomcat 11 uses the same number). */
	public static final int DEFAULT_MAX_PART_COUNT = 50;

	/** Default upper bound on an {@code application/x-www-form-urlencoded} body read for parameters: 2 MiB. */
	public static final long DEFAULT_MAX_FORM_POST_SIZE = 2L * 1024 * 1024;

	/**
	 * Default upper bound on the header block of one multipart part: 4 KiB (Tomcat's is 512 bytes, which a long file
	 * name in UTF-8 with its {@code filename*} twin can pass).
	 */
	public static final int DEFAULT_MAX_PART_HEADER_SIZE = 4096;

	/** Context path: {@code ""} for the root context, otherwise {@code /name} without a trailing slash. */
	private String contextPath = "";

	/** Name returned by {@code ServletContext.getServletContextName()}. */
	private String displayName = "application";

	/** Class loader for the application: resources ({@code META-INF/resources}) and class-name registrations. */
	private ClassLoader classLoader;

	/** Directory exposed as the {@code jakarta.servlet.context.tempdir} attribute; {@code null} for none. */
	private File tempDirectory;

	/** Context init parameters, seen through {@code ServletContext.getInitParameter}. */
	private final Map<String, String> initParameters = new LinkedHashMap<>();

	/** File extension (without dot, lower case) to MIME type, for {@code ServletContext.getMimeType}. */
	private final Map<String, String> mimeMappings = new LinkedHashMap<>(defaultMimeMappings());

	/** Error pages by status code. */
	private final Map<Integer, String> statusErrorPages = new LinkedHashMap<>();

	/** Error pages by exception type; the closest superclass of a thrown exception wins. */
	private final Map<Class<? extends Throwable>, String> exceptionErrorPages = new LinkedHashMap<>();

	/** Error page used when neither an exception nor a status page matches; Spring Boot registers {@code /error}. */
	private String globalErrorPage;

	/** How long a session may stay idle before it expires; zero or negative means never. */
	private Duration sessionTimeout = Duration.ofMinutes(30);

	/** Name of the session tracking cookie. */
	private String sessionCookieName = "JSESSIONID";

	/** Path of the session cookie; {@code null} means the context path (or {@code /} for the root context). */
	private String sessionCookiePath;

	/** Domain of the session cookie; {@code null} for a host-only cookie. */
	private String sessionCookieDomain;

	/** Whether the session cookie carries {@code HttpOnly}; on by default as in Tomcat. */
	private boolean sessionCookieHttpOnly = true;

	/** Whether the session cookie carries {@code Secure} even over plain HTTP (it always does over HTTPS). */
	private boolean sessionCookieSecure;

	/** {@code Max-Age} of the session cookie in seconds; negative for a browser-session cookie. */
	private int sessionCookieMaxAge = -1;

	/** {@code SameSite} attribute of the session cookie ({@code Lax}, {@code Strict}, {@code None}) or {@code null}. */
	private String sessionCookieSameSite;

	/**
	 * Whether the session cookie is to carry no {@code SameSite} even when a {@code CookieSameSiteSupplier} would give
	 * one (Boot's {@code SameSite.OMITTED}): the session cookie's own setting wins over the suppliers, as on Tomcat.
	 */
	private boolean sessionCookieSameSiteOmitted;

	/** File the sessions are saved to on stop and restored from on start; {@code null}: sessions end with the run. */
	private File sessionStoreFile;

	/** How often idle sessions are looked for and expired, besides the check on every access. */
	private Duration sessionSweepInterval = Duration.ofSeconds(30);

	/**
	 * The {@code SameSite} value for a cookie the application adds without one (Spring Boot's
	 * {@code CookieSameSiteSupplier}s), or {@code null} to leave it without.
	 */
	private Function<Cookie, String> cookieSameSite = (cookie) -> null;

	/** Charset chosen by {@code ServletResponse.setLocale} when no charset was set explicitly. */
	private final Map<Locale, Charset> localeCharsetMappings = new LinkedHashMap<>();

	/** Request character encoding used when the request declares none; {@code null} means ISO-8859-1 per spec. */
	private String defaultRequestCharacterEncoding;

	/** Response character encoding used when the application sets none; {@code null} means ISO-8859-1 per spec. */
	private String defaultResponseCharacterEncoding;

	/** Maximum number of request parameters (query plus form); more answers {@code 400}. */
	private int maxParameterCount = DEFAULT_MAX_PARAMETER_COUNT;

	/** Maximum size in bytes of a form body parsed for parameters; more answers {@code 413}. Negative: no limit. */
	private long maxFormPostSize = DEFAULT_MAX_FORM_POST_SIZE;

	/** Maximum number of parts in a multipart request; more answers {@code 413}. A defence against part floods. */
	private int maxPartCount = DEFAULT_MAX_PART_COUNT;

	/** Maximum size in bytes of one part's header block in a multipart request; more answers {@code 400}. */
	private int maxPartHeaderSize = DEFAULT_MAX_PART_HEADER_SIZE;

	/**
	 * What trusted proxies say about the original request (client address, scheme, host, port), or {@code null} to
	 * ignore forwarding headers ({@code server.forward-headers-strategy} other than {@code native}).
	 */
	private ForwardedHeaders forwardedHeaders;

	/** Directory served as the context's resources before {@code META-INF/resources}; {@code null} for none. */
	private File documentRoot;

	/** How the context caches its resource lookups (see {@link StaticResources}). */
	private StaticResources.Settings resourceCache = StaticResources.Settings.DEFAULT;

	/** Whether the container's default servlet is registered (as {@code default}, mapped to {@code /} if free). */
	private boolean registerDefaultServlet;

	/**
	 * Whether a request for the context path itself ({@code /api} for the context {@code /api}) is redirected to
	 * the context root ({@code /api/}), as Tomcat does by default; otherwise the request reaches the application as it came.
	 */
	private boolean redirectContextRoot = true;

	/** Whether the server lets TRACE through ({@code server.hybrid.allow-trace}), so that {@code OPTIONS *} lists it. */
	private boolean allowTrace;

	/**
	 * Whether a request parameter not valid in its charset, or with an empty name, is a 400 as on Tomcat; when
	 * {@code false} it is kept with U+FFFD in place of the invalid bytes, under its empty name if it has one.
	 */
	private boolean rejectInvalidParameters = true;

	/** Default timeout of asynchronous requests ({@code AsyncContext.getTimeout()}); zero or negative: none. */
	private Duration asyncTimeout = Duration.ofSeconds(30);

	/** Text returned by {@code ServletContext.getServerInfo()}. */
	private String serverInfo = "hybrid-server";

	/** Name returned by {@code ServletContext.getVirtualServerName()}. */
	private String virtualServerName = "localhost";

	public String getContextPath() {
		return this.contextPath;
	}

	public void setContextPath(String contextPath) {
		Objects.requireNonNull(contextPath, "contextPath");
		if (!contextPath.isEmpty() && (!contextPath.startsWith("/") || contextPath.endsWith("/"))) {
			throw new IllegalArgumentException(
					"Context path must be \"\" or start with '/' and not end with '/': '" + contextPath + "'");
		}
		this.contextPath = contextPath;
	}

	public String getDisplayName() {
		return this.displayName;
	}

	public void setDisplayName(String displayName) {
		this.displayName = displayName;
	}

	public ClassLoader getClassLoader() {
		return (this.classLoader != null) ? this.classLoader : ServletDeployment.class.getClassLoader();
	}

	public void setClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	public File getTempDirectory() {
		return this.tempDirectory;
	}

	public void setTempDirectory(File tempDirectory) {
		this.tempDirectory = tempDirectory;
	}

	public Map<String, String> getInitParameters() {
		return this.initParameters;
	}

	public Map<String, String> getMimeMappings() {
		return this.mimeMappings;
	}

	public void addErrorPage(int status, String location) {
		this.statusErrorPages.put(status, checkLocation(location));
	}

	public void addErrorPage(Class<? extends Throwable> type, String location) {
		this.exceptionErrorPages.put(Objects.requireNonNull(type, "type"), checkLocation(location));
	}

	public void setGlobalErrorPage(String location) {
		this.globalErrorPage = (location != null) ? checkLocation(location) : null;
	}

	/** Error pages by status, read-only view. */
	public Map<Integer, String> getStatusErrorPages() {
		return Collections.unmodifiableMap(this.statusErrorPages);
	}

	/** Error pages by exception type, read-only view. */
	public Map<Class<? extends Throwable>, String> getExceptionErrorPages() {
		return Collections.unmodifiableMap(this.exceptionErrorPages);
	}

	public String getGlobalErrorPage() {
		return this.globalErrorPage;
	}

	public Duration getSessionTimeout() {
		return this.sessionTimeout;
	}

	public void setSessionTimeout(Duration sessionTimeout) {
		this.sessionTimeout = (sessionTimeout != null) ? sessionTimeout : Duration.ZERO;
	}

	public String getSessionCookieName() {
		return this.sessionCookieName;
	}

	public void setSessionCookieName(String sessionCookieName) {
		this.sessionCookieName = Objects.requireNonNull(sessionCookieName, "sessionCookieName");
	}

	public String getSessionCookiePath() {
		return this.sessionCookiePath;
	}

	public void setSessionCookiePath(String sessionCookiePath) {
		this.sessionCookiePath = sessionCookiePath;
	}

	public String getSessionCookieDomain() {
		return this.sessionCookieDomain;
	}

	public void setSessionCookieDomain(String sessionCookieDomain) {
		this.sessionCookieDomain = sessionCookieDomain;
	}

	public boolean isSessionCookieHttpOnly() {
		return this.sessionCookieHttpOnly;
	}

	public void setSessionCookieHttpOnly(boolean sessionCookieHttpOnly) {
		this.sessionCookieHttpOnly = sessionCookieHttpOnly;
	}

	public boolean isSessionCookieSecure() {
		return this.sessionCookieSecure;
	}

	public void setSessionCookieSecure(boolean sessionCookieSecure) {
		this.sessionCookieSecure = sessionCookieSecure;
	}

	public int getSessionCookieMaxAge() {
		return this.sessionCookieMaxAge;
	}

	public void setSessionCookieMaxAge(int sessionCookieMaxAge) {
		this.sessionCookieMaxAge = sessionCookieMaxAge;
	}

	public String getSessionCookieSameSite() {
		return this.sessionCookieSameSite;
	}

	public void setSessionCookieSameSite(String sessionCookieSameSite) {
		this.sessionCookieSameSite = sessionCookieSameSite;
	}

	public boolean isSessionCookieSameSiteOmitted() {
		return this.sessionCookieSameSiteOmitted;
	}

	public void setSessionCookieSameSiteOmitted(boolean sessionCookieSameSiteOmitted) {
		this.sessionCookieSameSiteOmitted = sessionCookieSameSiteOmitted;
	}

	public File getSessionStoreFile() {
		return this.sessionStoreFile;
	}

	public void setSessionStoreFile(File sessionStoreFile) {
		this.sessionStoreFile = sessionStoreFile;
	}

	public Duration getSessionSweepInterval() {
		return this.sessionSweepInterval;
	}

	public void setSessionSweepInterval(Duration sessionSweepInterval) {
		this.sessionSweepInterval = Objects.requireNonNull(sessionSweepInterval, "sessionSweepInterval");
	}

	public Function<Cookie, String> getCookieSameSite() {
		return this.cookieSameSite;
	}

	public void setCookieSameSite(Function<Cookie, String> cookieSameSite) {
		this.cookieSameSite = (cookieSameSite != null) ? cookieSameSite : (cookie) -> null;
	}

	public Map<Locale, Charset> getLocaleCharsetMappings() {
		return this.localeCharsetMappings;
	}

	public String getDefaultRequestCharacterEncoding() {
		return this.defaultRequestCharacterEncoding;
	}

	public void setDefaultRequestCharacterEncoding(String encoding) {
		this.defaultRequestCharacterEncoding = encoding;
	}

	public String getDefaultResponseCharacterEncoding() {
		return this.defaultResponseCharacterEncoding;
	}

	public void setDefaultResponseCharacterEncoding(String encoding) {
		this.defaultResponseCharacterEncoding = encoding;
	}

	public int getMaxParameterCount() {
		return this.maxParameterCount;
	}

	public void setMaxParameterCount(int maxParameterCount) {
		this.maxParameterCount = maxParameterCount;
	}

	public long getMaxFormPostSize() {
		return this.maxFormPostSize;
	}

	public void setMaxFormPostSize(long maxFormPostSize) {
		this.maxFormPostSize = maxFormPostSize;
	}

	public int getMaxPartHeaderSize() {
		return this.maxPartHeaderSize;
	}

	public void setMaxPartHeaderSize(int maxPartHeaderSize) {
		this.maxPartHeaderSize = maxPartHeaderSize;
	}

	public ForwardedHeaders getForwardedHeaders() {
		return this.forwardedHeaders;
	}

	public void setForwardedHeaders(ForwardedHeaders forwardedHeaders) {
		this.forwardedHeaders = forwardedHeaders;
	}

	public File getDocumentRoot() {
		return this.documentRoot;
	}

	public void setDocumentRoot(File documentRoot) {
		this.documentRoot = documentRoot;
	}

	public StaticResources.Settings getResourceCache() {
		return this.resourceCache;
	}

	public void setResourceCache(StaticResources.Settings resourceCache) {
		this.resourceCache = Objects.requireNonNull(resourceCache, "resourceCache");
	}

	public boolean isRegisterDefaultServlet() {
		return this.registerDefaultServlet;
	}

	public void setRegisterDefaultServlet(boolean registerDefaultServlet) {
		this.registerDefaultServlet = registerDefaultServlet;
	}

	public boolean isAllowTrace() {
		return this.allowTrace;
	}

	public void setAllowTrace(boolean allowTrace) {
		this.allowTrace = allowTrace;
	}

	public boolean isRedirectContextRoot() {
		return this.redirectContextRoot;
	}

	public void setRedirectContextRoot(boolean redirectContextRoot) {
		this.redirectContextRoot = redirectContextRoot;
	}

	public boolean isRejectInvalidParameters() {
		return this.rejectInvalidParameters;
	}

	public void setRejectInvalidParameters(boolean rejectInvalidParameters) {
		this.rejectInvalidParameters = rejectInvalidParameters;
	}

	public int getMaxPartCount() {
		return this.maxPartCount;
	}

	public void setMaxPartCount(int maxPartCount) {
		this.maxPartCount = maxPartCount;
	}

	public Duration getAsyncTimeout() {
		return this.asyncTimeout;
	}

	public void setAsyncTimeout(Duration asyncTimeout) {
		this.asyncTimeout = (asyncTimeout != null) ? asyncTimeout : Duration.ZERO;
	}

	public String getServerInfo() {
		return this.serverInfo;
	}

	public void setServerInfo(String serverInfo) {
		this.serverInfo = serverInfo;
	}

	public String getVirtualServerName() {
		return this.virtualServerName;
	}

	public void setVirtualServerName(String virtualServerName) {
		this.virtualServerName = virtualServerName;
	}

	private static String checkLocation(String location) {
		if (location == null || !location.startsWith("/")) {
			throw new IllegalArgumentException("Error page location must start with '/': '" + location + "'");
		}
		return location;
	}

	private static Map<String, String> defaultMimeMappings() {
		Map<String, String> m = new LinkedHashMap<>();
		m.put("html", "text/html");
		m.put("htm", "text/html");
		m.put("css", "text/css");
		m.put("js", "text/javascript");
		m.put("mjs", "text/javascript");
		m.put("json", "application/json");
		m.put("map", "application/json");
		m.put("xml", "application/xml");
		m.put("txt", "text/plain");
		m.put("csv", "text/csv");
		m.put("md", "text/markdown");
		m.put("png", "image/png");
		m.put("jpg", "image/jpeg");
		m.put("jpeg", "image/jpeg");
		m.put("gif", "image/gif");
		m.put("webp", "image/webp");
		m.put("avif", "image/avif");
		m.put("svg", "image/svg+xml");
		m.put("ico", "image/x-icon");
		m.put("woff", "font/woff");
		m.put("woff2", "font/woff2");
		m.put("ttf", "font/ttf");
		m.put("otf", "font/otf");
		m.put("pdf", "application/pdf");
		m.put("zip", "application/zip");
		m.put("gz", "application/gzip");
		m.put("wasm", "application/wasm");
		m.put("mp4", "video/mp4");
		m.put("webm", "video/webm");
		m.put("mp3", "audio/mpeg");
		m.put("ogg", "audio/ogg");
		return m;
	}

}
