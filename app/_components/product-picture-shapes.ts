/**
 * The drawing of each kind of product, as data: simple shapes on a 100 × 100 canvas, painted with the names
 * of a palette's colours rather than colours, so one drawing serves every product of its kind and the
 * palette (picked per product) makes each one its own.
 */
export type Paint = 'primary' | 'secondary' | 'accent' | 'dark' | 'light' | 'metal' | 'leaf' | 'paper';

type Painting = { fill?: Paint | 'none'; stroke?: Paint; strokeWidth?: number; opacity?: number; transform?: string };

export type Shape = Painting &
  (
    | { kind: 'rect'; x: number; y: number; width: number; height: number; rx?: number }
    | { kind: 'circle'; cx: number; cy: number; r: number }
    | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
    | { kind: 'path'; d: string }
  );

const rect = (x: number, y: number, width: number, height: number, fill: Paint, rest: Omit<Painting, 'fill'> & { rx?: number } = {}): Shape => ({
  kind: 'rect', x, y, width, height, fill, ...rest,
});
const circle = (cx: number, cy: number, r: number, fill: Paint | 'none', rest: Omit<Painting, 'fill'> = {}): Shape => ({ kind: 'circle', cx, cy, r, fill, ...rest });
const ellipse = (cx: number, cy: number, rx: number, ry: number, fill: Paint, rest: Omit<Painting, 'fill'> = {}): Shape => ({
  kind: 'ellipse', cx, cy, rx, ry, fill, ...rest,
});
const path = (d: string, fill: Paint | 'none', rest: Omit<Painting, 'fill'> = {}): Shape => ({ kind: 'path', d, fill, ...rest });
const line = (d: string, stroke: Paint, strokeWidth: number): Shape => path(d, 'none', { stroke, strokeWidth });

/** A grid of small squares (keys, a board's cells), `paintOf` choosing each one's colour. */
function grid(x: number, y: number, columns: number, rows: number, size: number, gap: number, paintOf: (column: number, row: number) => Paint): Shape[] {
  return Array.from({ length: columns * rows }, (_, i) => {
    const column = i % columns;
    const row = Math.floor(i / columns);
    return rect(x + column * (size + gap), y + row * (size + gap), size, size, paintOf(column, row), { rx: gap > 0 ? 1 : 0 });
  });
}

const puzzlePiece = 'M30 34 H43 a7 7 0 1 1 14 0 H70 V47 a7 7 0 1 1 0 14 V76 H57 a7 7 0 1 0 -14 0 H30 V61 a7 7 0 1 0 0 -14 Z';

export const drawings = {
  mug: [
    line('M64 46 h5 a9 9 0 0 1 0 18 h-5', 'secondary', 5),
    rect(30, 36, 34, 44, 'primary', { rx: 5 }),
    rect(30, 48, 34, 6, 'accent'),
    line('M40 30 q4 -5 0 -10 M52 30 q4 -5 0 -10', 'secondary', 2.5),
  ],
  teapot: [
    path('M28 60 L12 44 L17 41 L32 53 Z', 'primary'),
    line('M72 50 a11 11 0 0 1 0 22', 'secondary', 5),
    ellipse(50, 62, 24, 19, 'primary'),
    ellipse(50, 44, 13, 4.5, 'secondary'),
    circle(50, 38, 3.5, 'accent'),
    rect(30, 64, 40, 4, 'accent', { opacity: 0.7 }),
  ],
  pan: [rect(60, 54, 32, 9, 'dark', { rx: 4.5 }), circle(40, 58, 24, 'secondary'), circle(40, 58, 18, 'primary'), circle(34, 52, 5, 'light', { opacity: 0.35 })],
  knife: [
    path('M10 60 Q10 48 28 48 L64 48 L64 60 Z', 'metal'),
    rect(64, 46, 5, 16, 'dark', { rx: 1 }),
    rect(69, 48, 24, 12, 'primary', { rx: 4 }),
    circle(76, 54, 1.8, 'accent'),
    circle(85, 54, 1.8, 'accent'),
  ],
  board: [
    rect(16, 34, 68, 44, 'primary', { rx: 8 }),
    circle(75, 43, 4, 'paper'),
    line('M26 52 h36 M26 60 h46 M26 68 h30', 'secondary', 1.6),
  ],
  bowl: [
    path('M18 50 h64 a32 28 0 0 1 -64 0 Z', 'primary'),
    rect(13, 46, 74, 7, 'secondary', { rx: 3.5 }),
    ...[[38, 62], [50, 64], [62, 62], [44, 72], [56, 72]].map(([cx, cy]) => circle(cx!, cy!, 2.2, 'paper')),
  ],
  pouch: [
    path('M30 36 L70 36 L75 80 Q75 85 70 85 L30 85 Q25 85 25 80 Z', 'primary'),
    rect(28, 28, 44, 10, 'secondary', { rx: 2 }),
    rect(36, 50, 28, 20, 'light', { rx: 3 }),
    ellipse(50, 60, 7, 4.5, 'accent'),
    line('M50 56 v8', 'light', 1.2),
  ],
  whisk: [
    line('M50 62 C30 50 34 18 50 16 C66 18 70 50 50 62 M50 62 C41 50 42 22 50 16 C58 22 59 50 50 62 M50 62 V16', 'secondary', 2),
    rect(46, 60, 8, 28, 'primary', { rx: 4 }),
  ],
  grinder: [
    line('M50 40 V26 H70', 'dark', 3),
    circle(70, 26, 4.5, 'accent'),
    rect(34, 44, 32, 42, 'primary', { rx: 4 }),
    ellipse(50, 44, 17, 5, 'secondary'),
    rect(42, 58, 16, 15, 'light', { rx: 2, opacity: 0.8 }),
  ],
  dripper: [
    path('M32 70 H68 L72 88 H28 Z', 'accent', { opacity: 0.6 }),
    rect(36, 64, 28, 6, 'secondary', { rx: 2 }),
    path('M24 32 H76 L59 64 H41 Z', 'primary'),
    line('M34 40 H66', 'light', 1.5),
  ],
  tent: [
    path('M50 22 L86 82 H14 Z', 'primary'),
    path('M50 22 L61 82 H39 Z', 'secondary'),
    line('M50 22 V10', 'dark', 2),
    path('M50 10 L62 13.5 L50 17 Z', 'accent'),
  ],
  bedroll: [
    rect(16, 40, 68, 36, 'primary', { rx: 18 }),
    circle(66, 58, 18, 'secondary'),
    circle(66, 58, 11, 'primary'),
    circle(66, 58, 5, 'secondary'),
    rect(34, 38, 6, 40, 'dark', { rx: 1 }),
  ],
  lamp: [
    path('M70 52 L58 88 H92 Z', 'accent', { opacity: 0.3 }),
    ellipse(32, 85, 16, 4, 'dark'),
    line('M32 83 L42 54 L62 40', 'secondary', 4),
    path('M56 28 L84 38 L72 56 Z', 'primary'),
    circle(72, 50, 4, 'accent'),
  ],
  backpack: [
    line('M42 32 q8 -12 16 0', 'secondary', 4),
    rect(27, 30, 46, 56, 'primary', { rx: 13 }),
    path('M27 48 Q50 38 73 48 V44 Q50 32 27 44 Z', 'secondary'),
    rect(36, 58, 28, 22, 'secondary', { rx: 5 }),
    line('M38 64 h24', 'accent', 2),
  ],
  stove: [
    path('M43 48 q-4 -11 4 -18 q-1 8 4 11 q2 -6 6 -9 q4 11 -4 16 Z', 'accent'),
    ellipse(50, 50, 19, 4, 'dark'),
    rect(21, 52, 58, 26, 'secondary', { rx: 4 }),
    circle(34, 65, 4.5, 'primary'),
    circle(66, 65, 4.5, 'primary'),
  ],
  book: [
    rect(28, 22, 46, 62, 'primary', { rx: 3 }),
    rect(28, 22, 8, 62, 'secondary', { rx: 2 }),
    rect(36, 79, 36, 4, 'light'),
    rect(43, 34, 24, 7, 'accent', { rx: 1 }),
    rect(43, 45, 17, 3, 'light', { opacity: 0.8 }),
  ],
  notebook: [
    rect(30, 20, 44, 64, 'primary', { rx: 4 }),
    rect(63, 20, 4, 64, 'accent'),
    rect(39, 32, 20, 10, 'light', { rx: 2 }),
    ...[26, 34, 42, 50, 58, 66, 74].map((cy) => circle(30, cy, 2.6, 'dark')),
  ],
  pen: [
    rect(18, 45, 52, 11, 'primary', { rx: 5.5, transform: 'rotate(-30 50 50)' }),
    path('M70 45 L86 50.5 L70 56 Z', 'metal', { transform: 'rotate(-30 50 50)' }),
    rect(52, 45, 4, 11, 'metal', { transform: 'rotate(-30 50 50)' }),
    rect(26, 42, 22, 3, 'accent', { rx: 1.5, transform: 'rotate(-30 50 50)' }),
  ],
  bottles: [
    ...([[20, 'primary'], [41, 'secondary'], [62, 'accent']] as const).flatMap(([x, paint]) => [
      rect(x + 5, 38, 8, 10, 'dark', { rx: 1 }),
      rect(x, 46, 18, 36, paint, { rx: 4 }),
      rect(x + 3, 58, 12, 10, 'light', { rx: 1.5 }),
    ]),
  ],
  screen: [
    rect(34, 77, 32, 5, 'secondary', { rx: 2 }),
    rect(46, 64, 8, 14, 'secondary'),
    rect(16, 24, 68, 44, 'dark', { rx: 4 }),
    rect(20, 28, 60, 36, 'primary', { rx: 2 }),
    rect(26, 34, 22, 13, 'light', { rx: 1.5, opacity: 0.7 }),
  ],
  keyboard: [
    rect(10, 38, 80, 36, 'primary', { rx: 5 }),
    ...grid(15, 43, 10, 3, 5.6, 1.8, (column, row) => (column === 9 && row === 0 ? 'accent' : 'light')),
    rect(30, 65, 40, 5, 'light', { rx: 1 }),
  ],
  stool: [
    rect(28, 56, 5, 28, 'secondary'),
    rect(67, 56, 5, 28, 'secondary'),
    rect(30, 72, 40, 3, 'secondary'),
    path('M18 46 H82 L77 58 H23 Z', 'primary'),
    rect(26, 46, 48, 3, 'accent', { opacity: 0.7 }),
  ],
  puzzle: [
    path(puzzlePiece, 'accent', { transform: 'translate(52 6) scale(0.45) rotate(20 50 55)' }),
    path(puzzlePiece, 'primary'),
  ],
  checkerboard: [
    rect(20, 24, 60, 60, 'secondary', { rx: 3 }),
    ...grid(24, 28, 4, 4, 13, 0, (column, row) => ((column + row) % 2 === 0 ? 'primary' : 'light')),
    circle(37.5, 41.5, 4.5, 'accent'),
    circle(63.5, 67.5, 4.5, 'dark'),
  ],
  kite: [
    line('M50 78 q-8 5 0 10 q8 5 0 10', 'dark', 2),
    path('M50 12 L75 42 L50 78 L25 42 Z', 'primary'),
    path('M50 12 L75 42 L50 42 Z', 'accent'),
    path('M25 42 L50 42 L50 78 Z', 'secondary'),
    line('M50 12 V78 M25 42 H75', 'light', 1.2),
  ],
  blocks: [
    ...([[22, 60, 'primary'], [50, 60, 'accent'], [36, 34, 'secondary']] as const).flatMap(([x, y, paint]) => [
      rect(x + 5, y - 4, 6, 5, paint, { rx: 1 }),
      rect(x + 16, y - 4, 6, 5, paint, { rx: 1 }),
      rect(x, y, 27, 24, paint, { rx: 2 }),
      rect(x + 3, y + 3, 21, 3, 'light', { opacity: 0.35 }),
    ]),
  ],
  cards: [
    rect(30, 24, 34, 50, 'light', { rx: 4, stroke: 'dark', strokeWidth: 1, transform: 'rotate(-16 47 80)' }),
    rect(33, 24, 34, 50, 'light', { rx: 4, stroke: 'dark', strokeWidth: 1, transform: 'rotate(2 50 80)' }),
    rect(36, 24, 34, 50, 'primary', { rx: 4, stroke: 'dark', strokeWidth: 1, transform: 'rotate(18 53 80)' }),
    circle(53, 49, 7, 'accent', { transform: 'rotate(18 53 80)' }),
  ],
  trowel: [
    path('M50 14 C67 26 65 50 50 60 C35 50 33 26 50 14 Z', 'primary'),
    line('M50 22 V54', 'light', 1.4),
    rect(48, 58, 4, 9, 'dark'),
    rect(44.5, 66, 11, 22, 'secondary', { rx: 5.5 }),
  ],
  can: [
    line('M36 44 Q46 24 56 44', 'secondary', 4),
    path('M60 70 L82 46 L87 50 L63 78 Z', 'primary'),
    ellipse(86, 47, 4.5, 6.5, 'secondary', { transform: 'rotate(-45 86 47)' }),
    path('M28 44 H64 V80 Q64 85 59 85 H33 Q28 85 28 80 Z', 'primary'),
    rect(28, 56, 36, 5, 'accent', { opacity: 0.8 }),
  ],
  planter: [
    line('M50 54 V32', 'leaf', 2.5),
    path('M50 50 C38 44 34 30 38 22 C50 28 53 40 50 50 Z', 'leaf'),
    path('M50 54 C58 42 66 38 74 40 C70 51 60 56 50 54 Z', 'leaf'),
    path('M30 56 H70 L64 86 H36 Z', 'primary'),
    rect(26, 52, 48, 8, 'secondary', { rx: 2 }),
  ],
  shears: [
    path('M38 62 L74 20 L78 24 L45 67 Z', 'metal'),
    path('M48 70 L82 34 L85 39 L53 74 Z', 'metal'),
    circle(32, 72, 8, 'none', { stroke: 'primary', strokeWidth: 5 }),
    circle(52, 80, 8, 'none', { stroke: 'primary', strokeWidth: 5 }),
    circle(45, 66, 3, 'dark'),
  ],
  towel: [
    rect(20, 64, 60, 17, 'primary', { rx: 5 }),
    rect(24, 47, 54, 17, 'secondary', { rx: 5 }),
    rect(28, 30, 48, 17, 'accent', { rx: 5 }),
    ...[72, 55, 38].map((y) => rect(34, y, 30, 2, 'light', { opacity: 0.6 })),
  ],
  soap: [
    rect(22, 48, 56, 30, 'primary', { rx: 12 }),
    rect(30, 54, 22, 5, 'light', { rx: 2.5, opacity: 0.6 }),
    circle(70, 36, 6, 'none', { stroke: 'accent', strokeWidth: 2 }),
    circle(80, 24, 4, 'none', { stroke: 'accent', strokeWidth: 2 }),
    circle(61, 24, 3, 'none', { stroke: 'accent', strokeWidth: 2 }),
  ],
  brush: [
    path('M16 76 L54 48 L60 55 L22 82 Q14 82 16 76 Z', 'primary'),
    rect(52, 30, 34, 22, 'secondary', { rx: 7, transform: 'rotate(-36 69 41)' }),
    line('M60 24 l-6 -8 M68 20 l-6 -8 M76 16 l-6 -8', 'dark', 2),
  ],
  headphones: [
    line('M27 62 V50 a23 23 0 0 1 46 0 V62', 'primary', 6),
    rect(17, 55, 17, 26, 'secondary', { rx: 7 }),
    rect(66, 55, 17, 26, 'secondary', { rx: 7 }),
    rect(30, 58, 6, 20, 'dark', { rx: 3 }),
    rect(64, 58, 6, 20, 'dark', { rx: 3 }),
  ],
  speaker: [
    rect(30, 18, 40, 68, 'primary', { rx: 6 }),
    circle(50, 63, 14, 'dark'),
    circle(50, 63, 6, 'secondary'),
    circle(50, 35, 7, 'dark'),
    circle(50, 35, 2.8, 'secondary'),
  ],
  turntable: [
    rect(14, 30, 72, 50, 'primary', { rx: 5 }),
    circle(44, 55, 21, 'dark'),
    circle(44, 55, 14, 'dark', { stroke: 'secondary', strokeWidth: 0.8 }),
    circle(44, 55, 7, 'accent'),
    circle(44, 55, 1.5, 'light'),
    line('M75 36 V62 L62 69', 'metal', 3),
    circle(75, 36, 4.5, 'secondary'),
  ],
  radio: [
    line('M30 40 L20 14', 'dark', 2),
    line('M34 40 Q50 28 66 40', 'secondary', 4),
    rect(16, 40, 68, 42, 'primary', { rx: 8 }),
    circle(37, 61, 12, 'secondary'),
    rect(56, 50, 21, 8, 'light', { rx: 2 }),
    circle(60, 71, 4, 'accent'),
    circle(72, 71, 4, 'dark'),
  ],
  parcel: [
    path('M24 36 L32 24 H68 L76 36 Z', 'secondary'),
    rect(24, 36, 52, 46, 'primary', { rx: 3 }),
    rect(46, 36, 8, 46, 'accent'),
  ],
} satisfies Record<string, Shape[]>;

export type PictureFamily = keyof typeof drawings;
