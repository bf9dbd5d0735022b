package pharmaops.search.imports;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One leaflet as read from a text file.
 *
 * @param registration the 9-digit ANVISA registration found in the text ("MS 1.0043.0946"), or null
 * @param layout       {@code patient} ("1. PARA QUE ESTE MEDICAMENTO É INDICADO?") or {@code professional}
 */
public record Leaflet(String file, String name, List<String> ingredients, String registration, String layout,
                      String presentation, Map<Section, String> sections) {

  /** The leaflet sections, each a column of {@code bula} and a key of the API's {@code sections} object. */
  public enum Section {
    INDICATIONS("indications", "indications"),
    CONTRAINDICATIONS("contraindications", "contraindications"),
    HOW_IT_WORKS("how_it_works", "howItWorks"),
    WARNINGS("warnings", "warnings"),
    INTERACTIONS("interactions", "interactions"),
    STORAGE("storage", "storage"),
    DOSAGE("dosage", "dosage"),
    MISSED_DOSE("missed_dose", "missedDose"),
    ADVERSE_REACTIONS("adverse_reactions", "adverseReactions"),
    OVERDOSE("overdose", "overdose"),
    COMPOSITION("composition", "composition");

    public final String column;
    public final String json;

    Section(String column, String json) {
      this.column = column;
      this.json = json;
    }
  }

  public Leaflet {
    sections = sections.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(sections));
  }

  public String section(Section s) {
    return sections.get(s);
  }
}
