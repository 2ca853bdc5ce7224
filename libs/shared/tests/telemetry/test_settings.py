import pytest

from cq_shared.telemetry import TelemetrySettings


def test_settings_read_the_cq_telemetry_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQ_TELEMETRY_SERVICE_NAME", "scheduling")
    monkeypatch.setenv("CQ_TELEMETRY_OTLP_ENDPOINT", "http://collector:4318")
    monkeypatch.setenv("CQ_TELEMETRY_LOG_LEVEL", "warning")
    monkeypatch.setenv("CQ_TELEMETRY_JSON_LOGS", "false")

    settings = TelemetrySettings()

    assert settings.service_name == "scheduling"
    assert settings.otlp_endpoint == "http://collector:4318"
    assert settings.log_level == "WARNING"
    assert settings.json_logs is False


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SERVICE_NAME", "OTLP_ENDPOINT", "LOG_LEVEL", "JSON_LOGS"):
        monkeypatch.delenv(f"CQ_TELEMETRY_{name}", raising=False)

    settings = TelemetrySettings()

    assert (settings.service_name, settings.otlp_endpoint) == ("carequartier", None)
    assert (settings.log_level, settings.json_logs) == ("INFO", True)


def test_unknown_log_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        TelemetrySettings(log_level="verbose")
