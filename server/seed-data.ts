import { createHash } from 'node:crypto';

/**
 * The demo catalog and customers. Ids and idempotency keys are derived from names, so running the seed again
 * appends nothing: every command comes back as a duplicate of the first run.
 */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(`hindsight:${name}`).digest('hex');
  // Shape it as an RFC 9562 version-5-style UUID so validators accept it.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type Category = { name: string; nouns: string[]; basePriceCents: number };

const categories: Category[] = [
  { name: 'Kitchen', nouns: ['Mug', 'Teapot', 'Skillet', 'Cutting Board', 'Chef Knife', 'Colander'], basePriceCents: 1_800 },
  { name: 'Coffee & Tea', nouns: ['Espresso Beans', 'Green Tea', 'Pour-Over Kit', 'Grinder', 'Matcha Whisk'], basePriceCents: 1_400 },
  { name: 'Outdoors', nouns: ['Tent', 'Sleeping Bag', 'Headlamp', 'Trail Pack', 'Camp Stove'], basePriceCents: 4_500 },
  { name: 'Books', nouns: ['Field Guide', 'Cookbook', 'Notebook of Poems', 'Atlas', 'Novel'], basePriceCents: 1_600 },
  { name: 'Stationery', nouns: ['Fountain Pen', 'Sketchbook', 'Planner', 'Ink Set', 'Desk Pad'], basePriceCents: 900 },
  { name: 'Home Office', nouns: ['Desk Lamp', 'Monitor Stand', 'Keyboard', 'Cable Tray', 'Footrest'], basePriceCents: 3_200 },
  { name: 'Toys & Games', nouns: ['Puzzle', 'Board Game', 'Kite', 'Building Set', 'Card Deck'], basePriceCents: 2_200 },
  { name: 'Garden', nouns: ['Trowel', 'Watering Can', 'Seed Kit', 'Planter', 'Pruning Shears'], basePriceCents: 1_900 },
  { name: 'Bath', nouns: ['Towel', 'Soap Bar', 'Bath Mat', 'Loofah', 'Robe'], basePriceCents: 1_200 },
  { name: 'Audio', nouns: ['Headphones', 'Speaker', 'Turntable', 'Earbuds', 'Radio'], basePriceCents: 6_000 },
];

const adjectives = ['Blue', 'Walnut', 'Classic', 'Compact', 'Everyday', 'Copper'];

export type SeedProduct = {
  productId: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  initialStock: number;
};

/** 10 categories × 5–6 nouns × 6 adjectives: 306 products, with prices and stock spread deterministically. */
export function seedProducts(): SeedProduct[] {
  return categories.flatMap((category, c) =>
    category.nouns.flatMap((noun, n) =>
      adjectives.map((adjective, a) => {
        const name = `${adjective} ${noun}`;
        const spread = (c * 7 + n * 5 + a * 3) % 11;
        return {
          productId: stableUuid(`product:${category.name}:${name}`),
          name,
          description: `A ${adjective.toLowerCase()} ${noun.toLowerCase()} from our ${category.name.toLowerCase()} range, made to last.`,
          category: category.name,
          priceCents: category.basePriceCents + spread * 250 - (spread % 2 === 0 ? 1 : 5),
          initialStock: ((c + n + a) % 9 === 0 ? 3 : 10) + spread * 4,
        };
      }),
    ),
  );
}

export const seedCustomers = [
  { name: 'Maya Okafor', email: 'maya@example.com' },
  { name: 'Liam Chen', email: 'liam@example.com' },
  { name: 'Sofia Rossi', email: 'sofia@example.com' },
].map((customer) => ({ ...customer, customerId: stableUuid(`customer:${customer.email}`) }));
