import { startEmbeddedShop, type EmbeddedShop } from './embedded-shop';
import { sampleMemory, type MemorySampler } from './process-memory';
import { approvedTestCard, loadPage, sendCommand } from './shop-under-test';
import { closedLoop, formatCount, percentiles, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * The shop as a first-time user runs it: `npm start` with nothing set up, one `next start` process on the
 * embedded database with every consumer of the log inside it. Pages with readers alone, the same pages while
 * shoppers check out in the same process, and that process's memory throughout.
 */
export const zeroSetupSuite: BenchSuite = {
  name: 'zero-setup',
  async run(context) {
    const rows: Measurement[] = [];
    // As it starts by default, and with EMBEDDED_THREAD (the database and the consumers on a thread of their own).
    for (const variant of [byDefault, onItsOwnThread]) {
      context.log(variant.title);
      const shop = await startEmbeddedShop(context, { thread: variant === onItsOwnThread });
      const memory = sampleMemory(shop.pid);
      try {
        rows.push(...(await measure(context, shop, memory, variant)));
      } catch (error) {
        throw shop.withServerLog(error);
      } finally {
        memory.stop();
        await shop.stop();
      }
    }
    return rows;
  },
};

type Variant = { readonly id: string; readonly title: string; readonly label: string };
const byDefault: Variant = { id: 'zero-setup', title: 'one thread (the default)', label: '' };
const onItsOwnThread: Variant = { id: 'zero-setup.thread', title: 'EMBEDDED_THREAD=true', label: ' [EMBEDDED_THREAD: database and consumers on a thread of their own]' };

const readers = 16;
const shoppers = 16;
/** Products whose page, and a search for whose name, the readers turn through beside the storefront. */
const productsRead = 8;

/** The address every checkout of the load ships to, as the checkout form sends it. */
const shippingAddress = { name: 'Bench Shopper', line1: '1 Load Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

async function measure(context: BenchContext, shop: EmbeddedShop, memory: MemorySampler, variant: Variant): Promise<Measurement[]> {
  const seconds = context.smoke ? 1 : 20;
  const startedMiB = memory.nowMiB();
  context.log(`signing ${shoppers} shoppers up …`);
  const sessions = await Promise.all(Array.from({ length: shoppers }, (_, index) => shop.signUp(index)));
  const catalog = await shop.listProducts();
  const pages = pagesToRead(catalog);
  const basket = productsToBuy(catalog);
  context.log(`${basket.length} products to buy, ${formatCount(basket.reduce((sum, product) => sum + product.stock, 0))} items in stock`);

  let pagesRead = 0;
  const read = () => loadPage(shop.baseUrl, pages[pagesRead++ % pages.length]!);
  // Each page compiled, its queries prepared and its code warmed before it is timed.
  for (let round = 0; round < 3; round++) for (const page of new Set(pages)) await loadPage(shop.baseUrl, page);

  const checkoutsMs: number[] = [];
  let bought = 0;
  const shopOnce = async (client: number) => {
    // Each round buys the next product of the basket: none runs out, and two shoppers seldom want the same one.
    const product = basket[bought++ % basket.length]!;
    const checkoutMs = await checkOut(shop.baseUrl, sessions[client]!, product.productId);
    checkoutsMs.push(checkoutMs);
  };
  // One checkout each, unmeasured: the command routes compiled and the gateway's connections open.
  const warmUp = await Promise.allSettled(Array.from({ length: shoppers }, (_, client) => shopOnce(client)));
  reportFailures(context, 'warm-up checkout', warmUp.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])));
  checkoutsMs.length = 0;

  // Readers first: the shoppers leave the consumers a backlog, which would run beside them.
  context.log(`${readers} readers alone for ${seconds} s …`);
  const readersStarted = performance.now();
  const alone = await closedLoop(readers, seconds, read);
  const readersMiB = memory.maxMiBSince(readersStarted);
  reportFailures(context, 'page', alone.failures);

  context.log(`${shoppers} shoppers alone for ${seconds} s …`);
  const shoppersAlone = await closedLoop(shoppers, seconds, shopOnce);
  reportFailures(context, 'checkout', shoppersAlone.failures);
  const aloneCheckoutsMs = checkoutsMs.splice(0);

  context.log(`${readers} readers while ${shoppers} shoppers check out, for ${seconds} s …`);
  const mixedStarted = performance.now();
  const [mixed, shopping] = await Promise.all([closedLoop(readers, seconds, read), closedLoop(shoppers, seconds, shopOnce)]);
  const mixedMiB = memory.maxMiBSince(mixedStarted);
  reportFailures(context, 'page', mixed.failures);
  reportFailures(context, 'checkout', shopping.failures);
  shop.assertRunning();
  const endMiB = memory.nowMiB();
  const boughtIds = new Set(basket.map((product) => product.productId));
  const soldOut = (await shop.listProducts()).filter((product) => product.stock === 0 && boughtIds.has(product.productId));
  if (soldOut.length > 0) context.log(`  ${soldOut.length} of the ${basket.length} products bought ran out of stock`);

  const pageMix = `/, /search?q=… and /products/… in turn (${productsRead} searches, ${productsRead} products), full HTML`;
  const clients = (count: number, what: string) => `${count} ${what}, closed loop`;
  const { p50Ms, p95Ms, p99Ms } = percentiles(checkoutsMs);
  const rss = (id: string, label: string, rssMiB: number): Measurement => ({
    id: `${variant.id}.memory.${id}`,
    group: 'zero-setup',
    label: `the web server's resident memory, ${label}${variant.label}`,
    scale: 'sampled every 250 ms',
    concurrency: 'next start and any process below it',
    metrics: { rssMiB },
  });
  return [
    {
      id: `${variant.id}.readers`,
      group: 'zero-setup',
      label: `pages, readers alone: ${pageMix}${variant.label}`,
      scale: `${formatCount(alone.latenciesMs.length)} pages over ${seconds} s`,
      concurrency: clients(readers, 'readers'),
      metrics: pageMetrics(alone),
    },
    {
      id: `${variant.id}.mixed.pages`,
      group: 'zero-setup',
      label: `pages while ${shoppers} shoppers check out: ${pageMix}${variant.label}`,
      scale: `${formatCount(mixed.latenciesMs.length)} pages over ${seconds} s`,
      concurrency: `${clients(readers, 'readers')}, beside ${shoppers} shoppers`,
      metrics: pageMetrics(mixed),
    },
    {
      id: `${variant.id}.shoppers`,
      group: 'zero-setup',
      label: `checkouts, shoppers alone: cart.addItem, then cart.checkOut with the approved test card (latency of the checkout)${variant.label}`,
      scale: `${formatCount(aloneCheckoutsMs.length)} orders over ${seconds} s, one item each, from ${basket.length} products`,
      concurrency: clients(shoppers, 'shoppers'),
      metrics: { checkoutsPerSecond: aloneCheckoutsMs.length / (shoppersAlone.elapsedMs / 1000), ...percentiles(aloneCheckoutsMs), failures: shoppersAlone.failures.length },
    },
    {
      id: `${variant.id}.mixed.checkouts`,
      group: 'zero-setup',
      label: `checkouts beside ${readers} readers: cart.addItem, then cart.checkOut with the approved test card (latency of the checkout)${variant.label}`,
      scale: `${formatCount(checkoutsMs.length)} orders over ${seconds} s, one item each, from ${basket.length} products`,
      concurrency: `${clients(shoppers, 'shoppers')}, beside ${readers} readers`,
      metrics: { checkoutsPerSecond: checkoutsMs.length / (shopping.elapsedMs / 1000), p50Ms, p95Ms, p99Ms, failures: shopping.failures.length },
    },
    rss('started', 'just after its first start (database created, migrated and seeded)', startedMiB),
    rss('readers', 'at most, readers alone', readersMiB),
    rss('mixed', 'at most, readers and shoppers', mixedMiB),
    rss('end', 'after the load', endMiB),
  ];
}

function pageMetrics(load: Awaited<ReturnType<typeof closedLoop>>) {
  const { p50Ms, p95Ms, p99Ms } = percentiles(load.latenciesMs);
  return { p50Ms, p95Ms, p99Ms, pagesPerSecond: load.latenciesMs.length / (load.elapsedMs / 1000), failures: load.failures.length };
}

/** A shopper's round: one item into a new cart, then checking it out. Returns the checkout's latency, in ms. */
async function checkOut(baseUrl: string, sessionCookie: string, productId: string): Promise<number> {
  const { cartId } = await sendCommand<{ cartId: string }>(baseUrl, 'cart.addItem', sessionCookie, {
    idempotencyKey: crypto.randomUUID(),
    productId,
    quantity: 1,
  });
  const started = performance.now();
  await sendCommand(baseUrl, 'cart.checkOut', sessionCookie, {
    idempotencyKey: crypto.randomUUID(),
    cartId,
    shippingAddress,
    card: approvedTestCard,
  });
  return performance.now() - started;
}

/**
 * The pages a reader turns through: the storefront, and a search and a product page for each of a few
 * products spread over the catalog (searched by the last word of their name: "mug", "tent").
 */
function pagesToRead(catalog: readonly { productId: string; name: string }[]): string[] {
  const picked = Array.from({ length: productsRead }, (_, i) => catalog[Math.floor((i * catalog.length) / productsRead)]!);
  return picked.flatMap((product) => {
    const word = product.name.split(' ').at(-1)!.toLowerCase();
    return ['/', `/search?q=${encodeURIComponent(word)}`, `/products/${product.productId}`];
  });
}

/**
 * Products with stock to spare. The seed stocks 3 to 50 of each, and stock cannot be added over HTTP by a
 * customer; twenty seconds at the target rate buys about 650 items, a few of each of these.
 */
function productsToBuy<Product extends { stock: number }>(catalog: readonly Product[]): Product[] {
  const basket = catalog.filter((product) => product.stock >= 20);
  if (basket.length === 0) throw new Error('no product in the catalog has 20 or more in stock');
  return basket;
}

/** How many failed and why, the first of each kind: a failed request is counted in its row, not thrown. */
function reportFailures(context: BenchContext, what: string, failures: readonly unknown[]): void {
  if (failures.length === 0) return;
  const reasons = [...new Set(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)).slice(0, 300)))];
  context.log(`  ${formatCount(failures.length)} ${what} requests failed: ${reasons.slice(0, 3).join('; ')}`);
}
