package dev.s3pool.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChildProcessTest {

  @Test
  void defaultJvmOptions_java17_knowsNothingOfJava24Options() {
    assertEquals(ChildProcess.DEFAULT_JVM_OPTIONS, ChildProcess.defaultJvmOptions(17));
    assertEquals(ChildProcess.DEFAULT_JVM_OPTIONS, ChildProcess.defaultJvmOptions(23));
  }

  @Test
  void defaultJvmOptions_java24AndLater_allowNettysNativeAccessAndUnsafe() {
    List<String> options = ChildProcess.defaultJvmOptions(25);
    assertTrue(options.containsAll(ChildProcess.DEFAULT_JVM_OPTIONS), options::toString);
    assertTrue(options.contains("--enable-native-access=ALL-UNNAMED"), options::toString);
    assertTrue(options.contains("--sun-misc-unsafe-memory-access=allow"), options::toString);
  }
}
