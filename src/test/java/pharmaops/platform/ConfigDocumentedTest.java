package pharmaops.platform;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every key of conf/config.json has its environment variable documented in the README. */
class ConfigDocumentedTest {
  @Test
  void everyConfigKeyHasItsVariableInTheReadme() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    var names = ConfigLoader.leafEnvNames(ConfigLoader.readFile(Map.of())).keySet();
    assertThat(names).isNotEmpty();
    assertThat(names).allSatisfy(name -> assertThat(readme).as("README documents " + name).contains("`" + name + "`"));
  }
}
