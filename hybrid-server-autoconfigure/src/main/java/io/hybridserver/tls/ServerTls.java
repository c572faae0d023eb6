package io.hybridserver.tls;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.tls.TlsCredentials.NamedBundle;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCountUtil;
import org.springframework.boot.ssl.SslBundle;

/**
 * TLS for one server port: builds the contexts from the {@link TlsCredentials} (failing fast on bad configuration),
 * puts the TLS handlers in front of each new connection, swaps in new contexts when a named bundle is updated, and
 * frees the native contexts on stop.
 *
 * <p>Each connection holds a reference to the generation of contexts it was made with (see {@link TlsContexts}), so
 * an update changes what new connections get and leaves open connections untouched.
 */
public final class ServerTls {

	private static final Log logger = LogFactory.getLog(ServerTls.class);

	private final TlsEngine engine;

	private final long handshakeTimeoutNanos;

	private final boolean http2;

	/** BoringSSL's ticket keys, rotated on a schedule; {@code null} on the JDK's engine (it rotates its own). */
	private final SessionTicketKeys ticketKeys;

	private final Object monitor = new Object();

	private volatile TlsCredentials credentials;

	private volatile TlsContexts current;

	private volatile TlsHandshakeListener listener = TlsHandshakeListener.NONE;

	/**
	 * Resolves the provider and builds the contexts, so that bad configuration fails here, at startup.
	 * @throws InvalidTlsConfigurationException if the settings or credentials cannot work
	 */
	public ServerTls(TlsCredentials credentials, TlsSettings settings) {
		settings.validate();
		this.engine = TlsEngine.resolve(settings.getProvider());
		this.handshakeTimeoutNanos = settings.getHandshakeTimeout().toNanos();
		this.http2 = settings.isHttp2();
		// Without keys of ours Netty leaves BoringSSL's tickets off (SSL_OP_NO_TICKET).
		this.ticketKeys = (this.engine.isNative() && settings.isSessionTickets())
				? new SessionTicketKeys(settings.getSessionTicketKeyRotation()) : null;
		this.credentials = credentials;
		this.current = build(credentials);
		credentials.onBundleUpdate(this::bundleUpdated);
		startTicketKeyRotation();
	}

	/**
	 * The certificates this port presents now (after any bundle reload): the default bundle's, then one per
	 * configured server name.
	 */
	public List<ServedCertificate> certificates() {
		TlsCredentials credentials = this.credentials;
		List<ServedCertificate> certificates = new ArrayList<>(ServedCertificate.of(null,
				credentials.defaultBundle().name(), credentials.defaultBundle().bundle()));
		credentials.serverNameBundles().forEach((serverName, named) -> certificates
			.addAll(ServedCertificate.of(serverName, named.name(), named.bundle())));
		return certificates;
	}

	/** The TLS implementation, for logs. */
	public TlsEngine engine() {
		return this.engine;
	}

	/** Sets who hears how handshakes end; applies to connections accepted afterwards. */
	public void setHandshakeListener(TlsHandshakeListener listener) {
		this.listener = (listener != null) ? listener : TlsHandshakeListener.NONE;
	}

	/** Builds the contexts again after {@link #stop()}; does nothing while they exist. */
	public void start() {
		synchronized (this.monitor) {
			if (this.current == null) {
				this.current = build(this.credentials);
			}
		}
		startTicketKeyRotation();
	}

	/** Lets go of the current contexts; their native memory is freed when the last connection using them closes. */
	public void stop() {
		if (this.ticketKeys != null) {
			this.ticketKeys.stop();
		}
		synchronized (this.monitor) {
			TlsContexts contexts = this.current;
			this.current = null;
			if (contexts != null) {
				contexts.release();
			}
		}
	}

	/**
	 * Puts the TLS handlers at the end of a new connection's pipeline (the caller adds the HTTP handlers after them).
	 * A connection that arrives after {@link #stop()} is closed.
	 */
	public void install(Channel channel) {
		TlsContexts contexts = acquire();
		if (contexts == null) {
			channel.close();
			return;
		}
		channel.closeFuture().addListener((closed) -> contexts.release());
		TlsHandshakeObserver observer = new TlsHandshakeObserver(this.listener, this.handshakeTimeoutNanos);
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addLast("tls-guard", new PlaintextOnTlsPortGuard(observer));
		if (contexts.hasServerNames()) {
			pipeline.addLast("tls", new ServerNameHandler(contexts));
		}
		else {
			pipeline.addLast("tls", newSslHandler(contexts.defaultContext(), channel.alloc()));
		}
		pipeline.addLast("tls-handshake", observer);
	}

	/** The rotation task: a new encrypting ticket key, handed to every context of the current generation. */
	void rotateTicketKeys() {
		synchronized (this.monitor) {
			this.ticketKeys.rotate();
			TlsContexts contexts = this.current;
			if (contexts != null) {
				contexts.distinctContexts().forEach(this.ticketKeys::applyTo);
			}
		}
	}

	private void startTicketKeyRotation() {
		if (this.ticketKeys != null) {
			this.ticketKeys.start(this::rotateTicketKeys);
		}
	}

	/** The current generation, for tests in this package. */
	TlsContexts current() {
		return this.current;
	}

	/** Takes a reference on the current generation; a concurrent swap may free the one read, so read again. */
	private TlsContexts acquire() {
		for (;;) {
			TlsContexts contexts = this.current;
			if (contexts == null) {
				return null;
			}
			try {
				contexts.retain();
				return contexts;
			}
			catch (IllegalReferenceCountException ex) {
				// Replaced and released between our read and our retain: its successor is already current.
			}
		}
	}

	private static SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
		SslHandler handler = context.newHandler(allocator);
		// The observer owns the handshake timeout (one clock from accept, reported as a timeout).
		handler.setHandshakeTimeoutMillis(0);
		return handler;
	}

	private TlsContexts build(TlsCredentials credentials) {
		ServerSslContextFactory factory = new ServerSslContextFactory(this.engine, credentials.clientAuth(),
				this.http2);
		Map<SslBundle, SslContext> built = new IdentityHashMap<>();
		try {
			NamedBundle defaults = credentials.defaultBundle();
			SslContext defaultContext = contextFor(defaults, factory, built);
			Map<String, SslContext> byServerName = new LinkedHashMap<>();
			credentials.serverNameBundles()
				.forEach((serverName, named) -> byServerName.put(serverName, contextFor(named, factory, built)));
			if (this.ticketKeys != null) {
				// A reload keeps the keys: tickets issued before it still resume.
				built.values().forEach(this.ticketKeys::applyTo);
			}
			return new TlsContexts(defaultContext, byServerName);
		}
		catch (RuntimeException ex) {
			built.values().forEach(ReferenceCountUtil::release);
			throw ex;
		}
	}

	private static SslContext contextFor(NamedBundle named, ServerSslContextFactory factory,
			Map<SslBundle, SslContext> built) {
		SslContext context = built.get(named.bundle());
		if (context == null) {
			context = factory.create(named.bundle(), named.source());
			built.put(named.bundle(), context);
		}
		return context;
	}

	private void bundleUpdated(String name, SslBundle bundle) {
		synchronized (this.monitor) {
			this.credentials = this.credentials.withUpdatedBundle(name, bundle);
			TlsContexts previous = this.current;
			if (previous == null) {
				// Stopped: the next start builds from the updated credentials.
				return;
			}
			TlsContexts next;
			try {
				next = build(this.credentials);
			}
			catch (RuntimeException ex) {
				logger.error("SSL bundle '" + name + "' was updated, but its new content "
						+ "cannot be used; new connections keep the previous certificate: " + ex.getMessage(), ex);
				return;
			}
			this.current = next;
			previous.release();
			logger.info("SSL bundle '" + name + "' was updated; new TLS connections use its new certificate");
		}
	}

	/** Picks the context by the ClientHello's server name; its TLS handler obeys the observer's timeout only. */
	private static final class ServerNameHandler extends SniHandler {

		ServerNameHandler(TlsContexts contexts) {
			super(contexts.mapping(), 0L);
		}

		@Override
		protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
			return ServerTls.newSslHandler(context, allocator);
		}

	}

}
