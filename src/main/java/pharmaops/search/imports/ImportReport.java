package pharmaops.search.imports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The outcome of one import.
 *
 * @param read       records read from the input (rows, files or demo products)
 * @param written    records inserted or changed in the catalogue
 * @param generation catalogue generation after the import (0 when nothing was written)
 */
public record ImportReport(String source, int read, int written, long generation, List<ImportProblem> problems) {
  public long rejected() {
    return problems.stream().filter(ImportProblem::rejected).count();
  }

  public JsonObject toJson() {
    JsonArray ps = new JsonArray();
    problems.stream().limit(1000).forEach(p -> ps.add(p.toString()));
    return new JsonObject().put("source", source).put("read", read).put("written", written)
        .put("rejected", rejected()).put("generation", generation).put("problems", ps);
  }
}
