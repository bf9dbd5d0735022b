package pharmaops.reports;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptEncodingTest {
  @Test
  void gzipListedWithoutWeightOrWithAPositiveOneIsAccepted() {
    assertThat(AcceptEncoding.gzip("gzip")).isTrue();
    assertThat(AcceptEncoding.gzip("deflate, GZIP;q=0.5, br")).isTrue();
    assertThat(AcceptEncoding.gzip("br;q=1.0, gzip ; q=0.001")).isTrue();
    assertThat(AcceptEncoding.gzip("x-gzip")).isTrue();
  }

  @Test
  void gzipWithWeightZeroIsRefused() {
    assertThat(AcceptEncoding.gzip("gzip;q=0")).isFalse();
    assertThat(AcceptEncoding.gzip("gzip;Q=0.000, deflate")).isFalse();
    assertThat(AcceptEncoding.gzip("*, gzip;q=0")).as("an explicit gzip beats the wildcard").isFalse();
  }

  @Test
  void wildcardStandsForGzipOnlyWhenGzipIsNotNamed() {
    assertThat(AcceptEncoding.gzip("*")).isTrue();
    assertThat(AcceptEncoding.gzip("identity, *;q=0.1")).isTrue();
    assertThat(AcceptEncoding.gzip("*;q=0")).isFalse();
  }

  @Test
  void absentOtherOrMalformedMeansPlain() {
    assertThat(AcceptEncoding.gzip(null)).isFalse();
    assertThat(AcceptEncoding.gzip("")).isFalse();
    assertThat(AcceptEncoding.gzip("identity, br")).isFalse();
    assertThat(AcceptEncoding.gzip("gzipped")).isFalse();
    assertThat(AcceptEncoding.gzip("gzip;q=high")).isFalse();
    assertThat(AcceptEncoding.gzip("gzip;q=1.5")).isFalse();
  }
}
