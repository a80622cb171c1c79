/**
 * The seven example documents of the original specification, verbatim as issue 2 quotes
 * them (one line each, the specification's key order). Test data: the wire schemas must
 * accept each as given, and parsing then re-serialising must give the same text.
 */
export const EXAMPLE_DOCUMENTS = {
  dataStatus:
    '{"updated_at":"2025-01-30T10:30:00Z","sources":{"exchange_api":{"status":"healthy","last_response":"2025-01-30T10:30:00Z","latency_ms":45}},"symbols":{"BTCUSD":{"timeframes":{"1m":{"last_bar":"2025-01-30T10:29:00Z","quality_score":0.98,"bars_today":629,"gaps_today":0},"5m":{"last_bar":"2025-01-30T10:25:00Z","quality_score":0.99,"bars_today":126,"gaps_today":0}}}},"overall_health":"healthy","quality_score":0.98}',
  latestOhlcv:
    '{"updated_at":"2025-01-30T10:30:00Z","symbol":"BTCUSD","timeframes":{"1m":{"timestamp":"2025-01-30T10:29:00Z","open":45050,"high":45080,"low":45020,"close":45060,"volume":125.5},"5m":{"timestamp":"2025-01-30T10:25:00Z","open":45000,"high":45100,"low":44980,"close":45060,"volume":567.2},"1H":{"timestamp":"2025-01-30T10:00:00Z","open":44900,"high":45150,"low":44850,"close":45060,"volume":2345.8}},"derived":{"atr_14_1H":250.5,"daily_high":45200,"daily_low":44700,"daily_volume":12500.3}}',
  marketContext:
    '{"updated_at":"2025-01-30T10:30:00Z","symbol":"BTCUSD","volatility_regime":"normal","volatility_percentile":45,"trend_1D":"bullish","trend_4H":"ranging","session":{"current":"london","minutes_into_session":150,"killzone_active":true},"key_levels":{"daily_pivot":44950,"daily_r1":45300,"daily_s1":44600,"weekly_high":46000,"weekly_low":43500},"recent_events":[]}',
  qualityReport:
    '{"report_date":"2025-01-30","symbols_monitored":2,"overall_quality":0.97,"quality_by_symbol":{"BTCUSD":{"quality_score":0.98,"completeness":0.99,"validity":0.98,"freshness":0.99,"issues":[]}},"issues_24h":[{"timestamp":"2025-01-30T03:45:00Z","type":"gap_detected","symbol":"BTCUSD","timeframe":"1m","duration_bars":2,"resolution":"forward_filled"}],"recommendations":[]}',
  dataRequest:
    '{"request_id":"DATA-001","requester":"feature-engineer","request_type":"historical_data","parameters":{"symbol":"BTCUSD","timeframe":"1H","start_date":"2024-01-01","end_date":"2025-01-30","format":"parquet"},"priority":"normal"}',
  dataResponse:
    '{"request_id":"DATA-001","status":"completed","output_path":"/data/BTCUSD_1H_20240101_20250130.parquet","rows":8760,"quality_score":0.99,"metadata":{"first_timestamp":"2024-01-01T00:00:00Z","last_timestamp":"2025-01-30T10:00:00Z","gaps_filled":3}}',
  alert:
    '{"alert_id":"DATA-ALERT-001","timestamp":"2025-01-30T10:30:00Z","severity":"warning","type":"data_quality","message":"Data feed latency elevated (150ms vs normal 45ms)","affected":{"symbol":"BTCUSD","source":"exchange_api"},"action_taken":"Monitoring, no intervention required","escalate":false}',
} as const;
