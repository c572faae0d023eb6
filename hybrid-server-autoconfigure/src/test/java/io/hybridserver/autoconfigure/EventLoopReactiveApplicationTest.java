package io.hybridserver.autoconfigure;

import org.springframework.test.context.TestPropertySource;

/** The reactive application with its handlers on the event loops, as Reactor Netty runs them. */
@TestPropertySource(properties = "server.hybrid.reactive.dispatch=event-loop")
class EventLoopReactiveApplicationTest extends ReactiveApplicationTest {

	@Override
	String handlerThreadPrefix() {
		return "hybrid-io-";
	}

}
