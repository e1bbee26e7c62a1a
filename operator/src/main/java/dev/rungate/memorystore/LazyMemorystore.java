package dev.rungate.memorystore;

import dev.rungate.domain.MemorystoreInstance;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Creates the Memorystore client on first use, so an operator or a `rungate check` whose policies
 * name no instance never needs credentials for it. Closes it if it was made.
 */
public final class LazyMemorystore implements MemorystoreInstances, AutoCloseable {
  private final Supplier<GoogleMemorystore> factory;
  private GoogleMemorystore client;

  public LazyMemorystore(Supplier<GoogleMemorystore> factory) {
    this.factory = factory;
  }

  /**
   * Google with Application Default Credentials for a null/blank endpoint, else a plaintext
   * host:port (the emulator).
   */
  public static LazyMemorystore forEndpoint(String endpoint) {
    return new LazyMemorystore(() -> GoogleMemorystore.forEndpoint(endpoint));
  }

  /**
   * Creates the client now (class loading and settings take seconds in a cold JVM; a check's
   * timeout should not pay for them). Failures surface again on the first lookup.
   */
  public LazyMemorystore connect() {
    try {
      client();
    } catch (LookupException e) {
      // reported by the checks that need the client
    }
    return this;
  }

  private synchronized GoogleMemorystore client() {
    if (client == null) {
      try {
        client = factory.get();
      } catch (RuntimeException e) {
        throw new LookupException(
            "UNAUTHENTICATED",
            "cannot create the Memorystore Admin API client ("
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + ")");
      }
    }
    return client;
  }

  @Override
  public Optional<MemorystoreInstance> get(String name) {
    return client().get(name);
  }

  @Override
  public Optional<String> authString(String name) {
    return client().authString(name);
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
