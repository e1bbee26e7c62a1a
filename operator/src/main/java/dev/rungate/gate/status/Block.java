package dev.rungate.gate.status;

/**
 * Why the gate must not move traffic (or must not take the next step): a Reasons constant and a
 * message naming the fix.
 */
public record Block(String reason, String message) {}
