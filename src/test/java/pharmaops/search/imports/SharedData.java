package pharmaops.search.imports;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real public data in {@code ../shared/data}, used by path and never copied; tests skip without it. */
public final class SharedData {
  public static final Path ROOT = Path.of(System.getProperty("shared.data",
      System.getenv().getOrDefault("SHARED_DATA", "../shared/data")));

  private SharedData() {}

  public static Path require(String relative) {
    Path p = ROOT.resolve(relative);
    Assumptions.assumeTrue(Files.exists(p), "shared data not found at " + p.toAbsolutePath()
        + " (set SHARED_DATA to the folder holding anvisa/ and bulas/); skipping");
    return p;
  }
}
