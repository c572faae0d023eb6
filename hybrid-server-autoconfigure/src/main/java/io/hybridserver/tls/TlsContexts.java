package io.hybridserver.tls;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.netty.handler.ssl.SslContext;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;

/**
 * One generation of server contexts: the default one and one per configured server name. Reference-counted as a whole:
 * the server holds one reference while this generation is current, and every connection made with it holds one until
 * it closes, so a reload never frees native contexts under an open connection, and the last user frees them.
 */
final class TlsContexts extends AbstractReferenceCounted {

	private final SslContext defaultContext;

	private final Map<String, SslContext> byServerName;

	private final Mapping<String, SslContext> mapping;

	TlsContexts(SslContext defaultContext, Map<String, SslContext> byServerName) {
		this.defaultContext = defaultContext;
		this.byServerName = new LinkedHashMap<>(byServerName);
		DomainWildcardMappingBuilder<SslContext> builder = new DomainWildcardMappingBuilder<>(defaultContext);
		byServerName.forEach(builder::add);
		this.mapping = builder.build();
	}

	SslContext defaultContext() {
		return this.defaultContext;
	}

	/** Whether connections must look at the client's SNI name to pick a context. */
	boolean hasServerNames() {
		return !this.byServerName.isEmpty();
	}

	/** Host name (as the client sent it in SNI, or {@code null}) to context; unknown names get the default. */
	Mapping<String, SslContext> mapping() {
		return this.mapping;
	}

	/** Each context once (several server names may share one bundle's context). */
	Set<SslContext> distinctContexts() {
		Set<SslContext> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
		distinct.add(this.defaultContext);
		distinct.addAll(this.byServerName.values());
		return distinct;
	}

	@Override
	protected void deallocate() {
		for (SslContext context : distinctContexts()) {
			ReferenceCountUtil.release(context);
		}
	}

	@Override
	public ReferenceCounted touch(Object hint) {
		return this;
	}

}
