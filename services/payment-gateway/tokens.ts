import type { SqlExecutor } from '@/db/sql';
import { checkCard } from './cards';
import type { Handler } from './context';
import { tokenizeRequestSchema, type TokenizeAnswer } from './contract';
import { HttpError, parseWith, readJson } from './http';
import { randomId } from './ids';
import type { CardBehaviour } from './test-cards';

export type StoredToken = {
  readonly token: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly behaviour: CardBehaviour;
};

/** `POST /v1/tokens`: checks a card and swaps it for a token. The number and cvc go no further than this function. */
export const postToken: Handler = async (gateway, { req }) => {
  const body = parseWith(tokenizeRequestSchema, await readJson(req));
  const card = checkCard(body, gateway.now());
  if ('code' in card) throw new HttpError(422, card.code, card.message);
  const token = randomId('tok');
  await gateway.sql.query(
    `insert into payment_gateway.tokens (token, last4, brand, exp_month, exp_year, behaviour)
     values ($1, $2, $3, $4, $5, $6)`,
    [token, card.last4, card.brand, card.expMonth, card.expYear, card.behaviour],
  );
  const answer: TokenizeAnswer = {
    token,
    last4: card.last4,
    brand: card.brand,
    riskLevel: card.behaviour === 'flagged' ? 'elevated' : 'normal',
  };
  return { status: 201, body: answer };
};

export async function findToken(sql: SqlExecutor, token: string): Promise<StoredToken | undefined> {
  const [row] = await sql.query<StoredToken>(
    `select token, exp_month as "expMonth", exp_year as "expYear", behaviour
     from payment_gateway.tokens where token = $1`,
    [token],
  );
  return row;
}
