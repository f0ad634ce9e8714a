import { describe, expect, it } from 'vitest';
import { hashOf, pictureFamily, productPicture } from './product-picture-drawing';
import { drawings, type Paint } from './product-picture-shapes';

const mug = { productId: '4addac65-3a46-5f20-ba29-2f2bf8eb02d7', name: 'Blue Mug', category: 'Kitchen' };

describe('product pictures', () => {
  it('draws the same picture for the same product, every time', () => {
    expect(productPicture(mug)).toEqual(productPicture({ ...mug }));
    expect(hashOf('product-1')).toBe(hashOf('product-1'));
  });

  it('draws the kind of thing a name says, the more particular words first', () => {
    const cases: [string, string][] = [
      ['Blue Mug', 'mug'],
      ['Walnut Teapot', 'teapot'],
      ['Classic Cutting Board', 'board'],
      ['Strategy Board Game', 'checkerboard'],
      ['Down Sleeping Bag', 'bedroll'],
      ['Summit Trail Pack', 'backpack'],
      ['Bookshelf Speaker', 'speaker'],
      ['Weeknight Cookbook', 'book'],
      ['The Last Ferry: A Novel', 'book'],
      ['Linen Sketchbook', 'notebook'],
      ['Matcha Green Tea', 'pouch'],
      ['Bamboo Matcha Whisk', 'whisk'],
      ['Window Box Planter', 'planter'],
      ['Long-Spout Watering Can', 'can'],
      ['Box Kite', 'kite'],
      ['Wooden Puzzle Box', 'puzzle'],
      ['Trail Headlamp', 'lamp'],
      ['Open-Back Headphones', 'headphones'],
      ['Felt Desk Pad', 'board'],
      ['Dual Monitor Stand', 'screen'],
      ['Calligraphy Ink Set', 'bottles'],
      ['Brass Fountain Pen', 'pen'],
    ];
    for (const [name, family] of cases) expect(pictureFamily(name, 'Anything'), name).toBe(family);
  });

  it("falls back on the category, then on a parcel, for a name it cannot draw", () => {
    expect(pictureFamily('Gift Voucher', 'Audio')).toBe('speaker');
    expect(pictureFamily('Gift Voucher', 'Home Office')).toBe('lamp');
    expect(pictureFamily('Gift Voucher', 'Unlisted')).toBe('parcel');
    expect(pictureFamily('', null)).toBe('parcel');
  });

  it('takes the colour a name gives, and says it in the alt text', () => {
    const blue = productPicture(mug);
    expect(blue.colours.primary).toBe('hsl(214, 62%, 46%)');
    expect(blue.alt).toBe('Drawing of a mug in blue');
    expect(productPicture({ ...mug, productId: 'other-id' }).colours.primary).toBe(blue.colours.primary);
    expect(productPicture({ productId: 'p-2', name: 'Red-Light Headlamp', category: 'Outdoors' }).alt).toBe(
      'Drawing of a lamp in red',
    );
    expect(productPicture({ productId: 'p-3', name: 'Charcoal Soap Bar', category: 'Bath' }).alt).toBe(
      'Drawing of a bar of soap in charcoal',
    );
  });

  it('gives products without a colour word colours of their own, from their ids', () => {
    const primaries = new Set(
      Array.from({ length: 200 }, (_, i) => productPicture({ productId: `product-${i}`, name: 'Cushioned Footrest' }).colours.primary),
    );
    expect(primaries.size).toBeGreaterThan(150);
  });

  it('paints every drawing with colours its palette has, inside the canvas', () => {
    const paints = Object.keys(productPicture(mug).colours) as Paint[];
    for (const [family, shapes] of Object.entries(drawings)) {
      expect(shapes.length, family).toBeGreaterThan(1);
      for (const shape of shapes) {
        for (const paint of [shape.fill, shape.stroke]) {
          if (paint !== undefined && paint !== 'none') expect(paints, family).toContain(paint);
        }
        if (shape.kind === 'rect' && !shape.transform) {
          expect(shape.x >= 0 && shape.y >= 0 && shape.x + shape.width <= 100 && shape.y + shape.height <= 100, family).toBe(true);
        }
        if (shape.kind === 'circle' && !shape.transform) {
          expect(shape.cx - shape.r >= 0 && shape.cy - shape.r >= 0 && shape.cx + shape.r <= 100 && shape.cy + shape.r <= 100, family).toBe(true);
        }
      }
    }
  });

  it('copes with any name and id a staff member may list', () => {
    for (const name of ['', ' ', '🫖 Tea-pot ☕', 'x'.repeat(10_000), '((( [a-z]+ $', 'BLUE MUG']) {
      const picture = productPicture({ productId: name, name, category: name });
      expect(picture.alt).toMatch(/^Drawing of an? [a-z ]+ in [a-z ]+$/);
      expect(picture.shapes.length).toBeGreaterThan(0);
    }
  });
});
