package dev.rungate.memorystore;

import dev.rungate.domain.MemorystoreInstance;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A fake for unit tests: instances and AUTH strings put in by the test. */
public final class InMemoryMemorystore implements MemorystoreInstances {
  private final Map<String, MemorystoreInstance> instances = new ConcurrentHashMap<>();
  private final Map<String, String> auth = new ConcurrentHashMap<>();

  public InMemoryMemorystore put(MemorystoreInstance instance) {
    instances.put(instance.name(), instance);
    return this;
  }

  public InMemoryMemorystore put(MemorystoreInstance instance, String authString) {
    auth.put(instance.name(), authString);
    return put(instance);
  }

  @Override
  public Optional<MemorystoreInstance> get(String name) {
    return Optional.ofNullable(instances.get(name));
  }

  @Override
  public Optional<String> authString(String name) {
    if (!instances.containsKey(name)) {
      throw new LookupException("NOT_FOUND", "Memorystore instance " + name + " not found");
    }
    return Optional.ofNullable(auth.get(name));
  }
}
