/**
 * How a call to the gateway can fail, as types a caller can tell apart. Which one decides what to do next:
 * after a timeout or an unavailable gateway the charge may or may not have happened, so the caller retries with the
 * same Idempotency-Key (or looks the charge up); a rejection is final for that request.
 */
export class PaymentGatewayError extends Error {
  override name = 'PaymentGatewayError';
}

/** No answer within the client's timeout. The request may have been carried out. */
export class PaymentGatewayTimeoutError extends PaymentGatewayError {
  override name = 'PaymentGatewayTimeoutError';
}

/**
 * The gateway could not be reached or gave no usable answer: connection refused or reset, the connection closed
 * without an answer, a 5xx, or an answer that does not match the contract. The request may have been carried out.
 */
export class PaymentGatewayUnavailableError extends PaymentGatewayError {
  override name = 'PaymentGatewayUnavailableError';

  constructor(
    message: string,
    /** The HTTP status, when there was an answer. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A 4xx: the gateway refused the request (invalid card, unknown token, a reused key, too large a refund). */
export class PaymentGatewayRejectedError extends PaymentGatewayError {
  override name = 'PaymentGatewayRejectedError';

  constructor(
    readonly status: number,
    /** The gateway's stable code, such as `invalid_number` or `idempotency_key_reused`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
