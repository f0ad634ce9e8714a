import type { SVGAttributes } from 'react';
import { productPicture } from './product-picture-drawing';
import type { Paint, Shape } from './product-picture-shapes';

type Size = 'thumbnail' | 'card' | 'large';

/**
 * A product's picture: an SVG drawn from the product itself (see product-picture-drawing.ts), so every product
 * has one, a product listed a second ago included, and the page fetches nothing for it. It renders the same
 * on the server and in the browser, in server and client components alike.
 */
export function ProductPicture(props: { product: { productId: string; name: string; category?: string | null }; size: Size }) {
  const picture = productPicture(props.product);
  const paint = (name: Paint | 'none' | undefined) => (name === undefined || name === 'none' ? name : picture.colours[name]);
  return (
    <svg viewBox="0 0 100 100" className={`product-picture picture-${props.size}`} role="img" aria-label={picture.alt}>
      <rect width="100" height="100" fill={picture.colours.paper} />
      <circle cx={picture.halo.cx} cy={picture.halo.cy} r={picture.halo.r} fill={picture.halo.colour} />
      <ellipse cx="50" cy="88" rx="30" ry="3.5" fill={picture.colours.dark} opacity="0.12" />
      {picture.shapes.map((shape, i) => (
        <ShapeElement key={i} shape={shape} fill={paint(shape.fill)} stroke={paint(shape.stroke)} />
      ))}
    </svg>
  );
}

function ShapeElement({ shape, fill, stroke }: { shape: Shape; fill?: string; stroke?: string }) {
  const painting: SVGAttributes<SVGElement> = {
    fill,
    stroke,
    strokeWidth: shape.strokeWidth,
    strokeLinecap: stroke ? 'round' : undefined,
    strokeLinejoin: stroke ? 'round' : undefined,
    opacity: shape.opacity,
    transform: shape.transform,
  };
  switch (shape.kind) {
    case 'rect':
      return <rect x={shape.x} y={shape.y} width={shape.width} height={shape.height} rx={shape.rx} {...painting} />;
    case 'circle':
      return <circle cx={shape.cx} cy={shape.cy} r={shape.r} {...painting} />;
    case 'ellipse':
      return <ellipse cx={shape.cx} cy={shape.cy} rx={shape.rx} ry={shape.ry} {...painting} />;
    case 'path':
      return <path d={shape.d} {...painting} />;
  }
}
