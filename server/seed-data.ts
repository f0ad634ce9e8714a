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

/**
 * A range of one kind of product: its names (each a product) and a line the descriptions share. Names are
 * written out, not crossed with a list of adjectives, so that no page of the catalog repeats one word.
 */
type Range = { blurb: string; names: readonly string[] };
type Category = { name: string; basePriceCents: number; ranges: readonly Range[] };

// The end-to-end tests buy Blue Mug, Blue Teapot, Blue Chef Knife, Blue Skillet, Bamboo Cutting Board, Classic
// Cutting Board and Walnut Teapot (Kitchen) and Copper Trowel (Garden) from the first page of their category,
// sorted by name.
const categories: readonly Category[] = [
  {
    name: 'Kitchen',
    basePriceCents: 1_800,
    ranges: [
      { blurb: 'Holds a generous cup and keeps it warm.', names: ['Blue Mug', 'Stoneware Mug', 'Speckled Mug', 'Enamel Camp Mug', 'Double-Walled Mug', 'Hand-Thrown Mug'] },
      { blurb: 'Brews four cups and pours without a drip.', names: ['Blue Teapot', 'Walnut Teapot', 'Cast Iron Teapot', 'Glass Teapot', 'Porcelain Teapot', 'Clay Teapot'] },
      { blurb: 'Heats evenly and goes from the hob to the oven.', names: ['Blue Skillet', 'Cast Iron Skillet', 'Carbon Steel Skillet', 'Copper Skillet', 'Nonstick Skillet', 'Mini Skillet'] },
      { blurb: 'Kind to knives and easy to clean.', names: ['Classic Cutting Board', 'Walnut Cutting Board', 'Olive Wood Cutting Board', 'Bamboo Cutting Board', 'End-Grain Cutting Board', 'Marble Cutting Board'] },
      { blurb: 'Balanced in the hand and sharp out of the box.', names: ['Blue Chef Knife', 'Damascus Chef Knife', 'Carbon Steel Chef Knife', 'Forged Chef Knife', 'Ceramic Chef Knife', 'Petite Chef Knife'] },
      { blurb: 'Drains pasta, rinses berries, stacks away.', names: ['Enamel Colander', 'Collapsible Colander', 'Steel Colander', 'Footed Colander', 'Berry Colander', 'Copper Colander'] },
    ],
  },
  {
    name: 'Coffee & Tea',
    basePriceCents: 1_400,
    ranges: [
      { blurb: 'Roasted in small batches, whole bean.', names: ['House Espresso Beans', 'Dark Roast Espresso Beans', 'Decaf Espresso Beans', 'Single-Origin Espresso Beans', 'Morning Espresso Beans', 'Ethiopian Espresso Beans'] },
      { blurb: 'Loose leaf, picked in spring.', names: ['Sencha Green Tea', 'Jasmine Green Tea', 'Genmaicha Green Tea', 'Gunpowder Green Tea', 'Mint Green Tea', 'Matcha Green Tea'] },
      { blurb: 'Everything for a slow, clean cup.', names: ['Glass Pour-Over Kit', 'Ceramic Pour-Over Kit', 'Travel Pour-Over Kit', 'Copper Pour-Over Kit', 'Starter Pour-Over Kit', 'Barista Pour-Over Kit'] },
      { blurb: 'Grinds evenly, from espresso fine to French press coarse.', names: ['Hand Grinder', 'Burr Grinder', 'Conical Grinder', 'Travel Grinder', 'Brass Grinder', 'Electric Grinder'] },
      { blurb: 'Whisks a smooth, frothy bowl of matcha.', names: ['Bamboo Matcha Whisk', 'Ceremonial Matcha Whisk', 'Starter Matcha Whisk', 'Slim Matcha Whisk', 'Travel Matcha Whisk', 'Hundred-Tine Matcha Whisk'] },
    ],
  },
  {
    name: 'Outdoors',
    basePriceCents: 4_500,
    ranges: [
      { blurb: 'Pitches in minutes and stands up to the wind.', names: ['Alpine Tent', 'Two-Person Tent', 'Ultralight Tent', 'Family Tent', 'Backpacking Tent', 'Festival Tent'] },
      { blurb: 'Warm, light and packs down small.', names: ['Down Sleeping Bag', 'Summer Sleeping Bag', 'Arctic Sleeping Bag', "Kids' Sleeping Bag", 'Mummy Sleeping Bag', 'Quilted Sleeping Bag'] },
      { blurb: 'A bright beam that lasts the night.', names: ['Trail Headlamp', 'Rechargeable Headlamp', 'Red-Light Headlamp', 'Compact Headlamp', 'Night Run Headlamp', 'Waterproof Headlamp'] },
      { blurb: 'Carries a day on the trail in comfort.', names: ['Summit Trail Pack', 'Roll-Top Trail Pack', 'Lightweight Trail Pack', 'Canvas Trail Pack', 'Hydration Trail Pack', 'Weekend Trail Pack'] },
      { blurb: 'Boils water fast, wherever you stop.', names: ['Folding Camp Stove', 'Wood-Burning Camp Stove', 'Twin-Burner Camp Stove', 'Backpacking Camp Stove', 'Titanium Camp Stove', 'Alcohol Camp Stove'] },
    ],
  },
  {
    name: 'Books',
    basePriceCents: 1_600,
    ranges: [
      { blurb: 'Illustrated, pocket-sized, and made for muddy boots.', names: ['Field Guide to Birds', 'Field Guide to Mushrooms', 'Field Guide to Trees', 'Field Guide to Wildflowers', 'Field Guide to the Night Sky', 'Field Guide to the Seashore'] },
      { blurb: 'Recipes tested in a home kitchen.', names: ['Weeknight Cookbook', 'Baking Cookbook', 'Vegetarian Cookbook', 'Fermentation Cookbook', 'Noodle Cookbook', 'Campfire Cookbook'] },
      { blurb: 'Poems to read aloud, a few pages at a time.', names: ['Poems of the Sea', 'Poems for Winter', 'City Poems', 'Collected Poems', 'Love Poems', 'Poems of the Road'] },
      { blurb: 'Maps drawn with care, printed on heavy paper.', names: ['World Atlas', 'Road Atlas', 'Star Atlas', 'Ocean Atlas', 'Historical Atlas', 'Pocket Atlas'] },
      { blurb: 'A story to get lost in.', names: ['The Quiet Harbour: A Novel', 'Northern Lights: A Novel', 'The Glass Orchard: A Novel', 'Salt and Honey: A Novel', 'The Last Ferry: A Novel', 'Paper Moons: A Novel'] },
    ],
  },
  {
    name: 'Stationery',
    basePriceCents: 900,
    ranges: [
      { blurb: 'Writes smoothly from the first line.', names: ['Brass Fountain Pen', 'Demonstrator Fountain Pen', 'Pocket Fountain Pen', 'Lacquered Fountain Pen', 'Student Fountain Pen', 'Calligraphy Fountain Pen'] },
      { blurb: 'Thick paper that takes pencil, ink and wash.', names: ['A5 Sketchbook', 'Pocket Sketchbook', 'Watercolour Sketchbook', 'Kraft Sketchbook', 'Toned Sketchbook', 'Linen Sketchbook'] },
      { blurb: 'A year laid out, with room to think.', names: ['Weekly Planner', 'Daily Planner', 'Undated Planner', 'Academic Planner', 'Goal Planner', 'Linen Planner'] },
      { blurb: 'Three bottles of rich, quick-drying ink.', names: ['Sepia Ink Set', 'Ocean Ink Set', 'Forest Ink Set', 'Sunset Ink Set', 'Calligraphy Ink Set', 'Iron Gall Ink Set'] },
      { blurb: 'A calm surface for the desk.', names: ['Felt Desk Pad', 'Leather Desk Pad', 'Cork Desk Pad', 'Recycled Desk Pad', 'Wool Desk Pad', 'Oversized Desk Pad'] },
    ],
  },
  {
    name: 'Home Office',
    basePriceCents: 3_200,
    ranges: [
      { blurb: 'Warm light exactly where you work.', names: ['Architect Desk Lamp', 'Brass Desk Lamp', 'LED Desk Lamp', 'Clamp Desk Lamp', "Banker's Desk Lamp", 'Mushroom Desk Lamp'] },
      { blurb: 'Lifts the screen to eye level.', names: ['Oak Monitor Stand', 'Bamboo Monitor Stand', 'Aluminium Monitor Stand', 'Dual Monitor Stand', 'Adjustable Monitor Stand', 'Walnut Monitor Stand'] },
      { blurb: 'Keys with a satisfying, quiet travel.', names: ['Mechanical Keyboard', 'Wireless Keyboard', 'Compact Keyboard', 'Split Keyboard', 'Low-Profile Keyboard', 'Retro Keyboard'] },
      { blurb: 'Keeps the cables off the floor.', names: ['Under-Desk Cable Tray', 'Mesh Cable Tray', 'Steel Cable Tray', 'Wooden Cable Tray', 'Magnetic Cable Tray', 'Clip-On Cable Tray'] },
      { blurb: 'Rests your feet at the right angle.', names: ['Ergonomic Footrest', 'Rocking Footrest', 'Foam Footrest', 'Wooden Footrest', 'Adjustable Footrest', 'Cushioned Footrest'] },
    ],
  },
  {
    name: 'Toys & Games',
    basePriceCents: 2_200,
    ranges: [
      { blurb: 'Pieces that click into place, for a rainy afternoon.', names: ['Mountain Jigsaw Puzzle', 'Wooden Puzzle Box', 'World Map Puzzle', "Kids' Floor Puzzle", 'Brain Teaser Puzzle', 'Ocean Jigsaw Puzzle'] },
      { blurb: 'Easy to learn, hard to put down.', names: ['Strategy Board Game', 'Family Board Game', 'Cooperative Board Game', 'Word Board Game', 'Travel Board Game', 'Trivia Board Game'] },
      { blurb: 'Flies in a light breeze.', names: ['Stunt Kite', 'Box Kite', 'Delta Kite', 'Dragon Kite', 'Beach Kite', 'Rainbow Kite'] },
      { blurb: 'Hundreds of pieces and a picture to follow, or not.', names: ['Castle Building Set', 'Rocket Building Set', 'City Building Set', 'Marble Run Building Set', 'Robot Building Set', 'Treehouse Building Set'] },
      { blurb: 'Linen-finish cards that shuffle well.', names: ['Poker Card Deck', 'Tarot Card Deck', 'Jumbo Card Deck', 'Illustrated Card Deck', 'Pocket Card Deck', 'Bridge Card Deck'] },
    ],
  },
  {
    name: 'Garden',
    basePriceCents: 1_900,
    ranges: [
      { blurb: 'Digs, scoops and plants for years.', names: ['Copper Trowel', 'Steel Trowel', 'Transplanting Trowel', 'Ash-Handled Trowel', 'Narrow Trowel', "Kids' Trowel"] },
      { blurb: 'A gentle, even shower for seedlings and pots.', names: ['Galvanised Watering Can', 'Brass Watering Can', 'Indoor Watering Can', 'Long-Spout Watering Can', 'Enamel Watering Can', "Kids' Watering Can"] },
      { blurb: 'Seeds, soil and pots to start a windowsill.', names: ['Herb Seed Kit', 'Tomato Seed Kit', 'Wildflower Seed Kit', 'Salad Seed Kit', 'Sunflower Seed Kit', 'Chili Seed Kit'] },
      { blurb: 'Drains well and weathers beautifully.', names: ['Terracotta Planter', 'Hanging Planter', 'Self-Watering Planter', 'Concrete Planter', 'Window Box Planter', 'Raised Planter'] },
      { blurb: 'Clean cuts that help a plant heal.', names: ['Bypass Pruning Shears', 'Anvil Pruning Shears', 'Ratchet Pruning Shears', 'Precision Pruning Shears', 'Heavy-Duty Pruning Shears', 'Floral Pruning Shears'] },
    ],
  },
  {
    name: 'Bath',
    basePriceCents: 1_200,
    ranges: [
      { blurb: 'Soft, absorbent and quick to dry.', names: ['Waffle Towel', 'Linen Towel', 'Turkish Towel', 'Organic Cotton Towel', 'Striped Beach Towel', 'Guest Towel'] },
      { blurb: 'Made by hand with plant oils.', names: ['Lavender Soap Bar', 'Oatmeal Soap Bar', 'Charcoal Soap Bar', 'Olive Oil Soap Bar', 'Rose Soap Bar', 'Cedar Soap Bar'] },
      { blurb: 'Warm underfoot and dries fast.', names: ['Teak Bath Mat', 'Cotton Bath Mat', 'Cork Bath Mat', 'Pebble Bath Mat', 'Diatomite Bath Mat', 'Shag Bath Mat'] },
      { blurb: 'Firm bristles on a hand-finished handle.', names: ['Long-Handled Bath Brush', 'Beechwood Bath Brush', 'Sisal Bath Brush', 'Boar-Bristle Bath Brush', 'Travel Bath Brush', 'Round Bath Brush'] },
      { blurb: 'Light, warm and roomy.', names: ['Waffle Robe', 'Terry Robe', 'Linen Robe', 'Hooded Robe', 'Kimono Robe', 'Plush Robe'] },
    ],
  },
  {
    name: 'Audio',
    basePriceCents: 6_000,
    ranges: [
      { blurb: 'Clear sound and cushions for long listening.', names: ['Studio Headphones', 'Wireless Headphones', 'Noise-Cancelling Headphones', 'Open-Back Headphones', "Kids' Headphones", 'Folding Headphones'] },
      { blurb: 'Room-filling sound from a small box.', names: ['Bookshelf Speaker', 'Portable Speaker', 'Waterproof Speaker', 'Smart Speaker', 'Mini Speaker', 'Party Speaker'] },
      { blurb: 'Plays your records the way they were pressed.', names: ['Belt-Drive Turntable', 'Direct-Drive Turntable', 'Suitcase Turntable', 'Bluetooth Turntable', 'Retro Turntable', 'Walnut Turntable'] },
      { blurb: 'A snug fit and a battery that lasts.', names: ['Sport Earbuds', 'True Wireless Earbuds', 'Wired Earbuds', 'Sleep Earbuds', 'Pro Earbuds', 'Budget Earbuds'] },
      { blurb: 'News, music and the weather, on any wavelength.', names: ['Shortwave Radio', 'Retro Radio', 'Hand-Crank Radio', 'Clock Radio', 'Pocket Radio', 'Internet Radio'] },
    ],
  },
];

export type SeedProduct = {
  productId: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  initialStock: number;
};

/** 10 categories × 5–6 ranges × 6 names: 306 products, with prices and stock spread deterministically. */
export function seedProducts(): SeedProduct[] {
  return categories.flatMap((category, c) =>
    category.ranges.flatMap((range, r) =>
      range.names.map((name, n) => {
        const spread = (c * 7 + r * 5 + n * 3) % 11;
        return {
          productId: stableUuid(`product:${category.name}:${name}`),
          name,
          description: `${range.blurb} From our ${category.name.toLowerCase()} range, made to last.`,
          category: category.name,
          priceCents: category.basePriceCents + spread * 250 - (spread % 2 === 0 ? 1 : 5),
          initialStock: ((c + r + n) % 9 === 0 ? 3 : 10) + spread * 4,
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

/** The demo staff member: signs in to the back office. Staff are customers too (they can shop). */
export const seedStaff = { name: 'Noor Haddad', email: 'staff@example.com', customerId: stableUuid('customer:staff@example.com') };
