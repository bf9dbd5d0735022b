package pharmaops.reports;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTypeTest {
  @Test
  void countQueryDropsOnlyTheFinalOrderBy() {
    String count = new KycStatusReport().countSql();
    assertThat(count).startsWith("SELECT count(*) FROM (").endsWith(") q");
    assertThat(count).doesNotContain("ORDER BY c.id").contains("ORDER BY k)").contains("ORDER BY r.claimed_at DESC LIMIT 1");
    assertThat(new CatalogueReport().countSql()).doesNotContain("ORDER BY");
  }
}
