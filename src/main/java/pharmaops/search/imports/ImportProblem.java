package pharmaops.search.imports;

/**
 * Something wrong with one record of an import, with where it is.
 *
 * @param line     line number in the file (1 = header), or 0 when the problem is about a whole file
 * @param file     the file name, for imports of many files; null otherwise
 * @param rejected true when the record was not imported, false when it was imported with a defect
 */
public record ImportProblem(String file, int line, boolean rejected, String message) {
  public static ImportProblem rejected(int line, String message) {
    return new ImportProblem(null, line, true, message);
  }

  public static ImportProblem warning(int line, String message) {
    return new ImportProblem(null, line, false, message);
  }

  @Override
  public String toString() {
    return (file == null ? "" : file + ":") + (line > 0 ? "line " + line + ": " : "") + (rejected ? "rejected: " : "warning: ") + message;
  }
}
