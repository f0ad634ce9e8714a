import { drawings, type Paint, type PictureFamily, type Shape } from './product-picture-shapes';

/**
 * A product's picture, worked out from what the catalog knows of it: the kind of thing it is from its name
 * (its category when the name says nothing we draw), its colours from a hash of its id, or from a colour its
 * name gives ("Blue Mug", "Copper Trowel"). Pure and deterministic: the same product looks the same on
 * every page, on the server and in the browser, and nothing is fetched.
 */
export type ProductPicture = {
  readonly family: PictureFamily;
  readonly colours: Readonly<Record<Paint, string>>;
  readonly shapes: readonly Shape[];
  /** Where the soft disc behind the drawing sits, so two pictures of one kind differ in more than colour. */
  readonly halo: { readonly cx: number; readonly cy: number; readonly r: number; readonly colour: string };
  readonly alt: string;
};

// First match wins, so the more particular names come first: "sleeping bag" before "bag", "board game"
// before "board", "teapot" before "pot", "bookshelf speaker" is a speaker before it could be a book, a
// "backpacking camp stove" a stove before it could be a pack.
const familyByName: readonly (readonly [RegExp, PictureFamily])[] = [
  [/sleeping bag|bedroll/, 'bedroll'],
  [/board game|\bgames?\b|chess/, 'checkerboard'],
  [/card deck|\bcards\b|tarot/, 'cards'],
  [/watering can/, 'can'],
  [/teapot|kettle/, 'teapot'],
  [/pour-over|dripper/, 'dripper'],
  [/whisk/, 'whisk'],
  [/lamp|lantern/, 'lamp'],
  [/headphones|earbuds|headset/, 'headphones'],
  [/speaker/, 'speaker'],
  [/turntable|record player/, 'turntable'],
  [/radio/, 'radio'],
  [/keyboard/, 'keyboard'],
  [/monitor|screen/, 'screen'],
  [/footrest|stool/, 'stool'],
  [/puzzle|jigsaw/, 'puzzle'],
  [/\bkite/, 'kite'],
  [/building set|blocks|bricks/, 'blocks'],
  [/trowel|spade/, 'trowel'],
  [/shears|scissors|snips/, 'shears'],
  [/planter|flower ?pot/, 'planter'],
  [/\bseeds?\b|beans|coffee|\btea\b/, 'pouch'],
  [/grinder|\bmill\b/, 'grinder'],
  [/skillet|\bpan\b|\bwok\b/, 'pan'],
  [/knife|knives/, 'knife'],
  [/colander|\bbowl/, 'bowl'],
  [/\bmug|\bcups?\b/, 'mug'],
  [/\btent/, 'tent'],
  [/stove|burner/, 'stove'],
  [/\bpack\b|backpack|\bbag\b/, 'backpack'],
  [/sketchbook|notebook|planner|journal|diary/, 'notebook'],
  [/book|guide|atlas|novel|poem/, 'book'],
  [/\bpen\b|pencil/, 'pen'],
  [/\bink\b/, 'bottles'],
  [/soap/, 'soap'],
  [/brush/, 'brush'],
  [/towel|robe/, 'towel'],
  [/board|\bpad\b|\bmat\b|tray/, 'board'],
];

const familyByCategory: Readonly<Record<string, PictureFamily>> = {
  kitchen: 'bowl',
  'coffee & tea': 'mug',
  outdoors: 'tent',
  books: 'book',
  stationery: 'pen',
  'home office': 'lamp',
  'toys & games': 'blocks',
  garden: 'planter',
  bath: 'soap',
  audio: 'speaker',
};

/** What the alt text calls each drawing. */
const familyNoun: Readonly<Record<PictureFamily, string>> = {
  mug: 'mug', teapot: 'teapot', pan: 'pan', knife: 'knife', board: 'board', bowl: 'colander', pouch: 'pouch',
  whisk: 'whisk', grinder: 'grinder', dripper: 'coffee dripper', tent: 'tent', bedroll: 'rolled sleeping bag',
  lamp: 'lamp', backpack: 'backpack', stove: 'camp stove', book: 'book', notebook: 'notebook', pen: 'pen',
  bottles: 'row of ink bottles', screen: 'monitor', keyboard: 'keyboard', stool: 'footrest', puzzle: 'puzzle piece',
  checkerboard: 'game board', kite: 'kite', blocks: 'stack of building blocks', cards: 'fan of playing cards',
  trowel: 'trowel', can: 'watering can', planter: 'potted plant', shears: 'pair of shears',
  towel: 'stack of towels', soap: 'bar of soap', brush: 'brush', headphones: 'pair of headphones',
  speaker: 'speaker', turntable: 'turntable', radio: 'radio', parcel: 'parcel',
};

/** Words in a name that say a colour; the drawing takes it. `s` is the saturation, low for greys and metals. */
const namedColours: Readonly<Record<string, { h: number; s: number; l: number }>> = {
  blue: { h: 214, s: 62, l: 46 }, ocean: { h: 198, s: 65, l: 40 }, copper: { h: 22, s: 62, l: 46 },
  brass: { h: 44, s: 60, l: 46 }, walnut: { h: 26, s: 42, l: 34 }, oak: { h: 34, s: 45, l: 48 },
  teak: { h: 30, s: 48, l: 40 }, cedar: { h: 16, s: 45, l: 42 }, cork: { h: 32, s: 42, l: 55 },
  bamboo: { h: 52, s: 45, l: 50 }, olive: { h: 70, s: 35, l: 40 }, forest: { h: 140, s: 40, l: 32 },
  green: { h: 120, s: 38, l: 40 }, mint: { h: 155, s: 42, l: 46 }, matcha: { h: 88, s: 45, l: 42 },
  sencha: { h: 95, s: 40, l: 40 }, sage: { h: 110, s: 20, l: 48 }, rose: { h: 345, s: 55, l: 58 },
  lavender: { h: 266, s: 38, l: 60 }, sepia: { h: 30, s: 45, l: 36 }, sunset: { h: 16, s: 78, l: 55 },
  terracotta: { h: 14, s: 55, l: 48 }, red: { h: 2, s: 65, l: 48 }, 'red-light': { h: 2, s: 65, l: 48 },
  charcoal: { h: 220, s: 8, l: 26 }, steel: { h: 210, s: 10, l: 50 }, marble: { h: 210, s: 6, l: 72 },
  'cast iron': { h: 220, s: 6, l: 28 }, concrete: { h: 30, s: 4, l: 56 }, galvanised: { h: 200, s: 8, l: 60 },
  linen: { h: 40, s: 30, l: 62 }, kraft: { h: 33, s: 40, l: 52 }, oatmeal: { h: 38, s: 30, l: 62 },
  jasmine: { h: 50, s: 50, l: 55 }, dark: { h: 225, s: 20, l: 24 }, gold: { h: 45, s: 70, l: 48 },
};

/** FNV-1a: a small, well-spread 32-bit hash, the same on the server and in every browser. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function pictureFamily(name: string, category: string | null | undefined): PictureFamily {
  const lower = name.toLowerCase();
  for (const [pattern, family] of familyByName) if (pattern.test(lower)) return family;
  return familyByCategory[(category ?? '').toLowerCase()] ?? 'parcel';
}

const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(((h % 360) + 360) % 360)}, ${Math.round(s)}%, ${Math.round(l)}%)`;

function hueName(h: number, s: number, l: number): string {
  if (s < 15) return l > 60 ? 'light grey' : l < 32 ? 'charcoal' : 'grey';
  const names: [number, string][] = [[12, 'red'], [40, l < 40 ? 'brown' : 'orange'], [62, 'golden'], [160, 'green'], [195, 'teal'], [250, 'blue'], [290, 'violet'], [340, 'pink'], [360, 'red']];
  return names.find(([upTo]) => h < upTo)![1];
}

const colourWords = Object.keys(namedColours)
  // Longest first, so "red-light" and "cast iron" are found before "red" and "iron".
  .sort((a, b) => b.length - a.length)
  .map((word) => [new RegExp(`(^|[^a-z])${word}($|[^a-z])`), namedColours[word]!] as const);

function colourFromName(lower: string): { h: number; s: number; l: number } | null {
  return colourWords.find(([pattern]) => pattern.test(lower))?.[1] ?? null;
}

export function productPicture(product: { productId: string; name: string; category?: string | null }): ProductPicture {
  const hash = hashOf(product.productId);
  const family = pictureFamily(product.name, product.category);
  const named = colourFromName(product.name.toLowerCase());
  const base = named ?? { h: hash % 360, s: 48 + ((hash >>> 9) % 20), l: 44 + ((hash >>> 13) % 10) };
  // The accent sits a third to a half of the wheel away; the background is a pale wash between the two.
  const accentHue = base.h + 120 + ((hash >>> 17) % 90);
  const backgroundHue = base.h + 30 + ((hash >>> 21) % 60);
  const background = hsl(backgroundHue, 45, 93);
  const colours: Record<Paint, string> = {
    primary: hsl(base.h, base.s, base.l),
    secondary: hsl(base.h, base.s * 0.9, Math.max(base.l - 14, 14)),
    accent: hsl(accentHue, 62, 56),
    dark: hsl(base.h, 18, 18),
    light: hsl(backgroundHue, 40, 97),
    metal: hsl(210, 10, 78),
    leaf: hsl(130, 38, 40),
    paper: background,
  };
  const halo = {
    cx: 30 + ((hash >>> 3) % 40),
    cy: 30 + ((hash >>> 7) % 30),
    r: 26 + ((hash >>> 11) % 14),
    colour: hsl(accentHue, 50, 87),
  };
  const noun = familyNoun[family];
  const article = /^[aeiou]/.test(noun) ? 'an' : 'a';
  return {
    family,
    colours,
    shapes: drawings[family],
    halo,
    alt: `Drawing of ${article} ${noun} in ${hueName(base.h, base.s, base.l)}`,
  };
}
