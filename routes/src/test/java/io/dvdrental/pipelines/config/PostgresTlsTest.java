package io.dvdrental.pipelines.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresTlsTest {

    @ParameterizedTest
    @CsvSource({
            "jdbc:postgresql://db:5432/x?sslmode=verify-full&sslrootcert=/ca.pem, verify-full",
            "jdbc:postgresql://db:5432/x?ApplicationName=a&sslmode=VERIFY-CA, verify-ca",
            "jdbc:postgresql://db:5432/x?sslmode=verify-full&sslmode=require, require",
            "jdbc:postgresql://db:5432/x?ssl=true, prefer",
            "jdbc:postgresql://db:5432/x, prefer"})
    void theModeIsTheUrlsLastSslmodeAndPreferWithoutOne(String url, String mode) {
        assertThat(PostgresTls.sslmode(url)).isEqualTo(mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"require", "prefer", "allow", "disable"})
    void modesThatAcceptAnyServerAreRefusedNamingTheSetting(String mode) {
        assertThatThrownBy(() -> PostgresTls.requireVerified("dvd.state.url", "jdbc:postgresql://db/x?sslmode=" + mode))
                .hasMessageContaining("dvd.state.url").hasMessageContaining("sslmode=" + mode)
                .hasMessageContaining("DVD_POSTGRES_SSLMODE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"verify-full", "verify-ca"})
    void modesThatCheckTheCertificatePass(String mode) {
        assertThatCode(() -> PostgresTls.requireVerified("dvd.state.url", "jdbc:postgresql://db/x?sslmode=" + mode))
                .doesNotThrowAnyException();
    }
}
