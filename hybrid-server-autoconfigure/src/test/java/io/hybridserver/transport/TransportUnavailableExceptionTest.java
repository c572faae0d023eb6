package io.hybridserver.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reason a transport cannot run is said in words, never as "null". */
class TransportUnavailableExceptionTest {

	@Test
	void aTransportOfAnotherOperatingSystemSaysWhichOneItNeeds() {
		assertThat(TransportUnavailableException.reason(TransportKind.KQUEUE, new UnsupportedOperationException(),
				"Linux")).isEqualTo("kqueue runs only on macOS and BSD");
		assertThat(TransportUnavailableException.reason(TransportKind.EPOLL, null, "Mac OS X"))
			.isEqualTo("epoll runs only on Linux");
		assertThat(TransportUnavailableException.reason(TransportKind.IO_URING, null, "Windows 11"))
			.isEqualTo("io-uring runs only on Linux");
	}

	@Test
	void aCauseWithoutMessageIsDescribedByTheFirstMessageInItsChainOrItsType() {
		Throwable wrapped = new ExceptionInInitializerError(new UnsatisfiedLinkError("no netty_transport_epoll"));
		assertThat(TransportUnavailableException.reason(TransportKind.EPOLL, wrapped, "Linux"))
			.isEqualTo("no netty_transport_epoll");
		assertThat(TransportUnavailableException.reason(TransportKind.IO_URING, new UnsupportedOperationException(),
				"Linux")).isEqualTo("java.lang.UnsupportedOperationException (no message)");
		assertThat(new TransportUnavailableException(TransportKind.IO_URING, new UnsupportedOperationException())
			.getMessage()).doesNotEndWith("null");
	}

}
