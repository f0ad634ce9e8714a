/**
 * The payment gateway simulator, a service of its own: its HTTP server and the settings of its process. The shop
 * reaches it over HTTP through ./client.ts only.
 */
export { startPaymentGateway, type PaymentGateway, type PaymentGatewayOptions } from './server';
export { paymentGatewaySettings, type PaymentGatewaySettings } from './settings';
export { testCards, type TestCard } from './test-cards';
