package pharmaops.search;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pharmaops.platform.AppConfig;
import pharmaops.platform.ConfigException;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchConfigTest {
  static AppConfig app(JsonObject search) {
    return AppConfig.from(new JsonObject().put("search", search), Map.of());
  }

  @Test
  void defaultsApplyWhenTheSectionIsAbsent() {
    var c = SearchConfig.from(AppConfig.from(new JsonObject(), Map.of()));
    assertThat(c).isEqualTo(new SearchConfig(300, 20, 50, 500, 5, 1000));
  }

  @Test
  void badValuesStopTheStartWithTheKeyAndItsVariable() {
    assertThatThrownBy(() -> SearchConfig.from(app(new JsonObject().put("maxPageSize", 0).put("cacheTtlSeconds", "x"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("search.maxPageSize").hasMessageContaining("PHARMAOPS_SEARCH_MAX_PAGE_SIZE")
        .hasMessageContaining("search.cacheTtlSeconds");
    assertThatThrownBy(() -> SearchConfig.from(app(new JsonObject().put("defaultPageSize", 40).put("maxPageSize", 30))))
        .hasMessageContaining("must not exceed maxPageSize");
  }
}
