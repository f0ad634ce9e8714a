import { describe, expect, it } from 'vitest';
import { paymentGatewaySettings } from './settings';

describe('payment gateway settings', () => {
  it('falls back to the shop’s database and the default knobs', () => {
    expect(paymentGatewaySettings({ DATABASE_URL: 'postgres://localhost/shop', PAYMENTS_PORT: '' })).toEqual({
      databaseUrl: 'postgres://localhost/shop',
      host: '127.0.0.1',
      port: 4100,
      latencyMs: 0,
      latencyJitterMs: 0,
      failureRate: 0,
      timeoutHoldMs: 30_000,
    });
  });

  it('prefers PAYMENTS_DATABASE_URL and reads the knobs', () => {
    const settings = paymentGatewaySettings({
      DATABASE_URL: 'postgres://localhost/shop',
      PAYMENTS_DATABASE_URL: 'postgresql://localhost/payments',
      PAYMENTS_PORT: '0',
      PAYMENTS_LATENCY_MS: '25',
      PAYMENTS_FAILURE_RATE: '0.2',
    });
    expect(settings).toMatchObject({
      databaseUrl: 'postgresql://localhost/payments',
      port: 0,
      latencyMs: 25,
      failureRate: 0.2,
    });
  });

  it('names every setting it cannot use', () => {
    expect(() => paymentGatewaySettings({})).toThrow(/PAYMENTS_DATABASE_URL: .*set PAYMENTS_DATABASE_URL or DATABASE_URL/);
    expect(() =>
      paymentGatewaySettings({
        DATABASE_URL: 'mysql://localhost/shop',
        PAYMENTS_FAILURE_RATE: '1.5',
        PAYMENTS_LATENCY_MS: 'soon',
      }),
    ).toThrow(/DATABASE_URL[\s\S]*PAYMENTS_LATENCY_MS[\s\S]*PAYMENTS_FAILURE_RATE/);
  });
});
