import { describe, expect, it } from 'vitest';
import { warehouseSettings } from './settings';

describe('warehouse settings', () => {
  it('defaults to its own database, the local broker and steps slow enough to watch', () => {
    expect(warehouseSettings({ WAREHOUSE_PICK_MS: '' })).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/hindsight_warehouse',
      natsUrl: 'nats://127.0.0.1:4222',
      stream: 'HINDSIGHT',
      prefix: 'hindsight',
      pickMs: 2_000,
      packMs: 2_000,
      dispatchMs: 2_000,
      missingRate: 0,
      carrier: 'Parcel Post',
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    expect(
      warehouseSettings({
        WAREHOUSE_DATABASE_URL: 'postgresql://db.internal/warehouse',
        NATS_URL: 'nats://a:4222,nats://b:4222',
        NATS_STREAM: 'SHOP_EU',
        NATS_SUBJECT_PREFIX: 'shop.eu',
        WAREHOUSE_PICK_MS: '0',
        WAREHOUSE_PACK_MS: '10',
        WAREHOUSE_DISPATCH_MS: '20',
        WAREHOUSE_MISSING_RATE: '0.25',
        WAREHOUSE_CARRIER: 'Canal Freight',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.internal:4318',
        LOG_LEVEL: 'warn',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://db.internal/warehouse',
      natsUrl: 'nats://a:4222,nats://b:4222',
      stream: 'SHOP_EU',
      prefix: 'shop.eu',
      pickMs: 0,
      packMs: 10,
      dispatchMs: 20,
      missingRate: 0.25,
      carrier: 'Canal Freight',
      otlpEndpoint: 'http://collector.internal:4318',
      logLevel: 'warn',
    });
  });

  it('names every setting it cannot use', () => {
    const refusal = () =>
      warehouseSettings({
        WAREHOUSE_DATABASE_URL: 'postgres://127.0.0.1:5432',
        NATS_URL: 'http://127.0.0.1:4222',
        NATS_SUBJECT_PREFIX: 'Hindsight',
        WAREHOUSE_PACK_MS: '-1',
        WAREHOUSE_MISSING_RATE: '1.5',
        LOG_LEVEL: 'loud',
      });
    expect(refusal).toThrow(/^Invalid warehouse configuration:/);
    expect(refusal).toThrow(/WAREHOUSE_DATABASE_URL: must name a database/);
    expect(refusal).toThrow(/NATS_URL: must be nats:\/\/host:port/);
    expect(refusal).toThrow(/NATS_SUBJECT_PREFIX/);
    expect(refusal).toThrow(/WAREHOUSE_PACK_MS/);
    expect(refusal).toThrow(/WAREHOUSE_MISSING_RATE/);
    expect(refusal).toThrow(/LOG_LEVEL/);
  });
});
