package dev.rungate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * For pipeline commands: without a logback configuration, logback logs DEBUG to stdout, which
 * would mix library chatter into the command's table or JSON. This sends WARN and above to stderr.
 */
final class CliLogging {
  private CliLogging() {}

  static void quiet() {
    if (System.getProperty("logback.configurationFile") != null
        || CliLogging.class.getClassLoader().getResource("logback.xml") != null
        || CliLogging.class.getClassLoader().getResource("logback-test.xml") != null
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%level %logger{36} - %msg%n");
    encoder.start();
    ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(ctx);
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    root.addAppender(stderr);
    root.setLevel(Level.WARN);
  }
}
