package io.hybridserver.servlet;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** The AsyncContext state machine in memory: what takes effect when, and what the spec forbids. */
class AsyncContextTest {

	private final List<String> events = new CopyOnWriteArrayList<>();

	private ContainerFixture app(ContainerFixture.Handler handler) throws Exception {
		ContainerFixture fixture = new ContainerFixture();
		fixture.startup((ctx) -> {
			ServletRegistration.Dynamic registration = ctx.addServlet("async", ContainerFixture.servlet(handler));
			registration.addMapping("/async/*");
			registration.setAsyncSupported(true);
		});
		return fixture.start();
	}

	private AsyncListener recorder() {
		return new AsyncListener() {

			@Override
			public void onComplete(AsyncEvent event) {
				AsyncContextTest.this.events.add("complete");
			}

			@Override
			public void onTimeout(AsyncEvent event) {
				AsyncContextTest.this.events.add("timeout");
			}

			@Override
			public void onError(AsyncEvent event) {
				AsyncContextTest.this.events.add("error " + event.getThrowable().getMessage());
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
				AsyncContextTest.this.events.add("restart");
			}

		};
	}

	@Test
	void completeBeforeTheDispatchReturnsTakesEffectAfterIt() throws Exception {
		ContainerFixture app = app((q, r) -> {
			AsyncContext async = q.startAsync();
			async.addListener(recorder());
			r.getWriter().print("done");
			async.complete();
			assertThat(q.isAsyncStarted()).isTrue();
			this.events.add("returning");
		});
		TestExchange exchange = app.get("/async/x");
		assertThat(exchange.status).isEqualTo(200);
		assertThat(exchange.bodyText()).isEqualTo("done");
		assertThat(this.events).containsExactly("returning", "complete");
	}

	@Test
	void dispatchBeforeTheDispatchReturnsRunsAnAsyncDispatchAfterIt() throws Exception {
		ContainerFixture app = app((q, r) -> {
			if (q.getDispatcherType() == DispatcherType.ASYNC) {
				r.getWriter().print("async " + q.getAttribute(AsyncContext.ASYNC_REQUEST_URI) + " "
						+ q.isAsyncStarted());
				return;
			}
			q.startAsync().dispatch();
			this.events.add("returning");
		});
		TestExchange exchange = app.get("/async/first");
		assertThat(exchange.bodyText()).isEqualTo("async /async/first false");
		assertThat(this.events).containsExactly("returning");
	}

	@Test
	void completeFromAnotherThreadAfterTheWorkerReturned() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(1);
		ContainerFixture app = app((q, r) -> {
			AsyncContext async = q.startAsync();
			new Thread(() -> {
				try {
					release.await(10, TimeUnit.SECONDS);
					async.getResponse().getWriter().print("later");
					async.complete();
				}
				catch (InterruptedException | IOException ex) {
					throw new IllegalStateException(ex);
				}
				finally {
					done.countDown();
				}
			}).start();
		});
		TestExchange exchange = TestExchange.get("/async/x");
		app.container.handle(exchange);
		assertThat(exchange.ended()).as("the worker returns with the exchange still open").isFalse();
		release.countDown();
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(exchange.ended()).isTrue();
		assertThat(exchange.bodyText()).isEqualTo("later");
	}

	@Test
	void whatTheSpecForbidsThrows() throws Exception {
		AtomicReference<AsyncContext> saved = new AtomicReference<>();
		ContainerFixture app = app((q, r) -> {
			assertThatIllegalStateException().isThrownBy(q::getAsyncContext);
			AsyncContext async = q.startAsync();
			assertThatIllegalStateException().isThrownBy(q::startAsync);
			assertThat(q.getAsyncContext()).isSameAs(async);
			async.complete();
			async.complete();
			assertThatIllegalStateException().isThrownBy(async::dispatch);
			saved.set(async);
		});
		app.get("/async/x");
		assertThatIllegalStateException().isThrownBy(() -> saved.get().addListener(recorder()));
		assertThatIllegalStateException().isThrownBy(() -> saved.get().setTimeout(5));
		assertThatIllegalStateException().isThrownBy(saved.get()::getRequest);
	}

	@Test
	void aTimeoutAListenerHandlesDoesNotBecomeAnError() throws Exception {
		CountDownLatch done = new CountDownLatch(1);
		ContainerFixture app = app((q, r) -> {
			AsyncContext async = q.startAsync();
			async.setTimeout(100);
			async.addListener(new AsyncListener() {

				@Override
				public void onTimeout(AsyncEvent event) throws IOException {
					event.getAsyncContext().getResponse().getWriter().print("handled timeout");
					event.getAsyncContext().complete();
				}

				@Override
				public void onComplete(AsyncEvent event) {
					done.countDown();
				}

				@Override
				public void onError(AsyncEvent event) {
				}

				@Override
				public void onStartAsync(AsyncEvent event) {
				}

			});
		});
		TestExchange exchange = TestExchange.get("/async/x");
		app.container.handle(exchange);
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(exchange.status).isEqualTo(200);
		assertThat(exchange.bodyText()).isEqualTo("handled timeout");
	}

	@Test
	void aFailureAfterStartAsyncTellsListenersAndAnswers500() throws Exception {
		ContainerFixture app = app((q, r) -> {
			q.startAsync().addListener(recorder());
			throw new IllegalStateException("failed after startAsync");
		});
		TestExchange exchange = app.get("/async/x");
		assertThat(exchange.status).isEqualTo(500);
		assertThat(this.events).containsExactly("error failed after startAsync", "complete");
	}

	@Test
	void restartingAsyncInAnAsyncDispatchTellsThePreviousListeners() throws Exception {
		ContainerFixture app = app((q, r) -> {
			if (q.getDispatcherType() == DispatcherType.ASYNC) {
				AsyncContext again = q.startAsync();
				again.addListener(recorder());
				again.complete();
				return;
			}
			AsyncContext async = q.startAsync();
			async.addListener(recorder());
			async.dispatch();
		});
		app.get("/async/x");
		assertThat(this.events).containsExactly("restart", "complete");
	}

	@Test
	void idleSessionsEndOnTheTimerWithoutARequest() throws Exception {
		ContainerFixture fixture = new ContainerFixture();
		fixture.deployment.setSessionSweepInterval(Duration.ofMillis(50));
		fixture.startup((ctx) -> ctx.addListener(new HttpSessionListener() {

			@Override
			public void sessionDestroyed(HttpSessionEvent se) {
				AsyncContextTest.this.events.add("destroyed " + se.getSession().getId());
			}

		}));
		fixture.servlet("s", (q, r) -> {
			q.getSession().setMaxInactiveInterval(1);
			r.getWriter().print(q.getSession().getId());
		}, "/s");
		fixture.start();
		String id = fixture.get("/s").bodyText();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("destroyed " + id));
		fixture.container.stop();
	}

}
